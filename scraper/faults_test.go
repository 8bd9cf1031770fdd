package scraper

// The fault-injection suite: one test per row of the fault matrix in
// RELIABILITY.md §2.1–2.3 that no other test of this package asserts in
// full (docs/FAULTS.md maps every row to its tests). Every server is an
// httptest server on 127.0.0.1; delays are scaled down (milliseconds for
// seconds) and timing is asserted on what the server recorded.

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/jobtrends/jobtrends/parse"
)

// sockStats counts what a client transport did on the wire: dials (with
// their times, per address) and the bytes read from its connections.
type sockStats struct {
	read  atomic.Int64
	mu    sync.Mutex
	dials map[string][]time.Time // by dialed address
}

func (s *sockStats) dialTimes(addr string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.dials[addr]...)
}

func (s *sockStats) totalDials() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.dials {
		n += len(d)
	}
	return n
}

type countingConn struct {
	net.Conn
	st *sockStats
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.st.read.Add(int64(n))
	return n, err
}

// countingTransport is testOptions' plain loopback transport with every
// dial and every byte read counted; dial, if not nil, replaces the
// dialer (after the dial is counted).
func countingTransport(t testing.TB, dial func(ctx context.Context, network, addr string) (net.Conn, error)) (*http.Transport, *sockStats) {
	t.Helper()
	st := &sockStats{dials: map[string][]time.Time{}}
	if dial == nil {
		dial = (&net.Dialer{Timeout: 2 * time.Second}).DialContext
	}
	tr := &http.Transport{Proxy: nil, DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		st.mu.Lock()
		st.dials[addr] = append(st.dials[addr], time.Now())
		st.mu.Unlock()
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{Conn: c, st: st}, nil
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return tr, st
}

// hostOf returns the host:port of a server URL.
func hostOf(rawURL string) string { return strings.TrimPrefix(rawURL, "http://") }

// mean returns the mean of ds.
func mean(ds []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}

// TestFault_F4_BackoffGrows: a 503 burst is retried with exponential
// back-off and full jitter: per URL at most 3 attempts, and the server sees
// the second wait (uniform in [0, 2·base)) about twice as long as the first
// (uniform in [0, base)). Full jitter makes single gaps random, so the
// test compares the mean gaps over many URLs. The negative control caps
// the back-off at base (no growth): the same comparison then finds no
// growth, so the test can fail.
func TestFault_F4_BackoffGrows(t *testing.T) {
	const (
		urls = 150
		base = 10 * time.Millisecond
	)
	cases := []struct {
		name       string
		backoffMax time.Duration
		grows      bool
	}{
		{"back-off doubles", time.Second, true},
		{"negative control: back-off capped at base", base, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
				"/robots.txt": robotsStatus(404),
				"/job/":       failFirst(2, status(503, "")),
			}))
			o := testOptions(t)
			o.BackoffBase, o.BackoffMax = base, tc.backoffMax
			o.MaxHostFailures = 1000 // this test is about the waits, not the end of the host
			src := Source{Name: "t", Type: "jsonld", MaxPages: urls}
			for i := range urls {
				src.StartURLs = append(src.StartURLs, fmt.Sprintf("%s/job/%d", srv.URL, i))
			}
			stats, err := Crawl(context.Background(), src, o, &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			if stats.PagesFetched != urls || stats.Retries != 2*urls {
				t.Fatalf("stats: %d fetched, %d retries; want %d and %d", stats.PagesFetched, stats.Retries, urls, 2*urls)
			}
			arrivals := map[string][]time.Time{}
			for _, h := range rec.all() {
				arrivals[h.path] = append(arrivals[h.path], h.at)
			}
			var gap1, gap2 []time.Duration
			for i := range urls {
				at := arrivals[fmt.Sprintf("/job/%d", i)]
				if len(at) != 3 {
					t.Fatalf("/job/%d: %d attempts, want 3", i, len(at))
				}
				gap1 = append(gap1, at[1].Sub(at[0]))
				gap2 = append(gap2, at[2].Sub(at[1]))
			}
			m1, m2 := mean(gap1), mean(gap2)
			t.Logf("mean wait before retry 1: %v, before retry 2: %v", m1, m2)
			// Expected: m1 ≈ base/2, m2 ≈ base (growth) or base/2 (control);
			// the threshold base/4 is over 4.5 standard deviations from both.
			if grew := m2-m1 >= base/4; grew != tc.grows {
				t.Errorf("second wait %v vs first %v: grew = %v, want %v", m2, m1, grew, tc.grows)
			}
		})
	}
}

// unframedPage answers with a raw HTTP/1.1 response that has neither a
// Content-Length nor chunked framing: the body ends when the server closes
// the connection, so a cut body looks complete at the HTTP level.
func unframedPage(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n")
		buf.WriteString(body)
		buf.Flush()
	}
}

