package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// apiFetched is the fetch time the API tests pass in.
var apiFetched = time.Date(2026, 8, 22, 4, 0, 0, 0, time.UTC)

// apiCase is one real API response of testdata/api and the URL it is
// served from.
type apiCase struct {
	file string
	url  string
	kind string
}

var apiCases = []apiCase{
	{"gh_atspolling_smarterdx_api_sample.json", "https://boards-api.greenhouse.io/v1/boards/smarterdx/jobs?content=true", KindGreenhouse},
	{"gh_techsalaryradar_gitlab_api_sample.json", "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true", KindGreenhouse},
	{"gh_techjobshub_catawiki_content_2025-10-26.json.gz", "https://boards-api.greenhouse.io/v1/boards/catawiki/jobs?content=true", KindGreenhouse},
	{"gh_techjobshub_airbnb_list.json.gz", "https://boards-api.greenhouse.io/v1/boards/airbnb/jobs", KindGreenhouse},
	{"gh_techjobshub_cloudflare_list.json.gz", "https://boards-api.greenhouse.io/v1/boards/cloudflare/jobs", KindGreenhouse},
	{"gh_techjobshub_dropbox_list.json.gz", "https://boards-api.greenhouse.io/v1/boards/dropbox/jobs", KindGreenhouse},
	{"gh_techjobshub_gitlab_list.json.gz", "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs", KindGreenhouse},
	{"gh_techjobshub_twitch_list.json.gz", "https://boards-api.greenhouse.io/v1/boards/twitch/jobs", KindGreenhouse},
	{"lever_atspolling_palantir_api_sample.json", "https://api.lever.co/v0/postings/palantir?mode=json", KindLever},
	{"lever_techsalaryradar_matchgroup_api_sample.json", "https://api.lever.co/v0/postings/matchgroup?mode=json", KindLever},
	{"ashby_atspolling_openevidence_api_sample.json", "https://api.ashbyhq.com/posting-api/job-board/openevidence?includeCompensation=true", KindAshbyAPI},
	{"ashby_techsalaryradar_linear_api_sample.json", "https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true", KindAshbyAPI},
}

// apiReadTestdata reads a file under testdata, gunzipping a .gz one.
func apiReadTestdata(tb testing.TB, path string) []byte {
	tb.Helper()
	return readPage(tb, filepath.Join("testdata", path))
}

// apiMarkupInText finds a "<" followed by a letter or "/": what is left of a
// tag in a text that should be plain.
var apiMarkupInText = regexp.MustCompile(`</?[A-Za-z]`)

// apiRawJob is one job of a raw API response, read independently of the
// parsers with encoding/json.
type apiRawJob struct {
	id, title, url string
	date           time.Time
	// structured pay as the response states it: amounts already in units.
	payMin, payMax float64
	payCurrency    string
	hasPay         bool
	hasText        bool // the response carries a description
}

