package jobtrends

import (
	"fmt"
	"math"
	"reflect"
	"testing"
)

func normF(v float64) *float64 { return &v }

// normEq compares optional amounts.
func normEq(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func normStr(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name             string
		in               Salary
		wantPeriod       Period
		wantInferred     bool
		wantMult         float64
		wantAnnual       [2]*float64
		wantUSD          [2]*float64
		wantFlags        []string
		wantRate         float64
		wantRateDateFrom bool // RateDate is the table's date
	}{
		{
			name:       "hourly times 2080",
			in:         Salary{Min: normF(25), Max: normF(30), Currency: "USD", Period: PeriodHour},
			wantPeriod: PeriodHour, wantMult: 2080,
			wantAnnual: [2]*float64{normF(52000), normF(62400)},
			wantUSD:    [2]*float64{normF(52000), normF(62400)},
			wantRate:   1, wantRateDateFrom: true,
		},
		{
			name:       "daily times 260",
			in:         Salary{Min: normF(500), Max: normF(500), Currency: "GBP", Period: PeriodDay},
			wantPeriod: PeriodDay, wantMult: 260,
			wantAnnual: [2]*float64{normF(130000), normF(130000)},
			wantUSD:    [2]*float64{normF(130000 * 1.35), normF(130000 * 1.35)},
			wantRate:   1.35, wantRateDateFrom: true,
		},
		{
			name:       "weekly times 52",
			in:         Salary{Min: normF(1000), Currency: "USD", Period: PeriodWeek},
			wantPeriod: PeriodWeek, wantMult: 52,
			wantAnnual: [2]*float64{normF(52000), nil},
			wantUSD:    [2]*float64{normF(52000), nil},
			wantRate:   1, wantRateDateFrom: true,
		},
		{
			name:       "monthly euros times 12",
			in:         Salary{Min: normF(5000), Max: normF(6000), Currency: "EUR", Period: PeriodMonth},
			wantPeriod: PeriodMonth, wantMult: 12,
			wantAnnual: [2]*float64{normF(60000), normF(72000)},
			wantUSD:    [2]*float64{normF(60000 * 1.17), normF(72000 * 1.17)},
			wantRate:   1.17, wantRateDateFrom: true,
		},
		{
			name:       "yearly rupees",
			in:         Salary{Min: normF(1200000), Max: normF(1800000), Currency: "INR", Period: PeriodYear},
			wantPeriod: PeriodYear, wantMult: 1,
			wantAnnual: [2]*float64{normF(1200000), normF(1800000)},
			wantUSD:    [2]*float64{normF(1200000 * 0.0114), normF(1800000 * 0.0114)},
			wantRate:   0.0114, wantRateDateFrom: true,
		},
		{
			name:       "unknown currency is not converted",
			in:         Salary{Min: normF(100000), Max: normF(120000), Currency: "XYZ", Period: PeriodYear},
			wantPeriod: PeriodYear, wantMult: 1,
			wantAnnual: [2]*float64{normF(100000), normF(120000)},
			wantFlags:  []string{"unknown_currency"},
		},
		{
			name:       "no currency is not converted",
			in:         Salary{Min: normF(80), Max: normF(100)},
			wantFlags:  []string{"unknown_currency", "no_period"},
			wantPeriod: "",
		},
		{
			name:       "large amounts are yearly",
			in:         Salary{Min: normF(120000), Max: normF(150000), Currency: "USD"},
			wantPeriod: PeriodYear, wantInferred: true, wantMult: 1,
			wantAnnual: [2]*float64{normF(120000), normF(150000)},
			wantUSD:    [2]*float64{normF(120000), normF(150000)},
			wantRate:   1, wantRateDateFrom: true,
		},
		{
			name:       "large yen are yearly",
			in:         Salary{Min: normF(6000000), Max: normF(6000000), Currency: "JPY"},
			wantPeriod: PeriodYear, wantInferred: true, wantMult: 1,
			wantAnnual: [2]*float64{normF(6000000), normF(6000000)},
			wantUSD:    [2]*float64{normF(6000000 * 0.0068), normF(6000000 * 0.0068)},
			wantRate:   0.0068, wantRateDateFrom: true,
		},
		{
			name:      "small dollars have no period",
			in:        Salary{Min: normF(80), Max: normF(80), Currency: "USD"},
			wantFlags: []string{"no_period"},
			wantRate:  1, wantRateDateFrom: true,
		},
		{
			name:      "monthly-sized rupees have no period",
			in:        Salary{Min: normF(80000), Max: normF(80000), Currency: "INR"},
			wantFlags: []string{"no_period"},
			wantRate:  0.0114, wantRateDateFrom: true,
		},
		{
			name:      "one small bound blocks the inference",
			in:        Salary{Min: normF(150), Max: normF(180000), Currency: "USD"},
			wantFlags: []string{"no_period"},
			wantRate:  1, wantRateDateFrom: true,
		},
		{
			name:       "implausibly low",
			in:         Salary{Min: normF(5), Max: normF(5), Currency: "USD", Period: PeriodMonth},
			wantPeriod: PeriodMonth, wantMult: 12,
			wantAnnual: [2]*float64{normF(60), normF(60)},
			wantUSD:    [2]*float64{normF(60), normF(60)},
			wantFlags:  []string{"implausible"},
			wantRate:   1, wantRateDateFrom: true,
		},
		{
			name:       "implausibly high",
			in:         Salary{Min: normF(3000), Max: normF(3000), Currency: "USD", Period: PeriodHour},
			wantPeriod: PeriodHour, wantMult: 2080,
			wantAnnual: [2]*float64{normF(6240000), normF(6240000)},
			wantUSD:    [2]*float64{normF(6240000), normF(6240000)},
			wantFlags:  []string{"implausible"},
			wantRate:   1, wantRateDateFrom: true,
		},
		{
			name:       "min greater than max",
			in:         Salary{Min: normF(150000), Max: normF(100000), Currency: "USD", Period: PeriodYear},
			wantPeriod: PeriodYear, wantMult: 1,
			wantAnnual: [2]*float64{normF(150000), normF(100000)},
			wantUSD:    [2]*float64{normF(150000), normF(100000)},
			wantFlags:  []string{"min_gt_max"},
			wantRate:   1, wantRateDateFrom: true,
		},
		{
			name:      "zero",
			in:        Salary{Min: normF(0), Max: normF(0), Currency: "USD"},
			wantFlags: []string{"implausible", "no_period"},
			wantRate:  1, wantRateDateFrom: true,
		},
		{
			name:      "no amounts",
			in:        Salary{Currency: "USD", Period: PeriodYear},
			wantFlags: nil, wantPeriod: PeriodYear,
		},
		{
			name:       "parser flags are kept",
			in:         Salary{Min: normF(100000), Max: normF(100000), Currency: "USD", Period: PeriodYear, Flags: []string{"mixed_currency"}},
			wantPeriod: PeriodYear, wantMult: 1,
			wantAnnual: [2]*float64{normF(100000), normF(100000)},
			wantUSD:    [2]*float64{normF(100000), normF(100000)},
			wantFlags:  []string{"mixed_currency"},
			wantRate:   1, wantRateDateFrom: true,
		},
	}
	n := DefaultNormalizer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.in
			n.Normalize(&s)
			if s.Period != tt.wantPeriod || s.PeriodInferred != tt.wantInferred {
				t.Errorf("Period = %q (inferred %v), want %q (inferred %v)", s.Period, s.PeriodInferred, tt.wantPeriod, tt.wantInferred)
			}
			if s.Multiplier != tt.wantMult {
				t.Errorf("Multiplier = %v, want %v", s.Multiplier, tt.wantMult)
			}
			if !normEq(s.AnnualMin, tt.wantAnnual[0]) || !normEq(s.AnnualMax, tt.wantAnnual[1]) {
				t.Errorf("Annual = %s-%s, want %s-%s", normStr(s.AnnualMin), normStr(s.AnnualMax), normStr(tt.wantAnnual[0]), normStr(tt.wantAnnual[1]))
			}
			if !normEq(s.AnnualMinUSD, tt.wantUSD[0]) || !normEq(s.AnnualMaxUSD, tt.wantUSD[1]) {
				t.Errorf("AnnualUSD = %s-%s, want %s-%s", normStr(s.AnnualMinUSD), normStr(s.AnnualMaxUSD), normStr(tt.wantUSD[0]), normStr(tt.wantUSD[1]))
			}
			if s.USDRate != tt.wantRate {
				t.Errorf("USDRate = %v, want %v", s.USDRate, tt.wantRate)
			}
			if (s.RateDate == n.RatesDate) != tt.wantRateDateFrom || (!tt.wantRateDateFrom && s.RateDate != "") {
				t.Errorf("RateDate = %q, table date %q", s.RateDate, n.RatesDate)
			}
			if !reflect.DeepEqual(s.Flags, tt.wantFlags) {
				t.Errorf("Flags = %v, want %v", s.Flags, tt.wantFlags)
			}
		})
	}
}

