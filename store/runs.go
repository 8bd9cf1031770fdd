package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The statuses of a run.
const (
	// StatusRunning is a run that StartRun began and FinishRun has not
	// ended.
	StatusRunning = "running"
	// StatusOK is a run in which every source was crawled completely.
	StatusOK = "ok"
	// StatusFailed is a run that stopped on an error.
	StatusFailed = "failed"
	// StatusPartial is a run that finished with some sources incomplete.
	StatusPartial = "partial"
	// StatusAborted is a run found still running by a later StartRun: its
	// process was killed.
	StatusAborted = "aborted"
)

// SourceStats is what one source did in one run.
type SourceStats struct {
	Source string

	PagesFetched  int
	PagesFailed   int
	RobotsBlocked int // pages robots.txt disallowed
	PagesSkipped  int // pages not fetched (limits, unchanged, …)
	// EncodingFallback counts pages whose text could not be decoded as
	// declared (scraper.Stats.EncodingFallback).
	EncodingFallback int

	New       int // postings, summed from SavePage's PageCounts
	Updated   int
	Unchanged int
	Closed    int // postings closed (CloseMissing)

	// Complete is true when the source was crawled to the end, so that
	// postings it did not return can be counted as missing.
	Complete bool

	// Seen (distinct postings of the source saved in the run) and
	// WithSalary (how many of them carry a salary) are computed by
	// FinishRun; values passed to it are ignored.
	Seen       int
	WithSalary int
}

// Run is one recorded run.
type Run struct {
	ID       int64
	Started  time.Time // UTC
	Finished time.Time // UTC; zero while running and for an aborted run
	Status   string    // one of the Status* constants
	Error    string
	Sources  []SourceStats // ordered by source name
}

// Source returns the stats of the named source in r.
func (r *Run) Source(name string) (SourceStats, bool) {
	for _, s := range r.Sources {
		if s.Source == name {
			return s, true
		}
	}
	return SourceStats{}, false
}

// StartRun records a new run started at now and returns its ID. A run
// still marked running, whose process must have died (Lock keeps two runs
// from overlapping), is marked aborted first.
func (s *Store) StartRun(ctx context.Context, now time.Time) (int64, error) {
	return s.startRun(ctx, now, true)
}

// StartWorkerRun records a new run of one worker of a shared crawl
// (jobtrends scrape --worker) and returns its ID. Workers run at the same
// time on one database, so unlike StartRun it leaves other running runs
// alone.
func (s *Store) StartWorkerRun(ctx context.Context, now time.Time) (int64, error) {
	return s.startRun(ctx, now, false)
}

func (s *Store) startRun(ctx context.Context, now time.Time, abortOthers bool) (int64, error) {
	if now.IsZero() {
		return 0, fmt.Errorf("store: start run in %s: zero start time", s.path)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			s.q("INSERT INTO runs (started, status) VALUES (?, ?) RETURNING id"),
			fmtTime(now), StatusRunning).Scan(&id)
		if err != nil || !abortOthers {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`
			UPDATE runs SET status = ?1,
				error = CASE WHEN error = '' THEN ?2 ELSE error END
			WHERE status = ?3 AND id <> ?4`),
			StatusAborted, fmt.Sprintf("still running when run %d started", id), StatusRunning, id)
		return err
	})
	if err != nil {
		return 0, wrap(err, "start run in %s", s.path)
	}
	return id, nil
}

