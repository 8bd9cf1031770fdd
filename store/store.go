package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors. Errors returned by Store wrap them (test with errors.Is)
// together with the underlying driver error.
var (
	// ErrNotDatabase means the file exists but is not a SQLite database.
	// Open leaves such a file untouched.
	ErrNotDatabase = errors.New("file is not a SQLite database")
	// ErrCorrupt means SQLite found the database malformed.
	ErrCorrupt = errors.New("database is corrupt")
	// ErrNewerSchema means the database was written by a newer jobtrends
	// whose schema this binary does not know.
	ErrNewerSchema = errors.New("database schema is newer than this program")
	// ErrBusy means another connection held a lock for longer than the
	// busy timeout.
	ErrBusy = errors.New("database is locked by another connection")
	// ErrDiskFull means SQLite could not grow the database (SQLITE_FULL).
	// The transaction that hit it was rolled back.
	ErrDiskFull = errors.New("database or disk is full")
	// ErrLocked means another process holds the run lock (see Lock).
	ErrLocked = errors.New("locked by another process")
)

// DefaultBusyTimeout is how long a write waits for another connection's
// lock before failing with ErrBusy.
const DefaultBusyTimeout = 5 * time.Second

// sqliteMagic starts every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// Store is an open jobtrends database. It is safe for concurrent use:
// reads run in parallel (WAL), writes from this process are serialized and
// writes from other processes are waited for up to the busy timeout.
type Store struct {
	db *sql.DB
	// path names the database in errors: the file as given to Open, or a
	// PostgreSQL URL without its password.
	path string
	// pg is true for a PostgreSQL database (see postgres.go), whose write
	// transactions take the advisory lock writeKey.
	pg       bool
	writeKey int64
	// wsem serializes this process's write transactions, so that they
	// queue here (honouring ctx) rather than spin in SQLite's busy handler.
	wsem chan struct{}
	// stmts are the write path's prepared statements (stmts.go).
	stmts stmtCache
}

// options are the knobs tests turn; Open uses the defaults.
type options struct {
	busyTimeout time.Duration
	migrations  []migration
	// pragmas are extra per-connection pragmas for the DSN, as the
	// modernc _pragma parameter takes them ("max_page_count(100)").
	pragmas []string
}

func defaultOptions() options {
	return options{busyTimeout: DefaultBusyTimeout, migrations: builtinMigrations}
}

// Open opens the database at path, creating it if missing, and brings its
// schema up to date. A file that is not a SQLite database (or is
// malformed) and a database with a newer schema are refused with an error
// naming the file, and the file is left as it was.
//
// A postgres:// or postgresql:// URL opens that PostgreSQL database
// instead (see IsPostgres): the same schema, migrations and behaviour, on
// an existing database the URL's role may create tables in.
func Open(ctx context.Context, path string) (*Store, error) {
	if IsPostgres(path) {
		o := defaultOptions()
		o.migrations = builtinPGMigrations
		return openPostgres(ctx, path, o)
	}
	return open(ctx, path, defaultOptions())
}

func open(ctx context.Context, path string, o options) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: open: empty database path")
	}
	if err := checkHeader(path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(abs, o))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, wsem: make(chan struct{}, 1)}
	if err := s.init(ctx, o.migrations, o.busyTimeout); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// init checks the file with reads only, then switches it to WAL and
// migrates it.
func (s *Store) init(ctx context.Context, migrations []migration, busyTimeout time.Duration) error {
	// Reading the schema makes SQLite parse page 1 and every CREATE
	// statement: garbage, a truncated file or a broken schema fail here,
	// before anything is written.
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return wrap(err, "open %s", s.path)
	}
	if err := s.checkVersion(ctx, migrations); err != nil {
		return err
	}
	if err := s.setWAL(ctx, busyTimeout); err != nil {
		return err
	}
	return s.migrate(ctx, migrations)
}

// checkVersion refuses a database whose schema is newer than migrations.
func (s *Store) checkVersion(ctx context.Context, migrations []migration) error {
	v, err := s.schemaVersion(ctx, s.db)
	if err != nil {
		return wrap(err, "open %s: read schema version", s.path)
	}
	if v > len(migrations) {
		return fmt.Errorf("store: open %s: %w: schema version %d, this program knows up to %d",
			s.path, ErrNewerSchema, v, len(migrations))
	}
	return nil
}

