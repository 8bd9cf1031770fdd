package parse

// Fault rows of RELIABILITY.md §2.3 about what the JSON-LD extractor makes
// of hostile or ill-typed input (docs/FAULTS.md maps every row to its
// tests).

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFault_C3_InvalidText: a lone surrogate escape, NUL escapes and
// control characters in JSON-LD never reach a posting: every field is
// valid UTF-8 without NUL.
func TestFault_C3_InvalidText(t *testing.T) {
	page := ldPage(`{"@type":"JobPosting","title":"ML \ud800 Engineer\u0000","hiringOrganization":{"name":"Ac\u0000me\u0007"},` +
		`"description":"<p>Build \udfff models\u0000</p>","jobLocation":{"address":{"addressLocality":"Z\u00fcrich\ud83d"}}}`)
	res := extractLD(t, "https://x.example/job", page)
	if len(res.Postings) != 1 {
		t.Fatalf("%d postings, want 1", len(res.Postings))
	}
	p := res.Postings[0]
	for name, v := range map[string]string{"title": p.Title, "company": p.Company, "description": p.Description, "location": p.Location.Text} {
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\x00\x07") {
			t.Errorf("%s %q is not clean text", name, v)
		}
	}
	if !strings.HasPrefix(p.Title, "ML ") || !strings.HasSuffix(p.Title, "Engineer") || !strings.Contains(p.Company, "Ac") {
		t.Errorf("title %q, company %q: the text around the bad characters is lost", p.Title, p.Company)
	}
}

// TestFault_C8_JSONLDWrongTypes: fields of the wrong JSON type are read
// field by field: a title given as an array, a salary given as a string
// with a thousands separator, and fields that cannot be read at all (an
// object for a date, a number for the company, a bare string for the
// location) do not drop the posting, and no unreadable amount becomes 0.
func TestFault_C8_JSONLDWrongTypes(t *testing.T) {
	cases := []struct {
		name       string
		block      string
		wantTitle  string
		wantMin    *float64
		wantNoSal  bool
		wantAmount bool
	}{
		{"title as an array", `{"@type":"JobPosting","title":["SRE","Senior"]}`, "SRE", nil, true, false},
		{"minValue a string with a comma", `{"@type":"JobPosting","title":"SRE","baseSalary":{"currency":"USD","value":{"minValue":"80,000","unitText":"YEAR"}}}`,
			"SRE", f64(80000), false, true},
		{"unreadable fields around a good salary", `{"@type":"JobPosting","title":"Dev","datePosted":{"x":1},"hiringOrganization":5,"jobLocation":"Berlin",` +
			`"employmentType":{"a":1},"baseSalary":{"currency":"EUR","value":{"minValue":60000,"maxValue":"n/a","unitText":"YEAR"}}}`, "Dev", f64(60000), false, true},
		{"an unreadable amount is no salary, never 0", `{"@type":"JobPosting","title":"Dev","baseSalary":{"currency":"USD","value":{"minValue":["x"],"maxValue":{"y":2}}}}`,
			"Dev", nil, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Extract("https://x.example/job", ldPage(tc.block), ldFetched)
			if err != nil || res == nil || len(res.Postings) != 1 {
				t.Fatalf("result %+v, err %v; want the posting kept", res, err)
			}
			p := res.Postings[0]
			if p.Title != tc.wantTitle {
				t.Errorf("title %q, want %q", p.Title, tc.wantTitle)
			}
			switch s := p.Salary; {
			case tc.wantNoSal && s != nil && (s.Min != nil || s.Max != nil):
				t.Errorf("salary %v–%v, want none", deref(s.Min), deref(s.Max))
			case tc.wantAmount && (s == nil || !eqFloat(s.Min, tc.wantMin)):
				t.Errorf("salary %+v, want min %v", s, deref(tc.wantMin))
			case s != nil && ((s.Min != nil && *s.Min == 0) || (s.Max != nil && *s.Max == 0)):
				t.Errorf("an unreadable amount became 0: %+v", s)
			}
		})
	}
}

// TestFault_C9_DescriptionHTML: a JSON-LD description is HTML (as Google
// specifies it), scripts and event handlers included; the posting keeps
// its text only, with no markup left.
func TestFault_C9_DescriptionHTML(t *testing.T) {
	page := ldPage(`{"@type":"JobPosting","title":"Dev","description":"\u003cscript\u003ealert(1)\u003c/script\u003e<p>Build <b>models</b>.</p>` +
		`<img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">Apply</a><style>p{}</style>"}`)
	res := extractLD(t, "https://x.example/job", page)
	if len(res.Postings) != 1 {
		t.Fatalf("%d postings", len(res.Postings))
	}
	d := res.Postings[0].Description
	if strings.ContainsAny(d, "<>") || strings.Contains(d, "alert") || strings.Contains(d, "javascript:") {
		t.Errorf("description %q keeps markup or script", d)
	}
	if !strings.Contains(d, "Build models.") || !strings.Contains(d, "Apply") {
		t.Errorf("description %q lost its text", d)
	}
}
