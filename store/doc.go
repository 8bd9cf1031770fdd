// Package store is the storage step of the jobtrends pipeline: it keeps the
// raw pages the scraper fetched, the postings parse/ extracted from them and
// a record of every run, in one SQLite file (modernc.org/sqlite, no cgo) or
// a PostgreSQL database (pgx).
//
// SQL lives here and nowhere else. The package imports the shared
// vocabulary (package jobtrends), the standard library and package analyze,
// for two things only: the definitions of what the report groups a posting
// by (analyze.FiledAt, analyze.IsMLEngineer, kept per posting by
// migration 0003), and analyze.Groups, which ReportGroups fills with the
// database's GROUP BY counts. It must not import scraper/, parse/ or
// charts/; analyze imports none of store.
//
// The database is meant to be written by a cron job for months, so:
//
//   - it runs in WAL mode with a busy timeout, and every write is one
//     BEGIN IMMEDIATE transaction (a page and all its postings commit
//     together or not at all);
//   - the schema is a list of numbered migrations (migrations/NNNN_*.sql),
//     each applied in one transaction together with PRAGMA user_version,
//     and a database newer than this binary is refused;
//   - a file that is not a SQLite database is refused without being
//     written to;
//   - [Lock] keeps two runs from overlapping.
//
// Files:
//
//	store.go     Open, Close, IntegrityCheck, the DSN, sentinel errors
//	migrate.go   numbered migrations
//	pages.go     SavePage, raw page bodies, conditional-request validators
//	postings.go  the posting columns, content hash, DedupeKey, Postings, CloseMissing
//	runs.go      StartRun, FinishRun, Runs, LastRunWithPostings, Counts
//	facts.go     the report's per-posting facts (filed_at, filed_month, posted_at, ml)
//	groups.go    ReportGroups: the report's aggregations in SQL
//	report.go    ReportPostings: the report's columns, streamed
//	postgres.go  the PostgreSQL backend
//	lock.go      Lock (flock on <db>.lock)
package store
