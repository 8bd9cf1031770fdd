package scraper

import "github.com/jobtrends/jobtrends/parse"

// greenhouseSource crawls Greenhouse job boards through the public Job
// Board API: for each board token in Source.Boards one GET of
// https://boards-api.greenhouse.io/v1/boards/<token>/jobs?content=true,
// whose answer is the whole board, every job with its description
// (content=true: the salary is often only there). StartURLs may name the
// API directly (e.g. without content=true). Read by parse.ExtractAPI
// (parse.GreenhouseJobs).
var greenhouseSource = apiRules{
	name:  "greenhouse",
	kind:  parse.KindGreenhouse,
	board: "https://boards-api.greenhouse.io/v1/boards/%s/jobs?content=true",
	shape: "https://boards-api.greenhouse.io/v1/boards/<token>/jobs",
}.sourceType()