// apiRawJobs reads the jobs of a raw response the way its documentation
// describes them.
func apiRawJobs(tb testing.TB, kind string, body []byte) []apiRawJob {
	tb.Helper()
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	var list []any
	switch t := v.(type) {
	case []any:
		list = t
	case map[string]any:
		list, _ = t["jobs"].([]any)
	}
	num := func(x any) (float64, bool) {
		n, ok := x.(json.Number)
		if !ok {
			return 0, false
		}
		f, err := n.Float64()
		return f, err == nil
	}
	str := func(x any) string {
		switch t := x.(type) {
		case string:
			return t
		case json.Number:
			return t.String()
		}
		return ""
	}
	var out []apiRawJob
	for _, item := range list {
		o := item.(map[string]any)
		var j apiRawJob
		switch kind {
		case KindGreenhouse:
			j.id, j.title, j.url = str(o["id"]), str(o["title"]), str(o["absolute_url"])
			ds := str(o["first_published"])
			if ds == "" {
				ds = str(o["updated_at"])
			}
			j.date, _ = time.Parse(time.RFC3339, ds)
			j.hasText = str(o["content"]) != ""
			ranges, _ := o["pay_input_ranges"].([]any)
			for _, r := range ranges {
				rm := r.(map[string]any)
				lo, ok1 := num(rm["min_cents"])
				hi, ok2 := num(rm["max_cents"])
				if ok1 && ok2 && hi > 0 {
					if !j.hasPay || lo/100 < j.payMin {
						j.payMin = lo / 100
					}
					j.payMax = math.Max(j.payMax, hi/100)
					j.payCurrency, j.hasPay = str(rm["currency_type"]), true
				}
			}
		case KindLever:
			j.id, j.title, j.url = str(o["id"]), str(o["text"]), str(o["hostedUrl"])
			if ms, ok := num(o["createdAt"]); ok {
				j.date = time.UnixMilli(int64(ms))
			}
			j.hasText = str(o["description"]) != "" || str(o["descriptionPlain"]) != ""
			if sr, ok := o["salaryRange"].(map[string]any); ok {
				lo, ok1 := num(sr["min"])
				hi, ok2 := num(sr["max"])
				if ok1 && ok2 && hi > 0 {
					j.payMin, j.payMax, j.payCurrency, j.hasPay = lo, hi, str(sr["currency"]), true
				}
			}
		case KindAshbyAPI:
			if listed, ok := o["isListed"].(bool); ok && !listed {
				continue
			}
			j.id, j.title, j.url = str(o["id"]), str(o["title"]), str(o["jobUrl"])
			j.date, _ = time.Parse(time.RFC3339, str(o["publishedAt"]))
			j.hasText = str(o["descriptionHtml"]) != "" || str(o["descriptionPlain"]) != ""
			comp, _ := o["compensation"].(map[string]any)
			comps, _ := comp["summaryComponents"].([]any)
			for _, c := range comps {
				cm := c.(map[string]any)
				if str(cm["compensationType"]) != "Salary" {
					continue
				}
				lo, ok1 := num(cm["minValue"])
				hi, ok2 := num(cm["maxValue"])
				if ok1 && ok2 && hi > 0 {
					j.payMin, j.payMax, j.payCurrency, j.hasPay = lo, hi, str(cm["currencyCode"]), true
				}
			}
		}
		out = append(out, j)
	}
	return out
}

// TestAPICorpus parses every real API response of testdata/api and checks
// each posting against the job read independently from the raw JSON.
func TestAPICorpus(t *testing.T) {
	for _, tc := range apiCases {
		t.Run(tc.file, func(t *testing.T) {
			body := apiReadTestdata(t, filepath.Join("api", tc.file))
			res, ok, err := ExtractAPI(tc.url, body, apiFetched)
			if !ok {
				t.Fatalf("ExtractAPI(%s): not recognized as an API", tc.url)
			}
			if err != nil {
				t.Fatalf("ExtractAPI: %v", err)
			}
			if res.Kind != tc.kind {
				t.Errorf("Kind = %q, want %q", res.Kind, tc.kind)
			}
			want := apiRawJobs(t, tc.kind, body)
			if len(want) == 0 {
				t.Fatal("the response holds no job: wrong test file")
			}
			if len(res.Postings) != len(want) {
				t.Fatalf("%d postings, the JSON has %d jobs", len(res.Postings), len(want))
			}
			if len(res.ItemIDs) != len(want) {
				t.Errorf("%d ItemIDs, want %d", len(res.ItemIDs), len(want))
			}
			byID := map[string]jobtrends.Posting{}
			for _, p := range res.Postings {
				byID[p.ExternalID] = p
			}
			withPay := 0
			for _, w := range want {
				p, found := byID[w.id]
				if !found {
					t.Errorf("job %s: no posting", w.id)
					continue
				}
				checkAPIPosting(t, tc, w, p)
				if p.Salary != nil {
					withPay++
				}
			}
			t.Logf("%d postings, %d with a salary", len(res.Postings), withPay)
			// The golden file leaves salaries out: structured ones are
			// checked above against the JSON, text ones are ParseSalary's
			// output, which salary.go's own tests pin down.
			compareGolden(t, "api_"+strings.TrimSuffix(strings.TrimSuffix(tc.file, ".gz"), ".json"), goldenLines(t, res, len(res.Postings), 200, false))
		})
	}
}

