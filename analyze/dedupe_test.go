package analyze

import (
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// TestCrossSourceDuplicates: the same job on an ATS board and in an HN
// comment counts once in the cross-source sections (the ATS one, whose
// salary is employer-structured, is kept), while growth still counts each
// source's own postings.
func TestCrossSourceDuplicates(t *testing.T) {
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	d := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	usd := func(v float64) *float64 { return &v }
	job := func(source, company, title, city string, sal *jobtrends.Salary) jobtrends.Posting {
		return jobtrends.Posting{Source: source, ExternalID: source + title + company, Company: company, Title: title,
			Location: jobtrends.Location{City: city, Country: "US"}, DatePosted: d, Role: jobtrends.RoleMLEngineer, Salary: sal}
	}
	structured := &jobtrends.Salary{Currency: "USD", Period: jobtrends.PeriodYear, AnnualMinUSD: usd(200000), AnnualMaxUSD: usd(200000), Provenance: jobtrends.ProvenanceStructured}
	text := &jobtrends.Salary{Currency: "USD", Period: jobtrends.PeriodYear, AnnualMinUSD: usd(100000), AnnualMaxUSD: usd(100000), Provenance: jobtrends.ProvenanceText}
	postings := []jobtrends.Posting{
		job("hn", "Acme, Inc.", "ML Engineer", "Boston", text),
		job("greenhouse", "ACME Inc", "ML engineer", "Boston", structured),
		job("hn", "Other", "ML Engineer", "Boston", nil),
		job("hn", "Other", "ML Engineer", "Boston", nil), // same source: two postings
		job("lever", "", "ML Engineer", "Boston", nil),   // no company: no key
	}
	postings[3].ExternalID = "second"
	rep := Build(postings, nil, Options{Now: now})
	if got := rep.Counts.CrossSourceDuplicates; got != 1 {
		t.Errorf("CrossSourceDuplicates = %d, want 1", got)
	}
	if n := rep.Salary.Overall.N; n != 1 {
		t.Fatalf("salary n = %d, want 1 (the duplicate counted once)", n)
	}
	if m := rep.Salary.Overall.Median; !m.Valid || m.V != 200000 {
		t.Errorf("salary median = %+v, want the employer-structured 200000", m)
	}
	var hn int
	for _, s := range rep.Growth.Sources {
		if s.Source == "hn" {
			for _, m := range s.Months {
				hn += m.ML
			}
		}
	}
	if hn != 3 {
		t.Errorf("growth counts %d hn ML postings, want all 3 of the source's own", hn)
	}
}
