package main

// The fault rows of RELIABILITY.md §2 that are about what a whole run
// does — which postings a faulty crawl may close, the exit code, the run
// row, the database and the report files — tested through the command
// line on httptest servers (127.0.0.1). docs/FAULTS.md maps every row to
// its tests.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/store"
)

// faultSite is a small job site whose answers a test changes between
// runs: /jobs/ lists the job pages /jobs/N (JSON-LD), /board lists the
// same jobs as cards for an html source; listing replaces /jobs/ and
// /board when set, status answers a job page with an error.
type faultSite struct {
	*httptest.Server
	mu      sync.Mutex
	jobs    []int
	status  map[int]int
	listing http.HandlerFunc
	cards   string // the class of a card on /board
	noLD    bool   // job pages without JSON-LD
	// cp1252 serves job page N in windows-1252, titled "Ingénieur N",
	// with cp1252[N] as its Content-Type.
	cp1252 map[int]string
	hits   map[string]int
}

func newFaultSite(t testing.TB, jobs ...int) *faultSite {
	t.Helper()
	s := &faultSite{jobs: jobs, status: map[int]int{}, cards: "job", hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// set changes the site under its lock.
func (s *faultSite) set(f func(s *faultSite)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *faultSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *faultSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	jobs, listing, cards, noLD := append([]int(nil), s.jobs...), s.listing, s.cards, s.noLD
	var code int
	var n int
	var cp1252 string
	if _, err := fmt.Sscanf(r.URL.Path, "/jobs/%d", &n); err == nil {
		code, cp1252 = s.status[n], s.cp1252[n]
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	switch {
	case r.URL.Path == "/robots.txt":
		http.NotFound(w, r)
	case (r.URL.Path == "/jobs/" || r.URL.Path == "/board") && listing != nil:
		listing(w, r)
	case r.URL.Path == "/jobs/":
		fmt.Fprint(w, "<html><body><h1>Jobs</h1><ul>")
		for _, j := range jobs {
			fmt.Fprintf(w, `<li><a href="/jobs/%d">Engineer %d</a></li>`, j, j)
		}
		fmt.Fprint(w, "</ul></body></html>")
	case r.URL.Path == "/board":
		fmt.Fprint(w, "<html><body><ul>")
		for _, j := range jobs {
			fmt.Fprintf(w, `<li class="%s"><a href="/jobs/%d"><h2>Engineer %d</h2></a><span class="co">Acme</span></li>`, cards, j, j)
		}
		fmt.Fprint(w, "</ul></body></html>")
	case code != 0:
		http.Error(w, http.StatusText(code), code)
	case cp1252 != "":
		w.Header().Set("Content-Type", cp1252)
		title := fmt.Sprintf("Ing\xe9nieur %d", n) // "Ingénieur N" in windows-1252
		fmt.Fprintf(w, `<html><head><title>%s</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"%s",`+
			`"datePosted":"2026-11-01","hiringOrganization":{"@type":"Organization","name":"Acme"}}</script></head><body></body></html>`, title, title)
	case n > 0 || strings.HasPrefix(r.URL.Path, "/jobs/"):
		ld := fmt.Sprintf(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting","title":"Engineer %d",`+
			`"datePosted":"2026-11-01","hiringOrganization":{"@type":"Organization","name":"Acme"},`+
			`"jobLocation":{"@type":"Place","address":{"addressLocality":"Berlin","addressCountry":"DE"}}}</script>`, n)
		if noLD {
			ld = ""
		}
		fmt.Fprintf(w, "<html><head><title>Engineer %d</title>%s</head><body><h1>Engineer %d</h1></body></html>", n, ld, n)
	default:
		http.NotFound(w, r)
	}
}

// sourceYAML is the config entry of a jsonld source crawling /jobs/ of a
// site, or of an html source reading its /board.
func sourceYAML(name, typ string, site *faultSite) string {
	if typ == "html" {
		return fmt.Sprintf(`  - name: %s
    type: html
    start_urls: ["%s/board"]
    selectors: {item: "li.job", title: "h2", company: ".co", link: "a"}
`, name, site.URL)
	}
	return fmt.Sprintf(`  - name: %s
    type: jsonld
    start_urls: ["%s/jobs/"]
    follow: ["/jobs/[0-9]+"]
`, name, site.URL)
}

// faultConfig writes a config with the given sources and close_after into
// dir and returns its path and the database's.
func faultConfig(t testing.TB, dir string, closeAfter int, sources ...string) (cfgPath, dbPath string) {
	t.Helper()
	dbPath = filepath.Join(dir, "jobs.db")
	cfgPath = filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`database: %s
report:
  out: %s
crawl:
  user_agent: "jobtrends/test (+https://example.org/jobtrends)"
  delay: 0s
  timeout: 5s
  allow_private: true
lifecycle:
  close_after: %d
sources:
%s`, dbPath, filepath.Join(dir, "report"), closeAfter, strings.Join(sources, ""))
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

// runDay is the fixed clock of run n of a test.
func runDay(n int) time.Time { return time.Date(2026, 11, 1+n, 6, 0, 0, 0, time.UTC) }

// scrapeOn runs `jobtrends scrape` in process with the clock at runDay(n).
func scrapeOn(t testing.TB, ta *testApp, n int, cfg string) (int, error) {
	t.Helper()
	ta.now = func() time.Time { return runDay(n) }
	return ta.exec(t, "scrape", "--config", cfg)
}

// openPostings returns, by external ID, whether each stored posting of
// the database is still open.
func openPostings(t testing.TB, dbPath string) map[string]bool {
	t.Helper()
	st, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	open := map[string]bool{}
	err = st.Postings(context.Background(), func(p *jobtrends.Posting) error {
		open[p.ExternalID[strings.LastIndex(p.ExternalID, "/")+1:]] = p.Closed.IsZero()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return open
}

// lastRun returns the newest run of the database.
func lastRun(t testing.TB, dbPath string) store.Run {
	t.Helper()
	runs := allRuns(t, dbPath)
	if len(runs) == 0 {
		t.Fatalf("%s: no runs", dbPath)
	}
	return runs[0]
}

// allRuns returns every run of the database (a file or a PostgreSQL URL),
// newest first.
func allRuns(t testing.TB, database string) []store.Run {
	t.Helper()
	st, err := store.Open(context.Background(), database)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(context.Background(), 0)
	if err != nil {
		t.Fatalf("runs of %s: %v", database, err)
	}
	return runs
}

// fault is one way a run goes wrong: what it does to the site, and what
// the run's error (or its logged cause) must then say.
type fault struct {
	name    string
	apply   func(s *faultSite)
	wantErr string
}

// checkLifecycle is the shared shape of the lifecycle rows. A first,
// clean run stores jobs 1–4. Then, one after the other, each fault makes
// a run that must exit 1 saying wantErr, record the source as incomplete,
// and close nothing — with close_after 1, when any complete crawl missing
// a posting closes it. With control set, a last clean run that no
// longer lists job 4 must close it (the negative control: the setup does
// close, so "nothing closed" is the fault handling's doing; F5 runs it
// for the jsonld and C12 for the html source).
func checkLifecycle(t *testing.T, typ string, control bool, faults ...fault) {
	t.Helper()
	site := newFaultSite(t, 1, 2, 3, 4)
	cfg, db := faultConfig(t, t.TempDir(), 1, sourceYAML("site", typ, site))
	ta := newTestApp(t, nil)
	if code, err := scrapeOn(t, ta, 1, cfg); code != 0 {
		t.Fatalf("clean run: exit %d: %v\n%s", code, err, ta.errb)
	}
	want := map[string]bool{"1": true, "2": true, "3": true, "4": true}
	if got := openPostings(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the clean run: %v, want %v", got, want)
	}
	clean := func(jobs ...int) func(s *faultSite) {
		return func(s *faultSite) {
			s.jobs, s.status, s.listing, s.cards, s.noLD = jobs, map[int]int{}, nil, "job", false
		}
	}
	for i, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			site.set(clean(1, 2, 3, 4))
			site.set(f.apply)
			code, err := scrapeOn(t, ta, 2+i, cfg)
			if said := fmt.Sprint(err) + "\n" + ta.errb.String(); code != exitFailed || !strings.Contains(said, f.wantErr) {
				t.Errorf("exit %d, err %v; want %d and the error or its log saying %q\n%s", code, err, exitFailed, f.wantErr, ta.errb)
			}
			if got := openPostings(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("postings %v, want every one still open", got)
			}
			run := lastRun(t, db)
			src, _ := run.Source("site")
			if run.Status != store.StatusPartial || src.Complete || src.Closed != 0 {
				t.Errorf("run row: status %q, source %+v; want partial, incomplete, nothing closed", run.Status, src)
			}
		})
	}
	if !control {
		return
	}
	t.Run("negative control: a complete crawl closes what it no longer lists", func(t *testing.T) {
		site.set(clean(1, 2, 3))
		if code, err := scrapeOn(t, ta, 2+len(faults), cfg); code != 0 {
			t.Fatalf("exit %d: %v\n%s", code, err, ta.errb)
		}
		if got := openPostings(t, db); !got["1"] || got["4"] {
			t.Errorf("postings %v; want job 4 closed, the others open", got)
		}
	})
}

// TestFault_F5_FailedPageClosesNothing: a job page answering 500 (after
// its retries) fails, the others are crawled; the run exits 1 naming the
// page, records the failed page, and its posting stays open.
func TestFault_F5_FailedPageClosesNothing(t *testing.T) {
	t.Parallel()
	checkLifecycle(t, "jsonld", true, fault{"500 on one job page", func(s *faultSite) { s.status[4] = http.StatusInternalServerError },
		"/jobs/4: bad status: status 500 internal server error (after 3 attempts)"})
}

// TestFault_F23_EmptyOrSoft404Listing: a listing that comes back empty,
// as a soft 404 ("No jobs found") or as a login wall, closes nothing:
// the empty page fails, and a listing that yields no postings where the
// last run had some is a source dropped to zero (exit 1).
func TestFault_F23_EmptyOrSoft404Listing(t *testing.T) {
	t.Parallel()
	page := func(body string) func(s *faultSite) {
		return func(s *faultSite) {
			s.listing = func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }
		}
	}
	checkLifecycle(t, "jsonld", false,
		fault{"empty 200", page(""), "empty body"},
		fault{"soft 404", page("<html><body><h1>No jobs found</h1><p>Try again later.</p></body></html>"), "returned no postings"},
		fault{"login wall", page(`<html><body><form action="/login"><input name="user"><input type="password"></form></body></html>`), "returned no postings"},
	)
}

// TestFault_C12_SelectorDrift: the markup changes under the source's
// rules — the cards' class renamed on an html listing, the JSON-LD gone
// from the job pages — and the run exits 1 naming the drift, closing
// nothing.
func TestFault_C12_SelectorDrift(t *testing.T) {
	t.Parallel()
	t.Run("html", func(t *testing.T) {
		checkLifecycle(t, "html", true, fault{"cards renamed", func(s *faultSite) { s.cards = "posting" }, "selector matched nothing"})
	})
	t.Run("jsonld", func(t *testing.T) {
		checkLifecycle(t, "jsonld", false, fault{"JSON-LD gone from the job pages", func(s *faultSite) { s.noLD = true }, "returned no postings"})
	})
}

// TestFault_F3_DeferredHost: a listing answering 429 with a Retry-After
// of a day defers the host to the next run: no second request in the
// run, the source recorded as skipped and incomplete, nothing closed, and
// — the server asked for a pause, nothing failed — exit 0.
func TestFault_F3_DeferredHost(t *testing.T) {
	t.Parallel()
	site := newFaultSite(t, 1, 2, 3, 4)
	cfg, db := faultConfig(t, t.TempDir(), 1, sourceYAML("site", "jsonld", site))
	ta := newTestApp(t, nil)
	if code, err := scrapeOn(t, ta, 1, cfg); code != 0 {
		t.Fatalf("clean run: exit %d: %v\n%s", code, err, ta.errb)
	}
	before := site.count("/jobs/")
	site.set(func(s *faultSite) {
		s.listing = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "86400")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}
	})
	if code, err := scrapeOn(t, ta, 2, cfg); code != exitOK {
		t.Errorf("deferred run: exit %d, err %v; want 0\n%s", code, err, ta.errb)
	}
	if n := site.count("/jobs/") - before; n != 1 {
		t.Errorf("the listing was requested %d times in the deferred run, want 1", n)
	}
	if !strings.Contains(ta.errb.String(), "deferred to the next run") {
		t.Errorf("the log does not say the host was deferred:\n%s", ta.errb)
	}
	run := lastRun(t, db)
	src, _ := run.Source("site")
	if src.PagesSkipped != 1 || src.PagesFailed != 0 || src.Complete || src.Closed != 0 {
		t.Errorf("run row %+v; want 1 page skipped, none failed, incomplete, nothing closed", src)
	}
	for id, open := range openPostings(t, db) {
		if !open {
			t.Errorf("posting %s closed by a deferred run", id)
		}
	}
}

