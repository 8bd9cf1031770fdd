package scraper

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func robotsText(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(body))
	}
}

func robotsStatus(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, http.StatusText(code), code)
	}
}

func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	}
}

// resetConn answers by resetting the TCP connection (RST).
func resetConn(w http.ResponseWriter, r *http.Request) {
	c, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

func TestRobots(t *testing.T) {
	big := "User-agent: *\nDisallow: /early\n" + strings.Repeat("# padding padding padding padding padding padding padding\n", 600<<10/58) + "Disallow: /late\n"
	cases := []struct {
		name    string
		robots  map[string]http.HandlerFunc // /robots.txt and anything it redirects to
		fetch   []string
		blocked []string // of fetch, the paths robots must block (never requested)
		timeout time.Duration
	}{
		{
			name:    "disallowed path never requested",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("User-agent: *\nDisallow: /private\n")},
			fetch:   []string{"/jobs/1", "/private/x", "/jobs/2", "/private"},
			blocked: []string{"/private/x", "/private"},
		},
		{
			name:    "our group wins over *",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("User-agent: *\nDisallow: /\n\nUser-agent: jobtrends\nDisallow: /private\n")},
			fetch:   []string{"/jobs/1", "/private/x"},
			blocked: []string{"/private/x"},
		},
		{
			name:    "another agent's group does not apply",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("User-agent: otherbot\nDisallow: /\n")},
			fetch:   []string{"/jobs/1"},
			blocked: nil,
		},
		{
			name:    "longest match wins",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("User-agent: *\nDisallow: /jobs\nAllow: /jobs/open\n")},
			fetch:   []string{"/jobs/open/1", "/jobs/closed/1"},
			blocked: []string{"/jobs/closed/1"},
		},
		{
			name:    "query string matched",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("User-agent: *\nDisallow: /*?sort=\n")},
			fetch:   []string{"/jobs?page=2", "/jobs?sort=new"},
			blocked: []string{"/jobs?sort=new"},
		},
		{
			name:    "503 disallows the host",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsStatus(503)},
			fetch:   []string{"/", "/jobs/1"},
			blocked: []string{"/", "/jobs/1"},
		},
		{
			name:    "500 disallows the host",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsStatus(500)},
			fetch:   []string{"/jobs/1"},
			blocked: []string{"/jobs/1"},
		},
		{
			name:    "429 disallows the host",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsStatus(429)},
			fetch:   []string{"/jobs/1"},
			blocked: []string{"/jobs/1"},
		},
		{
			name:    "404 allows",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsStatus(404)},
			fetch:   []string{"/jobs/1", "/private"},
			blocked: nil,
		},
		{
			name:    "403 allows",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsStatus(403)},
			fetch:   []string{"/jobs/1"},
			blocked: nil,
		},
		{
			name:    "410 allows",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsStatus(410)},
			fetch:   []string{"/jobs/1"},
			blocked: nil,
		},
		{
			name: "timeout disallows the host",
			robots: map[string]http.HandlerFunc{"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(3 * time.Second):
				}
			}},
			fetch:   []string{"/jobs/1"},
			blocked: []string{"/jobs/1"},
			timeout: 300 * time.Millisecond,
		},
		{
			name:    "connection reset disallows the host",
			robots:  map[string]http.HandlerFunc{"/robots.txt": resetConn},
			fetch:   []string{"/jobs/1"},
			blocked: []string{"/jobs/1"},
		},
		{
			name:    "binary garbage means no rules",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("\x00\x01\xff\xfe garbage \x89PNG\r\n\x1a\n")},
			fetch:   []string{"/jobs/1"},
			blocked: nil,
		},
		{
			name:    "an html page with 200 means no rules",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("<!doctype html><html><body><h1>Welcome</h1><p>Disallow nothing: here</p></body></html>")},
			fetch:   []string{"/jobs/1"},
			blocked: nil,
		},
		{
			name:    "invalid lines dropped, the rest obeyed",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText("Disallow: /orphan\nUser-agent: *\nCrawl-delay: soon\nDisallow: /private\n")},
			fetch:   []string{"/orphan", "/private"},
			blocked: []string{"/private"},
		},
		{
			name: "three redirects followed",
			robots: map[string]http.HandlerFunc{
				"/robots.txt": redirectTo("/r1"), "/r1": redirectTo("/r2"), "/r2": redirectTo("/r3"),
				"/r3": robotsText("User-agent: *\nDisallow: /private\n"),
			},
			fetch:   []string{"/jobs/1", "/private"},
			blocked: []string{"/private"},
		},
		{
			name: "more than five redirects mean no rules",
			robots: map[string]http.HandlerFunc{
				"/robots.txt": redirectTo("/r1"), "/r1": redirectTo("/r2"), "/r2": redirectTo("/r3"),
				"/r3": redirectTo("/r4"), "/r4": redirectTo("/r5"), "/r5": redirectTo("/r6"),
				"/r6": robotsText("User-agent: *\nDisallow: /\n"),
			},
			fetch:   []string{"/private"},
			blocked: nil,
		},
		{
			name:    "redirect off the source's hosts disallows",
			robots:  map[string]http.HandlerFunc{"/robots.txt": redirectTo("http://127.0.0.1:1/robots.txt")},
			fetch:   []string{"/jobs/1"},
			blocked: []string{"/jobs/1"},
		},
		{
			name:    "only the first 512 KiB is read",
			robots:  map[string]http.HandlerFunc{"/robots.txt": robotsText(big)},
			fetch:   []string{"/early", "/late"},
			blocked: []string{"/early"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := newServer(t, mux(map[string]string{"/": "<p>ok</p>"}, tc.robots))
			o := testOptions(t)
			if tc.timeout > 0 {
				o.Timeout = tc.timeout
			}
			c := newCrawler(t, o)
			allow := allowOf(t, srv.URL)
			for _, p := range tc.fetch {
				resp, err := get(context.Background(), c, allow, srv.URL+p)
				wantBlocked := contains(tc.blocked, p)
				switch {
				case wantBlocked && !errors.Is(err, ErrRobotsBlocked):
					t.Errorf("get %s: err = %v, want ErrRobotsBlocked", p, err)
				case !wantBlocked && err != nil:
					t.Errorf("get %s: %v", p, err)
				case !wantBlocked && resp.StatusCode != 200:
					t.Errorf("get %s: status %d", p, resp.StatusCode)
				}
			}
			for _, p := range tc.fetch {
				want := 1
				if contains(tc.blocked, p) {
					want = 0
				}
				if got := rec.count(p); got != want {
					t.Errorf("server saw %s %d times, want %d", p, got, want)
				}
			}
			if got := rec.count("/robots.txt"); got != 1 {
				t.Errorf("robots.txt requested %d times, want 1", got)
			}
		})
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestRobotsOncePerHostPerRun: two sources crawled by one Crawler, at the
// same time, share the host's robots.txt; a second Crawler (the next run)
// asks again.
func TestRobotsOncePerHostPerRun(t *testing.T) {
	srv, rec := newServer(t, mux(map[string]string{"/": "ok"}, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(50 * time.Millisecond) // make concurrent callers wait for one load
			w.Write([]byte("User-agent: *\nDisallow: /private\n"))
		},
	}))
	c := newCrawler(t, testOptions(t))
	allow := allowOf(t, srv.URL)
	errs := make(chan error, 6)
	for s := 0; s < 2; s++ {
		go func() {
			for i := 0; i < 3; i++ {
				_, err := get(context.Background(), c, allow, fmt.Sprintf("%s/jobs/%d/%d", srv.URL, s, i))
				errs <- err
			}
		}()
	}
	for i := 0; i < 6; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := rec.count("/robots.txt"); got != 1 {
		t.Errorf("one run: robots.txt requested %d times, want 1", got)
	}
	next := newCrawler(t, testOptions(t))
	if _, err := get(context.Background(), next, allow, srv.URL+"/jobs/x"); err != nil {
		t.Fatal(err)
	}
	if got := rec.count("/robots.txt"); got != 2 {
		t.Errorf("two runs: robots.txt requested %d times, want 2", got)
	}
}

func TestSanitizeRobots(t *testing.T) {
	cases := []struct {
		name, in, want string
		dropped        int
	}{
		{"valid file unchanged", "User-agent: *\nDisallow: /a\n", "User-agent: *\nDisallow: /a\n", 0},
		{"rule before any agent dropped", "Disallow: /a\nUser-agent: *\nAllow: /b\n", "User-agent: *\nAllow: /b\n", 1},
		{"bad crawl-delay dropped", "User-agent: *\nCrawl-delay: abc\nCrawl-delay: -1\nCrawl-delay: 2.5\n", "User-agent: *\nCrawl-delay: 2.5\n", 2},
		{"comments and CRLF", "User-agent: * # all\r\nDisallow: /a # no\r\n", "User-agent: *\nDisallow: /a\n", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, dropped := sanitizeRobots([]byte(tc.in))
			if string(got) != tc.want || dropped != tc.dropped {
				t.Errorf("sanitizeRobots(%q) = %q, %d; want %q, %d", tc.in, got, dropped, tc.want, tc.dropped)
			}
		})
	}
}
