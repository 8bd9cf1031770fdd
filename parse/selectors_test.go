package parse

import (
	"bytes"
	"errors"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"go.yaml.in/yaml/v3"

	"github.com/jobtrends/jobtrends"
)

// selLinkedIn and selLever are the worked examples of the SelectorRules
// doc comment, in the YAML a config file holds.
const (
	selLinkedIn = `
item: main
title: h1.top-card-layout__title
company: a.topcard__org-name-link
location: .topcard__flavor-row span.topcard__flavor--bullet
date: span.posted-time-ago__text
employment_type: li.description__job-criteria-item:has(h3:contains("Employment type")) span
industry: li.description__job-criteria-item:has(h3:contains("Industries")) span
description: div.show-more-less-html__markup
`
	selLever = `
item: div.posting-header
title: h2
location: .posting-category.location
employment_type: .posting-category.commitment
remote: .posting-category.workplaceTypes
`
)

// selFetched is the fetch time the selector tests pass in.
var selFetched = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// selRules decodes a YAML rule set strictly.
func selRules(tb testing.TB, y string) SelectorRules {
	tb.Helper()
	var r SelectorRules
	d := yaml.NewDecoder(strings.NewReader(y))
	d.KnownFields(true)
	if err := d.Decode(&r); err != nil {
		tb.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		tb.Fatal(err)
	}
	return r
}

// selDoc parses a page.
func selDoc(tb testing.TB, body []byte) *goquery.Document {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// selMeta reads <meta property="prop" content="…"> with a regular
// expression: an independent reading of what the page says of itself.
func selMeta(tb testing.TB, body []byte, prop string) string {
	tb.Helper()
	m := regexp.MustCompile(`<meta property="` + regexp.QuoteMeta(prop) + `" content="([^"]*)"`).FindSubmatch(body)
	if m == nil {
		tb.Fatalf("page has no %s", prop)
	}
	return html.UnescapeString(string(m[1]))
}

// TestSelectorsLinkedIn runs the documented rules on the real LinkedIn
// guest job page and checks the fields against the page's own og:title
// ("Heidi hiring <title> in <location> | LinkedIn"), read independently.
func TestSelectorsLinkedIn(t *testing.T) {
	dir := corpusDir(t)
	body := readPage(t, filepath.Join(dir, "pages/linkedin/linkedin_dinie_heidi_senior-software-engineer_melbourne.html"))
	pageURL := PageURL(body)
	res, err := Selectors(selDoc(t, body), pageURL, selRules(t, selLinkedIn), selFetched)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Postings) != 1 {
		t.Fatalf("%d postings, want the page's one", len(res.Postings))
	}
	p := res.Postings[0]
	og := regexp.MustCompile(`^(.+) hiring (.+) in (.+) \| LinkedIn$`).FindStringSubmatch(selMeta(t, body, "og:title"))
	if og == nil {
		t.Fatal("og:title is not 'X hiring Y in Z | LinkedIn'")
	}
	if p.Company != og[1] || p.Title != og[2] || p.Location.Text != og[3] {
		t.Errorf("company %q title %q location %q; og:title says %q %q %q", p.Company, p.Title, p.Location.Text, og[1], og[2], og[3])
	}
	if p.URL != pageURL || p.ExternalID != pageURL || p.SourceType != SourceTypeHTML {
		t.Errorf("URL %q ExternalID %q SourceType %q; want the canonical %q and html", p.URL, p.ExternalID, p.SourceType, pageURL)
	}
	if p.Location.Country != "AU" {
		t.Errorf("country %q, want AU (the og:title location is in Australia)", p.Location.Country)
	}
	if p.EmploymentType != "FULL_TIME" || p.Industry == "" {
		t.Errorf("employment %q industry %q", p.EmploymentType, p.Industry)
	}
	if p.DatePosted.IsZero() || !p.DateApprox || !p.DatePosted.Before(selFetched) {
		t.Errorf("date %v approx %v: want a relative date before the fetch", p.DatePosted, p.DateApprox)
	}
	if len(p.Description) < 500 || apiMarkupInText.MatchString(p.Description) {
		t.Errorf("description of %d bytes, markup %q", len(p.Description), apiMarkupInText.FindString(p.Description))
	}
	// The page mentions "$100 million in funding": not pay.
	if p.Salary != nil {
		t.Errorf("salary %s from a page that states none", FormatSalary(p.Salary))
	}
	compareGolden(t, "selectors_linkedin", goldenLines(t, res, 1, 300, false))
}

