package analyze

import (
	"slices"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

func TestHealth(t *testing.T) {
	t1, t2 := day(t, "2026-01-01"), day(t, "2026-01-02")
	in := []jobtrends.Posting{
		paidPost(t, "2025-12-01", usd(f(100e3), nil, jobtrends.ProvenanceText)),
		{Source: "x", DatePosted: day(t, "2025-11-15"), Role: jobtrends.RoleDataScientist},
		{Source: "x"},
	}
	runs := []RunSummary{
		{ID: 1, Started: t1, Status: "ok", Sources: []SourceRun{{Source: "x", OK: true, PagesFetched: 5, New: 3, EncodingFallback: 1}}},
		{ID: 2, Started: t2, Status: "failed", Sources: []SourceRun{
			{Source: "x", OK: false, Error: "timeout", PagesFailed: 2, EncodingFallback: 2},
			{Source: "y", OK: true, PagesFetched: 4},
		}},
	}
	h := Build(in, runs, Options{Now: day(t, "2026-01-03")}).Health
	if len(h.Runs) != 2 || h.Runs[0].ID != 2 || h.Runs[1].ID != 1 {
		t.Errorf("runs not newest first: %+v", h.Runs)
	}
	if len(h.Sources) != 2 {
		t.Fatalf("sources = %+v", h.Sources)
	}
	tests := []struct {
		name string
		got  SourceHealth
		want SourceHealth
	}{
		{"x: last run failed", h.Sources[0], SourceHealth{
			Source: "x", Postings: 3, MLEngineer: 1, WithSalary: 1, Undated: 1,
			FirstPosted: day(t, "2025-11-15"), LastPosted: day(t, "2025-12-01"),
			Runs: 2, FailedRuns: 1, LastRun: t2, LastRunOK: false, LastRunError: "timeout", LastSuccess: t1,
			PagesFetched: 5, PagesFailed: 2, EncodingFallbacks: 3, New: 3,
			Warnings: []string{"last run failed"},
		}},
		{"y: fetched pages, found nothing", h.Sources[1], SourceHealth{
			Source: "y", Runs: 1, LastRun: t2, LastRunOK: true, LastSuccess: t2, PagesFetched: 4,
			Warnings: []string{"last run fetched pages but found no postings (has the site changed?)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, w := tt.got, tt.want
			if g.Source != w.Source || g.Postings != w.Postings || g.MLEngineer != w.MLEngineer || g.WithSalary != w.WithSalary || g.Undated != w.Undated ||
				!g.FirstPosted.Equal(w.FirstPosted) || !g.LastPosted.Equal(w.LastPosted) ||
				g.Runs != w.Runs || g.FailedRuns != w.FailedRuns || !g.LastRun.Equal(w.LastRun) || g.LastRunOK != w.LastRunOK ||
				g.LastRunError != w.LastRunError || !g.LastSuccess.Equal(w.LastSuccess) ||
				g.PagesFetched != w.PagesFetched || g.PagesFailed != w.PagesFailed || g.New != w.New ||
				g.EncodingFallbacks != w.EncodingFallbacks ||
				!slices.Equal(g.Warnings, w.Warnings) {
				t.Errorf("got  %+v\nwant %+v", g, w)
			}
		})
	}
	checkNum(t, "x salary coverage", h.Sources[0].SalaryCoverage, num(1.0/3))
	checkNum(t, "y salary coverage", h.Sources[1].SalaryCoverage, Num{})

	t.Run("no successful run", func(t *testing.T) {
		h := Build(nil, []RunSummary{{ID: 1, Started: t1, Sources: []SourceRun{{Source: "z", RobotsBlocked: 3}}}}, Options{}).Health
		want := []string{"no successful run", "last run blocked by robots.txt"}
		if len(h.Sources) != 1 || !slices.Equal(h.Sources[0].Warnings, want) {
			t.Errorf("got %+v", h.Sources)
		}
	})
	t.Run("at most MaxRuns runs", func(t *testing.T) {
		var many []RunSummary
		for i := range MaxRuns + 5 {
			many = append(many, RunSummary{ID: int64(i), Started: t1.Add(time.Duration(i) * time.Hour)})
		}
		h := Build(nil, many, Options{}).Health
		if len(h.Runs) != MaxRuns || h.Runs[0].ID != MaxRuns+4 {
			t.Errorf("%d runs, first %d", len(h.Runs), h.Runs[0].ID)
		}
	})
}
