package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"
)

// Crawler crawls sources for one run. It holds the run's politeness state
// — robots.txt cache, per-host schedulers, hosts ended for the run — so
// that sources crawled by the same Crawler, one after the other or at the
// same time, share it: a host is asked for its robots.txt once and never
// gets two requests at once, whichever source asks. Create one per run;
// its methods are safe for concurrent use.
type Crawler struct {
	opt      Options
	f        *fetcher
	deadline time.Time    // end of the run budget; zero: none
	pages    atomic.Int64 // page requests made by the run
}

// New returns a Crawler for one run, or an error naming an invalid option.
func New(opt Options) (*Crawler, error) {
	o, err := opt.normalized()
	if err != nil {
		return nil, err
	}
	c := &Crawler{opt: o, f: newFetcher(o)}
	if o.RunBudget > 0 {
		c.deadline = time.Now().Add(o.RunBudget)
	}
	return c, nil
}

// spent reports whether the run's page or time budget is used up, and
// otherwise counts one more page.
func (c *Crawler) spent() (string, bool) {
	if !c.deadline.IsZero() && !time.Now().Before(c.deadline) {
		return fmt.Sprintf("run budget of %v spent", c.opt.RunBudget), true
	}
	if n := c.pages.Add(1); c.opt.MaxRunPages > 0 && n > int64(c.opt.MaxRunPages) {
		c.pages.Add(-1)
		return fmt.Sprintf("run limit of %d pages reached", c.opt.MaxRunPages), true
	}
	return "", false
}

// hostSpacing returns the spacing of requests to the host of a URL as
// known so far: max(Delay, the host's robots.txt Crawl-delay once read).
func (c *Crawler) hostSpacing(raw string) time.Duration {
	u, err := url.Parse(raw)
	if err != nil {
		return c.opt.Delay
	}
	key, err := hostKey(u)
	if err != nil {
		return c.opt.Delay
	}
	return max(c.opt.Delay, c.f.host(key).currentSpacing())
}

// pageFetcher is one source's Colly collector, used as a request engine:
// our frontier calls it one URL at a time and reads the response it
// captured.
type pageFetcher struct {
	col  *colly.Collector
	st   *sourceTransport
	resp *colly.Response
}

// newPageFetcher configures a Colly collector for one source, whose
// bodies may have at most maxBody bytes after decompression. Every
// setting is made in code after colly.NewCollector, which reads COLLY_*
// environment variables after its options; none of them may change how
// politely we crawl.
func (c *Crawler) newPageFetcher(ctx context.Context, allow map[string]bool, maxBody int64) *pageFetcher {
	st := &sourceTransport{f: c.f, allow: allow, n: &counters{}, maxBody: maxBody}
	col := colly.NewCollector()
	col.UserAgent = c.opt.UserAgent
	col.Headers = nil
	// Deliberate: robots.txt is obeyed by our fetch layer (robots.go) for
	// every request and redirect hop. Colly v2.3.0's own check treats a
	// 5xx robots.txt as allow-all and ignores Crawl-delay.
	col.IgnoreRobotsTxt = true
	// The fetch layer caps the body after decompression and fails the
	// page; Colly's cap would truncate silently (and its gzip path is
	// bypassed by the fetch layer, which returns decoded bodies).
	col.MaxBodySize = 0
	// Statuses are judged by the page layer, not turned into bare errors.
	col.ParseHTTPErrorResponse = true
	// Charset is decoded by the fetch layer (BOM, header, meta, detection).
	col.DetectCharset = false
	col.AllowURLRevisit = false
	col.Async = false
	col.CacheDir = ""
	col.MaxDepth = 0
	col.MaxRequests = 0
	col.CheckHead = false
	col.TraceHTTP = false
	// Exact host:port allow-listing is done by the transport and the
	// redirect policy; Colly's AllowedDomains compares host names only.
	col.AllowedDomains = nil
	col.DisallowedDomains = nil
	col.URLFilters = nil
	col.DisallowedURLFilters = nil
	col.Context = ctx
	col.SetClient(&http.Client{Transport: st}) // no cookie jar: no sessions, no cookies sent
	col.SetRedirectHandler(st.checkRedirect)
	p := &pageFetcher{col: col, st: st}
	col.OnResponse(func(r *colly.Response) { p.resp = r })
	return p
}

// fetch requests one URL and returns the response Colly saw, whatever its
// status. hdr are the request's headers.
func (p *pageFetcher) fetch(u string, hdr http.Header) (*colly.Response, error) {
	p.resp = nil
	if err := p.col.Request(http.MethodGet, u, nil, nil, hdr.Clone()); err != nil {
		return nil, unwrapURLError(err)
	}
	if p.resp == nil {
		return nil, errors.New("no response")
	}
	return p.resp, nil
}

// requestHeader returns the headers of a page request.
func (c *Crawler) requestHeader() http.Header {
	h := c.opt.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("User-Agent", c.opt.UserAgent)
	if h.Get("Accept") == "" {
		h.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	}
	return h
}

// newDocument parses an HTML body (already UTF-8) into the page's one
// goquery document. A page x/net/html refuses — nested deeper than 512
// open elements — is an error, never an empty document.
func newDocument(body []byte) (*goquery.Document, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	return doc, nil
}
