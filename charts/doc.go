// Package charts is the last step of the jobtrends pipeline
// (config → scraper → parse → store → analyze → charts): it turns an
// analyze.Report into an HTML report a person opens in a browser.
//
// Write produces a folder:
//
//	index.html      one page, a section per question, every chart with its
//	                title, method note, n, a table of the same numbers and a
//	                link to them as CSV
//	report.js       our own static script: reads each chart's options from a
//	                <script type="application/json"> block and draws it
//	echarts.min.js  the ECharts library (from the pinned npm package)
//	data/*.csv      one file per chart
//
// The page works offline from file:// and loads nothing from the network.
//
// Safety. Every label may come from the open web. go-echarts v2 writes chart
// options raw into a <script> and turns "__f__…__f__" strings into code, so
// its renderer is never used: each chart's chart.JSON() is marshalled with
// encoding/json and placed by html/template into a JSON data block (where
// <, >, &, U+2028 and U+2029 are escaped), report.js JSON.parses it, forces
// rich-text tooltips (drawn on the canvas, never as HTML) and never takes a
// formatter from the data. A Content-Security-Policy allows scripts only from
// the report folder. Tables and attributes are escaped by html/template. No
// go-echarts FuncOpts are used anywhere. Numbers come from analyze.Num,
// which is never NaN or ±Inf; marshalling would fail loudly if one were.
//
// Write is atomic: the report is built in a temporary folder beside the
// target, synced, and renamed into place; a failed run leaves the previous
// report untouched.
//
// charts imports analyze and go-echarts (its charts package as gecharts);
// it must not import scraper, parse or store.
//
// Files: write.go (Write, atomic replace; exchange_*.go swap folders),
// page.go (HTML template, CSP), overview.go (page assembly, headline
// numbers), figures.go (the figure type and go-echarts helpers), one file
// per section (claims.go, growth.go, salary.go, skills.go, places.go,
// health.go), table.go (tables and CSV), echarts.go (LoadECharts;
// echarts_embed.go with -tags embedecharts), static/report.js (the chart
// loader).
package charts
