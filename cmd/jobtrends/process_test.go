package main

// Process-level tests: the test binary re-executes itself as `jobtrends`
// (see childMain) so that a real process can be killed, can hold the run
// lock, or can run out of file size.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/jobtrends/jobtrends/demo"
	"github.com/jobtrends/jobtrends/internal/pgtest"
	"github.com/jobtrends/jobtrends/store"
)

const (
	childEnv  = "JOBTRENDS_TEST_CHILD_ARGS"
	fsizeEnv  = "JOBTRENDS_TEST_FSIZE"
	argsSplit = "\x1f"
)

// childMain runs the command line from the environment and exits, when the
// test binary was started as a child.
func childMain() {
	args := os.Getenv(childEnv)
	if args == "" {
		return
	}
	if lim := os.Getenv(fsizeEnv); lim != "" {
		var n uint64
		fmt.Sscan(lim, &n)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(99)
		}
	}
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now, getenv: os.Getenv}
	err := a.run(context.Background(), strings.Split(args, argsSplit))
	os.Exit(exitCode(err, os.Stderr))
}

// jobSite serves a listing that links to n job pages, each the real
// Indeed AU JSON-LD page bundled with the demo, under its own URL; every
// page waits delay before answering.
type jobSite struct {
	*httptest.Server
	requests atomic.Int64
	n        int
}