// TestFault_C2_LyingCharset: a job page whose header says charset=utf-8
// over windows-1252 bytes is stored decoded right and counted in the run
// row (run_sources.encoding_fallback) and the run's summary line; the
// same page under a header that tells the truth counts 0 (negative
// control).
func TestFault_C2_LyingCharset(t *testing.T) {
	t.Parallel()
	site := newFaultSite(t, 1, 2)
	cfg, db := faultConfig(t, t.TempDir(), 3, sourceYAML("site", "jsonld", site))
	ta := newTestApp(t, nil)
	for i, tc := range []struct {
		name, contentType string
		want              int
	}{
		{"lying header", "text/html; charset=utf-8", 1},
		{"negative control: the header tells the truth", "text/html; charset=windows-1252", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site.set(func(s *faultSite) { s.cp1252 = map[int]string{2: tc.contentType} })
			if code, err := scrapeOn(t, ta, 1+i, cfg); code != 0 {
				t.Fatalf("exit %d: %v\n%s", code, err, ta.errb)
			}
			run := lastRun(t, db)
			src, _ := run.Source("site")
			if src.EncodingFallback != tc.want || !src.Complete || src.PagesFetched != 3 {
				t.Errorf("run row %+v; want %d encoding fallbacks, 3 pages, complete", src, tc.want)
			}
			if wantLog := fmt.Sprintf("%d encoding fallbacks", tc.want); !strings.Contains(ta.errb.String(), wantLog) {
				t.Errorf("the run summary does not say %q:\n%s", wantLog, ta.errb)
			}
			titles := map[string]bool{}
			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			err = st.Postings(context.Background(), func(p *jobtrends.Posting) error {
				titles[p.Title] = true
				return nil
			})
			if err != nil || !titles["Ingénieur 2"] || len(titles) != 2 {
				t.Errorf("stored titles %v (%v); want Engineer 1 and Ingénieur 2", titles, err)
			}
		})
	}
}

