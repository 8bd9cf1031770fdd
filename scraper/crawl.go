package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gocolly/colly/v2"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
)

// maxErrors is how many page errors Stats keeps; beyond it one last error
// says how many more there were.
const maxErrors = 100

// Sink receives each parsed page. An error from it aborts the crawl of the
// source (e.g. the database failed) and Crawl returns it.
type Sink interface {
	Page(ctx context.Context, src Source, page jobtrends.Page, res *parse.Result) error
}

// ValidatorSink is a Sink that also keeps a page's HTTP validators, for
// the conditional requests of a later run (Options.Revalidate). Crawl
// calls Validators after Page when the response carried an ETag or a
// Last-Modified.
type ValidatorSink interface {
	Sink
	Validators(ctx context.Context, src Source, url, etag, lastModified string) error
}

// Stats is what the crawl of one source did.
type Stats struct {
	Source string
	// PagesFetched counts pages handed to the Sink: fetched, decoded and
	// parsed, including unchanged ones.
	PagesFetched int
	// PagesUnchanged counts pages answered 304 Not Modified and parsed from
	// the caller's copy (Options.Revalidate); they are in PagesFetched too.
	PagesUnchanged int
	// PagesFailed counts pages that could not be fetched, decoded or
	// parsed (each has an entry in Errors).
	PagesFailed int
	// RobotsBlocked counts URLs never requested because robots.txt
	// disallows them (or the host's robots.txt was unreachable).
	RobotsBlocked int
	// PagesSkipped counts URLs never requested because their host was
	// skipped for the run (Crawl-delay over the cap, deferred by
	// Retry-After, too many failures in a row).
	PagesSkipped int
	// Unvisited counts URLs found but not requested because the source's
	// MaxPages or the run's budget (Options.MaxRunPages, RunBudget) was
	// reached, or because the page that linked to them had more new links
	// than the source's MaxOutlinks (and no other page queued them).
	Unvisited int
	// Postings counts the postings handed to the Sink.
	Postings int
	// ItemsFailed counts postings a page listed but that could not be read
	// (an API job without id or title): the page's other postings are
	// handed on, each failed item has an entry in Errors.
	ItemsFailed int
	// Retries counts repeated attempts (408, 429, 5xx, network errors).
	Retries int
	// EncodingFallback counts pages whose text could not be decoded as
	// declared: a charset that lied (UTF-8 declared on bytes that are not
	// UTF-8) or was unknown, so that decoding fell back to the <meta>
	// declaration or to detection; bytes that are not UTF-8 and declared
	// nowhere (detection); invalid bytes replaced with U+FFFD. The text
	// handed on is valid UTF-8 either way; the count says which pages to
	// check. Pages answered 304 are parsed from the stored, already
	// decoded copy and are not counted.
	EncodingFallback int
	// Complete is true when every page the source led to was fetched and
	// parsed: nothing failed, blocked, skipped or left unvisited, no item
	// unreadable. Only a complete crawl may close postings that were not
	// seen.
	Complete bool
	// Errors names the URL and cause of each failed or skipped page.
	Errors []error
}

func (s *Stats) addError(err error) {
	switch {
	case len(s.Errors) < maxErrors:
		s.Errors = append(s.Errors, err)
	case len(s.Errors) == maxErrors:
		s.Errors = append(s.Errors, fmt.Errorf("scrape %s: more errors not kept", s.Source))
	}
}

// crawlState is one source's crawl: its frontier, and what the rules of
// its type keep between pages.
type crawlState struct {
	c     *Crawler
	ctx   context.Context
	src   Source
	log   *slog.Logger
	allow map[string]bool
	f     Frontier
	max   int // pages that may be admitted
	taken int // pages requested
	added int // pages this crawl admitted to the frontier
	over  int // URLs dropped because of max
	// maxOut is the most new links one page adds to the frontier; capped
	// holds the pageKey of each link dropped by it and not queued since
	// by another page (of this process).
	maxOut int
	capped map[string]bool
	hn     *hnState // thread discovery of an hn source; nil otherwise
	err    error    // first error of the frontier; ends the crawl
}

