package analyze

import (
	"math"
	"testing"
)

func TestQuantile(t *testing.T) {
	tests := []struct {
		name   string
		sorted []float64
		p      float64
		want   Num
	}{
		{"empty", nil, 0.5, Num{}},
		{"single point median", []float64{5}, 0.5, num(5)},
		{"single point q1", []float64{5}, 0.25, num(5)},
		{"four values q1", []float64{1, 2, 3, 4}, 0.25, num(1.75)},
		{"four values median", []float64{1, 2, 3, 4}, 0.5, num(2.5)},
		{"four values q3", []float64{1, 2, 3, 4}, 0.75, num(3.25)},
		{"odd count median", []float64{90e3, 120e3, 200e3}, 0.5, num(120e3)},
		{"max", []float64{1, 2, 3}, 1, num(3)},
		{"min", []float64{1, 2, 3}, 0, num(1)},
		{"p out of range", []float64{1, 2}, 1.5, Num{}},
		{"p NaN", []float64{1, 2}, math.NaN(), Num{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkNum(t, "quantile", Quantile(tt.sorted, tt.p), tt.want)
		})
	}
}

func TestNumGuards(t *testing.T) {
	tests := []struct {
		name string
		got  Num
		want Num
	}{
		{"zero over zero", Ratio(0, 0), Num{}},
		{"one over zero", Ratio(1, 0), Num{}},
		{"ratio", Ratio(1, 4), num(0.25)},
		{"NaN", Some(math.NaN()), Num{}},
		{"+Inf", Some(math.Inf(1)), Num{}},
		{"-Inf", Some(math.Inf(-1)), Num{}},
		{"change", Change(num(2), num(5)), num(1.5)},
		{"change from zero", Change(num(0), num(5)), Num{}},
		{"change from missing", Change(Num{}, num(5)), Num{}},
		{"mean of nothing", Mean(nil), Num{}},
		{"mean", Mean([]float64{1, 2, 6}), num(3)},
		{"cagr two years", CAGR(num(100), num(121), 2), num(0.1)},
		{"cagr 4.5x over 10 years", CAGR(num(1), num(4.5), 10), num(math.Pow(4.5, 0.1) - 1)},
		{"cagr from zero", CAGR(num(0), num(5), 2), Num{}},
		{"cagr zero years", CAGR(num(1), num(5), 0), Num{}},
		{"cagr missing end", CAGR(num(1), Num{}, 3), Num{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkNum(t, tt.name, tt.got, tt.want) })
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name                      string
		in                        []float64
		n                         int
		mean, q1, med, q3, lw, uw Num
		outliers                  int
	}{
		{name: "empty"},
		{"single", []float64{7}, 1, num(7), num(7), num(7), num(7), num(7), num(7), 0},
		{"outlier above", []float64{100, 1, 3, 2, 4}, 5, num(22), num(2), num(3), num(4), num(1), num(4), 1},
		{"identical values", []float64{5, 5, 5}, 3, num(5), num(5), num(5), num(5), num(5), num(5), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.in)
			if s.N != tt.n || s.Outliers != tt.outliers {
				t.Errorf("N=%d outliers=%d, want %d %d", s.N, s.Outliers, tt.n, tt.outliers)
			}
			checkNum(t, "mean", s.Mean, tt.mean)
			checkNum(t, "q1", s.Q1, tt.q1)
			checkNum(t, "median", s.Median, tt.med)
			checkNum(t, "q3", s.Q3, tt.q3)
			checkNum(t, "lower whisker", s.LowerWhisker, tt.lw)
			checkNum(t, "upper whisker", s.UpperWhisker, tt.uw)
		})
	}
	t.Run("does not modify input", func(t *testing.T) {
		in := []float64{3, 1, 2}
		Summarize(in)
		if in[0] != 3 || in[1] != 1 || in[2] != 2 {
			t.Errorf("input reordered: %v", in)
		}
	})
}

func TestMonth(t *testing.T) {
	tests := []struct {
		name    string
		s       string
		ok      bool
		str     string
		quarter string
	}{
		{"january", "2015-01", true, "2015-01", "2015-Q1"},
		{"december", "2019-12", true, "2019-12", "2019-Q4"},
		{"april", "2026-04", true, "2026-04", "2026-Q2"},
		{"not a month", "2019-13", false, "", ""},
		{"empty", "", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := ParseMonth(tt.s)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if m.String() != tt.str || m.Quarter().String() != tt.quarter {
				t.Errorf("got %s %s, want %s %s", m, m.Quarter(), tt.str, tt.quarter)
			}
			if MonthOf(m.Start()) != m {
				t.Errorf("Start round trip: %v", m.Start())
			}
		})
	}
	if d := MonthFor(2016, 1) - MonthFor(2015, 12); d != 1 {
		t.Errorf("Dec→Jan is %d months, want 1", d)
	}
}
