package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/internal/pgtest"
)

func postgresURL(t *testing.T) string { t.Helper(); return pgtest.URL(t) }

func rawPG(t *testing.T, target string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestPostgresReopenAndConcurrentOpen(t *testing.T) {
	target := postgresURL(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(ctx, target)
			if err == nil {
				_, err = s.SavePage(ctx, 0, page("https://example.com/", t0, "x"), postings(i, i+1))
				if cerr := s.Close(); err == nil {
					err = cerr
				}
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open #%d: %v", i, err)
		}
	}
	s, err := Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.schemaVersion(ctx, s.db); v != SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
	if ps, pages, _, err := s.Counts(ctx); err != nil || ps != 4 || pages != 1 {
		t.Errorf("after 4 opens: %d postings, %d pages, %v; want 4, 1", ps, pages, err)
	}
}

func TestPostgresRefusesNewerSchema(t *testing.T) {
	target := postgresURL(t)
	s, err := Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := rawPG(t, target).Exec("UPDATE jobtrends_schema SET version = 99"); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), target)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	u, _ := url.Parse(target)
	for _, want := range []string{u.Host, "99", jobtrends.RedactURL(target)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if pw, ok := u.User.Password(); ok && strings.Contains(err.Error(), ":"+pw+"@") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestPostgresMigrationRollsBack(t *testing.T) {
	target := postgresURL(t)
	good, bad := failingMigrations()
	o := defaultOptions()
	o.migrations = []migration{good, bad}
	if _, err := openPostgres(context.Background(), target, o); err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("open with a failing migration: %v, want an error naming 0002_b.sql", err)
	}
	db := rawPG(t, target)
	for _, c := range []struct {
		q    string
		want int
	}{
		{"SELECT version FROM jobtrends_schema", 1},
		{"SELECT count(*) FROM a", 0},
		{"SELECT count(*) FROM information_schema.tables WHERE table_name = 'b' AND table_schema = current_schema()", 0},
		{"SELECT count(*) FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'z' AND table_schema = current_schema()", 0},
	} {
		if got := queryInt(t, db, c.q); got != c.want {
			t.Errorf("%s = %d, want %d", c.q, got, c.want)
		}
	}
}

