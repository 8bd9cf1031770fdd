package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/demo"
	"github.com/jobtrends/jobtrends/store"
)

// testApp runs commands with buffers and a fixed clock.
type testApp struct {
	*app
	out, errb *bytes.Buffer
}

func newTestApp(t testing.TB, transport http.RoundTripper) *testApp {
	t.Helper()
	out, errb := &bytes.Buffer{}, &bytes.Buffer{}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	a := &app{stdin: strings.NewReader(""), stdout: out, stderr: errb,
		now: func() time.Time { return now }, getenv: func(string) string { return "" }, transport: transport}
	return &testApp{app: a, out: out, errb: errb}
}

func (ta *testApp) exec(t testing.TB, args ...string) (int, error) {
	t.Helper()
	ta.out.Reset()
	ta.errb.Reset()
	err := ta.run(context.Background(), args)
	return exitCode(err, io.Discard), err
}

func TestMain(m *testing.M) {
	childMain() // exits when this binary was started as a child process
	// The report needs ECharts; point at the npm copy when the test runs
	// from a source tree where `npm ci` ran and nothing else provides it.
	if os.Getenv("JOBTRENDS_ECHARTS") == "" {
		if p, err := filepath.Abs("../../node_modules/echarts/dist/echarts.min.js"); err == nil {
			if _, err := os.Stat(p); err == nil {
				os.Setenv("JOBTRENDS_ECHARTS", p)
			}
		}
	}
	os.Exit(m.Run())
}

// hnTopLevelIDs counts, independently of the parser, the ids of top-level
// comments with text on a saved HN page: rows whose nesting (indent
// attribute or spacer width) is 0.
var (
	hnRowStartRE = regexp.MustCompile(`<tr class=['"]athing comtr[^'"]*['"]\s+id=['"](\d+)['"]`)
	hnIndentRE   = regexp.MustCompile(`indent=['"](\d+)['"]|<img src=['"]s\.gif['"] height=['"]1['"] width=['"](\d+)['"]`)
	hnTextRE     = regexp.MustCompile(`class=['"](?:commtext|c00)`)
	// A top-level row whose text is only a moderation marker is no posting.
	hnMarkerRE = regexp.MustCompile(`(?i)<span class=['"]commtext[^'"]*['"]>\s*\[(?:deleted|dead|flagged|removed|dupe)\]\s*</span>`)
)

func hnTopLevelIDs(body []byte) []string {
	var ids []string
	starts := hnRowStartRE.FindAllSubmatchIndex(body, -1)
	for i, m := range starts {
		end := len(body)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		row := body[m[0]:end]
		ind := hnIndentRE.FindSubmatch(row)
		if ind == nil {
			continue
		}
		if (len(ind[1]) > 0 && string(ind[1]) == "0") || (len(ind[2]) > 0 && string(ind[2]) == "0") {
			if hnTextRE.Match(row) && !hnMarkerRE.Match(row) {
				ids = append(ids, string(body[m[2]:m[3]]))
			}
		}
	}
	return ids
}

// skipHeavyUnderRace skips a test that parses thousands of real postings
// when the race detector (which makes the parser ~20× slower) is on: such
// tests run in the second, non-race pass of `make test`.
func skipHeavyUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("parses thousands of real postings: runs in the non-race pass of `make test` (HEAVY_TESTS in the Makefile)")
	}
}

