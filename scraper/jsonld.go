package scraper

import (
	"net/url"
	"time"

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
	extract: func(_ role, pageURL string, doc *goquery.Document, fetched time.Time) (*parse.Result, error) {
		return parse.ExtractDocument(pageURL, doc, fetched)
	},
	next: func(cs *crawlState, _ role, doc *goquery.Document, pageURL string, res *parse.Result) []target {
		var out []target
		for _, l := range res.Links {
			out = append(out, target{url: l, role: roleJob})
		}
		if res.Next != "" {
			out = append(out, target{url: res.Next, role: roleNext})
		}
		if len(cs.src.Follow) == 0 {
			return out
		}
		base, err := url.Parse(pageURL)
		if err != nil {
			return out
		}
		if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
			if b, err := base.Parse(href); err == nil {
				base = b
			}
		}
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			abs, ok := canonicalURL(base, href)
			if !ok {
				return
			}
			for _, re := range cs.src.Follow {
				if re.MatchString(abs) {
					out = append(out, target{url: abs, role: roleLink})
					return
				}
			}
		})
		return out
	},
}