// TestPostgresWritersOnTwoConnections is two processes (two Stores)
// saving the same postings at once: PostgreSQL's default isolation would
// let both see "not stored yet" and one insert would fail on the UNIQUE
// key; the write advisory lock serializes them as SQLite's BEGIN IMMEDIATE
// does.
func TestPostgresWritersOnTwoConnections(t *testing.T) {
	target := postgresURL(t)
	ctx := context.Background()
	stores := make([]*Store, 2)
	for i := range stores {
		s, err := Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	const pages = 30
	var wg sync.WaitGroup
	counts := make([]PageCounts, len(stores))
	errs := make([]error, len(stores))
	for i, s := range stores {
		wg.Go(func() {
			for p := range pages {
				c, err := s.SavePage(ctx, 0, page("https://example.com/"+string(rune('a'+p%26))+string(rune('a'+p/26)), t0, "x"), postings(p*3, p*3+5))
				if err != nil {
					errs[i] = err
					return
				}
				counts[i].New += c.New
				counts[i].Unchanged += c.Unchanged + c.Updated
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	n, _, _, err := stores[0].Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (pages-1)*3 + 5; n != want {
		t.Errorf("%d postings stored, want %d", n, want)
	}
	if got := counts[0].New + counts[1].New; got != n {
		t.Errorf("writers counted %d new postings, the table has %d", got, n)
	}
}

func TestPostgresRunLock(t *testing.T) {
	target := postgresURL(t)
	unlock, err := Lock(target)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(target); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v, want ErrLocked", err)
	}
	// Another schema of the same database is another store: not locked.
	other := postgresURL(t)
	u2, err := Lock(other)
	if err != nil {
		t.Fatalf("lock of another schema: %v", err)
	}
	u2()
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Fatalf("second unlock: %v", err)
	}

	t.Run("a dead holder releases the lock", func(t *testing.T) {
		unlock, err := Lock(target)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		// The holder's session ends as a killed process's would.
		db := rawPG(t, target)
		key := advisoryKey("one run at a time", target)
		var killed int
		err = db.QueryRow(`
			SELECT count(pg_terminate_backend(pid)) FROM pg_locks
			WHERE locktype = 'advisory' AND granted
			  AND ((classid::bigint << 32) | objid::bigint) = $1`, key).Scan(&killed)
		if err != nil || killed != 1 {
			t.Fatalf("terminate the holder: %d sessions, %v", killed, err)
		}
		u, err := Lock(target)
		for range 50 { // the server frees the lock as the backend exits
			if err == nil || !errors.Is(err, ErrLocked) {
				break
			}
			db.Exec("SELECT pg_sleep(0.05)")
			u, err = Lock(target)
		}
		if err != nil {
			t.Fatalf("lock after the holder died: %v", err)
		}
		u()
	})
}

func TestPostgresMigrationsOverride(t *testing.T) {
	if len(builtinPGMigrations) != len(builtinMigrations) {
		t.Fatalf("%d PostgreSQL migrations, %d SQLite ones", len(builtinPGMigrations), len(builtinMigrations))
	}
	for i, m := range builtinPGMigrations {
		if m.version != i+1 {
			t.Errorf("PostgreSQL migration %d has version %d", i, m.version)
		}
	}
	if !strings.Contains(builtinPGMigrations[0].sql, "BYTEA") || strings.Contains(builtinPGMigrations[0].sql, "BLOB NOT NULL") {
		t.Error("PostgreSQL migration 1 is not the PostgreSQL schema")
	}
	fsys := fstest.MapFS{"pg/0003_x.sql": {Data: []byte("SELECT 1")}}
	if _, err := override(builtinMigrations[:1], fsys, "pg"); err == nil || !strings.Contains(err.Error(), "0003_x.sql") {
		t.Errorf("a PostgreSQL-only step: err = %v, want one naming the file", err)
	}
}

// TestPostgresSameAnswers saves the same pages into both backends and
// compares every posting read back.
func TestPostgresSameAnswers(t *testing.T) {
	pgs := openPG(t)
	lite := openTest(t)
	ctx := context.Background()
	for _, s := range []*Store{pgs, lite} {
		run := startRun(t, s, t0)
		savePage(t, s, run, page("https://boards.example.com/acme", t0, "<html>"), postings(0, 40))
		savePage(t, s, run, page("https://boards.example.com/acme?page=2", t0, "<html>2"), postings(30, 60))
		if _, err := s.CloseMissing(ctx, run, "greenhouse-acme", 1, t0); err != nil {
			t.Fatal(err)
		}
	}
	// Keys whose order differs between byte order and a locale's order.
	var mixed []jobtrends.Posting
	for _, id := range []string{"b", "B", "a", "é", "_z", "Z"} {
		p := fullPosting(0)
		p.ExternalID = id
		mixed = append(mixed, p)
	}
	for _, s := range []*Store{pgs, lite} {
		savePage(t, s, 0, page("https://boards.example.com/mixed", t0, "<html>m"), mixed)
	}
	a, b := allPostings(t, pgs), allPostings(t, lite)
	if len(a) != 66 || len(a) != len(b) {
		t.Fatalf("postgres %d postings, sqlite %d, want 66", len(a), len(b))
	}
	var collation string
	err := pgs.db.QueryRow(`SELECT collation_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'postings' AND column_name = 'external_id'`).Scan(&collation)
	if err != nil || collation != "C" {
		t.Errorf("postings.external_id collation = %q, %v; want C (byte order, as SQLite)", collation, err)
	}
	for i := range a {
		if !samePosting(a[i], b[i]) {
			t.Errorf("posting %d differs:\npostgres %+v\n  sqlite %+v", i, a[i], b[i])
		}
	}
}

func samePosting(a, b jobtrends.Posting) bool {
	ha, err1 := contentHash(&a)
	hb, err2 := contentHash(&b)
	return err1 == nil && err2 == nil && string(ha) == string(hb) &&
		a.FirstSeen.Equal(b.FirstSeen) && a.LastSeen.Equal(b.LastSeen) && a.Closed.Equal(b.Closed)
}

func openPG(t *testing.T) *Store {
	t.Helper()
	target := postgresURL(t)
	s, err := Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
