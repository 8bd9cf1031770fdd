package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends"
)

var ldFetched = time.Date(2026, 8, 20, 9, 0, 0, 0, time.UTC)

// ldScriptRe finds the ld+json blocks of a page without goquery, for the
// tests' independent reading.
var ldScriptRe = regexp.MustCompile(`(?is)<script[^>]*type=["']?application/ld\+json["']?[^>]*>(.*?)</script>`)

// ldBlocks decodes the JobPosting objects of a page with encoding/json
// alone.
func ldBlocks(tb testing.TB, page []byte) []map[string]any {
	tb.Helper()
	var out []map[string]any
	for _, m := range ldScriptRe.FindAllSubmatch(page, -1) {
		var v map[string]any
		if err := json.Unmarshal(m[1], &v); err != nil {
			tb.Fatalf("test page block does not decode: %v", err)
		}
		if v["@type"] == "JobPosting" {
			out = append(out, v)
		}
	}
	return out
}

func extractLD(tb testing.TB, url string, page []byte) *Result {
	tb.Helper()
	res, err := Extract(url, page, ldFetched)
	if err != nil {
		tb.Fatalf("%s: %v", url, err)
	}
	return res
}

// TestJSONLDSchemaOrg reads schema.org's own JobPosting examples.
func TestJSONLDSchemaOrg(t *testing.T) {
	pages, err := filepath.Glob("testdata/jsonld/eg-*.jsonld.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no schema.org pages: %v", err)
	}
	for _, path := range pages {
		name := strings.TrimSuffix(filepath.Base(path), ".jsonld.html")
		t.Run(name, func(t *testing.T) {
			page := readPage(t, path)
			url := "https://schema.org/docs/" + name + ".html"
			res := extractLD(t, url, page)
			want := ldBlocks(t, page)
			if len(res.Postings) != len(want) {
				t.Fatalf("%d postings, want %d (JobPosting blocks)", len(res.Postings), len(want))
			}
			for i, p := range res.Postings {
				ld := want[i]
				title, _ := ld["title"].(string)
				if title == "" {
					title, _ = ld["name"].(string)
				}
				if p.Title != title {
					t.Errorf("Title %q, want %q", p.Title, title)
				}
				if org, ok := ld["hiringOrganization"].(map[string]any); ok && p.Company != org["name"] {
					t.Errorf("Company %q, want %q", p.Company, org["name"])
				}
				if p.ExternalID != exCanonicalURL(url) || p.SourceType != SourceTypeJSONLD {
					t.Errorf("ExternalID %q SourceType %q, want the page URL and jsonld", p.ExternalID, p.SourceType)
				}
				if !p.FirstSeen.Equal(ldFetched) || !p.LastSeen.Equal(ldFetched) {
					t.Errorf("FirstSeen/LastSeen %v/%v, want the fetch time", p.FirstSeen, p.LastSeen)
				}
			}
			compareGolden(t, "jsonld_"+name, goldenLines(t, res, 10, 300, true))
		})
	}
}

