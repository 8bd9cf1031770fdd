package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func TestOpenCreates(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		setup func(t testing.TB, path string)
	}{
		{"missing file", "jobs.db", nil},
		{"empty file", "jobs.db", func(t testing.TB, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"space", "my jobs.db", nil},
		{"URI characters", "a?b#c%20d&e=f;g+h.db", nil},
		{"percent escapes stay literal", "%3F%2F.db", nil},
		{"unicode", "Stellenanzeigen-über-ML ✓.db", nil},
		{"quote", `it's "quoted".db`, nil},
		{"in a subdirectory with a space", filepath.Join("data dir", "x.db"), func(t testing.TB, path string) {
			if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.file)
			if tt.setup != nil {
				tt.setup(t, path)
			}
			s := openTestPath(t, path, defaultOptions())
			if s.Path() != path {
				t.Errorf("Path() = %q, want %q", s.Path(), path)
			}
			if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
				t.Fatalf("database not created at %q: %v", path, err)
			}
			// Nothing created under a mangled name.
			entries, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), filepath.Base(path)) {
					t.Errorf("stray file %q next to %q", e.Name(), filepath.Base(path))
				}
			}
			ctx := context.Background()
			if v, _ := s.schemaVersion(ctx, s.db); v != SchemaVersion() || v != len(builtinMigrations) || v < 1 {
				t.Errorf("user_version = %d, want %d", v, SchemaVersion())
			}
			var mode string
			var fk, busy int
			if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
				t.Errorf("journal_mode = %q, %v", mode, err)
			}
			if err := s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
				t.Errorf("foreign_keys = %d, %v", fk, err)
			}
			if err := s.db.QueryRow("PRAGMA busy_timeout").Scan(&busy); err != nil || busy != 5000 {
				t.Errorf("busy_timeout = %d, %v", busy, err)
			}
			for _, table := range []string{"postings", "raw_pages", "bodies", "runs", "run_sources"} {
				if n := queryInt(t, s.db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table); n != 1 {
					t.Errorf("table %s missing", table)
				}
			}
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	ctx := context.Background()
	for i := range 3 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i, err)
		}
		if _, err := s.SavePage(ctx, 0, page("https://example.com/", t0, "x"), postings(i, i+1)); err != nil {
			t.Fatal(err)
		}
		ps, _, _, err := s.Counts(ctx)
		if err != nil || ps != i+1 {
			t.Errorf("open #%d: %d postings, %v; want %d", i, ps, err, i+1)
		}
		if v, _ := s.schemaVersion(ctx, s.db); v != SchemaVersion() {
			t.Errorf("open #%d: user_version %d", i, v)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// makeDB creates a closed database with some pages and postings and
// returns its path.
func makeDB(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "jobs.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		body := strings.Repeat("<li>job</li>", 500) + string(rune('a'+i))
		if _, err := s.SavePage(context.Background(), 0, page("https://example.com/"+string(rune('a'+i)), t0, body), postings(i*5, i*5+5)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("WAL left after close: %v", err)
	}
	return path
}

func TestOpenRefusesNonDatabase(t *testing.T) {
	random := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	tests := []struct {
		name     string
		write    func(t testing.TB, path string) // makes the file at path
		sentinel error
	}{
		{"random bytes", func(t testing.TB, path string) { writeFile(t, path, random) }, ErrNotDatabase},
		{"text file", func(t testing.TB, path string) {
			writeFile(t, path, []byte("sources:\n  - name: hn\n    type: hn\n"))
		}, ErrNotDatabase},
		{"one byte", func(t testing.TB, path string) { writeFile(t, path, []byte{'S'}) }, ErrNotDatabase},
		{"only the magic", func(t testing.TB, path string) { writeFile(t, path, []byte(sqliteMagic)) }, ErrNotDatabase},
		{"random bytes after the magic", func(t testing.TB, path string) {
			writeFile(t, path, append([]byte(sqliteMagic), random...))
		}, nil},
		{"truncated database", func(t testing.TB, path string) {
			made := makeDB(t, t.TempDir())
			b := readFile(t, made)
			writeFile(t, path, b[:len(b)/2])
		}, ErrCorrupt},
		{"schema page overwritten", func(t testing.TB, path string) {
			made := makeDB(t, t.TempDir())
			b := readFile(t, made)
			copy(b[100:], random[:3000])
			writeFile(t, path, b)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "jobs.db")
			tt.write(t, path)
			before := fileHash(t, path)
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.HasPrefix(msg, "store: open "+path+": ") {
				t.Errorf("error %q does not start with the step and file", msg)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %q is not %v", msg, tt.sentinel)
			}
			if !errors.Is(err, ErrNotDatabase) && !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %q is neither ErrNotDatabase nor ErrCorrupt", msg)
			}
			if fileHash(t, path) != before {
				t.Error("the file was modified")
			}
			for _, side := range []string{"-wal", "-shm", "-journal"} {
				if _, err := os.Stat(path + side); err == nil {
					t.Errorf("%s left behind", side)
				}
			}
		})
	}
}

func TestOpenRefusesDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Open(directory): err = %v", err)
	}
	_, err = Open(context.Background(), filepath.Join(dir, "missing", "x.db"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "missing", "x.db")) {
		t.Fatalf("Open in a missing directory: err = %v", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := makeDB(t, t.TempDir())
	db := rawDB(t, path)
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileHash(t, path)
	_, err := Open(context.Background(), path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{path, "99"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if fileHash(t, path) != before {
		t.Error("the file was modified")
	}
}

// failingMigrations are a good first step and a second that fails after
// creating a table, adding a column and inserting a row.
func failingMigrations() (good, bad migration) {
	good = migration{version: 1, name: "0001_a.sql", sql: "CREATE TABLE a (x INTEGER);"}
	bad = migration{version: 2, name: "0002_b.sql", sql: `
		CREATE TABLE b (y INTEGER);
		ALTER TABLE a ADD COLUMN z TEXT;
		INSERT INTO a (x) VALUES (1);
		INSERT INTO no_such_table VALUES (1);`}
	return good, bad
}

func TestMigrationRollsBack(t *testing.T) {
	good, bad := failingMigrations()
	fixed := bad
	fixed.sql = "CREATE TABLE b (y INTEGER); ALTER TABLE a ADD COLUMN z TEXT;"

	path := filepath.Join(t.TempDir(), "m.db")
	o := defaultOptions()
	o.migrations = []migration{good, bad}
	_, err := open(context.Background(), path, o)
	if err == nil {
		t.Fatal("open with a failing migration succeeded")
	}
	for _, want := range []string{path, "0002_b.sql", "no_such_table"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	db := rawDB(t, path)
	checks := []struct {
		name string
		q    string
		want int
	}{
		{"user_version stays at the last good migration", "PRAGMA user_version", 1},
		{"first migration applied", "SELECT count(*) FROM sqlite_schema WHERE name = 'a'", 1},
		{"table of the failed migration absent", "SELECT count(*) FROM sqlite_schema WHERE name = 'b'", 0},
		{"column of the failed migration absent", "SELECT count(*) FROM pragma_table_info('a') WHERE name = 'z'", 0},
		{"row of the failed migration absent", "SELECT count(*) FROM a", 0},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if got := queryInt(t, db, c.q); got != c.want {
				t.Errorf("%s = %d, want %d", c.q, got, c.want)
			}
		})
	}
	db.Close()

	t.Run("fixed migration applies on the next open", func(t *testing.T) {
		o.migrations = []migration{good, fixed}
		s := openTestPath(t, path, o)
		if v, _ := s.schemaVersion(context.Background(), s.db); v != 2 {
			t.Errorf("user_version = %d, want 2", v)
		}
	})
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jobs.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(context.Background(), path)
			if err == nil {
				err = s.Close()
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
	s := openTestPath(t, path, defaultOptions())
	if v, _ := s.schemaVersion(context.Background(), s.db); v != SchemaVersion() {
		t.Errorf("user_version = %d", v)
	}
}

func TestLoadMigrations(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		want    int
		wantErr string
	}{
		{"in order", []string{"0001_a.sql", "0002_b.sql", "0003_c.sql"}, 3, ""},
		{"none", nil, 0, ""},
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, 0, "version 3, want 2"},
		{"not starting at 1", []string{"0002_b.sql"}, 0, "version 2, want 1"},
		{"bad name", []string{"0001_a.sql", "init.sql"}, 0, "not NNNN_name.sql"},
		{"duplicate number", []string{"0001_a.sql", "0001_b.sql"}, 0, "version 1, want 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			ms, err := loadMigrations(fsys, "m")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(ms) != tt.want {
				t.Fatalf("got %d migrations, %v; want %d", len(ms), err, tt.want)
			}
			for i, m := range ms {
				if m.version != i+1 {
					t.Errorf("migration %d has version %d", i, m.version)
				}
			}
		})
	}
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