// fail records the frontier's first error.
func (cs *crawlState) fail(err error) {
	if cs.err == nil {
		cs.err = fmt.Errorf("scrape %s: %w", cs.src.Name, err)
	}
}

// newItems records ids and returns how many were not seen before.
func (cs *crawlState) newItems(ids []string) int {
	n, err := cs.f.NewItems(cs.ctx, cs.src.Name, ids)
	if err != nil {
		cs.fail(err)
		return len(ids)
	}
	return n
}

// queued returns how many pages the frontier holds.
func (cs *crawlState) queued() int {
	n, err := cs.f.Len(cs.ctx)
	if err != nil {
		cs.fail(err)
	}
	return n
}

// pageKey is the identity of a page in the crawl's seen-set:
// jobtrends.CanonicalURL, the same key a posting known by its URL is
// stored under, so /jobs/1, /jobs/1/ and /jobs/1?utm_source=x are one
// page, fetched once.
func pageKey(u *url.URL) string { return jobtrends.CanonicalURL(u) }

// push queues URLs, each unless it is off the source's hosts, already
// queued or visited (by pageKey), or over the page budget; at the front
// of the queue (in their order) when front is set. A URL is requested as
// it was found (canonicalURL: absolute, no fragment).
//
// from is the page whose links ts are ("" for the start URLs and for HN
// threads found by discovery): of its links, only the first maxOut that
// are new to the crawl are taken. The others are not queued, and count as
// unvisited (the crawl is not complete) unless another page queues them;
// the page is logged once with how many it lost.
func (cs *crawlState) push(ts []target, front bool, from string) {
	var cands []Entry
	for _, t := range ts {
		abs, ok := canonicalURL(nil, t.url)
		if !ok {
			cs.log.Debug("link dropped: not an absolute http(s) URL of at most MaxURLBytes", "url", logURL(t.url), "bytes", len(t.url))
			continue
		}
		u, _ := url.Parse(abs)
		if _, err := allowedKey(u, cs.allow); err != nil {
			cs.log.Debug("link dropped: not one of the source's hosts", "url", abs)
			continue
		}
		cands = append(cands, Entry{Source: cs.src.Name, URL: abs, Key: pageKey(u), Role: int(t.role)})
	}
	if len(cands) == 0 {
		return
	}
	keys := make([]string, len(cands))
	for i, e := range cands {
		keys[i] = e.Key
	}
	seen, err := cs.f.Seen(cs.ctx, cs.src.Name, keys)
	if err != nil {
		cs.fail(err)
		return
	}
	var add []Entry
	batch := map[string]bool{}
	fresh, dropped := 0, 0
	for i, e := range cands {
		if seen[i] || batch[e.Key] {
			continue
		}
		if from != "" {
			if fresh >= cs.maxOut {
				cs.capped[e.Key] = true
				dropped++
				continue
			}
			fresh++
		}
		batch[e.Key] = true
		delete(cs.capped, e.Key)
		add = append(add, e)
	}
	if dropped > 0 {
		cs.log.Warn("page has more links than max_outlinks; the rest are not followed",
			"url", from, "max_outlinks", cs.maxOut, "dropped", dropped)
	}
	if len(add) == 0 {
		return
	}
	added, over, err := cs.f.Add(cs.ctx, cs.src.Name, cs.max, front, add)
	if err != nil {
		cs.fail(err)
	}
	cs.added += added
	cs.over += over
}

// Crawl crawls one source with a Crawler of its own (see New and
// Crawler.Crawl; a run of several sources should share one Crawler).
func Crawl(ctx context.Context, src Source, opt Options, sink Sink) (Stats, error) {
	c, err := New(opt)
	if err != nil {
		return Stats{Source: src.Name}, err
	}
	return c.Crawl(ctx, src, sink)
}

