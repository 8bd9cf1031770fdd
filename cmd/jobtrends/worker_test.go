package main

// Tests of the shared crawl: `jobtrends scrape --seed` and several
// `jobtrends scrape --worker` processes (the test binary re-executed, see
// childMain) on one Redis frontier (JOBTRENDS_TEST_REDIS) and one SQLite
// database, against a site of several hosts that records every request.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/internal/pgtest"
	"github.com/jobtrends/jobtrends/store"
)

const redisEnv = "JOBTRENDS_TEST_REDIS"

// testRedis returns the Redis URL of the tests and a key prefix of the
// test's own, whose keys are deleted at the end; it skips the test when
// JOBTRENDS_TEST_REDIS is not set.
func testRedis(t testing.TB) (addr, prefix string) {
	t.Helper()
	addr = os.Getenv(redisEnv)
	if addr == "" {
		t.Skipf("%s is not set (e.g. %s=redis://127.0.0.1:6379/0): no Redis for the shared-crawl tests", redisEnv, redisEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	prefix = "jobtrends-test:" + t.Name() + ":" + hex.EncodeToString(b) + ":"
	opt, err := redis.ParseURL(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		ctx := context.Background()
		keys, _ := rdb.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
	})
	return addr, prefix
}

// siteHit is one request a host of the site received.
type siteHit struct {
	host int
	path string
	at   time.Time
}

// hostSite is a job site on several hosts (distinct 127.0.0.1 listeners):
// each host has a listing /jobs/ that links to its n job pages, each a
// JSON-LD posting of its own. It records every request with its arrival
// time, and the most requests a host had in flight at once.
type hostSite struct {
	servers []*httptest.Server
	n       int

	mu       sync.Mutex
	hits     []siteHit
	inflight []atomic.Int32
	maxIn    atomic.Int32
	// trap, when set, is a path of host 0 whose first request is held
	// until the client goes away; trapped receives once when it came.
	trap    string
	trapped chan struct{}
}

func newHostSite(t testing.TB, hosts, n int, pageDelay time.Duration) *hostSite {
	t.Helper()
	s := &hostSite{n: n, inflight: make([]atomic.Int32, hosts), trapped: make(chan struct{}, 1)}
	for h := range hosts {
		srv := httptest.NewUnstartedServer(nil)
		srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			in := s.inflight[h].Add(1)
			defer s.inflight[h].Add(-1)
			for m := s.maxIn.Load(); in > m && !s.maxIn.CompareAndSwap(m, in); m = s.maxIn.Load() {
			}
			s.mu.Lock()
			first := true
			for _, x := range s.hits {
				if x.host == h && x.path == r.URL.Path {
					first = false
				}
			}
			s.hits = append(s.hits, siteHit{host: h, path: r.URL.Path, at: time.Now()})
			s.mu.Unlock()
			if h == 0 && r.URL.Path == s.trap && first {
				s.trapped <- struct{}{}
				<-r.Context().Done()
				return
			}
			base := "http://" + r.Host
			switch {
			case r.URL.Path == "/robots.txt":
				http.NotFound(w, r)
			case r.URL.Path == "/jobs/":
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				var b strings.Builder
				b.WriteString("<html><body><h1>Jobs</h1><ul>")
				for i := range n {
					fmt.Fprintf(&b, `<li><a href="%s/jobs/%d">Job %d</a></li>`, base, i, i)
				}
				b.WriteString("</ul></body></html>")
				w.Write([]byte(b.String()))
			case strings.HasPrefix(r.URL.Path, "/jobs/"):
				time.Sleep(pageDelay)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				title := fmt.Sprintf("Machine Learning Engineer %d-%s", h, strings.TrimPrefix(r.URL.Path, "/jobs/"))
				fmt.Fprintf(w, `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting",`+
					`"title":%q,"datePosted":"2026-03-01","hiringOrganization":{"@type":"Organization","name":"Acme %d"},`+
					`"description":"<p>Train and ship models in PyTorch.</p>","jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Berlin","addressCountry":"DE"}}}`+
					`</script></head><body><h1>%s</h1></body></html>`, title, h, title)
			default:
				http.NotFound(w, r)
			}
		})
		srv.Start()
		t.Cleanup(srv.Close)
		s.servers = append(s.servers, srv)
	}
	return s
}

func (s *hostSite) all() []siteHit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]siteHit(nil), s.hits...)
}

