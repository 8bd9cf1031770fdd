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

// Build computes the report for postings (and the crawl runs, for data
// health). It does not modify its arguments. It is the Builder run over a
// slice: both passes over postings, then Report.
func Build(postings []jobtrends.Posting, runs []RunSummary, opt Options) *Report {
	b := NewBuilder(opt)
	for i := range postings {
		b.Add(&postings[i]) //nolint:errcheck // fails only after Again or past 2³² postings
	}
	for i := range postings {
		b.Again(&postings[i]) //nolint:errcheck // the same postings in the same order
	}
	return b.report(runs)
}

// Stream computes the report from postings read twice, holding aggregates
// only: each is called once per pass with the function to hand every
// posting to, and must give the same postings in the same order both times
// (a store query, a generator). An error of each is returned as is; when
// the second pass did not see the postings of the first, the error wraps
// ErrPassesDiffer and reading both passes again gives a consistent report.
func Stream(opt Options, runs []RunSummary, each func(fn func(*jobtrends.Posting) error) error) (*Report, error) {
	b := NewBuilder(opt)
	if err := each(b.Add); err != nil {
		return nil, err
	}
	if err := each(b.Again); err != nil {
		return nil, err
	}
	return b.Report(runs)
}

// IsMLEngineer reports whether p is a machine-learning engineer posting:
// its Role is RoleMLEngineer, or (for HN comments that advertise several
// roles) one of its Roles is.
func IsMLEngineer(p *jobtrends.Posting) bool {
	return p.Role == jobtrends.RoleMLEngineer || slices.Contains(p.Roles, jobtrends.RoleMLEngineer)
}

// FiledAt returns the time a posting is filed under and its month: the
// month of its HN thread when it has one (so a comment posted on the 1st of
// May in the April thread counts for April), else its date posted.
func FiledAt(p *jobtrends.Posting) (time.Time, Month, bool) {
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
