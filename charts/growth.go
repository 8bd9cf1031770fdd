package charts

import (
	"fmt"
	"strconv"

	gecharts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/jobtrends/jobtrends/analyze"
)

// Fixed chart ids of the growth section.
const (
	idGrowthCount = "growth-count"
	idGrowthShare = "growth-share"
	idGrowthIndex = "growth-index"
	idGrowthYears = "growth-years"
)

func growthSection(rep *analyze.Report) (section, error) {
	g := rep.Growth
	sec := section{ID: "growth", Title: "Have ML-engineer postings grown?",
		Lead: "Monthly ML-engineer postings per source, and their share of all the source's postings (for Hacker News, of the month's job comments — this corrects for how busy the thread was)."}
	months := make([]string, len(g.Months))
	for i, m := range g.Months {
		months[i] = m.String()
	}
	totalML, totalAll := 0, 0
	for _, s := range g.Sources {
		totalML += s.ML
		totalAll += s.All
	}
	nNote := fmt.Sprintf("n = %s ML-engineer postings of %s, %d source(s), %d months", count(totalML), count(totalAll), len(g.Sources), len(g.Months))
	empty := ""
	if len(g.Months) == 0 {
		empty = "No dated postings in this period."
	}

	// Monthly counts.
	fc := figure{ID: idGrowthCount, Title: "ML-engineer postings per month", Method: g.Method, N: nNote, Unit: "count", Empty: empty}
	fc.Table.Header = []string{"month", "source", "partial", "all postings", "ML-engineer postings", "3-month mean", "change vs a year before", "index (" + strconv.Itoa(g.BaseYear) + " = 100)"}
	fs := figure{ID: idGrowthShare, Title: "Share of postings that are ML-engineer roles", Method: "ML-engineer postings / all postings of the source in the month; dashed: 3-month mean.", N: nNote, Unit: "pct", Empty: empty}
	fs.Table.Header = []string{"month", "source", "partial", "all postings", "ML-engineer postings", "share", "3-month mean", "change vs a year before", "index (" + strconv.Itoa(g.BaseYear) + " = 100)"}
	for _, s := range g.Sources {
		for _, m := range s.Months {
			if m.Month < s.First || m.Month > s.Last {
				continue
			}
			month, src, part := str(m.Month.String()), str(s.Source), str(yes(m.Partial))
			if !m.HasData {
				fc.Table.add(month, src, part, cell{"no data", ""}, cell{}, cell{}, cell{}, cell{})
				fs.Table.add(month, src, part, cell{"no data", ""}, cell{}, cell{}, cell{}, cell{}, cell{})
				continue
			}
			fc.Table.add(month, src, part, integer(m.All), integer(m.ML), num(m.CountMA3, 2), signedPct(m.CountYoY), num(m.CountIndex, 1))
			fs.Table.add(month, src, part, integer(m.All), integer(m.ML), pct(m.Share), pct(m.ShareMA3), signedPct(m.ShareYoY), num(m.ShareIndex, 1))
		}
	}
	if empty == "" {
		lc := gecharts.NewLine()
		lc.SetGlobalOptions(global(idGrowthCount, "", "postings")...)
		lc.SetXAxis(months)
		ls := gecharts.NewLine()
		ls.SetGlobalOptions(global(idGrowthShare, "", "share")...)
		ls.SetXAxis(months)
		for _, s := range g.Sources {
			// A partial month's count would read as a fall: it is a gap in
			// the chart (the table has it, marked partial). Its share is whole.
			counts, ma, shares, sma := nums(s.Months, func(m analyze.GrowthMonth) analyze.Num {
				if m.Partial {
					return analyze.Num{}
				}
				return m.Count
			}),
				nums(s.Months, func(m analyze.GrowthMonth) analyze.Num { return m.CountMA3 }),
				nums(s.Months, func(m analyze.GrowthMonth) analyze.Num { return m.Share }),
				nums(s.Months, func(m analyze.GrowthMonth) analyze.Num { return m.ShareMA3 })
			lc.AddSeries(short(s.Source), lineData(counts, 1, 0))
			lc.AddSeries(short(s.Source)+" · 3-mo mean", lineData(ma, 1, 2), dashed, noSymbol)
			ls.AddSeries(short(s.Source), lineData(shares, 100, 2))
			ls.AddSeries(short(s.Source)+" · 3-mo mean", lineData(sma, 100, 2), dashed, noSymbol)
		}
		var err error
		if fc.Option, err = encode(idGrowthCount, lc); err != nil {
			return sec, err
		}
		if fs.Option, err = encode(idGrowthShare, ls); err != nil {
			return sec, err
		}
	}

	// Index against the base year, monthly.
	fi := figure{ID: idGrowthIndex, Title: fmt.Sprintf("Index of the ML-engineer share (%d = 100)", g.BaseYear),
		Method: fmt.Sprintf("Each month's share over the mean share of the full months of %d, × 100; only sources with postings in %d.", g.BaseYear, g.BaseYear),
		N:      nNote, Unit: "index"}
	li := gecharts.NewLine()
	li.SetGlobalOptions(global(idGrowthIndex, "", "index")...)
	li.SetXAxis(months)
	fi.Table.Header = []string{"month", "source", "share index", "count index"}
	withBase := 0
	for _, s := range g.Sources {
		si := nums(s.Months, func(m analyze.GrowthMonth) analyze.Num { return m.ShareIndex })
		if !anyValid(si) {
			continue
		}
		withBase++
		li.AddSeries(short(s.Source), lineData(si, 1, 1))
		for _, m := range s.Months {
			if m.ShareIndex.Valid || m.CountIndex.Valid {
				fi.Table.add(str(m.Month.String()), str(s.Source), num(m.ShareIndex, 1), num(m.CountIndex, 1))
			}
		}
	}
	if withBase == 0 {
		fi.Empty = fmt.Sprintf("No source has postings in %d, the base year, so there is no index.", g.BaseYear)
	} else {
		var err error
		if fi.Option, err = encode(idGrowthIndex, li); err != nil {
			return sec, err
		}
	}

	// Yearly table: the numbers behind the claims check.
	fy := figure{ID: idGrowthYears, Title: "Per year and since the base year",
		Method: "Full months only (partial months left out): mean ML-engineer postings per month, and ML-engineer postings / all postings over the year. Change and compound annual growth (CAGR) from the base year to the last year with data.",
		N:      nNote}
	fy.Table.Header = []string{"source", "year", "full months", "all postings", "ML-engineer postings", "mean per month", "share", "share change since base", "count change since base"}
	for _, s := range g.Sources {
		var base *analyze.GrowthYear
		for i := range s.Years {
			if s.Years[i].Year == g.BaseYear {
				base = &s.Years[i]
			}
		}
		for _, y := range s.Years {
			var sc, cc analyze.Num
			if base != nil {
				sc, cc = analyze.Change(base.Share, y.Share), analyze.Change(base.MeanCount, y.MeanCount)
			}
			fy.Table.add(str(s.Source), integer(y.Year), integer(y.FullMonths), integer(y.All), integer(y.ML), num(y.MeanCount, 2), pct(y.Share), signedPct(sc), signedPct(cc))
		}
		c := s.SinceBase
		if c.CountCAGR.Valid || c.ShareCAGR.Valid {
			fy.Table.add(str(s.Source), cell{fmt.Sprintf("CAGR %d→%d", c.FromYear, c.ToYear), fmt.Sprintf("cagr %d-%d", c.FromYear, c.ToYear)},
				cell{}, cell{}, cell{}, cell{}, cell{}, signedPct(c.ShareCAGR), signedPct(c.CountCAGR))
		}
	}
	if len(fy.Table.Rows) == 0 {
		fy.Empty = "No full month of data."
	} else {
		// One point per year: readable when a source has only a few months a
		// year (one HN thread a year, say).
		fy.Title = "ML-engineer share per year, and since the base year"
		fy.Unit = "pct"
		first, last := 0, 0
		for _, s := range g.Sources {
			for _, y := range s.Years {
				if first == 0 || y.Year < first {
					first = y.Year
				}
				last = max(last, y.Year)
			}
		}
		var years []string
		for y := first; y <= last; y++ {
			years = append(years, strconv.Itoa(y))
		}
		ly := gecharts.NewLine()
		ly.SetGlobalOptions(global(idGrowthYears, "", "share")...)
		ly.SetXAxis(years)
		for _, s := range g.Sources {
			shares := make([]analyze.Num, len(years))
			for _, y := range s.Years {
				shares[y.Year-first] = y.Share
			}
			ly.AddSeries(short(s.Source), lineData(shares, 100, 2), gecharts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false)}))
		}
		var err error
		if fy.Option, err = encode(idGrowthYears, ly); err != nil {
			return sec, err
		}
	}
	sec.Figures = []figure{fc, fs, fi, fy}
	return sec, nil
}

func nums(ms []analyze.GrowthMonth, f func(analyze.GrowthMonth) analyze.Num) []analyze.Num {
	out := make([]analyze.Num, len(ms))
	for i, m := range ms {
		out[i] = f(m)
	}
	return out
}

func anyValid(ns []analyze.Num) bool {
	for _, n := range ns {
		if n.Valid {
			return true
		}
	}
	return false
}

func yes(b bool) string {
	if b {
		return "partial"
	}
	return ""
}