// TestFault_F8_CloseDelimitedBodyCutShort: a listing served without
// framing (no Content-Length, not chunked, Connection: close) and cut
// before its end tag is a partial page: retried like a cut connection and
// never parsed, so no posting of it reaches the sink and the crawl is not
// complete (nothing can be closed). The controls show what is accepted: a
// close-delimited page that ends with </html>, and a page without </html>
// whose Content-Length proves it whole.
func TestFault_F8_CloseDelimitedBodyCutShort(t *testing.T) {
	items := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<li class="job"><h2>Job %d</h2></li>`, i)
		}
		return b.String()
	}
	whole := "<html><body><ul>" + items(6) + `</ul><footer>6 jobs</footer></body></html>`
	cut := "<html><body><ul>" + items(3) + `<li class="job"><h2>Job`
	rules := func() *Source {
		return &Source{Name: "t", Type: "html", Selectors: ruleSet()}
	}
	cases := []struct {
		name         string
		handler      http.HandlerFunc
		wantHits     int
		wantPostings int
		wantFailed   int
		wantErr      string
	}{
		{name: "cut short: retried, then failed, nothing parsed", handler: unframedPage(cut), wantHits: 3, wantFailed: 1, wantErr: "cut short"},
		{name: "cut once, whole on the retry", handler: failFirstWith(1, unframedPage(cut), unframedPage(whole)), wantHits: 2, wantPostings: 6},
		{name: "control: close-delimited and whole", handler: unframedPage(whole), wantHits: 1, wantPostings: 6},
		{name: "control: Content-Length proves a page without </html> whole", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", fmt.Sprint(len(cut)))
			w.Write([]byte(cut))
		}, wantHits: 1, wantPostings: 4}, // the last item, cut, is read too
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404), "/jobs": tc.handler}))
			src := rules()
			src.StartURLs = []string{srv.URL + "/jobs"}
			sink := &memSink{}
			stats, err := Crawl(context.Background(), *src, testOptions(t), sink)
			if err != nil {
				t.Fatal(err)
			}
			if n := rec.count("/jobs"); n != tc.wantHits {
				t.Errorf("%d requests, want %d", n, tc.wantHits)
			}
			posted := 0
			for _, res := range sink.results {
				posted += len(res.Postings)
			}
			if posted != tc.wantPostings || stats.PagesFailed != tc.wantFailed || stats.Complete != (tc.wantFailed == 0) {
				t.Errorf("%d postings handed on, stats %+v; want %d postings, %d failed", posted, stats, tc.wantPostings, tc.wantFailed)
			}
			if tc.wantErr != "" && (len(stats.Errors) != 1 || !strings.Contains(stats.Errors[0].Error(), tc.wantErr) ||
				!errors.Is(stats.Errors[0], io.ErrUnexpectedEOF)) {
				t.Errorf("errors %v, want one saying %q (an unexpected EOF)", stats.Errors, tc.wantErr)
			}
		})
	}
}

// ruleSet is the selectors of the listings in this file: one posting per
// li.job, titled by its h2.
func ruleSet() *parse.SelectorRules {
	return &parse.SelectorRules{Item: "li.job", Title: "h2", Next: "a.next"}
}

// failFirstWith answers the first n requests with fail, then with ok.
func failFirstWith(n int32, fail, ok http.HandlerFunc) http.HandlerFunc {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			fail(w, r)
			return
		}
		ok(w, r)
	}
}

// slowServer serves path with h and records, per request, when it arrived
// and when the server saw the client give up (the request's context done).
type slowServer struct {
	mu    sync.Mutex
	spans [][2]time.Time
}

func (s *slowServer) track(h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h(w, r)
		<-r.Context().Done()
		s.mu.Lock()
		s.spans = append(s.spans, [2]time.Time{start, time.Now()})
		s.mu.Unlock()
	}
}

func (s *slowServer) durations() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var d []time.Duration
	for _, sp := range s.spans {
		d = append(d, sp[1].Sub(sp[0]))
	}
	return d
}

// checkCutAt checks that the server saw each of want attempts end (the
// client gave up) after timeout ±10% (plus 50 ms of scheduling).
func checkCutAt(t testing.TB, s *slowServer, want int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for len(s.durations()) < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	ds := s.durations()
	if len(ds) != want {
		t.Fatalf("server saw %d attempts end, want %d", len(ds), want)
	}
	for i, d := range ds {
		if d < timeout*9/10 || d > timeout*11/10+50*time.Millisecond {
			t.Errorf("attempt %d: the server saw the client give up after %v, want %v ±10%%", i+1, d, timeout)
		}
	}
}

// TestFault_F10_SlowLoris: a server trickling one byte every 50 ms is cut
// off at the attempt timeout (the server sees the request cancelled), the
// timeout is a network error (retried once here, then the page fails), and
// no goroutine is left behind.
func TestFault_F10_SlowLoris(t *testing.T) {
	const timeout = 400 * time.Millisecond
	loris := &slowServer{}
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/job": loris.track(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
					w.Write([]byte("x"))
					w.(http.Flusher).Flush()
				}
			}
		}),
	}))
	o := testOptions(t)
	o.Timeout, o.MaxRetries = timeout, 1
	tr := o.Transport.(*http.Transport)
	baseline := runtime.NumGoroutine()
	stats, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/job"}}, o, &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	if n := rec.count("/job"); n != 2 || stats.Retries != 1 || stats.PagesFailed != 1 {
		t.Errorf("%d attempts, stats %+v; want 2 attempts (one retry), the page failed", n, stats)
	}
	if len(stats.Errors) != 1 || !strings.Contains(stats.Errors[0].Error(), "timeout after 400ms") {
		t.Errorf("errors %v, want a timeout", stats.Errors)
	}
	checkCutAt(t, loris, 2, timeout)
	tr.CloseIdleConnections()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline {
		t.Errorf("%d goroutines after the crawl, %d before", n, baseline)
	}
}

// TestFault_F11_Hang: a server that never answers, or stalls after the
// headers, is cut off at the attempt timeout, retried (network error) and
// the page fails; on the real network transport the header timeout cuts a
// silent server well before the total timeout.
func TestFault_F11_Hang(t *testing.T) {
	cases := []struct {
		name       string
		stall      func(w http.ResponseWriter, r *http.Request)
		netHeader  time.Duration // > 0: real network transport with this header timeout
		timeout    time.Duration
		retries    int
		wantCut    time.Duration
		wantErrSub string
	}{
		{name: "never answers", stall: func(w http.ResponseWriter, r *http.Request) {},
			timeout: 300 * time.Millisecond, retries: 1, wantCut: 300 * time.Millisecond, wantErrSub: "timeout after 300ms"},
		{name: "stalls after the headers", stall: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
		}, timeout: 300 * time.Millisecond, retries: 1, wantCut: 300 * time.Millisecond, wantErrSub: "timeout after 300ms"},
		{name: "header timeout of the network transport", stall: func(w http.ResponseWriter, r *http.Request) {},
			netHeader: 200 * time.Millisecond, timeout: 10 * time.Second, retries: -1, wantCut: 200 * time.Millisecond,
			wantErrSub: "timeout awaiting response headers"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hang := &slowServer{}
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404), "/job": hang.track(tc.stall)}))
			o := testOptions(t)
			o.Timeout, o.MaxRetries = tc.timeout, tc.retries
			if tc.netHeader > 0 {
				o.Transport, o.AllowPrivate, o.HeaderTimeout = nil, true, tc.netHeader
			}
			c := newCrawler(t, o)
			if tr, ok := c.f.base.(*http.Transport); ok {
				t.Cleanup(tr.CloseIdleConnections)
			}
			start := time.Now()
			stats, err := c.Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/job"}}, &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			attempts := max(tc.retries, 0) + 1
			if n := rec.count("/job"); n != attempts || stats.PagesFailed != 1 || stats.Retries != attempts-1 {
				t.Errorf("%d attempts, stats %+v; want %d attempts and the page failed", n, stats, attempts)
			}
			if len(stats.Errors) != 1 || !strings.Contains(stats.Errors[0].Error(), tc.wantErrSub) {
				t.Errorf("errors %v, want one containing %q", stats.Errors, tc.wantErrSub)
			}
			checkCutAt(t, hang, attempts, tc.wantCut)
			if d := time.Since(start); d > time.Duration(attempts)*tc.wantCut+time.Second {
				t.Errorf("crawl took %v", d)
			}
		})
	}
}

// TestFault_F12_Unreachable: a host that refuses connections, or whose
// name does not resolve, fails its robots.txt fetch, which disallows the
// host for the run: one dial in all, no page requested, no tight loop.
// When robots.txt was answered but the pages' connections fail, each page
// is retried with back-off (at most 3 attempts) and the fifth failure in a
// row ends the host.
func TestFault_F12_Unreachable(t *testing.T) {
	dead := closedURL(t)
	noDNS := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return nil, errors.New("no name server (test)")
	}}
	cases := []struct {
		name string
		base string
		dial func(ctx context.Context, network, addr string) (net.Conn, error)
	}{
		{name: "connection refused", base: dead},
		{name: "name does not resolve", base: "http://jobs.nonexistent.invalid:8080",
			dial: (&net.Dialer{Timeout: time.Second, Resolver: noDNS}).DialContext},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr, st := countingTransport(t, tc.dial)
			o := testOptions(t)
			o.Transport = tr
			src := Source{Name: "t", Type: "jsonld", StartURLs: []string{tc.base + "/1", tc.base + "/2", tc.base + "/3"}}
			start := time.Now()
			stats, err := Crawl(context.Background(), src, o, &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			if n := st.totalDials(); n != 1 {
				t.Errorf("%d dials, want 1 (robots.txt, not retried)", n)
			}
			if stats.RobotsBlocked != 3 || stats.PagesFetched != 0 || stats.Complete {
				t.Errorf("stats %+v, want all 3 pages blocked by the unreachable robots.txt", stats)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}

	t.Run("pages refused after robots.txt answered", func(t *testing.T) {
		// robots.txt comes from a live server; every page request of the
		// same host:port is sent to a closed port.
		live, _ := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404)}))
		deadAddr := hostOf(dead)
		tr, st := countingTransport(t, func(ctx context.Context, network, addr string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, deadAddr)
		})
		liveTr := &http.Transport{Proxy: nil}
		t.Cleanup(liveTr.CloseIdleConnections)
		o := testOptions(t)
		o.BackoffBase = 20 * time.Millisecond
		o.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Path == "/robots.txt" {
				return liveTr.RoundTrip(r)
			}
			return tr.RoundTrip(r)
		})
		src := Source{Name: "t", Type: "jsonld", StartURLs: []string{live.URL + "/1", live.URL + "/2", live.URL + "/3"}}
		stats, err := Crawl(context.Background(), src, o, &memSink{})
		if err != nil {
			t.Fatal(err)
		}
		dials := st.dialTimes(hostOf(live.URL))
		// /1: 3 attempts; /2: 2 more, the fifth failure in a row ends the
		// host; /3 is skipped.
		if len(dials) != 5 {
			t.Errorf("%d page connection attempts, want 5", len(dials))
		}
		if stats.PagesFailed != 2 || stats.PagesSkipped != 1 || stats.Retries != 3 {
			t.Errorf("stats %+v, want 2 failed, 1 skipped, 3 retries", stats)
		}
		if len(stats.Errors) == 0 || !strings.Contains(stats.Errors[0].Error(), "connection refused") {
			t.Errorf("errors %v, want the cause named", stats.Errors)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// closedURL returns the URL of a 127.0.0.1 port that refuses
// connections (a server that was started and closed).
func closedURL(t testing.TB) string {
	t.Helper()
	srv, _ := newServer(t, http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	return u
}

// hugeListing streams a listing of n bytes of job rows and a footer,
// announcing its length when announce is set, and counts what it managed
// to write before the client went away.
func hugeListing(n int, announce bool, written *atomic.Int64) http.HandlerFunc {
	row := []byte(`<li class="job"><h2>Job</h2></li>`)
	chunk := bytes.Repeat(row, (64<<10)/len(row))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		footer := []byte("</ul><footer>end</footer></body></html>")
		if announce {
			w.Header().Set("Content-Length", fmt.Sprint(n+len(footer)))
		}
		for left := n; left > 0; {
			k, err := w.Write(chunk[:min(len(chunk), left)])
			written.Add(int64(k))
			if err != nil {
				return
			}
			left -= k
		}
		w.Write(footer)
	}
}

// TestFault_F14_HugePage: a 50 MiB listing fails at the body cap (1 MiB
// here, scaled down from 5 MiB) with an error, is never truncated into a
// page of postings, and is not read much past the cap: the client reads
// at most cap + 64 KiB from the socket, and nothing of the body when the
// Content-Length already says it is over the cap. (What the server
// managed to write is logged only: the loopback socket buffers hold
// megabytes the client never reads.)
func TestFault_F14_HugePage(t *testing.T) {
	const limit = 1 << 20
	cases := []struct {
		name     string
		announce bool
		maxRead  int64
	}{
		{"Content-Length over the cap: refused before the body", true, 64 << 10},
		{"streamed without a length: stopped at the cap", false, limit + 64<<10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var written atomic.Int64
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
				"/robots.txt": robotsStatus(404),
				"/jobs":       hugeListing(50<<20, tc.announce, &written),
			}))
			tr, st := countingTransport(t, nil)
			o := testOptions(t)
			o.Transport, o.MaxBody = tr, limit
			st.read.Store(0)
			sink := &memSink{}
			stats, err := Crawl(context.Background(), Source{Name: "t", Type: "html", Selectors: ruleSet(), StartURLs: []string{srv.URL + "/jobs"}}, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			if len(stats.Errors) != 1 || !errors.Is(stats.Errors[0], ErrBodyTooLarge) || stats.PagesFailed != 1 || len(sink.pages) != 0 {
				t.Fatalf("stats %+v, %d pages handed on; want the page failed with ErrBodyTooLarge", stats, len(sink.pages))
			}
			if n := rec.count("/jobs"); n != 1 {
				t.Errorf("%d requests, want 1 (a body over the cap is not retried)", n)
			}
			// robots.txt's answer is part of what was read; it is small.
			if got := st.read.Load(); got > tc.maxRead {
				t.Errorf("client read %d bytes from the socket, want ≤ %d", got, tc.maxRead)
			}
			t.Logf("client read %d bytes; the server wrote %d of 50 MiB before the connection closed", st.read.Load(), written.Load())
		})
	}
}

// TestFault_F15_GzipBomb: 200 MiB of gzip in ~200 KB, with a body cap of
// 1 MiB, fails the page with ErrBodyTooLarge on both of Go's decode paths
// (its transparent gzip, and an explicit Accept-Encoding that leaves the
// decoding to the fetch layer), and the client stops reading the
// compressed stream right after the cap: it reads a few KiB of the 200 KB
// (inflating the whole bomb means reading all of it). The inflated bytes
// themselves are counted where the fetch layer reads Go's inflating body.
func TestFault_F15_GzipBomb(t *testing.T) {
	const limit = 1 << 20
	b := bomb()
	srv, _ := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/bomb": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(b)
		},
	}))
	for _, ae := range []string{"", "gzip"} {
		name := "Go's transparent gzip"
		if ae != "" {
			name = "explicit Accept-Encoding: the fetch layer inflates"
		}
		t.Run(name, func(t *testing.T) {
			tr, st := countingTransport(t, nil)
			o := testOptions(t)
			o.Transport, o.MaxBody = tr, limit
			if ae != "" {
				o.Header = http.Header{"Accept-Encoding": {ae}}
			}
			sink := &memSink{}
			stats, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/bomb"}}, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			if len(stats.Errors) != 1 || !errors.Is(stats.Errors[0], ErrBodyTooLarge) || len(sink.pages) != 0 {
				t.Fatalf("stats %+v; want the page failed with ErrBodyTooLarge", stats)
			}
			if got := st.read.Load(); got > 32<<10 {
				t.Errorf("client read %d of the bomb's %d bytes; inflation did not stop at the cap", got, len(b))
			}
		})
	}
	t.Run("inflated bytes read through Go's gzip body", func(t *testing.T) {
		zr, err := gzipReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		inflated := &countReader{r: zr}
		resp := &http.Response{Body: io.NopCloser(inflated), ContentLength: -1, Uncompressed: true, Header: http.Header{}}
		if _, err := readBody(resp, limit, false); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("err = %v, want ErrBodyTooLarge", err)
		}
		if inflated.n > limit+64<<10 {
			t.Errorf("%d bytes inflated, want ≤ cap + 64 KiB", inflated.n)
		}
	})
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// deflateBomb is a zlib stream of 8 MiB of 'A' (about 8 KB).
var deflateBomb = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	block := bytes.Repeat([]byte("A"), 64<<10)
	for range 128 {
		zw.Write(block)
	}
	zw.Close()
	return buf.Bytes()
})

// TestFault_F16_NestedCompression: layered and deflate encodings are
// decoded and capped after the last layer: a gzip-in-gzip bomb (200 MiB
// from about 1 KB) and a deflate bomb fail at the cap without allocating
// more than a few times the cap (these streams are too small for the
// socket count of F15 to tell anything); more than three layers and
// unknown encodings are refused. The control decodes a small
// gzip-then-deflate page exactly.
func TestFault_F16_NestedCompression(t *testing.T) {
	const limit = 1 << 20
	gzgz := gzipped(t, string(bomb())) // 200 MiB under two gzip layers
	var gzDeflated bytes.Buffer        // "<p>layered</p>" gzipped, then deflated
	zw := zlib.NewWriter(&gzDeflated)
	zw.Write(gzipped(t, "<p>layered</p>"))
	zw.Close()
	serve := func(enc string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", enc)
			w.Write(body)
		}
	}
	srv, _ := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt":   robotsStatus(404),
		"/gzip-gzip":    serve("gzip, gzip", gzgz),
		"/deflate":      serve("deflate", deflateBomb()),
		"/four-layers":  serve("gzip, gzip, gzip, gzip", gzgz),
		"/br":           serve("br", []byte{0x1b, 0x03, 0x00}),
		"/gzip-deflate": serve("gzip, deflate", gzDeflated.Bytes()),
	}))
	cases := []struct {
		path     string
		wantErr  error
		wantBody string
	}{
		{path: "/gzip-gzip", wantErr: ErrBodyTooLarge},
		{path: "/deflate", wantErr: ErrBodyTooLarge},
		{path: "/four-layers", wantErr: ErrUndecodable},
		{path: "/br", wantErr: ErrUndecodable},
		{path: "/gzip-deflate", wantBody: "<p>layered</p>"},
	}
	for _, tc := range cases {
		for _, ae := range []string{"", "gzip, deflate"} {
			t.Run(fmt.Sprintf("%s accept-encoding %q", tc.path, ae), func(t *testing.T) {
				o := testOptions(t)
				o.MaxBody = limit
				if ae != "" {
					o.Header = http.Header{"Accept-Encoding": {ae}}
				}
				c := newCrawler(t, o)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				resp, err := get(context.Background(), c, allowOf(t, srv.URL), srv.URL+tc.path)
				runtime.ReadMemStats(&after)
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("err = %v, want %v", err, tc.wantErr)
					}
					if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16*limit {
						t.Errorf("allocated %d MiB to refuse a body capped at %d MiB", alloc>>20, limit>>20)
					}
					return
				}
				if err != nil || string(resp.Body) != tc.wantBody {
					t.Errorf("body %q, err %v; want %q", resp.Body, err, tc.wantBody)
				}
			})
		}
	}
}

// TestFault_F20_RedirectScheme: a redirect to file:, javascript:, ftp: or
// data: is refused before anything is fetched from it, and the page fails
// naming the scheme.
func TestFault_F20_RedirectScheme(t *testing.T) {
	targets := []string{"file:///etc/passwd", "javascript:alert(document.domain)", "ftp://127.0.0.1/x", "data:text/html,<script>alert(1)</script>"}
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404), "/job": redirectTo(target)}))
			sink := &memSink{}
			stats, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/job"}}, testOptions(t), sink)
			if err != nil {
				t.Fatal(err)
			}
			scheme, _, _ := strings.Cut(target, ":")
			if stats.PagesFailed != 1 || len(stats.Errors) != 1 || !errors.Is(stats.Errors[0], ErrForbiddenURL) ||
				!strings.Contains(stats.Errors[0].Error(), fmt.Sprintf("scheme %q is not http(s)", scheme)) {
				t.Errorf("stats %+v; want the page failed, refusing scheme %s", stats, scheme)
			}
			if n := rec.count("/job"); n != 1 || len(sink.pages) != 0 {
				t.Errorf("%d requests, %d pages handed on; want 1 and none", n, len(sink.pages))
			}
		})
	}
}

// TestFault_F22_ContentTypeMismatch: bodies that are not the HTML they
// claim, or HTML that does not claim to be, are refused before any
// parsing, with the reason; the source's good page is crawled as usual.
func TestFault_F22_ContentTypeMismatch(t *testing.T) {
	const limit = 1 << 20
	binary := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*7 + i/256) // every 256th byte is a NUL
		}
		return b
	}
	cases := []struct {
		name    string
		ctype   string
		body    []byte
		wantErr error
		wantSub string
	}{
		{"binary over the cap served as text/html", "text/html", binary(2 << 20), ErrBodyTooLarge, "body over the size limit"},
		{"binary under the cap served as text/html", "text/html", binary(64 << 10), ErrNotHTML, "binary body"},
		{"html served as application/octet-stream", "application/octet-stream", []byte(jobPage("Octet")), ErrNotHTML, `content type "application/octet-stream"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newServer(t, mux(map[string]string{"/good": jobPage("Good")}, map[string]http.HandlerFunc{
				"/robots.txt": robotsStatus(404),
				"/bad": func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", tc.ctype)
					w.Write(tc.body)
				},
			}))
			o := testOptions(t)
			o.MaxBody = limit
			sink := &memSink{}
			stats, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/bad", srv.URL + "/good"}}, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			if len(stats.Errors) != 1 || !errors.Is(stats.Errors[0], tc.wantErr) || !strings.Contains(stats.Errors[0].Error(), tc.wantSub) {
				t.Errorf("errors %v, want one wrapping %v saying %q", stats.Errors, tc.wantErr, tc.wantSub)
			}
			if got := sink.urls(); len(got) != 1 || !strings.HasSuffix(got[0], "/good") || stats.PagesFailed != 1 {
				t.Errorf("pages handed on %v, stats %+v; want only /good", got, stats)
			}
		})
	}
}

