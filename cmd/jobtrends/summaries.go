package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/store"
)

// reportAttempts is how many times buildReport streams the postings when
// they change between its two passes (a crawl writing meanwhile).
const reportAttempts = 3

// reportSource is what buildReport reads: *store.Store, or a test fake.
type reportSource interface {
	ReportPostings(ctx context.Context, fn func(*jobtrends.Posting) error) error
	Path() string
}

var _ reportSource = (*store.Store)(nil)

// buildReport streams the store's postings twice through an
// analyze.Builder (ReportPostings: only the columns the report reads, no
// posting held) and returns the report. When a crawl changed the postings
// between the two passes it starts again, at most reportAttempts times.
func buildReport(ctx context.Context, st reportSource, runs []analyze.RunSummary, opt analyze.Options) (*analyze.Report, error) {
	var err error
	for range reportAttempts {
		var rep *analyze.Report
		rep, err = analyze.Stream(opt, runs, func(fn func(*jobtrends.Posting) error) error {
			return st.ReportPostings(ctx, fn)
		})
		if !errors.Is(err, analyze.ErrPassesDiffer) {
			return rep, err
		}
	}
	return nil, fmt.Errorf("report from %s: the postings kept changing while they were read: %w", st.Path(), err)
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
