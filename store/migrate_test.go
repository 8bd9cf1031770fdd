package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestMigrateV1ToV2: a database written by a jobtrends at schema version 1
// (before run_sources.encoding_fallback) opens with this program: it is
// migrated to the current version, keeps every run, source row, page and
// posting, reads 0 fallbacks for the old runs, and records them for new
// ones.
func TestMigrateV1ToV2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jobs.db")

	v1 := defaultOptions()
	v1.migrations = builtinMigrations[:1]
	old, err := open(ctx, path, v1)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.schemaVersion(ctx, old.db); v != 1 {
		t.Fatalf("user_version %d, want 1", v)
	}
	// What the version-1 program wrote: a finished run with two sources
	// (its FinishRun's INSERT, verbatim), and pages with postings.
	runID := startRun(t, old, t0)
	savePage(t, old, runID, page("https://a.example/1", t0, "one"), postings(0, 3))
	savePage(t, old, runID, page("https://a.example/2", t0, "two"), postings(3, 5))
	for _, src := range []struct {
		name             string
		fetched, blocked int
		complete         bool
	}{{"greenhouse-acme", 2, 1, true}, {"hn", 7, 0, false}} {
		_, err := old.db.ExecContext(ctx, `
			INSERT INTO run_sources (run_id, source, pages_fetched, pages_failed, robots_blocked,
				pages_skipped, postings_new, postings_updated, postings_unchanged, postings_closed,
				postings_seen, postings_with_salary, complete)
			VALUES (?, ?, ?, 0, ?, 0, 5, 0, 0, 0, 5, 5, ?)`,
			runID, src.name, src.fetched, src.blocked, src.complete)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.db.ExecContext(ctx, "UPDATE runs SET status = 'partial', finished = ? WHERE id = ?", fmtTime(t0.Add(time.Minute)), runID); err != nil {
		t.Fatal(err)
	}
	wantPostings := allPostings(t, old)
	wantCounts := [3]int{}
	wantCounts[0], wantCounts[1], wantCounts[2] = counts(t, old)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s := openTestPath(t, path, defaultOptions())
	if v, _ := s.schemaVersion(ctx, s.db); v != SchemaVersion() || v < 2 {
		t.Fatalf("user_version %d after open, want %d (≥ 2)", v, SchemaVersion())
	}
	integrityOK(t, s)
	if got := queryInt(t, s.db, "SELECT count(*) FROM pragma_table_info('run_sources') WHERE name = 'encoding_fallback'"); got != 1 {
		t.Fatalf("run_sources.encoding_fallback: %d columns", got)
	}
	var gotCounts [3]int
	gotCounts[0], gotCounts[1], gotCounts[2] = counts(t, s)
	if gotCounts != wantCounts {
		t.Errorf("postings, pages, runs = %v after the migration, want %v", gotCounts, wantCounts)
	}
	if got := allPostings(t, s); !reflect.DeepEqual(got, wantPostings) {
		t.Errorf("postings changed by the migration:\n got %+v\nwant %+v", got, wantPostings)
	}
	runs, err := s.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Run{{ID: runID, Started: t0, Finished: t0.Add(time.Minute), Status: StatusPartial, Sources: []SourceStats{
		{Source: "greenhouse-acme", PagesFetched: 2, RobotsBlocked: 1, New: 5, Seen: 5, WithSalary: 5, Complete: true},
		{Source: "hn", PagesFetched: 7, New: 5, Seen: 5, WithSalary: 5},
	}}}
	if !reflect.DeepEqual(runs, want) {
		t.Errorf("runs after the migration:\n got %+v\nwant %+v", runs, want)
	}

	// A new run records the counter next to the old rows.
	r2 := startRun(t, s, t0.Add(time.Hour))
	if err := s.FinishRun(ctx, r2, t0.Add(2*time.Hour), StatusOK, "", []SourceStats{{Source: "jsonld-x", PagesFetched: 3, EncodingFallback: 2, Complete: true}}); err != nil {
		t.Fatal(err)
	}
	runs, err = s.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || len(runs[0].Sources) != 1 || runs[0].Sources[0].EncodingFallback != 2 || !reflect.DeepEqual(runs[1], want[0]) {
		t.Errorf("runs after a new run: %+v", runs)
	}
}
