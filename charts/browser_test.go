package charts

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/jobtrends/jobtrends/analyze"
)

// chromiumEnv names a browser binary for the browser tests.
const chromiumEnv = "JOBTRENDS_CHROMIUM"

// chromium returns the browser to test with, or skips the test when the
// machine has none.
func chromium(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(chromiumEnv); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Skip("browser test skipped: no chromium binary found (apt-get install chromium, or set " + chromiumEnv + ")")
	return ""
}

// realECharts returns the ECharts library the page needs to draw.
func realECharts(tb testing.TB) []byte {
	tb.Helper()
	wd, _ := os.Getwd()
	b, _, err := findECharts(os.Getenv(EChartsEnv), embeddedECharts, wd)
	if err != nil {
		tb.Fatalf("the browser test needs the real library: %v", err)
	}
	return b
}

// browserPage is one report opened in headless Chromium.
type browserPage struct {
	ctx context.Context

	mu       sync.Mutex
	problems []string // console errors, exceptions, error log entries
	requests []string // every URL the page asked for
}

func (p *browserPage) add(list *[]string, s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*list = append(*list, s)
}

func (p *browserPage) snapshot() (problems, requests []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...), append([]string(nil), p.requests...)
}

// openInBrowser writes rep to a temporary folder and opens its index.html
// from file:// in a browser with networking disabled, waiting until every
// chart has been drawn.
func openInBrowser(t *testing.T, rep *analyze.Report, width, height int) *browserPage {
	t.Helper()
	exe := chromium(t)
	dir := filepath.Join(t.TempDir(), "report")
	if err := Write(dir, rep, Options{EChartsJS: realECharts(t), Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Provenance: "browser test"}); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(width, height),
		// No network: names resolve nowhere and everything else goes to
		// a proxy that does not exist, loopback included.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)

	p := &browserPage{ctx: ctx}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			p.add(&p.problems, "exception: "+ev.ExceptionDetails.Text+" "+describe(ev.ExceptionDetails.Exception))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, describe(a))
				}
				p.add(&p.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
				p.add(&p.problems, fmt.Sprintf("log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			p.add(&p.requests, ev.Request.URL)
		}
	}); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	for _, enable := range []cdp.Command[cdp.Empty, cdp.Empty]{runtime.Enable, cdplog.Enable} {
		if _, err := chromedp.Call(ctx, enable, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.ToSlash(dir)+"/index.html")); err != nil {
		t.Fatal(err)
	}
	// Wait for report.js to draw every chart, then for the animations.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.readyState === 'complete' && document.querySelectorAll('.canvas[data-option]').length === document.querySelectorAll('.canvas[data-drawn]').length`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		problems, _ := p.snapshot()
		t.Fatalf("charts not drawn: %v (page problems: %q)", err, problems)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	return p
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Value)
}

// eval runs js in the page and decodes its JSON result.
func eval[T any](t *testing.T, p *browserPage, js string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// chartsState reports, for every chart, whether its canvas has pixels.
const chartsStateJS = `Array.from(document.querySelectorAll('.canvas[data-option]')).map(function (el) {
  var c = el.querySelector('canvas');
  var painted = 0;
  if (c && c.width > 0 && c.height > 0) {
    var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (var i = 3; i < d.length; i += 16) if (d[i] !== 0) painted++;
  }
  return {id: el.id, drawn: el.getAttribute('data-drawn') === 'true', canvas: !!c, painted: painted};
})`

type chartState struct {
	ID      string `json:"id"`
	Drawn   bool   `json:"drawn"`
	Canvas  bool   `json:"canvas"`
	Painted int    `json:"painted"`
}

func checkNoProblems(t *testing.T, p *browserPage) {
	t.Helper()
	problems, requests := p.snapshot()
	for _, pr := range problems {
		t.Errorf("page problem: %s", pr)
	}
	if len(requests) == 0 {
		t.Errorf("no requests seen: is the network listener working?")
	}
	for _, u := range requests {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request to %s: the report must load only local files", u)
		}
	}
}

