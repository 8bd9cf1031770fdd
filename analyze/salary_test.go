package analyze

import (
	"slices"
	"testing"

	"github.com/jobtrends/jobtrends"
)

// paidPost is an ML-engineer posting of date with a salary.
func paidPost(tb testing.TB, date string, s *jobtrends.Salary) jobtrends.Posting {
	tb.Helper()
	return jobtrends.Posting{Source: "x", DatePosted: day(tb, date), Role: jobtrends.RoleMLEngineer, Salary: s}
}

func usd(lo, hi *float64, prov jobtrends.Provenance, flags ...string) *jobtrends.Salary {
	return &jobtrends.Salary{Min: lo, Max: hi, AnnualMinUSD: lo, AnnualMaxUSD: hi, Currency: "USD", Period: jobtrends.PeriodYear, Provenance: prov, Flags: flags}
}

// salaryFixture: eight ML-engineer postings and one data scientist.
func salaryFixture(tb testing.TB) []jobtrends.Posting {
	tb.Helper()
	unknown := &jobtrends.Salary{Min: f(100), Provenance: jobtrends.ProvenanceText, Flags: []string{SkipUnknownCurrency}}
	notAnnual := &jobtrends.Salary{Min: f(100), Max: f(200), Currency: "USD", Period: jobtrends.PeriodYear, Provenance: jobtrends.ProvenanceText}
	ds := paidPost(tb, "2020-01-10", usd(f(300e3), nil, jobtrends.ProvenanceStructured))
	ds.Role = jobtrends.RoleDataScientist
	return []jobtrends.Posting{
		paidPost(tb, "2020-01-10", usd(f(100e3), f(140e3), jobtrends.ProvenanceStructured)), // 120k
		paidPost(tb, "2020-02-10", usd(f(90e3), nil, jobtrends.ProvenanceText)),             // 90k
		paidPost(tb, "2020-07-10", usd(nil, f(200e3), jobtrends.ProvenanceText)),            // 200k
		paidPost(tb, "2020-07-11", usd(f(150e3), f(150e3), jobtrends.ProvenanceEstimate)),   // estimate
		paidPost(tb, "2020-07-12", usd(f(5e6), f(5e6), jobtrends.ProvenanceText, SkipImplausible)),
		paidPost(tb, "2020-07-13", unknown),
		paidPost(tb, "2020-07-14", notAnnual),
		paidPost(tb, "2020-07-15", nil),
		ds,
	}
}

func TestSalary(t *testing.T) {
	tests := []struct {
		name      string
		estimates bool
		used      int
		skipped   []Reason
		median    Num
		q1, q3    Num
		mean      Num
	}{
		{
			name: "employer pay only",
			used: 3,
			skipped: []Reason{
				{SkipEstimate, 1}, {SkipImplausible, 1}, {SkipUnknownCurrency, 1}, {SkipNotAnnualized, 1},
			},
			// 90k, 120k, 200k
			median: num(120e3), q1: num(105e3), q3: num(160e3), mean: num(410e3 / 3),
		},
		{
			name:      "with estimates",
			estimates: true,
			used:      4,
			skipped:   []Reason{{SkipImplausible, 1}, {SkipUnknownCurrency, 1}, {SkipNotAnnualized, 1}},
			// 90k, 120k, 150k, 200k: h=0.75 → 112.5k; h=1.5 → 135k; h=2.25 → 162.5k
			median: num(135e3), q1: num(112.5e3), q3: num(162.5e3), mean: num(140e3),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Build(salaryFixture(t), nil, Options{IncludeEstimates: tt.estimates}).Salary
			// Disclosure counts employers only: 6 of 8 (not the estimate, not the nil).
			if s.Postings != 8 || s.Disclosed != 6 || s.Used != tt.used {
				t.Errorf("postings %d disclosed %d used %d", s.Postings, s.Disclosed, s.Used)
			}
			checkNum(t, "disclosure rate", s.DisclosureRate, num(0.75))
			if !slices.Equal(s.Skipped, tt.skipped) {
				t.Errorf("skipped = %v, want %v", s.Skipped, tt.skipped)
			}
			checkNum(t, "median", s.Overall.Median, tt.median)
			checkNum(t, "q1", s.Overall.Q1, tt.q1)
			checkNum(t, "q3", s.Overall.Q3, tt.q3)
			checkNum(t, "mean", s.Overall.Mean, tt.mean)
		})
	}
}

func TestSalaryQuarters(t *testing.T) {
	s := Build(salaryFixture(t), nil, Options{}).Salary
	// ML postings fall in 2020-Q1 (2) and 2020-Q3 (6); Q2 has none: a gap.
	if len(s.Quarters) != 3 {
		t.Fatalf("quarters = %+v", s.Quarters)
	}
	tests := []struct {
		quarter             string
		postings, disclosed int
		rate                Num
		n                   int
		median              Num
	}{
		{"2020-Q1", 2, 2, num(1), 2, num(105e3)},
		{"2020-Q2", 0, 0, Num{}, 0, Num{}},
		{"2020-Q3", 6, 4, num(4.0 / 6), 1, num(200e3)},
	}
	for i, tt := range tests {
		t.Run(tt.quarter, func(t *testing.T) {
			q := s.Quarters[i]
			if q.Quarter.String() != tt.quarter || q.Postings != tt.postings || q.Disclosed != tt.disclosed || q.Pay.N != tt.n {
				t.Errorf("got %s postings %d disclosed %d n %d", q.Quarter, q.Postings, q.Disclosed, q.Pay.N)
			}
			checkNum(t, "rate", q.DisclosureRate, tt.rate)
			checkNum(t, "median", q.Pay.Median, tt.median)
		})
	}
}

