package parse

// greenhouse.go reads the Greenhouse Job Board API. It also holds
// ExtractAPI, which routes a response of any of the three ATS job-board
// APIs (Greenhouse, Lever in lever.go, Ashby in ashbyapi.go) to its
// parser, and the helpers the three share.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
)

// The values of Result.Kind for the ATS job-board APIs.
const (
	KindGreenhouse = "greenhouse" // boards-api.greenhouse.io/v1/boards/<token>/jobs
	KindLever      = "lever"      // api.lever.co/v0/postings/<site>
	KindAshbyAPI   = "ashby-api"  // api.ashbyhq.com/posting-api/job-board/<org>
)

// The values of Posting.SourceType for the ATS job-board APIs (Ashby's is
// SourceTypeAshby, shared with its job pages).
const (
	SourceTypeGreenhouse = "greenhouse"
	SourceTypeLever      = "lever"
)

// ExtractAPI parses a response of one of the public ATS job-board APIs,
// chosen by the URL it was fetched from:
//
//	boards-api.greenhouse.io/v1/boards/<token>/jobs[/<id>]  → GreenhouseJobs
//	api.lever.co/v0/postings/<site>[/<id>]                  → LeverPostings
//	api.ashbyhq.com/posting-api/job-board/<org>             → AshbyJobBoard
//
// (and the EU hosts boards-api.eu.greenhouse.io, api.eu.lever.co). ok is
// false, with a nil Result and error, when pageURL is none of these.
func ExtractAPI(pageURL string, body []byte, fetched time.Time) (res *Result, ok bool, err error) {
	switch kind, _ := apiEndpoint(pageURL); kind {
	case KindGreenhouse:
		res, err = GreenhouseJobs(body, pageURL, fetched)
	case KindLever:
		res, err = LeverPostings(body, pageURL, fetched)
	case KindAshbyAPI:
		res, err = AshbyJobBoard(body, pageURL, fetched)
	default:
		return nil, false, nil
	}
	return res, true, err
}

// apiEndpoint returns which ATS API a URL is (one of the Kind constants,
// "" for none) and the board token, site or organization it names.
func apiEndpoint(pageURL string) (kind, board string) {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil {
		return "", ""
	}
	segs := exPathSegments(u.Path)
	at := func(i int) string {
		if i < len(segs) {
			if s, err := url.PathUnescape(segs[i]); err == nil {
				return s
			}
			return segs[i]
		}
		return ""
	}
	switch strings.ToLower(u.Hostname()) {
	case "boards-api.greenhouse.io", "boards-api.eu.greenhouse.io", "api.greenhouse.io":
		if len(segs) >= 4 && segs[0] == "v1" && segs[1] == "boards" && segs[3] == "jobs" {
			return KindGreenhouse, at(2)
		}
	case "api.lever.co", "api.eu.lever.co":
		if len(segs) >= 3 && segs[0] == "v0" && segs[1] == "postings" {
			return KindLever, at(2)
		}
	case "api.ashbyhq.com":
		if len(segs) >= 3 && segs[0] == "posting-api" && segs[1] == "job-board" {
			return KindAshbyAPI, at(2)
		}
	}
	return "", ""
}

// apiHostedBoard returns the first path segment of a job URL on one of the
// given hosts (job-boards.greenhouse.io/<token>/jobs/1 → token), "" when
// the URL is on another host.
func apiHostedBoard(jobURL string, hosts ...string) string {
	u, err := url.Parse(strings.TrimSpace(jobURL))
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	for _, want := range hosts {
		if h == want {
			if segs := exPathSegments(u.Path); len(segs) > 1 {
				return segs[0]
			}
		}
	}
	return ""
}

// ghBoard is a Greenhouse job list: the API's own {jobs, meta} or a
// crawler's wrapper {company, fetched_at, job_count, jobs}.
type ghBoard struct {
	Jobs    *[]json.RawMessage `json:"jobs"`
	Company string             `json:"company"`
}

// ghJob is one Greenhouse job. With content=true it also has content,
// departments and offices; with pay_transparency=true, pay_input_ranges.
type ghJob struct {
	ID             json.Number `json:"id"`
	Title          string      `json:"title"`
	AbsoluteURL    string      `json:"absolute_url"`
	CompanyName    string      `json:"company_name"`
	UpdatedAt      string      `json:"updated_at"`
	FirstPublished string      `json:"first_published"`
	Location       *struct {
		Name string `json:"name"`
	} `json:"location"`
	Content     string `json:"content"`
	Departments []struct {
		Name string `json:"name"`
	} `json:"departments"`
	Metadata []struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	} `json:"metadata"`
	PayInputRanges json.RawMessage `json:"pay_input_ranges"`
}

