package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/internal/sink"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

// defaultVisibilityTimeout is how long a page taken by a worker that
// stops answering stays with it before another worker gets it (a live
// worker touches its page every third of it).
const defaultVisibilityTimeout = time.Minute

// sharedScrape is what `jobtrends scrape --seed` and `--worker` were
// asked to do.
type sharedScrape struct {
	seed, work bool
	vt         time.Duration // visibility timeout of the frontier
	prefix     string        // of the frontier's keys
}

// scrapeShared seeds a new crawl into the config's shared frontier
// (--seed), then, with --worker, works on the crawl until it is done: it
// takes pages from the frontier, fetches them with politeness shared
// through Redis, and stores pages and postings through the same sink as
// `jobtrends scrape`, in a run row of its own. A worker takes no run lock
// (several write one database) and never closes postings (no worker sees
// a whole listing).
func (a *app) scrapeShared(ctx context.Context, cfg *Config, sh sharedScrape, transport http.RoundTripper) error {
	if cfg.Frontier == "" {
		return &usageError{fmt.Errorf("scrape --seed/--worker: %s has no frontier: key (the Redis of the shared crawl, e.g. frontier: redis://127.0.0.1:6379/0)", cfg.file)}
	}
	if sh.vt <= 0 {
		return usageErrorf("scrape: --visibility-timeout %v must be positive", sh.vt)
	}
	opts := a.scrapeOptions(cfg, transport)
	var sources []scraper.Source
	for _, sc := range cfg.Sources {
		sources = append(sources, sc.scraperSource())
	}
	f, err := scraper.OpenRedisFrontier(ctx, cfg.Frontier, scraper.RedisOptions{
		Prefix:            sh.prefix,
		VisibilityTimeout: sh.vt,
		// A lease outlives one attempt (bounded by the timeout) only when
		// its holder died.
		LeaseTTL: cfg.Crawl.Timeout.Duration + 2*time.Second,
		Logger:   a.log,
	})
	if err != nil {
		return err
	}
	defer f.Close()
	if sh.seed {
		seeder, err := scraper.New(opts)
		if err != nil {
			return &usageError{fmt.Errorf("crawl settings: %w", err)}
		}
		if err := f.NewCrawl(ctx); err != nil {
			return err
		}
		n, err := seeder.Seed(ctx, f, sources)
		if err != nil {
			return err
		}
		a.log.Info("crawl seeded", "crawl", f.Crawl(), "start_pages", n, "sources", len(sources))
	}
	if !sh.work {
		return nil
	}
	if f.Crawl() == "" {
		return usageErrorf("scrape --worker: frontier %s has no crawl yet: start one with jobtrends scrape --seed", jobtrends.RedactURL(cfg.Frontier))
	}
	return a.withStore(ctx, cfg.Database, false, func(st *store.Store) error {
		return a.work(ctx, cfg, st, f, sources, opts)
	})
}

// work is one worker's run: a run row, the shared crawl until it is done,
// the run row finished with this worker's counts.
func (a *app) work(ctx context.Context, cfg *Config, st *store.Store, f *scraper.RedisFrontier, sources []scraper.Source, opts scraper.Options) error {
	enr, err := newEnricher(cfg)
	if err != nil {
		return err
	}
	started := a.now()
	runID, err := st.StartWorkerRun(ctx, started)
	if err != nil {
		return err
	}
	// Not Started: Page stores the page before it returns, and the
	// frontier acknowledges a page only after that, so a worker killed
	// after the ack has lost nothing. A pipelined sink would ack pages
	// still in its queue.
	out := sink.New(st, runID, enr)
	opts.Revalidate = revalidate(ctx, st)
	opts.HostGate = f
	opts.RobotsCache = f
	crawler, err := scraper.New(opts)
	if err != nil {
		return &usageError{fmt.Errorf("crawl settings: %w", err)}
	}
	prog := a.progress("worker")
	out.OnPage = func(jobtrends.Page, []jobtrends.Posting) { prog.add(1) }
	a.log.Info("worker started", "run", runID, "crawl", f.Crawl(), "frontier", jobtrends.RedactURL(cfg.Frontier))
	stats, workErr := crawler.Work(ctx, f, sources, out, scraper.WorkOptions{Poll: min(scraper.DefaultPoll, f.VisibilityTimeout()/4)})
	prog.done()

	var (
		all      []store.SourceStats
		failures []string
		parts    []string
		pages    int
	)
	for _, src := range sources {
		s := stats[src.Name]
		if s == nil {
			s = &scraper.Stats{Source: src.Name}
		}
		c := out.Counts(src.Name)
		pages += s.PagesFetched
		// Complete stays false: a worker saw part of the crawl, so its run
		// must never close postings nor count as a complete crawl.
		all = append(all, store.SourceStats{
			Source: src.Name, PagesFetched: s.PagesFetched, PagesFailed: s.PagesFailed,
			RobotsBlocked: s.RobotsBlocked, PagesSkipped: s.PagesSkipped, EncodingFallback: s.EncodingFallback,
			New: c.New, Updated: c.Updated, Unchanged: c.Unchanged,
		})
		for _, e := range s.Errors {
			if errors.Is(e, scraper.ErrHostSkipped) {
				a.log.Warn("page skipped", "source", src.Name, "err", e)
			} else {
				a.log.Error("page failed", "source", src.Name, "err", e)
			}
		}
		if s.PagesFailed > 0 {
			failures = append(failures, fmt.Sprintf("%s: %d of %d pages failed", src.Name, s.PagesFailed, s.PagesFetched+s.PagesFailed))
		}
		if s.PagesFetched+s.PagesFailed > 0 {
			parts = append(parts, fmt.Sprintf("%s %d pages (%d failed, %d blocked by robots, %d encoding fallbacks) %d postings (%d new, %d updated)",
				src.Name, s.PagesFetched, s.PagesFailed, s.RobotsBlocked, s.EncodingFallback, s.Postings, c.New, c.Updated))
		}
	}
	sort.Strings(parts)
	status, errText := store.StatusPartial, strings.Join(failures, "; ")
	if workErr != nil {
		status = store.StatusFailed
		errText = strings.TrimPrefix(errText+"; "+workErr.Error(), "; ")
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := st.FinishRun(fctx, runID, a.now(), status, errText, all); err != nil {
		return err
	}
	a.log.Info("worker done", "run", runID, "crawl", f.Crawl(), "pages", pages,
		"took", a.now().Sub(started).Round(time.Millisecond).String(), "sources", strings.Join(parts, "; "))
	switch {
	case workErr != nil:
		return workErr
	case len(failures) > 0:
		return &runFailedError{"worker: " + errText}
	}
	return nil
}
