package analyze

import (
	"slices"
	"time"

	"github.com/jobtrends/jobtrends"
)

// DefaultGrowthBase is the base year of growth indices when Options leaves
// GrowthBase zero.
const DefaultGrowthBase = 2015

// Options are the arguments of Build that are not data.
type Options struct {
	// Now is the time of the report. The month that contains it is partial,
	// and postings dated after it are left out (counted as Future). Zero
	// means no month is partial because of the clock and no date is in the
	// future.
	Now time.Time
	// From and To bound the window by date posted (for HN comments, by the
	// month of their thread): From inclusive, To exclusive. A zero bound is
	// open.
	From, To time.Time
	// GrowthBase is the base year of growth indices and of the claims
	// check; zero means DefaultGrowthBase.
	GrowthBase int
	// CompareFrom and CompareTo are the years compared for rising and
	// falling skills; zero means the first and the last year with at least
	// MinCompareN ML-engineer postings.
	CompareFrom, CompareTo int
	// IncludeEstimates mixes platform salary estimates into the salary
	// statistics. By default they are left out and counted as skipped.
	IncludeEstimates bool
}

// RunSummary is one crawl run as the store recorded it, converted by the
// CLI. analyze only reads it.
type RunSummary struct {
	ID       int64
	Started  time.Time
	Finished time.Time // zero while running or when the run died
	Status   string    // as the store wrote it, e.g. "ok", "failed"
	Sources  []SourceRun
}

// SourceRun is what one run did for one source.
type SourceRun struct {
	Source string
	// OK reports whether the source finished this run without error.
	OK            bool
	Error         string // the error when not OK, as stored
	PagesFetched  int
	PagesFailed   int
	RobotsBlocked int
	// EncodingFallback counts pages whose text could not be decoded as
	// declared (a lying charset, detection, U+FFFD replacement).
	EncodingFallback int
	New              int
	Updated          int
	Unchanged        int
	Closed           int
}

// Counts accounts for every input posting: each is used or falls into
// exactly one of the other counts.
type Counts struct {
	Input         int // postings given to Build
	Used          int // dated, not in the future, inside the window
	Undated       int // no date posted and no thread month
	Future        int // dated after Options.Now
	OutsideWindow int // dated outside [From, To)
	MLEngineer    int // used postings whose role is ML engineer
	// CrossSourceDuplicates counts used postings left out of the
	// cross-source sections (salary, skills, education, industry,
	// companies, places, remote, claims) because the same job — same
	// jobtrends.DedupeKey — came from another source too. Growth and data
	// health count every source's own postings.
	CrossSourceDuplicates int
}

// Report is everything the HTML report shows: aggregates only.
type Report struct {
	// Options as used, with defaults filled in.
	Options Options
	Counts  Counts
	// Sources lists the source names of used postings, sorted.
	Sources []string

	Growth    Growth
	Salary    Salary
	Skills    Skills
	Education Education
	Industry  Industry
	Companies Ranking // top hiring companies
	Countries Ranking // top countries
	Cities    Ranking // top cities
	Remote    RemoteShare
	Claims    []Claim
	Health    Health
}

// item is a used posting with its month worked out once.
type item struct {
	p     *jobtrends.Posting
	month Month
	ml    bool
}

