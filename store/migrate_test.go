package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// TestMigrateV1ToV2: a database written by a jobtrends at schema version 1
// (before run_sources.encoding_fallback) opens with this program: it is
// migrated to the current version, keeps every run, source row, page and
// posting, reads 0 fallbacks for the old runs, and records them for new
// ones.
func TestMigrateV1ToV2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jobs.db")

	old, err := open(ctx, path, defaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// What the version-1 program wrote: a finished run with two sources
	// (its FinishRun's INSERT, verbatim), and pages with postings.
	runID := startRun(t, old, t0)
	savePage(t, old, runID, page("https://a.example/1", t0, "one"), postings(0, 3))
	savePage(t, old, runID, page("https://a.example/2", t0, "two"), postings(3, 5))
	downgrade(t, old, 1)
	if v, _ := old.schemaVersion(ctx, old.db); v != 1 {
		t.Fatalf("user_version %d, want 1", v)
	}
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

// downgrades are the SQL that takes a database at version v back to v-1,
// data kept: the columns migration v added are dropped (SQLite).
var downgrades = map[int][]string{
	2: {"ALTER TABLE run_sources DROP COLUMN encoding_fallback"},
	3: {
		"ALTER TABLE postings DROP COLUMN filed_at", "ALTER TABLE postings DROP COLUMN filed_month",
		"ALTER TABLE postings DROP COLUMN posted_at", "ALTER TABLE postings DROP COLUMN ml",
	},
	4: {"DROP INDEX postings_report", "DROP INDEX postings_dedupe_key", "CREATE INDEX postings_dedupe_key ON postings (dedupe_key)"},
	5: {"DROP INDEX postings_groups", "DROP INDEX postings_report", `CREATE INDEX postings_report ON postings (
    ml, filed_at, source, filed_month, role, seniority, location_country, location_city, remote,
    company, industry, has_salary, salary_min, salary_max, salary_annual_min_usd, salary_annual_max_usd,
    salary_provenance, salary_flags, skills, education, posted_at, dedupe_key, external_id)`},
}

// downgrade turns the database of s into one as the program of schema
// version to wrote it, with the data written so far: a database of an
// older jobtrends, made without that program's code.
func downgrade(t testing.TB, s *Store, to int) {
	t.Helper()
	ctx := context.Background()
	for v := SchemaVersion(); v > to; v-- {
		steps, ok := downgrades[v]
		if !ok {
			t.Fatalf("no downgrade from version %d: add it to downgrades", v)
		}
		for _, q := range steps {
			if _, err := s.db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", to)); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateV2ToV3: postings stored before migration 0003 get the
// report's facts (filed_at, filed_month, posted_at, ml) from its Go step,
// the values SavePage writes for the same postings, and nothing else of
// theirs changes.
func TestMigrateV2ToV3(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ps := postings(0, 7)
	// Dates and threads of every kind: undated, a thread month, a date
	// far outside what Unix nanoseconds hold.
	ps[1].DatePosted, ps[1].Thread = time.Time{}, ""
	ps[2].Thread = "2021-04"
	ps[3].DatePosted, ps[3].Thread = time.Date(1500, 3, 1, 0, 0, 0, 0, time.UTC), ""
	ps[4].Roles, ps[4].Role = []string{jobtrends.RoleDataScientist, jobtrends.RoleMLEngineer}, jobtrends.RoleDataScientist
	ps[5].Roles, ps[5].Role = []string{jobtrends.RoleDataScientist}, jobtrends.RoleDataScientist
	ps[6].Thread = ""
	write := func(path string) *Store {
		s, err := open(ctx, path, defaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		run := startRun(t, s, t0)
		savePage(t, s, run, page("https://a.example/1", t0, "one"), ps[:4])
		savePage(t, s, run, page("https://a.example/2", t0, "two"), ps[4:])
		return s
	}
	facts := func(s *Store) [][]any {
		rows, err := s.db.QueryContext(ctx, "SELECT source, external_id, filed_at, filed_month, posted_at, ml FROM postings ORDER BY source, external_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][]any
		for rows.Next() {
			r := make([]any, 6)
			ptrs := make([]any, 6)
			for i := range r {
				ptrs[i] = &r[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	want := facts(write(filepath.Join(dir, "v3.db")))
	if len(want) != len(ps) || want[1][2] != nil || want[1][3] != nil || want[4][5] == want[5][5] || want[3][2] == want[6][2] {
		t.Fatalf("facts written by SavePage: %v", want)
	}

	path := filepath.Join(dir, "v2.db")
	old := write(path)
	wantPostings := allPostings(t, old)
	downgrade(t, old, 2)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s := openTestPath(t, path, defaultOptions())
	if v, _ := s.schemaVersion(ctx, s.db); v != SchemaVersion() {
		t.Fatalf("user_version %d after open, want %d", v, SchemaVersion())
	}
	integrityOK(t, s)
	if got := facts(s); !reflect.DeepEqual(got, want) {
		t.Errorf("facts filled by the migration:\n got %v\nwant %v", got, want)
	}
	if got := allPostings(t, s); !reflect.DeepEqual(got, wantPostings) {
		t.Errorf("postings changed by the migration")
	}
}
