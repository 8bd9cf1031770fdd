package analyze

import (
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// wantMonth is what one month of one source should hold.
type wantMonth struct {
	month                  string
	hasData, partial       bool
	all, ml                int
	count, share           Num
	countMA3, shareMA3     Num
	countYoY, shareYoY     Num
	countIndex, shareIndex Num
}

func checkMonths(t *testing.T, sg SourceGrowth, want []wantMonth) {
	t.Helper()
	if len(sg.Months) != len(want) {
		t.Fatalf("%s: %d months, want %d", sg.Source, len(sg.Months), len(want))
	}
	for i, w := range want {
		g := sg.Months[i]
		if g.Month.String() != w.month || g.HasData != w.hasData || g.Partial != w.partial || g.All != w.all || g.ML != w.ml {
			t.Errorf("month %d: got %s data=%v partial=%v all=%d ml=%d, want %+v", i, g.Month, g.HasData, g.Partial, g.All, g.ML, w)
		}
		checkNum(t, w.month+" count", g.Count, w.count)
		checkNum(t, w.month+" share", g.Share, w.share)
		checkNum(t, w.month+" count MA3", g.CountMA3, w.countMA3)
		checkNum(t, w.month+" share MA3", g.ShareMA3, w.shareMA3)
		checkNum(t, w.month+" count YoY", g.CountYoY, w.countYoY)
		checkNum(t, w.month+" share YoY", g.ShareYoY, w.shareYoY)
		checkNum(t, w.month+" count index", g.CountIndex, w.countIndex)
		checkNum(t, w.month+" share index", g.ShareIndex, w.shareIndex)
	}
}

func TestGrowthGapsAndPartialMonth(t *testing.T) {
	// HN threads: 2015-01 4 comments (1 ML), 2015-02 none, 2015-03 2 (2 ML),
	// 2016-01 5 (3 ML) — and "now" is inside 2016-01, so it is partial.
	in := concat(thread(t, "2015-01", 4, 1), thread(t, "2015-03", 2, 2), thread(t, "2016-01", 5, 3))
	rep := Build(in, nil, Options{Now: day(t, "2016-01-15")})
	g := rep.Growth
	if len(g.Months) != 13 || g.Months[0].String() != "2015-01" || g.Months[12].String() != "2016-01" {
		t.Fatalf("months = %v", g.Months)
	}
	if len(g.Sources) != 1 {
		t.Fatalf("sources = %d", len(g.Sources))
	}
	sg := g.Sources[0]
	if sg.All != 11 || sg.ML != 6 || sg.First.String() != "2015-01" || sg.Last.String() != "2016-01" {
		t.Errorf("totals %d/%d span %s..%s", sg.All, sg.ML, sg.First, sg.Last)
	}
	// 2015 full months: Jan (1 of 4) and Mar (2 of 2): mean count 1.5, share 3/6.
	want := []wantMonth{
		{month: "2015-01", hasData: true, all: 4, ml: 1, count: num(1), share: num(0.25), countIndex: num(100.0 / 1.5), shareIndex: num(50)},
		{month: "2015-02"},
		{month: "2015-03", hasData: true, all: 2, ml: 2, count: num(2), share: num(1), countIndex: num(200.0 / 1.5), shareIndex: num(200)},
	}
	for m := 4; m <= 12; m++ {
		want = append(want, wantMonth{month: MonthFor(2015, time.Month(m)).String()})
	}
	want = append(want, wantMonth{month: "2016-01", hasData: true, partial: true, all: 5, ml: 3, count: num(3), share: num(0.6)})
	checkMonths(t, sg, want)

	if len(sg.Years) != 1 || sg.Years[0].Year != 2015 || sg.Years[0].FullMonths != 2 {
		t.Fatalf("years = %+v", sg.Years)
	}
	checkNum(t, "2015 mean count", sg.Years[0].MeanCount, num(1.5))
	checkNum(t, "2015 share", sg.Years[0].Share, num(0.5))
	// The only later year is partial, so there is nothing to compare with.
	if sg.SinceBase.ToYear != 0 || sg.SinceBase.CountChange.Valid {
		t.Errorf("since base = %+v, want no comparison", sg.SinceBase)
	}
}

func TestGrowthMovingAverageYoYAndChange(t *testing.T) {
	in := concat(
		posts(t, "x", "2015-01-10", 4, 2),
		posts(t, "x", "2015-02-10", 1, 1),
		posts(t, "x", "2015-03-31", 3, 3),
		posts(t, "x", "2016-01-02", 8, 4),
	)
	rep := Build(in, nil, Options{})
	sg := rep.Growth.Sources[0]
	// Base 2015: 3 full months, 6 ML of 8: mean count 2, share 0.75.
	want := []wantMonth{
		{month: "2015-01", hasData: true, all: 4, ml: 2, count: num(2), share: num(0.5), countIndex: num(100), shareIndex: num(0.5 / 0.75 * 100)},
		{month: "2015-02", hasData: true, all: 1, ml: 1, count: num(1), share: num(1), countIndex: num(50), shareIndex: num(1 / 0.75 * 100)},
		{month: "2015-03", hasData: true, all: 3, ml: 3, count: num(3), share: num(1),
			countMA3: num(2), shareMA3: num(2.5 / 3), countIndex: num(150), shareIndex: num(1 / 0.75 * 100)},
	}
	for m := 4; m <= 12; m++ {
		want = append(want, wantMonth{month: MonthFor(2015, time.Month(m)).String()})
	}
	want = append(want, wantMonth{month: "2016-01", hasData: true, all: 8, ml: 4, count: num(4), share: num(0.5),
		countYoY: num(1), shareYoY: num(0), countIndex: num(200), shareIndex: num(0.5 / 0.75 * 100)})
	checkMonths(t, sg, want)

	c := sg.SinceBase
	if c.FromYear != 2015 || c.ToYear != 2016 || c.FromMonths != 3 || c.ToMonths != 1 {
		t.Errorf("since base years = %+v", c)
	}
	checkNum(t, "count change", c.CountChange, num(1))      // mean 2 → 4
	checkNum(t, "share change", c.ShareChange, num(-1.0/3)) // 0.75 → 0.5
	checkNum(t, "count CAGR", c.CountCAGR, num(1))
	checkNum(t, "share CAGR", c.ShareCAGR, num(-1.0/3))
}

func TestGrowthSourcesShareOneAxis(t *testing.T) {
	in := concat(posts(t, "a", "2015-01-05", 1, 1), posts(t, "b", "2015-03-05", 2, 0))
	rep := Build(in, nil, Options{})
	if got := rep.Sources; len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("sources = %v", got)
	}
	for _, sg := range rep.Growth.Sources {
		if len(sg.Months) != 3 {
			t.Errorf("%s has %d months, want 3 (the shared axis)", sg.Source, len(sg.Months))
		}
	}
	b := rep.Growth.Sources[1]
	if b.Months[0].HasData || b.Months[0].Count.Valid {
		t.Errorf("b before its first posting must be a gap: %+v", b.Months[0])
	}
	// b has postings in March but no ML engineer: a real zero, not a gap.
	checkNum(t, "b March count", b.Months[2].Count, num(0))
	checkNum(t, "b March share", b.Months[2].Share, num(0))
}

func TestGrowthEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		in        []jobtrends.Posting
		opt       Options
		months    int
		counts    Counts
		wantIndex bool
	}{
		{name: "empty input", counts: Counts{}},
		{
			name:   "single point without base year",
			in:     posts(t, "x", "2020-06-01", 1, 1),
			months: 1,
			counts: Counts{Input: 1, Used: 1, MLEngineer: 1},
		},
		{
			name:   "undated and future postings are counted, not used",
			in:     concat(posts(t, "x", "2015-06-01", 1, 1), []jobtrends.Posting{{Source: "x"}}, posts(t, "x", "2015-08-01", 2, 0)),
			opt:    Options{Now: day(t, "2015-07-01")},
			months: 1,
			counts: Counts{Input: 4, Used: 1, Undated: 1, Future: 2, MLEngineer: 1},
			// June 2015 is a full month of the base year.
			wantIndex: true,
		},
		{
			name:   "window keeps [From, To)",
			in:     concat(posts(t, "x", "2015-01-31", 1, 1), posts(t, "x", "2015-02-01", 2, 1), posts(t, "x", "2015-03-01", 1, 1)),
			opt:    Options{From: day(t, "2015-02-01"), To: day(t, "2015-03-01")},
			months: 1,
			counts: Counts{Input: 4, Used: 2, OutsideWindow: 2, MLEngineer: 1},
			// February is whole: From and To sit on month starts.
			wantIndex: true,
		},
		{
			name:   "window cutting a month makes it partial",
			in:     posts(t, "x", "2015-02-20", 2, 1),
			opt:    Options{From: day(t, "2015-02-15")},
			months: 1,
			counts: Counts{Input: 2, Used: 2, MLEngineer: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Build(tt.in, nil, tt.opt)
			if rep.Counts != tt.counts {
				t.Errorf("counts = %+v, want %+v", rep.Counts, tt.counts)
			}
			if len(rep.Growth.Months) != tt.months {
				t.Fatalf("months = %v, want %d", rep.Growth.Months, tt.months)
			}
			if rep.Growth.BaseYear != DefaultGrowthBase {
				t.Errorf("base year = %d", rep.Growth.BaseYear)
			}
			if tt.months == 0 {
				if len(rep.Growth.Sources) != 0 {
					t.Errorf("sources without data: %+v", rep.Growth.Sources)
				}
				return
			}
			gm := rep.Growth.Sources[0].Months[0]
			if gm.CountIndex.Valid != tt.wantIndex {
				t.Errorf("index valid = %v, want %v (%+v)", gm.CountIndex.Valid, tt.wantIndex, gm)
			}
		})
	}
}

