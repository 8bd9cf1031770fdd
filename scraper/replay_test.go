package scraper

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestReplay(t *testing.T) {
	rt := NewReplay(map[string]Replayed{
		"https://news.ycombinator.com/item?id=1&p=2": {Body: []byte("page two")},
		"https://Jobs.Example.com:443/a#frag":        {Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{}`)},
		"https://jobs.example.com/robots.txt":        {Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("User-agent: *\nDisallow: /\n")},
		"https://jobs.example.com/gone":              {Status: 410, Body: []byte("gone")},
	})
	cases := []struct {
		name, url  string
		wantStatus int
		wantBody   string
		wantType   string
	}{
		{"exact URL", "https://news.ycombinator.com/item?id=1&p=2", 200, "page two", "text/html; charset=utf-8"},
		{"other query is another page", "https://news.ycombinator.com/item?id=1&p=3", 404, "", ""},
		{"other scheme is another page", "http://news.ycombinator.com/item?id=1&p=2", 404, "", ""},
		{"host case, default port and fragment normalized", "https://jobs.example.com/a", 200, "{}", "application/json"},
		{"robots.txt from the map", "https://jobs.example.com/robots.txt", 200, "User-agent: *\nDisallow: /\n", "text/plain"},
		{"robots.txt not in the map is 404", "https://news.ycombinator.com/robots.txt", 404, "", ""},
		{"saved status kept", "https://jobs.example.com/gone", 410, "gone", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if tc.wantBody != "" && string(body) != tc.wantBody {
				t.Errorf("body %q, want %q", body, tc.wantBody)
			}
			if tc.wantType != "" && resp.Header.Get("Content-Type") != tc.wantType {
				t.Errorf("Content-Type %q, want %q", resp.Header.Get("Content-Type"), tc.wantType)
			}
		})
	}
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://news.ycombinator.com/item?id=1&p=2", nil)
		if _, err := rt.RoundTrip(req); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("robots.txt from the map is obeyed by the fetch layer", func(t *testing.T) {
		o := testOptions(t)
		o.Transport = rt
		c := newCrawler(t, o)
		_, err := get(context.Background(), c, allowOf(t, "https://jobs.example.com/"), "https://jobs.example.com/a")
		if !errors.Is(err, ErrRobotsBlocked) {
			t.Errorf("err = %v, want ErrRobotsBlocked", err)
		}
	})
}

func TestLoadReplay(t *testing.T) {
	pages, err := hnPages()
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile("testdata/hn/manifest.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Count(strings.TrimSpace(string(manifest)), "\n") + 1; len(pages) != want {
		t.Errorf("%d pages, want %d (one per manifest line)", len(pages), want)
	}
	p, ok := pages["https://news.ycombinator.com/item?id=39562986&p=2"]
	if !ok || !strings.Contains(string(p.Body), "athing comtr") {
		t.Errorf("page 2 of 2024-03 missing or not decompressed (%d bytes)", len(p.Body))
	}
	if _, err := LoadReplay(os.DirFS("testdata"), "nope.tsv"); err == nil {
		t.Error("missing manifest: no error")
	}
}