// TestSelectorsLever runs one rule set on the four real Lever apply
// pages: the title is what og:title says after the company ("Sensor Tower -
// Senior Back End Developer"), the location the text of the element
// classed "location", both read independently.
func TestSelectorsLever(t *testing.T) {
	dir := corpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "pages/lever/*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Lever pages in the corpus (%v)", err)
	}
	rules := selRules(t, selLever)
	locRe := regexp.MustCompile(`(?s)class="[^"]*\blocation"[^>]*>(.*?)</div>`)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			body := readPage(t, f)
			pageURL := PageURL(body)
			res, err := Selectors(selDoc(t, body), pageURL, rules, selFetched)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Postings) != 1 {
				t.Fatalf("%d postings, want 1", len(res.Postings))
			}
			p := res.Postings[0]
			ogTitle := selMeta(t, body, "og:title")
			if p.Title == "" || !strings.HasSuffix(ogTitle, " - "+p.Title) {
				t.Errorf("title %q; og:title %q", p.Title, ogTitle)
			}
			m := locRe.FindSubmatch(body)
			if m == nil {
				t.Fatal("the page has no location element")
			}
			loc := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(string(m[1]), ""))
			loc = strings.Trim(strings.Join(strings.Fields(loc), " "), " /")
			if p.Location.Text != loc {
				t.Errorf("location %q; the page's location element says %q", p.Location.Text, loc)
			}
			if p.Remote == jobtrends.RemoteUnknown || p.EmploymentType == "" || p.Company != "" {
				t.Errorf("remote %q employment %q company %q: want a workplace type, an employment type and no company", p.Remote, p.EmploymentType, p.Company)
			}
			if p.ExternalID != exCanonicalURL(pageURL) {
				t.Errorf("ExternalID %q, want the page URL %q", p.ExternalID, pageURL)
			}
			compareGolden(t, "selectors_"+strings.TrimSuffix(filepath.Base(f), ".html"), goldenLines(t, res, 1, 300, false))
		})
	}
}

