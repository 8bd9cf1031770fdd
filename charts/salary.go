package charts

import (
	"fmt"
	"strings"

	gecharts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/jobtrends/jobtrends/analyze"
)

// Fixed chart ids of the salary section.
const (
	idSalaryHist       = "salary-histogram"
	idSalaryQuarters   = "salary-quarterly"
	idSalaryDisclosure = "salary-disclosure"
	idSalarySeniority  = "salary-seniority"
	idSalaryCountry    = "salary-country"
	idSalaryRemote     = "salary-remote"
	idSalaryMix        = "salary-mix"
	idSalaryRole       = "salary-role"
	idSalarySkipped    = "salary-skipped"
)

const noSalary = "No salary data for this period."

func salarySection(rep *analyze.Report) (section, error) {
	s := rep.Salary
	lead := fmt.Sprintf("Annualized base pay in USD of ML-engineer postings. %s of %s ML-engineer postings state pay (%s); %s salaries are used.",
		count(s.Disclosed), count(s.Postings), pctText(s.DisclosureRate), count(s.Used))
	if s.IncludesEstimates {
		lead += " Platform estimates are included."
	} else {
		lead += " Platform estimates are left out."
	}
	sec := section{ID: "salary", Title: "What does the role pay?", Lead: lead}
	nUsed := fmt.Sprintf("n = %s salaries of %s ML-engineer postings", count(s.Used), count(s.Postings))
	var figs []figure
	add := func(f figure, c jsonChart) error {
		if f.Empty == "" && c != nil {
			var err error
			if f.Option, err = encode(f.ID, c); err != nil {
				return err
			}
		}
		figs = append(figs, f)
		return nil
	}

	// Distribution.
	fh := figure{ID: idSalaryHist, Title: "Salary distribution", Method: s.Method, N: nUsed, Unit: "count"}
	fh.Table.Header = []string{"from (USD)", "to (USD)", "salaries"}
	var labels []string
	var bars []opts.BarData
	for _, b := range s.Histogram {
		labels = append(labels, "$"+kilo(b.Lo)+"–"+kilo(b.Hi))
		bars = append(bars, opts.BarData{Value: b.N})
		fh.Table.add(usd(analyze.Some(b.Lo)), usd(analyze.Some(b.Hi)), integer(b.N))
	}
	var hist *gecharts.Bar
	if len(s.Histogram) == 0 {
		fh.Empty = noSalary
	} else {
		hist = gecharts.NewBar()
		hist.SetGlobalOptions(global(idSalaryHist, "", "salaries")...)
		hist.SetXAxis(labels).AddSeries("salaries", bars)
	}
	if s.Overall.N > 0 {
		o := s.Overall
		fh.Table.add(str("median"), usd(o.Median), integer(o.N))
		fh.Table.add(str("quartiles Q1–Q3"), cell{usdText(o.Q1) + "–" + usdText(o.Q3), o.Q1.String() + "-" + o.Q3.String()}, integer(o.N))
		fh.Table.add(str("mean"), usd(o.Mean), integer(o.N))
	}
	if err := add(fh, chartOrNil(hist)); err != nil {
		return sec, err
	}

	// Quarterly median with the IQR band.
	fq := figure{ID: idSalaryQuarters, Title: "Median pay per quarter, with the interquartile range",
		Method: "Median and quartiles of the quarter's salaries; shaded: Q1 to Q3; quarters without salaries are gaps. Check n before reading a move.", N: nUsed, Unit: "usd"}
	fq.Table.Header = []string{"quarter", "ML-engineer postings", "salaries (n)", "Q1", "median", "Q3", "mean"}
	// The chart spans the quarters from the first to the last with
	// salaries; the table has every quarter with ML-engineer postings.
	lo, hi := -1, -1
	for i, q := range s.Quarters {
		if q.Pay.N > 0 {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	var qs, payQs []string
	var q1, band, med []analyze.Num
	for i, q := range s.Quarters {
		qs = append(qs, q.Quarter.String())
		fq.Table.add(str(q.Quarter.String()), integer(q.Postings), integer(q.Pay.N), usd(q.Pay.Q1), usd(q.Pay.Median), usd(q.Pay.Q3), usd(q.Pay.Mean))
		if i < lo || i > hi {
			continue
		}
		payQs = append(payQs, q.Quarter.String())
		q1 = append(q1, q.Pay.Q1)
		med = append(med, q.Pay.Median)
		b := analyze.Num{}
		if q.Pay.Q1.Valid && q.Pay.Q3.Valid {
			b = analyze.Some(q.Pay.Q3.V - q.Pay.Q1.V)
		}
		band = append(band, b)
	}
	var ql *gecharts.Line
	if s.Used == 0 {
		fq.Empty = noSalary
	} else {
		ql = gecharts.NewLine()
		ql.SetGlobalOptions(global(idSalaryQuarters, "", "USD per year")...)
		ql.SetXAxis(payQs)
		hidden := gecharts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)})
		ql.AddSeries("Q1", lineData(q1, 1, 0), gecharts.WithLineChartOpts(opts.LineChart{Stack: "iqr", ShowSymbol: opts.Bool(false)}), hidden)
		ql.AddSeries("Q3 − Q1", lineData(band, 1, 0), gecharts.WithLineChartOpts(opts.LineChart{Stack: "iqr", ShowSymbol: opts.Bool(false)}), hidden,
			gecharts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.25)}))
		ql.AddSeries("median", lineData(med, 1, 0))
	}
	if err := add(fq, chartOrNil(ql)); err != nil {
		return sec, err
	}

	// Disclosure over time.
	fd := figure{ID: idSalaryDisclosure, Title: "Share of ML-engineer postings that state pay",
		Method: "Postings whose employer states an amount (structured or in the text) / all ML-engineer postings of the quarter; platform estimates do not count as disclosure.",
		N:      fmt.Sprintf("n = %s ML-engineer postings", count(s.Postings)), Unit: "pct"}
	fd.Table.Header = []string{"quarter", "ML-engineer postings", "state pay", "share"}
	var rates []analyze.Num
	for _, q := range s.Quarters {
		rates = append(rates, q.DisclosureRate)
		fd.Table.add(str(q.Quarter.String()), integer(q.Postings), integer(q.Disclosed), pct(q.DisclosureRate))
	}
	var dl *gecharts.Line
	if s.Postings == 0 {
		fd.Empty = "No ML-engineer postings in this period."
	} else {
		dl = gecharts.NewLine()
		dl.SetGlobalOptions(global(idSalaryDisclosure, "", "share")...)
		dl.SetXAxis(qs).AddSeries("state pay", lineData(rates, 100, 1))
	}
	if err := add(fd, chartOrNil(dl)); err != nil {
		return sec, err
	}

	// Box plots and bars by group.
	fb, bp := groupBox(idSalarySeniority, "Pay by seniority", "seniority", s.BySeniority)
	if err := add(fb, chartOrNil(bp)); err != nil {
		return sec, err
	}
	for _, g := range []struct {
		id, title, key string
		groups         []analyze.Group
	}{
		{idSalaryCountry, "Median pay by country (top by number of salaries)", "country", s.ByCountry},
		{idSalaryRemote, "Median pay: remote, hybrid, onsite", "remote", s.ByRemote},
		{idSalaryRole, "Median pay by role family (all postings, for comparison)", "role", s.ByRole},
	} {
		f, c := groupBar(g.id, g.title, g.key, g.groups)
		if err := add(f, chartOrNil(c)); err != nil {
			return sec, err
		}
	}

	// Mix-adjusted trend.
	fm := figure{ID: idSalaryMix, Title: "Raw and mix-adjusted median pay (first year = 100)", Method: s.MixMethod,
		N: nUsed, Unit: "index"}
	fm.Table.Header = []string{"year", "salaries (n)", "raw median", "raw index", "mix-adjusted index", "cells compared"}
	var years []string
	var raw, mix []analyze.Num
	for _, y := range s.MixAdjusted {
		years = append(years, fmt.Sprint(y.Year))
		raw = append(raw, y.RawIndex)
		mix = append(mix, y.MixIndex)
		fm.Table.add(integer(y.Year), integer(y.N), usd(y.RawMedian), num(y.RawIndex, 1), num(y.MixIndex, 1), integer(y.Cells))
	}
	var ml *gecharts.Line
	if len(s.MixAdjusted) == 0 {
		fm.Empty = noSalary
	} else {
		ml = gecharts.NewLine()
		ml.SetGlobalOptions(global(idSalaryMix, "", "index")...)
		ml.SetXAxis(years)
		ml.AddSeries("raw median", lineData(raw, 1, 1))
		ml.AddSeries("mix-adjusted", lineData(mix, 1, 1), dashed)
	}
	if err := add(fm, chartOrNil(ml)); err != nil {
		return sec, err
	}

	// What was left out, and why.
	fk := figure{ID: idSalarySkipped, Title: "Salaries left out, and why",
		Method: "Counted once, under the first reason that applies; postings that state no pay are not counted here.", N: nUsed}
	fk.Table.Header = []string{"reason", "postings"}
	for _, r := range s.Skipped {
		fk.Table.add(str(strings.ReplaceAll(r.Reason, "_", " ")), integer(r.N))
	}
	if len(s.Skipped) == 0 {
		fk.Empty = "Nothing was left out."
	}
	figs = append(figs, fk)
	sec.Figures = figs
	return sec, nil
}