// pages returns how many page requests (robots.txt aside) arrived.
func (s *hostSite) pages() int {
	n := 0
	for _, h := range s.all() {
		if h.path != "/robots.txt" {
			n++
		}
	}
	return n
}

// config writes a config crawling every host of the site as one source,
// with spacing delay, the frontier at addr and the database dbURL (a
// PostgreSQL URL), or a SQLite file in dir when dbURL is empty.
func (s *hostSite) config(t testing.TB, dir, addr, dbURL string, delay time.Duration) (cfgPath, dbPath string) {
	t.Helper()
	dbPath = filepath.Join(dir, "jobs.db")
	if dbURL != "" {
		dbPath = dbURL
	}
	cfgPath = filepath.Join(dir, "config.yaml")
	var starts []string
	for _, srv := range s.servers {
		starts = append(starts, fmt.Sprintf("%q", srv.URL+"/jobs/"))
	}
	cfg := fmt.Sprintf(`database: %q
frontier: %s
crawl:
  user_agent: "jobtrends/test (+https://example.org/jobtrends)"
  delay: %s
  timeout: 5s
  allow_private: true
sources:
  - name: site
    type: jsonld
    start_urls: [%s]
    follow: ['/jobs/[0-9]+$']
    max_pages: 5000
`, dbPath, addr, delay, strings.Join(starts, ", "))
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

// checkSpacing fails the test if a host ever had two requests in flight or
// two request starts closer than delay, whichever workers sent them.
func (s *hostSite) checkSpacing(t testing.TB, delay time.Duration) {
	t.Helper()
	if m := s.maxIn.Load(); m != 1 {
		t.Errorf("a host had %d requests in flight at once", m)
	}
	byHost := map[int][]time.Time{}
	for _, h := range s.all() {
		byHost[h.host] = append(byHost[h.host], h.at)
	}
	for host, ts := range byHost {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
		minGap := time.Hour
		for i := 1; i < len(ts); i++ {
			minGap = min(minGap, ts[i].Sub(ts[i-1]))
		}
		if minGap < delay {
			t.Errorf("host %d: two request starts %v apart, want ≥ %v", host, minGap, delay)
		}
		t.Logf("host %d: %d requests, smallest start-to-start gap %v", host, len(ts), minGap.Round(100*time.Microsecond))
	}
}

// fetchCounts returns how many times each page (robots.txt aside) was
// requested, by "host path".
func (s *hostSite) fetchCounts() map[string]int {
	n := map[string]int{}
	for _, h := range s.all() {
		if h.path != "/robots.txt" {
			n[fmt.Sprintf("%d %s", h.host, h.path)]++
		}
	}
	return n
}

var workerPagesRE = regexp.MustCompile(`msg="worker done".* pages=(\d+)`)

// workerPages reads the page count of a worker's "worker done" line.
func workerPages(t testing.TB, out string) int {
	t.Helper()
	m := workerPagesRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no \"worker done\" line in the worker's log:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// storedPostings checks the shared database (a SQLite file: integrity,
// no duplicates) and returns its postings' URLs.
func storedPostings(t testing.TB, db string) []string {
	t.Helper()
	if !store.IsPostgres(db) {
		dbState(t, db)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var urls []string
	seen := map[string]bool{}
	err = st.Postings(context.Background(), func(p *jobtrends.Posting) error {
		key := p.Source + " " + p.ExternalID
		if seen[key] {
			t.Errorf("posting %s stored twice", key)
		}
		seen[key] = true
		urls = append(urls, p.URL)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(urls)
	return urls
}

// TestWorkersShareCrawl: --seed, then three worker processes crawl a site
// of 3 hosts × 100 job pages through one Redis frontier into one
// database (a SQLite file, and PostgreSQL when JOBTRENDS_TEST_POSTGRES is
// set): every page is fetched exactly once in total, the per-host spacing
// holds across the workers (server timestamps), every posting is stored
// once, each worker records its own run and exits 0 when the crawl is
// done, and the pages the workers report add up.
func TestWorkersShareCrawl(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testWorkersShareCrawl(t, "") })
	t.Run("postgres", func(t *testing.T) { testWorkersShareCrawl(t, pgtest.URL(t)) })
}

func testWorkersShareCrawl(t *testing.T, dbURL string) {
	addr, prefix := testRedis(t)
	const hosts, perHost = 3, 100
	const delay = 15 * time.Millisecond
	site := newHostSite(t, hosts, perHost, 0)
	cfg, db := site.config(t, t.TempDir(), addr, dbURL, delay)
	args := []string{"scrape", "--config", cfg, "--frontier-prefix", prefix}

	cmd, out := child(t, nil, append(args, "--worker")...)
	if code := exitOf(cmd.Wait()); code != exitUsage || !strings.Contains(out.String(), "--seed") {
		t.Fatalf("worker before any seed: exit %d, want %d and a hint to seed:\n%s", code, exitUsage, out)
	}
	cmd, out = child(t, nil, append(args, "--seed")...)
	if code := exitOf(cmd.Wait()); code != 0 {
		t.Fatalf("seed: exit %d:\n%s", code, out)
	}
	type worker struct {
		cmd *exec.Cmd
		out fmt.Stringer
	}
	var ws []worker
	for range 3 {
		c, o := child(t, nil, append(args, "--worker", "--visibility-timeout", "5s")...)
		ws = append(ws, worker{c, o})
	}
	total := 0
	for i, w := range ws {
		if code := exitOf(w.cmd.Wait()); code != 0 {
			t.Fatalf("worker %d: exit %d:\n%s", i, code, w.out)
		}
		n := workerPages(t, w.out.String())
		t.Logf("worker %d: %d pages", i, n)
		total += n
	}
	want := hosts * (perHost + 1)
	if total != want {
		t.Errorf("workers report %d pages in total, want %d", total, want)
	}
	counts := site.fetchCounts()
	if len(counts) != want {
		t.Errorf("%d distinct pages fetched, want %d", len(counts), want)
	}
	for p, n := range counts {
		if n != 1 {
			t.Errorf("%s fetched %d times, want once", p, n)
		}
	}
	site.checkSpacing(t, delay)
	if urls := storedPostings(t, db); len(urls) != hosts*perHost {
		t.Errorf("%d postings stored, want %d", len(urls), hosts*perHost)
	}
	runs := allRuns(t, db)
	if len(runs) != 3 {
		t.Fatalf("%d runs recorded, want one per worker", len(runs))
	}
	for _, r := range runs {
		if r.Status != store.StatusPartial {
			t.Errorf("worker run %d: status %q, want %q (no worker crawls a whole source)", r.ID, r.Status, store.StatusPartial)
		}
		for _, s := range r.Sources {
			if s.Complete || s.Closed != 0 {
				t.Errorf("worker run %d: source %s complete=%v closed=%d; a worker never closes postings", r.ID, s.Source, s.Complete, s.Closed)
			}
		}
	}

	// The crawl is done: another worker exits at once with nothing to
	// do, and a new --seed starts a new crawl.
	cmd, out = child(t, nil, append(args, "--worker")...)
	if code := exitOf(cmd.Wait()); code != 0 || workerPages(t, out.String()) != 0 {
		t.Fatalf("worker after the end: exit %d:\n%s", code, out)
	}
}

// TestWorkerKilledLosesNothing: a worker SIGKILLed while its request is
// in flight loses nothing: after the visibility timeout another worker is
// handed the page, every page is fetched (only the killed one twice), and
// every posting is stored exactly once.
func TestWorkerKilledLosesNothing(t *testing.T) {
	addr, prefix := testRedis(t)
	const hosts, perHost = 3, 60
	const delay = 10 * time.Millisecond
	site := newHostSite(t, hosts, perHost, 0)
	site.trap = "/jobs/5"
	cfg, db := site.config(t, t.TempDir(), addr, "", delay)
	args := []string{"scrape", "--config", cfg, "--frontier-prefix", prefix}
	const vt = 1500 * time.Millisecond
	work := append(args, "--worker", "--visibility-timeout", vt.String())

	cmd, out := child(t, nil, append(args, "--seed")...)
	if code := exitOf(cmd.Wait()); code != 0 {
		t.Fatalf("seed: exit %d:\n%s", code, out)
	}
	// The first worker runs alone until it requests the trapped page, so
	// the request held in flight is its own.
	doomed, doomedOut := child(t, nil, work...)
	select {
	case <-site.trapped:
	case <-time.After(30 * time.Second):
		doomed.Process.Kill()
		t.Fatalf("the worker never requested the trapped page:\n%s", doomedOut)
	}
	// A new crawl is refused while this one has pages in flight.
	cmd, out = child(t, nil, append(args, "--seed")...)
	if code := exitOf(cmd.Wait()); code != exitLocked || !strings.Contains(out.String(), "still running") {
		t.Fatalf("seed during the crawl: exit %d, want %d saying the crawl is running:\n%s", code, exitLocked, out)
	}
	a, aout := child(t, nil, work...)
	b, bout := child(t, nil, work...)
	time.Sleep(200 * time.Millisecond)
	doomed.Process.Signal(syscall.SIGKILL)
	killed := time.Now()
	if code := exitOf(doomed.Wait()); code != -int(syscall.SIGKILL) {
		t.Fatalf("first worker ended with %d before it was killed:\n%s", code, doomedOut)
	}
	for i, w := range []*exec.Cmd{a, b} {
		if code := exitOf(w.Wait()); code != 0 {
			t.Fatalf("worker %d: exit %d:\n%s", i, code, []fmt.Stringer{aout, bout}[i])
		}
	}
	counts := site.fetchCounts()
	want := hosts * (perHost + 1)
	if len(counts) != want {
		t.Errorf("%d distinct pages fetched, want %d", len(counts), want)
	}
	for p, n := range counts {
		if p == "0 "+site.trap {
			if n != 2 {
				t.Errorf("the killed worker's page was fetched %d times, want 2 (its request, then another worker's)", n)
			}
			continue
		}
		if n != 1 {
			t.Errorf("%s fetched %d times, want once", p, n)
		}
	}
	var again time.Time
	for _, h := range site.all() {
		if h.host == 0 && h.path == site.trap {
			again = h.at
		}
	}
	if gap := again.Sub(killed); gap < vt/3 {
		t.Errorf("the killed worker's page was handed on %v after the kill, before its visibility timeout could pass", gap)
	}
	if !strings.Contains(aout.String()+bout.String(), "handed out again") {
		t.Errorf("no worker logged taking the page again:\n%s\n%s", aout, bout)
	}
	site.checkSpacing(t, delay)
	if urls := storedPostings(t, db); len(urls) != hosts*perHost {
		t.Errorf("%d postings stored, want %d", len(urls), hosts*perHost)
	}
	t.Logf("page handed on %v after the kill; workers: %d and %d pages",
		again.Sub(killed).Round(time.Millisecond), workerPages(t, aout.String()), workerPages(t, bout.String()))
}

// TestFrontierConfig: the frontier: key takes only the URL of a Redis
// database; errors name the file, line and key.
func TestFrontierConfig(t *testing.T) {
	src := "sources:\n  - name: a\n    type: jsonld\n    start_urls: [\"https://example.com/\"]\n"
	tests := []struct {
		name, value, want string
	}{
		{"redis", "redis://127.0.0.1:6379/0", ""},
		{"rediss with password", "rediss://user:secret@redis.example:6380/2", ""},
		{"no database number", "redis://localhost:6379", ""},
		{"http", "http://127.0.0.1:6379/0", `c.yaml:1: frontier: scheme "http" is not redis or rediss (want redis://host:6379/0)`},
		{"no host", "redis:///0", `c.yaml:1: frontier: no host (want redis://host:6379/0)`},
		{"bad database", "redis://127.0.0.1:6379/queue", `c.yaml:1: frontier: database "queue" is not a number (want redis://host:6379/0)`},
		{"query", "redis://127.0.0.1:6379/0?protocol=3", `c.yaml:1: frontier: query and fragment are not supported (want redis://host:6379/0)`},
		{"not a URL", "redis://[::1", `c.yaml:1: frontier: not a URL (want redis://host:6379/0 or rediss://…)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig("c.yaml", []byte("frontier: "+strconv.Quote(tc.value)+"\n"+src))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tc.want == "" && cfg.Frontier != tc.value:
				t.Fatalf("frontier %q, want %q", cfg.Frontier, tc.value)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Fatalf("error %v, want %s", err, tc.want)
			}
		})
	}
}

// TestWorkerNeedsFrontier: --worker and --seed without a frontier: key
// are a usage error naming the key.
func TestWorkerNeedsFrontier(t *testing.T) {
	site := newJobSite(t, 1, 0)
	cfg, _ := site.config(t, t.TempDir())
	for _, flag := range []string{"--worker", "--seed"} {
		ta := newTestApp(t, nil)
		code, err := ta.exec(t, "scrape", "--config", cfg, flag)
		if code != exitUsage || err == nil || !strings.Contains(err.Error(), "no frontier: key") {
			t.Errorf("scrape %s without frontier: exit %d, %v; want %d naming the frontier: key", flag, code, err, exitUsage)
		}
	}
	if site.requests.Load() != 0 {
		t.Errorf("%d requests made", site.requests.Load())
	}
}
