package scraper

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// bombMember is one gzip member inflating to 1 MiB of 'A'; bomb is 200
// of them: a multi-member stream, which every gzip reader follows, of 200
// MiB in about 200 KB. (Compressing 200 MiB at once takes ~40 s under the
// race detector.)
var bombMember = sync.OnceValue(func() []byte {
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte("A"), 1<<20))
	zw.Close()
	return member.Bytes()
})

func bomb() []byte { return bytes.Repeat(bombMember(), 200) }

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func TestBombIsABomb(t *testing.T) {
	zr, err := gzip.NewReader(bytes.NewReader(bombMember()))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	n, err := io.Copy(io.Discard, zr)
	if err != nil || n != 1<<20 {
		t.Fatalf("member inflates to %d bytes (%v), want 1 MiB", n, err)
	}
	if b := bomb(); len(b) > 300<<10 || len(b) != 200*len(bombMember()) {
		t.Fatalf("bomb is %d bytes, want 200 members in under 300 KB", len(b))
	}
}

// TestBodyCap: a body over MaxBody after decompression fails the page —
// whether the size is announced, streamed, or hidden in a gzip bomb, and
// on both of Go's decode paths — and is never read beyond the cap.
func TestBodyCap(t *testing.T) {
	const limit = 64 << 10
	page := func(n int) string { return "<html><body>" + strings.Repeat("x", n-len("<html><body>")) }
	handlers := map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/announced": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(50<<20))
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(200)
			for i := 0; i < 50 && r.Context().Err() == nil; i++ {
				if _, err := w.Write(bytes.Repeat([]byte("x"), 1<<20)); err != nil {
					return
				}
			}
		},
		"/streamed": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			for i := 0; i < 50 && r.Context().Err() == nil; i++ {
				if _, err := w.Write(bytes.Repeat([]byte("x"), 1<<20)); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		},
		"/exact": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(page(limit)))
		},
		"/one-over": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(page(limit + 1)))
		},
		"/bomb": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb())
		},
		"/gzip-gzip": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip, gzip")
			w.Write(gzipped(t, string(gzipped(t, "<p>twice</p>"))))
		},
		"/deflate": func(w http.ResponseWriter, r *http.Request) {
			var b bytes.Buffer
			zw := zlib.NewWriter(&b)
			zw.Write([]byte("<p>deflated</p>"))
			zw.Close()
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(b.Bytes())
		},
		"/br": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "br")
			w.Write([]byte{0x1b, 0x03, 0x00})
		},
	}
	cases := []struct {
		name           string
		path           string
		acceptEncoding string // explicit request header; "" lets Go negotiate and inflate
		wantErr        error
		wantBody       string
	}{
		{name: "announced over the cap", path: "/announced", wantErr: ErrBodyTooLarge},
		{name: "streamed over the cap", path: "/streamed", wantErr: ErrBodyTooLarge},
		{name: "exactly the cap", path: "/exact", wantBody: page(limit)},
		{name: "one byte over the cap", path: "/one-over", wantErr: ErrBodyTooLarge},
		{name: "gzip bomb, Go's transparent gzip", path: "/bomb", wantErr: ErrBodyTooLarge},
		{name: "gzip bomb, explicit Accept-Encoding", path: "/bomb", acceptEncoding: "gzip", wantErr: ErrBodyTooLarge},
		{name: "nested gzip decoded", path: "/gzip-gzip", acceptEncoding: "gzip", wantBody: "<p>twice</p>"},
		{name: "deflate decoded", path: "/deflate", acceptEncoding: "gzip, deflate", wantBody: "<p>deflated</p>"},
		{name: "unsupported encoding fails", path: "/br", acceptEncoding: "br", wantErr: ErrUndecodable},
	}
	srv, _ := newServer(t, mux(nil, handlers))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t)
			o.MaxBody = limit
			if tc.acceptEncoding != "" {
				o.Header = http.Header{"Accept-Encoding": {tc.acceptEncoding}}
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
				if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
					t.Errorf("allocated %d MiB to refuse a body capped at %d KiB", alloc>>20, limit>>10)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != tc.wantBody {
				t.Errorf("body = %.60q (%d bytes), want %.60q (%d bytes)", resp.Body, len(resp.Body), tc.wantBody, len(tc.wantBody))
			}
		})
	}
}

