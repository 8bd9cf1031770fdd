package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends"
)

// Caps on one <script type="application/ld+json"> block.
const (
	ldMaxBlockBytes = 2 << 20 // bytes
	ldMaxDepth      = 64      // nested objects and arrays
)

// JSONLD reads every schema.org JobPosting in the page's
// <script type="application/ld+json"> blocks (the type matched without
// regard to case or parameters). A block may hold one object, an array or
// an @graph, and @type may be a string or an array; JobPostings nested in
// other objects (an ItemList, a WebPage's mainEntity) are found too.
//
// A block that is not valid JSON (after removing an HTML comment or CDATA
// wrapper), is over 2 MiB or nests deeper than 64 levels, and a JobPosting
// with neither title nor name, is reported as a *ParseError naming the page
// and the block number (1-based, counting ld+json blocks); the other blocks
// are still read, so Result is never nil and err is the errors.Join of the
// failures. A page without JSON-LD yields no postings and no error.
//
// Fields: Title (title, else name; entities decoded, whitespace collapsed),
// Company (hiringOrganization name or string), Location (the first
// jobLocation's addressLocality → City, addressRegion → Region,
// addressCountry → Country as ISO 3166-1 alpha-2; Text joins every
// location, else applicantLocationRequirements), Remote (remote when
// jobLocationType is TELECOMMUTE, else unknown), EmploymentType (normalized
// to the schema.org values, comma-joined), DatePosted (date, or date-time
// with or without zone and fraction, in UTC; a date-time without zone is
// taken as UTC; zero when missing or invalid), Description (PlainText of
// the HTML), Industry, URL (the posting's url when absolute, else the
// canonical page URL), ExternalID (an Ashby job page's uuid; else
// identifier's value; else URL).
//
// Salary comes from baseSalary only (a MonetaryAmount whose value is a
// QuantitativeValue or a number, unitText on either level, numbers or
// numeric strings such as "80,000"; or a bare number or string with
// salaryCurrency on the JobPosting), through SalaryFromAmounts with the
// block's JSON as Raw. An amount that cannot be read is nil, never 0; a
// 0–0 range is no salary. estimatedSalary is a platform's estimate, not
// employer pay, and is ignored. Without baseSalary the description text is
// tried with ParseSalary (Provenance employer-text).
//
// fetched, when not zero, sets FirstSeen and LastSeen.
func JSONLD(doc *goquery.Document, pageURL string, fetched time.Time) (*Result, error) {
	res := &Result{Kind: KindJSONLD}
	var errs []error
	block := 0
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		typ, _ := s.Attr("type")
		if !ldIsScriptType(typ) {
			return
		}
		block++
		item := fmt.Sprintf("ld+json block %d", block)
		text := s.Text()
		v, err := ldDecodeBlock(text)
		if err != nil {
			errs = append(errs, &ParseError{Source: KindJSONLD, URL: pageURL, Item: item, Field: "json", Err: err})
			return
		}
		found := ldFindJobPostings(v, 0)
		var raws []map[string]json.RawMessage
		for _, o := range found {
			// Only a baseSalary is read raw: the block is walked a
			// second time when one of its postings has one.
			if o["baseSalary"] != nil {
				raws = ldFindRawPostings(json.RawMessage(ldUnwrapScript(text)), 0)
				break
			}
		}
		for i, o := range found {
			var raw map[string]json.RawMessage
			if i < len(raws) {
				raw = raws[i]
			}
			p, err := ldPosting(o, raw, pageURL, fetched)
			if err != nil {
				errs = append(errs, &ParseError{Source: KindJSONLD, URL: pageURL, Item: item, Field: err.field, Err: err.err})
				continue
			}
			res.Postings = append(res.Postings, p)
		}
	})
	ldDedupeIDs(res.Postings)
	for _, p := range res.Postings {
		res.ItemIDs = append(res.ItemIDs, p.ExternalID)
	}
	return res, errors.Join(errs...)
}

