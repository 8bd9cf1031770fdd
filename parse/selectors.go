package parse

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/jobtrends/jobtrends"
)

// KindHTML is the Result.Kind, and SourceTypeHTML the Posting.SourceType,
// of pages read with configured CSS selectors.
const (
	KindHTML       = "html"
	SourceTypeHTML = "html"
)

// ErrNoMatch is a configured selector that matched nothing on a page: the
// page changed or the selector is wrong; it is never read as "no jobs".
var ErrNoMatch = errors.New("selector matched nothing")

// SelectorRules say where the fields of a posting are on the pages of a
// site without structured data. Item selects one element per posting on
// the page; every field selector is then looked for inside that element
// (an empty selector means the item element itself for link, and "not on
// this site" for every other field). A field is the text of the first
// element its selector matches, or, for a field named in Attr, that
// element's attribute. Description is the text of every match, markup
// removed. Next is looked for in the whole page.
//
// A worked example, for the LinkedIn guest job page of the corpus
// (pages/linkedin/…; no JSON-LD, the fields are in the page's top card and
// criteria list):
//
//	item: main
//	title: h1.top-card-layout__title
//	company: a.topcard__org-name-link
//	location: .topcard__flavor-row span.topcard__flavor--bullet
//	date: span.posted-time-ago__text
//	employment_type: li.description__job-criteria-item:has(h3:contains("Employment type")) span
//	industry: li.description__job-criteria-item:has(h3:contains("Industries")) span
//	description: div.show-more-less-html__markup
//
// gives one posting: "Senior Software Engineer - Developer Experience" at
// Heidi in Melbourne, Victoria, Australia, FULL_TIME, industry "Software
// Development", posted "1 week ago" (a date counted back from the fetch
// time, DateApprox), with the description as plain text. The Lever apply
// pages of the corpus need only
//
//	item: div.posting-header
//	title: h2
//	location: .posting-category.location
//	employment_type: .posting-category.commitment
//	remote: .posting-category.workplaceTypes
//
// and a listing page would add link (with attr: {link: href}, the
// default) and next (the "next page" anchor).
type SelectorRules struct {
	Item           string `yaml:"item"`
	Title          string `yaml:"title"`
	Company        string `yaml:"company,omitempty"`
	Location       string `yaml:"location,omitempty"`
	Remote         string `yaml:"remote,omitempty"`
	EmploymentType string `yaml:"employment_type,omitempty"`
	Industry       string `yaml:"industry,omitempty"`
	Salary         string `yaml:"salary,omitempty"`
	Date           string `yaml:"date,omitempty"`
	Link           string `yaml:"link,omitempty"`
	Description    string `yaml:"description,omitempty"`
	// Attr names, per field ("link", "date", …), the attribute to read
	// instead of the text: {link: href, date: datetime}. link defaults to
	// href.
	Attr map[string]string `yaml:"attr,omitempty"`
	// Next selects the anchor of the next page of a listing (href).
	Next string `yaml:"next,omitempty"`
	// CompanyName is the company of every posting when the pages do not
	// name it (a company's own careers site) or Company finds nothing.
	CompanyName string `yaml:"company_name,omitempty"`
}

// selFields lists the field selectors of a SelectorRules by the names used
// in Attr and in errors.
func (r *SelectorRules) selFields() []struct {
	name string
	sel  string
} {
	return []struct {
		name string
		sel  string
	}{
		{"title", r.Title}, {"company", r.Company}, {"location", r.Location},
		{"remote", r.Remote}, {"employment_type", r.EmploymentType}, {"industry", r.Industry},
		{"salary", r.Salary}, {"date", r.Date}, {"link", r.Link}, {"description", r.Description},
	}
}

// Validate checks the rules: item and title are set, every selector
// compiles, Attr names only known fields and non-empty attributes. The
// error names the field and the selector.
func (r SelectorRules) Validate() error {
	_, err := r.compile()
	return err
}