// TestBodyCapReplay: the cap also holds on a transport that does no gzip
// of its own (the replay transport): the bomb is inflated by the fetch
// layer, up to the cap only.
func TestBodyCapReplay(t *testing.T) {
	o := testOptions(t)
	o.MaxBody = 1 << 20
	o.Transport = NewReplay(map[string]Replayed{
		"https://jobs.example.com/bomb": {Header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}, Body: bomb()},
		"https://jobs.example.com/ok":   {Header: http.Header{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}, Body: gzipped(t, "<p>small</p>")},
	})
	c := newCrawler(t, o)
	allow := allowOf(t, "https://jobs.example.com/")
	if _, err := get(context.Background(), c, allow, "https://jobs.example.com/bomb"); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("bomb: err = %v, want ErrBodyTooLarge", err)
	}
	resp, err := get(context.Background(), c, allow, "https://jobs.example.com/ok")
	if err != nil || string(resp.Body) != "<p>small</p>" {
		t.Errorf("small gzip page: %q, %v", resp.Body, err)
	}
}

// TestRedirects: at most 5 redirects, no loops, http(s) only, no URL over
// MaxURLBytes, only to the source's exact host:port — an "internal" server on another port of
// 127.0.0.1 is never reached.
func TestRedirects(t *testing.T) {
	internal, internalRec := newServer(t, mux(map[string]string{"/": "secret"}, nil))
	handlers := map[string]http.HandlerFunc{
		"/robots.txt":   robotsStatus(404),
		"/to-internal":  redirectTo(internal.URL + "/admin"),
		"/to-metadata":  redirectTo("http://169.254.169.254/latest/meta-data/"),
		"/to-127-0-0-2": redirectTo("http://127.0.0.2:" + internal.URL[strings.LastIndex(internal.URL, ":")+1:] + "/admin"),
		"/to-file":      redirectTo("file:///etc/passwd"),
		"/to-ftp":       redirectTo("ftp://example.com/x"),
		"/to-long":      redirectTo("/long/" + strings.Repeat("x", MaxURLBytes)),
		"/a":            redirectTo("/b"),
		"/b":            redirectTo("/a"),
		"/chain/": func(w http.ResponseWriter, r *http.Request) {
			var n int
			fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chain/"), "%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
		},
		"/hop/": func(w http.ResponseWriter, r *http.Request) {
			var n int
			fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/hop/"), "%d", &n)
			if n >= 5 {
				w.Write([]byte("arrived"))
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n+1), http.StatusFound)
		},
	}
	srv, rec := newServer(t, mux(nil, handlers))
	cases := []struct {
		name     string
		path     string
		wantErr  error
		wantHits map[string]int // path prefix → hits on srv
	}{
		{name: "to another port of 127.0.0.1", path: "/to-internal", wantErr: ErrForbiddenURL},
		{name: "to the metadata address", path: "/to-metadata", wantErr: ErrForbiddenURL},
		{name: "to 127.0.0.2", path: "/to-127-0-0-2", wantErr: ErrForbiddenURL},
		{name: "to file:", path: "/to-file", wantErr: ErrForbiddenURL},
		{name: "to ftp:", path: "/to-ftp", wantErr: ErrForbiddenURL},
		{name: "to a URL over MaxURLBytes", path: "/to-long", wantErr: ErrForbiddenURL, wantHits: map[string]int{"/long/": 0}},
		{name: "loop", path: "/a", wantErr: ErrTooManyRedirects, wantHits: map[string]int{"/a": 1, "/b": 1}},
		{name: "endless chain stops after 5", path: "/chain/0", wantErr: ErrTooManyRedirects, wantHits: map[string]int{"/chain/": 6}},
		{name: "5 redirects followed", path: "/hop/0", wantHits: map[string]int{"/hop/": 6}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCrawler(t, testOptions(t))
			before := rec.all()
			resp, err := get(context.Background(), c, allowOf(t, srv.URL), srv.URL+tc.path)
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && (err != nil || string(resp.Body) != "arrived") {
				t.Errorf("resp %v, err %v; want the final page", resp, err)
			}
			hits := rec.all()[len(before):]
			for prefix, want := range tc.wantHits {
				got := 0
				for _, h := range hits {
					if strings.HasPrefix(h.path, prefix) {
						got++
					}
				}
				if got != want {
					t.Errorf("server saw %d requests under %s, want %d", got, prefix, want)
				}
			}
		})
	}
	if n := len(internalRec.all()); n != 0 {
		t.Errorf("internal server was reached %d times", n)
	}
}

