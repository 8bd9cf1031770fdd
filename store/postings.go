package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
)

// postingCols are the columns holding the extracted fields of a Posting,
// in the order of postingArgs and scanPosting.
var postingCols = []string{
	"source", "external_id", "source_type", "url", "title", "roles", "company",
	"location_text", "location_city", "location_region", "location_country",
	"remote", "employment_type", "date_posted", "date_approx", "description",
	"has_salary", "salary_raw", "salary_min", "salary_max", "salary_currency",
	"salary_period", "salary_period_inferred", "salary_ranges", "salary_multiplier",
	"salary_annual_min", "salary_annual_max", "salary_usd_rate", "salary_rate_date",
	"salary_annual_min_usd", "salary_annual_max_usd", "salary_provenance", "salary_flags",
	"role", "seniority", "skills", "education", "industry", "thread", "origin",
}

// clean returns a deep copy of p that is safe to store: every string valid
// UTF-8 (invalid bytes become U+FFFD), non-finite amounts dropped (nil, or 0
// for the non-pointer fields) and DatePosted in UTC. The lifecycle fields
// (FirstSeen, LastSeen, Closed) are zeroed: the store keeps those. An
// ExternalID over maxKeyBytes becomes its boundKey.
func clean(p jobtrends.Posting) jobtrends.Posting {
	c := p
	for _, s := range []*string{
		&c.Source, &c.SourceType, &c.ExternalID, &c.URL, &c.Title, &c.Company,
		&c.Location.Text, &c.Location.City, &c.Location.Region, &c.Location.Country,
		&c.EmploymentType, &c.Description, &c.Role, &c.Seniority, &c.Industry,
		&c.Thread, &c.Origin,
	} {
		*s = validUTF8(*s)
	}
	c.ExternalID = boundKey(c.ExternalID)
	c.Remote = jobtrends.Remote(validUTF8(string(c.Remote)))
	c.Roles = cleanList(p.Roles)
	c.Skills = cleanList(p.Skills)
	c.Education = cleanList(p.Education)
	if !c.DatePosted.IsZero() {
		c.DatePosted = c.DatePosted.UTC()
	}
	c.FirstSeen, c.LastSeen, c.Closed = time.Time{}, time.Time{}, time.Time{}
	if p.Salary != nil {
		s := *p.Salary
		s.Raw = validUTF8(s.Raw)
		s.Currency = validUTF8(s.Currency)
		s.Period = jobtrends.Period(validUTF8(string(s.Period)))
		s.RateDate = validUTF8(s.RateDate)
		s.Provenance = jobtrends.Provenance(validUTF8(string(s.Provenance)))
		s.Flags = cleanList(s.Flags)
		s.Min, s.Max = finite(s.Min), finite(s.Max)
		s.AnnualMin, s.AnnualMax = finite(s.AnnualMin), finite(s.AnnualMax)
		s.AnnualMinUSD, s.AnnualMaxUSD = finite(s.AnnualMinUSD), finite(s.AnnualMaxUSD)
		if math.IsNaN(s.Multiplier) || math.IsInf(s.Multiplier, 0) {
			s.Multiplier = 0
		}
		if math.IsNaN(s.USDRate) || math.IsInf(s.USDRate, 0) {
			s.USDRate = 0
		}
		if s.Ranges != nil {
			s.Ranges = make([]jobtrends.Range, len(p.Salary.Ranges))
			for i, r := range p.Salary.Ranges {
				r.Min, r.Max = finite(r.Min), finite(r.Max)
				r.Currency = validUTF8(r.Currency)
				r.Period = jobtrends.Period(validUTF8(string(r.Period)))
				s.Ranges[i] = r
			}
		}
		c.Salary = &s
	}
	return c
}

// validUTF8 returns s as text both backends store: invalid UTF-8 and NUL
// bytes (which PostgreSQL's text type refuses) become U+FFFD.
func validUTF8(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	return s
}

func cleanList(l []string) []string {
	if l == nil {
		return nil
	}
	c := make([]string, len(l))
	for i, s := range l {
		c[i] = validUTF8(s)
	}
	return c
}

// finite returns a copy of *f, or nil when f is nil, NaN or infinite
// (SQLite stores NaN as NULL, and JSON has neither).
func finite(f *float64) *float64 {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	v := *f
	return &v
}

// contentHash hashes the extracted fields of a cleaned posting: two
// extractions of the same posting hash equal unless a field changed. A nil
// and an empty list hash equal.
func contentHash(c *jobtrends.Posting) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(b)
	return h[:], nil
}

