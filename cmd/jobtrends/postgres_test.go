package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/internal/pgtest"
	"github.com/jobtrends/jobtrends/store"
)

// storeState is the comparable content of any store: every posting's
// identity and extracted fields, sorted.
func storeState(t testing.TB, database string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), database)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var rows []string
	err = st.Postings(context.Background(), func(p *jobtrends.Posting) error {
		b, err := json.Marshal(newRecord(p, false))
		rows = append(rows, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(rows)
	return rows
}

// TestPostgresEndToEnd crawls the same site into SQLite and into
// PostgreSQL through the CLI, then writes a report from PostgreSQL: same
// postings, a report, and the password of the URL nowhere in it.
func TestPostgresEndToEnd(t *testing.T) {
	pg := pgtest.URL(t)
	site := newJobSite(t, 25, 0)
	dir := t.TempDir()
	liteDir, pgDir := filepath.Join(dir, "sqlite"), filepath.Join(dir, "pg")
	os.MkdirAll(liteDir, 0o755)
	liteCfg, liteDB := site.config(t, liteDir)
	os.MkdirAll(pgDir, 0o755)
	pgCfg, _ := site.configDB(t, pgDir, pg)

	for _, cfg := range []string{liteCfg, pgCfg} {
		c, out := child(t, nil, "run", "--config", cfg)
		if code := exitOf(c.Wait()); code != 0 {
			t.Fatalf("run --config %s: exit %d:\n%s", cfg, code, out)
		}
	}
	lite, got := storeState(t, liteDB), storeState(t, pg)
	if len(lite) != 25 {
		t.Fatalf("SQLite holds %d postings, want 25", len(lite))
	}
	if !slices.Equal(lite, got) {
		t.Errorf("PostgreSQL holds other postings than SQLite:\n got %d %.300q\nwant %d %.300q", len(got), got, len(lite), lite)
	}
	index, err := os.ReadFile(filepath.Join(pgDir, "report", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), "xxxxx@") {
		t.Error("the report does not name the PostgreSQL database (redacted) it was built from")
	}
	if strings.Contains(string(index), "jobtrends:jobtrends@") || strings.Contains(string(index), os.Getenv(pgtest.Env)) {
		t.Error("the report shows the database password")
	}

	// Rerun: nothing new, nothing duplicated.
	c, out := child(t, nil, "scrape", "--config", pgCfg)
	if code := exitOf(c.Wait()); code != 0 {
		t.Fatalf("second scrape: exit %d:\n%s", code, out)
	}
	if again := storeState(t, pg); !slices.Equal(again, got) {
		t.Errorf("a rerun changed the postings: %d, was %d", len(again), len(got))
	}
}

// TestPostgresKillAtRandomPoints: SIGKILL crawls into PostgreSQL at random
// moments; a final run converges to the uninterrupted run's postings, with
// no duplicates (the UNIQUE key would refuse them).
func TestPostgresKillAtRandomPoints(t *testing.T) {
	site := newJobSite(t, 40, 5*time.Millisecond)
	want := func() []string {
		pg := pgtest.URL(t)
		cfg, _ := site.configDB(t, t.TempDir(), pg)
		c, out := child(t, nil, "scrape", "--config", cfg)
		if code := exitOf(c.Wait()); code != 0 {
			t.Fatalf("uninterrupted run: exit %d:\n%s", code, out)
		}
		return storeState(t, pg)
	}()
	if len(want) != 40 {
		t.Fatalf("uninterrupted run stored %d postings, want 40", len(want))
	}
	pg := pgtest.URL(t)
	cfg, _ := site.configDB(t, t.TempDir(), pg)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 6 {
		c, _ := child(t, nil, "scrape", "--config", cfg)
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		c.Process.Signal(syscall.SIGKILL)
		c.Wait()
		got := storeState(t, pg)
		if len(got) > len(want) {
			t.Fatalf("kill %d: %d postings, more than %d", i, len(got), len(want))
		}
	}
	c, out := child(t, nil, "scrape", "--config", cfg)
	if code := exitOf(c.Wait()); code != 0 {
		t.Fatalf("final run: exit %d:\n%s", code, out)
	}
	if got := storeState(t, pg); !slices.Equal(got, want) {
		t.Errorf("after kills and a rerun: %d postings, want the uninterrupted run's %d", len(got), len(want))
	}
}
