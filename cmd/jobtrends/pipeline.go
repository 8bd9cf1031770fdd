package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/internal/sink"
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
	out := sink.New(st, runID, enr)
	// Enrichment and the store writes run behind the crawler (see
	// internal/sink); at most 2×GOMAXPROCS pages are in flight.
	workers := runtime.GOMAXPROCS(0)
	out.Start(workers, 2*workers)
	defer out.Stop() //nolint:errcheck // flushed after every source; this only ends the goroutines
	opts := a.scrapeOptions(cfg, transport)
	opts.Revalidate = revalidate(ctx, st)
	crawler, err := scraper.New(opts)
	if err != nil {
		return &usageError{fmt.Errorf("crawl settings: %w", err)}
	}
	prog := a.progress("crawl")
	defer prog.done()
	out.OnPage = func(jobtrends.Page, []jobtrends.Posting) { prog.add(1) }
	var (
		all      []store.SourceStats
		failures []string
		parts    []string
		fatal    error
	)
	for _, sc := range cfg.Sources {
		src := sc.scraperSource()
		stats, err := crawler.Crawl(ctx, src, out)
		// Every page of the source stored before its counts are read.
		if ferr := out.Flush(); ferr != nil && err == nil {
			err = fmt.Errorf("scrape %s: sink: %w", sc.Name, ferr)
		}
		c := out.Counts(sc.Name)
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