// groupBox draws a box plot (Tukey whiskers) per group.
func groupBox(id, title, key string, groups []analyze.Group) (figure, *gecharts.BoxPlot) {
	f := figure{ID: id, Title: title, Unit: "usd",
		Method: "Box: quartiles and median; whiskers: the furthest salaries within 1.5 × IQR of the box. Groups without salaries are in the table only."}
	f.Table.Header = groupHeader(key)
	var cats []string
	var data []opts.BoxPlotData
	n := 0
	for _, g := range groups {
		f.Table.add(groupRow(g)...)
		if g.Pay.N == 0 {
			continue
		}
		n += g.Pay.N
		cats = append(cats, withN(short(g.Key), g.Pay.N))
		data = append(data, opts.BoxPlotData{Value: []interface{}{
			value(g.Pay.LowerWhisker, 1, 0), value(g.Pay.Q1, 1, 0), value(g.Pay.Median, 1, 0), value(g.Pay.Q3, 1, 0), value(g.Pay.UpperWhisker, 1, 0),
		}})
	}
	f.N = fmt.Sprintf("n = %s salaries", count(n))
	if len(data) == 0 {
		f.Empty = noSalary
		return f, nil
	}
	c := gecharts.NewBoxPlot()
	c.SetGlobalOptions(global(id, "", "USD per year")...)
	c.SetXAxis(cats).AddSeries("pay", data)
	return f, c
}

