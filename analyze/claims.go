package analyze

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/jobtrends/jobtrends"
)

// Verdicts of the claims check.
const (
	VerdictSupported     = "supported"
	VerdictHigher        = "not supported: the data shows more"
	VerdictLower         = "not supported: the data shows less"
	VerdictMixed         = "mixed: the measures disagree"
	VerdictNotEnoughData = "not enough data"
	// VerdictContext marks a measure over another period than the claim's,
	// shown for context; it does not count towards the claim's verdict.
	VerdictContext = "context only: not the claim's period"
)

// The two claims checked, as they are usually worded.
const (
	ClaimGrowth = "Job postings for machine learning engineers have increased by nearly 350% since 2015."
	ClaimSalary = "The average salary for this role in the United States is around $112k per year."
)

// Tolerances of the claims check.
const (
	// GrowthTolerance: growth "of nearly 350%" (×4.5) is supported when the
	// measured ratio end/start is within ±20% of 4.5, i.e. +260% to +440%.
	GrowthTolerance = 0.20
	// SalaryTolerance: "around $112k" is supported when the measured mean
	// is within ±10% of it, $100.8k to $123.2k.
	SalaryTolerance = 0.10
	// MinClaimMonths is the number of full months each compared year needs.
	MinClaimMonths = 3
	// MinClaimBasePostings is the number of postings (all roles) the base
	// year needs for a share to be measured.
	MinClaimBasePostings = 30
	// MinClaimSalaries is the number of US salaries a verdict needs.
	MinClaimSalaries = 30
)

// Claim is one claim beside what the data says.
type Claim struct {
	ID      string // "growth-since-2015", "us-salary"
	Text    string
	Claimed float64 // 3.5 (= +350%), 112000
	Verdict string
	Summary string // one sentence: what the data says
	Method  string
	// Measures are the numbers behind the verdict, each with its own.
	Measures []Measure
}

// Measure is one measured number for a claim.
type Measure struct {
	Label   string
	Value   Num
	Unit    string // "change" (2.5 = +250%) or "usd"
	N       int    // postings behind it
	Period  string
	Verdict string
}

func growthClaim(g Growth, base int) Claim {
	c := Claim{ID: "growth-since-base", Text: ClaimGrowth, Claimed: 3.5,
		Method: fmt.Sprintf("For each source with postings in %d: the mean monthly number of ML-engineer postings and the ML-engineer share of all its postings, "+
			"over the full months of %d and of the last year with data; supported when the ratio is within ±%.0f%% of 4.5 (the claimed +350%%). "+
			"Each year needs %d full months and the base year %d postings.", base, base, GrowthTolerance*100, MinClaimMonths, MinClaimBasePostings)}
	if base != 2015 {
		c.Method += fmt.Sprintf(" The base year is %d, not the claim's 2015.", base)
	}
	for _, s := range g.Sources {
		ch := s.SinceBase
		if ch.ToYear == 0 || !ch.CountChange.Valid && !ch.ShareChange.Valid {
			continue
		}
		var from, to GrowthYear
		for _, y := range s.Years {
			switch y.Year {
			case ch.FromYear:
				from = y
			case ch.ToYear:
				to = y
			}
		}
		period := fmt.Sprintf("%d (%d months) → %d (%d months)", ch.FromYear, ch.FromMonths, ch.ToYear, ch.ToMonths)
		enough := ch.FromMonths >= MinClaimMonths && ch.ToMonths >= MinClaimMonths && from.All >= MinClaimBasePostings
		for _, m := range []Measure{
			{Label: s.Source + ": ML-engineer share of all postings", Value: ch.ShareChange},
			{Label: s.Source + ": ML-engineer postings per month", Value: ch.CountChange},
		} {
			m.Unit, m.N, m.Period = "change", from.ML+to.ML, period
			m.Verdict = growthVerdict(m.Value, 3.5, enough)
			c.Measures = append(c.Measures, m)
		}
	}
	c.Verdict = overall(c.Measures)
	if c.Verdict == VerdictNotEnoughData {
		c.Measures = append(c.Measures, contextMeasures(g, base)...)
	}
	var parts []string
	for _, m := range c.Measures {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", m.Label, signed(m.Value), m.Period))
	}
	switch {
	case len(c.Measures) == 0:
		c.Summary = fmt.Sprintf("No source has full months of data in %d and a later year, so growth since %d cannot be measured here.", base, base)
	case c.Measures[0].Verdict == VerdictContext:
		c.Summary = fmt.Sprintf("No source has enough data in %d. Over the longest span with data: %s.", base, strings.Join(parts, "; "))
	default:
		c.Summary = "Measured: " + strings.Join(parts, "; ") + "."
	}
	return c
}

