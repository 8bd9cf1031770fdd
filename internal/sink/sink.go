// Package sink is where crawled pages go: enriched, then stored one
// transaction per page, behind the crawler. jobtrends scrape, the Redis
// workers and the benchmark crawl all use it.
package sink

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

// Store enriches each parsed page's postings and stores the page and
// its postings in one transaction. Without a pipeline (pipe nil) Page does
// both before it returns, on the crawler's goroutine; after start, Page
// hands the page to a pipeline and returns at once (see there), and
// Flush waits for what was handed on.
type Store struct {
	st    *store.Store
	runID int64
	enr   *parse.Enricher // nil: postings are stored as extracted

	// OnPage, when set, is called after each page is stored, with the
	// page and its postings, one call at a time.
	OnPage func(page jobtrends.Page, postings []jobtrends.Posting)

	mu     sync.Mutex
	counts map[string]*store.PageCounts

	pipe *pipeline
}

// New returns a sink that stores pages into st as part of run runID (0
// outside a run), enriching postings with enr (nil: as extracted). It works
// on the caller's goroutine until Start.
func New(st *store.Store, runID int64, enr *parse.Enricher) *Store {
	return &Store{st: st, runID: runID, enr: enr, counts: map[string]*store.PageCounts{}}
}

// Counts returns what the stored pages of source did to its postings so
// far (after Flush, every page handed on).
func (s *Store) Counts(source string) store.PageCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.counts[source]; c != nil {
		return *c
	}
	return store.PageCounts{}
}

func (s *Store) Page(ctx context.Context, src scraper.Source, page jobtrends.Page, res *parse.Result) error {
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
func (s *Store) save(ctx context.Context, src scraper.Source, page jobtrends.Page, ps []jobtrends.Posting) error {
	page.Source = src.Name
	c, err := s.st.SavePage(ctx, s.runID, page, ps)
	if err != nil {
		return fmt.Errorf("store page %s: %w", page.URL, err)
	}
	s.stored(src, page, ps, c)
	return nil
}

// stored counts what storing one page did and tells OnPage.
func (s *Store) stored(src scraper.Source, page jobtrends.Page, ps []jobtrends.Posting, c store.PageCounts) {
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
	if s.OnPage != nil {
		s.OnPage(page, ps)
	}
}

// pipeline runs enrichment and the store writes behind the crawler:
// the crawler's goroutine fetches and parses, a pool of workers enriches
// pages and prepares them for the store (hashes, the body's compression),
// and one goroutine stores them in the order the crawler handed them on:
// the pages waiting for it when it is free, up to maxBatch, in one
// transaction (the commit is most of a small write's cost). The queues are
// bounded, so the memory held is that of the pages in flight (at most
// depth), never of the crawl. The first store error is returned by the
// next Page, which aborts the source as an error of Page always did, and
// by flush; the pages before the failing one are stored, those handed on
// after it are not.
type pipeline struct {
	s       *Store
	enrichQ chan *job
	storeQ  chan *job
	done    sync.WaitGroup

	mu  sync.Mutex
	err error // the first error since the last flush
}

// maxBatch bounds the pages of one store transaction, and lingerBatch
// how long the store waits for more pages once it has one: not long
// enough to matter to a polite crawl, long enough to gather a batch from a
// fast one.
const (
	maxBatch    = 32
	lingerBatch = 50 * time.Millisecond
)

// job is one page (or one page's validators, or a flush barrier) in
// the pipeline.
type job struct {
	ctx      context.Context
	src      scraper.Source
	page     jobtrends.Page
	postings []jobtrends.Posting
	enriched chan struct{} // closed once postings are enriched and prepared; nil: not a page

	prepared *store.PreparedPage // set by the worker, with prepErr
	prepErr  error

	// validators: a job of a page's validators alone, or, on a page
	// job, the validators that job took in, written with the page.
	validators    bool
	etag, lastMod string

	flushed chan error // a barrier: receives the error since the last flush
}

// Start gives s a pipeline of workers enrichment workers and depth pages
// in flight; Stop ends it.
func (s *Store) Start(workers, depth int) {
	p := &pipeline{
		s:       s,
		enrichQ: make(chan *job, depth),
		storeQ:  make(chan *job, depth),
	}
	for range workers {
		p.done.Add(1)
		go func() {
			defer p.done.Done()
			for j := range p.enrichQ {
				if s.enr != nil {
					for i := range j.postings {
						s.enr.Posting(&j.postings[i])
					}
				}
				j.page.Source = j.src.Name
				j.prepared, j.prepErr = s.st.PreparePage(j.ctx, j.page, j.postings)
				close(j.enriched)
			}
		}()
	}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		batch := make([]*job, 0, maxBatch)
		linger := time.NewTimer(0)
		for j := range p.storeQ {
			batch = append(batch[:0], j)
			// The pages queued behind j of the same crawl, and those
			// that arrive within lingerBatch, go with it; so do their
			// validators.
			if j.enriched != nil {
				linger.Reset(lingerBatch)
			}
		more:
			for len(batch) < maxBatch && j.enriched != nil {
				select {
				case next, ok := <-p.storeQ:
					if !ok {
						break more
					}
					last := batch[len(batch)-1]
					if next.validators && next.ctx == j.ctx && next.page.URL == last.page.URL {
						last.validators, last.etag, last.lastMod = true, next.etag, next.lastMod
						continue
					}
					batch = append(batch, next)
					if next.enriched == nil || next.ctx != j.ctx {
						break more
					}
				case <-linger.C:
					break more
				}
			}
			linger.Stop()
			last := batch[len(batch)-1]
			switch {
			case last.enriched == nil:
				p.store(batch[:len(batch)-1])
				p.other(last)
			case last.ctx != j.ctx:
				p.store(batch[:len(batch)-1])
				p.store(batch[len(batch)-1:])
			default:
				p.store(batch)
			}
		}
	}()
	s.pipe = p
}