// ldIsScriptType reports whether a script type attribute is application/ld+json.
func ldIsScriptType(typ string) bool {
	mt, _, _ := strings.Cut(typ, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/ld+json")
}

// ldDecodeBlock decodes one script block into generic JSON values, with
// numbers kept as json.Number.
func ldDecodeBlock(text string) (any, error) {
	if len(text) > ldMaxBlockBytes {
		return nil, fmt.Errorf("%d bytes, cap %d: %w", len(text), ldMaxBlockBytes, ErrTooLarge)
	}
	text = ldUnwrapScript(text)
	if text == "" {
		return nil, fmt.Errorf("empty block: %w", ErrMissing)
	}
	if d := ldDepth(text); d > ldMaxDepth {
		return nil, fmt.Errorf("depth over %d: %w", ldMaxDepth, ErrTooDeep)
	}
	if v, ok := ldDecodeValue(text); ok {
		return v, nil
	}
	// Not plain JSON (a trailing ";", an error, invalid UTF-8 in a
	// string): encoding/json reads it, or says why not.
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid json: %w", err)
	}
	if r := strings.Trim(text[dec.InputOffset():], " \t\r\n;"); r != "" {
		return nil, fmt.Errorf("invalid json: data after the value")
	}
	return v, nil
}

// ldUnwrapScript removes white space and the HTML comment or CDATA wrappers
// some sites put around script content.
func ldUnwrapScript(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
	for {
		t := s
		for _, p := range []string{"<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["} {
			t = strings.TrimSpace(strings.TrimPrefix(t, p))
		}
		for _, p := range []string{"-->", "//]]>", "/*]]>*/", "]]>"} {
			t = strings.TrimSpace(strings.TrimSuffix(t, p))
		}
		if t == s {
			return s
		}
		s = t
	}
}

// ldDepth returns the deepest nesting of objects and arrays in s,
// skipping string contents; it stops counting past ldMaxDepth.
func ldDepth(s string) int {
	depth, maxd, inStr, esc := 0, 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > maxd {
				maxd = depth
				if maxd > ldMaxDepth {
					return maxd
				}
			}
		case '}', ']':
			depth--
		}
	}
	return maxd
}

// ldFindJobPostings returns the JobPosting objects in v, in document order.
func ldFindJobPostings(v any, depth int) []map[string]any {
	if depth > ldMaxDepth {
		return nil
	}
	var out []map[string]any
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			out = append(out, ldFindJobPostings(e, depth+1)...)
		}
	case map[string]any:
		if ldIsJobPosting(t["@type"]) {
			return []map[string]any{t}
		}
		for _, k := range ldSortedKeys(t) {
			out = append(out, ldFindJobPostings(t[k], depth+1)...)
		}
	}
	return out
}