// ghPayRange is one pay zone of a Greenhouse job, in cents.
type ghPayRange struct {
	MinCents     *float64 `json:"min_cents"`
	MaxCents     *float64 `json:"max_cents"`
	CurrencyType string   `json:"currency_type"`
	Title        string   `json:"title"`
	Blurb        string   `json:"blurb"`
}

// GreenhouseJobs parses a Greenhouse Job Board API response:
// boards-api.greenhouse.io/v1/boards/<token>/jobs (with or without
// content=true), one job (…/jobs/<id>), or the same list wrapped as
// {company, fetched_at, job_count, jobs} by a crawler. One posting per
// job, SourceType "greenhouse":
//
//   - ExternalID is the job id, URL its absolute_url;
//   - Company is company_name, else the board token of pageURL, of the
//     wrapper or of a greenhouse.io absolute_url;
//   - Location is location.name through ParseLocation; when that names no
//     place (only "Hybrid", "In-Office"), a metadata field whose name
//     contains "location" is read instead;
//   - Remote comes from a metadata field named like "Workplace Type" or
//     "Remote", else from the location text;
//   - EmploymentType from a metadata field named like "Time Type" or
//     "Employment Type" when it is a known type ("Full Time");
//   - Industry from a metadata field whose name contains "industry"
//     (departments are teams, not industries);
//   - DatePosted is first_published, else updated_at;
//   - Description is the content HTML (entity-escaped by the API) as plain
//     text.
//
// Salary is pay_input_ranges when present (amounts in cents, one range per
// pay zone; the envelope of all zones, each one in Ranges; Provenance
// employer-structured), else the first pay ParseSalary finds in the
// description (employer-text). A job without id or title is skipped and
// reported in the returned error (a *ParseError per job, joined); the
// other jobs are still returned. A body that is not a job list is a
// *ParseError.
func GreenhouseJobs(body []byte, pageURL string, fetched time.Time) (*Result, error) {
	res := &Result{Kind: KindGreenhouse}
	raws, wrapperCompany, err := ghJobs(body)
	if err != nil {
		return res, &ParseError{Source: KindGreenhouse, URL: pageURL, Field: "jobs", Err: err}
	}
	_, token := apiEndpoint(pageURL)
	errs := apiJobs(res, raws, KindGreenhouse, pageURL, "job",
		func(j *ghJob) string { return j.ID.String() }, nil,
		func(j *ghJob) (jobtrends.Posting, string) { return ghPosting(j, token, wrapperCompany, fetched) })
	return res, errors.Join(errs...)
}

// ghJobs returns the raw jobs of a list, or the single job a body is.
func ghJobs(body []byte) ([]json.RawMessage, string, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		if err := json.Unmarshal(body, new(map[string]any)); err != nil {
			return nil, "", fmt.Errorf("invalid json: %w", err)
		}
		return nil, "", fmt.Errorf("not a job list: %w", ErrMissing)
	}
	var b ghBoard
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, "", fmt.Errorf("invalid json: %w", err)
	}
	if b.Jobs != nil {
		return *b.Jobs, strings.TrimSpace(b.Company), nil
	}
	var one struct {
		ID    *json.Number `json:"id"`
		Title *string      `json:"title"`
	}
	if json.Unmarshal(body, &one) == nil && one.ID != nil && one.Title != nil {
		return []json.RawMessage{json.RawMessage(body)}, "", nil
	}
	return nil, "", fmt.Errorf("no jobs array: %w", ErrMissing)
}

