package scraper

import (
	"github.com/jobtrends/jobtrends/parse"
)

// ashbySource crawls Ashby job boards. A start URL is a board page
// (https://jobs.ashbyhq.com/<org>), read by parse.AshbyBoard for the job
// pages it lists (the board embeds its job list as JSON); each job page is
// read by parse.JSONLD for its schema.org JobPosting. (Type ashby-api reads
// the same boards through Ashby's posting API, in one request.)
var ashbySource = sourceType{
	extract: func(_ *crawlState, p *fetchedPage) (*parse.Result, error) {
		if p.role == roleStart {
			return parse.AshbyBoard(p.doc, p.url)
		}
		return parse.JSONLD(p.doc, p.url, p.fetched)
	},
	next: func(_ *crawlState, p *fetchedPage, res *parse.Result) []target {
		if p.role != roleStart {
			return nil
		}
		out := make([]target, 0, len(res.Links))
		for _, l := range res.Links {
			out = append(out, target{url: l, role: roleJob})
		}
		return out
	},
}
