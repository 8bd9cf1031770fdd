package scraper

import (
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends/parse"
)

// hnSource crawls Hacker News "Ask HN: Who is hiring?" threads. Start URLs
// are thread item URLs (https://news.ycombinator.com/item?id=N). Every page
// is read by parse.HNThread; the crawl follows the page's a.morelink
// (Result.Next) only while the page brought at least one comment id not
// seen before: past the end HN repeats the last page under a new page
// number or shows the story with no comments, and neither may be followed
// further. No page is fetched twice.
var hnSource = sourceType{
	extract: func(_ role, pageURL string, doc *goquery.Document, fetched time.Time) (*parse.Result, error) {
		return parse.HNThread(doc, pageURL, fetched)
	},
	next: func(cs *crawlState, _ role, _ *goquery.Document, pageURL string, res *parse.Result) []target {
		fresh := cs.newItems(res.ItemIDs)
		switch {
		case res.Next == "":
			return nil
		case fresh == 0:
			cs.log.Debug("thread ends: page brought no new comment", "url", pageURL, "items", len(res.ItemIDs))
			return nil
		}
		return []target{{url: res.Next, role: roleNext}}
	},
}