// TestFault_C7_OutlinkCapClosesNothing: a listing with more new links
// than the source's max_outlinks (from the config) has the rest dropped:
// never requested, the source incomplete, the run partial (exit 0: a
// limit, not a failure), nothing closed — not even the job that is gone
// from the listing. Negative control: the same listing under a cap it
// fits is complete and closes the job that is gone.
func TestFault_C7_OutlinkCapClosesNothing(t *testing.T) {
	t.Parallel()
	site := newFaultSite(t, 1, 2, 3, 4)
	dir := t.TempDir()
	config := func(maxOutlinks int) string {
		cfg, _ := faultConfig(t, dir, 1, sourceYAML("site", "jsonld", site)+fmt.Sprintf("    max_outlinks: %d\n", maxOutlinks))
		return cfg
	}
	ta := newTestApp(t, nil)
	if code, err := scrapeOn(t, ta, 1, config(4)); code != 0 {
		t.Fatalf("clean run: exit %d: %v\n%s", code, err, ta.errb)
	}
	db := filepath.Join(dir, "jobs.db")
	site.set(func(s *faultSite) { s.jobs = []int{1, 2, 3} }) // job 4 is gone

	before := site.count("/jobs/3")
	if code, err := scrapeOn(t, ta, 2, config(2)); code != exitOK {
		t.Fatalf("capped run: exit %d: %v\n%s", code, err, ta.errb)
	}
	if n := site.count("/jobs/3") - before; n != 0 {
		t.Errorf("/jobs/3, over the cap, was requested %d times", n)
	}
	if !strings.Contains(ta.errb.String(), "max_outlinks") || !strings.Contains(ta.errb.String(), "dropped=1") {
		t.Errorf("the log does not name the capped page and the dropped link:\n%s", ta.errb)
	}
	run := lastRun(t, db)
	src, _ := run.Source("site")
	if run.Status != store.StatusPartial || src.Complete || src.Closed != 0 || src.PagesFetched != 3 {
		t.Errorf("capped run: status %q, source %+v; want partial, 3 pages, incomplete, nothing closed", run.Status, src)
	}
	if got := openPostings(t, db); !got["1"] || !got["2"] || !got["3"] || !got["4"] {
		t.Errorf("after the capped run: %v, want every posting open", got)
	}

	t.Run("negative control: under a cap it fits, the crawl is complete and closes job 4", func(t *testing.T) {
		if code, err := scrapeOn(t, ta, 3, config(3)); code != exitOK {
			t.Fatalf("exit %d: %v\n%s", code, err, ta.errb)
		}
		run := lastRun(t, db)
		if src, _ := run.Source("site"); run.Status != store.StatusOK || !src.Complete || src.Closed != 1 {
			t.Errorf("status %q, source %+v; want ok, complete, 1 closed", run.Status, src)
		}
		if got := openPostings(t, db); !got["1"] || !got["2"] || !got["3"] || got["4"] {
			t.Errorf("postings %v; want job 4 closed, the others open", got)
		}
	})
}

