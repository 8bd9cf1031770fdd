package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jobtrends/jobtrends/internal/pgtest"
)

// backend opens fresh stores of one kind for a test.
type backend struct {
	name string
	// open opens a new, empty store with the given options.
	open func(t testing.TB, o options) *Store
}

// eachBackend runs fn once per backend as a subtest: SQLite always,
// PostgreSQL when PostgresEnv is set (the subtest says it is skipped
// otherwise). Tests of behaviour both backends promise use it, so that one
// suite holds both to the same contract.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, backend{name: "sqlite", open: func(t testing.TB, o options) *Store {
			return openTestPath(t, filepath.Join(t.TempDir(), "jobs.db"), o)
		}})
	})
	t.Run("postgres", func(t *testing.T) {
		pgtest.Require(t)
		fn(t, backend{name: "postgres", open: func(t testing.TB, o options) *Store {
			if o.migrations == nil || sameMigrations(o.migrations, builtinMigrations) {
				o.migrations = builtinPGMigrations
			}
			s, err := openPostgres(context.Background(), pgtest.URL(t), o)
			if err != nil {
				t.Fatalf("open postgres: %v", err)
			}
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			return s
		}})
	})
}

func sameMigrations(a, b []migration) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"a = ?1, b = ?12, c = ?1", "a = $1, b = $12, c = $1"},
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
		{"x = 'it''s ?' AND y = ?", "x = 'it''s ?' AND y = $1"},
		{"VALUES (?, 'gzip', ?)", "VALUES ($1, 'gzip', $2)"},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsPostgres(t *testing.T) {
	for in, want := range map[string]bool{
		"postgres://h/db": true, "postgresql://h/db": true, "jobtrends.db": false,
		"/var/lib/postgres://x": false, "": false,
	} {
		if IsPostgres(in) != want {
			t.Errorf("IsPostgres(%q) = %v", in, !want)
		}
	}
}