func TestSalaryGroups(t *testing.T) {
	mk := func(date, sen, country string, remote jobtrends.Remote, pay float64) jobtrends.Posting {
		p := paidPost(t, date, usd(f(pay), f(pay), jobtrends.ProvenanceStructured))
		p.Seniority, p.Location.Country, p.Remote = sen, country, remote
		return p
	}
	in := []jobtrends.Posting{
		mk("2021-01-01", jobtrends.SenioritySenior, "US", jobtrends.RemoteFull, 200e3),
		mk("2021-01-01", jobtrends.SenioritySenior, "US", jobtrends.RemoteOnsite, 180e3),
		mk("2021-01-01", jobtrends.SeniorityJunior, "DE", jobtrends.RemoteOnsite, 60e3),
		mk("2021-01-01", "", "", "", 100e3),
	}
	s := Build(in, nil, Options{}).Salary
	keys := func(gs []Group) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.Key)
		}
		return out
	}
	tests := []struct {
		name   string
		groups []Group
		keys   []string
		n      []int
		median []float64
	}{
		{"seniority in level order", s.BySeniority, []string{"junior", "senior", "unknown"}, []int{1, 2, 1}, []float64{60e3, 190e3, 100e3}},
		{"country by n", s.ByCountry, []string{"US", "DE", "unknown"}, []int{2, 1, 1}, []float64{190e3, 60e3, 100e3}},
		{"remote in fixed order", s.ByRemote, []string{"remote", "onsite", "unknown"}, []int{1, 2, 1}, []float64{200e3, 120e3, 100e3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keys(tt.groups); !slices.Equal(got, tt.keys) {
				t.Fatalf("keys = %v, want %v", got, tt.keys)
			}
			for i, g := range tt.groups {
				if g.Pay.N != tt.n[i] {
					t.Errorf("%s n = %d, want %d", g.Key, g.Pay.N, tt.n[i])
				}
				checkNum(t, g.Key+" median", g.Pay.Median, num(tt.median[i]))
			}
		})
	}
}

func TestHistogram(t *testing.T) {
	tests := []struct {
		name  string
		in    []float64
		width float64
		lo    float64
		n     []int
	}{
		{"empty", nil, 0, 0, nil},
		{"single value", []float64{123e3}, 10e3, 120e3, []int{1}},
		{"gaps between bars stay as zeros", []float64{90e3, 120e3, 105e3}, 10e3, 90e3, []int{1, 1, 0, 1}},
		{"wide range picks 50k bars", []float64{0, 1e6}, 50e3, 0, []int{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bins := Histogram(tt.in)
			if len(bins) != len(tt.n) {
				t.Fatalf("bins = %+v", bins)
			}
			if len(bins) == 0 {
				return
			}
			for i, b := range bins {
				if b.N != tt.n[i] || b.Hi-b.Lo != tt.width || b.Lo != tt.lo+float64(i)*tt.width {
					t.Errorf("bin %d = %+v, want n %d width %v", i, b, tt.n[i], tt.width)
				}
			}
		})
	}
}

func TestMixAdjusted(t *testing.T) {
	mk := func(date, sen string, pay float64) jobtrends.Posting {
		p := paidPost(t, date, usd(f(pay), f(pay), jobtrends.ProvenanceStructured))
		p.Seniority, p.Location.Country = sen, "US"
		return p
	}
	var in []jobtrends.Posting
	for _, v := range []float64{100, 110, 120} {
		in = append(in, mk("2020-03-01", "senior", v*1e3))
	}
	for _, v := range []float64{50, 60, 70} {
		in = append(in, mk("2020-03-01", "junior", v*1e3))
	}
	// 2021: every cell pays 10% more, but twice as many seniors.
	for range 6 {
		in = append(in, mk("2021-03-01", "senior", 121e3))
	}
	for range 3 {
		in = append(in, mk("2021-03-01", "junior", 66e3))
	}
	// 2022: one posting, in no comparable cell.
	in = append(in, mk("2022-03-01", "staff", 300e3))
	mix := Build(in, nil, Options{}).Salary.MixAdjusted
	tests := []struct {
		year     int
		n, cells int
		raw      Num
		rawIndex Num
		mixIndex Num
	}{
		{2020, 6, 2, num(85e3), num(100), num(100)},
		{2021, 9, 2, num(121e3), num(121.0 / 85 * 100), num(110)},
		{2022, 1, 0, num(300e3), num(300.0 / 85 * 100), Num{}},
	}
	if len(mix) != len(tests) {
		t.Fatalf("mix = %+v", mix)
	}
	for i, tt := range tests {
		t.Run(MonthFor(tt.year, 1).String()[:4], func(t *testing.T) {
			m := mix[i]
			if m.Year != tt.year || m.N != tt.n || m.Cells != tt.cells {
				t.Errorf("got %+v", m)
			}
			checkNum(t, "raw median", m.RawMedian, tt.raw)
			checkNum(t, "raw index", m.RawIndex, tt.rawIndex)
			checkNum(t, "mix index", m.MixIndex, tt.mixIndex)
		})
	}
}

func TestSalaryEmpty(t *testing.T) {
	s := Build(nil, nil, Options{}).Salary
	if s.Postings != 0 || s.Overall.N != 0 || s.Overall.Median.Valid || s.DisclosureRate.Valid || s.Histogram != nil || s.Quarters != nil || s.MixAdjusted != nil {
		t.Errorf("empty salary = %+v", s)
	}
}