func TestDemoEndToEnd(t *testing.T) {
	skipHeavyUnderRace(t)
	ta := newTestApp(t, nil)
	dir := t.TempDir()
	if code, err := ta.exec(t, "demo", "--out", dir); code != 0 {
		t.Fatalf("demo exit %d: %v\nstderr:\n%s", code, err, ta.errb)
	}
	index := filepath.Join(dir, "report", "index.html")
	if !strings.Contains(ta.out.String(), index) {
		t.Errorf("demo did not print the report path %s; printed:\n%s", index, ta.out)
	}
	html, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(html, []byte("cdn.jsdelivr")) || bytes.Contains(html, []byte("https://go-echarts")) {
		t.Error("report references a CDN")
	}
	if _, err := os.Stat(filepath.Join(dir, "report", "echarts.min.js")); err != nil {
		t.Errorf("ECharts not served next to the report: %v", err)
	}

	// Every top-level comment of every bundled HN page is one posting,
	// counted independently of the parser.
	pages, err := demo.Pages()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	wantAPI := map[string]int{} // source → jobs in its responses
	for _, p := range pages {
		switch {
		case strings.Contains(p.URL, "news.ycombinator.com"):
			for _, id := range hnTopLevelIDs(p.Body) {
				want[id] = true
			}
		case strings.Contains(p.URL, "greenhouse.io"):
			wantAPI["greenhouse"] += countJSONJobs(t, p.Body, "jobs")
		case strings.Contains(p.URL, "lever.co"):
			wantAPI["lever"] += countJSONJobs(t, p.Body, "")
		case strings.Contains(p.URL, "ashbyhq.com"):
			wantAPI["ashby-api"] += countJSONJobs(t, p.Body, "jobs")
		}
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "jobtrends.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := map[string]int{}
	years := map[int]int{}
	perSource := map[string]int{}
	var withSalary, indeed, imported int
	err = st.Postings(context.Background(), func(p *jobtrends.Posting) error {
		perSource[p.Source]++
		if p.Source == "hn" && p.Origin != "" {
			imported++
			years[p.DatePosted.Year()]++
			return nil
		}
		if p.Source == "hn" {
			got[p.ExternalID]++
			years[p.DatePosted.Year()]++
			if p.Company == "" || p.Description == "" || p.DatePosted.IsZero() {
				t.Errorf("hn posting %s lacks company, text or date: %+v", p.ExternalID, p)
			}
		} else if p.Source == "indeed-au" {
			indeed++
		}
		if p.Salary != nil && p.Salary.AnnualMinUSD != nil {
			withSalary++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 1000 {
		t.Fatalf("independent count found only %d top-level comments: the test's regexp is broken", len(want))
	}
	for id := range want {
		if got[id] != 1 {
			t.Errorf("top-level comment %s stored %d times, want 1", id, got[id])
		}
	}
	if len(got) != len(want) {
		t.Errorf("stored %d HN postings, want %d (one per top-level comment)", len(got), len(want))
	}
	for src, n := range wantAPI {
		if perSource[src] != n {
			t.Errorf("source %s stored %d postings, want %d (jobs in its API responses)", src, perSource[src], n)
		}
	}
	if imported < 1000 {
		t.Errorf("only %d postings imported from the bundled HN dumps", imported)
	}
	for y := 2013; y <= 2026; y++ {
		if years[y] == 0 {
			t.Errorf("no postings dated %d: the demo must show a trend over years", y)
		}
	}
	if indeed != 1 {
		t.Errorf("JSON-LD page gave %d postings, want 1", indeed)
	}
	if withSalary < 50 {
		t.Errorf("only %d postings have an annual USD salary", withSalary)
	}

	// A second crawl of the same pages creates no duplicates and updates
	// last_seen only.
	cfg, err := ParseConfig("demo", demo.Config())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = filepath.Join(dir, "jobtrends.db")
	transport, err := demoTransport()
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	ta2 := newTestApp(t, transport)
	ta2.now = func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	ta2.logFormat, ta2.logLevel = "text", "warn"
	if err := ta2.setupLog(); err != nil {
		t.Fatal(err)
	}
	if err := ta2.withStore(context.Background(), cfg.Database, true, func(st *store.Store) error {
		return ta2.scrape(context.Background(), cfg, st, transport)
	}); err != nil {
		t.Fatalf("second scrape: %v\n%s", err, ta2.errb)
	}
	st2, err := store.Open(context.Background(), cfg.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	runs, err := st2.Runs(context.Background(), 10)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs = %d, %v; want 2", len(runs), err)
	}
	for _, s := range runs[0].Sources {
		if s.New != 0 {
			t.Errorf("second run: source %s has %d new postings, want 0", s.Source, s.New)
		}
	}
	n, stale := 0, 0
	st2.Postings(context.Background(), func(p *jobtrends.Posting) error {
		n++
		if p.Origin == "" && !p.LastSeen.After(p.FirstSeen) { // imported history was not crawled again
			stale++
		}
		return nil
	})
	if stale > 0 {
		t.Errorf("%d crawled postings kept last_seen = first_seen after the second run", stale)
	}
	total := 0
	for _, c := range perSource {
		total += c
	}
	if n != total {
		t.Errorf("after the second run %d postings, want %d", n, total)
	}

	// export writes them all, in both formats.
	cfgFile := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfgFile, []byte(strings.Replace(string(demo.Config()), "database: jobtrends.db", "database: "+cfg.Database, 1)), 0o644)
	if code, err := ta.exec(t, "export", "--config", cfgFile, "--format", "jsonl"); code != 0 {
		t.Fatalf("export: %v", err)
	}
	lines := strings.Count(ta.out.String(), "\n")
	if lines != n {
		t.Errorf("export jsonl wrote %d lines, want %d", lines, n)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(ta.out.String(), "\n", 2)[0]), &rec); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"source", "url", "external_id", "title", "company", "location", "country", "remote", "employment_type", "date_posted", "salary", "role", "seniority", "skills", "first_seen", "last_seen"} {
		if _, ok := rec[k]; !ok {
			t.Errorf("export record lacks %q", k)
		}
	}
	csvOut := filepath.Join(dir, "p.csv")
	if code, err := ta.exec(t, "export", "--config", cfgFile, "--format", "csv", "--out", csvOut); code != 0 {
		t.Fatalf("export csv: %v", err)
	}
	b, _ := os.ReadFile(csvOut)
	if got := strings.Count(string(b), "\n"); got < n+1 {
		t.Errorf("csv has %d lines, want at least %d", got, n+1)
	}
}

// countJSONJobs counts the job objects of an API response: the array at
// key (or the top-level array when key is "").
func countJSONJobs(t testing.TB, body []byte, key string) int {
	t.Helper()
	if key == "" {
		var arr []json.RawMessage
		if err := json.Unmarshal(body, &arr); err != nil {
			t.Fatal(err)
		}
		return len(arr)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatal(err)
	}
	var arr []json.RawMessage
	json.Unmarshal(obj[key], &arr)
	return len(arr)
}

func TestSalaryCommand(t *testing.T) {
	ta := newTestApp(t, nil)
	tests := []struct {
		text string
		want string // min,max,currency,period
	}{
		{"$170-225K + equity", "170000,225000,USD,year"},
		{"£40,000 pa", "40000,40000,GBP,year"},
		{"Up to $90,000", "null,90000,USD,year"},
		{"From $40 an hour", "40,null,USD,hour"},
		{"401(k) match", "null,null,null,null"},
		{"Competitive", "null,null,null,null"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if code, err := ta.exec(t, "salary", tc.text); code != 0 {
				t.Fatalf("exit %d: %v", code, err)
			}
			var r struct {
				Text     string   `json:"text"`
				Min      *float64 `json:"min"`
				Max      *float64 `json:"max"`
				Currency *string  `json:"currency"`
				Period   *string  `json:"period"`
			}
			dec := json.NewDecoder(ta.out)
			var raw map[string]json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"text", "min", "max", "currency", "period"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("output lacks %q", k)
				}
			}
			b, _ := json.Marshal(raw)
			json.Unmarshal(b, &r)
			got := strings.Join([]string{f(r.Min), f(r.Max), s(r.Currency), s(r.Period)}, ",")
			if got != tc.want || r.Text != tc.text {
				t.Errorf("salary %q = %s (text %q), want %s", tc.text, got, r.Text, tc.want)
			}
		})
	}
	// One text per stdin line.
	ta.stdin = strings.NewReader("$100k\nno pay here\n€55.000 – €65.000 brutto/Jahr\n")
	if code, err := ta.exec(t, "salary"); code != 0 {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(ta.out)
	var n int
	for sc.Scan() {
		n++
	}
	if n != 3 {
		t.Errorf("stdin: %d outputs, want 3", n)
	}
}