// TestSelectorRulesValidate checks that bad rules are refused with the
// field and selector named.
func TestSelectorRulesValidate(t *testing.T) {
	tests := []struct {
		name  string
		rules SelectorRules
		want  []string // substrings of the error; none for valid rules
	}{
		{"valid", SelectorRules{Item: "li.job", Title: "h3", Link: "a", Attr: map[string]string{"link": "href", "date": "datetime"}}, nil},
		{"no item", SelectorRules{Title: "h3"}, []string{"item", "missing"}},
		{"no title", SelectorRules{Item: "li"}, []string{"title", "missing"}},
		{"bad item", SelectorRules{Item: "li[", Title: "h3"}, []string{"item", `"li["`}},
		{"bad field", SelectorRules{Item: "li", Title: "h3", Salary: "span:nth-child(x)"}, []string{"salary", "span:nth-child(x)"}},
		{"bad next", SelectorRules{Item: "li", Title: "h3", Next: "a[rel=next"}, []string{"next", "a[rel=next"}},
		{"unknown attr field", SelectorRules{Item: "li", Title: "h3", Attr: map[string]string{"salary_max": "data-max"}}, []string{`attr "salary_max"`, "not a field"}},
		{"empty attr", SelectorRules{Item: "li", Title: "h3", Attr: map[string]string{"date": " "}}, []string{`attr "date"`, "empty"}},
		{"two errors", SelectorRules{Item: "li", Title: "h3[", Company: "::"}, []string{"title", "company"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rules.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate accepted %+v", tt.rules)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

// selListing is a minimal listing for the tests of the rule engine
// itself (what a selector that matches nothing does, links, next pages):
// it stands for no site and its values are not data.
const selListing = `<html><body>
<ul class="jobs">
 <li class="job"><a href="/jobs/1"><h3>First role</h3></a><span class="where">Berlin, Germany</span><time datetime="2026-04-20">20 April</time></li>
 <li class="job"><a href="/jobs/2"><h3>Second role</h3></a><span class="where">Remote</span><time datetime="2026-04-21">21 April</time></li>
 <li class="job"><a href="/jobs/3"><h3> </h3></a></li>
</ul>
<a class="next" href="/jobs?page=2">Next</a>
</body></html>`

// TestSelectorsRules checks the engine on a listing: one posting per item,
// links, attributes, the next page, and errors for selectors that match
// nothing.
func TestSelectorsRules(t *testing.T) {
	base := SelectorRules{Item: "li.job", Title: "h3", Location: ".where", Link: "a", Date: "time",
		Attr: map[string]string{"date": "datetime"}, Next: "a.next", CompanyName: "Example"}
	tests := []struct {
		name     string
		rules    func(r SelectorRules) SelectorRules
		postings int
		errField string // Field of the *ParseError; "" for none
	}{
		{"as configured", func(r SelectorRules) SelectorRules { return r }, 2, ""},
		{"item matches nothing", func(r SelectorRules) SelectorRules { r.Item = "div.job-card"; return r }, 0, "item div.job-card"},
		{"title matches nothing", func(r SelectorRules) SelectorRules { r.Title = "h2"; return r }, 0, "title h2"},
		{"salary matches nothing", func(r SelectorRules) SelectorRules { r.Salary = ".pay"; return r }, 2, "salary .pay"},
		{"invalid rules", func(r SelectorRules) SelectorRules { r.Location = "span["; return r }, 0, "rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const pageURL = "https://example.com/jobs?page=1"
			res, err := Selectors(selDoc(t, []byte(selListing)), pageURL, tt.rules(base), selFetched)
			if len(res.Postings) != tt.postings {
				t.Errorf("%d postings, want %d", len(res.Postings), tt.postings)
			}
			if tt.errField == "" {
				if err != nil {
					t.Fatal(err)
				}
			} else {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Field != tt.errField || pe.URL != pageURL {
					t.Fatalf("error %v, want a *ParseError for %q at %s", err, tt.errField, pageURL)
				}
				if tt.errField != "rules" && !errors.Is(err, ErrNoMatch) {
					t.Errorf("error %v does not wrap ErrNoMatch", err)
				}
				return
			}
			if res.Next != "https://example.com/jobs?page=2" {
				t.Errorf("Next %q", res.Next)
			}
			p := res.Postings[0]
			if p.URL != "https://example.com/jobs/1" || p.ExternalID != p.URL || p.Company != "Example" ||
				p.Location.Country != "DE" || p.DatePosted != time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC) || p.DateApprox {
				t.Errorf("first posting %+v", p)
			}
			if res.Postings[1].Remote != jobtrends.RemoteFull {
				t.Errorf("second posting remote %q", res.Postings[1].Remote)
			}
		})
	}
}

func FuzzSelectors(f *testing.F) {
	f.Add([]byte(selListing))
	f.Add([]byte(`<li class="job"><h3>x</h3><span class="where">` + strings.Repeat("<b>", 600) + `</span></li>`))
	f.Add([]byte(`<li class="job"><a href="javascript:alert(1)"><h3>&lt;b&gt;x</h3></a><time datetime="99 days ago"></time></li>`))
	rules := SelectorRules{Item: "li.job", Title: "h3", Location: ".where", Link: "a", Date: "time", Salary: ".where",
		Description: "li", Attr: map[string]string{"date": "datetime"}, Next: "a.next"}
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			return
		}
		res, _ := Selectors(doc, "https://example.com/jobs", rules, selFetched)
		if res == nil {
			t.Fatal("nil Result")
		}
		for _, p := range res.Postings {
			if p.Title == "" || p.ExternalID == "" || !strings.HasPrefix(p.URL, "http") {
				t.Errorf("posting %+v", p)
			}
		}
	})
}

func FuzzSelectorRulesValidate(f *testing.F) {
	for _, s := range []string{"li.job", "h1.top-card-layout__title", `li:has(h3:contains("Employment type")) span`, "a[", "::", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sel string) {
		r := SelectorRules{Item: "body", Title: sel, Company: sel}
		if r.Validate() == nil {
			// A selector Validate accepts must be usable on a page.
			doc := selDoc(t, []byte(selListing))
			if _, err := Selectors(doc, "https://example.com/", r, selFetched); err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Field == "rules" {
					t.Errorf("Validate accepted %q but Selectors says %v", sel, err)
				}
			}
		}
	})
}
