package scraper

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// DefaultPoll is how long Work waits before asking again when nothing is
// queued but other workers have pages in flight.
const DefaultPoll = 200 * time.Millisecond

// WorkOptions configures Crawler.Work.
type WorkOptions struct {
	// Poll is the wait between two Takes while others have pages in
	// flight and nothing is queued (default DefaultPoll).
	Poll time.Duration
}

// toucher is a frontier whose taken entries have a deadline that their
// taker extends while it works (RedisFrontier).
type toucher interface {
	Touch(ctx context.Context, e Entry) (bool, error)
	VisibilityTimeout() time.Duration
}

// VisibilityTimeout returns how long a taken entry stays with its taker
// without a Touch or an Ack.
func (f *RedisFrontier) VisibilityTimeout() time.Duration { return f.vt }

// workSource is what Work keeps of one source.
type workSource struct {
	typ   *sourceType
	cs    *crawlState
	pf    *pageFetcher
	stats *Stats
}

// unsupported returns why a worker cannot crawl a source, or nil: an hn
// source whose thread discovery reads the submissions list holds the
// threads back until the list is read to its end, which only one process
// that sees the whole list can do.
func (c *Crawler) unsupported(ctx context.Context, src Source, typ *sourceType, starts []target, allow map[string]bool) error {
	if typ.begin == nil {
		return nil
	}
	cs := &crawlState{c: c, ctx: ctx, src: src, log: c.opt.Logger, allow: allow, f: NewMemFrontier(), max: 1, maxOut: 1, capped: map[string]bool{}}
	typ.begin(cs, starts)
	if cs.hn != nil {
		return fmt.Errorf("source %s: hn thread discovery (a submissions list) needs one process that reads the whole list; workers cannot crawl it (give thread URLs as start_urls, or crawl it with jobtrends run)", src.Name)
	}
	return nil
}

// Seed adds the start pages of sources to a frontier (normally the empty
// frontier of a new crawl) and returns how many were queued. Sources that
// workers cannot crawl (see Work) are an error naming the source; nothing
// is added then.
func (c *Crawler) Seed(ctx context.Context, f Frontier, sources []Source) (int, error) {
	type seed struct {
		src    Source
		starts []Entry
	}
	var seeds []seed
	for _, src := range sources {
		typ, starts, allow, err := src.validate()
		if err != nil {
			return 0, err
		}
		if err := c.unsupported(ctx, src, typ, starts, allow); err != nil {
			return 0, err
		}
		s := seed{src: src}
		for _, t := range starts {
			abs, ok := canonicalURL(nil, t.url)
			if !ok {
				continue
			}
			u, _ := url.Parse(abs)
			s.starts = append(s.starts, Entry{Source: src.Name, URL: abs, Key: pageKey(u), Role: int(t.role)})
		}
		seeds = append(seeds, s)
	}
	total := 0
	for _, s := range seeds {
		max := s.src.MaxPages
		if max == 0 {
			max = DefaultMaxPages
		}
		added, _, err := f.Add(ctx, s.src.Name, max, false, s.starts)
		if err != nil {
			return total, fmt.Errorf("seed %s: %w", s.src.Name, err)
		}
		total += added
	}
	return total, nil
}

