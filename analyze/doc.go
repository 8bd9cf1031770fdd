// Package analyze is the statistics step of the jobtrends pipeline:
// config → scraper → parse → store → analyze → charts.
//
// It turns postings (and the store's run rows, converted by the CLI into
// RunSummary values) into a Report: aggregates only, never a posting's free
// text beyond the labels a chart needs (company, skill, country, …). The
// postings are streamed through a Builder, twice, and never held: its
// memory grows with the groups counted (months, sources, skills,
// companies, distinct salary values per group) and the distinct dedupe
// keys, not with the postings. Build runs the Builder over a slice.
// Groups takes the same sections from a database that counted the
// postings (GROUP BY: package store's ReportGroups), each group weighed by
// the postings it stands for; the CLI's report is built that way.
//
// Everything here is a pure function. There is no I/O, no logging and no
// clock: "now" and the time window are arguments (Options). The package
// imports only the root package jobtrends and the standard library, so it
// can be tested with numbers worked out by hand.
//
// Conventions used throughout:
//
//   - A month with no postings inside a series' span is a gap (Num.Valid is
//     false), never a zero. A zero means "there was data and none matched".
//   - The month that contains Options.Now, or that a window bound cuts, is
//     partial: its counts are shown but left out of moving averages,
//     year-over-year changes, indices and yearly means.
//   - Every ratio is a Num built with Ratio or Some, which refuse NaN and
//     ±Inf, so no such value reaches a chart encoder.
//   - Quantiles use linear interpolation between closest ranks (the
//     "type 7" definition of R and NumPy's default).
//
// Files: report.go (Options, Report, Build), builder.go (Builder: the two
// passes, cross-source dedupe, multiset), grouped.go (Groups,
// CrossSourceDrops), num.go (Num, Month, Quarter),
// stats.go (quantiles, CAGR), growth.go, salary.go, skills.go (skills,
// education, industry), places.go (companies, places, remote), claims.go,
// health.go.
package analyze
