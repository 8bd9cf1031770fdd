package scraper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestCrawlDelay: with Crawl-delay 1 and a configured delay of 10 ms, the
// host's request starts (robots.txt and two pages) are ≥ 0.95 s apart. The
// negative control, the same server without Crawl-delay, shows gaps far
// shorter, so the test fails if Crawl-delay were ignored.
func TestCrawlDelay(t *testing.T) {
	cases := []struct {
		name     string
		robots   string
		checkGap func(t *testing.T, g time.Duration)
	}{
		{"Crawl-delay honoured", "User-agent: *\nCrawl-delay: 1\n", func(t *testing.T, g time.Duration) {
			if g < 950*time.Millisecond {
				t.Errorf("min start-to-start gap %v, want ≥ 950ms", g)
			}
		}},
		{"negative control: no Crawl-delay", "User-agent: *\nDisallow: /private\n", func(t *testing.T, g time.Duration) {
			if g >= 500*time.Millisecond {
				t.Errorf("min gap %v without Crawl-delay; the test could not fail", g)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, rec := newServer(t, mux(map[string]string{"/": "ok"}, map[string]http.HandlerFunc{"/robots.txt": robotsText(tc.robots)}))
			o := testOptions(t)
			o.Delay = 10 * time.Millisecond
			c := newCrawler(t, o)
			allow := allowOf(t, srv.URL)
			for i := 0; i < 2; i++ {
				if _, err := get(context.Background(), c, allow, fmt.Sprintf("%s/jobs/%d", srv.URL, i)); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(rec.all()); n != 3 {
				t.Fatalf("server saw %d requests, want 3", n)
			}
			tc.checkGap(t, minGap(rec.gaps()))
		})
	}
}

// TestCrawlDelayOverCap: a Crawl-delay over the cap skips the host for the
// run: no page is requested.
func TestCrawlDelayOverCap(t *testing.T) {
	srv, rec := newServer(t, mux(map[string]string{"/": "ok"}, map[string]http.HandlerFunc{"/robots.txt": robotsText("User-agent: *\nCrawl-delay: 3600\n")}))
	o := testOptions(t)
	o.CrawlDelayCap = 30 * time.Second
	c := newCrawler(t, o)
	allow := allowOf(t, srv.URL)
	for i := 0; i < 3; i++ {
		start := time.Now()
		_, err := get(context.Background(), c, allow, fmt.Sprintf("%s/jobs/%d", srv.URL, i))
		if !errors.Is(err, ErrHostSkipped) {
			t.Errorf("page %d: err = %v, want ErrHostSkipped", i, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("page %d took %v to be skipped", i, d)
		}
	}
	if n := rec.pages(); n != 0 {
		t.Errorf("server saw %d page requests, want 0", n)
	}
}

// TestSpacing: the configured delay spaces request starts to one host;
// the first request is not delayed; jitter only adds.
func TestSpacing(t *testing.T) {
	cases := []struct {
		name   string
		delay  time.Duration
		jitter float64
		check  func(t *testing.T, g time.Duration)
	}{
		{"delay 150ms", 150 * time.Millisecond, -1, func(t *testing.T, g time.Duration) {
			if g < 142*time.Millisecond {
				t.Errorf("min gap %v, want ≥ 142ms", g)
			}
		}},
		{"delay 150ms with jitter", 150 * time.Millisecond, 0.5, func(t *testing.T, g time.Duration) {
			if g < 142*time.Millisecond {
				t.Errorf("min gap %v, want ≥ 142ms", g)
			}
		}},
		{"negative control: delay 1ms", time.Millisecond, -1, func(t *testing.T, g time.Duration) {
			if g >= 100*time.Millisecond {
				t.Errorf("min gap %v with a 1ms delay; the test could not fail", g)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, rec := newServer(t, mux(map[string]string{"/": "ok"}, nil))
			o := testOptions(t)
			o.Delay, o.Jitter = tc.delay, tc.jitter
			c := newCrawler(t, o)
			allow := allowOf(t, srv.URL)
			start := time.Now()
			for i := 0; i < 4; i++ {
				if _, err := get(context.Background(), c, allow, fmt.Sprintf("%s/jobs/%d", srv.URL, i)); err != nil {
					t.Fatal(err)
				}
			}
			hits := rec.all()
			if len(hits) != 5 {
				t.Fatalf("server saw %d requests, want 5", len(hits))
			}
			if first := hits[0].at.Sub(start); first > 100*time.Millisecond {
				t.Errorf("first request started after %v; it must not be delayed", first)
			}
			tc.check(t, minGap(rec.gaps()))
		})
	}
}

// TestOneInFlightPerHost: two sources crawling host A at once through one
// Crawler never have two requests in flight there, and their starts stay
// spaced, while host B is served in parallel. The negative control — two
// Crawlers without shared state — does overlap on A.
func TestOneInFlightPerHost(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			time.Sleep(60 * time.Millisecond)
		}
		w.Write([]byte("ok"))
	})
	cases := []struct {
		name       string
		shared     bool
		wantMaxA   int32
		checkGapsA bool
	}{
		{"one crawler: one in flight per host", true, 1, true},
		{"negative control: separate crawlers overlap", false, 2, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srvA, recA := newServer(t, slow)
			srvB, recB := newServer(t, slow)
			o := testOptions(t)
			o.Delay = 100 * time.Millisecond
			shared := newCrawler(t, o)
			allow := allowOf(t, srvA.URL, srvB.URL)
			var wg sync.WaitGroup
			for s, base := range []string{srvA.URL, srvA.URL, srvB.URL} {
				c := shared
				if !tc.shared {
					c = newCrawler(t, o)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 4; i++ {
						if _, err := get(context.Background(), c, allow, fmt.Sprintf("%s/s%d/%d", base, s, i)); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			if got := recA.max.Load(); got != tc.wantMaxA {
				t.Errorf("host A: max in flight %d, want %d", got, tc.wantMaxA)
			}
			if got := recB.max.Load(); got != 1 {
				t.Errorf("host B: max in flight %d, want 1", got)
			}
			if tc.checkGapsA {
				if g := minGap(recA.gaps()); g < 95*time.Millisecond {
					t.Errorf("host A: min start-to-start gap %v, want ≥ 95ms", g)
				}
				// B ran alongside A: its requests began before A's ended.
				a, b := recA.all(), recB.all()
				if len(a) == 0 || len(b) == 0 || !b[1].at.Before(a[len(a)-1].at) {
					t.Errorf("host B was not crawled in parallel with host A")
				}
			}
		})
	}
}

// TestContextCancel: cancelling the context stops a request in flight and
// a wait for the host's next slot promptly.
func TestContextCancel(t *testing.T) {
	hang := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(404)
			return
		}
		if r.URL.Path == "/hang" {
			<-r.Context().Done()
			return
		}
		w.Write([]byte("ok"))
	})
	cases := []struct {
		name  string
		delay time.Duration
		paths []string
	}{
		{"request in flight", time.Millisecond, []string{"/hang"}},
		{"waiting for the host's spacing", 10 * time.Second, []string{"/a", "/b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newServer(t, hang)
			o := testOptions(t)
			o.Delay = tc.delay
			o.Timeout = 30 * time.Second
			c := newCrawler(t, o)
			ctx, cancel := context.WithCancel(context.Background())
			allow := allowOf(t, srv.URL)
			time.AfterFunc(150*time.Millisecond, cancel)
			start := time.Now()
			var err error
			for _, p := range tc.paths {
				if _, err = get(ctx, c, allow, srv.URL+p); err != nil {
					break
				}
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("cancellation took %v", d)
			}
		})
	}
}
