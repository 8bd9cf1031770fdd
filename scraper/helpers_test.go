package scraper

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
)

const testUA = "jobtrends/test (+https://github.com/jobtrends/jobtrends)"

// hit is one request a test server received.
type hit struct {
	path   string // path?query
	at     time.Time
	header http.Header
}

// recorder records what a test server received: every request's path and
// arrival time, and the most requests it had in flight at once.
type recorder struct {
	mu       sync.Mutex
	hits     []hit
	inflight atomic.Int32
	max      atomic.Int32
}

func (r *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n := r.inflight.Add(1)
		for {
			m := r.max.Load()
			if n <= m || r.max.CompareAndSwap(m, n) {
				break
			}
		}
		defer r.inflight.Add(-1)
		r.mu.Lock()
		r.hits = append(r.hits, hit{path: req.URL.RequestURI(), at: time.Now(), header: req.Header.Clone()})
		r.mu.Unlock()
		h.ServeHTTP(w, req)
	})
}

// count returns how many requests had exactly this path?query.
func (r *recorder) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, h := range r.hits {
		if h.path == path {
			n++
		}
	}
	return n
}

// total returns how many requests, robots.txt excluded, arrived.
func (r *recorder) pages() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, h := range r.hits {
		if h.path != "/robots.txt" {
			n++
		}
	}
	return n
}

func (r *recorder) all() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.hits...)
}

// gaps returns the start-to-start gaps between all recorded requests.
func (r *recorder) gaps() []time.Duration {
	hs := r.all()
	sort.Slice(hs, func(i, j int) bool { return hs[i].at.Before(hs[j].at) })
	var g []time.Duration
	for i := 1; i < len(hs); i++ {
		g = append(g, hs[i].at.Sub(hs[i-1].at))
	}
	return g
}

func minGap(g []time.Duration) time.Duration {
	m := time.Duration(1 << 62)
	for _, d := range g {
		m = min(m, d)
	}
	return m
}

// newServer starts a recording httptest server on 127.0.0.1.
func newServer(t testing.TB, h http.Handler) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(rec.wrap(h))
	t.Cleanup(srv.Close)
	return srv, rec
}

// testOptions are fast options for tests: tiny delays, a plain loopback
// transport, no jitter.
func testOptions(t testing.TB) Options {
	t.Helper()
	tr := &http.Transport{Proxy: nil}
	t.Cleanup(tr.CloseIdleConnections)
	return Options{
		UserAgent:     testUA,
		Delay:         time.Millisecond,
		MinDelay:      time.Millisecond,
		Jitter:        -1,
		Timeout:       5 * time.Second,
		Transport:     tr,
		BackoffBase:   10 * time.Millisecond,
		RetryAfterCap: 5 * time.Second,
	}
}

func newCrawler(t testing.TB, o Options) *Crawler {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// allowOf returns the host:port allow-list of some URLs.
func allowOf(t testing.TB, urls ...string) map[string]bool {
	t.Helper()
	m := map[string]bool{}
	for _, s := range urls {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		k, err := hostKey(u)
		if err != nil {
			t.Fatal(err)
		}
		m[k] = true
	}
	return m
}

// get fetches one URL through a fresh collector of c, as a source allowed
// on allow would.
func get(ctx context.Context, c *Crawler, allow map[string]bool, u string) (*colly.Response, error) {
	return c.newPageFetcher(ctx, allow, c.opt.MaxBody).fetch(u, c.requestHeader())
}

// mux builds a handler from path → body (200, text/html) plus extra
// handlers.
func mux(pages map[string]string, extra map[string]http.HandlerFunc) http.Handler {
	m := http.NewServeMux()
	for p, body := range pages {
		m.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		})
	}
	for p, h := range extra {
		m.HandleFunc(p, h)
	}
	return m
}

// httptestTLS starts a TLS server whose certificate the client does not
// trust, and returns its URL; onConn is called for each new connection.
func httptestTLS(t testing.TB, onConn func()) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			onConn()
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}
