package scraper

import "github.com/jobtrends/jobtrends/parse"

// leverSource crawls Lever job sites through the public Postings API: for
// each company site in Source.Boards one GET of
// https://api.lever.co/v0/postings/<site>?mode=json, whose answer is every
// published posting of the site. StartURLs may name the API directly
// (api.eu.lever.co too). Read by parse.ExtractAPI (parse.LeverPostings).
var leverSource = apiRules{
	name:  "lever",
	kind:  parse.KindLever,
	board: "https://api.lever.co/v0/postings/%s?mode=json",
	shape: "https://api.lever.co/v0/postings/<site>?mode=json",
}.sourceType()
