package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends"
)

// reportCols are the columns of a posting the report reads (package
// analyze): identity, the fields of the dedupe key, dates, roles, place,
// the salary amounts, provenance and flags, and the classifier's labels.
// Not the description, the URL, the raw salary text or the lifecycle.
var reportCols = []string{
	"source", "external_id", "title", "roles", "company",
	"location_text", "location_city", "location_country", "remote", "date_posted",
	"has_salary", "salary_min", "salary_max", "salary_annual_min_usd", "salary_annual_max_usd",
	"salary_provenance", "salary_flags",
	"role", "seniority", "skills", "education", "industry", "thread",
}

// reportQuery reads reportCols of every posting in the order of Postings
// (the report's cross-source dedupe keeps the first source by name among
// equals, and the same order gives the same choice). Plain SQL: no
// placeholder, no function of one engine.
var reportQuery = "SELECT " + strings.Join(reportCols, ", ") + " FROM postings ORDER BY source, external_id"

// ReportPostings calls fn with every stored posting, closed ones included,
// in the order of Postings, with only the fields the report reads set:
// Source, ExternalID, Title, Roles, Company, Location (Text, City,
// Country), Remote, DatePosted, Salary (Min, Max, AnnualMinUSD,
// AnnualMaxUSD, Provenance, Flags), Role, Seniority, Skills, Education,
// Industry and Thread. The rest (Description above all) is left empty, so
// a report over millions of postings streams rows without holding them.
// Each p is a new value; an error from fn stops the iteration and is
// returned as is.
func (s *Store) ReportPostings(ctx context.Context, fn func(p *jobtrends.Posting) error) error {
	return s.eachPosting(ctx, reportQuery, scanReportPosting, fn, "read postings for the report from %s")
}

// scanReportPosting reads reportCols, as scanPosting reads postingCols.
func scanReportPosting(sc interface{ Scan(...any) error }) (*jobtrends.Posting, error) {
	var (
		p                            jobtrends.Posting
		remote                       string
		roles, skills, education     sql.NullString
		datePosted, prov, flags      sql.NullString
		hasSalary                    bool
		lo, hi, annMinUSD, annMaxUSD sql.NullFloat64
	)
	err := sc.Scan(
		&p.Source, &p.ExternalID, &p.Title, &roles, &p.Company,
		&p.Location.Text, &p.Location.City, &p.Location.Country, &remote, &datePosted,
		&hasSalary, &lo, &hi, &annMinUSD, &annMaxUSD,
		&prov, &flags,
		&p.Role, &p.Seniority, &skills, &education, &p.Industry, &p.Thread,
	)
	if err != nil {
		return nil, err
	}
	p.Remote = jobtrends.Remote(remote)
	for _, l := range []struct {
		name string
		dst  *[]string
		v    sql.NullString
	}{{"roles", &p.Roles, roles}, {"skills", &p.Skills, skills}, {"education", &p.Education, education}} {
		if *l.dst, err = parseReportList(l.v); err != nil {
			return nil, fmt.Errorf("posting %s/%s: %s: %w", p.Source, p.ExternalID, l.name, err)
		}
	}
	if p.DatePosted, err = parseTime(datePosted); err != nil {
		return nil, fmt.Errorf("posting %s/%s: date_posted: %w", p.Source, p.ExternalID, err)
	}
	if hasSalary {
		sal := &jobtrends.Salary{
			Min:          nullFloat(lo),
			Max:          nullFloat(hi),
			AnnualMinUSD: nullFloat(annMinUSD),
			AnnualMaxUSD: nullFloat(annMaxUSD),
			Provenance:   jobtrends.Provenance(prov.String),
		}
		if sal.Flags, err = parseReportList(flags); err != nil {
			return nil, fmt.Errorf("posting %s/%s: salary flags: %w", p.Source, p.ExternalID, err)
		}
		p.Salary = sal
	}
	return &p, nil
}

// parseReportList is parseList with a fast path for the lists the store
// writes (json.Marshal of valid UTF-8 strings): an array of strings
// without escapes, spaces or control characters is split in place; any
// other text goes to parseList. Decoding every list with encoding/json
// was a fifth of the time of reading a million postings.
func parseReportList(v sql.NullString) ([]string, error) {
	s := v.String
	if !v.Valid || len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || !utf8.ValidString(s) {
		return parseList(v)
	}
	out := []string{}
	for i := 1; i < len(s)-1; {
		if s[i] != '"' {
			return parseList(v)
		}
		j := i + 1
		for j < len(s) && s[j] != '"' && s[j] != '\\' && s[j] >= 0x20 {
			j++
		}
		if j >= len(s)-1 || s[j] != '"' {
			return parseList(v)
		}
		out = append(out, s[i+1:j])
		i = j + 1
		switch {
		case i == len(s)-1:
		case s[i] == ',' && i+1 < len(s)-1:
			i++
		default:
			return parseList(v)
		}
	}
	return out, nil
}