// checkAPIPosting compares one posting with its raw job.
func checkAPIPosting(t *testing.T, tc apiCase, w apiRawJob, p jobtrends.Posting) {
	t.Helper()
	wantType := map[string]string{KindGreenhouse: SourceTypeGreenhouse, KindLever: SourceTypeLever, KindAshbyAPI: SourceTypeAshby}[tc.kind]
	if p.SourceType != wantType {
		t.Errorf("%s: SourceType %q, want %q", w.id, p.SourceType, wantType)
	}
	if p.Title != strings.Join(strings.Fields(w.title), " ") {
		t.Errorf("%s: Title %q, want %q", w.id, p.Title, w.title)
	}
	if !apiSameURL(p.URL, w.url) {
		t.Errorf("%s: URL %q, want %q", w.id, p.URL, w.url)
	}
	if p.Company == "" {
		t.Errorf("%s: no Company", w.id)
	}
	if !p.DatePosted.Equal(w.date) {
		t.Errorf("%s: DatePosted %v, want %v", w.id, p.DatePosted, w.date)
	}
	if !p.FirstSeen.Equal(apiFetched) || !p.LastSeen.Equal(apiFetched) {
		t.Errorf("%s: FirstSeen/LastSeen %v/%v, want %v", w.id, p.FirstSeen, p.LastSeen, apiFetched)
	}
	if p.Remote == "" {
		t.Errorf("%s: Remote empty, want a Remote value", w.id)
	}
	if loc := apiMarkupInText.FindString(p.Description); loc != "" {
		i := strings.Index(p.Description, loc)
		t.Errorf("%s: markup in Description: %q", w.id, p.Description[max(0, i-40):min(len(p.Description), i+40)])
	}
	if w.hasText && p.Description == "" {
		t.Errorf("%s: no Description, the JSON has one", w.id)
	}
	if !w.hasText && p.Description != "" {
		t.Errorf("%s: Description %q from a job without one", w.id, p.Description)
	}
	s := p.Salary
	apiCheckNoZeroPay(t, w.id, s)
	switch {
	case w.hasPay:
		if s == nil {
			t.Errorf("%s: no Salary, the JSON states %v–%v %s", w.id, w.payMin, w.payMax, w.payCurrency)
			return
		}
		if s.Provenance != jobtrends.ProvenanceStructured {
			t.Errorf("%s: Provenance %q, want %q", w.id, s.Provenance, jobtrends.ProvenanceStructured)
		}
		if s.Min == nil || *s.Min != w.payMin || s.Max == nil || *s.Max != w.payMax || s.Currency != w.payCurrency {
			t.Errorf("%s: Salary %s, the JSON states %v–%v %s", w.id, FormatSalary(s), w.payMin, w.payMax, w.payCurrency)
		}
	case !w.hasText:
		if s != nil {
			t.Errorf("%s: Salary %s from a job with neither pay nor description", w.id, FormatSalary(s))
		}
	case s != nil:
		// Pay found in the employer's text: it must be quoted from it.
		if s.Provenance != jobtrends.ProvenanceText {
			t.Errorf("%s: Provenance %q, want %q", w.id, s.Provenance, jobtrends.ProvenanceText)
		}
		if s.Raw == "" || !strings.Contains(p.Description, s.Raw) {
			t.Errorf("%s: Salary.Raw %q is not in the description", w.id, s.Raw)
		}
	}
}

// apiCheckNoZeroPay fails on a salary without an amount or with a zero one.
func apiCheckNoZeroPay(t *testing.T, id string, s *jobtrends.Salary) {
	t.Helper()
	if s == nil {
		return
	}
	if s.Min == nil && s.Max == nil {
		t.Errorf("%s: Salary without an amount: %+v", id, s)
	}
	for _, v := range []*float64{s.Min, s.Max} {
		if v != nil && *v <= 0 {
			t.Errorf("%s: Salary amount %v (zero means not stated)", id, *v)
		}
	}
}

// apiSameURL compares two URLs by scheme, host, path and query parameters.
func apiSameURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return strings.EqualFold(ua.Host, ub.Host) && ua.Path == ub.Path && ua.Query().Encode() == ub.Query().Encode()
}