func f(p *float64) string {
	if p == nil {
		return "null"
	}
	b, _ := json.Marshal(*p)
	return string(b)
}

func s(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("sources: []\ncrawl:\n  dealy: 2s\n"), 0o644)
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("database: "+filepath.Join(dir, "x.db")+"\nsources:\n  - {name: a, type: hn, start_urls: [\"https://news.ycombinator.com/item?id=1\"]}\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", nil, 2, "no command"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"scrape", "--bogus"}, 2, "flag provided but not defined"},
		{"bad config", []string{"scrape", "--config", bad}, 2, bad + ":3: crawl.dealy: unknown key"},
		{"missing config", []string{"report", "--config", filepath.Join(dir, "none.yaml")}, 2, "no such file"},
		{"help", []string{"--help"}, 0, ""},
		{"command help", []string{"extract", "--help"}, 0, ""},
		{"extract without files", []string{"extract"}, 2, "no FILE"},
		{"bad export format", []string{"export", "--format", "xml"}, 2, "want csv or jsonl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t, nil)
			code, err := ta.exec(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (err %v)", code, tc.code, err)
			}
			if tc.msg != "" && (err == nil || !strings.Contains(err.Error(), tc.msg)) {
				t.Errorf("error %v does not contain %q", err, tc.msg)
			}
		})
	}

	t.Run("locked", func(t *testing.T) {
		unlock, err := store.Lock(filepath.Join(dir, "x.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		ta := newTestApp(t, nil)
		start := time.Now()
		code, err := ta.exec(t, "scrape", "--config", good)
		if code != 75 || !errors.Is(err, store.ErrLocked) {
			t.Errorf("exit %d (%v), want 75", code, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("locked run took %v to give up, want < 1s", d)
		}
		if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
			t.Error("the locked run created the database")
		}
	})
}

// TestExtractAshby is the acceptance check on the real Ashby job
// pages: title, company, date, location and salary exactly as the page's
// JSON-LD states them, annualized in USD, and null where there is none.
func TestExtractAshby(t *testing.T) {
	corpus := os.Getenv("JOBTRENDS_CORPUS")
	if corpus == "" {
		t.Skip("JOBTRENDS_CORPUS is not set: the real Ashby pages (copy=no) are read from the corpus at run time")
	}
	files, _ := filepath.Glob(filepath.Join(corpus, "pages/ashby/ashby_openai_*-*-*-*-*.html"))
	if len(files) < 20 {
		t.Fatalf("found %d Ashby job pages in %s", len(files), corpus)
	}
	ldRE := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	var withPay, without int
	for _, file := range files {
		id := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(file), "ashby_openai_"), ".html")
		t.Run(id, func(t *testing.T) {
			body, _ := os.ReadFile(file)
			m := ldRE.FindSubmatch(body)
			var ld struct {
				Title              string          `json:"title"`
				DatePosted         string          `json:"datePosted"`
				JobLocation        json.RawMessage `json:"jobLocation"`
				HiringOrganization struct {
					Name string `json:"name"`
				} `json:"hiringOrganization"`
				BaseSalary *struct {
					Currency string `json:"currency"`
					Value    struct {
						MinValue float64 `json:"minValue"`
						MaxValue float64 `json:"maxValue"`
						UnitText string  `json:"unitText"`
					} `json:"value"`
				} `json:"baseSalary"`
			}
			if m != nil {
				if err := json.Unmarshal(m[1], &ld); err != nil {
					t.Fatalf("independent JSON-LD read: %v", err)
				}
			}
			ta := newTestApp(t, nil)
			if code, err := ta.exec(t, "extract", "--url", "https://jobs.ashbyhq.com/openai/"+id, file); code != 0 {
				t.Fatalf("exit %d: %v", code, err)
			}
			out := strings.TrimSpace(ta.out.String())
			if m == nil {
				if out != "" {
					t.Errorf("page without JSON-LD gave postings: %s", out)
				}
				return
			}
			var r record
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("output %q: %v", out, err)
			}
			if r.Title != strings.TrimSpace(ld.Title) || r.Company != ld.HiringOrganization.Name || r.ExternalID != id {
				t.Errorf("got title %q company %q id %q; JSON-LD says %q, %q", r.Title, r.Company, r.ExternalID, ld.Title, ld.HiringOrganization.Name)
			}
			if r.DatePosted != ld.DatePosted[:10] {
				t.Errorf("date_posted %q, JSON-LD %q", r.DatePosted, ld.DatePosted)
			}
			type place struct {
				Address struct {
					Locality string `json:"addressLocality"`
				} `json:"address"`
			}
			var places []place
			if json.Unmarshal(ld.JobLocation, &places) != nil {
				var one place
				json.Unmarshal(ld.JobLocation, &one)
				places = []place{one}
			}
			for _, pl := range places {
				if pl.Address.Locality != "" && !strings.Contains(r.Location, pl.Address.Locality) {
					t.Errorf("location %q lacks JSON-LD locality %q", r.Location, pl.Address.Locality)
				}
			}
			if ld.BaseSalary == nil {
				without++
				if r.Salary != nil {
					t.Errorf("salary %+v on a page without baseSalary", r.Salary)
				}
				return
			}
			withPay++
			sal := r.Salary
			if sal == nil || sal.Min == nil || sal.Max == nil {
				t.Fatalf("salary %+v, JSON-LD %+v", sal, ld.BaseSalary)
			}
			if *sal.Min != ld.BaseSalary.Value.MinValue || *sal.Max != ld.BaseSalary.Value.MaxValue || sal.Currency != ld.BaseSalary.Currency {
				t.Errorf("salary %v-%v %s, JSON-LD %v-%v %s", *sal.Min, *sal.Max, sal.Currency, ld.BaseSalary.Value.MinValue, ld.BaseSalary.Value.MaxValue, ld.BaseSalary.Currency)
			}
			if sal.Provenance != string(jobtrends.ProvenanceStructured) {
				t.Errorf("provenance %q", sal.Provenance)
			}
			if ld.BaseSalary.Currency == "USD" && strings.EqualFold(ld.BaseSalary.Value.UnitText, "YEAR") &&
				(sal.AnnualMinUSD == nil || *sal.AnnualMinUSD != ld.BaseSalary.Value.MinValue || *sal.AnnualMaxUSD != ld.BaseSalary.Value.MaxValue) {
				t.Errorf("annual USD %v-%v, want %v-%v", sal.AnnualMinUSD, sal.AnnualMaxUSD, ld.BaseSalary.Value.MinValue, ld.BaseSalary.Value.MaxValue)
			}
		})
	}
	t.Logf("%d Ashby pages with baseSalary, %d without", withPay, without)
	if withPay == 0 || without == 0 {
		t.Errorf("expected pages both with and without pay: %d with, %d without", withPay, without)
	}
}

