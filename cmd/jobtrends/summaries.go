package main

import (
	"context"
	"strings"

	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/store"
)

// buildReport returns the report of the store's postings: the database
// counts every section of it (Store.ReportGroups: GROUP BY queries in one
// read transaction, so a crawl writing meanwhile changes nothing of it),
// the CLI holds aggregates only, never the postings.
func buildReport(ctx context.Context, st *store.Store, runs []analyze.RunSummary, opt analyze.Options) (*analyze.Report, error) {
	g := analyze.NewGroups(opt)
	if err := st.ReportGroups(ctx, g); err != nil {
		return nil, err
	}
	return g.Report(runs), nil
}

// runSummaries converts the store's run rows for the report's data-health
// section.
func runSummaries(runs []store.Run) []analyze.RunSummary {
	out := make([]analyze.RunSummary, 0, len(runs))
	for _, r := range runs {
		s := analyze.RunSummary{ID: r.ID, Started: r.Started, Finished: r.Finished, Status: r.Status}
		for _, src := range r.Sources {
			sr := analyze.SourceRun{
				Source: src.Source, OK: src.Complete && src.PagesFailed == 0,
				PagesFetched: src.PagesFetched, PagesFailed: src.PagesFailed, RobotsBlocked: src.RobotsBlocked,
				EncodingFallback: src.EncodingFallback,
				New:              src.New, Updated: src.Updated, Unchanged: src.Unchanged, Closed: src.Closed,
			}
			if !sr.OK {
				sr.Error = sourceError(r.Error, src.Source)
			}
			s.Sources = append(s.Sources, sr)
		}
		out = append(out, s)
	}
	return out
}

// sourceError picks the part of a run's error text ("a: …; b: …") that
// names source.
func sourceError(runErr, source string) string {
	for _, part := range strings.Split(runErr, "; ") {
		if strings.HasPrefix(part, source+": ") {
			return part
		}
	}
	if runErr == "" {
		return "incomplete"
	}
	return runErr
}