// ghPosting turns one job into a Posting; field names a missing required
// field.
func ghPosting(j *ghJob, token, wrapperCompany string, fetched time.Time) (p jobtrends.Posting, field string) {
	p = jobtrends.Posting{SourceType: SourceTypeGreenhouse, Remote: jobtrends.RemoteUnknown}
	p.ExternalID = strings.TrimSpace(j.ID.String())
	if p.ExternalID == "" {
		return p, "id"
	}
	p.Title = apiLine(j.Title)
	if p.Title == "" {
		return p, "title"
	}
	p.URL = j.AbsoluteURL
	if u := exResolveURL("", j.AbsoluteURL); u != "" {
		p.URL = exCanonicalURL(u)
	}
	p.Company = apiFirst(apiLine(j.CompanyName), token, wrapperCompany,
		apiHostedBoard(j.AbsoluteURL, "boards.greenhouse.io", "job-boards.greenhouse.io", "boards.eu.greenhouse.io", "job-boards.eu.greenhouse.io"))

	meta := map[string]string{} // lower-case name → value as text
	var metaNames []string
	for _, m := range j.Metadata {
		name := strings.ToLower(txtOneLine(m.Name))
		if v := ghMetaText(m.Value); name != "" && v != "" {
			if _, dup := meta[name]; !dup {
				metaNames = append(metaNames, name)
			}
			meta[name] = v
		}
	}
	metaWith := func(words ...string) string {
		for _, w := range words {
			for _, n := range metaNames {
				if strings.Contains(n, w) {
					return meta[n]
				}
			}
		}
		return ""
	}

	if j.Location != nil {
		p.Location, p.Remote = apiLocation(j.Location.Name)
	}
	if p.Location.City == "" && p.Location.Country == "" {
		for _, n := range metaNames {
			if !strings.Contains(n, "location") {
				continue
			}
			loc, r := apiLocation(meta[n])
			if loc.City == "" && loc.Country == "" {
				continue // "Location Cost Tier: Mid"
			}
			loc.Text = apiJoin(" · ", p.Location.Text, loc.Text)
			p.Location = loc
			if p.Remote == jobtrends.RemoteUnknown {
				p.Remote = r
			}
			break
		}
	}
	if r := apiWorkplace(metaWith("workplace", "remote")); r != jobtrends.RemoteUnknown {
		p.Remote = r
	}
	for _, name := range []string{"time type", "employment type", "employment"} {
		if t := exNormEmployment(metaWith(name)); apiIsEmploymentType(t) {
			p.EmploymentType = t
			break
		}
	}
	p.Industry = apiLine(metaWith("industry"))
	p.DatePosted = apiDate(j.FirstPublished, fetched)
	if p.DatePosted.IsZero() {
		p.DatePosted = apiDate(j.UpdatedAt, fetched)
	}
	p.Description = apiDescription(j.Content)
	if !fetched.IsZero() {
		p.FirstSeen, p.LastSeen = fetched.UTC(), fetched.UTC()
	}
	p.Salary = ghSalary(j.PayInputRanges)
	if p.Salary == nil {
		p.Salary = apiTextSalary(p.Description)
	}
	return p, ""
}

// ghSalary reads pay_input_ranges; nil when there is none with an amount.
func ghSalary(raw json.RawMessage) *jobtrends.Salary {
	var ranges []ghPayRange
	if len(raw) == 0 || json.Unmarshal(raw, &ranges) != nil {
		return nil
	}
	var parts []*jobtrends.Salary
	for _, r := range ranges {
		lo, hi := apiPositive(r.MinCents), apiPositive(r.MaxCents)
		if lo != nil {
			*lo /= 100
		}
		if hi != nil {
			*hi /= 100
		}
		parts = append(parts, SalaryFromAmounts("", lo, hi, r.CurrencyType, apiStatedPeriod(r.Title+"\n"+r.Blurb)))
	}
	return apiCombineRanges(apiCompactJSON(raw), parts)
}

// ghMetaText renders a Greenhouse metadata value (string, number, list of
// strings; booleans and null are not text) as one line, list items joined
// by "; ".
func ghMetaText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return txtOneLine(s)
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	var list []string
	if json.Unmarshal(v, &list) == nil {
		var out []string
		for _, s := range list {
			if s = txtOneLine(s); s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, "; ")
	}
	return ""
}

// --- helpers shared by the three ATS APIs ---

// apiLocation reads a location as an ATS API states it. Remote is what
// the text says ("Remote - USA"); unknown when it says nothing.
func apiLocation(text string) (jobtrends.Location, jobtrends.Remote) {
	text = txtOneLine(text)
	if text == "" {
		return jobtrends.Location{}, jobtrends.RemoteUnknown
	}
	loc, r := ParseLocation(text)
	if loc.Text == "" {
		loc.Text = text
	}
	if r == "" {
		r = jobtrends.RemoteUnknown
	}
	return loc, r
}

// apiWorkplace maps a workplace-type value ("remote", "Hybrid",
// "on-site", "OnSite", "In-Office") to Remote; unknown for anything else
// ("unspecified", "").
func apiWorkplace(v string) jobtrends.Remote {
	k := strings.ToLower(strings.Join(strings.FieldsFunc(v, func(r rune) bool {
		return r == '-' || r == '_' || r == ' '
	}), ""))
	switch k {
	case "remote", "fullyremote", "remoteonly", "remotefirst":
		return jobtrends.RemoteFull
	case "hybrid":
		return jobtrends.RemoteHybrid
	case "onsite", "inoffice", "office", "inperson", "onpremise":
		return jobtrends.RemoteOnsite
	}
	return jobtrends.RemoteUnknown
}

