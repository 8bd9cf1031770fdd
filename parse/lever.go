package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
)

// lvJob is one posting of the Lever postings API (mode=json).
type lvJob struct {
	ID         string `json:"id"`
	Text       string `json:"text"`
	HostedURL  string `json:"hostedUrl"`
	CreatedAt  *int64 `json:"createdAt"`
	Country    string `json:"country"`
	Categories struct {
		Location     string   `json:"location"`
		Commitment   string   `json:"commitment"`
		Team         string   `json:"team"`
		Department   string   `json:"department"`
		AllLocations []string `json:"allLocations"`
	} `json:"categories"`
	WorkplaceType    string `json:"workplaceType"`
	Description      string `json:"description"`
	DescriptionPlain string `json:"descriptionPlain"`
	Lists            []struct {
		Text    string `json:"text"`
		Content string `json:"content"`
	} `json:"lists"`
	Additional             string          `json:"additional"`
	AdditionalPlain        string          `json:"additionalPlain"`
	SalaryDescription      string          `json:"salaryDescription"`
	SalaryDescriptionPlain string          `json:"salaryDescriptionPlain"`
	SalaryRange            json.RawMessage `json:"salaryRange"`
}

// lvSalaryRange is a Lever posting's salaryRange.
type lvSalaryRange struct {
	Min      *float64 `json:"min"`
	Max      *float64 `json:"max"`
	Currency string   `json:"currency"`
	Interval string   `json:"interval"`
}

// LeverPostings parses a Lever postings API response
// (api.lever.co/v0/postings/<site>?mode=json: an array of postings; or
// one posting, …/postings/<site>/<id>). One posting per element,
// SourceType "lever":
//
//   - ExternalID is the posting id, URL its hostedUrl, Title its text;
//   - Company is the site named by pageURL, else by the hostedUrl
//     (jobs.lever.co/<site>/…): the API gives no company name;
//   - Location is categories.location through ParseLocation (the country
//     field fills Location.Country when the text names none);
//   - Remote is workplaceType (remote, hybrid, on-site), else what the
//     location text says;
//   - EmploymentType is categories.commitment, normalized;
//   - DatePosted is createdAt (epoch milliseconds);
//   - Description is the description, each list under its heading, the
//     closing text and the salary description, as plain text. Industry is
//     left empty (team and department are not industries).
//
// Salary is salaryRange (min, max, currency, interval such as
// "per-year-salary" or "per-hour-wage"; Provenance employer-structured;
// 0–0 is no salary), else the first pay ParseSalary finds in the salary
// description, else in the description. Postings without id or text are
// skipped and reported in the returned error; a body that is neither a
// posting nor an array of postings is a *ParseError.
func LeverPostings(body []byte, pageURL string, fetched time.Time) (*Result, error) {
	res := &Result{Kind: KindLever}
	raws, err := lvItems(body)
	if err != nil {
		return res, &ParseError{Source: KindLever, URL: pageURL, Field: "postings", Err: err}
	}
	_, site := apiEndpoint(pageURL)
	errs := apiJobs(res, raws, KindLever, pageURL, "posting",
		func(j *lvJob) string { return j.ID }, nil,
		func(j *lvJob) (jobtrends.Posting, string) { return lvToPosting(j, site, fetched) })
	return res, errors.Join(errs...)
}

// lvItems returns the raw postings of an array, or the one posting a
// body is.
func lvItems(body []byte) ([]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '{' {
		var one struct {
			ID *string `json:"id"`
		}
		if err := json.Unmarshal(body, &one); err != nil {
			return nil, fmt.Errorf("invalid json: %w", err)
		}
		if one.ID == nil {
			return nil, fmt.Errorf("not a posting: %w", ErrMissing)
		}
		return []json.RawMessage{json.RawMessage(body)}, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("invalid json: %w", err)
	}
	return list, nil
}