// TestFault_P3_CrawlDelayOverCap: a Crawl-delay over the cap skips the
// host for the run, which the crawl's stats record (every page skipped,
// the reason named) without a single page request; under the cap the same
// robots.txt lets the pages through (the control).
func TestFault_P3_CrawlDelayOverCap(t *testing.T) {
	cases := []struct {
		name        string
		crawlDelay  string
		wantSkipped int
		wantHits    int
	}{
		{"3600 s over a 30 s cap: host skipped", "3600", 3, 0},
		{"control: 0.05 s under the cap", "0.05", 0, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := newServer(t, mux(map[string]string{"/": jobPage("J")}, map[string]http.HandlerFunc{
				"/robots.txt": robotsText("User-agent: *\nCrawl-delay: " + tc.crawlDelay + "\n"),
			}))
			o := testOptions(t)
			o.CrawlDelayCap = 30 * time.Second
			src := Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/1", srv.URL + "/2", srv.URL + "/3"}}
			stats, err := Crawl(context.Background(), src, o, &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			if n := rec.pages(); n != tc.wantHits || stats.PagesSkipped != tc.wantSkipped || stats.Complete != (tc.wantSkipped == 0) {
				t.Errorf("%d page requests, stats %+v; want %d requests, %d skipped", n, stats, tc.wantHits, tc.wantSkipped)
			}
			if tc.wantSkipped > 0 && (len(stats.Errors) != 3 || !errors.Is(stats.Errors[0], ErrHostSkipped) ||
				!strings.Contains(stats.Errors[0].Error(), "Crawl-delay 1h0m0s") || !strings.Contains(stats.Errors[0].Error(), "over the cap 30s")) {
				t.Errorf("errors %v, want each page skipped for the Crawl-delay over the cap", stats.Errors)
			}
		})
	}
}