// TestFault_C10_DuplicatePostings: the same job reached twice in a crawl
// — on two listing pages (a pagination shift), with tracking parameters
// and a fragment, with and without a trailing slash (/jobs/1 and
// /jobs/1/) — is one posting and is requested once; a second run, which
// finds the job under the other spelling first, adds none; the same job
// on two boards (two sources) is two rows with one dedupe key, so the
// report counts it once.
func TestFault_C10_DuplicatePostings(t *testing.T) {
	t.Parallel()
	site := newFaultSite(t)
	var run int // the run the listing serves, under site's lock
	site.set(func(s *faultSite) {
		s.listing = func(w http.ResponseWriter, r *http.Request) {
			first, again := "/jobs/1", "/jobs/1/"
			if run == 2 {
				first, again = again, first
			}
			switch r.URL.Query().Get("page") {
			case "", "1":
				fmt.Fprintf(w, `<html><body><a href="%s">1</a><a href="/jobs/2">2</a><a href="/jobs/?page=2">next</a></body></html>`, first)
			default:
				fmt.Fprintf(w, `<html><body><a href="/jobs/2?utm_source=feed&utm_medium=x#apply">2 again</a><a href="%s">1 again</a><a href="/jobs/3">3</a></body></html>`, again)
			}
		}
	})
	board := func(name string) string {
		return fmt.Sprintf(`  - name: %s
    type: jsonld
    start_urls: ["%s/jobs/"]
    follow: ["/jobs/[0-9]+", "/jobs/\\?page="]
`, name, site.URL)
	}
	cfg, db := faultConfig(t, t.TempDir(), 3, board("board-a"), board("board-b"))
	ta := newTestApp(t, nil)
	for n := 1; n <= 2; n++ {
		site.set(func(*faultSite) { run = n })
		before := site.count("/jobs/1") + site.count("/jobs/1/")
		if code, err := scrapeOn(t, ta, n, cfg); code != 0 {
			t.Fatalf("run %d: exit %d: %v\n%s", n, code, err, ta.errb)
		}
		if got := site.count("/jobs/1") + site.count("/jobs/1/") - before; got != 2 {
			t.Errorf("run %d: job 1 requested %d times under /jobs/1 and /jobs/1/, want 2 (once per board)", n, got)
		}
		st, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string][]string{} // source → external IDs
		keys := map[string]map[string]bool{}
		err = st.Postings(context.Background(), func(p *jobtrends.Posting) error {
			rows[p.Source] = append(rows[p.Source], p.ExternalID)
			k := store.DedupeKey(p)
			if keys[k] == nil {
				keys[k] = map[string]bool{}
			}
			keys[k][p.Source] = true
			return nil
		})
		runs, _ := st.Runs(context.Background(), 1)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, src := range []string{"board-a", "board-b"} {
			if len(rows[src]) != 3 {
				t.Errorf("run %d: %s has %d posting rows %v, want 3", n, src, len(rows[src]), rows[src])
			}
			if s, _ := runs[0].Source(src); n == 2 && s.New != 0 {
				t.Errorf("run 2: %s added %d postings, want 0", src, s.New)
			}
		}
		if len(keys) != 3 {
			t.Errorf("run %d: %d dedupe keys, want 3 (one per job across both boards)", n, len(keys))
		}
		for k, srcs := range keys {
			if len(srcs) != 2 {
				t.Errorf("run %d: dedupe key %q on sources %v, want both", n, k, srcs)
			}
		}
	}
}