// contextMeasures measure growth over the longest span a source has (from
// its first to its last year with MinClaimMonths full months), for sources
// that cannot speak to the base year. They carry VerdictContext.
func contextMeasures(g Growth, base int) []Measure {
	var out []Measure
	for _, s := range g.Sources {
		first := 0
		for _, y := range s.Years {
			if y.FullMonths >= MinClaimMonths && y.All >= MinClaimBasePostings {
				first = y.Year
				break
			}
		}
		if first == 0 || first == base {
			continue
		}
		ch := yearChange(s.Years, first)
		if ch.ToMonths < MinClaimMonths || !ch.ShareChange.Valid {
			continue
		}
		var from, to GrowthYear
		for _, y := range s.Years {
			switch y.Year {
			case ch.FromYear:
				from = y
			case ch.ToYear:
				to = y
			}
		}
		period := fmt.Sprintf("%d (%d months) → %d (%d months)", ch.FromYear, ch.FromMonths, ch.ToYear, ch.ToMonths)
		for _, m := range []Measure{
			{Label: s.Source + ": ML-engineer share of all postings", Value: ch.ShareChange},
			{Label: s.Source + ": ML-engineer postings per month", Value: ch.CountChange},
		} {
			m.Unit, m.N, m.Period, m.Verdict = "change", from.ML+to.ML, period, VerdictContext
			out = append(out, m)
		}
	}
	return out
}

func growthVerdict(v Num, claimed float64, enough bool) string {
	if !v.Valid || !enough {
		return VerdictNotEnoughData
	}
	ratio, want := 1+v.V, 1+claimed
	switch {
	case ratio > want*(1+GrowthTolerance):
		return VerdictHigher
	case ratio < want*(1-GrowthTolerance):
		return VerdictLower
	}
	return VerdictSupported
}

// usSalaryAcc gathers the salaries of US ML-engineer postings for the
// salary claim, in the second pass.
type usSalaryAcc struct {
	vals        multiset
	first, last Month
}

func newUSSalaryAcc() usSalaryAcc { return usSalaryAcc{} }

// add counts one ML-engineer posting of month m.
func (a *usSalaryAcc) add(p *jobtrends.Posting, m Month, includeEstimates bool, n int) {
	if !strings.EqualFold(strings.TrimSpace(p.Location.Country), "US") {
		return
	}
	v, _, ok := SalaryValue(p.Salary, includeEstimates)
	if !ok {
		return
	}
	if a.vals.len() == 0 || m < a.first {
		a.first = m
	}
	if a.vals.len() == 0 || m > a.last {
		a.last = m
	}
	a.vals.add(v, n)
}

func (a *usSalaryAcc) finish() Claim {
	c := Claim{ID: "us-salary", Text: ClaimSalary, Claimed: 112000,
		Method: fmt.Sprintf("Annualized USD base pay of ML-engineer postings located in the US (country US), employer-stated unless estimates are included; "+
			"supported when the mean is within ±%.0f%% of $112k; a verdict needs %d salaries.", SalaryTolerance*100, MinClaimSalaries)}
	vals, first, last := a.vals.sorted(), a.first, a.last
	s := Summarize(vals)
	period := "no salaries"
	if s.N > 0 {
		period = first.String() + " to " + last.String()
	}
	verdict := func(v Num) string {
		if !v.Valid || s.N < MinClaimSalaries {
			return VerdictNotEnoughData
		}
		switch {
		case v.V > 112000*(1+SalaryTolerance):
			return VerdictHigher
		case v.V < 112000*(1-SalaryTolerance):
			return VerdictLower
		}
		return VerdictSupported
	}
	c.Measures = []Measure{
		{Label: "US mean annual base pay", Value: s.Mean, Unit: "usd", N: s.N, Period: period, Verdict: verdict(s.Mean)},
		{Label: "US median annual base pay", Value: s.Median, Unit: "usd", N: s.N, Period: period, Verdict: verdict(s.Median)},
	}
	// The claim is about the average: the mean decides.
	c.Verdict = c.Measures[0].Verdict
	if s.N == 0 {
		c.Summary = "No US ML-engineer posting in the data states usable pay."
	} else {
		c.Summary = fmt.Sprintf("US ML-engineer postings: mean %s, median %s (n = %d, %s).", dollars(s.Mean), dollars(s.Median), s.N, period)
	}
	return c
}

// overall combines measure verdicts: the common one when all measures with
// enough data agree, else mixed; not enough data when none has enough.
func overall(ms []Measure) string {
	var vs []string
	for _, m := range ms {
		if m.Verdict != VerdictNotEnoughData && m.Verdict != VerdictContext {
			vs = append(vs, m.Verdict)
		}
	}
	slices.Sort(vs)
	vs = slices.Compact(vs)
	switch len(vs) {
	case 0:
		return VerdictNotEnoughData
	case 1:
		return vs[0]
	}
	return VerdictMixed
}

func signed(n Num) string {
	if !n.Valid {
		return "n/a"
	}
	return fmt.Sprintf("%+.0f%%", n.V*100)
}

func dollars(n Num) string {
	if !n.Valid {
		return "n/a"
	}
	return fmt.Sprintf("$%.1fk", math.Round(n.V/100)/10)
}