// TestFault_P8_RobotsRedirects: robots.txt redirects are followed up to 5
// hops (the fifth hop's rules apply) and no further (a sixth is never
// requested, and the file counts as absent: allow); a redirect to another
// of the source's hosts is followed, one to a host off the source is not
// requested at all and disallows the host.
func TestFault_P8_RobotsRedirects(t *testing.T) {
	other, otherRec := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots-of-a.txt": robotsText("User-agent: *\nDisallow: /private\n")}))
	stranger, strangerRec := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots.txt": robotsText("User-agent: *\nAllow: /\n")}))
	chain := func(n int, last http.HandlerFunc) map[string]http.HandlerFunc {
		m := map[string]http.HandlerFunc{"/robots.txt": redirectTo("/r1")}
		for i := 1; i < n; i++ {
			m[fmt.Sprintf("/r%d", i)] = redirectTo(fmt.Sprintf("/r%d", i+1))
		}
		m[fmt.Sprintf("/r%d", n)] = last
		return m
	}
	disallowPrivate := robotsText("User-agent: *\nDisallow: /private\n")
	cases := []struct {
		name        string
		robots      map[string]http.HandlerFunc
		extraHosts  []string
		wantBlocked []string
		wantHops    map[string]int // path on the site → requests
		otherHits   int
	}{
		{name: "5 redirects followed", robots: chain(5, disallowPrivate), wantBlocked: []string{"/private"},
			wantHops: map[string]int{"/robots.txt": 1, "/r1": 1, "/r5": 1}},
		{name: "a sixth redirect is not followed: no rules", robots: chain(6, robotsText("User-agent: *\nDisallow: /\n")),
			wantHops: map[string]int{"/robots.txt": 1, "/r5": 1, "/r6": 0}},
		{name: "to another host of the source: followed", robots: map[string]http.HandlerFunc{"/robots.txt": redirectTo(other.URL + "/robots-of-a.txt")},
			extraHosts: []string{other.URL}, wantBlocked: []string{"/private"}, wantHops: map[string]int{"/robots.txt": 1}, otherHits: 1},
		{name: "to a host off the source: not requested, host disallowed", robots: map[string]http.HandlerFunc{"/robots.txt": redirectTo(stranger.URL + "/robots.txt")},
			wantBlocked: []string{"/jobs/1", "/private"}, wantHops: map[string]int{"/robots.txt": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			beforeOther := len(otherRec.all())
			srv, rec := newServer(t, mux(map[string]string{"/": "<p>ok</p>"}, tc.robots))
			c := newCrawler(t, testOptions(t))
			allow := allowOf(t, append([]string{srv.URL}, tc.extraHosts...)...)
			for _, p := range []string{"/jobs/1", "/private"} {
				_, err := get(context.Background(), c, allow, srv.URL+p)
				if blocked := errors.Is(err, ErrRobotsBlocked); blocked != contains(tc.wantBlocked, p) {
					t.Errorf("%s: err = %v, want blocked = %v", p, err, contains(tc.wantBlocked, p))
				}
			}
			for p, want := range tc.wantHops {
				if got := rec.count(p); got != want {
					t.Errorf("%s requested %d times, want %d", p, got, want)
				}
			}
			if got := len(otherRec.all()) - beforeOther; got != tc.otherHits {
				t.Errorf("the other host of the source was asked %d times, want %d", got, tc.otherHits)
			}
		})
	}
	if n := len(strangerRec.all()); n != 0 {
		t.Errorf("a host off the source was requested %d times", n)
	}
}

