package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
)

// record is one posting as `extract` and `export` print it. The field
// names are part of the command-line interface.
type record struct {
	Source         string        `json:"source"`
	URL            string        `json:"url"`
	ExternalID     string        `json:"external_id"`
	Title          string        `json:"title"`
	Roles          []string      `json:"roles,omitempty"`
	Company        string        `json:"company"`
	Location       string        `json:"location"`
	City           string        `json:"city,omitempty"`
	Region         string        `json:"region,omitempty"`
	Country        string        `json:"country"`
	Remote         string        `json:"remote"`
	EmploymentType string        `json:"employment_type"`
	DatePosted     string        `json:"date_posted"`
	Salary         *salaryRecord `json:"salary"`
	Role           string        `json:"role"`
	Seniority      string        `json:"seniority"`
	Skills         []string      `json:"skills"`
	Education      []string      `json:"education,omitempty"`
	Industry       string        `json:"industry,omitempty"`
	Thread         string        `json:"thread,omitempty"`
	FirstSeen      string        `json:"first_seen,omitempty"`
	LastSeen       string        `json:"last_seen,omitempty"`
	Closed         string        `json:"closed,omitempty"`
}

type salaryRecord struct {
	Min          *float64 `json:"min"`
	Max          *float64 `json:"max"`
	Currency     string   `json:"currency"`
	Period       string   `json:"period"`
	AnnualMinUSD *float64 `json:"annual_min_usd"`
	AnnualMaxUSD *float64 `json:"annual_max_usd"`
	Raw          string   `json:"raw"`
	Provenance   string   `json:"provenance"`
	Flags        []string `json:"flags,omitempty"`
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// newRecord converts a posting; withSeen adds first/last seen (export).
func newRecord(p *jobtrends.Posting, withSeen bool) record {
	r := record{
		Source: p.Source, URL: p.URL, ExternalID: p.ExternalID, Title: p.Title, Roles: p.Roles,
		Company: p.Company, Location: p.Location.Text, City: p.Location.City, Region: p.Location.Region,
		Country: p.Location.Country, Remote: string(p.Remote), EmploymentType: p.EmploymentType,
		DatePosted: day(p.DatePosted), Role: p.Role, Seniority: p.Seniority, Skills: p.Skills,
		Education: p.Education, Industry: p.Industry, Thread: p.Thread,
	}
	if r.Skills == nil {
		r.Skills = []string{}
	}
	if r.Remote == "" {
		r.Remote = string(jobtrends.RemoteUnknown)
	}
	if s := p.Salary; s != nil {
		r.Salary = &salaryRecord{
			Min: s.Min, Max: s.Max, Currency: s.Currency, Period: string(s.Period),
			AnnualMinUSD: s.AnnualMinUSD, AnnualMaxUSD: s.AnnualMaxUSD,
			Raw: s.Raw, Provenance: string(s.Provenance), Flags: s.Flags,
		}
	}
	if withSeen {
		r.FirstSeen, r.LastSeen, r.Closed = stamp(p.FirstSeen), stamp(p.LastSeen), stamp(p.Closed)
	}
	return r
}

// jsonlWriter writes one JSON object per line, HTML characters unescaped.
func jsonlWriter(w io.Writer) func(record) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return func(r record) error { return enc.Encode(r) }
}

var csvHeader = []string{"source", "url", "external_id", "title", "company", "location", "city", "region",
	"country", "remote", "employment_type", "date_posted", "salary_min", "salary_max", "salary_currency",
	"salary_period", "annual_min_usd", "annual_max_usd", "salary_raw", "salary_provenance", "role",
	"seniority", "skills", "industry", "thread", "first_seen", "last_seen", "closed"}

// csvWriter writes records as CSV with a header. Cells that a spreadsheet
// would read as a formula are neutralised with a leading apostrophe.
func csvWriter(w io.Writer) (write func(record) error, flush func() error) {
	cw := csv.NewWriter(w)
	header := false
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	write = func(r record) error {
		if !header {
			header = true
			if err := cw.Write(csvHeader); err != nil {
				return err
			}
		}
		var s salaryRecord
		if r.Salary != nil {
			s = *r.Salary
		}
		row := []string{r.Source, r.URL, r.ExternalID, r.Title, r.Company, r.Location, r.City, r.Region,
			r.Country, r.Remote, r.EmploymentType, r.DatePosted, num(s.Min), num(s.Max), s.Currency,
			s.Period, num(s.AnnualMinUSD), num(s.AnnualMaxUSD), s.Raw, s.Provenance, r.Role,
			r.Seniority, strings.Join(r.Skills, ";"), r.Industry, r.Thread, r.FirstSeen, r.LastSeen, r.Closed}
		for i, c := range row {
			row[i] = csvSafe(c)
		}
		return cw.Write(row)
	}
	flush = func() error {
		if !header {
			if err := cw.Write(csvHeader); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	return write, flush
}

// csvSafe prefixes a cell that starts like a spreadsheet formula.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
