package charts

import (
	"fmt"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
)

// fakeECharts stands in for the library in tests that do not run a browser.
var fakeECharts = []byte("/* echarts stand-in */ window.echarts = undefined;")

func fp(v float64) *float64 { return &v }

// samplePostings is a small market: HN threads over several years and a
// job board with salaries, seniorities and countries.
func samplePostings(tb testing.TB) []jobtrends.Posting {
	tb.Helper()
	var out []jobtrends.Posting
	id := 0
	add := func(p jobtrends.Posting) {
		id++
		p.ExternalID = fmt.Sprint(id)
		out = append(out, p)
	}
	for y := 2015; y <= 2024; y++ {
		for m := 1; m <= 12; m += 1 + (y % 3) {
			n := 20 + (y-2015)*3 + m
			for i := 0; i < n; i++ {
				role := jobtrends.RoleSoftwareEngineer
				if i < (y-2013)*n/25 {
					role = jobtrends.RoleMLEngineer
				}
				add(jobtrends.Posting{Source: "hn", Thread: fmt.Sprintf("%04d-%02d", y, m), Role: role, Company: fmt.Sprintf("Company %d", i%7)})
			}
		}
	}
	sen := []string{jobtrends.SeniorityJunior, jobtrends.SeniorityMid, jobtrends.SenioritySenior, jobtrends.SeniorityStaff}
	countries := []string{"US", "US", "GB", "DE", "CA"}
	skills := []string{"python", "pytorch", "kubernetes", "sql", "tensorflow", "spark"}
	industries := []string{"finance", "healthcare", "", "retail"}
	cities := []string{"San Francisco", "New York", "London", "Berlin", "Toronto"}
	remote := []jobtrends.Remote{jobtrends.RemoteFull, jobtrends.RemoteHybrid, jobtrends.RemoteOnsite, jobtrends.RemoteUnknown}
	for i := 0; i < 160; i++ {
		d := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*7)
		p := jobtrends.Posting{Source: "board", DatePosted: d, Role: jobtrends.RoleMLEngineer,
			Seniority: sen[i%4], Remote: remote[i%4],
			Company: fmt.Sprintf("Board Co %d", i%11), Skills: append([]string(nil), skills[:2+i%5]...), Industry: industries[i%4],
			Location: jobtrends.Location{Country: countries[i%5], City: cities[i%5]}}
		if i > 80 {
			p.Skills = append(p.Skills, "llm")
		}
		if i%4 == 0 {
			p.Education = []string{"masters:required"}
		} else if i%7 == 0 {
			p.Education = []string{"phd:preferred"}
		}
		if i%3 != 0 {
			lo := 90e3 + float64(i%4)*30e3 + float64(i)*150
			p.Salary = &jobtrends.Salary{Min: fp(lo), Max: fp(lo + 40e3), AnnualMinUSD: fp(lo), AnnualMaxUSD: fp(lo + 40e3),
				Currency: "USD", Period: jobtrends.PeriodYear, Provenance: jobtrends.ProvenanceStructured}
		}
		add(p)
	}
	return out
}

func sampleReport(tb testing.TB) *analyze.Report {
	tb.Helper()
	return analyze.Build(samplePostings(tb), sampleRuns(), analyze.Options{Now: time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC)})
}

// sampleRuns are two crawls: the second failed for the board.
func sampleRuns() []analyze.RunSummary {
	t := time.Date(2024, 6, 1, 6, 0, 0, 0, time.UTC)
	return []analyze.RunSummary{
		{ID: 1, Started: t, Finished: t.Add(3 * time.Minute), Status: "ok", Sources: []analyze.SourceRun{
			{Source: "hn", OK: true, PagesFetched: 12, New: 400, Unchanged: 20},
			{Source: "board", OK: true, PagesFetched: 30, New: 160, RobotsBlocked: 2},
		}},
		{ID: 2, Started: t.Add(24 * time.Hour), Finished: t.Add(24*time.Hour + 2*time.Minute), Status: "failed", Sources: []analyze.SourceRun{
			{Source: "hn", OK: true, PagesFetched: 12, Unchanged: 420},
			{Source: "board", OK: false, Error: "GET https://board.example/jobs: 503", PagesFailed: 1},
		}},
	}
}