// gzipReader opens a gzip stream, as Go's transport does for its
// transparent decoding.
func gzipReader(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }

// TestFault_C2_LyingCharset: a page whose header says charset=utf-8 over
// windows-1252 bytes is decoded right (never invalid UTF-8, never
// U+FFFD where a letter was) and counted in Stats.EncodingFallback, once
// per page however many attempts it took; the same bytes under a header that tells
// the truth count nothing (negative control).
func TestFault_C2_LyingCharset(t *testing.T) {
	const title = "Café Zürich – Senior ML Engineer"
	cp1252, err := charmap.Windows1252.NewEncoder().String(jobPage(title))
	if err != nil {
		t.Fatal(err)
	}
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/lying": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(cp1252))
		},
		// Decoded, then found cut short and retried: one page, one
		// fallback.
		"/lying-cut-once": failFirstWith(1, unframedPage(cp1252[:len(cp1252)-20]), unframedPage(cp1252)),
		"/honest": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=windows-1252")
			w.Write([]byte(cp1252))
		},
	}))
	cases := []struct {
		name          string
		paths         []string
		wantRequests  int
		wantFallbacks int
	}{
		{"lying header", []string{"/lying"}, 1, 1},
		{"lying header, cut short once: counted once", []string{"/lying-cut-once"}, 2, 1},
		{"negative control: the header tells the truth", []string{"/honest"}, 1, 0},
		{"one lying page of two", []string{"/honest", "/lying"}, 2, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var starts []string
			for _, p := range tc.paths {
				starts = append(starts, srv.URL+p)
			}
			before := rec.pages()
			sink := &memSink{}
			stats, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: starts}, testOptions(t), sink)
			if err != nil {
				t.Fatal(err)
			}
			if n := rec.pages() - before; n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
			if stats.EncodingFallback != tc.wantFallbacks {
				t.Errorf("EncodingFallback = %d, want %d", stats.EncodingFallback, tc.wantFallbacks)
			}
			if !stats.Complete || stats.PagesFetched != len(tc.paths) {
				t.Errorf("stats %+v: want %d pages fetched, complete", stats, len(tc.paths))
			}
			if len(sink.pages) != len(tc.paths) {
				t.Fatalf("%d pages handed on, want %d (%d requests)", len(sink.pages), len(tc.paths), rec.pages()-before)
			}
			for i, pg := range sink.pages {
				if !utf8.Valid(pg.Body) || strings.ContainsRune(string(pg.Body), utf8.RuneError) {
					t.Errorf("page %s: body not decoded cleanly: %q", pg.URL, pg.Body[:80])
				}
				if ps := sink.results[i].Postings; len(ps) != 1 || ps[0].Title != title {
					t.Errorf("page %s: postings %+v, want one titled %q", pg.URL, ps, title)
				}
			}
		})
	}
}