func newJobSite(t testing.TB, n int, delay time.Duration) *jobSite {
	t.Helper()
	pages, err := demo.Pages()
	if err != nil {
		t.Fatal(err)
	}
	var job []byte
	for _, p := range pages {
		if strings.Contains(p.URL, "indeed.com") {
			job = p.Body
		}
	}
	if job == nil {
		t.Fatal("the demo has no JSON-LD page")
	}
	s := &jobSite{n: n}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/jobs/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><h1>Jobs</h1><ul>")
			for i := 0; i < n; i++ {
				fmt.Fprintf(w, `<li><a href="/jobs/%d">Job %d</a></li>`, i, i)
			}
			fmt.Fprint(w, "</ul></body></html>")
		case strings.HasPrefix(r.URL.Path, "/jobs/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(job)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// config writes a config for this site with the database in dir.
func (s *jobSite) config(t testing.TB, dir string) (cfgPath, dbPath string) {
	t.Helper()
	return s.configDB(t, dir, filepath.Join(dir, "jobs.db"))
}

// configDB writes a config for this site with the given database (a file
// or a PostgreSQL URL) and the report in dir.
func (s *jobSite) configDB(t testing.TB, dir, dbPath string) (cfgPath, database string) {
	t.Helper()
	cfgPath = filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`database: "%s"
report:
  out: %s
crawl:
  user_agent: "jobtrends/test (+https://example.org/jobtrends)"
  delay: 0s
  timeout: 10s
  allow_private: true
sources:
  - name: site
    type: jsonld
    start_urls: ["%s/jobs/"]
    follow: ["^%s/jobs/[0-9]+$"]
    max_pages: 1000
`, dbPath, filepath.Join(dir, "report"), s.URL, strings.ReplaceAll(s.URL, ".", "\\\\."))
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

// child starts the test binary as `jobtrends args...`.
func child(t testing.TB, extraEnv []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, argsSplit))
	cmd.Env = append(cmd.Env, extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

func exitOf(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// dbState is the comparable content of a database: every posting's
// identity and extracted fields (not the times of the crawl), sorted, plus
// integrity and duplicate checks.
func dbState(t testing.TB, dbPath string) []string {
	t.Helper()
	// Read-write: a run killed inside a transaction leaves a hot journal,
	// which the next opener (as the next run would) rolls back; a
	// read-only connection cannot (SQLITE_READONLY_ROLLBACK).
	db, err := sql.Open("sqlite", "file:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("%s: integrity_check = %q, %v", dbPath, integrity, err)
	}
	var tables int
	db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'postings'`).Scan(&tables)
	if tables == 0 {
		return nil // killed before the schema was created: an empty, valid database
	}
	var dups int
	if err := db.QueryRow(`SELECT count(*) FROM (SELECT source, external_id FROM postings GROUP BY 1, 2 HAVING count(*) > 1)`).Scan(&dups); err != nil || dups != 0 {
		t.Fatalf("%s: %d duplicate postings (%v)", dbPath, dups, err)
	}
	db.Close()
	return storeState(t, dbPath)
}

// TestKillAtRandomPoints: SIGKILL a crawl at random moments, run again,
// and the database converges to exactly the state of an uninterrupted
// run: integrity ok, no duplicates, no posting lost.
func TestKillAtRandomPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("20 killed runs; skipped with -short")
	}
	const pages = 20
	site := newJobSite(t, pages, 40*time.Millisecond)

	// The reference: one uninterrupted run.
	refCfg, refDB := site.config(t, t.TempDir())
	start := time.Now()
	cmd, out := child(t, nil, "scrape", "--config", refCfg)
	if code := exitOf(cmd.Wait()); code != 0 {
		t.Fatalf("reference run exit %d:\n%s", code, out)
	}
	runTime := time.Since(start)
	want := dbState(t, refDB)
	if len(want) != pages {
		t.Fatalf("reference run stored %d postings, want %d (one per job page)", len(want), pages)
	}

	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	killedMidway := 0
	for i := 0; i < 20; i++ {
		cfg, db := site.config(t, t.TempDir())
		cmd, _ := child(t, nil, "scrape", "--config", cfg)
		time.Sleep(time.Duration(rng.Int64N(int64(runTime) * 3 / 4)))
		cmd.Process.Signal(syscall.SIGKILL)
		if code := exitOf(cmd.Wait()); code == -int(syscall.SIGKILL) {
			killedMidway++
		}
		if _, err := os.Stat(db); err == nil {
			dbState(t, db) // integrity and no duplicates right after the kill
		}
		cmd, out := child(t, nil, "scrape", "--config", cfg)
		if code := exitOf(cmd.Wait()); code != 0 {
			t.Fatalf("iteration %d: run after the kill exit %d:\n%s", i, code, out)
		}
		got := dbState(t, db)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("iteration %d: state after kill + rerun differs from an uninterrupted run:\ngot %d postings, want %d", i, len(got), len(want))
		}
		if last := lastRun(t, db); last.Status != store.StatusOK {
			t.Errorf("iteration %d: last run status %q", i, last.Status)
		}
	}
	t.Logf("reference run %v; %d of 20 kills landed before the run ended", runTime.Round(time.Millisecond), killedMidway)
	if killedMidway < 10 {
		t.Errorf("only %d of 20 kills landed mid-run: the test does not test", killedMidway)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestOverlappingRuns: while one run holds the lock, a second exits within
// a second with 75 and writes nothing; once the holder is SIGKILLed the
// kernel has released the lock and the next run proceeds.
func TestOverlappingRuns(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		testOverlappingRuns(t, dir, filepath.Join(dir, "jobs.db"))
	})
	t.Run("postgres", func(t *testing.T) { testOverlappingRuns(t, t.TempDir(), pgtest.URL(t)) })
}

// testOverlappingRuns: the lock keeps a second run out (exit 75 at once,
// nothing written), and a killed holder's lock goes with it.
func testOverlappingRuns(t *testing.T, dir, database string) {
	site := newJobSite(t, 30, 100*time.Millisecond)
	cfg, _ := site.configDB(t, dir, database)
	a, aout := child(t, nil, "scrape", "--config", cfg)
	waitFor(t, 10*time.Second, "the first run to start crawling", func() bool { return site.requests.Load() >= 2 })

	start := time.Now()
	b, bout := child(t, nil, "scrape", "--config", cfg)
	code := exitOf(b.Wait())
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("second run took %v to give up", took)
	}
	if code != exitLocked {
		t.Fatalf("second run exit %d, want %d:\n%s", code, exitLocked, bout)
	}
	if !strings.Contains(bout.String(), "lock") {
		t.Errorf("second run's message does not mention the lock: %s", bout)
	}
	// Kill the holder: the lock goes with it (a PostgreSQL session ends
	// as the server sees the connection close).
	a.Process.Signal(syscall.SIGKILL)
	if code := exitOf(a.Wait()); code != -int(syscall.SIGKILL) {
		t.Fatalf("first run ended with %d before it was killed:\n%s", code, aout)
	}
	var last string
	waitFor(t, 10*time.Second, "a run after the holder was killed", func() bool {
		c, out := child(t, nil, "scrape", "--config", cfg)
		code := exitOf(c.Wait())
		last = out.String()
		if code != 0 && code != exitLocked {
			t.Fatalf("run after the holder was killed: exit %d:\n%s", code, out)
		}
		return code == 0
	})
	runs := allRuns(t, database)
	// Two runs: the killed one (marked aborted) and the last; the locked-out
	// run left no row.
	if len(runs) != 2 || runs[1].Status != store.StatusAborted || runs[0].Status != store.StatusOK {
		var got []string
		for _, r := range runs {
			got = append(got, fmt.Sprintf("%d:%s", r.ID, r.Status))
		}
		t.Errorf("runs = %v, want the killed run aborted and the last ok, nothing from the locked-out run (last output: %s)", got, last)
	}
}

// TestFileSizeLimit: a crawl that cannot grow the database (RLIMIT_FSIZE:
// the process gets EFBIG, as on a full disk) fails with a clear error
// naming the file and a non-zero exit, and keeps what was committed.
func TestFileSizeLimit(t *testing.T) {
	site := newJobSite(t, 40, 0)
	dir := t.TempDir()
	cfg, db := site.config(t, dir)
	// A first run commits everything.
	cmd, out := child(t, nil, "scrape", "--config", cfg)
	if code := exitOf(cmd.Wait()); code != 0 {
		t.Fatalf("first run exit %d:\n%s", code, out)
	}
	want := dbState(t, db)

	// A second site with other pages, crawled into the same database with
	// the file size capped at what it is now.
	site2 := newJobSite(t, 40, 0)
	cfg2 := filepath.Join(dir, "config2.yaml")
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg2, []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), site.URL, site2.URL),
		strings.ReplaceAll(site.URL, ".", "\\\\."), strings.ReplaceAll(site2.URL, ".", "\\\\."))), 0o644)
	info, _ := os.Stat(db)
	cmd, out = child(t, []string{fmt.Sprintf("%s=%d", fsizeEnv, info.Size())}, "scrape", "--config", cfg2)
	code := exitOf(cmd.Wait())
	if code == 0 {
		t.Fatalf("crawl with no room to grow succeeded:\n%s", out)
	}
	if !strings.Contains(out.String(), db) {
		t.Errorf("the error does not name the database file %s:\n%s", db, out)
	}
	got := dbState(t, db)
	kept := map[string]bool{}
	for _, r := range got {
		kept[r] = true
	}
	for _, r := range want {
		if !kept[r] {
			t.Fatalf("a posting committed before the failure was lost: %s", r)
		}
	}
}