// TestFault_S9_DatabaseLockedByAnotherProgram: another program holds an
// exclusive transaction on the database (as `sqlite3 jobs.db 'BEGIN
// EXCLUSIVE;'` would): the run waits the busy timeout, then fails with
// exit 1 and an error naming the file; what was committed before is
// intact and the next run, the lock gone, succeeds.
func TestFault_S9_DatabaseLockedByAnotherProgram(t *testing.T) {
	t.Parallel()
	site := newFaultSite(t, 1, 2)
	cfg, db := faultConfig(t, t.TempDir(), 3, sourceYAML("site", "jsonld", site))
	ta := newTestApp(t, nil)
	if code, err := scrapeOn(t, ta, 1, cfg); code != 0 {
		t.Fatalf("first run: exit %d: %v\n%s", code, err, ta.errb)
	}
	other, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, err := scrapeOn(t, ta, 2, cfg)
	waited := time.Since(start)
	if code != exitFailed || !errors.Is(err, store.ErrBusy) || !strings.Contains(err.Error(), db) {
		t.Errorf("locked run: exit %d, err %v; want %d and ErrBusy naming %s", code, err, exitFailed, db)
	}
	if waited < store.DefaultBusyTimeout*9/10 || waited > store.DefaultBusyTimeout+5*time.Second {
		t.Errorf("gave up after %v, want about the busy timeout %v", waited, store.DefaultBusyTimeout)
	}
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Close()
	other.Close()
	dbState(t, db) // integrity_check ok, no duplicates
	if got := openPostings(t, db); len(got) != 2 {
		t.Errorf("postings after the locked run: %v, want the 2 committed before", got)
	}
	if code, err := scrapeOn(t, ta, 3, cfg); code != 0 {
		t.Errorf("run after the lock was released: exit %d: %v", code, err)
	}
}

