package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
)

// countingTransport counts requests per URL.
type countingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	hits map[string]int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.hits[r.URL.String()]++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// idSink records the posting ids each thread gave.
type idSink struct {
	mu  sync.Mutex
	ids map[string]map[string]bool // start URL's thread id → comment ids
}

func (s *idSink) Page(_ context.Context, src scraper.Source, page jobtrends.Page, res *parse.Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	thread := strings.TrimPrefix(strings.SplitN(page.URL, "&", 2)[0], "https://news.ycombinator.com/item?id=")
	if s.ids[thread] == nil {
		s.ids[thread] = map[string]bool{}
	}
	for _, p := range res.Postings {
		s.ids[thread][p.ExternalID] = true
	}
	return nil
}

// TestCorpusHNThreads crawls every complete HN page set of the corpus
// (2019-06 → 2026-01, as the site served them) through the real scraper,
// following "More" links, and checks per thread that the postings are
// exactly the top-level comments counted independently from the HTML, and
// that no page was fetched twice.
func TestCorpusHNThreads(t *testing.T) {
	skipHeavyUnderRace(t)
	corpus := os.Getenv("JOBTRENDS_CORPUS")
	if corpus == "" {
		t.Skip("JOBTRENDS_CORPUS is not set: the full HN page sets are read from the corpus at run time")
	}
	dirs, _ := filepath.Glob(filepath.Join(corpus, "hn/threads/*_*"))
	pages := map[string]scraper.Replayed{}
	want := map[string]map[string]bool{}
	var starts []string
	for _, d := range dirs {
		month, id, _ := strings.Cut(filepath.Base(d), "_")
		files, _ := filepath.Glob(filepath.Join(d, "p*.html.gz"))
		if month < "2019-06" || len(files) < 7 {
			continue // not a complete page set
		}
		starts = append(starts, "https://news.ycombinator.com/item?id="+id)
		want[id] = map[string]bool{}
		for _, f := range files {
			n := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "p"), ".html.gz")
			u := "https://news.ycombinator.com/item?id=" + id
			if n != "1" {
				u += "&p=" + n
			}
			body, err := readPageFileRaw(f)
			if err != nil {
				t.Fatal(err)
			}
			pages[u] = scraper.Replayed{Body: body}
			for _, cid := range hnTopLevelIDs(body) {
				want[id][cid] = true
			}
		}
	}
	if len(starts) < 70 {
		t.Fatalf("found %d complete threads in the corpus, want the 76 of 2019-06 → 2026-01", len(starts))
	}
	sort.Strings(starts)
	tr := &countingTransport{next: scraper.NewReplay(pages), hits: map[string]int{}}
	c, err := scraper.New(scraper.Options{UserAgent: "jobtrends/test (+https://example.org)", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	sink := &idSink{ids: map[string]map[string]bool{}}
	stats, err := c.Crawl(context.Background(), scraper.Source{Name: "hn", Type: "hn", StartURLs: starts, MaxPages: 10000}, sink)
	if err != nil || stats.PagesFailed > 0 {
		t.Fatalf("crawl: %v, %d pages failed: %v", err, stats.PagesFailed, stats.Errors)
	}
	total := 0
	for id, w := range want {
		got := sink.ids[id]
		if len(got) != len(w) {
			t.Errorf("thread %s: %d postings, want %d top-level comments", id, len(got), len(w))
		}
		for cid := range w {
			if !got[cid] {
				t.Errorf("thread %s: comment %s missing", id, cid)
				break
			}
		}
		total += len(w)
	}
	for u, n := range tr.hits {
		if n > 1 && !strings.HasSuffix(u, "/robots.txt") {
			t.Errorf("%s fetched %d times", u, n)
		}
	}
	t.Logf("%d threads, %d pages fetched, %d postings", len(starts), stats.PagesFetched, total)
}
