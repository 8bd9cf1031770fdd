package sink

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

// pipelineSink returns a started Store sink on a fresh store.
func pipelineSink(t *testing.T) (*Store, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "jobtrends.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	runID, err := st.StartRun(ctx, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s := New(st, runID, parse.NewEnricher())
	s.Start(2, 3)
	t.Cleanup(func() { s.Stop() })
	return s, st
}

// pipelinePage is page n of a source: two postings, and a body that
// names n.
func pipelinePage(url string, n int) (jobtrends.Page, *parse.Result) {
	fetched := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	page := jobtrends.Page{URL: url, Fetched: fetched, Status: 200, ContentType: "text/html", Body: fmt.Appendf(nil, "<html>version %d</html>", n)}
	res := &parse.Result{}
	for i := range 2 {
		res.Postings = append(res.Postings, jobtrends.Posting{
			SourceType: "jsonld", ExternalID: fmt.Sprintf("%s#%d-%d", url, n, i), URL: fmt.Sprintf("%s/job/%d-%d", url, n, i),
			Title: "Senior Machine Learning Engineer", Company: "Acme",
			Description: "We are a fintech startup. A PhD in Computer Science is preferred. Python, PyTorch.",
		})
	}
	return page, res
}

// TestSinkPipelineOrder: pages handed on are all stored with exact counts,
// enriched, one transaction each in the order they were handed on (the
// last version of a URL is the one kept), and a page's validators land
// after the page.
func TestSinkPipelineOrder(t *testing.T) {
	s, st := pipelineSink(t)
	ctx := context.Background()
	src := scraper.Source{Name: "jobs"}
	const n = 40
	for i := range n {
		url := fmt.Sprintf("http://127.0.0.1/p%d", i%3)
		page, res := pipelinePage(url, i)
		if err := s.Page(ctx, src, page, res); err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		if err := s.Validators(ctx, src, url, fmt.Sprintf("etag-%d", i), ""); err != nil {
			t.Fatalf("validators %d: %v", i, err)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if c := s.Counts("jobs"); c.New != 2*n {
		t.Fatalf("counts = %+v, want %d new", c, 2*n)
	}
	want := map[string]string{}
	for i := n - 3; i < n; i++ {
		want[fmt.Sprintf("http://127.0.0.1/p%d", i%3)] = fmt.Sprintf("<html>version %d</html>", i)
	}
	err := st.RawPages(ctx, func(p jobtrends.Page) error {
		if string(p.Body) != want[p.URL] {
			t.Errorf("%s: latest body %q, want %q", p.URL, p.Body, want[p.URL])
		}
		etag, _, err := st.Validators(ctx, p.URL)
		if w := fmt.Sprintf("etag-%s", want[p.URL][len("<html>version "):len(want[p.URL])-len("</html>")]); err != nil || etag != w {
			t.Errorf("%s: etag %q (%v), want %q", p.URL, etag, err, w)
		}
		delete(want, p.URL)
		return nil
	})
	if err != nil || len(want) > 0 {
		t.Fatalf("RawPages: %v; not stored: %v", err, want)
	}
}

// TestSinkPipelineError: a page that fails to store aborts the source:
// the next Page returns the error, the pages handed on after it are not
// stored, the flush returns the error once, and the next source starts
// clean.
func TestSinkPipelineError(t *testing.T) {
	s, _ := pipelineSink(t)
	src := scraper.Source{Name: "jobs"}
	ctx := context.Background()
	page, res := pipelinePage("http://127.0.0.1/ok", 0)
	if err := s.Page(ctx, src, page, res); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	page, res = pipelinePage("http://127.0.0.1/fails", 1)
	if err := s.Page(cancelled, src, page, res); err != nil {
		t.Fatalf("Page returned %v before the store saw the page", err)
	}
	var err error
	for i := 2; err == nil && i < 1000; i++ {
		page, res = pipelinePage(fmt.Sprintf("http://127.0.0.1/after%d", i), i)
		err = s.Page(ctx, src, page, res)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Page after the failing page = %v, want the store's context.Canceled", err)
	}
	if ferr := s.Flush(); !errors.Is(ferr, context.Canceled) {
		t.Fatalf("flush = %v, want the failure", ferr)
	}
	if c := s.Counts("jobs"); c.New != 2 {
		t.Fatalf("counts = %+v, want only the first page's 2 postings", c)
	}
	other := scraper.Source{Name: "other"}
	page, res = pipelinePage("http://127.0.0.1/next", 0)
	if err := s.Page(ctx, other, page, res); err != nil {
		t.Fatalf("next source: %v", err)
	}
	if err := s.Flush(); err != nil {
		t.Fatalf("next source flush: %v", err)
	}
	if c := s.Counts("other"); c.New != 2 {
		t.Fatalf("next source counts = %+v, want 2 new", c)
	}
}

// TestSinkWithoutEnricher: with no enricher the postings are stored as
// extracted, on the caller's goroutine (not started) and behind it
// (started) alike, and OnPage sees every stored page with its postings.
func TestSinkWithoutEnricher(t *testing.T) {
	for _, started := range []bool{false, true} {
		t.Run(fmt.Sprintf("started=%v", started), func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "jobtrends.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			s := New(st, 0, nil)
			var pages, postings int
			s.OnPage = func(page jobtrends.Page, ps []jobtrends.Posting) { pages++; postings += len(ps) }
			if started {
				s.Start(2, 2)
			}
			for i := range 5 {
				page, res := pipelinePage(fmt.Sprintf("http://127.0.0.1/q%d", i), i)
				if err := s.Page(ctx, scraper.Source{Name: "raw"}, page, res); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Stop(); err != nil {
				t.Fatal(err)
			}
			if pages != 5 || postings != 10 || s.Counts("raw").New != 10 {
				t.Errorf("OnPage saw %d pages, %d postings; counts %+v; want 5, 10, 10 new", pages, postings, s.Counts("raw"))
			}
			err = st.Postings(ctx, func(p *jobtrends.Posting) error {
				if p.Role != "" || p.Skills != nil || p.Source != "raw" {
					t.Errorf("posting %s: role %q, skills %v, source %q: want unenriched, source raw", p.ExternalID, p.Role, p.Skills, p.Source)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSinkPipelineBadPageMidway: a page that cannot be stored, handed on
// among many (so that it may share a transaction with the pages around
// it), leaves the pages before it stored and none after it, and the
// error names it.
func TestSinkPipelineBadPageMidway(t *testing.T) {
	for _, bad := range []int{0, 1, 7, 30} {
		t.Run(fmt.Sprint(bad), func(t *testing.T) {
			s, st := pipelineSink(t)
			ctx := context.Background()
			src := scraper.Source{Name: "jobs"}
			var err error
			for i := 0; err == nil && i < 200; i++ {
				page, res := pipelinePage(fmt.Sprintf("http://127.0.0.1/m%d", i), i)
				if i == bad {
					res.Postings[1].ExternalID = ""
				}
				err = s.Page(ctx, src, page, res)
			}
			ferr := s.Flush()
			if err == nil {
				err = ferr
			}
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("http://127.0.0.1/m%d:", bad)) || !strings.Contains(err.Error(), "no source or external ID") {
				t.Fatalf("error = %v, want it to name page m%d and the missing ID", err, bad)
			}
			if c := s.Counts("jobs"); c.New != 2*bad {
				t.Errorf("counts = %+v, want the %d postings of the pages before the bad one", c, 2*bad)
			}
			n := 0
			if err := st.RawPages(ctx, func(p jobtrends.Page) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			if n != bad {
				t.Errorf("%d pages stored, want the %d before the bad one", n, bad)
			}
		})
	}
}
