package parse

import (
	"testing"

	"github.com/jobtrends/jobtrends"
)

// TestLeverSalaryRange covers the salaryRange intervals Lever sends. The
// corpus has one real range (per-year-salary); the other intervals are
// set on the same real posting, in the shape the Lever postings API
// documents (LANDSCAPE §5.3).
func TestLeverSalaryRange(t *testing.T) {
	body := apiReadTestdata(t, "api/lever_techsalaryradar_matchgroup_api_sample.json")
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		rng      string
		min, max *float64
		currency string
		period   jobtrends.Period
	}{
		{"as served", "", f(150000), f(180000), "USD", jobtrends.PeriodYear},
		{"per hour", `{"interval":"per-hour-wage","currency":"USD","min":45,"max":60}`, f(45), f(60), "USD", jobtrends.PeriodHour},
		{"per month", `{"interval":"per-month-salary","currency":"EUR","min":4000,"max":5500}`, f(4000), f(5500), "EUR", jobtrends.PeriodMonth},
		{"per week", `{"interval":"per-week-salary","currency":"GBP","min":900,"max":1100}`, f(900), f(1100), "GBP", jobtrends.PeriodWeek},
		{"per day", `{"interval":"per-day-wage","currency":"CAD","min":500,"max":650}`, f(500), f(650), "CAD", jobtrends.PeriodDay},
		{"only a minimum", `{"interval":"per-year-salary","currency":"USD","min":120000}`, f(120000), nil, "USD", jobtrends.PeriodYear},
		{"zero range", `{"interval":"per-year-salary","currency":"USD","min":0,"max":0}`, nil, nil, "", ""},
		{"null", `null`, nil, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := body
			if tt.rng != "" {
				b = apiWithKey(t, body, "", 0, "salaryRange", tt.rng)
			}
			res, err := LeverPostings(b, apiCases[9].url, apiFetched)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Postings[0].Salary
			if tt.min == nil && tt.max == nil {
				if s != nil && s.Provenance == jobtrends.ProvenanceStructured {
					t.Errorf("Salary %s from an empty range", FormatSalary(s))
				}
				return
			}
			if s == nil {
				t.Fatal("no Salary")
			}
			if !apiEqPtr(s.Min, tt.min) || !apiEqPtr(s.Max, tt.max) || s.Currency != tt.currency || s.Period != tt.period || s.Provenance != jobtrends.ProvenanceStructured {
				t.Errorf("Salary %s %s/%s (%s), want %v–%v %s/%s structured", FormatSalary(s), s.Currency, s.Period, s.Provenance, tt.min, tt.max, tt.currency, tt.period)
			}
		})
	}
}

// TestLeverFields checks the fields Lever states outside the text on the
// real responses: workplaceType, commitment, the country code, the site.
func TestLeverFields(t *testing.T) {
	tests := []struct {
		file, url  string
		company    string
		remote     jobtrends.Remote
		employment string
		countries  []string
	}{
		{"lever_atspolling_palantir_api_sample.json", apiCases[8].url, "palantir", jobtrends.RemoteHybrid, "FULL_TIME", []string{"GB", "US"}},
		{"lever_techsalaryradar_matchgroup_api_sample.json", apiCases[9].url, "matchgroup", jobtrends.RemoteHybrid, "FULL_TIME", []string{"US", "KR"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := LeverPostings(apiReadTestdata(t, "api/"+tt.file), tt.url, apiFetched)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Postings) != len(tt.countries) {
				t.Fatalf("%d postings, want %d", len(res.Postings), len(tt.countries))
			}
			for i, p := range res.Postings {
				if p.Company != tt.company || p.Remote != tt.remote || p.EmploymentType != tt.employment || p.Location.Country != tt.countries[i] {
					t.Errorf("posting %d: company %q remote %q employment %q country %q; want %q %q %q %q",
						i, p.Company, p.Remote, p.EmploymentType, p.Location.Country, tt.company, tt.remote, tt.employment, tt.countries[i])
				}
			}
		})
	}
}

func FuzzLeverPostings(f *testing.F) {
	apiSeeds(f, KindLever)
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := LeverPostings(body, apiCases[8].url, apiFetched)
		apiCheckFuzz(t, res, err)
	})
}
