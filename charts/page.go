package charts

import (
	_ "embed"
	"html/template"
	"time"
)

// reportJS is our static chart loader, written next to index.html.
//
//go:embed static/report.js
var reportJS []byte

// csp is the page's Content-Security-Policy: scripts only from the report
// folder (echarts.min.js, report.js), inline styles (ECharts sets style
// attributes), images from the folder or data: URLs (ECharts' save-as-image).
const csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"

// stat is one headline number.
type stat struct{ Label, Value string }

// section is one question the report answers.
type section struct {
	ID, Title string
	Lead      string
	Figures   []figure
}

// page is what the template renders.
type page struct {
	Title      string
	Generated  time.Time
	Provenance string
	Summary    []stat // headline numbers at the top
	Sections   []section
}

var pageTemplate = template.Must(template.New("index.html").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="` + csp + `">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.Title}}</title>
<style>
:root { --fg: #1d2330; --muted: #5b6472; --line: #d9dde3; --bg: #fff; --accent: #2f5fb3; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 40px 0 4px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 0 0 2px; }
.meta, .method, .n, .lead { color: var(--muted); margin: 0 0 6px; }
.n { font-variant-numeric: tabular-nums; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a, a { color: var(--accent); }
dl.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; margin: 16px 0; }
dl.summary div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
dl.summary dt { color: var(--muted); font-size: .85em; }
dl.summary dd { margin: 0; font-size: 1.2em; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
figure { margin: 24px 0; padding: 12px; border: 1px solid var(--line); border-radius: 8px; }
.canvas { width: 100%; height: 340px; }
.canvas.tall { height: 520px; }
.verdict { font-size: 1.1em; margin: 4px 0; }
.empty { padding: 24px; text-align: center; color: var(--muted); background: #f6f7f9; border-radius: 6px; }
details { margin-top: 8px; }
.table-wrap { overflow-x: auto; max-height: 420px; overflow-y: auto; }
table { border-collapse: collapse; font-size: .9em; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; max-width: 40ch; overflow-wrap: anywhere; }
th { position: sticky; top: 0; background: var(--bg); }
footer { color: var(--muted); padding-bottom: 32px; margin-top: 40px; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  .canvas { height: 280px; }
  .canvas.tall { height: 420px; }
  figure { padding: 8px; margin: 16px 0; }
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="meta">Generated {{.Generated.UTC.Format "2006-01-02 15:04 UTC"}}{{if .Provenance}} · data: {{.Provenance}}{{end}}</p>
<dl class="summary">{{range .Summary}}<div><dt>{{.Label}}</dt><dd>{{.Value}}</dd></div>{{end}}</dl>
<nav><ul>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ul></nav>
</header>
<main>
{{range .Sections}}<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{if .Lead}}<p class="lead">{{.Lead}}</p>{{end}}
{{range .Figures}}<figure id="fig-{{.ID}}">
<h3>{{.Title}}</h3>
{{if .Verdict}}<p class="verdict">Verdict: <strong>{{.Verdict}}</strong></p>
<p>{{.Summary}}</p>
{{end}}<p class="method">{{.Method}}</p>
<p class="n">{{.N}}</p>
{{if .Empty}}<p class="empty">{{.Empty}}</p>
{{else if .Option}}<div class="canvas{{if .Tall}} tall{{end}}" id="{{.ID}}" data-option="opt-{{.ID}}" data-unit="{{.Unit}}" role="img" aria-label="{{.Title}}"></div>
<script type="application/json" id="opt-{{.ID}}">{{.Option}}</script>
{{end}}{{if .Table.Rows}}<details{{if not .Option}} open{{end}}><summary>Table ({{len .Table.Rows}} rows) · <a href="{{.CSVName}}" download>download CSV</a></summary>
<div class="table-wrap"><table>
<thead><tr>{{range .Table.Header}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Table.Rows}}<tr>{{range .}}<td>{{.Text}}</td>{{end}}</tr>{{end}}</tbody>
</table></div>
</details>{{end}}
</figure>
{{end}}</section>
{{end}}</main>
<footer>
<p>Made by jobtrends. Every number has its table and CSV; methods are stated under each chart. Charts drawn locally with ECharts; this page loads nothing from the network.</p>
</footer>
<script src="echarts.min.js"></script>
<script src="report.js"></script>
</body>
</html>
`))