// TestFault_C4_OtherEncodings: pages in GB18030, Shift_JIS, UTF-16 (with
// its BOM) and UTF-8 with a BOM, declared by header, <meta> or BOM, reach
// the sink as valid UTF-8 and their postings carry the right title.
func TestFault_C4_OtherEncodings(t *testing.T) {
	const zh, ja = "机器学习工程师 – 北京", "機械学習エンジニア"
	encode := func(e encoding.Encoding, s string) string {
		b, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	withMeta := func(cs, page string) string {
		return strings.Replace(page, "<head>", `<head><meta charset="`+cs+`">`, 1)
	}
	cases := []struct {
		name, ctype, body, want string
	}{
		{"GB18030 declared in the header", "text/html; charset=gb18030", encode(simplifiedchinese.GB18030, jobPage(zh)), zh},
		{"GB18030 declared only in meta", "text/html", encode(simplifiedchinese.GB18030, withMeta("gb18030", jobPage(zh))), zh},
		{"Shift_JIS declared only in meta", "text/html", encode(japanese.ShiftJIS, withMeta("shift_jis", jobPage(ja))), ja},
		{"UTF-16LE with a BOM, no declaration", "text/html", encode(xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), jobPage(zh)), zh},
		{"UTF-8 with a BOM, header says latin-1", "text/html; charset=iso-8859-1", "\xef\xbb\xbf" + jobPage(ja), ja},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newServer(t, mux(nil, map[string]http.HandlerFunc{
				"/robots.txt": robotsStatus(404),
				"/job": func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", tc.ctype)
					w.Write([]byte(tc.body))
				},
			}))
			sink := &memSink{}
			if _, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/job"}}, testOptions(t), sink); err != nil {
				t.Fatal(err)
			}
			if len(sink.pages) != 1 || !utf8.Valid(sink.pages[0].Body) {
				t.Fatalf("%d pages; want one with a valid UTF-8 body", len(sink.pages))
			}
			if ps := sink.results[0].Postings; len(ps) != 1 || ps[0].Title != tc.want {
				t.Errorf("postings %+v, want one titled %q", ps, tc.want)
			}
		})
	}
}