func TestBrowserReport(t *testing.T) {
	rep := sampleReport(t)
	p := openInBrowser(t, rep, 1280, 2000)

	t.Run("no console errors and only local files", func(t *testing.T) { checkNoProblems(t, p) })

	// JOBTRENDS_SCREENSHOT=file.png keeps a picture of the page (for the
	// README, or to look at a change).
	if path := os.Getenv("JOBTRENDS_SCREENSHOT"); path != "" {
		png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(90))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("every chart draws", func(t *testing.T) {
		states := eval[[]chartState](t, p, chartsStateJS)
		if len(states) < 15 {
			t.Errorf("only %d charts on the page", len(states))
		}
		for _, s := range states {
			if !s.Drawn || !s.Canvas || s.Painted < 200 {
				t.Errorf("chart %s: drawn=%v canvas=%v painted=%d", s.ID, s.Drawn, s.Canvas, s.Painted)
			}
		}
	})

	t.Run("tables match the chart data", func(t *testing.T) {
		// Series values as ECharts holds them, beside the table column.
		type pair struct {
			Chart []float64 `json:"chart"`
			Table []float64 `json:"table"`
		}
		get := func(id string, series, column, rows int) pair {
			js := fmt.Sprintf(`(function () {
  var inst = echarts.getInstanceByDom(document.getElementById(%q));
  var data = inst.getOption().series[%d].data.map(function (d) { return Number(d && d.value !== undefined ? d.value : d); });
  var rows = Array.from(document.querySelectorAll('#fig-%s tbody tr')).slice(0, %d);
  var table = rows.map(function (r) { return Number(r.cells[%d].textContent.replace(/[$,%%]/g, '')); });
  return {chart: data, table: table};
})()`, id, series, id, rows, column)
			return eval[pair](t, p, js)
		}
		tests := []struct {
			name           string
			id             string
			series, column int
			rows           int
		}{
			{"histogram bars are the table's counts", idSalaryHist, 0, 2, len(rep.Salary.Histogram)},
			{"company bars are the table's counts", idCompanies, 0, 1, len(rep.Companies.Top)},
			{"skill shares are the table's shares", idSkills, 0, 2, len(rep.Skills.Overall)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := get(tt.id, tt.series, tt.column, tt.rows)
				if len(got.Chart) != tt.rows || len(got.Table) != tt.rows {
					t.Fatalf("chart %d values, table %d rows, want %d", len(got.Chart), len(got.Table), tt.rows)
				}
				for i := range got.Chart {
					if d := got.Chart[i] - got.Table[i]; d > 0.051 || d < -0.051 {
						t.Errorf("row %d: chart %v, table %v", i, got.Chart[i], got.Table[i])
					}
				}
			})
		}
	})
}

func TestBrowserPhoneWidth(t *testing.T) {
	p := openInBrowser(t, sampleReport(t), 375, 800)
	checkNoProblems(t, p)
	overflow := eval[int](t, p, `document.documentElement.scrollWidth - window.innerWidth`)
	if overflow > 0 {
		t.Errorf("page is %dpx wider than a 375px phone screen", overflow)
	}
	states := eval[[]chartState](t, p, chartsStateJS)
	for _, s := range states {
		if s.Painted < 100 {
			t.Errorf("chart %s not drawn at phone width", s.ID)
		}
	}
}

func TestBrowserHostileReportExecutesNothing(t *testing.T) {
	p := openInBrowser(t, analyze.Build(hostilePostings(t), nil, analyze.Options{}), 1280, 2000)
	// Show every chart's tooltip for its first points: the hostile labels
	// go through ECharts' tooltip and legend code.
	shown := eval[int](t, p, `(function () {
  var n = 0;
  document.querySelectorAll('.canvas[data-drawn]').forEach(function (el) {
    var inst = echarts.getInstanceByDom(el);
    var series = inst.getOption().series || [];
    for (var s = 0; s < series.length; s++) {
      for (var i = 0; i < 3; i++) {
        inst.dispatchAction({type: 'showTip', seriesIndex: s, dataIndex: i});
        n++;
      }
    }
    inst.dispatchAction({type: 'highlight', seriesIndex: 0});
  });
  return n;
})()`)
	if shown == 0 {
		t.Fatal("no tooltips shown")
	}
	if err := chromedp.Do(p.ctx, chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	checkNoProblems(t, p)
	var got struct {
		XSS      any `json:"xss"`
		Elements int `json:"elements"`
		Charts   int `json:"charts"`
	}
	raw := eval[[]byte](t, p, `({xss: window.__xss === undefined ? null : window.__xss,
  elements: document.querySelectorAll('img, svg, iframe, object, embed').length,
  charts: document.querySelectorAll('.canvas[data-drawn]').length})`)
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.XSS != nil {
		t.Errorf("a payload ran: window.__xss = %v", got.XSS)
	}
	if got.Elements != 0 {
		t.Errorf("%d img/svg/iframe/object elements made from labels", got.Elements)
	}
	if got.Charts < 5 {
		t.Errorf("only %d charts drawn from the hostile report", got.Charts)
	}
}
