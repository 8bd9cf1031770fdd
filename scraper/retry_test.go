package scraper

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// failFirst answers the first n requests to each path with fail, then
// serves a job page.
func failFirst(n int, fail http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	seen := map[string]int{}
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path]++
		k := seen[r.URL.Path]
		mu.Unlock()
		if k <= n {
			fail(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(jobPage("Engineer " + r.URL.Path)))
	}
}

func status(code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		http.Error(w, http.StatusText(code), code)
	}
}

// cutBody promises a body and cuts the connection part way: with reset,
// an RST; without, a FIN (Content-Length mismatch).
func cutBody(reset bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(200)
		w.Write([]byte(`<html><head><script type="application/ld+json">{"@type":"JobPosting","title":"Partial`))
		w.(http.Flusher).Flush()
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		if tc, ok := c.(*net.TCPConn); ok && reset {
			tc.SetLinger(0)
		}
		c.Close()
	}
}

// unterminatedChunks sends a chunked body and closes without the last
// chunk.
func unterminatedChunks(w http.ResponseWriter, r *http.Request) {
	c, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n")
	buf.Flush()
	c.Close()
}

// TestRetries: 408, 429, 5xx and network errors are retried, a bounded
// number of times, and a page that never succeeds fails — it is never
// parsed from a partial body.
func TestRetries(t *testing.T) {
	cases := []struct {
		name        string
		handler     http.HandlerFunc
		maxRetries  int
		wantHits    int
		wantFetched int
		wantFailed  int
		wantRetries int
		wantErr     string
	}{
		{name: "503 then ok", handler: failFirst(1, status(503, "")), wantHits: 2, wantFetched: 1, wantRetries: 1},
		{name: "408 then ok", handler: failFirst(1, status(408, "")), wantHits: 2, wantFetched: 1, wantRetries: 1},
		{name: "429 with garbage Retry-After falls back to back-off", handler: failFirst(1, status(429, "soon")), wantHits: 2, wantFetched: 1, wantRetries: 1},
		{name: "429 with negative Retry-After falls back to back-off", handler: failFirst(1, status(429, "-5")), wantHits: 2, wantFetched: 1, wantRetries: 1},
		{name: "503 three times: 3 attempts, then failed", handler: failFirst(3, status(503, "")), wantHits: 3, wantFailed: 1, wantRetries: 2, wantErr: "status 503 service unavailable (after 3 attempts)"},
		{name: "no retry when disabled", handler: failFirst(1, status(500, "")), maxRetries: -1, wantHits: 1, wantFailed: 1, wantErr: "status 500 internal server error"},
		{name: "404 is not retried", handler: status(404, ""), wantHits: 1, wantFailed: 1, wantErr: "status 404"},
		{name: "connection reset mid-body, then ok", handler: failFirst(1, cutBody(true)), wantHits: 2, wantFetched: 1, wantRetries: 1},
		{name: "connection closed mid-body, then ok", handler: failFirst(1, cutBody(false)), wantHits: 2, wantFetched: 1, wantRetries: 1},
		{name: "unterminated chunked body, then ok", handler: failFirst(1, unterminatedChunks), wantHits: 2, wantFetched: 1, wantRetries: 1},
		{name: "reset every time: failed, never parsed", handler: cutBody(true), wantHits: 3, wantFailed: 1, wantRetries: 2, wantErr: "(after 3 attempts)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404), "/job": tc.handler}))
			o := testOptions(t)
			o.MaxRetries = tc.maxRetries
			sink := &memSink{}
			stats, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/job"}}, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			if n := rec.count("/job"); n != tc.wantHits {
				t.Errorf("%d attempts, want %d", n, tc.wantHits)
			}
			if stats.PagesFetched != tc.wantFetched || stats.PagesFailed != tc.wantFailed || stats.Retries != tc.wantRetries {
				t.Errorf("stats %+v", stats)
			}
			if tc.wantErr != "" && (len(stats.Errors) != 1 || !strings.Contains(stats.Errors[0].Error(), tc.wantErr) || !strings.Contains(stats.Errors[0].Error(), srv.URL+"/job")) {
				t.Errorf("errors %v, want one naming the URL and %q", stats.Errors, tc.wantErr)
			}
			for _, res := range sink.results {
				for _, p := range res.Postings {
					if strings.Contains(p.Title, "Partial") {
						t.Errorf("a partial body was parsed: %q", p.Title)
					}
				}
			}
		})
	}
}

