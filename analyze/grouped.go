package analyze

import (
	"slices"
	"time"

	"github.com/jobtrends/jobtrends"
)

// Groups builds a Report from postings a database has counted in groups
// (GROUP BY month, source, role, …) instead of streaming them: each call
// takes one group, the values its postings share and n, how many postings
// it stands for. The sections are those of Builder and so are the
// accumulators: each weighs a group by n, so the report is the one
// streaming every posting would give (package store's
// TestReportGroupsMatchStream holds the two equal on both backends, with
// and without a window).
//
// The database does the filing Builder does per posting (Window): it
// counts undated, future and out-of-window postings apart, and feeds the
// sections of the second pass only used postings that are not
// cross-source duplicates (CrossSourceDrops decides those).
type Groups struct {
	b *Builder
}

// NewGroups returns an empty Groups for the given options.
func NewGroups(opt Options) *Groups { return &Groups{b: NewBuilder(opt)} }

// Options returns the options the report is built with (GrowthBase
// defaulted).
func (g *Groups) Options() Options { return g.b.opt }

// Counted takes the postings of the store (input) and those left out of
// the analysis: without a date to file them under, filed after
// Options.Now, outside the window.
func (g *Groups) Counted(input, undated, future, outside int) {
	c := &g.b.counts
	c.Input += input
	c.Undated += undated
	c.Future += future
	c.OutsideWindow += outside
}

// Filed takes n used postings of source src filed under month m (FiledAt),
// ML-engineer postings or not: growth and the used counts.
func (g *Groups) Filed(src string, m Month, ml bool, n int) {
	g.b.file(src, m, ml, n)
}

// Health takes n postings of source src, used or not, ML-engineer
// postings or not, whose salaries are like sal (only whether it has
// amounts and its provenance matter; nil: none); undated of them have no
// date posted, the others were posted from first to last.
func (g *Groups) Health(src string, ml bool, sal *jobtrends.Salary, n, undated int, first, last time.Time) {
	g.b.health.count(src, ml, disclosed(sal, false), n, undated, first, last)
}

// Duplicates takes the number of used postings left out as cross-source
// duplicates (CrossSourceDrops).
func (g *Groups) Duplicates(n int) { g.b.counts.CrossSourceDuplicates += n }

// Salary takes n used postings filed under month m, ML-engineer postings
// or not, that share p's Role, Seniority, Location.Country, Remote and
// Salary (amounts in USD, provenance, flags, and whether it has amounts):
// the salary section and the US-salary claim.
func (g *Groups) Salary(p *jobtrends.Posting, m Month, ml bool, n int) {
	b := g.b
	b.salary.add(p, m, ml, b.opt.IncludeEstimates, n)
	if ml {
		b.usSalary.add(p, m, b.opt.IncludeEstimates, n)
	}
}

// The sections below take used ML-engineer postings only.

// Skills takes n ML-engineer postings of year y with the skill list l.
func (g *Groups) Skills(l []string, y, n int) {
	g.b.skills.add(&jobtrends.Posting{Skills: l}, y, n)
}

// Education takes n ML-engineer postings of year y with the education
// list l.
func (g *Groups) Education(l []string, y, n int) {
	g.b.education.add(&jobtrends.Posting{Education: l}, y, n)
}

// Industry takes n ML-engineer postings of year y in industry ind.
func (g *Groups) Industry(ind string, y, n int) {
	g.b.industry.add(&jobtrends.Posting{Industry: ind}, y, n)
}

// Company, Country and City take n ML-engineer postings with that value.
func (g *Groups) Company(v string, n int) { g.b.companies.add(v, n) }

// Country: see Company.
func (g *Groups) Country(v string, n int) { g.b.countries.add(v, n) }

// City: see Company.
func (g *Groups) City(v string, n int) { g.b.cities.add(v, n) }

// Remote takes n ML-engineer postings of year y with that remote status.
func (g *Groups) Remote(r jobtrends.Remote, y, n int) { g.b.remote.add(r, y, n) }

// Report returns the report of the groups taken and of runs, for data
// health.
func (g *Groups) Report(runs []RunSummary) *Report { return g.b.report(runs) }

// CrossSourceDrops runs the report's cross-source dedupe over the used
// postings of one dedupe key (jobtrends.DedupeKey), given in the report's
// order (by source, then external id), reading their Source and Salary:
// it returns the indexes of the postings left out. A key whose postings
// all come from one source drops nothing.
func CrossSourceDrops(ps []*jobtrends.Posting) []int {
	var (
		names []string
		cur   dedupeEntry
		drops []int
	)
	for i, p := range ps {
		src := slices.Index(names, p.Source)
		if src < 0 {
			src = len(names)
			names = append(names, p.Source)
		}
		var (
			drop uint32
			ok   bool
		)
		cur, drop, ok = dedupeNext(cur, i > 0, dedupeEntry{ord: uint32(i), src: int32(src), rank: dedupeRank(p)}, names)
		if ok {
			drops = append(drops, int(drop))
		}
	}
	slices.Sort(drops)
	return drops
}
