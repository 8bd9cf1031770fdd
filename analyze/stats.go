package analyze

import (
	"math"
	"slices"
)

// Quantile returns the p-quantile (0 ≤ p ≤ 1) of sorted values by linear
// interpolation between closest ranks: h = (n-1)·p, the value at floor(h)
// plus (h - floor(h)) times the step to the next one. It is missing for an
// empty slice. sorted must be in ascending order.
func Quantile(sorted []float64, p float64) Num {
	n := len(sorted)
	if n == 0 || math.IsNaN(p) || p < 0 || p > 1 {
		return Num{}
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return Some(sorted[n-1])
	}
	return Some(sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo]))
}

// Mean returns the arithmetic mean, missing for an empty slice.
func Mean(xs []float64) Num {
	if len(xs) == 0 {
		return Num{}
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return Ratio(s, float64(len(xs)))
}

// CAGR returns the compound annual growth rate from start to end over the
// given number of years: (end/start)^(1/years) - 1. It is missing when a
// value is missing, start or end is not positive, or years is not positive.
func CAGR(start, end Num, years float64) Num {
	if !start.Valid || !end.Valid || start.V <= 0 || end.V <= 0 || years <= 0 {
		return Num{}
	}
	return Some(math.Pow(end.V/start.V, 1/years) - 1)
}

// Summary describes a set of values: how many, mean, quartiles, extremes
// and the Tukey whiskers (the most extreme values within 1.5 IQR of the
// quartiles) a box plot draws.
type Summary struct {
	N               int
	Mean            Num
	Min, Q1, Median Num
	Q3, Max         Num
	IQR             Num // Q3 - Q1
	LowerWhisker    Num
	UpperWhisker    Num
	Outliers        int // values beyond the whiskers
}

// Summarize computes a Summary of xs (which it does not modify).
func Summarize(xs []float64) Summary {
	s := slices.Clone(xs)
	slices.Sort(s)
	out := Summary{N: len(s), Mean: Mean(s)}
	if len(s) == 0 {
		return out
	}
	out.Min, out.Max = Some(s[0]), Some(s[len(s)-1])
	out.Q1, out.Median, out.Q3 = Quantile(s, 0.25), Quantile(s, 0.5), Quantile(s, 0.75)
	out.IQR = Some(out.Q3.V - out.Q1.V)
	lo, hi := out.Q1.V-1.5*out.IQR.V, out.Q3.V+1.5*out.IQR.V
	for _, x := range s {
		if x >= lo {
			out.LowerWhisker = Some(x)
			break
		}
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] <= hi {
			out.UpperWhisker = Some(s[i])
			break
		}
	}
	for _, x := range s {
		if x < lo || x > hi {
			out.Outliers++
		}
	}
	return out
}
