package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCacheMax bounds the statements a Store keeps prepared: the write
// path's fixed statements and the batch statements of the few batch sizes
// a crawl sees (a statement per distinct number of postings on a page).
// Past it, statements run unprepared, as they did before.
const stmtCacheMax = 64

// stmtCache holds the write path's prepared statements by query text.
// SQLite compiles a statement on every call that is not prepared, which
// was an eighth of the CPU of an Ashby crawl (a handful of statements per
// page); a prepared *sql.Stmt is compiled once per connection and reused
// by every transaction on it (sql.Tx.StmtContext). PostgreSQL does not
// use it: pgx already keeps a cache of prepared statements per
// connection, and preparing through database/sql costs round trips.
type stmtCache struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	closed bool
}

// get returns the statement of query, prepared on db; nil when the cache
// is full or closed.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if c.closed || len(c.m) >= stmtCacheMax {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// close closes every cached statement; later gets return nil.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m, c.closed = nil, true
}

// stmt returns the cached prepared statement of query, or nil when
// statements of s are not cached (PostgreSQL, a full cache).
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s.pg {
		return nil, nil
	}
	return s.stmts.get(ctx, s.db, query)
}

// preparedTx runs a transaction's statements through the Store's cache of
// prepared statements. It is a queryer.
type preparedTx struct {
	s  *Store
	tx *sql.Tx
}

var _ queryer = preparedTx{}

// ExecContext is sql.Tx.ExecContext with query prepared once.
func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return p.tx.ExecContext(ctx, query, args...)
	}
	return p.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

// QueryContext is sql.Tx.QueryContext with query prepared once.
func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return p.tx.QueryContext(ctx, query, args...)
	}
	return p.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
}

// QueryRowContext is sql.Tx.QueryRowContext with query prepared once. A
// failure to prepare is the returned row's error.
func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.s.stmt(ctx, query)
	if err != nil || st == nil {
		// Unprepared, the statement fails the same way again, in the row.
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	return p.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}

// queryRow is sql.DB.QueryRowContext with query prepared once.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := s.stmt(ctx, query)
	if err != nil || st == nil {
		return s.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
