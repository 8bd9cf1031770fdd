package jobtrends

import "math"

// Normalizer annualizes salaries and converts them to US dollars, so that
// pay stated per hour in euros and pay stated per year in rupees can be
// compared. It never guesses a currency and never converts one it has no
// rate for.
type Normalizer struct {
	// Multipliers turn one Period's amount into a year's: hour 2080, day
	// 260, week 52, month 12, year 1 by default.
	Multipliers map[Period]float64
	// USDRates gives, per ISO 4217 code, how many US dollars one unit is.
	USDRates map[string]float64
	// RatesDate is the date of the rate table, e.g. "2026-11-01".
	RatesDate string
	// MinAnnualUSD and MaxAnnualUSD bound plausible annual pay; amounts
	// outside are flagged "implausible" (kept, but statistics skip them).
	MinAnnualUSD, MaxAnnualUSD float64
	// InferYearFromUSD is the size in USD from which an amount with no
	// stated period is taken to be yearly (10,000 when 0: no hourly, daily
	// or weekly pay is that large, and monthly pay rarely is).
	InferYearFromUSD float64
}

// DefaultRatesDate is the date of the rates in DefaultNormalizer.
const DefaultRatesDate = "2025-09-01"

// defaultInferYearFromUSD is used when Normalizer.InferYearFromUSD is unset.
const defaultInferYearFromUSD = 10_000

// defaultMultipliers are used when Normalizer.Multipliers is nil.
var defaultMultipliers = map[Period]float64{
	PeriodHour:  2080,
	PeriodDay:   260,
	PeriodWeek:  52,
	PeriodMonth: 12,
	PeriodYear:  1,
}

// DefaultNormalizer returns a Normalizer with the shipped defaults: the
// usual annualization multipliers (2080 hours, 260 days, 52 weeks, 12
// months), plausibility bounds of 1,000 and 5,000,000 USD a year, and an
// approximate table of USD rates for 40 currencies as of DefaultRatesDate
// (mid-market, rounded; replace USDRates for exact conversions).
func DefaultNormalizer() *Normalizer {
	return &Normalizer{
		Multipliers: map[Period]float64{
			PeriodHour:  defaultMultipliers[PeriodHour],
			PeriodDay:   defaultMultipliers[PeriodDay],
			PeriodWeek:  defaultMultipliers[PeriodWeek],
			PeriodMonth: defaultMultipliers[PeriodMonth],
			PeriodYear:  defaultMultipliers[PeriodYear],
		},
		USDRates: map[string]float64{
			"USD": 1,
			"EUR": 1.17,
			"GBP": 1.35,
			"CAD": 0.725,
			"AUD": 0.655,
			"NZD": 0.59,
			"CHF": 1.25,
			"INR": 0.0114,
			"JPY": 0.0068,
			"CNY": 0.140,
			"HKD": 0.128,
			"SGD": 0.78,
			"TWD": 0.033,
			"KRW": 0.00072,
			"BRL": 0.184,
			"MXN": 0.0535,
			"ARS": 0.00075,
			"CLP": 0.00103,
			"COP": 0.00025,
			"SEK": 0.106,
			"NOK": 0.099,
			"DKK": 0.157,
			"ISK": 0.0082,
			"PLN": 0.275,
			"CZK": 0.048,
			"HUF": 0.0030,
			"RON": 0.23,
			"BGN": 0.60,
			"TRY": 0.024,
			"UAH": 0.024,
			"ILS": 0.30,
			"AED": 0.2723,
			"SAR": 0.2667,
			"ZAR": 0.057,
			"NGN": 0.00066,
			"KES": 0.0077,
			"EGP": 0.0206,
			"PHP": 0.0175,
			"IDR": 0.000061,
			"MYR": 0.237,
			"THB": 0.031,
			"VND": 0.000038,
			"PKR": 0.00355,
		},
		RatesDate:        DefaultRatesDate,
		MinAnnualUSD:     1000,
		MaxAnnualUSD:     5_000_000,
		InferYearFromUSD: 10_000,
	}
}

