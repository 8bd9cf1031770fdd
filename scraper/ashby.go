package scraper

import (
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends/parse"
)

// ashbySource crawls Ashby job boards. A start URL is a board page
// (https://jobs.ashbyhq.com/<org>), read by parse.AshbyBoard for the job
// pages it lists (the board embeds its job list as JSON); each job page is
// read by parse.JSONLD for its schema.org JobPosting.
var ashbySource = sourceType{
	extract: func(r role, pageURL string, doc *goquery.Document, fetched time.Time) (*parse.Result, error) {
		if r == roleStart {
			return parse.AshbyBoard(doc, pageURL)
		}
		return parse.JSONLD(doc, pageURL, fetched)
	},
	next: func(_ *crawlState, r role, _ *goquery.Document, _ string, res *parse.Result) []target {
		if r != roleStart {
			return nil
		}
		out := make([]target, 0, len(res.Links))
		for _, l := range res.Links {
			out = append(out, target{url: l, role: roleJob})
		}
		return out
	},
}