// setWAL switches the database to WAL mode (persistent, and a no-op when
// it already is). Switching needs an exclusive lock and SQLite does not
// wait for it when waiting could deadlock (another connection opening the
// same new file), so it is retried until the busy timeout.
func (s *Store) setWAL(ctx context.Context, busyTimeout time.Duration) error {
	deadline := time.Now().Add(busyTimeout)
	for {
		var mode string
		err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		if err == nil && mode != "wal" {
			return fmt.Errorf("store: open %s: journal_mode is %q, want wal", s.path, mode)
		}
		if err == nil {
			return nil
		}
		if !errors.Is(classify(err), ErrBusy) || time.Now().After(deadline) {
			return wrap(err, "open %s: set journal_mode", s.path)
		}
		select {
		case <-ctx.Done():
			return wrap(ctx.Err(), "open %s: set journal_mode", s.path)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// checkHeader refuses, without SQLite ever opening it, a non-empty file
// that does not start with the SQLite magic string. A missing or empty file
// is fine: SQLite creates the database.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory")
	}
	if fi.Size() == 0 {
		return nil
	}
	head := make([]byte, 100) // the database header
	if _, err := io.ReadFull(f, head); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return ErrNotDatabase
		}
		return err
	}
	if !bytes.HasPrefix(head, []byte(sqliteMagic)) {
		return ErrNotDatabase
	}
	return nil
}

// dsn builds the modernc DSN: a file: URI (so any character in the path
// survives) with the per-connection pragmas every pooled connection needs.
// journal_mode is not among them: it is persistent and is set once, after
// the file has been checked.
func dsn(abs string, o options) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(o.busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	for _, p := range o.pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	// EscapedPath escapes '?', '#', '%' and spaces; SQLite decodes %XX in
	// the path of a file: URI. filepath.Abs cleans the path, so it never
	// starts with "//" (which SQLite would read as an authority).
	return "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + q.Encode()
}

// Close closes the database. It checkpoints the WAL when it is the last
// connection to the file.
func (s *Store) Close() error {
	s.stmts.close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the database path as given to Open.
func (s *Store) Path() string { return s.path }

// IntegrityCheck runs PRAGMA integrity_check and returns an error wrapping
// ErrCorrupt listing the first problems when it does not answer "ok". It
// reads the whole file, so it is slow on a large database.
//
// PostgreSQL has no such check (its own page checksums and amcheck belong
// to the server's operator): there it only checks that the database
// answers.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.pg {
		if err := s.db.PingContext(ctx); err != nil {
			return wrap(err, "integrity check of %s", s.path)
		}
		return nil
	}
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check(20)")
	if err != nil {
		return wrap(err, "integrity check of %s", s.path)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return wrap(err, "integrity check of %s", s.path)
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return wrap(err, "integrity check of %s", s.path)
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil
	}
	return fmt.Errorf("store: integrity check %s: %w: %q", s.path, ErrCorrupt, msgs)
}

// wrap prefixes err with "store: " and the step (which names the database
// file), adding the sentinel error that matches its SQLite result code.
func wrap(err error, format string, args ...any) error {
	step := fmt.Sprintf(format, args...)
	if sentinel := classify(err); sentinel != nil && !errors.Is(err, sentinel) {
		return fmt.Errorf("store: %s: %w: %w", step, sentinel, err)
	}
	return fmt.Errorf("store: %s: %w", step, err)
}

// classify maps a SQLite or PostgreSQL error to one of the sentinel
// errors, or nil.
func classify(err error) error {
	if c := classifyPostgres(err); c != nil {
		return c
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB:
		return ErrNotDatabase
	case sqlite3.SQLITE_CORRUPT:
		return ErrCorrupt
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return ErrBusy
	case sqlite3.SQLITE_FULL:
		return ErrDiskFull
	}
	return nil
}

// write runs fn in one BEGIN IMMEDIATE transaction (on PostgreSQL, one
// that first takes the write advisory lock), committing if fn returns nil
// and rolling back otherwise. Errors are returned unwrapped: the caller
// names its step.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	select {
	case s.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.wsem }()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if s.pg {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", s.writeKey); err != nil {
			tx.Rollback()
			return fmt.Errorf("begin: write lock: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Time columns hold UTC text of fixed width, so they sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// fmtTime formats t for a time column; the zero time is NULL.
func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeFormat)
}

// parseTime reads a time column; NULL is the zero time.
func parseTime(v sql.NullString) (time.Time, error) {
	if !v.Valid || v.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q: %w", v.String, err)
	}
	return t.UTC(), nil
}