// reportState is what a reader of the report folder sees: index.html's
// hash, and whether the folder holds a whole report (index.html ends with
// its end tag and every file it names is there).
func reportState(t testing.TB, dir string) (sum [32]byte, whole bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatalf("no report at the final path: %v", err)
	}
	whole = strings.HasSuffix(strings.TrimSpace(string(b)), "</html>")
	for _, f := range []string{"echarts.min.js", "report.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			whole = false
		}
	}
	return sha256.Sum256(b), whole
}

// reportSite fills a database for the report rows: one run of a small
// job site, in a child process like the reports that follow.
func reportSite(t *testing.T) (cfg, reportDir string) {
	t.Helper()
	site := newFaultSite(t, 1, 2, 3)
	dir := t.TempDir()
	cfg, _ = faultConfig(t, dir, 3, sourceYAML("site", "jsonld", site))
	cmd, out := child(t, nil, "scrape", "--config", cfg)
	if code := exitOf(cmd.Wait()); code != 0 {
		t.Fatalf("scrape: exit %d:\n%s", code, out)
	}
	return cfg, filepath.Join(dir, "report")
}

// TestFault_S2_KilledWhileWritingReport: `jobtrends report` SIGKILLed at
// random moments never leaves a half-written report at the final path:
// after each kill, index.html is byte for byte the previous report or a
// whole new one.
func TestFault_S2_KilledWhileWritingReport(t *testing.T) {
	t.Parallel()
	cfg, dir := reportSite(t)
	start := time.Now()
	cmd, out := child(t, nil, "report", "--config", cfg)
	if code := exitOf(cmd.Wait()); code != 0 {
		t.Fatalf("report: exit %d:\n%s", code, out)
	}
	runTime := time.Since(start)
	prev, whole := reportState(t, dir)
	if !whole {
		t.Fatal("an uninterrupted report is not whole")
	}
	rng := rand.New(rand.NewPCG(2, uint64(time.Now().UnixNano())))
	kept, replaced := 0, 0
	const kills = 5
	for i := 0; i < kills; i++ {
		cmd, _ := child(t, nil, "report", "--config", cfg)
		time.Sleep(time.Duration(rng.Int64N(int64(runTime))))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		sum, whole := reportState(t, dir)
		switch {
		case sum == prev:
			kept++
		case whole:
			replaced++
		default:
			t.Fatalf("kill %d left a half-written report at %s", i, dir)
		}
		prev = sum
	}
	t.Logf("report takes %v; of %d kills, %d kept the previous report, %d came after the new one was in place", runTime.Round(time.Millisecond), kills, kept, replaced)
	if kept < 2 {
		t.Errorf("only %d of %d kills landed before the new report was in place: the test does not test", kept, kills)
	}
}

