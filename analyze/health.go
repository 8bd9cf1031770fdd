package analyze

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/jobtrends/jobtrends"
)

// MaxRuns is how many runs, newest first, the report lists.
const MaxRuns = 30

// Health shows whether the scrapers work, so that a broken scraper is not
// read as a change in the market.
type Health struct {
	Sources []SourceHealth // by name
	Runs    []RunSummary   // newest first, at most MaxRuns
}

// SourceHealth is one source over every posting and run given (not only
// the window).
type SourceHealth struct {
	Source         string
	Postings       int // all postings of the source
	MLEngineer     int
	WithSalary     int // postings whose employer states pay
	SalaryCoverage Num // WithSalary / Postings
	Undated        int
	// FirstPosted and LastPosted are the earliest and latest dates posted.
	FirstPosted, LastPosted time.Time

	Runs, FailedRuns int
	LastRun          time.Time // start of the latest run that included it
	LastRunOK        bool
	LastRunError     string
	LastSuccess      time.Time // start of the latest run it finished without error; zero if none
	// Totals over all runs.
	PagesFetched, PagesFailed, RobotsBlocked int
	// EncodingFallbacks counts pages whose declared charset was wrong or
	// missing, decoded by falling back (RELIABILITY C2).
	EncodingFallbacks               int
	New, Updated, Unchanged, Closed int
	// Warnings name what a reader should check, e.g. "last run failed".
	Warnings []string
}

// healthAcc counts every posting per source, in the first pass.
type healthAcc struct {
	idx     map[string]int
	sources []SourceHealth
}

func newHealthAcc() healthAcc { return healthAcc{idx: map[string]int{}} }

func (a *healthAcc) get(src string) *SourceHealth {
	i, ok := a.idx[src]
	if !ok {
		i = len(a.sources)
		a.idx[src] = i
		a.sources = append(a.sources, SourceHealth{Source: src})
	}
	return &a.sources[i]
}

func (a *healthAcc) add(p *jobtrends.Posting) {
	undated := 0
	if p.DatePosted.IsZero() {
		undated = 1
	}
	a.count(p.Source, IsMLEngineer(p), employerDisclosed(p), 1, undated, p.DatePosted, p.DatePosted)
}

// count adds n postings of source src, undated of them without a date
// posted, the others posted from first to last.
func (a *healthAcc) count(src string, ml, disclosed bool, n, undated int, first, last time.Time) {
	s := a.get(src)
	s.Postings += n
	if ml {
		s.MLEngineer += n
	}
	if disclosed {
		s.WithSalary += n
	}
	s.Undated += undated
	if undated == n {
		return
	}
	if s.FirstPosted.IsZero() || first.Before(s.FirstPosted) {
		s.FirstPosted = first
	}
	if last.After(s.LastPosted) {
		s.LastPosted = last
	}
}

// finish adds the runs to the postings counted and returns the Health.
func (a *healthAcc) finish(runs []RunSummary) Health {
	var h Health
	// A copy, so that Report may be called again.
	c := healthAcc{idx: maps.Clone(a.idx), sources: slices.Clone(a.sources)}
	get := c.get
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b RunSummary) int { return cmp.Or(b.Started.Compare(a.Started), cmp.Compare(b.ID, a.ID)) })
	// Oldest first, so the last run seen is the latest.
	for i := len(sorted) - 1; i >= 0; i-- {
		r := sorted[i]
		for _, sr := range r.Sources {
			s := get(sr.Source)
			s.Runs++
			if !sr.OK {
				s.FailedRuns++
			}
			s.LastRun, s.LastRunOK, s.LastRunError = r.Started, sr.OK, sr.Error
			if sr.OK {
				s.LastSuccess = r.Started
			}
			s.PagesFetched += sr.PagesFetched
			s.PagesFailed += sr.PagesFailed
			s.RobotsBlocked += sr.RobotsBlocked
			s.EncodingFallbacks += sr.EncodingFallback
			s.New += sr.New
			s.Updated += sr.Updated
			s.Unchanged += sr.Unchanged
			s.Closed += sr.Closed
		}
	}
	h.Sources = c.sources
	// The latest run's own numbers, for warnings.
	latest := map[string]SourceRun{}
	for i := len(sorted) - 1; i >= 0; i-- {
		for _, sr := range sorted[i].Sources {
			latest[sr.Source] = sr
		}
	}
	for i := range h.Sources {
		s := &h.Sources[i]
		s.SalaryCoverage = Ratio(float64(s.WithSalary), float64(s.Postings))
		if s.Runs == 0 {
			continue
		}
		if s.LastSuccess.IsZero() {
			s.Warnings = append(s.Warnings, "no successful run")
		} else if !s.LastRunOK {
			s.Warnings = append(s.Warnings, "last run failed")
		}
		if l := latest[s.Source]; l.PagesFetched > 0 && l.New+l.Updated+l.Unchanged == 0 {
			s.Warnings = append(s.Warnings, "last run fetched pages but found no postings (has the site changed?)")
		}
		if l := latest[s.Source]; l.RobotsBlocked > 0 && l.PagesFetched == 0 {
			s.Warnings = append(s.Warnings, "last run blocked by robots.txt")
		}
	}
	slices.SortFunc(h.Sources, func(a, b SourceHealth) int { return cmp.Compare(a.Source, b.Source) })
	if len(sorted) > MaxRuns {
		sorted = sorted[:MaxRuns]
	}
	h.Runs = sorted
	return h
}
