package parse

import (
	"strconv"
	"testing"

	"github.com/jobtrends/jobtrends"
)

// TestAshbyCompensation covers the compensation object. The corpus
// responses carry it empty, so a real job of the corpus is given the
// object in the shape the Ashby posting API documents (LANDSCAPE §5.4:
// summaryComponents and compensationTiers of components with
// compensationType, interval, currencyCode, minValue, maxValue; a 0–0
// range seen in the wild).
func TestAshbyCompensation(t *testing.T) {
	body := apiReadTestdata(t, "api/ashby_techsalaryradar_linear_api_sample.json")
	f := func(v float64) *float64 { return &v }
	salary := func(cur string, lo, hi float64) string {
		return `{"compensationType":"Salary","interval":"1 YEAR","currencyCode":"` + cur + `","minValue":` + abFtoa(lo) + `,"maxValue":` + abFtoa(hi) + `}`
	}
	equity := `{"compensationType":"EquityPercentage","interval":"NONE","currencyCode":null,"minValue":0.1,"maxValue":0.5}`
	bonus := `{"compensationType":"Bonus","interval":"1 YEAR","currencyCode":"USD","minValue":null,"maxValue":null}`
	tests := []struct {
		name     string
		comp     string
		min, max *float64
		currency string
		period   jobtrends.Period
		ranges   int
	}{
		{"summary salary", `{"summaryComponents":[` + equity + `,` + bonus + `,` + salary("USD", 100000, 120000) + `]}`, f(100000), f(120000), "USD", jobtrends.PeriodYear, 0},
		{"equity only", `{"summaryComponents":[` + equity + `]}`, nil, nil, "", "", 0},
		{"zero range", `{"summaryComponents":[` + salary("USD", 0, 0) + `]}`, nil, nil, "", "", 0},
		{"tiers", `{"compensationTiers":[{"title":"Zone A","components":[` + salary("USD", 180000, 240000) + `,` + equity + `]},{"title":"Zone B","components":[` + salary("USD", 160000, 210000) + `]}],"summaryComponents":[]}`,
			f(160000), f(240000), "USD", jobtrends.PeriodYear, 2},
		{"hourly", `{"summaryComponents":[{"compensationType":"Salary","interval":"1 HOUR","currencyCode":"EUR","minValue":40,"maxValue":55}]}`, f(40), f(55), "EUR", jobtrends.PeriodHour, 0},
		{"summary text only", `{"compensationTierSummary":"$81K - $87K","summaryComponents":[],"compensationTiers":[]}`, f(81000), f(87000), "USD", "", 0},
		{"empty as served", `{"compensationTierSummary":null,"scrapeableCompensationSalarySummary":null,"compensationTiers":[],"summaryComponents":[]}`, nil, nil, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apiWithKey(t, body, "jobs", 0, "compensation", tt.comp)
			res, err := AshbyJobBoard(b, apiCases[11].url, apiFetched)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Postings[0].Salary
			if tt.min == nil && tt.max == nil {
				if s != nil && s.Provenance == jobtrends.ProvenanceStructured {
					t.Errorf("Salary %s from a compensation without base pay", FormatSalary(s))
				}
				return
			}
			if s == nil {
				t.Fatal("no Salary")
			}
			if !apiEqPtr(s.Min, tt.min) || !apiEqPtr(s.Max, tt.max) || s.Currency != tt.currency || s.Provenance != jobtrends.ProvenanceStructured {
				t.Errorf("Salary %s %s (%s), want %v–%v %s structured", FormatSalary(s), s.Currency, s.Provenance, *tt.min, *tt.max, tt.currency)
			}
			if tt.period != "" && s.Period != tt.period {
				t.Errorf("Period %q, want %q", s.Period, tt.period)
			}
			if len(s.Ranges) != tt.ranges {
				t.Errorf("%d Ranges, want %d", len(s.Ranges), tt.ranges)
			}
		})
	}
}

// TestAshbyUnlisted checks that a job the board does not list is not a
// posting.
func TestAshbyUnlisted(t *testing.T) {
	body := apiReadTestdata(t, "api/ashby_atspolling_openevidence_api_sample.json")
	b := apiWithKey(t, body, "jobs", 0, "isListed", "false")
	res, err := AshbyJobBoard(b, apiCases[10].url, apiFetched)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Postings) != 1 || res.Postings[0].ExternalID == "4c577aae-1ad0-444b-9e15-2ad994333de4" {
		t.Errorf("got %d postings, want the listed one only", len(res.Postings))
	}
}

// TestAshbyFields checks the fields Ashby states outside the text on the
// real responses.
func TestAshbyFields(t *testing.T) {
	tests := []struct {
		file, url string
		company   string
		remote    jobtrends.Remote
		city      string
		country   string
	}{
		{"ashby_atspolling_openevidence_api_sample.json", apiCases[10].url, "openevidence", jobtrends.RemoteOnsite, "San Francisco", "US"},
		{"ashby_techsalaryradar_linear_api_sample.json", apiCases[11].url, "linear", jobtrends.RemoteFull, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := AshbyJobBoard(apiReadTestdata(t, "api/"+tt.file), tt.url, apiFetched)
			if err != nil {
				t.Fatal(err)
			}
			p := res.Postings[0]
			if p.Company != tt.company || p.Remote != tt.remote || p.EmploymentType != "FULL_TIME" || p.Location.City != tt.city {
				t.Errorf("company %q remote %q employment %q city %q; want %q %q FULL_TIME %q", p.Company, p.Remote, p.EmploymentType, p.Location.City, tt.company, tt.remote, tt.city)
			}
			if tt.country != "" && p.Location.Country != tt.country {
				t.Errorf("country %q, want %q", p.Location.Country, tt.country)
			}
		})
	}
}

func abFtoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func FuzzAshbyJobBoard(f *testing.F) {
	apiSeeds(f, KindAshbyAPI)
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := AshbyJobBoard(body, apiCases[10].url, apiFetched)
		apiCheckFuzz(t, res, err)
	})
}
