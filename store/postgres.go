package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/jobtrends/jobtrends"
)

// The PostgreSQL backend. `database: postgres://…` selects it; everything
// else is a SQLite file. Both backends share the Store code: queries are
// written once, with SQLite's ? and ?N placeholders and SQL both engines
// accept (CASE rather than iif, IS DISTINCT FROM rather than IS NOT), and
// Store.q rewrites the placeholders to PostgreSQL's $N.
//
// Writes are serialized across processes as SQLite's BEGIN IMMEDIATE
// serializes them: every write transaction first takes a transaction-level
// advisory lock (Store.writeKey). That keeps SavePage's read-then-insert of a
// posting free of races between workers on several machines, at the cost of
// one writer at a time, which per-page transactions of a few milliseconds
// afford.

// IsPostgres reports whether a `database:` setting names a PostgreSQL
// database (a postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// advisoryKey returns the key of one of jobtrends' advisory locks, in
// PostgreSQL's single bigint key space of a database. It is derived from a
// fixed name, so that another application sharing the database is unlikely
// to collide with it, and from the URL's search_path, so that two jobtrends
// stores kept in two schemas of one database do not lock each other out.
func advisoryKey(name, target string) int64 {
	h := fnv.New64a()
	h.Write([]byte("jobtrends: " + name))
	if u, err := url.Parse(target); err == nil {
		h.Write([]byte("\x00" + u.Query().Get("search_path")))
	}
	return int64(h.Sum64())
}

// DisplayName is how logs and reports name the database target: the file
// path as given, or a PostgreSQL URL without its password.
func DisplayName(target string) string {
	if IsPostgres(target) {
		return jobtrends.RedactURL(target)
	}
	return target
}

func openPostgres(ctx context.Context, target string, o options) (*Store, error) {
	name := jobtrends.RedactURL(target)
	db, err := sql.Open("pgx", target)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", name, err)
	}
	s := &Store{db: db, path: name, pg: true, wsem: make(chan struct{}, 1),
		writeKey: advisoryKey("write transaction", target)}
	pctx, cancel := context.WithTimeout(ctx, o.busyTimeout+5*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, wrap(err, "open %s", name)
	}
	if err := s.checkVersion(ctx, o.migrations); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx, o.migrations); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// rebound caches Store.q's rewrites: the queries are a fixed set of
// constants.
var rebound sync.Map // string → string

// q returns query as the backend takes it: unchanged for SQLite, with ?N
// turned into $N and each bare ? into the next $N for PostgreSQL. A
// question mark inside a '…' literal is left alone. A query uses either
// bare or numbered placeholders, never both.
func (s *Store) q(query string) string {
	if !s.pg {
		return query
	}
	if v, ok := rebound.Load(query); ok {
		return v.(string)
	}
	r := rebind(query)
	rebound.Store(query, r)
	return r
}

func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted // '' inside a literal toggles twice
		case c == '?' && !quoted:
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(query[i+1 : j])
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// classifyPostgres maps a PostgreSQL error to one of the sentinel errors,
// or nil.
func classifyPostgres(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	switch pe.Code {
	case "53100": // disk_full
		return ErrDiskFull
	case "55P03", "40P01", "57014": // lock_not_available, deadlock_detected, query_canceled (lock_timeout)
		return ErrBusy
	case "XX001", "XX002": // data_corrupted, index_corrupted
		return ErrCorrupt
	}
	return nil
}

// pgSchemaTable holds the schema version of a PostgreSQL database, as
// PRAGMA user_version does for SQLite.
const pgSchemaTable = `
	CREATE TABLE IF NOT EXISTS jobtrends_schema (version INTEGER NOT NULL);
	INSERT INTO jobtrends_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM jobtrends_schema)`

// LockPostgres takes the one-run-at-a-time lock of a PostgreSQL database:
// a session-level advisory lock, held by a connection of its own until
// unlock. It fails at once with ErrLocked when another session holds it. A
// holder that dies releases it with its connection, as a killed process
// releases its flock.
func LockPostgres(ctx context.Context, target string) (unlock func() error, err error) {
	name := jobtrends.RedactURL(target)
	db, err := sql.Open("pgx", target)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", name, err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, wrap(err, "lock %s", name)
	}
	key := advisoryKey("one run at a time", target)
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		conn.Close()
		db.Close()
		return nil, wrap(err, "lock %s", name)
	}
	if !got {
		conn.Close()
		db.Close()
		return nil, fmt.Errorf("store: lock %s: %w", name, ErrLocked)
	}
	var once sync.Once
	return func() error {
		var err error
		once.Do(func() {
			// Closing the session releases the lock too; the explicit
			// unlock only makes it immediate when the pool keeps the
			// connection.
			_, err = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", key)
			if cerr := conn.Close(); err == nil {
				err = cerr
			}
			if cerr := db.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				err = fmt.Errorf("store: unlock %s: %w", name, err)
			}
		})
		return err
	}, nil
}
