// Package synth makes synthetic postings for the benchmarks of the
// analysis and report steps (analyze/bench_test.go, charts/bench_test.go
// and the 1M-posting measurement of the bench program). It is benchmark
// support, not part of the pipeline: nothing outside bench/ and *_test.go
// files imports it.
//
// Every field is drawn from real postings: the bundled demo pages (package
// demo, real "Who is hiring?" thread pages of 2019–2026 and a JSON-LD job
// page) are parsed and enriched once with the real parse package, and each
// synthetic posting combines independently drawn real postings: the title,
// roles, role, seniority, skills, education and industry of one; the
// company of a second; the location and remote of a third; the salary of a
// fourth; the source of a fifth. Dates keep the real distribution of years
// (the year of a sixth posting) but the month is drawn uniformly, so that
// every monthly series is dense (the demo threads are all June threads but
// one), and no date passes Now. Identifiers are unique; descriptions are
// left empty (no analysis reads them). Salaries are shared pointers: the
// analysis only reads them.
package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/demo"
	"github.com/jobtrends/jobtrends/parse"
)

// Now is the "now" of the synthetic data set: no posting is dated after
// it. Pass it as analyze.Options.Now.
var Now = time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)

// first is the earliest month drawn.
var first = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)

// Pool is the real postings synthetic ones are drawn from.
type Pool struct {
	real  []jobtrends.Posting
	paid  []*jobtrends.Salary // salaries of the real postings that have one
	years []int               // the year of every dated real posting
	share float64             // share of real postings with a salary
}

var load = sync.OnceValues(func() (*Pool, error) {
	pages, err := demo.Pages()
	if err != nil {
		return nil, err
	}
	fetched := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	p := &Pool{}
	for _, pg := range pages {
		res, err := parse.Extract(pg.URL, pg.Body, fetched)
		if res == nil {
			return nil, fmt.Errorf("synth: parse %s: %w", pg.URL, err)
		}
		p.real = append(p.real, res.Postings...)
	}
	parse.NewEnricher().Postings(p.real) // on every core
	for i := range p.real {
		p.real[i].Source = p.real[i].SourceType
		p.real[i].Description = ""
	}
	for i := range p.real {
		ps := &p.real[i]
		if ps.Salary != nil {
			p.paid = append(p.paid, ps.Salary)
		}
		if t := when(ps); !t.IsZero() {
			p.years = append(p.years, t.Year())
		}
	}
	if len(p.real) == 0 || len(p.paid) == 0 || len(p.years) == 0 {
		return nil, fmt.Errorf("synth: the demo pages gave %d postings, %d salaries, %d dates", len(p.real), len(p.paid), len(p.years))
	}
	p.share = float64(len(p.paid)) / float64(len(p.real))
	return p, nil
})

// Load parses the demo pages (once per process) and returns the pool.
func Load() (*Pool, error) { return load() }

// Real returns how many real postings the pool holds.
func (p *Pool) Real() int { return len(p.real) }

// RealPostings returns a copy of the real postings the pool draws from:
// the demo pages parsed and enriched, Source set to the source type and
// descriptions left out. The salaries are shared with the pool: do not
// modify them.
func (p *Pool) RealPostings() []jobtrends.Posting { return slices.Clone(p.real) }

// when is the date the analysis files a posting under.
func when(ps *jobtrends.Posting) time.Time {
	if t, err := time.Parse("2006-01", ps.Thread); err == nil {
		return t
	}
	return ps.DatePosted
}

// Postings returns n synthetic postings; the same seed gives the same
// postings.
func (p *Pool) Postings(n int, seed uint64) []jobtrends.Posting {
	out := make([]jobtrends.Posting, n)
	i := 0
	p.Each(n, seed, func(q *jobtrends.Posting) error { //nolint:errcheck // fn never fails
		out[i] = *q
		i++
		return nil
	})
	return out
}

// Each calls fn with the n synthetic postings Postings(n, seed) returns, in
// the same order, one at a time: nothing is held, so a million postings
// can be streamed in constant memory. fn must not keep q (it is reused). An
// error of fn stops the stream and is returned.
func (p *Pool) Each(n int, seed uint64, fn func(q *jobtrends.Posting) error) error {
	r := rand.New(rand.NewPCG(seed, 0x6a6f62747265))
	pick := func() *jobtrends.Posting { return &p.real[r.IntN(len(p.real))] }
	var q jobtrends.Posting
	for i := range n {
		a, b, c, d := pick(), pick(), pick(), pick()
		q = jobtrends.Posting{}
		q.Source, q.SourceType = d.Source, d.SourceType
		q.ExternalID = fmt.Sprintf("s%d", i)
		q.Title, q.Roles = a.Title, a.Roles
		q.Role, q.Seniority, q.Skills, q.Education, q.Industry = a.Role, a.Seniority, a.Skills, a.Education, a.Industry
		q.EmploymentType = a.EmploymentType
		q.Company = b.Company
		q.Location, q.Remote = c.Location, c.Remote
		if r.Float64() < p.share {
			q.Salary = p.paid[r.IntN(len(p.paid))]
		}
		t := p.date(r)
		q.DatePosted, q.DateApprox = t, q.SourceType == parse.SourceTypeHN
		if q.SourceType == parse.SourceTypeHN {
			q.Thread = t.Format("2006-01")
			q.URL = "https://news.ycombinator.com/item?id=" + q.ExternalID[1:]
		} else {
			q.URL = "https://jobs.example.com/" + q.ExternalID
		}
		q.FirstSeen, q.LastSeen = t, t
		if err := fn(&q); err != nil {
			return err
		}
	}
	return nil
}

// date draws a year from the real years and a uniform month and day
// within it, not before first and not after Now.
func (p *Pool) date(r *rand.Rand) time.Time {
	for {
		y := p.years[r.IntN(len(p.years))]
		t := time.Date(y, time.Month(1+r.IntN(12)), 1+r.IntN(28), 12, 0, 0, 0, time.UTC)
		if !t.Before(first) && t.Before(Now) {
			return t
		}
	}
}
