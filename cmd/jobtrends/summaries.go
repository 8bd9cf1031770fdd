package main

import (
	"strings"

	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/store"
)

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
