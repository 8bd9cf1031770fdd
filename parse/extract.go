package parse

import (
	"bytes"
	"errors"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/jobtrends/jobtrends"
)

// The values of Result.Kind: which parser read a page.
const (
	KindHN         = "hn"          // an HN "Who is hiring?" item page
	KindJSONLD     = "jsonld"      // any page read for schema.org JobPosting JSON-LD
	KindAshbyBoard = "ashby-board" // a jobs.ashbyhq.com/<org> board page
)

// The values of Posting.SourceType set by this package.
const (
	SourceTypeHN     = "hn"
	SourceTypeJSONLD = "jsonld"
	SourceTypeAshby  = "ashby"
)

// Result is what one page yields.
type Result struct {
	Kind     string              // "hn", "jsonld", "ashby-board": which parser read it
	Postings []jobtrends.Posting // SourceType set; Source left empty (the caller sets the configured name)
	Links    []string            // absolute URLs of job pages this page lists (Ashby board → job pages)
	Next     string              // absolute URL of the next page of the same listing ("" if none); HN a.morelink
	ItemIDs  []string            // ids of every item on the page (HN: every top-level comment id), so a crawler can stop when a page brings no new id
}

// Sentinel errors wrapped by ParseError.
var (
	// ErrMissing is a required part of a page or a posting that is absent.
	ErrMissing = errors.New("missing")
	// ErrTooLarge is an embedded JSON block over the size cap.
	ErrTooLarge = errors.New("too large")
	// ErrTooDeep is an embedded JSON block nested deeper than the cap.
	ErrTooDeep = errors.New("nested too deeply")
)

