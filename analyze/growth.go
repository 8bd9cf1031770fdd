package analyze

import (
	"fmt"
)

// Growth is the number of ML-engineer postings over time, per source.
type Growth struct {
	// Method says in one line how the numbers were made.
	Method string
	// Months is the x axis: every month from the first to the last month
	// with data in any source. Each SourceGrowth has one entry per month.
	Months []Month
	// BaseYear is the year whose monthly mean is index 100.
	BaseYear int
	Sources  []SourceGrowth
}

// SourceGrowth is the monthly series of one source.
type SourceGrowth struct {
	Source string
	// First and Last are the months of the first and last posting; months
	// between them without a posting are gaps.
	First, Last Month
	All, ML     int // postings in the window, all roles and ML engineer
	Months      []GrowthMonth
	Years       []GrowthYear
	// SinceBase compares the last year with enough full months to BaseYear
	// (see yearChange).
	SinceBase GrowthChange
}

// GrowthMonth is one month of one source. Every Num is missing when the
// source has no posting that month (a gap), and the count-based derived
// values are also missing when a month they need is partial.
type GrowthMonth struct {
	Month   Month
	HasData bool // the source has at least one posting this month
	Partial bool // the month is not complete (see Options.Now, From, To)
	All, ML int  // postings this month: all roles, ML engineer

	Count Num // ML-engineer postings (missing in a gap)
	Share Num // ML / All

	CountMA3, ShareMA3 Num // trailing 3-month mean; needs 3 full months
	CountYoY, ShareYoY Num // relative change from the same month a year before
	// CountIndex and ShareIndex are the value over the BaseYear monthly mean,
	// times 100. Missing when the base year has no full month.
	CountIndex, ShareIndex Num
}

// GrowthYear sums a source's full months of one calendar year.
type GrowthYear struct {
	Year       int
	FullMonths int // months with data that are not partial
	All, ML    int // postings in those months
	MeanCount  Num // mean ML-engineer postings per full month
	Share      Num // ML / All over those months
}

// GrowthChange is the change between two years of one source.
type GrowthChange struct {
	FromYear, ToYear     int
	FromMonths, ToMonths int // full months behind each year's value
	CountChange          Num // MeanCount ratio - 1 (3.5 = +350%)
	ShareChange          Num // Share ratio - 1
	CountCAGR, ShareCAGR Num // compound annual growth rates
}

const growthMethod = "ML-engineer postings per month by date posted (HN: by thread month); share = ML-engineer postings / all postings of the source that month; " +
	"months without postings are gaps; the current or window-cut month is partial and left out of moving averages, YoY and indices."

func buildGrowth(b *Builder, sources []string, partial map[Month]bool, base int) Growth {
	g := Growth{Method: growthMethod, BaseYear: base}
	if b.counts.Used == 0 {
		return g
	}
	for m := b.first; m <= b.last; m++ {
		g.Months = append(g.Months, m)
	}
	for _, src := range sources {
		g.Sources = append(g.Sources, sourceGrowth(src, b.sources[src], g.Months, partial, base))
	}
	return g
}

