package charts

import (
	"fmt"
	"strconv"

	gecharts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/jobtrends/jobtrends/analyze"
)

// Fixed chart ids of the companies and places section.
const (
	idCompanies = "top-companies"
	idCountries = "top-countries"
	idCities    = "top-cities"
	idRemote    = "remote-share"
)

func placesSection(rep *analyze.Report) (section, error) {
	sec := section{ID: "places", Title: "Who hires, and where?",
		Lead: "Top hiring companies and places of ML-engineer postings, and how many are remote."}
	for _, r := range []struct {
		id, title, what string
		ranking         analyze.Ranking
	}{
		{idCompanies, "Top hiring companies", "company", rep.Companies},
		{idCountries, "Top countries", "country", rep.Countries},
		{idCities, "Top cities", "city", rep.Cities},
	} {
		f := figure{ID: r.id, Title: r.title, Method: r.ranking.Method, Unit: "count", Tall: len(r.ranking.Top) > 8,
			N: fmt.Sprintf("n = %s ML-engineer postings, %s with a %s (%s distinct)",
				count(r.ranking.Postings), count(r.ranking.Known), r.what, count(r.ranking.Distinct))}
		f.Table.Header = []string{r.what, "ML-engineer postings", "share"}
		var labels []string
		var vals []analyze.Num
		for _, t := range r.ranking.Top {
			labels = append(labels, short(t.Name))
			vals = append(vals, analyze.Some(float64(t.N)))
			f.Table.add(str(t.Name), integer(t.N), pct(t.Share))
		}
		if len(r.ranking.Top) == 0 {
			f.Empty = fmt.Sprintf("No ML-engineer posting names a %s in this period.", r.what)
		} else {
			var err error
			if f.Option, err = encode(f.ID, hbar(f.ID, "postings", labels, vals, 1, 0)); err != nil {
				return sec, err
			}
		}
		sec.Figures = append(sec.Figures, f)
	}

	rs := rep.Remote
	f := figure{ID: idRemote, Title: "Remote, hybrid and onsite over time", Method: rs.Method, Unit: "pct",
		N: fmt.Sprintf("n = %s ML-engineer postings; overall %s remote, %s hybrid, %s onsite, %s unknown",
			count(rs.Total.Postings), pctText(rs.Total.RemoteShare), pctText(rs.Total.HybridShare), pctText(rs.Total.OnsiteShare), pctText(rs.Total.UnknownShare))}
	f.Table.Header = []string{"year", "ML-engineer postings", "remote", "hybrid", "onsite", "unknown", "remote of those that say"}
	var years []string
	series := map[string][]analyze.Num{}
	for _, y := range rs.Years {
		years = append(years, strconv.Itoa(y.Year))
		series["remote"] = append(series["remote"], y.RemoteShare)
		series["hybrid"] = append(series["hybrid"], y.HybridShare)
		series["onsite"] = append(series["onsite"], y.OnsiteShare)
		series["unknown"] = append(series["unknown"], y.UnknownShare)
		f.Table.add(integer(y.Year), integer(y.Postings), countPct(y.Remote, y.RemoteShare), countPct(y.Hybrid, y.HybridShare),
			countPct(y.Onsite, y.OnsiteShare), countPct(y.Unknown, y.UnknownShare), pct(y.RemoteOfKnown))
	}
	if len(rs.Years) == 0 {
		f.Empty = noML
	} else {
		b := gecharts.NewBar()
		b.SetGlobalOptions(global(idRemote, "", "share")...)
		b.SetGlobalOptions(gecharts.WithYAxisOpts(opts.YAxis{Name: "share", Max: 100}))
		b.SetXAxis(years)
		for _, k := range []string{"remote", "hybrid", "onsite", "unknown"} {
			so := []gecharts.SeriesOpts{gecharts.WithBarChartOpts(opts.BarChart{Stack: "remote"})}
			if k == "unknown" {
				so = append(so, gecharts.WithItemStyleOpts(opts.ItemStyle{Color: "#c9ced6"}))
			}
			b.AddSeries(k, barData(series[k], 100, 1), so...)
		}
		var err error
		if f.Option, err = encode(idRemote, b); err != nil {
			return sec, err
		}
	}
	sec.Figures = append(sec.Figures, f)
	return sec, nil
}

// countPct shows "12 (34.5%)"; the CSV keeps the count.
func countPct(n int, share analyze.Num) cell {
	return cell{fmt.Sprintf("%d (%s)", n, pctText(share)), strconv.Itoa(n)}
}
