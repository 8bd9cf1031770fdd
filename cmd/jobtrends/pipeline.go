package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

// newEnricher builds the enrichment step from the config's salary settings.
func newEnricher(cfg *Config) (*parse.Enricher, error) {
	e := parse.NewEnricher()
	c := cfg.classifier
	if c == nil {
		var err error
		if c, err = parse.NewClassifier(cfg.Classify.rules()); err != nil {
			return nil, &ConfigError{File: cfg.file, Line: cfg.lines["classify"], Key: "classify", Msg: err.Error()}
		}
	}
	e.Classifier = c
	n := e.Normalizer
	for k, v := range cfg.Salary.Multipliers {
		n.Multipliers[jobtrends.Period(k)] = v
	}
	for k, v := range cfg.Salary.USDRates {
		n.USDRates[k] = v
	}
	if cfg.Salary.RatesDate != "" {
		n.RatesDate = cfg.Salary.RatesDate
	}
	return e, nil
}

// storeSink enriches each parsed page's postings and stores the page and
// its postings in one transaction. Without a pipeline (pipe nil) Page does
// both before it returns, on the crawler's goroutine; after start, Page
// hands the page to a sinkPipeline and returns at once (see there), and
// flush waits for what was handed on.
type storeSink struct {
	st    *store.Store
	runID int64
	enr   *parse.Enricher

	mu     sync.Mutex
	counts map[string]*store.PageCounts
	onPage func(n int)

	pipe *sinkPipeline
}

func (s *storeSink) Page(ctx context.Context, src scraper.Source, page jobtrends.Page, res *parse.Result) error {
	if s.pipe != nil {
		return s.pipe.page(ctx, src, page, res)
	}
	for i := range res.Postings {
		res.Postings[i].Source = src.Name
	}
	s.enr.Postings(res.Postings)
	return s.save(ctx, src, page, res.Postings)
}

// save stores one enriched page and counts what it did.
func (s *storeSink) save(ctx context.Context, src scraper.Source, page jobtrends.Page, ps []jobtrends.Posting) error {
	page.Source = src.Name
	c, err := s.st.SavePage(ctx, s.runID, page, ps)
	if err != nil {
		return fmt.Errorf("store page %s: %w", page.URL, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.counts[src.Name]
	if t == nil {
		t = &store.PageCounts{}
		s.counts[src.Name] = t
	}
	t.New += c.New
	t.Updated += c.Updated
	t.Unchanged += c.Unchanged
	if s.onPage != nil {
		s.onPage(1)
	}
	return nil
}

// sinkPipeline runs enrichment and the store writes behind the crawler:
// the crawler's goroutine fetches and parses, a pool of workers enriches
// pages, and one goroutine stores them, each page in its own transaction,
// in the order the crawler handed them on. The queues are bounded, so the
// memory held is that of the pages in flight (at most depth), never of the
// crawl. The first store error is returned by the next Page, which aborts
// the source as an error of Page always did, and by flush; pages handed on
// after the failing one are not stored.
type sinkPipeline struct {
	s       *storeSink
	enrichQ chan *sinkJob
	storeQ  chan *sinkJob
	done    sync.WaitGroup

	mu  sync.Mutex
	err error // the first error since the last flush
}

// sinkJob is one page (or one page's validators, or a flush barrier) in
// the pipeline.
type sinkJob struct {
	ctx      context.Context
	src      scraper.Source
	page     jobtrends.Page
	postings []jobtrends.Posting
	enriched chan struct{} // closed once postings are enriched; nil: nothing to enrich

	validators    bool
	etag, lastMod string

	flushed chan error // a barrier: receives the error since the last flush
}

// start gives s a pipeline of workers enrichment workers and depth pages
// in flight; stop ends it.
func (s *storeSink) start(workers, depth int) {
	p := &sinkPipeline{
		s:       s,
		enrichQ: make(chan *sinkJob, depth),
		storeQ:  make(chan *sinkJob, depth),
	}
	for range workers {
		p.done.Add(1)
		go func() {
			defer p.done.Done()
			for j := range p.enrichQ {
				for i := range j.postings {
					s.enr.Posting(&j.postings[i])
				}
				close(j.enriched)
			}
		}()
	}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		for j := range p.storeQ {
			if j.enriched != nil {
				<-j.enriched
			}
			switch {
			case j.flushed != nil:
				p.mu.Lock()
				j.flushed <- p.err
				p.err = nil
				p.mu.Unlock()
			case p.failed() != nil:
				// The source is aborted: what it handed on after the
				// failing page is dropped, as if never fetched.
			case j.validators:
				p.fail(s.st.SetValidators(j.ctx, j.page.URL, j.etag, j.lastMod))
			default:
				p.fail(s.save(j.ctx, j.src, j.page, j.postings))
			}
		}
	}()
	s.pipe = p
}

// stop waits for every page handed on and ends the pipeline; it returns
// the first error since the last flush.
func (s *storeSink) stop() error {
	if s.pipe == nil {
		return nil
	}
	err := s.flush()
	close(s.pipe.enrichQ)
	close(s.pipe.storeQ)
	s.pipe.done.Wait()
	s.pipe = nil
	return err
}

// flush waits until every page handed on so far is stored (or dropped) and
// returns the first error since the last flush.
func (s *storeSink) flush() error {
	if s.pipe == nil {
		return nil
	}
	j := &sinkJob{flushed: make(chan error, 1)}
	s.pipe.storeQ <- j
	return <-j.flushed
}

func (p *sinkPipeline) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *sinkPipeline) fail(err error) {
	if err == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = err
	}
}