// ldFindRawPostings walks the block like ldFindJobPostings, in the same
// order, keeping each JobPosting's fields as raw JSON (so that Salary.Raw
// is the page's own text of baseSalary).
func ldFindRawPostings(raw json.RawMessage, depth int) []map[string]json.RawMessage {
	if depth > ldMaxDepth {
		return nil
	}
	var out []map[string]json.RawMessage
	// Only an array unmarshals into arr (null too, into nothing, as it
	// does into obj below): a value that starts otherwise is not tried,
	// which would scan it in vain.
	var arr []json.RawMessage
	if v := bytes.TrimLeft(raw, " \t\r\n"); len(v) > 0 && v[0] == '[' && json.Unmarshal(raw, &arr) == nil {
		for _, e := range arr {
			out = append(out, ldFindRawPostings(e, depth+1)...)
		}
		return out
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	var typ any
	if t, ok := obj["@type"]; ok && json.Unmarshal(t, &typ) == nil && ldIsJobPosting(typ) {
		return []map[string]json.RawMessage{obj}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	for _, k := range exUnique(keys, true) {
		out = append(out, ldFindRawPostings(obj[k], depth+1)...)
	}
	return out
}

// ldIsJobPosting reports whether an @type value (string or array) names
// JobPosting, with or without a vocabulary prefix.
func ldIsJobPosting(t any) bool {
	switch v := t.(type) {
	case string:
		v = strings.TrimSpace(v)
		if i := strings.LastIndexAny(v, "/:#"); i >= 0 {
			v = v[i+1:]
		}
		return strings.EqualFold(v, "JobPosting")
	case []any:
		for _, e := range v {
			if ldIsJobPosting(e) {
				return true
			}
		}
	}
	return false
}

// ldFieldError is a posting-level failure, turned into a *ParseError by
// the caller who knows the block.
type ldFieldError struct {
	field string
	err   error
}

// ldPosting turns one JobPosting object into a Posting.
func ldPosting(o map[string]any, raw map[string]json.RawMessage, pageURL string, fetched time.Time) (jobtrends.Posting, *ldFieldError) {
	p := jobtrends.Posting{SourceType: SourceTypeJSONLD, Remote: jobtrends.RemoteUnknown}
	p.Title = ldCleanLine(ldString(o["title"]))
	if p.Title == "" {
		p.Title = ldCleanLine(ldString(o["name"]))
	}
	if p.Title == "" {
		return p, &ldFieldError{field: "title", err: ErrMissing}
	}
	p.Company = ldCleanLine(ldName(o["hiringOrganization"]))

	p.URL = exCanonicalURL(pageURL)
	if u := exResolveURL(pageURL, ldString(o["url"])); u != "" {
		p.URL = exCanonicalURL(u)
	}
	if id := ashbyJobID(pageURL); id != "" {
		p.SourceType = SourceTypeAshby
		p.ExternalID = id
	} else if id := ldCleanLine(ldIdentifier(o["identifier"])); id != "" {
		p.ExternalID = id
	} else {
		p.ExternalID = p.URL
	}

	p.Location = ldLocation(o["jobLocation"], o["applicantLocationRequirements"])
	for _, t := range ldStrings(o["jobLocationType"]) {
		if strings.EqualFold(strings.TrimSpace(t), "TELECOMMUTE") {
			p.Remote = jobtrends.RemoteFull
		}
	}
	var types []string
	for _, t := range ldStrings(o["employmentType"]) {
		types = append(types, strings.Split(t, ",")...)
	}
	p.EmploymentType = exJoinEmployment(types)
	if t, ok := ldParseDate(o["datePosted"]); ok && plausibleDate(t, fetched) {
		p.DatePosted = t
	}
	p.Description = ldDescription(ldString(o["description"]))
	p.Industry = ldCleanLine(ldName(o["industry"]))
	if !fetched.IsZero() {
		p.FirstSeen, p.LastSeen = fetched.UTC(), fetched.UTC()
	}

	p.Salary = ldSalary(o, raw["baseSalary"])
	if p.Salary == nil && p.Description != "" {
		p.Salary = ParseSalary(p.Description)
	}
	return p, nil
}

// ldDedupeIDs makes ExternalIDs unique within one page by suffixing repeats
// with "#2", "#3", … (several postings without identifier or url).
func ldDedupeIDs(ps []jobtrends.Posting) {
	seen := map[string]int{}
	for i := range ps {
		id := ps[i].ExternalID
		seen[id]++
		if n := seen[id]; n > 1 {
			ps[i].ExternalID = fmt.Sprintf("%s#%d", id, n)
		}
	}
}

// ldString returns a JSON-LD value as one string: a string, a number, the
// @value / value / name of an object, or the first such element of an
// array.
func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case map[string]any:
		for _, k := range []string{"@value", "value", "name"} {
			if s := ldString(t[k]); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range t {
			if s := ldString(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldStrings returns a value that may be a string or an array of them.
func ldStrings(v any) []string {
	switch t := v.(type) {
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldStrings(e)...)
		}
		return out
	case nil:
		return nil
	}
	if s := ldString(v); s != "" {
		return []string{s}
	}
	return nil
}

// ldName returns an Organization's or DefinedTerm's name, or a string.
func ldName(v any) string {
	switch t := v.(type) {
	case map[string]any:
		if s := ldString(t["name"]); s != "" {
			return s
		}
		return ldString(t["legalName"])
	case []any:
		for _, e := range t {
			if s := ldName(e); s != "" {
				return s
			}
		}
		return ""
	}
	return ldString(v)
}

// ldIdentifier returns a PropertyValue's value, or a plain identifier.
func ldIdentifier(v any) string {
	switch t := v.(type) {
	case map[string]any:
		if s := ldString(t["value"]); s != "" {
			return s
		}
		return ldString(t["@id"])
	case []any:
		for _, e := range t {
			if s := ldIdentifier(e); s != "" {
				return s
			}
		}
		return ""
	}
	return ldString(v)
}

// ldCleanLine decodes entities (twice encoded too: "R&amp;amp;D"), removes
// markup and collapses white space to one line.
func ldCleanLine(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = PlainText(s)
		if strings.Contains(s, "&") {
			s = html.UnescapeString(s)
		}
	}
	return txtOneLine(s)
}

var ldTagLikeRe = regexp.MustCompile(`<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>`)

// ldDescription turns a description (HTML, sometimes entity-escaped HTML)
// into plain text.
func ldDescription(s string) string {
	t := PlainText(s)
	if ldTagLikeRe.MatchString(t) {
		t = PlainText(t) // the HTML was escaped once more: "&lt;p&gt;"
	}
	return t
}

// ldLocation reads jobLocation (object, array, string or empty address)
// and, when it gives no place, applicantLocationRequirements.
func ldLocation(jobLoc, applicant any) jobtrends.Location {
	var locs []jobtrends.Location
	for _, e := range ldList(jobLoc) {
		if l := ldPlace(e); l.Text != "" {
			locs = append(locs, l)
		}
	}
	if len(locs) == 0 {
		for _, e := range ldList(applicant) {
			name := ldCleanLine(ldName(e))
			if name == "" {
				continue
			}
			l := jobtrends.Location{Text: name}
			if c := exCountryCode(name); c != "" {
				l.Country = c
			}
			locs = append(locs, l)
		}
	}
	if len(locs) == 0 {
		return jobtrends.Location{}
	}
	out := locs[0]
	var texts []string
	for _, l := range locs {
		texts = append(texts, l.Text)
	}
	out.Text = strings.Join(exUnique(texts, false), "; ")
	return out
}

// ldList returns v as a list (nil, one value, or an array).
func ldList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

// ldPlace reads one Place (with an address object or string), a bare
// PostalAddress, or a string.
func ldPlace(v any) jobtrends.Location {
	switch t := v.(type) {
	case string, json.Number:
		s := ldCleanLine(ldString(t))
		return jobtrends.Location{Text: s}
	case map[string]any:
		addr := t
		switch a := t["address"].(type) {
		case map[string]any:
			addr = a
		case string:
			return jobtrends.Location{Text: ldCleanLine(a)}
		case []any:
			if len(a) > 0 {
				return ldPlace(map[string]any{"address": a[0]})
			}
		}
		city := ldCleanLine(ldString(addr["addressLocality"]))
		region := ldCleanLine(ldString(addr["addressRegion"]))
		country := ldCleanLine(ldName(addr["addressCountry"]))
		l := jobtrends.Location{City: city, Region: region, Country: exCountryCode(country)}
		l.Text = strings.Join(exUnique([]string{city, region, country}, false), ", ")
		if l.Text == "" {
			l.Text = ldCleanLine(ldString(t["name"]))
		}
		return l
	}
	return jobtrends.Location{}
}

// ldSalary reads baseSalary; nil when absent or when it holds no amount.
func ldSalary(o map[string]any, rawSalary json.RawMessage) *jobtrends.Salary {
	bs, ok := o["baseSalary"]
	if !ok || bs == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, rawSalary); err != nil || buf.Len() == 0 {
		b, err := json.Marshal(bs)
		if err != nil {
			return nil
		}
		buf.Reset()
		buf.Write(b)
	}
	raw := buf.String()
	currency := ldString(o["salaryCurrency"])
	for _, amount := range ldList(bs) {
		if s := ldAmount(amount, raw, currency); s != nil {
			return s
		}
	}
	return nil
}

// ldAmount reads one MonetaryAmount (or PriceSpecification, or bare
// amount).
func ldAmount(v any, raw, currency string) *jobtrends.Salary {
	var lo, hi *float64
	unit := ""
	switch t := v.(type) {
	case map[string]any:
		if c := ldString(t["currency"]); c != "" {
			currency = c
		} else if c := ldString(t["priceCurrency"]); c != "" {
			currency = c
		}
		unit = ldString(t["unitText"])
		lo, hi = ldNumber(t["minValue"]), ldNumber(t["maxValue"])
		if lo == nil && hi == nil {
			lo, hi = ldNumber(t["minPrice"]), ldNumber(t["maxPrice"])
		}
		if lo == nil && hi == nil {
			if x := ldNumber(t["price"]); x != nil {
				lo, hi = x, x
			}
		}
		switch val := t["value"].(type) {
		case map[string]any:
			if u := ldString(val["unitText"]); u != "" {
				unit = u
			}
			if lo == nil && hi == nil {
				lo, hi = ldNumber(val["minValue"]), ldNumber(val["maxValue"])
			}
			if lo == nil && hi == nil {
				if x := ldNumber(val["value"]); x != nil {
					lo, hi = x, x
				}
			}
		case nil:
		default:
			if lo == nil && hi == nil {
				if x := ldNumber(val); x != nil {
					lo, hi = x, x
				} else if s, ok := val.(string); ok {
					return ldStructuredText(s, raw)
				}
			}
		}
	case json.Number:
		if x := ldNumber(t); x != nil {
			lo, hi = x, x
		}
	case string:
		if x := ldNumber(t); x != nil {
			lo, hi = x, x
		} else {
			return ldStructuredText(t, raw)
		}
	}
	if lo == nil && hi == nil {
		return nil
	}
	if (lo == nil || *lo == 0) && (hi == nil || *hi == 0) {
		return nil
	}
	return SalaryFromAmounts(raw, lo, hi, strings.ToUpper(strings.TrimSpace(currency)), strings.TrimSpace(unit))
}

// ldStructuredText reads a structured salary field that holds text
// ("$100,000 - $120,000") with ParseSalary; it is still the employer's
// structured statement.
func ldStructuredText(s, raw string) *jobtrends.Salary {
	sal := ParseSalary(ldCleanLine(s))
	if sal != nil {
		sal.Raw = raw
		sal.Provenance = jobtrends.ProvenanceStructured
	}
	return sal
}

var (
	ldCommaThousandsRe = regexp.MustCompile(`^\d{1,3}(?:,\d{3})+(?:\.\d+)?$`)
	ldDotThousandsRe   = regexp.MustCompile(`^\d{1,3}(?:\.\d{3})+(?:,\d+)?$`)
	ldPlainNumberRe    = regexp.MustCompile(`^\d+(?:\.\d+)?$`)
)

// ldNumber reads a number or a numeric string ("80000", "80,000",
// "80.000", "80.000,50", "$80,000"); nil when it is neither, negative or
// not finite. A string whose dots group three digits ("6.000") is read
// as thousands, as European pages write them.
func ldNumber(v any) *float64 {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	case string:
		s = strings.Map(func(r rune) rune {
			if txtIsSpace(r) || r == '\'' || r == '$' || r == '€' || r == '£' || r == '¥' {
				return -1
			}
			return r
		}, t)
		switch {
		case ldDotThousandsRe.MatchString(s):
			// "6.000", "55.000,50": a dot before exactly three digits
			// groups thousands.
			s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
		case ldPlainNumberRe.MatchString(s):
		case ldCommaThousandsRe.MatchString(s):
			s = strings.ReplaceAll(s, ",", "")
		default:
			return nil
		}
	default:
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return nil
	}
	return &f
}

// ldDateLayouts are the datePosted forms seen: date, date-time with or
// without zone and fraction.
var ldDateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	"20060102",
}

// ldParseDate reads a date, a date-time, or epoch seconds or milliseconds,
// as UTC.
func ldParseDate(v any) (time.Time, bool) {
	s := strings.TrimSpace(ldString(v))
	if s == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 9 {
		if n > 1e11 {
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, l := range ldDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// plausibleDate rejects what ParseDate rejects for text dates: a date
// before 1995, or more than a day after the page was fetched (a clock or
// template error, never a real posting date).
func plausibleDate(t, fetched time.Time) bool {
	if t.Year() < 1995 {
		return false
	}
	return fetched.IsZero() || !t.After(fetched.Add(24*time.Hour))
}

// ldSortedKeys returns a map's keys in order, so that walks are
// deterministic.
func ldSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return exUnique(keys, true)
}
