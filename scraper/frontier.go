package scraper

import (
	"context"
	"errors"
	"sync"
)

// A Frontier is where a crawl keeps the pages it has still to visit and
// its memory of the pages it has seen: one queue for every source, and per
// source a set of the URLs seen, a count of the pages admitted against the
// source's page budget, and a set of item ids (HN comment ids).
//
// Crawler.Crawl keeps the frontier of one source in memory (MemFrontier).
// Crawler.Work takes pages from a frontier shared by several processes
// (RedisFrontier), so that worker processes on several machines crawl one
// queue and never visit a URL twice.
//
// Take hands an entry out; the caller acknowledges it with Ack once the
// page is stored and the pages it leads to are added. A shared frontier
// hands an entry that was taken but never acknowledged to another caller
// after a visibility timeout, so that a worker that dies loses nothing.
type Frontier interface {
	// Add queues the entries of one source whose key the source has not
	// seen, in order, at the back of the queue (at its front when front
	// is set, in their order), each while the source has fewer than max
	// pages admitted. Every key given is seen afterwards. added counts
	// the entries queued, over those seen for the first time but refused
	// by max.
	Add(ctx context.Context, source string, max int, front bool, es []Entry) (added, over int, err error)
	// Seen reports, for each key, whether the source has seen it.
	Seen(ctx context.Context, source string, keys []string) ([]bool, error)
	// See marks a key of a source seen without queueing a page (the
	// final URL of a redirected page).
	See(ctx context.Context, source, key string) error
	// NewItems records item ids of a source and returns how many of them
	// were not recorded before.
	NewItems(ctx context.Context, source string, ids []string) (int, error)
	// Take hands out the next entry. It returns ErrFrontierDone when
	// nothing is queued and nothing is in flight, and ErrFrontierBusy
	// when nothing is queued but entries taken by others are in flight
	// (they may add more, or come back when their taker dies).
	Take(ctx context.Context) (Entry, error)
	// Ack acknowledges a taken entry: its page is done with.
	Ack(ctx context.Context, e Entry) error
	// Len returns how many entries are queued.
	Len(ctx context.Context) (int, error)
}

// Entry is one page in a Frontier: the source it belongs to, its URL,
// its key in the seen set and what it is to the source.
type Entry struct {
	Source string `json:"s"`
	URL    string `json:"u"` // as requested: absolute, no fragment
	// Key is the page's identity in the source's seen set (pageKey: the
	// canonical URL postings are stored under); URL when empty.
	Key string `json:"k,omitempty"`
	// Role is what the page is to its source (start, next page of a
	// listing, job page, followed link, list of threads), as the rules
	// of the source's type number it.
	Role int `json:"r"`

	// raw is the entry as a shared frontier stores it (RedisFrontier).
	raw string
}

// key returns the entry's identity in the seen set.
func (e Entry) key() string {
	if e.Key != "" {
		return e.Key
	}
	return e.URL
}

// Errors of Frontier.Take.
var (
	// ErrFrontierDone: nothing is queued and nothing is in flight; the
	// crawl is over.
	ErrFrontierDone = errors.New("frontier: crawl done")
	// ErrFrontierBusy: nothing is queued now, but entries are in flight.
	ErrFrontierBusy = errors.New("frontier: nothing queued, pages in flight")
)

// MemFrontier is the Frontier of one process, in memory: the default of
// Crawler.Crawl. Its methods are safe for concurrent use.
type MemFrontier struct {
	mu       sync.Mutex
	queue    []Entry
	seen     map[string]map[string]bool // by source, canonical URLs
	items    map[string]map[string]bool // by source, item ids
	admitted map[string]int             // by source
	inflight int
}

var _ Frontier = (*MemFrontier)(nil)

// NewMemFrontier returns an empty in-memory frontier.
func NewMemFrontier() *MemFrontier {
	return &MemFrontier{
		seen:     map[string]map[string]bool{},
		items:    map[string]map[string]bool{},
		admitted: map[string]int{},
	}
}

func set(m map[string]map[string]bool, k string) map[string]bool {
	s := m[k]
	if s == nil {
		s = map[string]bool{}
		m[k] = s
	}
	return s
}

// Add implements Frontier.
func (f *MemFrontier) Add(_ context.Context, source string, max int, front bool, es []Entry) (added, over int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := set(f.seen, source)
	var add []Entry
	for _, e := range es {
		if seen[e.key()] {
			continue
		}
		seen[e.key()] = true
		if f.admitted[source] >= max {
			over++
			continue
		}
		f.admitted[source]++
		e.Source = source
		add = append(add, e)
	}
	if front {
		f.queue = append(add, f.queue...)
	} else {
		f.queue = append(f.queue, add...)
	}
	return len(add), over, nil
}

// Seen implements Frontier.
func (f *MemFrontier) Seen(_ context.Context, source string, keys []string) ([]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := f.seen[source]
	r := make([]bool, len(keys))
	for i, k := range keys {
		r[i] = seen[k]
	}
	return r, nil
}

// See implements Frontier.
func (f *MemFrontier) See(_ context.Context, source, key string) error {
	f.mu.Lock()
	set(f.seen, source)[key] = true
	f.mu.Unlock()
	return nil
}

// NewItems implements Frontier.
func (f *MemFrontier) NewItems(_ context.Context, source string, ids []string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	items := set(f.items, source)
	n := 0
	for _, id := range ids {
		if !items[id] {
			items[id] = true
			n++
		}
	}
	return n, nil
}

// Take implements Frontier.
func (f *MemFrontier) Take(context.Context) (Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queue) == 0 {
		if f.inflight > 0 {
			return Entry{}, ErrFrontierBusy
		}
		return Entry{}, ErrFrontierDone
	}
	e := f.queue[0]
	f.queue[0] = Entry{}
	f.queue = f.queue[1:]
	f.inflight++
	return e, nil
}

// Ack implements Frontier.
func (f *MemFrontier) Ack(context.Context, Entry) error {
	f.mu.Lock()
	if f.inflight > 0 {
		f.inflight--
	}
	f.mu.Unlock()
	return nil
}

// Len implements Frontier.
func (f *MemFrontier) Len(context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue), nil
}
