package charts

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	gecharts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/jobtrends/jobtrends/analyze"
)

// figure is one chart (or table) of the report.
type figure struct {
	ID     string // fixed: the element id, the go-echarts ChartID and the CSV name
	Title  string
	Method string
	N      string // how much data stands behind it, e.g. "n = 1,234 postings"
	// Unit tells report.js how to label the value axis: count, pct, usd,
	// index. It is one of our constants, never data.
	Unit string
	// Empty, when set, replaces the chart: there is nothing to draw.
	Empty string
	// Option is the chart's options as JSON; nil for a table-only figure.
	Option rawJSON
	Tall   bool // a taller canvas (long category lists)
	// Verdict and Summary are set for a claim: the answer in words.
	Verdict, Summary string
	Table            table
}

// CSVName is the figure's data file inside the report folder.
func (f figure) CSVName() string { return "data/" + f.ID + ".csv" }

// rawJSON is JSON made by encoding/json. html/template re-encodes it
// through json.Marshal, which validates it and escapes <, >, &, U+2028 and
// U+2029, so it is inert inside a <script> element.
type rawJSON []byte

// MarshalJSON returns r as it is.
func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

// jsonChart is what every go-echarts chart offers: validation and its
// options as a map (no __f__ processing, unlike its renderer).
type jsonChart interface {
	Validate()
	JSON() map[string]interface{}
}

// encode returns the chart's options as JSON. An unencodable value (NaN,
// ±Inf) is an error, never a silently blank chart.
func encode(id string, c jsonChart) (rawJSON, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return nil, fmt.Errorf("chart %s: encode options: %w", id, err)
	}
	return b, nil
}

// global holds the options every chart shares.
func global(id, xName, yName string) []gecharts.GlobalOpts {
	return []gecharts.GlobalOpts{
		// AssetsHost is never used (we do not call Render) but must not
		// be a CDN in case anything ever reads it.
		gecharts.WithInitializationOpts(opts.Initialization{ChartID: id, AssetsHost: "./"}),
		gecharts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		gecharts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0"}),
		gecharts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "40", Bottom: "8", ContainLabel: opts.Bool(true)}),
		gecharts.WithXAxisOpts(opts.XAxis{Name: xName}),
		gecharts.WithYAxisOpts(opts.YAxis{Name: yName}),
	}
}

// missing is how ECharts spells an empty point: the line breaks there.
const missing = "-"

// value rounds n for a chart (a table has the full figure), or "-".
func value(n analyze.Num, scale float64, decimals int) interface{} {
	if !n.Valid {
		return missing
	}
	p := math.Pow(10, float64(decimals))
	v := math.Round(n.V*scale*p) / p
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return missing
	}
	return v
}

func lineData(ns []analyze.Num, scale float64, decimals int) []opts.LineData {
	out := make([]opts.LineData, len(ns))
	for i, n := range ns {
		out[i] = opts.LineData{Value: value(n, scale, decimals)}
	}
	return out
}

func barData(ns []analyze.Num, scale float64, decimals int) []opts.BarData {
	out := make([]opts.BarData, len(ns))
	for i, n := range ns {
		out[i] = opts.BarData{Value: value(n, scale, decimals)}
	}
	return out
}

// dashed draws a secondary series (a moving average, an index).
var dashed = gecharts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 1.5})

var noSymbol = gecharts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})

func withN(label string, n int) string { return label + " (n=" + strconv.Itoa(n) + ")" }

// count formats an integer with thousands separators.
func count(n int) string { return thousands(float64(n)) }
