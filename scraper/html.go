package scraper

import (
	"fmt"

	"github.com/jobtrends/jobtrends/parse"
)

// htmlSource crawls sites without structured data with CSS selectors
// (Source.Selectors, parse.SelectorRules). Start URLs are listing pages;
// each listing page is read by parse.Selectors: one posting per element
// the item selector matches. The crawl follows the page's next-page anchor
// (the rules' Next selector) to the next listing page, and, when the
// source has Follow patterns, every item link that matches one, whose
// page is read by parse.ExtractDocument (a job page with JSON-LD); all
// only on the source's hosts, never a page twice, up to MaxPages.
//
// The rules are validated before anything is fetched. A selector that
// matches nothing on a listing page fails the page (parse.ErrNoMatch): a
// changed page must not look like a page without jobs.
//
// A worked example, on the real LinkedIn guest job page of the corpus
// (https://au.linkedin.com/jobs/view/…-4411867124, testdata/html/): its
// "Similar jobs" section is a listing of job cards,
//
//	<section class="core-section-container my-3 similar-jobs">
//	  <ul><li><div class="base-card … main-job-card">
//	    <a class="base-card__full-link" href="https://au.linkedin.com/jobs/view/platform-engineer-at-macquarie-group-4449371115?refId=…">
//	    <h3 class="base-main-card__title">Platform Engineer</h3>
//	    <h4 class="base-main-card__subtitle"><a …>Macquarie Group</a></h4>
//	    <span class="main-job-card__location">Melbourne, Victoria, Australia</span>
//	    <time class="main-job-card__listdate" datetime="2026-08-06">1 week ago</time>
//
// and a source of this type reads one posting per card (config.yaml, one
// entry of sources):
//
//	name: linkedin-similar
//	type: html
//	start_urls: ["https://au.linkedin.com/jobs/view/senior-software-engineer-developer-experience-at-heidi-4411867124"]
//	selectors:
//	  item: section.similar-jobs div.base-card
//	  title: h3.base-main-card__title
//	  company: h4.base-main-card__subtitle
//	  location: span.main-job-card__location
//	  date: time
//	  link: a.base-card__full-link
//	  attr: {date: datetime}
//	  next: a[rel=next]
//
// (The page has no next-page anchor; a listing that has one is followed
// through next.) See TestCrawlHTML.
var htmlSource = sourceType{
	fields: []string{"selectors", "follow"},
	check: func(s Source) error {
		if s.Selectors == nil {
			return fmt.Errorf("source %s: type html needs selectors", s.Name)
		}
		if err := s.Selectors.Validate(); err != nil {
			return fmt.Errorf("source %s: selectors: %w", s.Name, err)
		}
		return nil
	},
	extract: func(cs *crawlState, p *fetchedPage) (*parse.Result, error) {
		if p.role == roleLink {
			return parse.ExtractDocument(p.url, p.doc, p.fetched)
		}
		return parse.Selectors(p.doc, p.url, *cs.src.Selectors, p.fetched)
	},
	next: func(cs *crawlState, p *fetchedPage, res *parse.Result) []target {
		if p.role == roleLink {
			return nil
		}
		var out []target
		if res.Next != "" {
			out = append(out, target{url: res.Next, role: roleNext})
		}
		for _, posting := range res.Postings {
			if posting.URL != "" && posting.URL != p.url && cs.follows(posting.URL) {
				out = append(out, target{url: posting.URL, role: roleLink})
			}
		}
		return out
	},
}
