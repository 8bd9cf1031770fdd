// Package store is the storage step of the jobtrends pipeline: it keeps the
// raw pages the scraper fetched, the postings parse/ extracted from them and
// a record of every run, in one SQLite file (modernc.org/sqlite, no cgo).
//
// SQL lives here and nowhere else. The package imports the shared
// vocabulary (package jobtrends) and the standard library; it must not
// import scraper/, parse/, analyze/ or charts/.
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
//	lock.go      Lock (flock on <db>.lock)
package store