// TestJSONLDBareSalary checks schema.org example 28: baseSalary is the
// string "100000" with salaryCurrency on the JobPosting.
func TestJSONLDBareSalary(t *testing.T) {
	res := extractLD(t, "https://schema.org/docs/eg-0028.html", readPage(t, "testdata/jsonld/eg-0028.jsonld.html"))
	p := res.Postings[0]
	s := p.Salary
	if s == nil || s.Min == nil || s.Max == nil || *s.Min != 100000 || *s.Max != 100000 || s.Currency != "USD" || s.Provenance != jobtrends.ProvenanceStructured || s.Raw != `"100000"` {
		t.Errorf("salary %+v, want 100000–100000 USD, structured, raw \"100000\"", s)
	}
	if p.EmploymentType != "FULL_TIME" || p.Industry != "Computer Software" || p.Location.City != "Kirkland" || p.Location.Region != "WA" {
		t.Errorf("employment %q industry %q location %+v", p.EmploymentType, p.Industry, p.Location)
	}
	if !p.DatePosted.Equal(time.Date(2011, 10, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("DatePosted %v", p.DatePosted)
	}
}

// TestJSONLDIndeedAU compares the Indeed AU page's posting with its
// JSON-LD block read independently.
func TestJSONLDIndeedAU(t *testing.T) {
	page := readPage(t, "testdata/jsonld/indeed_au_dinie_senior-devops-engineer_camberwell.html.gz")
	res := extractLD(t, "https://au.indeed.com/viewjob?jk=54f1f8af68d722d2&utm_campaign=x", page)
	blocks := ldBlocks(t, page)
	if len(res.Postings) != 1 || len(blocks) != 1 {
		t.Fatalf("%d postings from %d blocks, want 1", len(res.Postings), len(blocks))
	}
	p, ld := res.Postings[0], blocks[0]
	addr := ld["jobLocation"].(map[string]any)["address"].(map[string]any)
	val := ld["baseSalary"].(map[string]any)["value"].(map[string]any)
	posted, err := time.Parse(time.RFC3339, ld["datePosted"].(string))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ field, got, want string }{
		{"title", p.Title, ld["title"].(string)},
		{"company", p.Company, ld["hiringOrganization"].(map[string]any)["name"].(string)},
		{"city", p.Location.City, addr["addressLocality"].(string)},
		{"region", p.Location.Region, addr["addressRegion"].(string)},
		{"country", p.Location.Country, addr["addressCountry"].(string)},
		{"date", p.DatePosted.Format(time.RFC3339Nano), posted.UTC().Format(time.RFC3339Nano)},
		{"url", p.URL, "https://au.indeed.com/viewjob?jk=54f1f8af68d722d2"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if p.EmploymentType != "FULL_TIME" {
		t.Errorf("EmploymentType %q", p.EmploymentType)
	}
	s := p.Salary
	if s == nil || s.Min == nil || s.Max == nil || *s.Min != val["minValue"].(float64) || *s.Max != val["maxValue"].(float64) ||
		s.Currency != "AUD" || s.Period != jobtrends.PeriodYear || s.Provenance != jobtrends.ProvenanceStructured {
		t.Errorf("salary %+v, want %v–%v AUD a year, structured", s, val["minValue"], val["maxValue"])
	}
	if strings.Contains(p.Description, "<") || !strings.Contains(p.Description, "PaperCut") {
		t.Errorf("description is not the plain text: %.200q", p.Description)
	}
	compareGolden(t, "jsonld_indeed_au", goldenLines(t, res, 1, 400, true))
}

// ldPage wraps JSON-LD blocks in a page.
func ldPage(blocks ...string) []byte {
	var b strings.Builder
	b.WriteString("<html><head>")
	for _, bl := range blocks {
		b.WriteString(`<script type="application/ld+json">` + bl + `</script>`)
	}
	b.WriteString("</head><body></body></html>")
	return []byte(b.String())
}

func f64(v float64) *float64 { return &v }

// TestJSONLDShapes covers the shapes RELIABILITY.md §3.1 lists, one
// JobPosting per case.
func TestJSONLDShapes(t *testing.T) {
	const jp = `"@context":"https://schema.org","@type":"JobPosting"`
	type want struct {
		title, company, id, employment, locText, city, region, country string
		remote                                                         jobtrends.Remote
		date                                                           time.Time
		min, max                                                       *float64
		currency                                                       string
		period                                                         jobtrends.Period
		noSalary                                                       bool
	}
	tests := []struct {
		name string
		page []byte
		url  string
		want want
	}{
		{"range QuantitativeValue", ldPage(`{` + jp + `,"title":"ML Engineer","hiringOrganization":{"@type":"Organization","name":"Acme"},"identifier":{"@type":"PropertyValue","name":"Acme","value":"REQ-1234"},"baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"@type":"QuantitativeValue","minValue":120000,"maxValue":160000,"unitText":"YEAR"}}}`),
			"https://acme.example/jobs/1", want{title: "ML Engineer", company: "Acme", id: "REQ-1234", remote: jobtrends.RemoteUnknown, min: f64(120000), max: f64(160000), currency: "USD", period: jobtrends.PeriodYear}},
		{"numeric strings with commas, unit on the amount", ldPage(`{` + jp + `,"title":"SRE","baseSalary":{"@type":"MonetaryAmount","currency":"eur","unitText":"MONTH","value":{"minValue":"4,500","maxValue":"6.000"}}}`),
			"https://x.example/a", want{title: "SRE", id: "https://x.example/a", remote: jobtrends.RemoteUnknown, min: f64(4500), max: f64(6000), currency: "EUR", period: jobtrends.PeriodMonth}},
		{"single value", ldPage(`{` + jp + `,"title":"Assistant","baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"@type":"QuantitativeValue","value":40.00,"unitText":"HOUR"}}}`),
			"https://x.example/b", want{title: "Assistant", id: "https://x.example/b", remote: jobtrends.RemoteUnknown, min: f64(40), max: f64(40), currency: "USD", period: jobtrends.PeriodHour}},
		{"value a bare number", ldPage(`{` + jp + `,"title":"Dev","baseSalary":{"@type":"MonetaryAmount","currency":"GBP","value":55000,"unitText":"YEAR"}}`),
			"https://x.example/c", want{title: "Dev", id: "https://x.example/c", remote: jobtrends.RemoteUnknown, min: f64(55000), max: f64(55000), currency: "GBP", period: jobtrends.PeriodYear}},
		{"bare number with salaryCurrency", ldPage(`{` + jp + `,"title":"Dev","baseSalary":95000,"salaryCurrency":"CAD"}`),
			"https://x.example/d", want{title: "Dev", id: "https://x.example/d", remote: jobtrends.RemoteUnknown, min: f64(95000), max: f64(95000), currency: "CAD"}},
		{"unreadable amount is no salary, never 0", ldPage(`{` + jp + `,"title":"Dev","baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"minValue":"competitive"}}}`),
			"https://x.example/e", want{title: "Dev", id: "https://x.example/e", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"zero range is no salary", ldPage(`{` + jp + `,"title":"Dev","baseSalary":{"@type":"MonetaryAmount","currency":"USD","value":{"minValue":0,"maxValue":0,"unitText":"YEAR"}}}`),
			"https://x.example/f", want{title: "Dev", id: "https://x.example/f", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"estimatedSalary is not employer pay", ldPage(`{` + jp + `,"title":"Nurse","estimatedSalary":{"@type":"MonetaryAmountDistribution","currency":"USD","median":109000}}`),
			"https://x.example/g", want{title: "Nurse", id: "https://x.example/g", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"@graph, @type array, entities in the title", ldPage(`{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},{"@type":["JobPosting","Thing"],"title":"R&amp;amp;D  Engineer\n","hiringOrganization":"Acme &amp; Co"}]}`),
			"https://x.example/h", want{title: "R&D Engineer", company: "Acme & Co", id: "https://x.example/h", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"array of postings in one block: the first", ldPage(`[{` + jp + `,"title":"One","url":"https://x.example/jobs/1"},{` + jp + `,"title":"Two","url":"https://x.example/jobs/2"}]`),
			"https://x.example/list", want{title: "One", id: "https://x.example/jobs/1", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"telecommute, applicant country, employment array", ldPage(`{` + jp + `,"title":"Remote Dev","jobLocationType":"TELECOMMUTE","applicantLocationRequirements":{"@type":"Country","name":"USA"},"employmentType":["FULL_TIME","CONTRACTOR"]}`),
			"https://x.example/i", want{title: "Remote Dev", id: "https://x.example/i", employment: "FULL_TIME, CONTRACTOR", locText: "USA", country: "US", remote: jobtrends.RemoteFull, noSalary: true}},
		{"several locations, country object", ldPage(`{` + jp + `,"title":"Eng","jobLocation":[{"@type":"Place","address":{"@type":"PostalAddress"}},{"@type":"Place","address":{"addressLocality":"Tokyo","addressCountry":{"@type":"Country","name":"Japan"}}},{"@type":"Place","address":"Singapore"}]}`),
			"https://x.example/j", want{title: "Eng", id: "https://x.example/j", locText: "Tokyo, Japan; Singapore", city: "Tokyo", country: "JP", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"date-time with zone and milliseconds", ldPage(`{` + jp + `,"title":"Eng","datePosted":"2026-08-06T09:39:35.941+02:00"}`),
			"https://x.example/k", want{title: "Eng", id: "https://x.example/k", date: time.Date(2026, 8, 6, 7, 39, 35, 941e6, time.UTC), remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"date-time without zone is UTC", ldPage(`{` + jp + `,"title":"Eng","datePosted":"2024-05-22T00:00"}`),
			"https://x.example/l", want{title: "Eng", id: "https://x.example/l", date: time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"invalid date is zero, the posting kept", ldPage(`{` + jp + `,"title":"Eng","datePosted":"2024-02-30"}`),
			"https://x.example/m", want{title: "Eng", id: "https://x.example/m", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"HTML comment wrapper, type with params and case", []byte(`<script type="Application/LD+JSON; charset=utf-8"><!--{` + jp + `,"title":"Wrapped"}--></script>`),
			"https://x.example/n", want{title: "Wrapped", id: "https://x.example/n", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"CDATA wrapper, @type as a URL, identifier a string", []byte(`<script type="application/ld+json">//<![CDATA[
{"@context":"http://schema.org","@type":"http://schema.org/JobPosting","title":"Data Engineer","identifier":"JOB-77","industry":{"@type":"DefinedTerm","name":"Software Publishers"}}
//]]></script>`),
			"https://x.example/p", want{title: "Data Engineer", id: "JOB-77", remote: jobtrends.RemoteUnknown, noSalary: true}},
		{"salary from the description when no baseSalary", ldPage(`{` + jp + `,"title":"Eng","description":"<p>Pay: $120,000 - $150,000 a year</p>"}`),
			"https://x.example/o", want{title: "Eng", id: "https://x.example/o", remote: jobtrends.RemoteUnknown, min: f64(120000), max: f64(150000), currency: "USD", period: jobtrends.PeriodYear}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := extractLD(t, tt.url, tt.page)
			if len(res.Postings) == 0 {
				t.Fatal("no posting")
			}
			p, w := res.Postings[0], tt.want
			got := want{title: p.Title, company: p.Company, id: p.ExternalID, employment: p.EmploymentType, locText: p.Location.Text,
				city: p.Location.City, region: p.Location.Region, country: p.Location.Country, remote: p.Remote, date: p.DatePosted}
			if w.locText == "" && w.city != "" {
				w.locText = p.Location.Text // only the fields are under test
			}
			if got.title != w.title || got.company != w.company || got.id != w.id || got.employment != w.employment ||
				got.locText != w.locText || got.city != w.city || got.region != w.region || got.country != w.country ||
				got.remote != w.remote || !got.date.Equal(w.date) {
				t.Errorf("got  %+v\nwant %+v", got, w)
			}
			s := p.Salary
			switch {
			case w.noSalary:
				if s != nil {
					t.Errorf("salary %+v, want none", s)
				}
			case s == nil:
				t.Errorf("no salary, want %v–%v %s", *w.min, *w.max, w.currency)
			default:
				if !eqFloat(s.Min, w.min) || !eqFloat(s.Max, w.max) || s.Currency != w.currency || s.Period != w.period {
					t.Errorf("salary %v–%v %s %s, want %v–%v %s %s", deref(s.Min), deref(s.Max), s.Currency, s.Period, deref(w.min), deref(w.max), w.currency, w.period)
				}
			}
		})
	}
}

func eqFloat(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestJSONLDBadBlocks checks that a bad block is a ParseError naming the
// page and the block, and that the page's other blocks are still read.
func TestJSONLDBadBlocks(t *testing.T) {
	good := `{"@type":"JobPosting","title":"Good"}`
	tests := []struct {
		name     string
		page     []byte
		block    string
		sentinel error
		postings int
	}{
		{"trailing comma", ldPage(`{"@type":"JobPosting","title":"Bad",}`, good), "ld+json block 1", nil, 1},
		{"unquoted keys", ldPage(good, `{@type:"JobPosting"}`), "ld+json block 2", nil, 1},
		{"two values", ldPage(good, `{"a":1} {"b":2}`), "ld+json block 2", nil, 1},
		{"empty block", ldPage(``, good), "ld+json block 1", ErrMissing, 1},
		{"too large", ldPage(`{"@type":"JobPosting","title":"`+strings.Repeat("x", ldMaxBlockBytes)+`"}`, good), "ld+json block 1", ErrTooLarge, 1},
		{"too deep", ldPage(strings.Repeat("[", 1000)+strings.Repeat("]", 1000), good), "ld+json block 1", ErrTooDeep, 1},
		{"posting without title", ldPage(`{"@type":"JobPosting","description":"x"}`, good), "ld+json block 1", ErrMissing, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const url = "https://x.example/job"
			res, err := Extract(url, tt.page, ldFetched)
			if res == nil || len(res.Postings) != tt.postings {
				t.Fatalf("result %+v, want %d postings from the good blocks", res, tt.postings)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.URL != url || pe.Item != tt.block || pe.Source != KindJSONLD {
				t.Errorf("ParseError %+v, want URL %s and %s", pe, url, tt.block)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.sentinel)
			}
		})
	}
}

func TestJSONLDNoBlocks(t *testing.T) {
	res, err := Extract("https://x.example/", []byte("<html><script>var x = 1</script><p>no data</p></html>"), ldFetched)
	if err != nil || res == nil || len(res.Postings) != 0 {
		t.Errorf("got %+v, %v; want an empty result and no error", res, err)
	}
}

func BenchmarkJSONLD(b *testing.B) {
	page := readPage(b, "testdata/jsonld/indeed_au_dinie_senior-devops-engineer_camberwell.html.gz")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := JSONLD(doc, "https://au.indeed.com/viewjob?jk=1", ldFetched); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzJSONLD(f *testing.F) {
	for _, path := range []string{"testdata/jsonld/eg-0028.jsonld.html", "testdata/jsonld/eg-0251.jsonld.html"} {
		page := readPage(f, path)
		for _, m := range ldScriptRe.FindAllSubmatch(page, -1) {
			f.Add(m[1])
		}
	}
	f.Add([]byte(`[{"@type":["JobPosting"],"title":"x","baseSalary":{"value":{"minValue":"1,0","maxValue":[]}},"jobLocation":[{"address":[null]}],"datePosted":123456789012}]`))
	f.Add([]byte(`{"@graph":[{"@type":"JobPosting","title":{"@value":"x"},"identifier":[{"value":1}],"employmentType":[["a"]]}]}`))
	f.Fuzz(func(t *testing.T, block []byte) {
		page := []byte(`<html><script type="application/ld+json">` + html.EscapeString(string(block)) + `</script></html>`)
		raw := append(append([]byte(`<script type="application/ld+json">`), block...), "</script>"...)
		for _, p := range [][]byte{page, raw} {
			res, err := Extract("https://x.example/j", p, ldFetched)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v is not a *ParseError", err)
				}
			}
			if res == nil {
				if err == nil {
					t.Fatal("nil result without error")
				}
				continue
			}
			for _, ps := range res.Postings {
				if ps.Title == "" || ps.ExternalID == "" {
					t.Errorf("posting without title or id: %+v", ps)
				}
				if s := ps.Salary; s != nil && s.Min == nil && s.Max == nil {
					t.Errorf("salary without amounts: %+v", s)
				}
			}
		}
	})
}