// Crawl crawls one source: its start URLs, then the pages they lead to by
// the rules of the source's type, one page at a time, never one twice, at
// most MaxPages, only on the hosts of the start URLs. Each page is parsed
// once (one goquery document) and handed to sink with its postings, whose
// Source is set to src.Name.
//
// Page failures do not stop the crawl: they are counted in Stats, with an
// error naming the URL and the cause. Crawl returns an error only when the
// crawl could not run or was cut short: an invalid source, an error from
// the sink, or ctx cancelled — with the Stats so far.
func (c *Crawler) Crawl(ctx context.Context, src Source, sink Sink) (stats Stats, err error) {
	stats = Stats{Source: src.Name}
	typ, starts, allow, err := src.validate()
	if err != nil {
		return stats, err
	}
	cs := &crawlState{
		c:      c,
		src:    src,
		log:    c.opt.Logger.With("source", src.Name),
		allow:  allow,
		f:      NewMemFrontier(),
		ctx:    ctx,
		max:    src.MaxPages,
		maxOut: src.MaxOutlinks,
		capped: make(map[string]bool),
	}
	if cs.max == 0 {
		cs.max = DefaultMaxPages
	}
	if cs.maxOut == 0 {
		cs.maxOut = DefaultMaxOutlinks
	}
	if typ.begin != nil {
		starts = typ.begin(cs, starts)
	}
	cs.push(starts, false, "")
	maxBody := c.opt.MaxBody
	if typ.json {
		maxBody = c.opt.MaxAPIBody
	}
	pf := c.newPageFetcher(ctx, allow, maxBody)
	defer func() {
		stats.Retries = int(pf.st.n.retries.Load())
		stats.EncodingFallback = int(pf.st.n.encodingFallbacks.Load())
		stats.Unvisited = cs.over + cs.queued() + len(cs.capped) + cs.hn.unreleased()
		stats.Complete = stats.PagesFailed == 0 && stats.RobotsBlocked == 0 &&
			stats.PagesSkipped == 0 && stats.Unvisited == 0 && stats.ItemsFailed == 0
		if stats.Unvisited > 0 {
			cs.log.Warn("crawl left pages unvisited", "unvisited", stats.Unvisited, "max_pages", cs.max, "max_outlinks", cs.maxOut)
		}
	}()
	// One request ahead: while a page is parsed and handed on, the next
	// entry's request is made (the same single request at a time, in the
	// same order; only the parse overlaps it). Not for depth-first
	// sources, whose next entry is only known once the page is read.
	var ahead *pendingFetch
	// spent says whether the run's budget is used up; if so, the entry
	// just taken is left unvisited and the crawl stops.
	stopped := false
	spent := func() bool {
		why, spent := c.spent()
		if spent {
			cs.log.Warn("crawl stopped: "+why, "unvisited", cs.queued()+1)
			cs.over++ // the entry taken, not visited
			stopped = true
		}
		return spent
	}
	defer func() {
		if ahead != nil {
			<-ahead.done // the request in flight, not visited
			cs.over++
		}
	}()
	for {
		var (
			t       Entry
			pending *pendingFetch
		)
		if ahead != nil {
			t, pending, ahead = ahead.entry, ahead, nil
		} else {
			if stopped {
				break
			}
			var err error
			t, err = cs.f.Take(ctx)
			if errors.Is(err, ErrFrontierDone) && typ.idle != nil {
				cs.push(typ.idle(cs), false, "")
				t, err = cs.f.Take(ctx)
			}
			if errors.Is(err, ErrFrontierDone) {
				break
			}
			if err != nil {
				return stats, fmt.Errorf("scrape %s: %w", src.Name, err)
			}
			if err := ctx.Err(); err != nil {
				return stats, fmt.Errorf("scrape %s: %w", src.Name, err)
			}
			if spent() {
				break
			}
			pending = c.request(pf, typ, t)
		}
		cs.taken++
		<-pending.done
		if !typ.depthFirst && ctx.Err() == nil {
			if next, err := cs.f.Take(ctx); err == nil && !spent() {
				ahead = c.request(pf, typ, next)
			}
		}
		tg := target{url: t.URL, role: role(t.Role)}
		if err := c.visitFetched(ctx, cs, typ, tg, pending.fetchResult, &stats, sink); err != nil {
			return stats, err
		}
		if err := cs.f.Ack(ctx, t); err != nil {
			cs.fail(err)
		}
		if cs.err != nil {
			return stats, cs.err
		}
	}
	return stats, cs.err
}

