package main

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/demo"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/store"
)

// TestBuildReportCountsLikeBuild: the report the CLI builds from the
// database's counts (buildReport: Store.ReportGroups) is the report analyze.Build makes of every full posting held in memory, on
// the real postings of the bundled API and JSON-LD pages and the first
// bundled HN page (parsed and enriched), with the same jobs stored again under other sources
// (cross-source duplicates) and the runs of the store.
func TestBuildReportCountsLikeBuild(t *testing.T) {
	ctx := context.Background()
	pages, err := demo.Pages()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "jobtrends.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fetched := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	run, err := st.StartRun(ctx, fetched)
	if err != nil {
		t.Fatal(err)
	}
	enrich := parse.NewEnricher()
	hn := 0
	var copies []jobtrends.Posting
	for _, pg := range pages {
		if strings.Contains(pg.URL, "news.ycombinator.com") {
			if hn++; hn > 1 {
				continue
			}
		}
		res, err := parse.Extract(pg.URL, pg.Body, fetched)
		if res == nil {
			t.Fatalf("extract %s: %v", pg.URL, err)
		}
		ps := res.Postings
		enrich.Postings(ps)
		for i := range ps {
			ps[i].Source = ps[i].SourceType
			if i%4 == 0 { // the same job on another source
				c := ps[i]
				c.Source, c.ExternalID = "mirror-"+c.SourceType, fmt.Sprintf("m-%s", c.ExternalID)
				// with other pay: none, or the same amounts from another
				// provenance (which copy the dedupe keeps depends on it)
				switch prov := []jobtrends.Provenance{"", jobtrends.ProvenanceStructured, jobtrends.ProvenanceText, jobtrends.ProvenanceEstimate}[len(copies)%4]; {
				case prov == "":
					c.Salary = nil
				case c.Salary != nil:
					s := *c.Salary
					s.Provenance = prov
					c.Salary = &s
				}
				copies = append(copies, c)
			}
		}
		if _, err := st.SavePage(ctx, run, jobtrends.Page{URL: pg.URL, Source: "demo", Fetched: fetched, Status: 200,
			ContentType: pg.ContentType, Body: pg.Body}, ps); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.SavePage(ctx, run, jobtrends.Page{URL: "https://mirror.example/", Source: "mirror", Fetched: fetched, Status: 200,
		ContentType: "text/html", Body: []byte("<html>mirror</html>")}, copies); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, run, fetched.Add(time.Minute), "ok", "", nil); err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	opt := analyze.Options{Now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}

	var all []jobtrends.Posting
	if err := st.Postings(ctx, func(p *jobtrends.Posting) error { all = append(all, *p); return nil }); err != nil {
		t.Fatal(err)
	}
	want := analyze.Build(all, runSummaries(runs), opt)
	paid := 0
	for _, g := range want.Salary.ByRole {
		paid += g.Pay.N
	}
	if want.Counts.Used < 100 || want.Counts.MLEngineer == 0 || want.Counts.CrossSourceDuplicates == 0 || paid < 10 {
		t.Fatalf("the data exercises too little: %+v, %d salaries", want.Counts, paid)
	}
	got, err := buildReport(ctx, st, runSummaries(runs), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report from the database's counts differs from Build over every posting: counts %+v, want %+v", got.Counts, want.Counts)
		if !reflect.DeepEqual(got.Salary, want.Salary) {
			t.Errorf("salary:\n got %+v\nwant %+v", got.Salary, want.Salary)
		}
	}
}