// TestFault_C5_MalformedHTML: a listing with unclosed <li>, a stray
// </div>, a <table> inside a <p>, unquoted attributes and duplicate ids
// gives exactly the postings of its clean twin.
func TestFault_C5_MalformedHTML(t *testing.T) {
	clean := `<!doctype html><html><head><title>Jobs</title></head><body><div id="top"><p>Open roles</p></div>
<ul>
<li class="job" id="j1"><h2>ML Engineer</h2><span class="co">Acme</span><span class="loc">Berlin</span></li>
<li class="job" id="j2"><h2>Data Scientist</h2><span class="co">Beta &amp; Co</span><span class="loc">Paris</span></li>
<li class="job" id="j3"><h2>Research Engineer</h2><span class="co">Gamma</span><span class="loc">Remote</span></li>
</ul></body></html>`
	malformed := `<html><head><title>Jobs</title><body></div><p>Open roles<table><tr><td>stray table</table>
<ul>
<li class=job id=j><h2>ML Engineer</h2><span class=co>Acme</span><span class=loc>Berlin</span>
<li class=job id=j><h2>Data Scientist</h2></div><span class='co'>Beta &amp; Co</span><span class=loc>Paris
<li class=job id=j><h2>Research Engineer</h2><span class=co>Gamma</span><span class=loc>Remote</span></span></li></li>
</ul>`
	rules := &parse.SelectorRules{Item: "li.job", Title: "h2", Company: ".co", Location: ".loc"}
	read := func(body string) []string {
		t.Helper()
		srv, _ := newServer(t, mux(map[string]string{"/jobs": body}, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404)}))
		sink := &memSink{}
		stats, err := Crawl(context.Background(), Source{Name: "t", Type: "html", Selectors: rules, StartURLs: []string{srv.URL + "/jobs"}}, testOptions(t), sink)
		if err != nil || stats.PagesFetched != 1 || len(stats.Errors) != 0 {
			t.Fatalf("stats %+v, %v", stats, err)
		}
		var got []string
		for _, p := range sink.results[0].Postings {
			got = append(got, p.Title+" | "+p.Company+" | "+p.Location.Text)
		}
		return got
	}
	want := read(clean)
	if len(want) != 3 {
		t.Fatalf("the clean listing gave %d postings: %q", len(want), want)
	}
	if got := read(malformed); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("malformed listing gave\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFault_C7_LinkExplosion: a listing whose next page never ends, and a
// page of 50,000 links. Requests are bounded by MaxPages and, per page, by
// MaxOutlinks: of a page's new links only the first MaxOutlinks enter the
// frontier, the rest are not requested, are logged once for the page with
// its URL and how many were dropped, and count as unvisited, so the crawl
// is not complete (nothing closes). Negative controls: a page with exactly
// MaxOutlinks links is crawled completely, and so is a page over the cap
// whose dropped links another page queues.
func TestFault_C7_LinkExplosion(t *testing.T) {
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/list": func(w http.ResponseWriter, r *http.Request) {
			var n int
			fmt.Sscan(r.URL.Query().Get("page"), &n)
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<html><body><ul><li class="job"><h2>Job on page %d</h2></li></ul><a class="next" href="/list?page=%d">next</a></body></html>`, n, n+1)
		},
		// /links?from=F&n=N links to /jobs/F … /jobs/F+N-1.
		"/links": func(w http.ResponseWriter, r *http.Request) {
			var from, n int
			fmt.Sscan(r.URL.Query().Get("from"), &from)
			fmt.Sscan(r.URL.Query().Get("n"), &n)
			w.Header().Set("Content-Type", "text/html")
			var b strings.Builder
			b.WriteString("<html><body>")
			for i := from; i < from+n; i++ {
				fmt.Fprintf(&b, `<a href="/jobs/%d">%d</a>`, i, i)
			}
			// long=K: K more links that match Follow but are over MaxURLBytes.
			var long int
			fmt.Sscan(r.URL.Query().Get("long"), &long)
			for i := range long {
				fmt.Fprintf(&b, `<a href="/jobs/%s%d">long</a>`, strings.Repeat("0", MaxURLBytes), i)
			}
			b.WriteString("</body></html>")
			w.Write([]byte(b.String()))
		},
		"/jobs/": func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(jobPage("J"))) },
	}))
	links := func(max, maxOut int, pages ...string) Source {
		src := Source{Name: "links", Type: "jsonld", Follow: []*regexp.Regexp{regexp.MustCompile(`/jobs/\d+$`)},
			MaxPages: max, MaxOutlinks: maxOut}
		for _, p := range pages {
			src.StartURLs = append(src.StartURLs, srv.URL+p)
		}
		return src
	}
	cases := []struct {
		name          string
		src           Source
		wantRequests  int
		wantUnvisited int
		wantDropped   map[string]int // logged per page: path → links dropped
	}{
		{"endless next page", Source{Name: "list", Type: "html", Selectors: ruleSet(), StartURLs: []string{srv.URL + "/list?page=1"}, MaxPages: 5}, 5, 1, nil},
		{"50,000 links, max_pages 10", links(10, 0, "/links?n=50000"), 10, 50000 - 9,
			map[string]int{"/links?n=50000": 50000 - DefaultMaxOutlinks}},
		{"50,000 links, max_outlinks 100", links(1_000_000, 100, "/links?n=50000"), 1 + 100, 50000 - 100,
			map[string]int{"/links?n=50000": 50000 - 100}},
		{"negative control: 100 links, max_outlinks 100", links(1_000_000, 100, "/links?n=100"), 1 + 100, 0, nil},
		{"links over MaxURLBytes dropped, not requested", links(1_000_000, 0, "/links?n=10&long=5"), 1 + 10, 0, nil},
		{"negative control: links dropped by one page, queued by another", links(1_000_000, 100, "/links?n=150", "/links?from=100&n=50"), 2 + 150, 0,
			map[string]int{"/links?n=150": 50}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := rec.pages()
			logs := newLogRecorder()
			o := testOptions(t)
			o.Logger = slog.New(logs)
			start := time.Now()
			stats, err := Crawl(context.Background(), tc.src, o, &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.pages() - before; got != tc.wantRequests {
				t.Errorf("%d page requests, want %d", got, tc.wantRequests)
			}
			wantComplete := tc.wantUnvisited == 0
			if stats.PagesFetched != tc.wantRequests || stats.Unvisited != tc.wantUnvisited || stats.Complete != wantComplete {
				t.Errorf("stats: %d fetched, %d unvisited, complete %v; want %d, %d, %v",
					stats.PagesFetched, stats.Unvisited, stats.Complete, tc.wantRequests, tc.wantUnvisited, wantComplete)
			}
			dropped := map[string]int{}
			logs.mu.Lock()
			for _, r := range *logs.recs {
				if !strings.Contains(r.Message, "max_outlinks") || r.Level != slog.LevelWarn {
					continue
				}
				var u string
				var n int
				r.Attrs(func(a slog.Attr) bool {
					switch a.Key {
					case "url":
						u = strings.TrimPrefix(a.Value.String(), srv.URL)
					case "dropped":
						n = int(a.Value.Int64())
					}
					return true
				})
				if _, twice := dropped[u]; twice {
					t.Errorf("page %s logged twice", u)
				}
				dropped[u] = n
			}
			logs.mu.Unlock()
			if fmt.Sprint(dropped) != fmt.Sprint(tc.wantDropped) {
				t.Errorf("logged dropped links per page %v, want %v", dropped, tc.wantDropped)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestFault_S10_ClockJumps: the clock the crawl stamps pages with
// (Options.Now) jumps across a DST change, back an hour and forward a
// year; spacing, measured by the server, does not move (it runs on the
// monotonic clock: the forward jump would otherwise skip a wait, the
// backward one stall the crawl for an hour), and every fetch time is
// handed on in UTC, the instant unchanged. (Future posting dates are
// flagged by the report: analyze.TestGrowthEdgeCases.)
func TestFault_S10_ClockJumps(t *testing.T) {
	est, edt := time.FixedZone("EST", -5*3600), time.FixedZone("EDT", -4*3600)
	clock := []time.Time{
		time.Date(2024, 3, 10, 1, 59, 0, 0, est), // just before the change
		time.Date(2024, 3, 10, 3, 0, 0, 0, edt),  // just after: one wall-clock hour skipped
		time.Date(2024, 3, 10, 2, 0, 0, 0, edt),  // back an hour
		time.Date(2025, 3, 10, 3, 0, 0, 0, edt),  // forward a year
	}
	var mu sync.Mutex
	next := 0
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := clock[min(next, len(clock)-1)]
		next++
		return t
	}
	srv, rec := newServer(t, mux(map[string]string{"/": jobPage("Engineer")}, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404)}))
	o := testOptions(t)
	o.Delay, o.Now = 100*time.Millisecond, now
	src := Source{Name: "t", Type: "jsonld"}
	for i := range clock {
		src.StartURLs = append(src.StartURLs, fmt.Sprintf("%s/job/%d", srv.URL, i))
	}
	sink := &memSink{}
	if _, err := Crawl(context.Background(), src, o, sink); err != nil {
		t.Fatal(err)
	}
	if g := minGap(rec.gaps()); g < 95*time.Millisecond {
		t.Errorf("min start-to-start gap %v, want ≥ 95ms whatever the page clock says", g)
	}
	if len(sink.pages) != len(clock) {
		t.Fatalf("%d pages, want %d", len(sink.pages), len(clock))
	}
	for i, pg := range sink.pages {
		if pg.Fetched.Location() != time.UTC || !pg.Fetched.Equal(clock[i]) {
			t.Errorf("page %d fetched %v, want %v in UTC", i, pg.Fetched, clock[i].UTC())
		}
		if ps := sink.results[i].Postings; len(ps) != 1 || !ps[0].FirstSeen.Equal(clock[i]) || ps[0].FirstSeen.Location() != time.UTC {
			t.Errorf("page %d: postings %+v, want one first seen at %v in UTC", i, ps, clock[i].UTC())
		}
	}
}

// TestFault_F19_RedirectToMetadataDialGuard: the second wall against
// SSRF. Even when the source's allow-list names the cloud metadata
// address (a misconfiguration), a redirect there is refused by the dial
// guard of the real network transport before any connection, AllowPrivate
// notwithstanding. (The first wall, the exact host:port allow-list, is
// TestRedirects.)
func TestFault_F19_RedirectToMetadataDialGuard(t *testing.T) {
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt":  robotsStatus(404),
		"/to-metadata": redirectTo("http://169.254.169.254/latest/meta-data/"),
	}))
	o := testOptions(t)
	o.Transport, o.AllowPrivate, o.ConnectTimeout = nil, true, 2*time.Second
	c := newCrawler(t, o)
	t.Cleanup(c.f.base.(*http.Transport).CloseIdleConnections)
	start := time.Now()
	_, err := get(context.Background(), c, allowOf(t, srv.URL, "http://169.254.169.254/"), srv.URL+"/to-metadata")
	if !errors.Is(err, ErrForbiddenAddress) || !strings.Contains(err.Error(), "169.254.169.254") {
		t.Errorf("err = %v, want ErrForbiddenAddress naming the metadata address", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusal took %v: a connection was attempted", d)
	}
	if n := rec.count("/to-metadata"); n != 1 {
		t.Errorf("%d requests to the redirecting page, want 1", n)
	}
}
