package charts

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gecharts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
)

// payloads is the §3.2 corpus of RELIABILITY.md: every one must stay inert
// text wherever it lands.
var payloads = []string{
	`</script><script>window.__xss=1</script>`,
	`<img src=x onerror=window.__xss=2>`,
	`<svg onload=window.__xss=3>`,
	`__f__function(){window.__xss=4}__f__`,
	`x__f__`, `__f__window.__xss=5`, // halves of a marker split across labels
	`<!--<script>`,
	"line\u2028sep\u2029end",
	`javascript:window.__xss=6`,
	`{a}{b}{c}`,
	`" onmouseover="window.__xss=7`,
	`' onfocus='window.__xss=8`,
	`{{.}} ${7*7} #{7*7}`,
	`\u003c/script\u003e`,
}

// hostilePostings puts the payloads in every field that can reach a label.
func hostilePostings(tb testing.TB) []jobtrends.Posting {
	tb.Helper()
	var out []jobtrends.Posting
	for i, p := range payloads {
		for j := 0; j < 4; j++ {
			v := 100e3 + float64(i*1000+j*5000)
			out = append(out, jobtrends.Posting{
				Source:     p,
				ExternalID: fmt.Sprint(i, "-", j),
				URL:        "javascript:alert(1)",
				Title:      p,
				Company:    p,
				Role:       jobtrends.RoleMLEngineer,
				Seniority:  p,
				Skills:     []string{p, "python"},
				Education:  []string{p},
				Industry:   p,
				Location:   jobtrends.Location{Text: p, City: p, Region: p, Country: p},
				Remote:     jobtrends.Remote(p),
				DatePosted: time.Date(2020+j%2, time.Month(1+i%12), 3, 0, 0, 0, 0, time.UTC),
				Salary: &jobtrends.Salary{Raw: p, Min: fp(v), Max: fp(v), AnnualMinUSD: fp(v), AnnualMaxUSD: fp(v),
					Currency: "USD", Period: jobtrends.PeriodYear, Provenance: jobtrends.ProvenanceText},
			})
		}
	}
	return out
}

var jsonBlock = regexp.MustCompile(`(?s)<script type="application/json" id="opt-([a-z0-9-]+)">(.*?)</script>`)

func TestHostileLabelsStayText(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	rep := analyze.Build(hostilePostings(t), nil, analyze.Options{})
	writeReport(t, dir, rep)
	page := string(readFile(t, filepath.Join(dir, "index.html")))

	t.Run("only our script elements", func(t *testing.T) {
		opens := strings.Count(strings.ToLower(page), "<script")
		closes := strings.Count(strings.ToLower(page), "</script")
		blocks := jsonBlock.FindAllStringSubmatch(page, -1)
		// Our JSON blocks plus echarts.min.js and report.js.
		if opens != len(blocks)+2 || closes != opens {
			t.Errorf("<script: %d, </script: %d, JSON blocks: %d", opens, closes, len(blocks))
		}
		if len(blocks) < 5 {
			t.Errorf("only %d charts drawn from the hostile report", len(blocks))
		}
	})
	t.Run("no raw markup from the data", func(t *testing.T) {
		// Outside the JSON blocks (checked below), the data is HTML text.
		lower := strings.ToLower(jsonBlock.ReplaceAllString(page, ""))
		for _, bad := range []string{"<img", "<svg", "<!--", `href="javascript:`, `onmouseover="`, "onfocus='"} {
			if strings.Contains(lower, bad) {
				t.Errorf("page contains raw %q", bad)
			}
		}
	})
	t.Run("JSON blocks round-trip the labels", func(t *testing.T) {
		var strs []string
		for _, b := range jsonBlock.FindAllStringSubmatch(page, -1) {
			var v any
			if err := json.Unmarshal([]byte(b[2]), &v); err != nil {
				t.Fatalf("chart %s: JSON block does not parse: %v", b[1], err)
			}
			collect(v, &strs)
			for _, bad := range []string{"</", "<!--", "\u2028"} {
				if strings.Contains(b[2], bad) {
					t.Errorf("chart %s: raw %q in the JSON block", b[1], bad)
				}
			}
		}
		have := map[string]bool{}
		for _, s := range strs {
			have[s] = true
		}
		// Sources are series names; seniorities are box plot categories.
		for _, p := range payloads {
			if !have[short(p)] && !have[withN(short(p), 4)] {
				t.Errorf("label %q did not come back from the JSON", short(p))
			}
		}
	})
	t.Run("tables hold the full text, escaped", func(t *testing.T) {
		for _, p := range payloads {
			if !strings.Contains(html.UnescapeString(page), "<td>"+p+"</td>") {
				t.Errorf("table cell for %q missing", p)
			}
		}
	})
	t.Run("function markers stay inside strings", func(t *testing.T) {
		// go-echarts' renderer would unquote "__f__…__f__" and merge the
		// halves; here each stays the string it was, in a JSON string.
		var strs []string
		for _, b := range jsonBlock.FindAllStringSubmatch(page, -1) {
			var v any
			if err := json.Unmarshal([]byte(b[2]), &v); err != nil {
				t.Fatal(err)
			}
			collect(v, &strs)
		}
		joined := strings.Join(strs, "\x00")
		for _, want := range []string{"__f__function(){window.__xss=4}__f__", "x__f__", "__f__window.__xss=5"} {
			if !strings.Contains(joined, short(want)) {
				t.Errorf("marker label %q not kept as a string", want)
			}
		}
	})
}

func collect(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		*out = append(*out, v)
	case []any:
		for _, e := range v {
			collect(e, out)
		}
	case map[string]any:
		for _, e := range v {
			collect(e, out)
		}
	}
}

func TestNaNNeverReachesTheEncoder(t *testing.T) {
	t.Run("zero over zero is a gap", func(t *testing.T) {
		if got := value(analyze.Ratio(0, 0), 100, 1); got != missing {
			t.Errorf("0/0 charted as %v", got)
		}
		if got := value(analyze.Num{V: math.NaN(), Valid: true}, 1, 0); got != missing {
			t.Errorf("a NaN that slipped through charted as %v", got)
		}
		if got := value(analyze.Num{V: math.Inf(1), Valid: true}, 1, 0); got != missing {
			t.Errorf("+Inf charted as %v", got)
		}
	})
	t.Run("an unencodable option is an error, not a blank chart", func(t *testing.T) {
		l := gecharts.NewLine()
		l.SetXAxis([]string{"a"}).AddSeries("s", []opts.LineData{{Value: math.NaN()}})
		if _, err := encode("nan", l); err == nil {
			t.Errorf("NaN encoded without error")
		}
	})
	t.Run("report of postings without any salary", func(t *testing.T) {
		in := []jobtrends.Posting{{Source: "x", Role: jobtrends.RoleMLEngineer, DatePosted: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
		dir := filepath.Join(t.TempDir(), "r")
		writeReport(t, dir, analyze.Build(in, nil, analyze.Options{}))
		page := string(readFile(t, filepath.Join(dir, "index.html")))
		if strings.Contains(page, "NaN") || strings.Contains(page, "Inf") {
			t.Errorf("NaN or Inf in the page")
		}
		if !strings.Contains(page, noSalary) {
			t.Errorf("no empty state for salaries")
		}
	})
}