func sourceGrowth(src string, sc *sourceCounts, months []Month, partial map[Month]bool, base int) SourceGrowth {
	sg := SourceGrowth{Source: src, Months: make([]GrowthMonth, len(months)),
		First: sc.first, Last: sc.last, All: sc.all, ML: sc.ml}
	off := months[0]
	for i, m := range months {
		sg.Months[i] = GrowthMonth{Month: m, Partial: partial[m]}
	}
	for m, c := range sc.months {
		gm := &sg.Months[m-off]
		gm.HasData = true
		gm.All, gm.ML = c.all, c.ml
	}
	for i := range sg.Months {
		gm := &sg.Months[i]
		if gm.HasData {
			gm.Count = Some(float64(gm.ML))
			gm.Share = Ratio(float64(gm.ML), float64(gm.All))
		}
	}
	// full reports whether month i may feed a derived count value.
	full := func(i int) bool { return i >= 0 && sg.Months[i].HasData && !sg.Months[i].Partial }
	for i := range sg.Months {
		gm := &sg.Months[i]
		if full(i) && full(i-1) && full(i-2) {
			c := float64(gm.ML + sg.Months[i-1].ML + sg.Months[i-2].ML)
			gm.CountMA3 = Some(c / 3)
			gm.ShareMA3 = Some((gm.Share.V + sg.Months[i-1].Share.V + sg.Months[i-2].Share.V) / 3)
		}
		if full(i) && full(i-12) {
			gm.CountYoY = Change(sg.Months[i-12].Count, gm.Count)
			gm.ShareYoY = Change(sg.Months[i-12].Share, gm.Share)
		}
	}
	sg.Years = growthYears(sg.Months)
	var baseYear *GrowthYear
	for i := range sg.Years {
		if sg.Years[i].Year == base && sg.Years[i].FullMonths > 0 {
			baseYear = &sg.Years[i]
		}
	}
	if baseYear != nil {
		for i := range sg.Months {
			if !full(i) {
				continue
			}
			gm := &sg.Months[i]
			if c := Ratio(gm.Count.V, baseYear.MeanCount.V); c.Valid {
				gm.CountIndex = Some(c.V * 100)
			}
			if s := Ratio(gm.Share.V, baseYear.Share.V); s.Valid {
				gm.ShareIndex = Some(s.V * 100)
			}
		}
	}
	sg.SinceBase = yearChange(sg.Years, base)
	return sg
}

// growthYears sums full months per calendar year, in order.
func growthYears(months []GrowthMonth) []GrowthYear {
	var out []GrowthYear
	for _, gm := range months {
		if !gm.HasData || gm.Partial {
			continue
		}
		y := gm.Month.Year()
		if len(out) == 0 || out[len(out)-1].Year != y {
			out = append(out, GrowthYear{Year: y})
		}
		gy := &out[len(out)-1]
		gy.FullMonths++
		gy.All += gm.All
		gy.ML += gm.ML
	}
	for i := range out {
		out[i].MeanCount = Ratio(float64(out[i].ML), float64(out[i].FullMonths))
		out[i].Share = Ratio(float64(out[i].ML), float64(out[i].All))
	}
	return out
}

// yearChange compares a later year to year from: the last one with at
// least MinClaimMonths full months (so a young current year does not
// decide), else the last one with any. When from has no full month, or no
// later year has one, only the years are set.
func yearChange(years []GrowthYear, from int) GrowthChange {
	c := GrowthChange{FromYear: from}
	var a, b *GrowthYear
	for i := range years {
		if years[i].Year == from {
			a = &years[i]
		}
	}
	// The last year after from with MinClaimMonths full months, else the
	// last year after from with any.
	for i := len(years) - 1; i >= 0 && years[i].Year > from; i-- {
		if b == nil || b.FullMonths < MinClaimMonths && years[i].FullMonths >= MinClaimMonths {
			b = &years[i]
		}
		if b.FullMonths >= MinClaimMonths {
			break
		}
	}
	if b != nil {
		c.ToYear = b.Year
		c.ToMonths = b.FullMonths
	}
	if a == nil || b == nil {
		return c
	}
	c.FromMonths = a.FullMonths
	n := float64(b.Year - a.Year)
	c.CountChange = Change(a.MeanCount, b.MeanCount)
	c.ShareChange = Change(a.Share, b.Share)
	c.CountCAGR = CAGR(a.MeanCount, b.MeanCount, n)
	c.ShareCAGR = CAGR(a.Share, b.Share, n)
	return c
}

// String describes the change in words, for tables and the claims check.
func (c GrowthChange) String() string {
	if !c.CountChange.Valid && !c.ShareChange.Valid {
		return fmt.Sprintf("no comparison: %d has no full month of data or no later year has", c.FromYear)
	}
	return fmt.Sprintf("%d (%d months) → %d (%d months): count %s, share %s",
		c.FromYear, c.FromMonths, c.ToYear, c.ToMonths, pct(c.CountChange), pct(c.ShareChange))
}

// pct formats a relative change as a signed percentage.
func pct(n Num) string {
	if !n.Valid {
		return "n/a"
	}
	return fmt.Sprintf("%+.0f%%", n.V*100)
}
