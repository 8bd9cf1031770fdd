package scraper

import "github.com/jobtrends/jobtrends/parse"

// ashbyAPISource crawls Ashby job boards through the public posting API:
// for each organization in Source.Boards one GET of
// https://api.ashbyhq.com/posting-api/job-board/<org>?includeCompensation=true,
// whose answer is every listed job with its description and compensation.
// StartURLs may name the API directly. Read by parse.ExtractAPI
// (parse.AshbyJobBoard). (Type ashby reads the HTML board and job pages
// instead.)
var ashbyAPISource = apiRules{
	name:  "ashby-api",
	kind:  parse.KindAshbyAPI,
	board: "https://api.ashbyhq.com/posting-api/job-board/%s?includeCompensation=true",
	shape: "https://api.ashbyhq.com/posting-api/job-board/<org>?includeCompensation=true",
}.sourceType()