// TestRetryAfter: a Retry-After (seconds or HTTP date) is waited out
// before the retry; beyond the cap the host is deferred to the next run,
// which is a skip, not a failure.
func TestRetryAfter(t *testing.T) {
	cases := []struct {
		name        string
		retryAfter  func() string
		wantGap     time.Duration
		wantHits    int
		wantFetched int
		wantSkipped int
	}{
		{name: "seconds", retryAfter: func() string { return "1" }, wantGap: 950 * time.Millisecond, wantHits: 2, wantFetched: 1},
		{name: "HTTP date", retryAfter: func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, wantGap: 950 * time.Millisecond, wantHits: 2, wantFetched: 1},
		{name: "over the cap: host deferred", retryAfter: func() string { return "86400" }, wantHits: 1, wantSkipped: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
				"/robots.txt": robotsStatus(404),
				"/": func(w http.ResponseWriter, r *http.Request) {
					if calls.Add(1) == 1 {
						status(429, tc.retryAfter())(w, r)
						return
					}
					w.Write([]byte(jobPage("Engineer")))
				},
			}))
			o := testOptions(t)
			o.RetryAfterCap = 5 * time.Second
			src := Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/job"}}
			if tc.wantSkipped > 0 {
				src.StartURLs = append(src.StartURLs, srv.URL+"/job2")
			}
			stats, err := Crawl(context.Background(), src, o, &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			if n := rec.pages(); n != tc.wantHits {
				t.Errorf("%d page requests, want %d", n, tc.wantHits)
			}
			if stats.PagesFetched != tc.wantFetched || stats.PagesSkipped != tc.wantSkipped || stats.PagesFailed != 0 {
				t.Errorf("stats %+v", stats)
			}
			if tc.wantSkipped > 0 && (len(stats.Errors) == 0 || !errors.Is(stats.Errors[0], ErrHostSkipped) || !strings.Contains(stats.Errors[0].Error(), "deferred to the next run")) {
				t.Errorf("errors %v, want the host deferred", stats.Errors)
			}
			if tc.wantGap > 0 {
				hs := rec.all()
				if gap := hs[len(hs)-1].at.Sub(hs[len(hs)-2].at); gap < tc.wantGap {
					t.Errorf("retried after %v, want ≥ %v", gap, tc.wantGap)
				}
			}
		})
	}
}

// TestRetryAfterPausesHost: while one source waits out a Retry-After, no
// other source's request reaches that host.
func TestRetryAfterPausesHost(t *testing.T) {
	var limited atomic.Int32
	srv, rec := newServer(t, mux(map[string]string{"/other": "<p>other</p>"}, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/limited": func(w http.ResponseWriter, r *http.Request) {
			if limited.Add(1) == 1 {
				status(429, "1")(w, r)
				return
			}
			w.Write([]byte("ok"))
		},
	}))
	c := newCrawler(t, testOptions(t))
	allow := allowOf(t, srv.URL)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if _, err := get(context.Background(), c, allow, srv.URL+"/limited"); err != nil {
			t.Error(err)
		}
	}()
	go func() {
		defer wg.Done()
		for limited.Load() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := get(context.Background(), c, allow, srv.URL+"/other"); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
	var first429, other time.Time
	for _, h := range rec.all() {
		switch {
		case h.path == "/limited" && first429.IsZero():
			first429 = h.at
		case h.path == "/other":
			other = h.at
		}
	}
	if gap := other.Sub(first429); gap < 950*time.Millisecond {
		t.Errorf("another request reached the host %v after its 429 with Retry-After: 1", gap)
	}
}

// TestHostEndedAfterFailures: five failed attempts in a row end the host
// for the run; its remaining pages are skipped without a request.
func TestHostEndedAfterFailures(t *testing.T) {
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404), "/": status(503, "")}))
	src := Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/1", srv.URL + "/2", srv.URL + "/3", srv.URL + "/4"}}
	stats, err := Crawl(context.Background(), src, testOptions(t), &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	// /1: 3 attempts; /2: 2 more, the fifth failure in a row ends the host.
	if n := rec.pages(); n != 5 {
		t.Errorf("%d page requests, want 5", n)
	}
	if stats.PagesFailed != 2 || stats.PagesSkipped != 2 || stats.Complete {
		t.Errorf("stats %+v", stats)
	}
	if last := stats.Errors[len(stats.Errors)-1]; !errors.Is(last, ErrHostSkipped) || !strings.Contains(last.Error(), "failed 5 times in a row") {
		t.Errorf("last error %v", last)
	}
}

// TestBackoff: the waits before retries grow exponentially on average,
// with full jitter, capped.
func TestBackoff(t *testing.T) {
	base, max := 100*time.Millisecond, 1*time.Second
	for n, wantBound := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second} {
		var sum time.Duration
		const draws = 400
		for i := 0; i < draws; i++ {
			d := backoff(base, max, n)
			if d < 0 || d >= wantBound {
				t.Fatalf("backoff(n=%d) = %v, want in [0, %v)", n, d, wantBound)
			}
			sum += d
		}
		if mean := sum / draws; mean < wantBound*35/100 || mean > wantBound*65/100 {
			t.Errorf("backoff(n=%d) mean %v, want ≈ %v (full jitter)", n, mean, wantBound/2)
		}
	}
	if d := backoff(base, max, 200); d >= max {
		t.Errorf("huge n: %v", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 120 * time.Second, true},
		{" 0 ", 0, true},
		{"Fri, 02 Jan 2026 03:04:35 GMT", 30 * time.Second, true},
		{"Fri, 02 Jan 2026 03:00:00 GMT", 0, true}, // in the past: now
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"1.5", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tc.in, now)
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestTLSFailure: an untrusted certificate fails at once, without
// retries (verification stays on).
func TestTLSFailure(t *testing.T) {
	var conns atomic.Int32
	srv := httptestTLS(t, func() { conns.Add(1) })
	c := newCrawler(t, testOptions(t))
	f := c.f
	req, _ := http.NewRequest(http.MethodGet, srv+"/job", nil)
	_, err := f.fetchRetrying(req, f.host("tls"), &counters{}, f.opt.MaxBody)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("err = %v, want a certificate error", err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1 (no retry)", n)
	}
	if retryableErr(err) {
		t.Errorf("retryableErr(%v) = true", err)
	}
	if !retryableErr(errors.New("read tcp: connection reset by peer")) {
		t.Error("a reset is not retryable")
	}
}
