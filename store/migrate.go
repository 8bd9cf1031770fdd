package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migration is one numbered schema step. Version N is applied to a
// database whose user_version is N-1 and leaves it at N.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationFills are the Go steps of migrations, by file name: each runs
// in the migration's transaction, after its SQL.
var migrationFills = map[string]func(ctx context.Context, s *Store, tx *sql.Tx) error{
	"0003_report_facts.sql": fillReportFacts,
}

// builtinMigrations are the embedded migrations/NNNN_name.sql files.
var builtinMigrations = mustLoadMigrations(migrationFiles, "migrations")

// builtinPGMigrations are the same steps for PostgreSQL: a file of
// migrations/postgres takes the place of the file of the same number where
// the SQL differs; the others are shared.
var builtinPGMigrations = mustOverride(builtinMigrations, migrationFiles, "migrations/postgres")

// override returns base with each migration replaced by the file of the
// same number in dir. dir may not add steps of its own.
func override(base []migration, fsys fs.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	ms := slices.Clone(base)
	for _, name := range names {
		b := path.Base(name)
		num, _, ok := strings.Cut(b, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", name)
		}
		if v < 1 || v > len(ms) {
			return nil, fmt.Errorf("migration %s: no migration %d to replace", name, v)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms[v-1] = migration{version: v, name: path.Join(path.Base(dir), b), sql: string(text)}
	}
	return ms, nil
}

func mustOverride(base []migration, fsys fs.FS, dir string) []migration {
	ms, err := override(base, fsys, dir)
	if err != nil {
		panic("store: embedded migrations: " + err.Error())
	}
	return ms
}

// loadMigrations reads NNNN_name.sql files from dir and checks that they
// are numbered 1, 2, 3, … without gaps.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	var ms []migration
	for i, name := range names { // fs.Glob returns sorted names
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", base)
		}
		if v != i+1 {
			return nil, fmt.Errorf("migration %s: version %d, want %d", base, v, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	return ms, nil
}

func mustLoadMigrations(fsys fs.FS, dir string) []migration {
	ms, err := loadMigrations(fsys, dir)
	if err != nil {
		panic("store: embedded migrations: " + err.Error())
	}
	return ms
}

// SchemaVersion is the schema version (PRAGMA user_version) this program
// migrates databases to.
func SchemaVersion() int { return len(builtinMigrations) }

// migrate applies, in order, each migration the database has not had yet,
// each in one transaction together with its PRAGMA user_version, so a
// failing migration leaves the database exactly as it was before it.
func (s *Store) migrate(ctx context.Context, ms []migration) error {
	for _, m := range ms {
		err := s.write(ctx, func(tx *sql.Tx) error {
			// Read the version inside the write transaction: another
			// process may have migrated since we looked.
			v, err := s.schemaVersion(ctx, tx)
			if err != nil {
				return err
			}
			if v >= m.version {
				return nil
			}
			if v != m.version-1 {
				return fmt.Errorf("database is at version %d", v)
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if fill := migrationFills[path.Base(m.name)]; fill != nil {
				if err := fill(ctx, s, tx); err != nil {
					return err
				}
			}
			if s.pg {
				_, err = tx.ExecContext(ctx, "UPDATE jobtrends_schema SET version = $1", m.version)
				return err
			}
			// PRAGMA takes no parameters; m.version is an int.
			_, err = tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version))
			return err
		})
		if err != nil {
			return wrap(err, "migrate %s to version %d (%s)", s.path, m.version, m.name)
		}
	}
	return nil
}

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// schemaVersion reads the schema version: PRAGMA user_version in SQLite,
// the jobtrends_schema table in PostgreSQL (0 when it does not exist yet;
// inside a write transaction it is created).
func (s *Store) schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v int
	if !s.pg {
		err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
		return v, err
	}
	if tx, ok := q.(*sql.Tx); ok {
		if _, err := tx.ExecContext(ctx, pgSchemaTable); err != nil {
			return 0, err
		}
	} else {
		var exists bool
		if err := q.QueryRowContext(ctx, "SELECT to_regclass('jobtrends_schema') IS NOT NULL").Scan(&exists); err != nil || !exists {
			return 0, err
		}
	}
	err := q.QueryRowContext(ctx, "SELECT version FROM jobtrends_schema").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}