// lvToPosting turns one Lever posting into a Posting; field names a
// missing required field.
func lvToPosting(lp *lvJob, site string, fetched time.Time) (p jobtrends.Posting, field string) {
	p = jobtrends.Posting{SourceType: SourceTypeLever, Remote: jobtrends.RemoteUnknown}
	p.ExternalID = strings.TrimSpace(lp.ID)
	if p.ExternalID == "" {
		return p, "id"
	}
	p.Title = apiLine(lp.Text)
	if p.Title == "" {
		return p, "text"
	}
	p.URL = strings.TrimSpace(lp.HostedURL)
	if u := exResolveURL("", lp.HostedURL); u != "" {
		p.URL = exCanonicalURL(u)
	}
	p.Company = apiFirst(site, apiHostedBoard(lp.HostedURL, "jobs.lever.co", "jobs.eu.lever.co"))

	locText := lp.Categories.Location
	if locText == "" && len(lp.Categories.AllLocations) > 0 {
		locText = strings.Join(lp.Categories.AllLocations, "; ")
	}
	p.Location, p.Remote = apiLocation(locText)
	if p.Location.Country == "" {
		p.Location.Country = apiCountry(lp.Country)
	}
	if r := apiWorkplace(lp.WorkplaceType); r != jobtrends.RemoteUnknown {
		p.Remote = r
	}
	p.EmploymentType = apiEmployment(lp.Categories.Commitment)
	if lp.CreatedAt != nil && *lp.CreatedAt > 0 {
		p.DatePosted = time.UnixMilli(*lp.CreatedAt).UTC()
	}
	if !fetched.IsZero() {
		p.FirstSeen, p.LastSeen = fetched.UTC(), fetched.UTC()
	}

	salaryText := apiDescription(lp.SalaryDescription)
	if salaryText == "" {
		salaryText = lvPlainOnly(lp.SalaryDescriptionPlain)
	}
	p.Description = lvDescription(lp, salaryText)

	p.Salary = lvSalary(lp.SalaryRange)
	if p.Salary == nil {
		p.Salary = apiTextSalary(salaryText)
	}
	if p.Salary == nil {
		p.Salary = apiTextSalary(p.Description)
	}
	return p, ""
}

// lvDescription joins the parts of a Lever posting into plain text.
// The HTML version of each part is preferred; the API's *Plain copy is
// used only when the HTML one is missing.
func lvDescription(lp *lvJob, salaryText string) string {
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if d := apiDescription(lp.Description); d != "" {
		add(d)
	} else {
		add(lvPlainOnly(lp.DescriptionPlain))
	}
	for _, l := range lp.Lists {
		content := l.Content
		if !strings.Contains(strings.ToLower(content), "<ul") && !strings.Contains(strings.ToLower(content), "<ol") {
			content = "<ul>" + content + "</ul>" // Lever sends bare <li> items
		}
		add(strings.TrimSpace(apiLine(l.Text) + "\n" + apiDescription(content)))
	}
	if a := apiDescription(lp.Additional); a != "" {
		add(a)
	} else {
		add(lvPlainOnly(lp.AdditionalPlain))
	}
	add(salaryText)
	return strings.Join(parts, "\n\n")
}

// lvPlainOnly tidies a text the API calls plain; one that holds markup
// after all is read as HTML.
func lvPlainOnly(s string) string {
	if apiMarkupRe.MatchString(s) {
		return PlainText(s)
	}
	return txtTidy(s, false)
}

// lvSalary reads salaryRange; nil when absent or without an amount.
func lvSalary(raw json.RawMessage) *jobtrends.Salary {
	var r lvSalaryRange
	if len(raw) == 0 || json.Unmarshal(raw, &r) != nil {
		return nil
	}
	return SalaryFromAmounts(apiCompactJSON(raw), apiPositive(r.Min), apiPositive(r.Max), r.Currency, r.Interval)
}

// apiCountry returns the ISO 3166-1 alpha-2 code of a country code or name
// given by an API, "" when unknown.
func apiCountry(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return CountryCode(s)
}