// TestNormalizeIdempotent normalizes twice and expects the same result,
// also after the caller changes the stated period.
func TestNormalizeIdempotent(t *testing.T) {
	n := DefaultNormalizer()
	inputs := []Salary{
		{Min: normF(120000), Max: normF(150000), Currency: "USD"},
		{Min: normF(25), Max: normF(30), Currency: "EUR", Period: PeriodHour},
		{Min: normF(80), Currency: "USD"},
		{Min: normF(80), Max: normF(100)},
		{Min: normF(9e6), Max: normF(1e6), Currency: "USD", Period: PeriodYear, Flags: []string{"mixed_currency"}},
	}
	for i, in := range inputs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			once := in
			n.Normalize(&once)
			twice := once
			twice.Flags = append([]string(nil), once.Flags...)
			n.Normalize(&twice)
			if !reflect.DeepEqual(once, twice) {
				t.Errorf("second Normalize changed\n%+v\nto\n%+v", once, twice)
			}
		})
	}
	// An inferred period is inferred again, not taken as stated.
	s := Salary{Min: normF(120000), Max: normF(150000), Currency: "USD"}
	n.Normalize(&s)
	*s.Min, *s.Max = 20, 30
	n.Normalize(&s)
	if s.Period != "" || s.PeriodInferred || !s.HasFlag("no_period") {
		t.Errorf("after the amounts changed: Period %q inferred %v flags %v, want no period", s.Period, s.PeriodInferred, s.Flags)
	}
}

