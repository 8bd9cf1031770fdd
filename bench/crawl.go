package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

// benchUA is the User-Agent of the benchmark crawl.
const benchUA = "jobtrends/bench (+https://github.com/jobtrends/jobtrends)"

// storeSink is the CLI's sink, copied from cmd/jobtrends/pipeline.go (a
// main package): each page's postings enriched, then the page and its
// postings saved in one transaction, behind the crawler once started. With
// enr nil it stores the postings as extracted, to show what enrichment
// costs. Without a pipeline (pipe nil) Page does
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
	bytes  int64
	posts  int

	pipe *sinkPipeline
}

func (s *storeSink) Page(ctx context.Context, src scraper.Source, page jobtrends.Page, res *parse.Result) error {
	if s.pipe != nil {
		return s.pipe.page(ctx, src, page, res)
	}
	for i := range res.Postings {
		res.Postings[i].Source = src.Name
	}
	if s.enr != nil {
		s.enr.Postings(res.Postings)
	}
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
	s.bytes += int64(len(page.Body))
	s.posts += len(ps)
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
					if s.enr != nil {
						s.enr.Posting(&j.postings[i])
					}
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

// benchSources turns the listing into the sources a user would configure
// for these pages: per copy of the page set (/c/<j>/ on one host), an hn
// source whose start URLs are the threads' first pages (the crawl follows
// each thread's "More" links to its other pages, which the listing also
// lists) and a jsonld source whose start URLs are the job pages.
func benchSources(urls []string) ([]scraper.Source, error) {
	var out []scraper.Source
	index := map[string]int{}
	add := func(name, typ, u string) {
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, scraper.Source{Name: name, Type: typ})
		}
		out[i].StartURLs = append(out[i].StartURLs, u)
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, err
		}
		parts := strings.SplitN(strings.TrimPrefix(u.Path, "/"), "/", 3)
		if len(parts) != 3 || parts[0] != "c" {
			return nil, fmt.Errorf("listing: unexpected URL %s", raw)
		}
		copyID := parts[1]
		switch {
		case parts[2] == "item" && u.Query().Get("p") == "":
			add("hn-"+copyID, "hn", raw)
		case parts[2] == "item":
			// reached through the thread's "More" link
		case strings.HasPrefix(parts[2], "job/"):
			add("jobs-"+copyID, "jsonld", raw)
		default:
			return nil, fmt.Errorf("listing: unexpected URL %s", raw)
		}
	}
	for i := range out {
		out[i].MaxPages = 10 * len(out[i].StartURLs)
	}
	return out, nil
}

// cmdCrawl is jobtrends' full pipeline over the listing's pages: the real
// scraper (Colly fetch, decode, one goquery document per page, the source
// type's parser), the CLI's enrichment and the SQLite store in a fresh
// file, one source after the other as `jobtrends scrape` does (or, with
// -parallel, the sources of each host at once on one shared Crawler).
//
// Politeness delays are turned off for the benchmark: Delay and MinDelay
// of a nanosecond, no jitter. The scraper has no setting that restricts a
// crawl to loopback (Options.AllowPrivate also permits private networks),
// so this command enforces it itself: the listing and every URL on it must
// be a loopback address literal, and a source only ever requests its start
// URLs' host:port (the scraper's exact allow-list), so nothing else can be
// reached.
func cmdCrawl(args []string) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	listing := fs.String("listing", "", "listing URL (on 127.0.0.1)")
	dir := fs.String("dir", "", "folder for the SQLite file (default: a temporary folder, removed after)")
	budget := fs.Duration("budget", 0, "stop starting pages after this long (0: none)")
	noEnrich := fs.Bool("noenrich", false, "store postings without enrichment (role, skills, education, industry, pay)")
	parallel := fs.Bool("parallel", false, "crawl the sources of each host at once (one goroutine per host) on one shared Crawler")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the crawl here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	if *dir == "" {
		d, err := os.MkdirTemp("", "issue7-bench-crawl-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	st, err := store.Open(ctx, filepath.Join(*dir, "bench.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	cpu0, t0 := cpuSeconds(), time.Now()
	client := &http.Client{Transport: &http.Transport{DialContext: loopbackDial, Proxy: nil}}
	urls, err := readListing(client, *listing)
	if err != nil {
		return err
	}
	sources, err := benchSources(urls)
	if err != nil {
		return err
	}
	for _, src := range sources {
		for _, u := range src.StartURLs {
			if err := loopbackOnly(u); err != nil {
				return err
			}
		}
	}
	crawler, err := scraper.New(scraper.Options{
		UserAgent:    benchUA,
		AllowPrivate: true, // loopback; checked above for every URL
		Delay:        time.Nanosecond,
		MinDelay:     time.Nanosecond,
		Jitter:       -1,
		RunBudget:    *budget,
	})
	if err != nil {
		return err
	}
	runID, err := st.StartRun(ctx, time.Now())
	if err != nil {
		return err
	}
	sink := &storeSink{st: st, runID: runID, counts: map[string]*store.PageCounts{}}
	name := "jobtrends"
	if !*noEnrich {
		sink.enr = parse.NewEnricher()
	} else {
		name += " (no enrich)"
	}
	workers := runtime.GOMAXPROCS(0)
	sink.start(workers, 2*workers)
	var (
		mu    sync.Mutex
		all   []store.SourceStats
		pages int
		fails int
		errs  []error
	)
	crawl := func(src scraper.Source) error {
		stats, err := crawler.Crawl(ctx, src, sink)
		mu.Lock()
		defer mu.Unlock()
		all = append(all, store.SourceStats{Source: src.Name, PagesFetched: stats.PagesFetched, PagesFailed: stats.PagesFailed,
			Complete: err == nil && stats.Complete})
		pages += stats.PagesFetched
		fails += stats.PagesFailed + stats.RobotsBlocked + stats.PagesSkipped
		if len(errs) < 5 {
			errs = append(errs, stats.Errors...)
		}
		return err
	}
	if *parallel {
		name += " ×hosts"
		byHost := map[string][]scraper.Source{}
		var hosts []string
		for _, src := range sources {
			u, _ := url.Parse(src.StartURLs[0])
			if _, ok := byHost[u.Host]; !ok {
				hosts = append(hosts, u.Host)
			}
			byHost[u.Host] = append(byHost[u.Host], src)
		}
		var wg sync.WaitGroup
		errc := make(chan error, len(hosts))
		for _, h := range hosts {
			wg.Go(func() {
				for _, src := range byHost[h] {
					if err := crawl(src); err != nil {
						errc <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		if err := <-errc; err != nil {
			return err
		}
	} else {
		for _, src := range sources {
			if err := crawl(src); err != nil {
				return err
			}
		}
	}
	if err := sink.stop(); err != nil {
		return err
	}
	if err := st.FinishRun(ctx, runID, time.Now(), store.StatusOK, "", all); err != nil {
		return err
	}
	wall, cpu := time.Since(t0).Seconds(), cpuSeconds()-cpu0
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	for _, e := range errs {
		fmt.Fprintln(os.Stderr, "jtbench crawl: page error:", e)
	}
	if pages == 0 {
		return errors.New("crawl: no page fetched")
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return json.NewEncoder(os.Stdout).Encode(result{
		Contender: name, Pages: pages, Bytes: sink.bytes, Postings: sink.posts, Failed: fails,
		Wall: wall, CPU: cpu, Listed: len(urls), HeapKB: int64(ms.HeapInuse >> 10),
	})
}