// Build computes the report for postings (and the crawl runs, for data
// health). It does not modify its arguments.
func Build(postings []jobtrends.Posting, runs []RunSummary, opt Options) *Report {
	if opt.GrowthBase == 0 {
		opt.GrowthBase = DefaultGrowthBase
	}
	rep := &Report{Options: opt}
	rep.Counts.Input = len(postings)
	items := make([]item, 0, len(postings))
	sources := map[string]bool{}
	for i := range postings {
		p := &postings[i]
		t, m, ok := postingTime(p)
		switch {
		case !ok:
			rep.Counts.Undated++
			continue
		case !opt.Now.IsZero() && t.After(opt.Now):
			rep.Counts.Future++
			continue
		case !opt.From.IsZero() && t.Before(opt.From), !opt.To.IsZero() && !t.Before(opt.To):
			rep.Counts.OutsideWindow++
			continue
		}
		it := item{p: p, month: m, ml: IsMLEngineer(p)}
		if it.ml {
			rep.Counts.MLEngineer++
		}
		items = append(items, it)
		sources[p.Source] = true
	}
	rep.Counts.Used = len(items)
	for s := range sources {
		rep.Sources = append(rep.Sources, s)
	}
	slices.Sort(rep.Sources)

	partial := partialMonths(opt)
	rep.Growth = buildGrowth(items, rep.Sources, partial, opt.GrowthBase)
	all := items
	items = dedupeAcrossSources(items)
	rep.Counts.CrossSourceDuplicates = len(all) - len(items)
	rep.Salary = buildSalary(items, opt.IncludeEstimates)
	rep.Skills = buildSkills(items, opt)
	rep.Education = buildEducation(items)
	rep.Industry = buildIndustry(items)
	rep.Companies = rank(items, TopN, "ML-engineer postings per company (names folded for case and spacing).",
		func(p *jobtrends.Posting) string { return p.Company })
	rep.Countries = rank(items, TopN, "ML-engineer postings per country (ISO code where the parser could tell).",
		func(p *jobtrends.Posting) string { return p.Location.Country })
	rep.Cities = rank(items, TopN, "ML-engineer postings per city (where the parser could tell).",
		func(p *jobtrends.Posting) string { return p.Location.City })
	rep.Remote = buildRemote(items)
	rep.Claims = buildClaims(rep, items, opt)
	rep.Health = buildHealth(postings, runs)
	return rep
}

// dedupeAcrossSources keeps one posting per job advertised on several
// sources (same non-empty jobtrends.DedupeKey, different Source): the one
// whose salary is the most authoritative (employer-structured, then
// employer text, then none), then the first source by name. Postings of
// one source are never merged (each has its own identity).
func dedupeAcrossSources(items []item) []item {
	rank := func(p *jobtrends.Posting) int {
		switch {
		case p.Salary == nil:
			return 0
		case p.Salary.Provenance == jobtrends.ProvenanceStructured:
			return 3
		case p.Salary.Provenance == jobtrends.ProvenanceText:
			return 2
		}
		return 1
	}
	best := map[string]int{} // key → index in items of the kept posting
	drop := make([]bool, len(items))
	for i := range items {
		key := jobtrends.DedupeKey(items[i].p)
		if key == "" {
			continue
		}
		j, seen := best[key]
		if !seen {
			best[key] = i
			continue
		}
		a, b := items[j].p, items[i].p
		if a.Source == b.Source {
			continue // same source: distinct postings, never merged
		}
		if rank(b) > rank(a) || (rank(b) == rank(a) && b.Source < a.Source) {
			drop[j] = true
			best[key] = i
		} else {
			drop[i] = true
		}
	}
	out := items[:0:0]
	for i, it := range items {
		if !drop[i] {
			out = append(out, it)
		}
	}
	return out
}

// IsMLEngineer reports whether p is a machine-learning engineer posting:
// its Role is RoleMLEngineer, or (for HN comments that advertise several
// roles) one of its Roles is.
func IsMLEngineer(p *jobtrends.Posting) bool {
	return p.Role == jobtrends.RoleMLEngineer || slices.Contains(p.Roles, jobtrends.RoleMLEngineer)
}

// postingTime returns the time a posting is filed under and its month: the
// month of its HN thread when it has one (so a comment posted on the 1st of
// May in the April thread counts for April), else its date posted.
func postingTime(p *jobtrends.Posting) (time.Time, Month, bool) {
	if m, ok := ParseMonth(p.Thread); ok {
		return m.Start(), m, true
	}
	if p.DatePosted.IsZero() {
		return time.Time{}, 0, false
	}
	return p.DatePosted, MonthOf(p.DatePosted), true
}

// partialMonths returns the months whose data is incomplete: the month of
// Now and any month a window bound cuts.
func partialMonths(opt Options) map[Month]bool {
	out := map[Month]bool{}
	if !opt.Now.IsZero() {
		out[MonthOf(opt.Now)] = true
	}
	if !opt.From.IsZero() && !MonthOf(opt.From).Start().Equal(opt.From.UTC()) {
		out[MonthOf(opt.From)] = true
	}
	if !opt.To.IsZero() && !MonthOf(opt.To).Start().Equal(opt.To.UTC()) {
		out[MonthOf(opt.To)] = true
	}
	return out
}

// TopN is how many entries a ranking (countries, companies, skills) keeps.
const TopN = 15
