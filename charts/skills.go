package charts

import (
	"fmt"
	"strconv"

	gecharts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/jobtrends/jobtrends/analyze"
)

// Fixed chart ids of the skills section.
const (
	idSkills          = "skills-share"
	idSkillsHeatmap   = "skills-by-year"
	idSkillsRising    = "skills-rising"
	idSkillsFalling   = "skills-falling"
	idEducation       = "education"
	idEducationLevels = "education-levels"
	idIndustry        = "industry"
)

const noML = "No ML-engineer postings in this period."

// hbar is a horizontal bar chart of one value per label, largest on top.
func hbar(id, valueName string, labels []string, vals []analyze.Num, scale float64, decimals int) *gecharts.Bar {
	c := gecharts.NewBar()
	c.SetGlobalOptions(global(id, "", "")...)
	c.SetGlobalOptions(
		gecharts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		gecharts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		gecharts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	c.SetXAxis(labels).AddSeries(valueName, barData(vals, scale, decimals))
	c.XYReversal()
	return c
}

func skillsSection(rep *analyze.Report) (section, error) {
	sk := rep.Skills
	sec := section{ID: "skills", Title: "Which skills rise and fall?",
		Lead: fmt.Sprintf("Skills named in %s ML-engineer postings; education and industry of the same postings.", count(sk.Postings))}
	nML := fmt.Sprintf("n = %s ML-engineer postings", count(sk.Postings))
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

	// Overall shares.
	fo := figure{ID: idSkills, Title: "Share of ML-engineer postings naming each skill", Method: sk.Method, N: nML, Unit: "pct", Tall: true}
	fo.Table.Header = []string{"skill", "postings", "share"}
	var labels []string
	var shares []analyze.Num
	for _, s := range sk.Overall {
		labels = append(labels, short(s.Skill))
		shares = append(shares, s.Share)
		fo.Table.add(str(s.Skill), integer(s.N), pct(s.Share))
	}
	var oc jsonChart
	if len(sk.Overall) == 0 {
		fo.Empty = "No skills named in ML-engineer postings in this period."
	} else {
		oc = hbar(idSkills, "share", labels, shares, 100, 1)
	}
	if err := add(fo, oc); err != nil {
		return sec, err
	}

	// Skill × year heat map.
	fh := figure{ID: idSkillsHeatmap, Title: "Skills by year (share of the year's ML-engineer postings)",
		Method: "Top skills overall; each cell: postings of the year naming the skill / the year's ML-engineer postings. Years with few postings (see n per year) are noisy.",
		N:      nML, Unit: "pct", Tall: true}
	fh.Table.Header = []string{"skill"}
	var years []string
	for i, y := range sk.Years {
		years = append(years, strconv.Itoa(y))
		fh.Table.Header = append(fh.Table.Header, fmt.Sprintf("%d (n=%d)", y, sk.YearPostings[i]))
	}
	var cells []opts.HeatMapData
	maxShare := 0.0
	var hlabels []string
	for i, row := range sk.Matrix {
		name := sk.Overall[i].Skill
		hlabels = append(hlabels, short(name))
		r := []cell{str(name)}
		for j, v := range row {
			r = append(r, pct(v))
			if v.Valid {
				maxShare = max(maxShare, v.V*100)
			}
			cells = append(cells, opts.HeatMapData{Value: [3]interface{}{j, i, value(v, 100, 1)}})
		}
		fh.Table.add(r...)
	}
	var hc jsonChart
	if len(sk.Matrix) == 0 || len(sk.Years) == 0 {
		fh.Empty = "No skills named in ML-engineer postings in this period."
	} else {
		h := gecharts.NewHeatMap()
		h.SetGlobalOptions(global(idSkillsHeatmap, "", "")...)
		h.SetGlobalOptions(
			gecharts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
			gecharts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
			gecharts.WithXAxisOpts(opts.XAxis{Type: "category", Data: years}),
			gecharts.WithYAxisOpts(opts.YAxis{Type: "category", Data: hlabels, Inverse: opts.Bool(true)}),
			gecharts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "16", Bottom: "56", ContainLabel: opts.Bool(true)}),
			gecharts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: float32(max(maxShare, 1)),
				Orient: "horizontal", Left: "center", Bottom: "0",
				InRange: &opts.VisualMapInRange{Color: []string{"#f3f6fb", "#2f5fb3"}}}),
		)
		h.SetXAxis(years).AddSeries("share", cells)
		hc = h
	}
	if err := add(fh, hc); err != nil {
		return sec, err
	}

	// Rising and falling.
	for _, d := range []struct {
		id, title string
		changes   []analyze.SkillChange
	}{
		{idSkillsRising, "Rising skills", sk.Rising},
		{idSkillsFalling, "Falling skills", sk.Falling},
	} {
		f := figure{ID: d.id, Title: d.title, Method: sk.CompareMethod, Unit: "pct",
			N: fmt.Sprintf("n = %s ML-engineer postings", count(sk.Postings))}
		if sk.FromYear != 0 {
			f.Title = fmt.Sprintf("%s, %d → %d", d.title, sk.FromYear, sk.ToYear)
			f.N = fmt.Sprintf("n = %s ML-engineer postings in %d, %s in %d", count(sk.FromPostings), sk.FromYear, count(sk.ToPostings), sk.ToYear)
		}
		f.Table.Header = []string{"skill", fmt.Sprintf("postings %d", sk.FromYear), fmt.Sprintf("share %d", sk.FromYear),
			fmt.Sprintf("postings %d", sk.ToYear), fmt.Sprintf("share %d", sk.ToYear), "change (points)"}
		var labels []string
		var ch []analyze.Num
		for _, c := range d.changes {
			labels = append(labels, short(c.Skill))
			ch = append(ch, c.Change)
			f.Table.add(str(c.Skill), integer(c.FromN), pct(c.From), integer(c.ToN), pct(c.To), num(scaled(c.Change, 100), 1))
		}
		var c jsonChart
		switch {
		case sk.FromYear == 0:
			f.Empty = "Two years with ML-engineer postings are needed to compare."
		case len(d.changes) == 0:
			f.Empty = "No skill moved this way between the two years."
		default:
			c = hbar(d.id, "change (points)", labels, ch, 100, 1)
		}
		if err := add(f, c); err != nil {
			return sec, err
		}
	}

	// Education.
	e := rep.Education
	fe := figure{ID: idEducation, Title: "Share asking for a master's or PhD", Method: e.Method,
		N: fmt.Sprintf("n = %s ML-engineer postings; overall %s ask for a master's or PhD (%s require one), %s a PhD",
			count(e.Postings), pctText(e.GraduateShare), pctText(e.RequiredShare), pctText(e.PhDShare)), Unit: "pct"}
	fe.Table.Header = []string{"year", "ML-engineer postings", "name any degree", "master's or PhD", "share", "PhD", "PhD share"}
	var eyears []string
	var grad, phd []analyze.Num
	for _, y := range e.Years {
		eyears = append(eyears, strconv.Itoa(y.Year))
		grad = append(grad, y.GraduateShare)
		phd = append(phd, y.PhDShare)
		fe.Table.add(integer(y.Year), integer(y.Postings), pct(y.Some), integer(y.Graduate), pct(y.GraduateShare), integer(y.PhD), pct(y.PhDShare))
	}
	var ec jsonChart
	if e.Postings == 0 {
		fe.Empty = noML
	} else {
		l := gecharts.NewLine()
		l.SetGlobalOptions(global(idEducation, "", "share")...)
		l.SetXAxis(eyears)
		l.AddSeries("master's or PhD", lineData(grad, 100, 1))
		l.AddSeries("PhD", lineData(phd, 100, 1))
		ec = l
	}
	if err := add(fe, ec); err != nil {
		return sec, err
	}
	fl := figure{ID: idEducationLevels, Title: "Degrees named, by level and whether required", Method: e.Method,
		N: fmt.Sprintf("n = %s ML-engineer postings", count(e.Postings))}
	fl.Table.Header = []string{"degree", "postings", "share"}
	for _, l := range e.Levels {
		fl.Table.add(str(l.Skill), integer(l.N), pct(l.Share))
	}
	if len(e.Levels) == 0 {
		fl.Empty = "No degree named in ML-engineer postings in this period."
	}
	figs = append(figs, fl)

	// Industry over time.
	in := rep.Industry
	fi := figure{ID: idIndustry, Title: "ML-engineer postings by industry and year", Method: in.Method,
		N: fmt.Sprintf("n = %s ML-engineer postings, industry known for %s", count(in.Postings), count(in.Known)), Unit: "count"}
	fi.Table.Header = []string{"industry", "postings"}
	var iyears []string
	for i, y := range in.Years {
		iyears = append(iyears, strconv.Itoa(y))
		fi.Table.Header = append(fi.Table.Header, fmt.Sprintf("%d (of %d)", y, in.YearPostings[i]))
	}
	var ic jsonChart
	if in.Known == 0 {
		fi.Empty = "No industry recognised for ML-engineer postings in this period."
	} else {
		b := gecharts.NewBar()
		b.SetGlobalOptions(global(idIndustry, "", "postings")...)
		b.SetXAxis(iyears)
		for i, ind := range in.Industries {
			if ind.Skill == "unknown" {
				continue
			}
			vals := make([]analyze.Num, len(in.Years))
			for j := range in.Years {
				vals[j] = analyze.Some(float64(in.Counts[i][j]))
			}
			b.AddSeries(short(ind.Skill), barData(vals, 1, 0), gecharts.WithBarChartOpts(opts.BarChart{Stack: "industry"}))
		}
		ic = b
	}
	for i, ind := range in.Industries {
		r := []cell{str(ind.Skill), integer(ind.N)}
		for j := range in.Years {
			r = append(r, cell{fmt.Sprintf("%d (%s)", in.Counts[i][j], pct(in.Shares[i][j]).Text), strconv.Itoa(in.Counts[i][j])})
		}
		fi.Table.add(r...)
	}
	if err := add(fi, ic); err != nil {
		return sec, err
	}
	sec.Figures = figs
	return sec, nil
}

// scaled multiplies a Num, keeping it missing when it is.
func scaled(n analyze.Num, k float64) analyze.Num {
	if !n.Valid {
		return n
	}
	return analyze.Some(n.V * k)
}