// TestFault_S7_ReportDiskFull: a report that cannot be written (the file
// size limit, as on a full disk: EFBIG) exits non-zero naming the report,
// and the previous report is left exactly as it was, with no temporary
// folder beside it.
func TestFault_S7_ReportDiskFull(t *testing.T) {
	t.Parallel()
	cfg, dir := reportSite(t)
	cmd, out := child(t, nil, "report", "--config", cfg)
	if code := exitOf(cmd.Wait()); code != 0 {
		t.Fatalf("report: exit %d:\n%s", code, out)
	}
	before, _ := reportState(t, dir)
	// echarts.min.js alone is over 256 KiB.
	cmd, out = child(t, []string{fsizeEnv + "=262144"}, "report", "--config", cfg)
	code := exitOf(cmd.Wait())
	if code == 0 || code < 0 {
		t.Fatalf("report with no room: exit %d, want a non-zero exit code:\n%s", code, out)
	}
	if !strings.Contains(out.String(), "write report") || !strings.Contains(out.String(), "file too large") {
		t.Errorf("the error does not say the report could not be written:\n%s", out)
	}
	if after, whole := reportState(t, dir); after != before || !whole {
		t.Errorf("the previous report changed (whole %v)", whole)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary folder %s left beside the report", e.Name())
		}
	}
}