// fetchResult is what the request of one page gave.
type fetchResult struct {
	resp   *colly.Response
	cached *Cached // the stored page a conditional request revalidates
	err    error
}

// pendingFetch is the request of one entry, made on a goroutine of its
// own; done is closed when it is over.
type pendingFetch struct {
	fetchResult
	entry Entry
	done  chan struct{}
}

// request starts the request of entry e. The caller waits for done before
// the next request of pf.
func (c *Crawler) request(pf *pageFetcher, typ *sourceType, e Entry) *pendingFetch {
	p := &pendingFetch{entry: e, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.fetchResult = c.fetchPage(pf, typ, e.URL)
	}()
	return p
}

// visit fetches, parses and hands on one page, and queues what it leads
// to. Only a sink error or cancellation is returned; page failures are
// recorded in stats.
func (c *Crawler) visit(ctx context.Context, pf *pageFetcher, cs *crawlState, typ *sourceType, t target, stats *Stats, sink Sink) error {
	return c.visitFetched(ctx, cs, typ, t, c.fetchPage(pf, typ, t.url), stats, sink)
}

// fetchPage makes the request of one page: conditional when the store
// holds a version of it with validators.
func (c *Crawler) fetchPage(pf *pageFetcher, typ *sourceType, u string) fetchResult {
	hdr := c.requestHeader()
	if typ.json {
		hdr.Set("Accept", "application/json, */*;q=0.5")
	}
	var cached *Cached
	if c.opt.Revalidate != nil {
		if held, ok := c.opt.Revalidate(u); ok && len(held.Body) > 0 && (held.ETag != "" || held.LastModified != "") {
			cached = &held
			if held.ETag != "" {
				hdr.Set("If-None-Match", held.ETag)
			}
			if held.LastModified != "" {
				hdr.Set("If-Modified-Since", held.LastModified)
			}
		}
	}
	resp, err := pf.fetch(u, hdr)
	return fetchResult{resp: resp, cached: cached, err: err}
}