// TestExtractHN: extract on saved thread pages gives one posting per
// top-level comment, each with company, date and text.
func TestExtractHN(t *testing.T) {
	skipHeavyUnderRace(t)
	pages, err := demo.Pages()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	checked := 0
	for _, p := range pages {
		if !strings.Contains(p.URL, "news.ycombinator.com") || strings.Contains(p.URL, "&p=") {
			continue
		}
		file := filepath.Join(dir, "page.html")
		os.WriteFile(file, p.Body, 0o644)
		ta := newTestApp(t, nil)
		if code, err := ta.exec(t, "extract", "--url", p.URL, file); code != 0 {
			t.Fatalf("%s: exit %d: %v", p.URL, code, err)
		}
		want := hnTopLevelIDs(p.Body)
		var got []string
		sc := bufio.NewScanner(ta.out)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if r.Company == "" || r.DatePosted == "" || r.Source != "hn" {
				t.Errorf("%s: comment %s lacks company/date: %+v", p.URL, r.ExternalID, r)
			}
			got = append(got, r.ExternalID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %d postings, want %d top-level comments in page order", p.URL, len(got), len(want))
		}
		// Without --url the page's own content identifies it.
		ta2 := newTestApp(t, nil)
		if code, err := ta2.exec(t, "extract", file); code != 0 || strings.Count(ta2.out.String(), "\n") != len(want) {
			t.Errorf("%s without --url: exit %d (%v), %d lines, want %d", p.URL, code, err, strings.Count(ta2.out.String(), "\n"), len(want))
		}
		checked++
	}
	if checked < 8 {
		t.Errorf("checked %d threads, want 8", checked)
	}
}