// Work is the loop of one worker of a crawl shared by several processes:
// it takes pages from the frontier, fetches and parses each with the rules
// of its source, hands it to sink, adds the pages it leads to, and
// acknowledges it; until the frontier is done (nothing queued, nothing in
// flight anywhere), the run's budget is spent, or ctx is cancelled. Each
// page is fetched through this Crawler's politeness layer; give it a
// HostGate (Options.HostGate) so that the politeness holds across the
// workers.
//
// sources are the sources an entry may belong to (every worker of a crawl
// should have the same). The returned Stats, by source, count what this
// worker did; Complete is always false, since no worker sees a whole
// crawl. An error is returned for a sink or frontier failure or
// cancellation; the page being worked on is then not acknowledged, and
// the frontier hands it to another worker after its visibility timeout.
func (c *Crawler) Work(ctx context.Context, f Frontier, sources []Source, sink Sink, o WorkOptions) (map[string]*Stats, error) {
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	all := map[string]*Stats{}
	srcs := map[string]*workSource{}
	for _, src := range sources {
		typ, starts, allow, err := src.validate()
		if err != nil {
			return all, err
		}
		if err := c.unsupported(ctx, src, typ, starts, allow); err != nil {
			return all, err
		}
		max := src.MaxPages
		if max == 0 {
			max = DefaultMaxPages
		}
		maxOut := src.MaxOutlinks
		if maxOut == 0 {
			maxOut = DefaultMaxOutlinks
		}
		st := &Stats{Source: src.Name}
		all[src.Name] = st
		maxBody := c.opt.MaxBody
		if typ.json {
			maxBody = c.opt.MaxAPIBody
		}
		srcs[src.Name] = &workSource{
			typ: typ,
			cs: &crawlState{c: c, ctx: ctx, src: src, log: c.opt.Logger.With("source", src.Name), allow: allow, f: f,
				max: max, maxOut: maxOut, capped: map[string]bool{}},
			pf:    c.newPageFetcher(ctx, allow, maxBody),
			stats: st,
		}
	}
	defer func() {
		for _, ws := range srcs {
			ws.stats.Retries = int(ws.pf.st.n.retries.Load())
			ws.stats.EncodingFallback = int(ws.pf.st.n.encodingFallbacks.Load())
			ws.stats.Unvisited = ws.cs.over + len(ws.cs.capped)
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return all, err
		}
		e, err := f.Take(ctx)
		switch {
		case errors.Is(err, ErrFrontierDone):
			return all, nil
		case errors.Is(err, ErrFrontierBusy):
			t := time.NewTimer(o.Poll)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return all, ctx.Err()
			}
			continue
		case err != nil:
			return all, err
		}
		ws := srcs[e.Source]
		if ws == nil {
			// A worker started with another config: the entry is not
			// ours to judge; it goes back after the visibility timeout.
			return all, fmt.Errorf("frontier entry %s of source %q: no such source in this worker's config (every worker of a crawl needs the same sources)", e.URL, e.Source)
		}
		if why, spent := c.spent(); spent {
			ws.cs.log.Warn("worker stopped: "+why+"; the pages left are for the other workers", "url", e.URL)
			return all, nil
		}
		ws.cs.taken++
		if err := c.workOn(ctx, f, ws, e, sink); err != nil {
			return all, err
		}
	}
}

// workOn visits one taken entry, touching it while the page takes, and
// acknowledges it when it is done with.
func (c *Crawler) workOn(ctx context.Context, f Frontier, ws *workSource, e Entry, sink Sink) error {
	stop := func() {}
	if t, ok := f.(toucher); ok {
		tctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		stop = func() { cancel(); <-done }
		go func() {
			defer close(done)
			tick := time.NewTicker(t.VisibilityTimeout() / 3)
			defer tick.Stop()
			for {
				select {
				case <-tctx.Done():
					return
				case <-tick.C:
					if ok, err := t.Touch(tctx, e); err != nil && tctx.Err() == nil {
						ws.cs.log.Warn("frontier: page not touched", "url", e.URL, "err", err)
					} else if !ok && err == nil {
						ws.cs.log.Warn("frontier: page no longer in flight (its visibility timeout passed)", "url", e.URL)
					}
				}
			}
		}()
	}
	err := c.visit(ctx, ws.pf, ws.cs, ws.typ, target{url: e.URL, role: role(e.Role)}, ws.stats, sink)
	stop()
	if err == nil {
		// The pages it leads to could not all be added: leave the page
		// unacknowledged, for another worker to visit again.
		err = ws.cs.err
	}
	if err != nil {
		return err
	}
	return f.Ack(ctx, e)
}