// FinishRun ends a running run with status (StatusOK, StatusFailed or
// StatusPartial), an error text (empty if none) and the stats of each
// source, in one transaction.
func (s *Store) FinishRun(ctx context.Context, runID int64, now time.Time, status string, errText string, sources []SourceStats) error {
	fail := func(err error) error { return wrap(err, "finish run %d in %s", runID, s.path) }
	switch status {
	case StatusOK, StatusFailed, StatusPartial:
	default:
		return fail(fmt.Errorf("status %q is not %s, %s or %s", status, StatusOK, StatusFailed, StatusPartial))
	}
	seen := map[string]bool{}
	for _, st := range sources {
		if st.Source == "" || seen[st.Source] {
			return fail(fmt.Errorf("source %q empty or listed twice", st.Source))
		}
		seen[st.Source] = true
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		cur, err := s.runStatus(ctx, tx, runID)
		if err != nil {
			return err
		}
		if cur != StatusRunning {
			return fmt.Errorf("run is %s, not running", cur)
		}
		for _, st := range sources {
			var n, withSalary int
			err := tx.QueryRowContext(ctx, s.q(`
				SELECT count(*), coalesce(sum(CASE WHEN has_salary THEN 1 ELSE 0 END), 0)
				FROM postings WHERE source = ? AND last_run_id = ?`),
				st.Source, runID).Scan(&n, &withSalary)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, s.q(`
				INSERT INTO run_sources (run_id, source, pages_fetched, pages_failed, robots_blocked,
					pages_skipped, encoding_fallback, postings_new, postings_updated, postings_unchanged,
					postings_closed, postings_seen, postings_with_salary, complete)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				runID, validUTF8(st.Source), st.PagesFetched, st.PagesFailed, st.RobotsBlocked,
				st.PagesSkipped, st.EncodingFallback, st.New, st.Updated, st.Unchanged,
				st.Closed, n, withSalary, st.Complete)
			if err != nil {
				return fmt.Errorf("source %s: %w", st.Source, err)
			}
		}
		_, err = tx.ExecContext(ctx, s.q("UPDATE runs SET finished = ?, status = ?, error = ? WHERE id = ?"),
			fmtTime(now), status, validUTF8(errText), runID)
		return err
	})
	if err != nil {
		return fail(err)
	}
	return nil
}

// runStatus returns the status of a run, or an error if there is none.
func (s *Store) runStatus(ctx context.Context, q queryer, runID int64) (string, error) {
	var status string
	err := q.QueryRowContext(ctx, s.q("SELECT status FROM runs WHERE id = ?"), runID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("run %d does not exist", runID)
	}
	return status, err
}

// Runs returns the newest limit runs (all when limit <= 0), newest first,
// each with its SourceStats.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	query, args := "SELECT id, started, finished, status, error FROM runs ORDER BY id DESC", []any(nil)
	if limit > 0 {
		query, args = query+" LIMIT ?", []any{limit}
	}
	runs, err := s.runs(ctx, query, args...)
	if err != nil {
		return nil, wrap(err, "read runs from %s", s.path)
	}
	return runs, nil
}

// LastRunWithPostings returns the newest finished run in which source
// returned at least one posting (New + Updated + Unchanged > 0), and
// whether there is one; run.Source(source) gives its figures. A crawl that
// now returns no postings for a source that had some is suspect (the site
// changed, or blocks us): the caller should not count it as complete.
func (s *Store) LastRunWithPostings(ctx context.Context, source string) (Run, bool, error) {
	runs, err := s.runs(ctx, `
		SELECT r.id, r.started, r.finished, r.status, r.error FROM runs r
		WHERE r.id = (
			SELECT max(run_id) FROM run_sources
			WHERE source = ? AND postings_new + postings_updated + postings_unchanged > 0)`,
		source)
	if err != nil {
		return Run{}, false, wrap(err, "read last run with postings of %s from %s", source, s.path)
	}
	if len(runs) == 0 {
		return Run{}, false, nil
	}
	return runs[0], true, nil
}

// runs reads the runs a query selects (id, started, finished, status,
// error) with their sources.
func (s *Store) runs(ctx context.Context, query string, args ...any) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	index := map[int64]int{}
	for rows.Next() {
		var (
			r                 Run
			started, finished sql.NullString
		)
		if err := rows.Scan(&r.ID, &started, &finished, &r.Status, &r.Error); err != nil {
			return nil, err
		}
		if r.Started, err = parseTime(started); err != nil {
			return nil, err
		}
		if r.Finished, err = parseTime(finished); err != nil {
			return nil, err
		}
		index[r.ID] = len(runs)
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(runs) == 0 {
		return nil, nil
	}
	// runs is ordered by id, one way or the other.
	lo, hi := runs[0].ID, runs[len(runs)-1].ID
	if lo > hi {
		lo, hi = hi, lo
	}
	srows, err := s.db.QueryContext(ctx, s.q(`
		SELECT run_id, source, pages_fetched, pages_failed, robots_blocked, pages_skipped, encoding_fallback,
			postings_new, postings_updated, postings_unchanged, postings_closed,
			postings_seen, postings_with_salary, complete
		FROM run_sources WHERE run_id BETWEEN ? AND ? ORDER BY run_id, source`), lo, hi)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var (
			id int64
			st SourceStats
		)
		err := srows.Scan(&id, &st.Source, &st.PagesFetched, &st.PagesFailed, &st.RobotsBlocked,
			&st.PagesSkipped, &st.EncodingFallback, &st.New, &st.Updated, &st.Unchanged, &st.Closed,
			&st.Seen, &st.WithSalary, &st.Complete)
		if err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			runs[i].Sources = append(runs[i].Sources, st)
		}
	}
	return runs, srows.Err()
}

// Counts returns how many postings, raw pages (distinct bodies of a URL)
// and runs the database holds.
func (s *Store) Counts(ctx context.Context) (postings, pages, runs int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM postings), (SELECT count(*) FROM raw_pages), (SELECT count(*) FROM runs)`,
	).Scan(&postings, &pages, &runs)
	if err != nil {
		return 0, 0, 0, wrap(err, "count rows in %s", s.path)
	}
	return postings, pages, runs, nil
}
