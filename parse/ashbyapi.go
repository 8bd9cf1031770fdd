package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
)

// abBoard is an Ashby posting-API job board.
type abBoard struct {
	Jobs *[]json.RawMessage `json:"jobs"`
}

// abJob is one job of the Ashby posting API.
type abJob struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	Department         string `json:"department"`
	Team               string `json:"team"`
	EmploymentType     string `json:"employmentType"`
	Location           string `json:"location"`
	SecondaryLocations []struct {
		Location string `json:"location"`
	} `json:"secondaryLocations"`
	PublishedAt   string `json:"publishedAt"`
	IsListed      *bool  `json:"isListed"`
	IsRemote      *bool  `json:"isRemote"`
	WorkplaceType string `json:"workplaceType"`
	Address       *struct {
		PostalAddress *struct {
			AddressLocality string `json:"addressLocality"`
			AddressRegion   string `json:"addressRegion"`
			AddressCountry  string `json:"addressCountry"`
		} `json:"postalAddress"`
	} `json:"address"`
	JobURL           string  `json:"jobUrl"`
	DescriptionHTML  string  `json:"descriptionHtml"`
	DescriptionPlain string  `json:"descriptionPlain"`
	Compensation     *abComp `json:"compensation"`
}

// abComp is the compensation of an Ashby job (includeCompensation=true).
type abComp struct {
	CompensationTierSummary             string `json:"compensationTierSummary"`
	ScrapeableCompensationSalarySummary string `json:"scrapeableCompensationSalarySummary"`
	CompensationTiers                   []struct {
		Title       string            `json:"title"`
		TierSummary string            `json:"tierSummary"`
		Components  []json.RawMessage `json:"components"`
	} `json:"compensationTiers"`
	SummaryComponents []json.RawMessage `json:"summaryComponents"`
}

// abComponent is one component of an Ashby compensation (salary, equity,
// bonus, commission …).
type abComponent struct {
	CompensationType string   `json:"compensationType"`
	Interval         string   `json:"interval"`
	CurrencyCode     string   `json:"currencyCode"`
	MinValue         *float64 `json:"minValue"`
	MaxValue         *float64 `json:"maxValue"`
}

// AshbyJobBoard parses an Ashby public posting API response
// (api.ashbyhq.com/posting-api/job-board/<org>?includeCompensation=true).
// One posting per listed job (isListed false is skipped), SourceType
// "ashby":
//
//   - ExternalID is the job id, URL its jobUrl;
//   - Company is the organization named by pageURL, else by the jobUrl
//     (jobs.ashbyhq.com/<org>/…): the API gives no company name;
//   - Location is location (secondary locations appended to its Text)
//     through ParseLocation, completed from address.postalAddress;
//   - Remote is workplaceType (Remote, Hybrid, OnSite), else isRemote,
//     else what the location says;
//   - EmploymentType is employmentType (FullTime → FULL_TIME …);
//   - DatePosted is publishedAt; Description the descriptionHtml as plain
//     text (descriptionPlain when there is no HTML). Industry is left
//     empty (department and team are not industries).
//
// Salary is the compensation's summaryComponents of type "Salary", else
// those of each compensation tier (several tiers: their envelope, each
// one in Ranges), with interval ("1 YEAR"), currencyCode, minValue and
// maxValue (Provenance employer-structured). Equity, bonus and commission
// components are not base pay; a 0–0 range is no salary. Without one, the
// compensation summary text, else the description, is read by
// ParseSalary. Jobs without id or title are skipped and reported in the
// returned error; a body that is not a job board is a *ParseError.
func AshbyJobBoard(body []byte, pageURL string, fetched time.Time) (*Result, error) {
	res := &Result{Kind: KindAshbyAPI}
	var b abBoard
	if err := json.Unmarshal(bytes.TrimSpace(body), &b); err != nil {
		return res, &ParseError{Source: KindAshbyAPI, URL: pageURL, Field: "json", Err: err}
	}
	if b.Jobs == nil {
		return res, &ParseError{Source: KindAshbyAPI, URL: pageURL, Field: "jobs", Err: ErrMissing}
	}
	_, org := apiEndpoint(pageURL)
	errs := apiJobs(res, *b.Jobs, KindAshbyAPI, pageURL, "job",
		func(j *abJob) string { return j.ID },
		func(j *abJob) bool { return j.IsListed != nil && !*j.IsListed },
		func(j *abJob) (jobtrends.Posting, string) { return abPosting(j, org, fetched) })
	return res, errors.Join(errs...)
}