func TestIsMLEngineer(t *testing.T) {
	tests := []struct {
		name string
		p    jobtrends.Posting
		want bool
	}{
		{"role", jobtrends.Posting{Role: jobtrends.RoleMLEngineer}, true},
		{"one of several HN roles", jobtrends.Posting{Role: jobtrends.RoleSoftwareEngineer, Roles: []string{jobtrends.RoleSoftwareEngineer, jobtrends.RoleMLEngineer}}, true},
		{"ml scientist is not", jobtrends.Posting{Role: jobtrends.RoleMLScientist}, false},
		{"empty", jobtrends.Posting{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsMLEngineer(&tt.p); got != tt.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

func TestYearChange(t *testing.T) {
	y := func(year, months, all, ml int) GrowthYear {
		return GrowthYear{Year: year, FullMonths: months, All: all, ML: ml,
			MeanCount: Ratio(float64(ml), float64(months)), Share: Ratio(float64(ml), float64(all))}
	}
	tests := []struct {
		name        string
		years       []GrowthYear
		from        int
		toYear      int
		countChange Num
		shareChange Num
	}{
		{"young last year is passed over", []GrowthYear{y(2015, 3, 30, 3), y(2016, 4, 40, 8), y(2017, 1, 10, 9)}, 2015, 2016, num(1), num(1)},
		{"no year with enough months: the last one", []GrowthYear{y(2015, 3, 30, 3), y(2016, 2, 20, 2), y(2017, 1, 10, 4)}, 2015, 2017, num(3), num(3)},
		{"no base year", []GrowthYear{y(2016, 12, 120, 12)}, 2015, 2016, Num{}, Num{}},
		{"nothing after the base year", []GrowthYear{y(2015, 12, 120, 12)}, 2015, 0, Num{}, Num{}},
		{"no years", nil, 2015, 0, Num{}, Num{}},
		{"base year with zero ML postings", []GrowthYear{y(2015, 3, 30, 0), y(2016, 3, 30, 3)}, 2015, 2016, Num{}, Num{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := yearChange(tt.years, tt.from)
			if c.FromYear != tt.from || c.ToYear != tt.toYear {
				t.Errorf("years %d → %d, want %d → %d", c.FromYear, c.ToYear, tt.from, tt.toYear)
			}
			checkNum(t, "count change", c.CountChange, tt.countChange)
			checkNum(t, "share change", c.ShareChange, tt.shareChange)
		})
	}
}