// page hands one page on. The postings are copied: the crawler still
// reads res (links to follow) while a worker enriches them.
func (p *sinkPipeline) page(ctx context.Context, src scraper.Source, page jobtrends.Page, res *parse.Result) error {
	if err := p.failed(); err != nil {
		return err
	}
	ps := slices.Clone(res.Postings)
	for i := range ps {
		ps[i].Source = src.Name
	}
	j := &sinkJob{ctx: ctx, src: src, page: page, postings: ps, enriched: make(chan struct{})}
	// Into the store queue first: it fixes the order of the writes.
	p.storeQ <- j
	p.enrichQ <- j
	return nil
}

// Validators keeps a page's ETag / Last-Modified for the next run's
// conditional request.
func (s *storeSink) Validators(ctx context.Context, src scraper.Source, url, etag, lastModified string) error {
	if s.pipe != nil {
		// After the page, in the store's order.
		if err := s.pipe.failed(); err != nil {
			return err
		}
		s.pipe.storeQ <- &sinkJob{ctx: ctx, src: src, page: jobtrends.Page{URL: url}, validators: true, etag: etag, lastMod: lastModified}
		return nil
	}
	return s.st.SetValidators(ctx, url, etag, lastModified)
}

var _ scraper.ValidatorSink = (*storeSink)(nil)

// scrapeOptions turns the crawl config into scraper options.
func (a *app) scrapeOptions(cfg *Config, transport http.RoundTripper) scraper.Options {
	o := scraper.Options{
		UserAgent:     cfg.Crawl.UserAgent,
		Delay:         cfg.Crawl.Delay.Duration,
		Timeout:       cfg.Crawl.Timeout.Duration,
		MaxBody:       int64(cfg.Crawl.MaxBody),
		MaxAPIBody:    int64(cfg.Crawl.MaxAPIBody),
		AllowPrivate:  cfg.Crawl.AllowPrivate,
		CrawlDelayCap: cfg.Crawl.CrawlDelayCap.Duration,
		Transport:     transport,
		Logger:        a.log,
		Now:           a.now,
	}
	if cfg.Crawl.AllowPrivate && o.Delay < time.Second {
		// Config validation allows sub-second spacing only together with
		// allow_private (local test and benchmark servers): lower the
		// scraper's 1 s floor to match, keeping a non-zero spacing.
		o.Delay = max(o.Delay, time.Nanosecond)
		o.MinDelay = o.Delay
	}
	return o
}

// revalidate answers the scraper's question "what do we hold of this URL"
// from the stored raw pages, so that unchanged pages cost a 304.
func revalidate(ctx context.Context, st *store.Store) func(string) (scraper.Cached, bool) {
	return func(url string) (scraper.Cached, bool) {
		etag, lm, err := st.Validators(ctx, url)
		if err != nil || (etag == "" && lm == "") {
			return scraper.Cached{}, false
		}
		page, ok, err := st.LatestPage(ctx, url)
		if err != nil || !ok {
			return scraper.Cached{}, false
		}
		return scraper.Cached{ETag: etag, LastModified: lm, ContentType: page.ContentType, Body: page.Body}, true
	}
}