// TestDialGuard: the real network transport refuses loopback unless
// AllowPrivate, and the metadata address always, before connecting.
func TestDialGuard(t *testing.T) {
	srv, rec := newServer(t, mux(map[string]string{"/": "ok"}, nil))
	cases := []struct {
		name         string
		allowPrivate bool
		url          string
		wantErr      error
		wantHits     int
	}{
		{"loopback refused by default", false, srv.URL + "/jobs", ErrForbiddenAddress, 0},
		{"negative control: loopback allowed by AllowPrivate", true, srv.URL + "/jobs", nil, 2},
		{"metadata refused even with AllowPrivate", true, "http://169.254.169.254/latest/meta-data/", ErrForbiddenAddress, 0},
		{"unspecified address refused", true, "http://0.0.0.0:1/", ErrForbiddenAddress, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.all())
			o := testOptions(t)
			o.Transport = nil
			o.AllowPrivate = tc.allowPrivate
			o.ConnectTimeout = 2 * time.Second
			c := newCrawler(t, o)
			t.Cleanup(c.f.base.(*http.Transport).CloseIdleConnections)
			start := time.Now()
			_, err := get(context.Background(), c, allowOf(t, tc.url), tc.url)
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && err != nil {
				t.Errorf("err = %v", err)
			}
			if err != nil && !strings.Contains(err.Error(), "address not allowed") {
				t.Errorf("err = %v does not say the address is not allowed", err)
			}
			if got := len(rec.all()) - before; got != tc.wantHits {
				t.Errorf("server reached %d times, want %d", got, tc.wantHits)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusal took %v; it must not try to connect", d)
			}
		})
	}
}

func TestCheckAddr(t *testing.T) {
	cases := []struct {
		ip           string
		allowPrivate bool
		ok           bool
	}{
		{"93.184.216.34", false, true},
		{"2606:2800:220:1:248:1893:25c8:1946", false, true},
		{"127.0.0.1", false, false},
		{"127.0.0.1", true, true},
		{"::1", false, false},
		{"10.1.2.3", false, false},
		{"10.1.2.3", true, true},
		{"172.16.0.1", false, false},
		{"192.168.1.1", false, false},
		{"100.64.0.1", false, false},
		{"fd12::1", false, false},
		{"169.254.169.254", true, false},
		{"::ffff:169.254.169.254", true, false},
		{"::ffff:127.0.0.1", false, false},
		{"fe80::1", true, false},
		{"fd00:ec2::254", true, false},
		{"100.100.100.200", true, false},
		{"0.0.0.0", true, false},
		{"224.0.0.1", true, false},
		{"255.255.255.255", true, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s private=%v", tc.ip, tc.allowPrivate), func(t *testing.T) {
			err := dialGuard(tc.allowPrivate)("tcp", netJoin(tc.ip, "80"), nil)
			if (err == nil) != tc.ok {
				t.Errorf("err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrForbiddenAddress) {
				t.Errorf("err = %v, want ErrForbiddenAddress", err)
			}
		})
	}
}

func netJoin(h, p string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]:" + p
	}
	return h + ":" + p
}