// Normalize fills s's Multiplier, AnnualMin/Max, USDRate, RateDate,
// AnnualMinUSD/MaxUSD and Flags from its amounts, currency and period. It
// is nil-safe and idempotent: derived fields are recomputed from the stated
// ones each time, and a period it inferred earlier is inferred again.
//
// Rules: annual = amount × the period's multiplier; USD through USDRates.
// An unknown or missing currency gives nil USD amounts and the flag
// "unknown_currency" (never 1:1). A missing period is inferred as a year
// only when the amounts are at least InferYearFromUSD in USD; otherwise the
// flag "no_period" is set and the annual amounts stay nil. Annual USD below
// MinAnnualUSD or above MaxAnnualUSD is flagged "implausible", min > max
// "min_gt_max".
func (n *Normalizer) Normalize(s *Salary) {
	if s == nil {
		return
	}
	if n == nil {
		n = DefaultNormalizer()
	}
	if s.PeriodInferred {
		s.Period = ""
		s.PeriodInferred = false
	}
	s.Multiplier = 0
	s.AnnualMin, s.AnnualMax = nil, nil
	s.USDRate, s.RateDate = 0, ""
	s.AnnualMinUSD, s.AnnualMaxUSD = nil, nil
	s.Flags = dropFlags(s.Flags, "unknown_currency", "no_period", "implausible", "min_gt_max")

	if s.Min != nil && s.Max != nil && *s.Min > *s.Max {
		s.AddFlag("min_gt_max")
	}
	if s.Min == nil && s.Max == nil {
		return
	}
	if !positive(s.Min) && !positive(s.Max) {
		s.AddFlag("implausible") // "$0"
	}
	rate, known := n.USDRates[s.Currency]
	if !known || rate <= 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		rate, known = 0, false
		s.AddFlag("unknown_currency")
	} else {
		s.USDRate = rate
		s.RateDate = n.RatesDate
	}

	if s.Period == "" {
		// Infer a year only when the amounts are too large for anything
		// else; this needs a known currency to judge the size.
		threshold := n.InferYearFromUSD
		if threshold <= 0 {
			threshold = defaultInferYearFromUSD
		}
		if known && atLeast(s, threshold/rate) {
			s.Period = PeriodYear
			s.PeriodInferred = true
		} else {
			s.AddFlag("no_period")
			return
		}
	}
	mults := n.Multipliers
	if mults == nil {
		mults = defaultMultipliers
	}
	mult, ok := mults[s.Period]
	if !ok || mult <= 0 {
		s.AddFlag("no_period")
		return
	}
	s.Multiplier = mult
	s.AnnualMin = scale(s.Min, mult)
	s.AnnualMax = scale(s.Max, mult)
	if !known {
		return
	}
	s.AnnualMinUSD = scale(s.AnnualMin, rate)
	s.AnnualMaxUSD = scale(s.AnnualMax, rate)
	for _, v := range []*float64{s.AnnualMinUSD, s.AnnualMaxUSD} {
		if v != nil && (*v < n.MinAnnualUSD || (n.MaxAnnualUSD > 0 && *v > n.MaxAnnualUSD)) {
			s.AddFlag("implausible")
		}
	}
}

func positive(p *float64) bool { return p != nil && *p > 0 }

// atLeast reports whether every stated bound of s is at least v.
func atLeast(s *Salary, v float64) bool {
	for _, p := range []*float64{s.Min, s.Max} {
		if p != nil && *p < v {
			return false
		}
	}
	return true
}

func scale(p *float64, f float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p * f
	return &v
}

// dropFlags removes the named flags, keeping the others in order.
func dropFlags(flags []string, names ...string) []string {
	out := flags[:0]
	for _, f := range flags {
		keep := true
		for _, n := range names {
			if f == n {
				keep = false
			}
		}
		if keep {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
