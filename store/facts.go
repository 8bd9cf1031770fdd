package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
)

// factCols are the columns of what the report groups a posting by
// (migration 0003), in the order of reportFacts.
var factCols = []string{"filed_at", "filed_month", "posted_at", "ml"}

// reportFacts returns the values of factCols for a cleaned posting: the
// time and month it is filed under (analyze.FiledAt), its date posted, and
// whether it is an ML-engineer posting. Every one is a function of other
// columns; the definitions are package analyze's, so the groups the
// database counts are the ones the report would file a posting in.
func reportFacts(c *jobtrends.Posting) []any {
	var filedAt, filedMonth, postedAt any
	if t, m, ok := analyze.FiledAt(c); ok {
		filedAt, filedMonth = unixNanos(t), int64(m)
	}
	if !c.DatePosted.IsZero() {
		postedAt = unixNanos(c.DatePosted)
	}
	ml := 0
	if analyze.IsMLEngineer(c) {
		ml = 1
	}
	return []any{filedAt, filedMonth, postedAt, ml}
}

// The instants Unix nanoseconds can hold; unixNanos clamps to them. A
// posting dated before 1678 or after 2262 keeps its order against every
// real date, and its month (filed_month) is exact.
var (
	minNanos = time.Unix(0, math.MinInt64)
	maxNanos = time.Unix(0, math.MaxInt64)
)

func unixNanos(t time.Time) int64 {
	switch {
	case t.Before(minNanos):
		return math.MinInt64
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// nanosTime is the inverse of unixNanos, in UTC.
func nanosTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// fillBatch is how many postings fillReportFacts reads at a time.
const fillBatch = 1000

// fillReportFacts is the Go step of migration 0003: it computes factCols
// for every posting already stored, in the migration's transaction.
func fillReportFacts(ctx context.Context, s *Store, tx *sql.Tx) error {
	upd, err := tx.PrepareContext(ctx, s.q("UPDATE postings SET filed_at = ?, filed_month = ?, posted_at = ?, ml = ? WHERE id = ?"))
	if err != nil {
		return err
	}
	defer upd.Close()
	type fact struct {
		id   int64
		args []any
	}
	var after int64 = math.MinInt64
	for {
		rows, err := tx.QueryContext(ctx, s.q("SELECT id, source, external_id, thread, date_posted, role, roles FROM postings WHERE id > ? ORDER BY id LIMIT ?"), after, fillBatch)
		if err != nil {
			return err
		}
		var batch []fact
		for rows.Next() {
			var (
				id          int64
				p           jobtrends.Posting
				date, roles sql.NullString
			)
			if err := rows.Scan(&id, &p.Source, &p.ExternalID, &p.Thread, &date, &p.Role, &roles); err != nil {
				rows.Close()
				return err
			}
			if p.DatePosted, err = parseTime(date); err != nil {
				rows.Close()
				return fmt.Errorf("posting %s/%s: date_posted: %w", p.Source, p.ExternalID, err)
			}
			if p.Roles, err = parseList(roles); err != nil {
				rows.Close()
				return fmt.Errorf("posting %s/%s: roles: %w", p.Source, p.ExternalID, err)
			}
			batch = append(batch, fact{id, reportFacts(&p)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, f := range batch {
			if _, err := upd.ExecContext(ctx, append(f.args, f.id)...); err != nil {
				return fmt.Errorf("posting %d: %w", f.id, err)
			}
		}
		if len(batch) < fillBatch {
			return nil
		}
		after = batch[len(batch)-1].id
	}
}