// selCompiled holds the compiled selectors of a SelectorRules.
type selCompiled struct {
	item   cascadia.Selector
	fields map[string]cascadia.Selector // by field name; absent when not configured
	next   cascadia.Selector            // nil when not configured
}

func (r SelectorRules) compile() (*selCompiled, error) {
	c := &selCompiled{fields: map[string]cascadia.Selector{}}
	var errs []error
	compile := func(field, sel string) cascadia.Selector {
		s, err := cascadia.Compile(sel)
		if err != nil {
			errs = append(errs, fmt.Errorf("selector %s %q: %w", field, sel, err))
		}
		return s
	}
	if strings.TrimSpace(r.Item) == "" {
		errs = append(errs, fmt.Errorf("selector item: %w", ErrMissing))
	} else {
		c.item = compile("item", r.Item)
	}
	if strings.TrimSpace(r.Title) == "" {
		errs = append(errs, fmt.Errorf("selector title: %w", ErrMissing))
	}
	known := map[string]bool{}
	for _, f := range r.selFields() {
		known[f.name] = true
		if strings.TrimSpace(f.sel) != "" {
			c.fields[f.name] = compile(f.name, f.sel)
		}
	}
	if strings.TrimSpace(r.Next) != "" {
		c.next = compile("next", r.Next)
	}
	names := make([]string, 0, len(r.Attr))
	for k := range r.Attr {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		switch {
		case !known[k]:
			errs = append(errs, fmt.Errorf("attr %q: not a field (want one of title, company, location, remote, employment_type, industry, salary, date, link, description)", k))
		case k == "description":
			errs = append(errs, fmt.Errorf("attr %q: the description is always the text of its elements", k))
		case strings.TrimSpace(r.Attr[k]) == "":
			errs = append(errs, fmt.Errorf("attr %q: empty attribute name", k))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Selectors reads the postings of a page with rules r: one posting per
// element Item matches, SourceType "html". Title is required: an item
// without one is skipped. URL is the item's link resolved against pageURL,
// else pageURL; ExternalID is that URL in canonical form, or, on a page
// with several items and no links, the page URL with a hash of title,
// company and location. Location and Remote go through ParseLocation (a
// Remote field's own words — "Hybrid", "Remote" — win), EmploymentType is
// normalized, Date goes through ParseDate against fetched (relative dates
// give DateApprox), Salary through ParseSalary (employer-text),
// Description through PlainText. Fields stated as lists ("Full time /")
// lose their leading and trailing separators.
//
// Invalid rules are an error before the page is read. An Item that
// matches nothing, or a configured field selector that finds nothing in
// any item, is a *ParseError naming the URL, the field and the selector
// and wrapping ErrNoMatch: a selector that stopped matching must not look
// like a page without jobs. The postings read are returned with it.
func Selectors(doc *goquery.Document, pageURL string, r SelectorRules, fetched time.Time) (*Result, error) {
	res := &Result{Kind: KindHTML}
	c, err := r.compile()
	if err != nil {
		return res, &ParseError{Source: KindHTML, URL: pageURL, Field: "rules", Err: err}
	}
	if c.next != nil {
		if a := doc.FindMatcher(c.next).First(); a.Length() > 0 {
			res.Next = exResolveURL(pageURL, a.AttrOr("href", ""))
		}
	}
	items := doc.FindMatcher(c.item)
	if items.Length() == 0 {
		return res, &ParseError{Source: KindHTML, URL: pageURL, Field: "item " + r.Item, Err: ErrNoMatch}
	}
	found := map[string]bool{}
	var errs []error
	items.Each(func(i int, item *goquery.Selection) {
		p, ok := selPosting(item, items.Length(), c, r, pageURL, fetched, found)
		if !ok {
			return
		}
		res.Postings = append(res.Postings, p)
	})
	for _, f := range r.selFields() {
		if _, on := c.fields[f.name]; on && !found[f.name] {
			errs = append(errs, &ParseError{Source: KindHTML, URL: pageURL, Field: f.name + " " + f.sel,
				Err: fmt.Errorf("%w in %d items of %q", ErrNoMatch, items.Length(), r.Item)})
		}
	}
	ldDedupeIDs(res.Postings)
	for _, p := range res.Postings {
		res.ItemIDs = append(res.ItemIDs, p.ExternalID)
	}
	return res, errors.Join(errs...)
}

// selPosting reads one item. found records the fields that had a value.
func selPosting(item *goquery.Selection, nItems int, c *selCompiled, r SelectorRules, pageURL string, fetched time.Time, found map[string]bool) (jobtrends.Posting, bool) {
	field := func(name string) string {
		s, on := c.fields[name]
		if !on {
			return ""
		}
		el := item.FindMatcher(s).First()
		v := selValue(el, r.Attr[name])
		if v != "" {
			found[name] = true
		}
		return v
	}
	p := jobtrends.Posting{SourceType: SourceTypeHTML, Remote: jobtrends.RemoteUnknown}
	p.Title = field("title")
	company := field("company")
	locText := field("location")
	remoteText := field("remote")
	employment := field("employment_type")
	p.Industry = field("industry")
	salaryText := field("salary")
	dateText := field("date")
	if s, on := c.fields["description"]; on {
		var parts []string
		item.FindMatcher(s).Each(func(_ int, d *goquery.Selection) {
			h, err := goquery.OuterHtml(d)
			if err == nil {
				if t := PlainText(h); t != "" {
					parts = append(parts, t)
				}
			}
		})
		if len(parts) > 0 {
			found["description"] = true
			p.Description = strings.Join(parts, "\n\n")
		}
	}
	link := ""
	if s, on := c.fields["link"]; on {
		attr := r.Attr["link"]
		if attr == "" {
			attr = "href"
		}
		if href := selValue(item.FindMatcher(s).First(), attr); href != "" {
			link = exResolveURL(pageURL, href)
			if link != "" {
				found["link"] = true
			}
		}
	} else if href, ok := item.Attr("href"); ok {
		link = exResolveURL(pageURL, href)
	}
	if p.Title == "" {
		return p, false
	}

	p.Company = apiFirst(company, r.CompanyName)
	p.Location, p.Remote = apiLocation(locText)
	if remoteText != "" {
		if w := apiWorkplace(remoteText); w != jobtrends.RemoteUnknown {
			p.Remote = w
		} else if _, w := ParseLocation(remoteText); w != "" && w != jobtrends.RemoteUnknown {
			p.Remote = w
		}
	}
	p.EmploymentType = apiEmployment(employment)
	if dateText != "" {
		if t, approx, err := ParseDate(dateText, fetched); err == nil {
			p.DatePosted, p.DateApprox = t, approx
		}
	}
	p.Salary = apiTextSalary(salaryText)
	if p.Salary == nil {
		p.Salary = apiTextSalary(p.Description)
	}
	if !fetched.IsZero() {
		p.FirstSeen, p.LastSeen = fetched.UTC(), fetched.UTC()
	}
	switch {
	case link != "":
		p.URL = exCanonicalURL(link)
		p.ExternalID = p.URL
	default:
		p.URL = exCanonicalURL(pageURL)
		p.ExternalID = p.URL
		if nItems > 1 {
			sum := sha256.Sum256([]byte(p.Title + "\x00" + p.Company + "\x00" + p.Location.Text))
			p.ExternalID = p.URL + "#" + hex.EncodeToString(sum[:8])
		}
	}
	return p, true
}

// selValue is the attribute attr of the element, or its text on one line
// when attr is empty, without list separators at either end.
func selValue(el *goquery.Selection, attr string) string {
	if el.Length() == 0 {
		return ""
	}
	var v string
	if attr != "" {
		v = el.AttrOr(attr, "")
		if strings.ContainsAny(v, "<&") {
			v = PlainText(v)
		}
	} else {
		h, err := goquery.OuterHtml(el)
		if err != nil {
			return ""
		}
		v = PlainText(h)
	}
	return strings.TrimFunc(txtOneLine(v), func(r rune) bool {
		return strings.ContainsRune(" /|•·,;:-–—", r)
	})
}