// DedupeKey is jobtrends.DedupeKey, bounded (boundKey): the store fills the
// dedupe_key column with it.
func DedupeKey(p *jobtrends.Posting) string { return boundKey(jobtrends.DedupeKey(p)) }

// maxKeyBytes bounds the keys the store indexes: a posting's external id
// and dedupe key. A hostile page can make either as long as it likes, and a
// PostgreSQL B-tree entry holds about 2.7 KB.
const maxKeyBytes = 512

// boundKey returns k, or for a k over maxKeyBytes "sha256:" and the hex
// SHA-256 of its bytes: the same text always gives the same key, and two
// texts the same key only if they are equal (barring a SHA-256 collision).
func boundKey(k string) string {
	if len(k) <= maxKeyBytes {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// postingArgs returns the values of postingCols for a cleaned posting.
func postingArgs(c *jobtrends.Posting) ([]any, error) {
	roles, err := jsonList(c.Roles)
	if err != nil {
		return nil, err
	}
	skills, err := jsonList(c.Skills)
	if err != nil {
		return nil, err
	}
	education, err := jsonList(c.Education)
	if err != nil {
		return nil, err
	}
	args := []any{
		c.Source, c.ExternalID, c.SourceType, c.URL, c.Title, roles, c.Company,
		c.Location.Text, c.Location.City, c.Location.Region, c.Location.Country,
		string(c.Remote), c.EmploymentType, fmtTime(c.DatePosted), c.DateApprox, c.Description,
	}
	if s := c.Salary; s == nil {
		args = append(args, false)
		for range 16 { // salary_raw … salary_flags
			args = append(args, nil)
		}
	} else {
		var ranges any
		if s.Ranges != nil {
			b, err := json.Marshal(s.Ranges)
			if err != nil {
				return nil, err
			}
			ranges = string(b)
		}
		flags, err := jsonList(s.Flags)
		if err != nil {
			return nil, err
		}
		args = append(args, true,
			s.Raw, floatPtr(s.Min), floatPtr(s.Max), s.Currency,
			string(s.Period), s.PeriodInferred, ranges, s.Multiplier,
			floatPtr(s.AnnualMin), floatPtr(s.AnnualMax), s.USDRate, s.RateDate,
			floatPtr(s.AnnualMinUSD), floatPtr(s.AnnualMaxUSD), string(s.Provenance), flags)
	}
	args = append(args, c.Role, c.Seniority, skills, education, c.Industry, c.Thread, c.Origin)
	return args, nil
}

func floatPtr(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// jsonList encodes a list as a JSON array; nil is NULL.
func jsonList(l []string) (any, error) {
	if l == nil {
		return nil, nil
	}
	b, err := json.Marshal(l)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

func parseList(v sql.NullString) ([]string, error) {
	if !v.Valid {
		return nil, nil
	}
	var l []string
	if err := json.Unmarshal([]byte(v.String), &l); err != nil {
		return nil, err
	}
	if l == nil { // "null" written by hand
		return nil, nil
	}
	return l, nil
}

// scanPosting reads postingCols followed by first_seen, last_seen, closed_at.
func scanPosting(sc interface{ Scan(...any) error }) (*jobtrends.Posting, error) {
	var (
		p                                            jobtrends.Posting
		remote                                       string
		roles, skills, education                     sql.NullString
		datePosted, firstSeen, lastSeen, closedAt    sql.NullString
		hasSalary                                    bool
		raw, currency, period, rateDate, prov        sql.NullString
		ranges, flags                                sql.NullString
		periodInferred                               sql.NullBool
		lo, hi, annMin, annMax, annMinUSD, annMaxUSD sql.NullFloat64
		multiplier, usdRate                          sql.NullFloat64
	)
	err := sc.Scan(
		&p.Source, &p.ExternalID, &p.SourceType, &p.URL, &p.Title, &roles, &p.Company,
		&p.Location.Text, &p.Location.City, &p.Location.Region, &p.Location.Country,
		&remote, &p.EmploymentType, &datePosted, &p.DateApprox, &p.Description,
		&hasSalary, &raw, &lo, &hi, &currency,
		&period, &periodInferred, &ranges, &multiplier,
		&annMin, &annMax, &usdRate, &rateDate,
		&annMinUSD, &annMaxUSD, &prov, &flags,
		&p.Role, &p.Seniority, &skills, &education, &p.Industry, &p.Thread, &p.Origin,
		&firstSeen, &lastSeen, &closedAt,
	)
	if err != nil {
		return nil, err
	}
	p.Remote = jobtrends.Remote(remote)
	if p.Roles, err = parseList(roles); err != nil {
		return nil, fmt.Errorf("posting %s/%s: roles: %w", p.Source, p.ExternalID, err)
	}
	if p.Skills, err = parseList(skills); err != nil {
		return nil, fmt.Errorf("posting %s/%s: skills: %w", p.Source, p.ExternalID, err)
	}
	if p.Education, err = parseList(education); err != nil {
		return nil, fmt.Errorf("posting %s/%s: education: %w", p.Source, p.ExternalID, err)
	}
	for _, t := range []struct {
		dst *time.Time
		v   sql.NullString
	}{{&p.DatePosted, datePosted}, {&p.FirstSeen, firstSeen}, {&p.LastSeen, lastSeen}, {&p.Closed, closedAt}} {
		if *t.dst, err = parseTime(t.v); err != nil {
			return nil, fmt.Errorf("posting %s/%s: %w", p.Source, p.ExternalID, err)
		}
	}
	if hasSalary {
		s := &jobtrends.Salary{
			Raw:            raw.String,
			Min:            nullFloat(lo),
			Max:            nullFloat(hi),
			Currency:       currency.String,
			Period:         jobtrends.Period(period.String),
			PeriodInferred: periodInferred.Bool,
			Multiplier:     multiplier.Float64,
			AnnualMin:      nullFloat(annMin),
			AnnualMax:      nullFloat(annMax),
			USDRate:        usdRate.Float64,
			RateDate:       rateDate.String,
			AnnualMinUSD:   nullFloat(annMinUSD),
			AnnualMaxUSD:   nullFloat(annMaxUSD),
			Provenance:     jobtrends.Provenance(prov.String),
		}
		if ranges.Valid {
			if err := json.Unmarshal([]byte(ranges.String), &s.Ranges); err != nil {
				return nil, fmt.Errorf("posting %s/%s: salary ranges: %w", p.Source, p.ExternalID, err)
			}
		}
		if s.Flags, err = parseList(flags); err != nil {
			return nil, fmt.Errorf("posting %s/%s: salary flags: %w", p.Source, p.ExternalID, err)
		}
		p.Salary = s
	}
	return &p, nil
}

func nullFloat(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	v := f.Float64
	return &v
}

// Postings calls fn with every stored posting, ordered by source and
// external ID, closed ones included (Closed is then set). DatePosted,
// FirstSeen, LastSeen and Closed are UTC; zero when unknown. Each p is a
// new value the caller may keep. An error from fn stops the iteration and
// is returned as is.
func (s *Store) Postings(ctx context.Context, fn func(p *jobtrends.Posting) error) error {
	q := "SELECT " + strings.Join(postingCols, ", ") +
		", first_seen, last_seen, closed_at FROM postings ORDER BY source, external_id"
	return s.eachPosting(ctx, q, scanPosting, fn, "read postings from %s")
}

// eachPosting runs query and calls fn with each row as scan reads it; an
// error of the query or of scan is wrapped with step (which takes the
// database's name), an error of fn is returned as is.
func (s *Store) eachPosting(ctx context.Context, query string, scan func(interface{ Scan(...any) error }) (*jobtrends.Posting, error),
	fn func(p *jobtrends.Posting) error, step string) error {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return wrap(err, step, s.path)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scan(rows)
		if err != nil {
			return wrap(err, step, s.path)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return wrap(err, step, s.path)
	}
	return nil
}

// CloseMissing records that a complete crawl of source in run runID did
// not see some of its open postings (those SavePage did not get in this
// run). Each such posting's miss count goes up by one, at most once per
// run; a posting missed by k consecutive complete crawls is closed with
// Closed = now. SavePage resets the count, and reopens a closed posting,
// when it sees the posting again. It returns how many postings it closed.
//
// Call it only for a source whose crawl was complete: a crawl that failed
// halfway, or that returned no postings at all where the last one did
// (see LastRunWithPostings), would close postings that are still open.
func (s *Store) CloseMissing(ctx context.Context, runID int64, source string, k int, now time.Time) (int, error) {
	if k < 1 {
		return 0, fmt.Errorf("store: close missing postings of %s in %s: k = %d, want at least 1", source, s.path, k)
	}
	var closed int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.runStatus(ctx, tx, runID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`
			UPDATE postings SET missed = missed + 1, missed_run_id = ?1
			WHERE source = ?2 AND closed_at IS NULL
			  AND last_run_id IS DISTINCT FROM ?1 AND missed_run_id IS DISTINCT FROM ?1`),
			runID, source)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`
			UPDATE postings SET closed_at = ?1
			WHERE source = ?2 AND closed_at IS NULL AND missed >= ?3`),
			fmtTime(now), source, k)
		if err != nil {
			return err
		}
		closed, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, wrap(err, "close missing postings of %s in %s", source, s.path)
	}
	return int(closed), nil
}