// scrape crawls every configured source into st as one run. It returns a
// runFailedError when any source or page failed.
func (a *app) scrape(ctx context.Context, cfg *Config, st *store.Store, transport http.RoundTripper) error {
	enr, err := newEnricher(cfg)
	if err != nil {
		return err
	}
	started := a.now()
	runID, err := st.StartRun(ctx, started)
	if err != nil {
		return err
	}
	sink := &storeSink{st: st, runID: runID, enr: enr, counts: map[string]*store.PageCounts{}}
	// Enrichment and the store writes run behind the crawler (see
	// sinkPipeline); at most 2×GOMAXPROCS pages are in flight.
	workers := runtime.GOMAXPROCS(0)
	sink.start(workers, 2*workers)
	defer sink.stop() //nolint:errcheck // flushed after every source; this only ends the goroutines
	opts := a.scrapeOptions(cfg, transport)
	opts.Revalidate = revalidate(ctx, st)
	crawler, err := scraper.New(opts)
	if err != nil {
		return &usageError{fmt.Errorf("crawl settings: %w", err)}
	}
	prog := a.progress("crawl")
	defer prog.done()
	sink.onPage = prog.add
	var (
		all      []store.SourceStats
		failures []string
		parts    []string
		fatal    error
	)
	for _, sc := range cfg.Sources {
		src := sc.scraperSource()
		stats, err := crawler.Crawl(ctx, src, sink)
		// Every page of the source stored before its counts are read.
		if ferr := sink.flush(); ferr != nil && err == nil {
			err = fmt.Errorf("scrape %s: sink: %w", sc.Name, ferr)
		}
		c := sink.counts[sc.Name]
		if c == nil {
			c = &store.PageCounts{}
		}
		ss := store.SourceStats{
			Source: sc.Name, PagesFetched: stats.PagesFetched, PagesFailed: stats.PagesFailed,
			RobotsBlocked: stats.RobotsBlocked, PagesSkipped: stats.PagesSkipped,
			EncodingFallback: stats.EncodingFallback,
			New:              c.New, Updated: c.Updated, Unchanged: c.Unchanged,
			Complete: err == nil && stats.Complete,
		}
		drop := ""
		if err == nil && stats.Postings == 0 && stats.PagesSkipped == 0 {
			if last, ok, lerr := st.LastRunWithPostings(ctx, sc.Name); lerr == nil && ok {
				prev, _ := last.Source(sc.Name)
				drop = fmt.Sprintf("returned no postings; run %d returned %d (selector drift, a changed page, or blocked?)",
					last.ID, prev.New+prev.Updated+prev.Unchanged)
				ss.Complete = false
			}
		}
		if ss.Complete && sc.Type != "hn" && stats.Postings > 0 {
			// HN comments are history, not open jobs: nothing to close.
			closed, cerr := st.CloseMissing(ctx, runID, sc.Name, cfg.Lifecycle.CloseAfter, a.now())
			if cerr != nil {
				err = cerr
			}
			ss.Closed = closed
		}
		all = append(all, ss)
		for _, e := range stats.Errors {
			if errors.Is(e, scraper.ErrHostSkipped) {
				// Deferred (Retry-After over the cap, Crawl-delay over the
				// cap, host ended): polite, not a failure of this run.
				a.log.Warn("page skipped", "source", sc.Name, "err", e)
			} else {
				a.log.Error("page failed", "source", sc.Name, "err", e)
			}
		}
		switch {
		case err != nil:
			a.log.Error("source failed", "source", sc.Name, "err", err)
			failures = append(failures, fmt.Sprintf("%s: %v", sc.Name, err))
			if ctx.Err() != nil {
				fatal = ctx.Err()
			}
		case drop != "":
			a.log.Error("source dropped to zero", "source", sc.Name, "detail", drop)
			failures = append(failures, fmt.Sprintf("%s: %s", sc.Name, drop))
		case stats.PagesFailed > 0:
			failures = append(failures, fmt.Sprintf("%s: %d of %d pages failed", sc.Name, stats.PagesFailed, stats.PagesFetched+stats.PagesFailed))
		}
		parts = append(parts, fmt.Sprintf("%s %d pages (%d failed, %d blocked by robots, %d encoding fallbacks) %d postings (%d new, %d updated)",
			sc.Name, stats.PagesFetched, stats.PagesFailed, stats.RobotsBlocked, stats.EncodingFallback, stats.Postings, c.New, c.Updated))
		if fatal != nil {
			break
		}
	}
	status, errText := store.StatusOK, ""
	for _, ss := range all {
		if !ss.Complete {
			status = store.StatusPartial // e.g. a host deferred to the next run
		}
	}
	if len(failures) > 0 {
		status, errText = store.StatusPartial, strings.Join(failures, "; ")
	}
	if fatal != nil {
		status = store.StatusFailed
	}
	// Record the run even when the context was cancelled.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := st.FinishRun(fctx, runID, a.now(), status, errText, all); err != nil {
		return err
	}
	a.log.Info("run "+status, "run", runID, "took", a.now().Sub(started).Round(time.Millisecond).String(), "sources", strings.Join(parts, "; "))
	if fatal != nil {
		return fatal
	}
	if len(failures) > 0 {
		return &runFailedError{"run failed: " + errText}
	}
	return nil
}