// store writes pages, all of one crawl (context), in one transaction,
// once each is prepared. After an error, pages are dropped.
func (p *pipeline) store(pages []*job) {
	if len(pages) == 0 {
		return
	}
	ready := make([]*store.PreparedPage, 0, len(pages))
	var prepErr error
	for _, j := range pages {
		<-j.enriched
		if prepErr != nil {
			continue
		}
		if j.prepErr != nil {
			prepErr = fmt.Errorf("store page %s: %w", j.page.URL, j.prepErr)
			continue
		}
		if j.validators {
			j.prepared.SetValidators(j.etag, j.lastMod)
		}
		ready = append(ready, j.prepared)
	}
	if p.failed() != nil {
		// The source is aborted: what it handed on after the failing
		// page is dropped, as if never fetched.
		return
	}
	counts, err := p.s.st.SavePages(pages[0].ctx, p.s.runID, ready)
	for i, c := range counts {
		p.s.stored(pages[i].src, pages[i].page, pages[i].postings, c)
	}
	if err != nil {
		p.fail(fmt.Errorf("store page %s: %w", pages[len(counts)].page.URL, err))
		return
	}
	p.fail(prepErr)
}

// other handles a job that is not a page: a flush barrier or validators.
func (p *pipeline) other(j *job) {
	switch {
	case j.flushed != nil:
		p.mu.Lock()
		j.flushed <- p.err
		p.err = nil
		p.mu.Unlock()
	case p.failed() != nil:
		// Dropped, as the pages are.
	case j.validators:
		p.fail(p.s.st.SetValidators(j.ctx, j.page.URL, j.etag, j.lastMod))
	}
}

// Stop waits for every page handed on and ends the pipeline; it returns
// the first error since the last flush.
func (s *Store) Stop() error {
	if s.pipe == nil {
		return nil
	}
	err := s.Flush()
	close(s.pipe.enrichQ)
	close(s.pipe.storeQ)
	s.pipe.done.Wait()
	s.pipe = nil
	return err
}

// Flush waits until every page handed on so far is stored (or dropped) and
// returns the first error since the last flush.
func (s *Store) Flush() error {
	if s.pipe == nil {
		return nil
	}
	j := &job{flushed: make(chan error, 1)}
	s.pipe.storeQ <- j
	return <-j.flushed
}

func (p *pipeline) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *pipeline) fail(err error) {
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
func (p *pipeline) page(ctx context.Context, src scraper.Source, page jobtrends.Page, res *parse.Result) error {
	if err := p.failed(); err != nil {
		return err
	}
	ps := slices.Clone(res.Postings)
	for i := range ps {
		ps[i].Source = src.Name
	}
	j := &job{ctx: ctx, src: src, page: page, postings: ps, enriched: make(chan struct{})}
	// Into the store queue first: it fixes the order of the writes.
	p.storeQ <- j
	p.enrichQ <- j
	return nil
}

// Validators keeps a page's ETag / Last-Modified for the next run's
// conditional request.
func (s *Store) Validators(ctx context.Context, src scraper.Source, url, etag, lastModified string) error {
	if s.pipe != nil {
		// After the page, in the store's order.
		if err := s.pipe.failed(); err != nil {
			return err
		}
		s.pipe.storeQ <- &job{ctx: ctx, src: src, page: jobtrends.Page{URL: url}, validators: true, etag: etag, lastMod: lastModified}
		return nil
	}
	return s.st.SetValidators(ctx, url, etag, lastModified)
}

var _ scraper.ValidatorSink = (*Store)(nil)