func TestNormalizeConfigurable(t *testing.T) {
	n := &Normalizer{
		Multipliers:  map[Period]float64{PeriodHour: 2016, PeriodYear: 1},
		USDRates:     map[string]float64{"EUR": 1.1},
		RatesDate:    "2026-11-01",
		MinAnnualUSD: 10,
		MaxAnnualUSD: 1e9,
	}
	s := Salary{Min: normF(50), Max: normF(50), Currency: "EUR", Period: PeriodHour}
	n.Normalize(&s)
	if s.Multiplier != 2016 || !normEq(s.AnnualMin, normF(100800)) || !normEq(s.AnnualMinUSD, normF(110880)) || s.RateDate != "2026-11-01" {
		t.Errorf("got multiplier %v annual %s usd %s date %q", s.Multiplier, normStr(s.AnnualMin), normStr(s.AnnualMinUSD), s.RateDate)
	}
	// A period without a multiplier is not annualized.
	m := Salary{Min: normF(4000), Max: normF(4000), Currency: "EUR", Period: PeriodMonth}
	n.Normalize(&m)
	if m.AnnualMin != nil || !m.HasFlag("no_period") {
		t.Errorf("month without multiplier: annual %s flags %v", normStr(m.AnnualMin), m.Flags)
	}
	// USD itself needs a rate like any other currency.
	u := Salary{Min: normF(100000), Max: normF(100000), Currency: "USD", Period: PeriodYear}
	n.Normalize(&u)
	if u.AnnualMinUSD != nil || !u.HasFlag("unknown_currency") {
		t.Errorf("USD without a rate: usd %s flags %v", normStr(u.AnnualMinUSD), u.Flags)
	}
}

func TestNormalizeNil(t *testing.T) {
	DefaultNormalizer().Normalize(nil)
	var n *Normalizer
	s := Salary{Min: normF(100000), Max: normF(100000), Currency: "USD", Period: PeriodYear}
	n.Normalize(&s) // a nil Normalizer uses the defaults
	if !normEq(s.AnnualMinUSD, normF(100000)) {
		t.Errorf("nil normalizer: %s", normStr(s.AnnualMinUSD))
	}
}

func TestDefaultNormalizer(t *testing.T) {
	n := DefaultNormalizer()
	for _, code := range []string{"USD", "EUR", "GBP", "CAD", "AUD", "CHF", "INR", "JPY", "CNY", "BRL", "SEK", "NOK",
		"DKK", "PLN", "CZK", "SGD", "HKD", "NZD", "ILS", "MXN", "ZAR", "KRW"} {
		if r := n.USDRates[code]; r <= 0 {
			t.Errorf("no rate for %s", code)
		}
	}
	if n.RatesDate == "" || n.MinAnnualUSD != 1000 || n.MaxAnnualUSD != 5_000_000 {
		t.Errorf("defaults: date %q bounds %v-%v", n.RatesDate, n.MinAnnualUSD, n.MaxAnnualUSD)
	}
	want := map[Period]float64{PeriodHour: 2080, PeriodDay: 260, PeriodWeek: 52, PeriodMonth: 12, PeriodYear: 1}
	if !reflect.DeepEqual(n.Multipliers, want) {
		t.Errorf("Multipliers = %v", n.Multipliers)
	}
	// Each call returns its own maps.
	n.USDRates["USD"] = 2
	if DefaultNormalizer().USDRates["USD"] != 1 {
		t.Error("DefaultNormalizer shares its rate table")
	}
}

func ExampleNormalizer_Normalize() {
	lo, hi := 45.0, 60.0
	s := &Salary{Min: &lo, Max: &hi, Currency: "EUR", Period: PeriodHour}
	DefaultNormalizer().Normalize(s)
	fmt.Println(s.Multiplier, *s.AnnualMin, *s.AnnualMax, s.USDRate, *s.AnnualMinUSD, *s.AnnualMaxUSD, s.RateDate)
	// Output: 2080 93600 124800 1.17 109512 146016 2025-09-01
}