// visitFetched is visit once the page's request is over.
func (c *Crawler) visitFetched(ctx context.Context, cs *crawlState, typ *sourceType, t target, fr fetchResult, stats *Stats, sink Sink) error {
	src := cs.src
	fail := func(err error) {
		stats.PagesFailed++
		err = fmt.Errorf("scrape %s %s: %w", src.Name, t.url, err)
		stats.addError(err)
		cs.log.Debug("page failed", "url", t.url, "err", err) // returned in Stats.Errors
	}
	resp, cached, err := fr.resp, fr.cached, fr.err
	if err != nil {
		var visited *colly.AlreadyVisitedError
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("scrape %s: %w", src.Name, ctx.Err())
		case errors.As(err, &visited):
			cs.log.Debug("already visited", "url", t.url)
		case errors.Is(err, ErrForbiddenURL), errors.Is(err, ErrForbiddenAddress):
			fail(err)
		case errors.Is(err, ErrRobotsBlocked):
			stats.RobotsBlocked++
			cs.log.Debug("blocked by robots.txt", "url", t.url, "reason", err.Error())
		case errors.Is(err, ErrHostSkipped):
			stats.PagesSkipped++
			stats.addError(fmt.Errorf("scrape %s %s: %w", src.Name, t.url, err))
			cs.log.Debug("page skipped", "url", t.url, "reason", err.Error())
		default:
			fail(err)
		}
		return nil
	}

	final := resp.Request.URL.String()
	if err := cs.f.See(ctx, src.Name, pageKey(resp.Request.URL)); err != nil {
		cs.fail(err)
	}
	status, body, ctype := resp.StatusCode, resp.Body, resp.Headers.Get("Content-Type")
	unchanged := false
	switch {
	case status == http.StatusNotModified && cached != nil:
		unchanged = true
		body, ctype = cached.Body, cached.ContentType
		if ctype == "" {
			ctype = "text/html; charset=utf-8"
			if typ.json {
				ctype = "application/json; charset=utf-8"
			}
		}
	case status >= 200 && status < 300:
	default:
		fail(fmt.Errorf("%w: %s", ErrBadStatus, statusText(status)))
		return nil
	}
	notPage := ErrNotHTML
	if typ.json {
		notPage = ErrNotJSON
	}
	mt, _, _ := mime.ParseMediaType(ctype)
	if ok := (typ.json && isJSONType(mt)) || (!typ.json && (mt == "text/html" || mt == "application/xhtml+xml")); !ok {
		fail(fmt.Errorf("%w: content type %q", notPage, ctype))
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		fail(fmt.Errorf("%w: empty body", notPage))
		return nil
	}
	if bytes.IndexByte(body[:min(len(body), prescanLen)], 0) >= 0 {
		fail(fmt.Errorf("%w: binary body served as %q", notPage, ctype))
		return nil
	}
	fp := &fetchedPage{role: t.role, url: final, body: body, fetched: c.opt.Now().UTC()}
	if !typ.json {
		doc, err := newDocument(body)
		if err != nil {
			fail(err)
			return nil
		}
		fp.doc = doc
	}
	fetched := fp.fetched
	res, err := typ.extract(cs, fp)
	if err != nil {
		items := itemErrors(err)
		if res == nil || items == nil || len(res.Postings) == 0 {
			fail(err)
			return nil
		}
		// Some items of the page could not be read; the others are
		// postings like any. (A page none of whose items could be read
		// fails, as any page that yields nothing but errors.)
		stats.ItemsFailed += len(items)
		for _, e := range items {
			stats.addError(fmt.Errorf("scrape %s %s: %w", src.Name, t.url, e))
		}
	}
	for i := range res.Postings {
		res.Postings[i].Source = src.Name
	}
	page := jobtrends.Page{URL: final, Source: src.Name, Fetched: fetched, Status: status, ContentType: ctype, Body: body}
	if err := sink.Page(ctx, src, page, res); err != nil {
		return fmt.Errorf("scrape %s %s: sink: %w", src.Name, final, err)
	}
	if vs, ok := sink.(ValidatorSink); ok && !unchanged {
		etag, lm := resp.Headers.Get("ETag"), resp.Headers.Get("Last-Modified")
		if etag != "" || lm != "" {
			if err := vs.Validators(ctx, src, final, etag, lm); err != nil {
				return fmt.Errorf("scrape %s %s: sink validators: %w", src.Name, final, err)
			}
		}
	}
	stats.PagesFetched++
	if unchanged {
		stats.PagesUnchanged++
	}
	stats.Postings += len(res.Postings)
	cs.log.Debug("page", "url", final, "status", status, "postings", len(res.Postings))
	cs.push(typ.next(cs, fp, res), typ.depthFirst, final)
	return nil
}

// itemErrors returns the errors err joins when every one of them is a
// failure to read one item of a page (a *parse.ParseError naming an
// Item), or nil when any of them concerns the page itself.
func itemErrors(err error) []error {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	if len(errs) == 0 {
		return nil
	}
	for _, e := range errs {
		var pe *parse.ParseError
		if !errors.As(e, &pe) || pe.Item == "" {
			return nil
		}
	}
	return errs
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("status %d %s", code, strings.ToLower(t))
	}
	return fmt.Sprintf("status %d", code)
}

// logURL is u for a log line, cut to its first 200 bytes (a hostile page's
// link may be megabytes long).
func logURL(u string) string {
	if len(u) <= 200 {
		return u
	}
	return strings.ToValidUTF8(u[:200], "") + "…"
}