// TestCredentialsStripped: credential headers reach the same origin but
// are dropped when a redirect changes origin (127.0.0.1 → localhost, both
// allowed).
func TestCredentialsStripped(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]http.Header{}
	var port string
	srv, _ := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/cross": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://localhost:"+port+"/dest?via=cross", http.StatusFound)
		},
		"/same-origin": redirectTo("/dest?via=same"),
		"/dest": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[r.URL.Query().Get("via")] = r.Header.Clone()
			mu.Unlock()
			w.Write([]byte("ok"))
		},
	}))
	port = srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	creds := []string{"Authorization", "Cookie", "X-Api-Key", "Proxy-Authorization"}
	cases := []struct {
		name, path, via string
		wantCreds       bool
	}{
		{"cross-origin redirect drops credentials", "/cross", "cross", false},
		{"negative control: same-origin redirect keeps them", "/same-origin", "same", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t)
			o.Header = http.Header{}
			for _, h := range creds {
				o.Header.Set(h, "secret-"+h)
			}
			c := newCrawler(t, o)
			allow := allowOf(t, srv.URL, "http://localhost:"+port)
			if _, err := get(context.Background(), c, allow, srv.URL+tc.path); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			h := seen[tc.via]
			mu.Unlock()
			if h == nil {
				t.Fatal("destination not reached")
			}
			for _, name := range creds {
				if got := h.Get(name) != ""; got != tc.wantCreds {
					t.Errorf("%s present = %v, want %v", name, got, tc.wantCreds)
				}
			}
		})
	}
}

// TestUserAgent: every request, robots.txt included, names jobtrends and
// the contact URL.
func TestUserAgent(t *testing.T) {
	srv, rec := newServer(t, mux(map[string]string{"/": "ok"}, nil))
	c := newCrawler(t, testOptions(t))
	if _, err := get(context.Background(), c, allowOf(t, srv.URL), srv.URL+"/jobs"); err != nil {
		t.Fatal(err)
	}
	for _, h := range rec.all() {
		if got := h.header.Get("User-Agent"); got != testUA {
			t.Errorf("%s: User-Agent %q, want %q", h.path, got, testUA)
		}
	}
	for _, ua := range []string{"", "colly - https://github.com/gocolly/colly", "jobtrends/0.1", "Mozilla/5.0 (+https://x.example)"} {
		if _, err := New(Options{UserAgent: ua}); err == nil {
			t.Errorf("New accepted user agent %q", ua)
		}
	}
}

// TestTimeouts: a server that trickles its body, or stalls after the
// headers, is cut off at the attempt timeout.
func TestTimeouts(t *testing.T) {
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/slowloris": func(w http.ResponseWriter, r *http.Request) {
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
		},
		"/stall": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		},
	}))
	for _, path := range []string{"/slowloris", "/stall"} {
		t.Run(path, func(t *testing.T) {
			o := testOptions(t)
			o.Timeout = 300 * time.Millisecond
			o.MaxRetries = -1
			c := newCrawler(t, o)
			start := time.Now()
			_, err := get(context.Background(), c, allowOf(t, srv.URL), srv.URL+path)
			if err == nil || !strings.Contains(err.Error(), "timeout") {
				t.Errorf("err = %v, want a timeout", err)
			}
			if d := time.Since(start); d < 250*time.Millisecond || d > 1500*time.Millisecond {
				t.Errorf("gave up after %v, want ≈ 300ms", d)
			}
			if n := rec.count(path); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
}

// TestCharsetEndToEnd: the body Colly hands on is UTF-8, decoded once.
func TestCharsetEndToEnd(t *testing.T) {
	cp1252 := "<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 Z\xfcrich \x96 Senior</title></head></html>"
	cases := []struct {
		name, contentType string
	}{
		{"declared only in meta", "text/html"},
		{"declared in the header", "text/html; charset=windows-1252"},
		{"header lies (utf-8), meta right", "text/html; charset=utf-8"},
		{"no content type at all", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newServer(t, mux(nil, map[string]http.HandlerFunc{
				"/robots.txt": robotsStatus(404),
				"/page": func(w http.ResponseWriter, r *http.Request) {
					w.Header()["Content-Type"] = nil
					if tc.contentType != "" {
						w.Header().Set("Content-Type", tc.contentType)
					}
					w.Write([]byte(cp1252))
				},
			}))
			c := newCrawler(t, testOptions(t))
			resp, err := get(context.Background(), c, allowOf(t, srv.URL), srv.URL+"/page")
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.Valid(resp.Body) {
				t.Fatalf("body is not valid UTF-8: %q", resp.Body)
			}
			if !strings.Contains(string(resp.Body), "Café Zürich – Senior") {
				t.Errorf("body %q lacks the decoded title", resp.Body)
			}
			if ct := resp.Headers.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q, want text/html; charset=utf-8", ct)
			}
		})
	}
}