// ParseError is a failure to read a page or one part of it. It names the
// parser, the page and the field; Err says what went wrong and wraps one of
// the sentinel errors or the underlying decoder error.
type ParseError struct {
	Source string // the parser: "hn", "jsonld", "ashby-board" (the configured source name is the caller's)
	URL    string // the page
	Item   string // the part of the page: "ld+json block 2", "comment 123"; "" for the page itself
	Field  string // what could not be read: "html", "json", "title", "window.__appData"
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("parse ")
	b.WriteString(e.Source)
	if e.URL != "" {
		b.WriteString(" ")
		b.WriteString(e.URL)
	}
	if e.Item != "" {
		b.WriteString(": ")
		b.WriteString(e.Item)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("failed")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Extract chooses the parser by the page URL and parses body, which must
// already be UTF-8:
//
//	ATS job-board API URLs (Greenhouse, Lever, Ashby)  → ExtractAPI (JSON)
//	news.ycombinator.com/item?id=…                    → HNThread
//	news.ycombinator.com/submitted?id=…               → HNSubmissions
//	jobs.ashbyhq.com/<org>                            → AshbyBoard
//	anything else, Ashby job pages included           → JSONLD
//
// An HTML document the parser refuses (over 512 nested elements) is a
// *ParseError for the field "html", never an empty result.
func Extract(pageURL string, body []byte, fetched time.Time) (*Result, error) {
	if res, ok, err := ExtractAPI(pageURL, body, fetched); ok {
		return res, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, &ParseError{Source: exKindFor(pageURL), URL: pageURL, Field: "html", Err: err}
	}
	return ExtractDocument(pageURL, doc, fetched)
}

// ExtractDocument is Extract on an already parsed HTML document (the
// crawler parses each page once). An API URL is a *ParseError: a JSON
// response parsed as HTML has lost its text, so pass its body to Extract.
func ExtractDocument(pageURL string, doc *goquery.Document, fetched time.Time) (*Result, error) {
	if _, ok, _ := ExtractAPI(pageURL, []byte("null"), fetched); ok {
		return nil, &ParseError{Source: "api", URL: pageURL, Field: "body", Err: errors.New("an API response, not an HTML page: use Extract")}
	}
	switch exKindFor(pageURL) {
	case KindHN:
		return HNThread(doc, pageURL, fetched)
	case KindHNSubmissions:
		return HNSubmissions(doc, pageURL)
	case KindAshbyBoard:
		return AshbyBoard(doc, pageURL)
	default:
		return JSONLD(doc, pageURL, fetched)
	}
}

// exKindFor returns the parser for a page URL.
func exKindFor(pageURL string) string {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil {
		return KindJSONLD
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	switch {
	case host == "news.ycombinator.com" && strings.TrimSuffix(u.Path, "/") == "/item":
		return KindHN
	case host == "news.ycombinator.com" && strings.TrimSuffix(u.Path, "/") == "/submitted":
		return KindHNSubmissions
	case host == "jobs.ashbyhq.com" && len(exPathSegments(u.Path)) == 1:
		return KindAshbyBoard
	}
	return KindJSONLD
}

// exPathSegments splits a URL path into its non-empty segments.
func exPathSegments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// exCanonicalURL normalizes a page URL into a stable key
// (jobtrends.CanonicalURL: lower-case scheme and host, no default port, no
// fragment, no trailing slash on a non-root path, no tracking parameters,
// query parameters sorted). A URL that does not parse, or has no host, is
// returned trimmed.
func exCanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return jobtrends.CanonicalURL(u)
}

// exResolveURL makes href absolute against base; "" when it does not parse
// or is not http(s).
func exResolveURL(base, href string) string {
	href = strings.TrimSpace(href)
	if href == "" {
		return ""
	}
	h, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if b, err := url.Parse(strings.TrimSpace(base)); err == nil {
		h = b.ResolveReference(h)
	}
	if h.Scheme != "http" && h.Scheme != "https" {
		return ""
	}
	return h.String()
}

// exEmploymentTypes maps the ways pages write an employment type to the
// schema.org JobPosting vocabulary.
var exEmploymentTypes = map[string]string{
	"full time": "FULL_TIME", "fulltime": "FULL_TIME", "full_time": "FULL_TIME", "ft": "FULL_TIME",
	"fte": "FULL_TIME", "permanent": "FULL_TIME", "perm": "FULL_TIME",
	"part time": "PART_TIME", "parttime": "PART_TIME", "part_time": "PART_TIME", "pt": "PART_TIME",
	"contract": "CONTRACTOR", "contractor": "CONTRACTOR", "contractors": "CONTRACTOR",
	"contracting": "CONTRACTOR", "freelance": "CONTRACTOR", "freelancer": "CONTRACTOR",
	"temporary": "TEMPORARY", "temp": "TEMPORARY",
	"intern": "INTERN", "interns": "INTERN", "internship": "INTERN", "internships": "INTERN",
	"volunteer": "VOLUNTEER", "per diem": "PER_DIEM", "per_diem": "PER_DIEM", "other": "OTHER",
}

// exNormEmployment maps one stated employment type to the schema.org
// vocabulary (FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, …); an
// unknown value is returned as given.
func exNormEmployment(s string) string {
	s = txtOneLine(s)
	k := strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(s))
	k = strings.Join(strings.Fields(k), " ")
	if v, ok := exEmploymentTypes[k]; ok {
		return v
	}
	if v, ok := exEmploymentTypes[strings.ReplaceAll(k, " ", "")]; ok {
		return v
	}
	return s
}

// exJoinEmployment normalizes and joins employment types once each, in the
// order given.
func exJoinEmployment(types []string) string {
	var out []string
	seen := map[string]bool{}
	for _, t := range types {
		t = exNormEmployment(t)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return strings.Join(out, ", ")
}

// exCountryAliases are country names pages use that are not the CLDR English
// display names.
var exCountryAliases = map[string]string{
	"usa": "US", "u.s.": "US", "u.s.a.": "US", "us": "US", "united states of america": "US",
	"america": "US", "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB",
	"england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
	"czech republic": "CZ", "holland": "NL", "the netherlands": "NL", "korea": "KR",
	"republic of korea": "KR", "russian federation": "RU", "uae": "AE", "viet nam": "VN",
	"deutschland": "DE", "españa": "ES", "brasil": "BR", "méxico": "MX", "schweiz": "CH",
	"österreich": "AT", "türkiye": "TR", "turkey": "TR", "ivory coast": "CI",
	"hong kong sar": "HK", "hong kong sar china": "HK", "macau": "MO", "taiwan, province of china": "TW",
}

// exCountryNames maps lower-case English country names (CLDR display names
// of every ISO 3166-1 country, plus exCountryAliases) to alpha-2 codes.
var exCountryNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	names := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code || r.ISO3() == "ZZZ" {
				continue
			}
			if n := names.Name(r); n != "" {
				m[strings.ToLower(n)] = code
				m[strings.ToLower(strings.ReplaceAll(n, "&", "and"))] = code
				// "Myanmar (Burma)", "Congo - Kinshasa": the plain name too.
				if short, _, ok := strings.Cut(n, " ("); ok {
					m[strings.ToLower(short)] = code
				}
			}
		}
	}
	for k, v := range exCountryAliases {
		m[k] = v
	}
	return m
})

// exCountryCode returns the ISO 3166-1 alpha-2 code of a country given as an
// alpha-2 or alpha-3 code or a well-known English name; "" when unknown.
func exCountryCode(s string) string {
	s = strings.Trim(txtOneLine(s), " .,")
	if s == "" {
		return ""
	}
	if c, ok := exCountryNames()[strings.ToLower(s)]; ok {
		return c
	}
	if n := len(s); (n == 2 || n == 3) && exIsASCIILetters(s) {
		r, err := language.ParseRegion(s)
		if err == nil {
			r = r.Canonicalize()
			if r.IsCountry() && r.ISO3() != "ZZZ" {
				return r.String()
			}
		}
	}
	return ""
}

func exIsASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

// exUnique returns ss without empty strings and repeats, sorted when
// sorted is true, otherwise in first-seen order.
func exUnique(ss []string, sorted bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	if sorted {
		sort.Strings(out)
	}
	return out
}