// groupBar draws the median per group as bars.
func groupBar(id, title, key string, groups []analyze.Group) (figure, *gecharts.Bar) {
	f := figure{ID: id, Title: title, Unit: "usd",
		Method: "Median annualized USD base pay per group, n in the label; groups without salaries are in the table only."}
	f.Table.Header = groupHeader(key)
	var cats []string
	var meds []analyze.Num
	n := 0
	for _, g := range groups {
		f.Table.add(groupRow(g)...)
		if g.Pay.N == 0 {
			continue
		}
		n += g.Pay.N
		cats = append(cats, withN(short(g.Key), g.Pay.N))
		meds = append(meds, g.Pay.Median)
	}
	f.N = fmt.Sprintf("n = %s salaries", count(n))
	if len(meds) == 0 {
		f.Empty = noSalary
		return f, nil
	}
	c := gecharts.NewBar()
	c.SetGlobalOptions(global(id, "", "USD per year")...)
	c.SetXAxis(cats).AddSeries("median", barData(meds, 1, 0))
	return f, c
}

func groupHeader(key string) []string {
	return []string{key, "postings", "state pay", "salaries (n)", "Q1", "median", "Q3", "mean"}
}

func groupRow(g analyze.Group) []cell {
	return []cell{str(g.Key), integer(g.Postings), integer(g.Disclosed), integer(g.Pay.N), usd(g.Pay.Q1), usd(g.Pay.Median), usd(g.Pay.Q3), usd(g.Pay.Mean)}
}

// chartOrNil turns a nil concrete chart into a nil interface.
func chartOrNil[T jsonChart](c T) jsonChart {
	var zero T
	if any(c) == any(zero) {
		return nil
	}
	return c
}

func kilo(v float64) string { return fmt.Sprintf("%.0fk", v/1000) }

func usdText(n analyze.Num) string { return usd(n).Text }

func pctText(n analyze.Num) string {
	if !n.Valid {
		return "n/a"
	}
	return pct(n).Text
}
