package analyze

import (
	"fmt"
	"testing"

	"github.com/jobtrends/jobtrends"
)

// threads returns HN threads for months 1..months of year y, each with
// n comments of which ml are ML-engineer postings.
func threads(tb testing.TB, y, months, n, ml int) []jobtrends.Posting {
	tb.Helper()
	var out []jobtrends.Posting
	for m := 1; m <= months; m++ {
		out = append(out, thread(tb, fmt.Sprintf("%04d-%02d", y, m), n, ml)...)
	}
	return out
}

func TestGrowthClaim(t *testing.T) {
	tests := []struct {
		name    string
		in      []jobtrends.Posting
		verdict string
		share   Num
	}{
		{
			// share 2% → 9%: ×4.5, exactly +350%.
			name:    "350 percent",
			in:      concat(threads(t, 2015, 3, 100, 2), threads(t, 2024, 3, 100, 9)),
			verdict: VerdictSupported, share: num(3.5),
		},
		{
			// share 2% → 20%: ×10.
			name:    "far more",
			in:      concat(threads(t, 2015, 3, 100, 2), threads(t, 2024, 3, 100, 20)),
			verdict: VerdictHigher, share: num(9),
		},
		{
			// share 2% → 4%: ×2.
			name:    "far less",
			in:      concat(threads(t, 2015, 3, 100, 2), threads(t, 2024, 3, 100, 4)),
			verdict: VerdictLower, share: num(1),
		},
		{
			name:    "two months in the base year are too few",
			in:      concat(threads(t, 2015, 2, 100, 2), threads(t, 2024, 3, 100, 9)),
			verdict: VerdictNotEnoughData, share: num(3.5),
		},
		{
			name:    "no base year",
			in:      threads(t, 2024, 3, 100, 9),
			verdict: VerdictNotEnoughData,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Build(tt.in, nil, Options{}).Claims[0]
			if c.ID != "growth-since-base" || c.Text != ClaimGrowth {
				t.Fatalf("claim = %+v", c)
			}
			if c.Verdict != tt.verdict {
				t.Errorf("verdict = %q, want %q (%s)", c.Verdict, tt.verdict, c.Summary)
			}
			if !tt.share.Valid {
				if len(c.Measures) != 0 {
					t.Errorf("measures without a base year: %+v", c.Measures)
				}
				return
			}
			if len(c.Measures) != 2 {
				t.Fatalf("measures = %+v", c.Measures)
			}
			checkNum(t, "share change", c.Measures[0].Value, tt.share)
			// Same comment counts every month, so the count changes alike.
			checkNum(t, "count change", c.Measures[1].Value, tt.share)
		})
	}
	t.Run("mixed sources", func(t *testing.T) {
		other := concat(threads(t, 2015, 3, 100, 2), threads(t, 2024, 3, 100, 4))
		for i := range other {
			other[i].Source = "other"
		}
		in := concat(threads(t, 2015, 3, 100, 2), threads(t, 2024, 3, 100, 9), other)
		if c := Build(in, nil, Options{}).Claims[0]; c.Verdict != VerdictMixed || len(c.Measures) != 4 {
			t.Errorf("verdict %q with %d measures", c.Verdict, len(c.Measures))
		}
	})
}

func TestSalaryClaim(t *testing.T) {
	pay := func(n int, country string, v float64) []jobtrends.Posting {
		var out []jobtrends.Posting
		for range n {
			p := paidPost(t, "2023-03-01", usd(f(v), f(v), jobtrends.ProvenanceStructured))
			p.Location.Country = country
			out = append(out, p)
		}
		return out
	}
	tests := []struct {
		name         string
		in           []jobtrends.Posting
		verdict      string
		mean, median Num
		n            int
	}{
		{"around 112k", concat(pay(20, "US", 100e3), pay(10, "US", 130e3), pay(5, "DE", 10e3)), VerdictSupported, num(110e3), num(100e3), 30},
		{"well above", pay(30, "US", 150e3), VerdictHigher, num(150e3), num(150e3), 30},
		{"too few", pay(29, "US", 112e3), VerdictNotEnoughData, num(112e3), num(112e3), 29},
		{"none", pay(3, "GB", 112e3), VerdictNotEnoughData, Num{}, Num{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Build(tt.in, nil, Options{}).Claims[1]
			if c.ID != "us-salary" || c.Verdict != tt.verdict {
				t.Errorf("claim %s verdict %q, want %q (%s)", c.ID, c.Verdict, tt.verdict, c.Summary)
			}
			checkNum(t, "mean", c.Measures[0].Value, tt.mean)
			checkNum(t, "median", c.Measures[1].Value, tt.median)
			if c.Measures[0].N != tt.n {
				t.Errorf("n = %d, want %d", c.Measures[0].N, tt.n)
			}
		})
	}
}

func TestGrowthClaimContext(t *testing.T) {
	// No 2015 data: the longest span with data is shown for context, and
	// the verdict stays "not enough data".
	in := concat(threads(t, 2019, 12, 100, 2), threads(t, 2025, 10, 100, 7), threads(t, 2026, 1, 100, 9))
	c := Build(in, nil, Options{}).Claims[0]
	if c.Verdict != VerdictNotEnoughData {
		t.Errorf("verdict = %q", c.Verdict)
	}
	if len(c.Measures) != 2 {
		t.Fatalf("measures = %+v", c.Measures)
	}
	m := c.Measures[0]
	// 2% → 7% over 2019 → 2025 (2026 has one month: too young).
	if m.Verdict != VerdictContext || m.Period != "2019 (12 months) → 2025 (10 months)" || m.N != 24+70 {
		t.Errorf("context measure = %+v", m)
	}
	checkNum(t, "share change", m.Value, num(2.5))
	checkNum(t, "count change", c.Measures[1].Value, num(2.5))
}