// apiEmployment normalizes an employment type as a page or an API
// states it, possibly several in a list ("Full-Time | Remote", "Full time
// /"): the known types of the list, normalized and joined; the text as
// given when it names none.
func apiEmployment(text string) string {
	parts := strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",|/;•·", r) })
	var known []string
	for _, p := range parts {
		if t := exNormEmployment(p); apiIsEmploymentType(t) {
			known = append(known, t)
		}
	}
	if len(known) > 0 {
		return exJoinEmployment(known)
	}
	return exJoinEmployment(parts)
}

// apiIsEmploymentType reports whether t is a normalized employment type.
func apiIsEmploymentType(t string) bool {
	switch t {
	case "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM":
		return true
	}
	return false
}

// apiDate reads an ISO 8601 date-time as UTC; zero when empty or invalid.
func apiDate(s string, fetched time.Time) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, _, err := ParseDate(s, fetched)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// apiMarkupRe finds what is left of markup in a text: a tag or an escaped
// tag.
var apiMarkupRe = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>`)

// apiDescription turns a description given as HTML, or as entity-escaped
// HTML ("&lt;p&gt;", as Greenhouse sends content), into plain text.
func apiDescription(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if !strings.Contains(s, "<") && strings.Contains(s, "&lt;") {
		s = html.UnescapeString(s)
	}
	t := PlainText(s)
	if apiMarkupRe.MatchString(t) {
		t = PlainText(t) // escaped twice
	}
	return t
}

// apiTextSalary is the first pay stated in a description; nil when it
// states none. An ATS description is the employer's own text, so what it
// states is employer pay (Provenance employer-text) even when it calls
// the range "estimated": no platform estimated it.
func apiTextSalary(text string) *jobtrends.Salary {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	s := apiNoZeroPay(ParseSalary(text))
	if s != nil {
		s.Provenance = jobtrends.ProvenanceText
	}
	return s
}

// apiNoZeroPay drops bounds of 0 from a salary read from text ("$0
// (USD)" for an equity-only role states no pay); nil when no bound is
// left.
func apiNoZeroPay(s *jobtrends.Salary) *jobtrends.Salary {
	if s == nil {
		return nil
	}
	if s.Min != nil && *s.Min == 0 {
		s.Min = nil
	}
	if s.Max != nil && *s.Max == 0 {
		s.Max = nil
	}
	if s.Min == nil && s.Max == nil {
		return nil
	}
	return s
}

// apiLine reads a one-line field (a title, a name) that may hold markup or
// entities ("R&amp;D") as plain text on one line.
func apiLine(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = PlainText(s)
	}
	return txtOneLine(s)
}

// apiPositive returns a copy of a finite amount above zero, else nil: ATS
// APIs send 0 for "not set".
func apiPositive(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) || *p <= 0 {
		return nil
	}
	v := *p
	return &v
}

// apiPeriodRe finds a pay period stated in a label: "per hour", "/year",
// "hourly", "annual".
var apiPeriodRe = regexp.MustCompile(`(?i)(?:\bper\s+|/\s*)(hour|hr|day|week|month|year|yr|annum)\b|\b(hourly|daily|weekly|monthly|yearly|annual|annually)\b`)

// apiStatedPeriod returns the period a pay label names, "" when it names
// none.
func apiStatedPeriod(label string) string {
	m := apiPeriodRe.FindStringSubmatch(label)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}

// apiCombineRanges merges the structured ranges of one posting (pay zones,
// compensation tiers) into one Salary: a single range as is; several as
// their envelope (in the first range's currency and period; a range in
// another currency sets the flag "mixed_currency" and stays out of the
// envelope), every range listed in Ranges. nil parts are skipped; nil when
// none is left. raw becomes the Salary's Raw.
func apiCombineRanges(raw string, parts []*jobtrends.Salary) *jobtrends.Salary {
	var ok []*jobtrends.Salary
	for _, s := range parts {
		if s != nil {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	out := *ok[0]
	out.Raw = raw
	out.Flags = append([]string(nil), ok[0].Flags...)
	if len(ok) == 1 {
		return &out
	}
	out.Min, out.Max = nil, nil
	for _, s := range ok {
		out.Ranges = append(out.Ranges, jobtrends.Range{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: s.Period})
		if s.Currency != out.Currency {
			out.AddFlag("mixed_currency")
			continue
		}
		if s.Period != out.Period {
			continue
		}
		if s.Min != nil && (out.Min == nil || *s.Min < *out.Min) {
			v := *s.Min
			out.Min = &v
		}
		if s.Max != nil && (out.Max == nil || *s.Max > *out.Max) {
			v := *s.Max
			out.Max = &v
		}
	}
	return &out
}

// apiCompactJSON returns raw JSON without insignificant space.
func apiCompactJSON(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// apiFirst returns the first argument that is not empty after
// trimming.
func apiFirst(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// apiJoin joins the non-empty strings with sep.
func apiJoin(sep string, ss ...string) string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}
