package scraper

import (
	"net/url"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends/parse"
)

// jsonldSource crawls any site that publishes schema.org JobPosting
// JSON-LD. Every page is read by parse.ExtractDocument (which picks the
// parser by URL). From each page the crawl follows the links (a[href],
// resolved against the page and its <base href>) that match any of the
// source's Follow patterns, plus the job pages and next page the parser
// itself found; all only on the source's hosts, up to MaxPages.
var jsonldSource = sourceType{
	fields: []string{"follow"},
	extract: func(_ *crawlState, p *fetchedPage) (*parse.Result, error) {
		return parse.ExtractDocument(p.url, p.doc, p.fetched)
	},
	next: func(cs *crawlState, p *fetchedPage, res *parse.Result) []target {
		var out []target
		for _, l := range res.Links {
			out = append(out, target{url: l, role: roleJob})
		}
		if res.Next != "" {
			out = append(out, target{url: res.Next, role: roleNext})
		}
		return append(out, followLinks(cs, p.doc, p.url)...)
	},
}

// followLinks returns the links of a page (a[href], resolved against the
// page and its <base href>) that match any of the source's Follow
// patterns, as roleLink targets.
func followLinks(cs *crawlState, doc *goquery.Document, pageURL string) []target {
	if len(cs.src.Follow) == 0 {
		return nil
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(href); err == nil {
			base = b
		}
	}
	var out []target
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		abs, ok := canonicalURL(base, href)
		if ok && cs.follows(abs) {
			out = append(out, target{url: abs, role: roleLink})
		}
	})
	return out
}

// follows reports whether a URL matches one of the source's Follow
// patterns.
func (cs *crawlState) follows(u string) bool {
	for _, re := range cs.src.Follow {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}