// TestExtractAPIDispatch checks which URLs ExtractAPI takes and which
// parser it hands them to.
func TestExtractAPIDispatch(t *testing.T) {
	tests := []struct {
		name, url string
		ok        bool
		kind      string
	}{
		{"greenhouse list", "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true", true, KindGreenhouse},
		{"greenhouse one job", "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs/8503792002", true, KindGreenhouse},
		{"greenhouse eu", "https://boards-api.eu.greenhouse.io/v1/boards/catawiki/jobs", true, KindGreenhouse},
		{"greenhouse offices endpoint", "https://boards-api.greenhouse.io/v1/boards/gitlab/offices", false, ""},
		{"greenhouse hosted board page", "https://job-boards.greenhouse.io/gitlab/jobs/8503792002", false, ""},
		{"lever", "https://api.lever.co/v0/postings/palantir?mode=json", true, KindLever},
		{"lever eu", "https://api.eu.lever.co/v0/postings/palantir?mode=json&skip=100", true, KindLever},
		{"lever hosted page", "https://jobs.lever.co/palantir/ac978161-6f46-4f6b-ad9e-a258e642751c", false, ""},
		{"ashby", "https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true", true, KindAshbyAPI},
		{"ashby hosted board", "https://jobs.ashbyhq.com/linear", false, ""},
		{"hn", "https://news.ycombinator.com/item?id=46466074", false, ""},
		{"not a url", "%%%", false, ""},
	}
	body := []byte(`{"jobs": []}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := body
			if tt.kind == KindLever {
				b = []byte(`[]`)
			}
			res, ok, err := ExtractAPI(tt.url, b, apiFetched)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				if res != nil || err != nil {
					t.Errorf("not an API URL: got %v, %v; want nil, nil", res, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind != tt.kind || len(res.Postings) != 0 {
				t.Errorf("Kind %q with %d postings, want %q with none", res.Kind, len(res.Postings), tt.kind)
			}
		})
	}
}

// TestAPIErrors checks that a response that is not what the URL says is
// an error naming the URL, and that one bad job does not lose the others.
func TestAPIErrors(t *testing.T) {
	smarter := apiReadTestdata(t, "api/gh_atspolling_smarterdx_api_sample.json")
	palantir := apiReadTestdata(t, "api/lever_atspolling_palantir_api_sample.json")
	linear := apiReadTestdata(t, "api/ashby_techsalaryradar_linear_api_sample.json")
	tests := []struct {
		name      string
		url       string
		body      []byte
		postings  int
		field     string // of the *ParseError; "" for no error
		errSubstr string
	}{
		{"greenhouse html page", apiCases[0].url, []byte("<html><body>Not found</body></html>"), 0, "jobs", "invalid json"},
		{"greenhouse object without jobs", apiCases[0].url, []byte(`{"error":"board not found"}`), 0, "jobs", "missing"},
		{"greenhouse truncated", apiCases[0].url, smarter[:len(smarter)/2], 0, "jobs", "invalid json"},
		{"greenhouse job without title", apiCases[0].url, apiDropKey(t, smarter, "jobs", 0, "title"), 1, "title", "missing"},
		{"greenhouse single job", "https://boards-api.greenhouse.io/v1/boards/smarterdx/jobs/5193736007", apiFirstOf(t, smarter, "jobs"), 1, "", ""},
		{"lever html page", apiCases[8].url, []byte("<!doctype html><p>Too many requests"), 0, "postings", "invalid json"},
		{"lever error object", apiCases[8].url, []byte(`{"ok":false,"error":"Document not found"}`), 0, "postings", "missing"},
		{"lever posting without id", apiCases[8].url, apiDropKey(t, palantir, "", 1, "id"), 1, "id", "missing"},
		{"lever single posting", "https://api.lever.co/v0/postings/palantir/ac978161-6f46-4f6b-ad9e-a258e642751c", apiFirstOf(t, palantir, ""), 1, "", ""},
		{"ashby not json", apiCases[10].url, []byte("Bad Gateway"), 0, "json", "invalid"},
		{"ashby without jobs", apiCases[10].url, []byte(`{"apiVersion":"1"}`), 0, "jobs", "missing"},
		{"ashby job without title", apiCases[10].url, apiDropKey(t, linear, "jobs", 1, "title"), 1, "title", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, ok, err := ExtractAPI(tt.url, tt.body, apiFetched)
			if !ok || res == nil {
				t.Fatalf("ExtractAPI: ok=%v res=%v", ok, res)
			}
			if len(res.Postings) != tt.postings {
				t.Errorf("%d postings, want %d", len(res.Postings), tt.postings)
			}
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *ParseError", err)
			}
			if pe.Field != tt.field || pe.URL != tt.url || !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("error %q (field %q), want field %q, URL %s and %q", err, pe.Field, tt.field, tt.url, tt.errSubstr)
			}
		})
	}
}

// apiDropKey returns body with key removed from element i of the list at
// listKey ("" for a top-level array).
func apiDropKey(tb testing.TB, body []byte, listKey string, i int, key string) []byte {
	tb.Helper()
	var top any
	if err := json.Unmarshal(body, &top); err != nil {
		tb.Fatal(err)
	}
	list, _ := top.([]any)
	if listKey != "" {
		list = top.(map[string]any)[listKey].([]any)
	}
	delete(list[i].(map[string]any), key)
	b, err := json.Marshal(top)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// apiFirstOf returns the first element of the list at listKey as JSON.
func apiFirstOf(tb testing.TB, body []byte, listKey string) []byte {
	tb.Helper()
	var top any
	if err := json.Unmarshal(body, &top); err != nil {
		tb.Fatal(err)
	}
	list, _ := top.([]any)
	if listKey != "" {
		list = top.(map[string]any)[listKey].([]any)
	}
	b, err := json.Marshal(list[0])
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// apiWithKey returns body with element i of the list at listKey given key =
// the JSON value v.
func apiWithKey(tb testing.TB, body []byte, listKey string, i int, key, v string) []byte {
	tb.Helper()
	var top any
	if err := json.Unmarshal(body, &top); err != nil {
		tb.Fatal(err)
	}
	list, _ := top.([]any)
	if listKey != "" {
		list = top.(map[string]any)[listKey].([]any)
	}
	var val any
	if err := json.Unmarshal([]byte(v), &val); err != nil {
		tb.Fatal(err)
	}
	list[i].(map[string]any)[key] = val
	b, err := json.Marshal(top)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestGreenhousePayInputRanges covers pay_input_ranges, which no response
// of the corpus carries: a real job of the corpus is given the field in
// the shape the Greenhouse Job Board API documents (amounts in cents, one
// range per pay zone; LANDSCAPE §5.2).
func TestGreenhousePayInputRanges(t *testing.T) {
	body := apiReadTestdata(t, "api/gh_techsalaryradar_gitlab_api_sample.json")
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		ranges   string
		min, max *float64
		currency string
		period   jobtrends.Period
		ranges_  int
		flag     string
	}{
		{"one zone", `[{"min_cents":10840000,"max_cents":12960000,"currency_type":"USD","title":"United States Salary Range","blurb":""}]`,
			f(108400), f(129600), "USD", "", 0, ""},
		{"two zones", `[{"min_cents":10840000,"max_cents":12960000,"currency_type":"USD","title":"Zone 1"},{"min_cents":9750000,"max_cents":11660000,"currency_type":"USD","title":"Zone 2"}]`,
			f(97500), f(129600), "USD", "", 2, ""},
		{"hourly zone", `[{"min_cents":3462,"max_cents":4000,"currency_type":"USD","title":"Hourly pay range"}]`,
			f(34.62), f(40), "USD", jobtrends.PeriodHour, 0, ""},
		{"two currencies", `[{"min_cents":10840000,"max_cents":12960000,"currency_type":"USD","title":"US"},{"min_cents":8000000,"max_cents":9000000,"currency_type":"EUR","title":"EU"}]`,
			f(108400), f(129600), "USD", "", 2, "mixed_currency"},
		{"zeros are not pay", `[{"min_cents":0,"max_cents":0,"currency_type":"USD","title":"Zone 1"}]`, nil, nil, "", "", 0, ""},
		{"empty list", `[]`, nil, nil, "", "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := apiWithKey(t, body, "jobs", 0, "pay_input_ranges", tt.ranges)
			res, err := GreenhouseJobs(b, apiCases[1].url, apiFetched)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Postings[0].Salary
			if tt.min == nil && tt.max == nil {
				// No pay zone with an amount: the description is read
				// instead, and this job's description states no pay.
				if s != nil && s.Provenance == jobtrends.ProvenanceStructured {
					t.Errorf("Salary %s from pay ranges without an amount", FormatSalary(s))
				}
				return
			}
			if s == nil {
				t.Fatal("no Salary")
			}
			if s.Provenance != jobtrends.ProvenanceStructured {
				t.Errorf("Provenance %q", s.Provenance)
			}
			if !apiEqPtr(s.Min, tt.min) || !apiEqPtr(s.Max, tt.max) || s.Currency != tt.currency || s.Period != tt.period {
				t.Errorf("Salary %s %s/%s, want %v–%v %s/%s", FormatSalary(s), s.Currency, s.Period, *tt.min, *tt.max, tt.currency, tt.period)
			}
			if len(s.Ranges) != tt.ranges_ {
				t.Errorf("%d Ranges, want %d", len(s.Ranges), tt.ranges_)
			}
			if tt.flag != "" && !s.HasFlag(tt.flag) {
				t.Errorf("flags %v, want %q", s.Flags, tt.flag)
			}
			if !json.Valid([]byte(s.Raw)) {
				t.Errorf("Raw %q is not the JSON it came from", s.Raw)
			}
		})
	}
}

func apiEqPtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 1e-9
}

// TestGreenhouseContentSalary checks pay stated in the entity-escaped
// content HTML of a real job: the range is read from the text, not the
// markup.
func TestGreenhouseContentSalary(t *testing.T) {
	body := apiReadTestdata(t, "api/gh_techsalaryradar_gitlab_api_sample.json")
	res, err := GreenhouseJobs(body, apiCases[1].url, apiFetched)
	if err != nil {
		t.Fatal(err)
	}
	// Read the job's salary line independently from the raw content.
	var raw struct {
		Jobs []struct {
			ID      json.Number `json:"id"`
			Content string      `json:"content"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	tagRe := regexp.MustCompile(`<[^>]*>`)
	rangeRe := regexp.MustCompile(`\$([\d,]+)\s*—\s*\$([\d,]+)\s*USD`)
	found := 0
	for _, j := range raw.Jobs {
		text := html.UnescapeString(tagRe.ReplaceAllString(html.UnescapeString(j.Content), " "))
		m := rangeRe.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		found++
		var p *jobtrends.Posting
		for i := range res.Postings {
			if res.Postings[i].ExternalID == j.ID.String() {
				p = &res.Postings[i]
			}
		}
		if p == nil || p.Salary == nil {
			t.Fatalf("job %s states %s–%s USD; no salary parsed", j.ID, m[1], m[2])
		}
		lo, hi := apiAtof(t, m[1]), apiAtof(t, m[2])
		s := p.Salary
		if !apiEqPtr(s.Min, &lo) || !apiEqPtr(s.Max, &hi) || s.Currency != "USD" || s.Provenance != jobtrends.ProvenanceText {
			t.Errorf("job %s: Salary %s %s (%s), want %v–%v USD from the text", j.ID, FormatSalary(s), s.Currency, s.Provenance, lo, hi)
		}
	}
	if found == 0 {
		t.Fatal("no job of the file states a range: wrong test file")
	}
}

func apiAtof(tb testing.TB, s string) float64 {
	tb.Helper()
	var f float64
	if _, err := fmt.Sscan(strings.ReplaceAll(s, ",", ""), &f); err != nil {
		tb.Fatal(err)
	}
	return f
}

// apiSeeds adds every response of testdata/api to a fuzz corpus.
func apiSeeds(f *testing.F, kind string) {
	for _, tc := range apiCases {
		if tc.kind == kind {
			f.Add(apiReadTestdata(f, filepath.Join("api", tc.file)))
		}
	}
	f.Add([]byte(`{"jobs":[{"id":1,"title":"x","content":"&lt;p&gt;$100k&lt;/p&gt;","pay_input_ranges":[{"min_cents":0,"max_cents":-5}]}]}`))
	f.Add([]byte(`[{"id":"a","text":"t","salaryRange":{"min":0,"max":0},"lists":[{"text":"<b>","content":"<li>x"}]}]`))
	f.Add([]byte(`{"jobs":[{"id":"a","title":"t","compensation":{"summaryComponents":[{"compensationType":"Salary","minValue":1e308,"maxValue":-1}]}}]}`))
}

// apiCheckFuzz holds for any input: a result, postings with an id and
// a title, no salary without an amount or with a zero one.
func apiCheckFuzz(t *testing.T, res *Result, err error) {
	t.Helper()
	if res == nil {
		t.Fatalf("nil Result (err %v)", err)
	}
	for _, p := range res.Postings {
		if p.ExternalID == "" || p.Title == "" {
			t.Errorf("posting without id or title: %+v", p)
		}
		apiCheckNoZeroPay(t, p.ExternalID, p.Salary)
	}
}

func FuzzGreenhouseJobs(f *testing.F) {
	apiSeeds(f, KindGreenhouse)
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := GreenhouseJobs(body, apiCases[0].url, apiFetched)
		apiCheckFuzz(t, res, err)
	})
}