// abPosting turns one Ashby job into a Posting; field names a missing
// required field.
func abPosting(j *abJob, org string, fetched time.Time) (p jobtrends.Posting, field string) {
	p = jobtrends.Posting{SourceType: SourceTypeAshby, Remote: jobtrends.RemoteUnknown}
	p.ExternalID = strings.TrimSpace(j.ID)
	if p.ExternalID == "" {
		return p, "id"
	}
	p.Title = apiLine(j.Title)
	if p.Title == "" {
		return p, "title"
	}
	p.URL = strings.TrimSpace(j.JobURL)
	if u := exResolveURL("", j.JobURL); u != "" {
		p.URL = exCanonicalURL(u)
	}
	p.Company = apiFirst(org, apiHostedBoard(j.JobURL, ashbyHost))

	p.Location, p.Remote = apiLocation(j.Location)
	var more []string
	for _, s := range j.SecondaryLocations {
		if t := txtOneLine(s.Location); t != "" && t != p.Location.Text {
			more = append(more, t)
		}
	}
	if len(more) > 0 {
		p.Location.Text = apiJoin("; ", p.Location.Text, strings.Join(more, "; "))
	}
	if j.Address != nil && j.Address.PostalAddress != nil {
		a := j.Address.PostalAddress
		country := apiCountry(a.AddressCountry)
		if p.Location.Country == "" || p.Location.Country == country {
			if p.Location.Country == "" {
				p.Location.Country = country
			}
			if p.Location.Region == "" {
				p.Location.Region = txtOneLine(a.AddressRegion)
			}
			if p.Location.City == "" {
				p.Location.City = txtOneLine(a.AddressLocality)
			}
		}
	}
	if r := apiWorkplace(j.WorkplaceType); r != jobtrends.RemoteUnknown {
		p.Remote = r
	} else if j.IsRemote != nil && *j.IsRemote {
		p.Remote = jobtrends.RemoteFull
	}
	p.EmploymentType = apiEmployment(j.EmploymentType)
	p.DatePosted = apiDate(j.PublishedAt, fetched)
	p.Description = apiDescription(j.DescriptionHTML)
	if p.Description == "" {
		p.Description = lvPlainOnly(j.DescriptionPlain)
	}
	if !fetched.IsZero() {
		p.FirstSeen, p.LastSeen = fetched.UTC(), fetched.UTC()
	}
	p.Salary = abSalary(j.Compensation)
	if p.Salary == nil {
		p.Salary = apiTextSalary(p.Description)
	}
	return p, ""
}

// abSalary reads an Ashby compensation: the salary components of the
// summary, else of the tiers, else the summary text. nil when it states
// no base pay.
func abSalary(c *abComp) *jobtrends.Salary {
	if c == nil {
		return nil
	}
	if s := abComponents(c.SummaryComponents); s != nil {
		return s
	}
	var parts []*jobtrends.Salary
	var raws []json.RawMessage
	for _, t := range c.CompensationTiers {
		if s := abComponents(t.Components); s != nil {
			parts = append(parts, s)
			raws = append(raws, abSalaryRaws(t.Components)...)
		}
	}
	if s := apiCombineRanges(abRawList(raws), parts); s != nil {
		return s
	}
	for _, text := range []string{c.ScrapeableCompensationSalarySummary, c.CompensationTierSummary} {
		if s := apiTextSalary(text); s != nil {
			s.Provenance = jobtrends.ProvenanceStructured
			return s
		}
	}
	return nil
}

// abComponents reads the salary components of one list (several: their
// envelope); nil when none has an amount.
func abComponents(list []json.RawMessage) *jobtrends.Salary {
	var parts []*jobtrends.Salary
	for _, raw := range abSalaryRaws(list) {
		var c abComponent
		if json.Unmarshal(raw, &c) != nil {
			continue
		}
		parts = append(parts, SalaryFromAmounts(apiCompactJSON(raw), apiPositive(c.MinValue), apiPositive(c.MaxValue), c.CurrencyCode, c.Interval))
	}
	return apiCombineRanges(abRawList(abSalaryRaws(list)), parts)
}

// abSalaryRaws keeps the components of type "Salary" (not equity, bonus,
// commission).
func abSalaryRaws(list []json.RawMessage) []json.RawMessage {
	var out []json.RawMessage
	for _, raw := range list {
		var c abComponent
		if json.Unmarshal(raw, &c) == nil && strings.EqualFold(strings.TrimSpace(c.CompensationType), "Salary") {
			out = append(out, raw)
		}
	}
	return out
}

// abRawList renders components as one compact JSON array.
func abRawList(list []json.RawMessage) string {
	if len(list) == 1 {
		return apiCompactJSON(list[0])
	}
	b, err := json.Marshal(list)
	if err != nil {
		return ""
	}
	return apiCompactJSON(b)
}
