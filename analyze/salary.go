package analyze

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/jobtrends/jobtrends"
)

// Reasons a stated salary is left out of the pay statistics.
const (
	SkipEstimate        = "platform_estimate" // a platform's estimate, not employer pay
	SkipImplausible     = "implausible"       // flagged by the parser
	SkipUnknownCurrency = "unknown_currency"  // flagged by the parser
	SkipNoPeriod        = "no_period"         // flagged by the parser
	SkipNotAnnualized   = "not_annualized"    // no annual USD amount
)

// skipFlags are the parser flags that exclude a salary, in the order they
// are checked (a salary is counted under the first that applies).
var skipFlags = []string{SkipImplausible, SkipUnknownCurrency, SkipNoPeriod}

// MinCellN is the number of salaries a seniority × country cell needs in
// both years before it enters the mix-adjusted index.
const MinCellN = 3

// Salary is the annualized USD base pay of ML-engineer postings.
type Salary struct {
	Method string
	// IncludesEstimates is true when platform estimates were mixed in.
	IncludesEstimates bool
	Postings          int // ML-engineer postings in the window
	Disclosed         int // of which the employer stated pay
	DisclosureRate    Num // Disclosed / Postings
	Used              int // salaries that entered the statistics
	Skipped           []Reason
	Overall           Summary
	Histogram         []Bin
	Quarters          []SalaryQuarter // every quarter from the first to the last with ML postings
	BySeniority       []Group         // in seniority order
	ByCountry         []Group         // most salaries first, at most TopN
	ByRemote          []Group         // remote, hybrid, onsite, unknown
	ByRole            []Group         // every role family, for comparison
	MixAdjusted       []MixYear
	MixMethod         string
}

// Reason counts postings left out for one reason.
type Reason struct {
	Reason string
	N      int
}

// Bin is one histogram bar: salaries in [Lo, Hi).
type Bin struct {
	Lo, Hi float64
	N      int
}

// SalaryQuarter is the pay and the disclosure of one quarter.
type SalaryQuarter struct {
	Quarter        Quarter
	Postings       int
	Disclosed      int
	DisclosureRate Num     // missing when the quarter has no posting
	Pay            Summary // N is 0 in a quarter without usable salaries
}

// Group is the pay of one group of postings.
type Group struct {
	Key       string
	Postings  int // postings in the group
	Disclosed int
	Pay       Summary
}

// MixYear is one year of the raw and the mix-adjusted pay trend.
type MixYear struct {
	Year      int
	N         int // usable salaries that year
	RawMedian Num
	// RawIndex is RawMedian over the first year's, times 100.
	RawIndex Num
	// MixIndex is the median, over seniority × country cells with at least
	// MinCellN salaries in both the first year and this one, of the cell's
	// median this year over its median in the first year, times 100.
	MixIndex Num
	Cells    int // cells behind MixIndex
}

const salaryMethod = "Annualized USD base pay of ML-engineer postings: midpoint of the annual min and max (or the one bound stated); " +
	"quartiles by linear interpolation; flagged implausible / unknown currency / no period and platform estimates left out."

const mixMethod = "Raw: median of all salaries each year. Mix-adjusted: median over seniority × country cells (≥ 3 salaries in both years) of the cell's change since the first year, so a shift in the mix of jobs does not read as a pay change."

// SalaryValue returns the annualized USD base pay of s and "" when it may
// be used, or 0 and the reason it may not. A nil salary, or one with no
// amount, returns 0 and "" with ok false: there is nothing to skip.
func SalaryValue(s *jobtrends.Salary, includeEstimates bool) (v float64, reason string, ok bool) {
	if !disclosed(s, includeEstimates) {
		if s != nil && s.Provenance == jobtrends.ProvenanceEstimate && hasAmount(s) {
			return 0, SkipEstimate, false
		}
		return 0, "", false
	}
	for _, f := range skipFlags {
		if s.HasFlag(f) {
			return 0, f, false
		}
	}
	lo, hi := s.AnnualMinUSD, s.AnnualMaxUSD
	switch {
	case lo != nil && hi != nil:
		v = (*lo + *hi) / 2
	case lo != nil:
		v = *lo
	case hi != nil:
		v = *hi
	default:
		return 0, SkipNotAnnualized, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, SkipNotAnnualized, false
	}
	return v, "", true
}

// disclosed reports whether s states pay that counts: any amount, from the
// employer (or from a platform when estimates are included).
func disclosed(s *jobtrends.Salary, includeEstimates bool) bool {
	if s == nil || !hasAmount(s) {
		return false
	}
	return includeEstimates || s.Provenance != jobtrends.ProvenanceEstimate
}

func hasAmount(s *jobtrends.Salary) bool {
	return s.Min != nil || s.Max != nil || s.AnnualMinUSD != nil || s.AnnualMaxUSD != nil
}

// employerDisclosed reports whether the employer stated pay in p.
func employerDisclosed(p *jobtrends.Posting) bool { return disclosed(p.Salary, false) }

// payGroup is the postings of one group and their usable salaries.
type payGroup struct {
	postings, disclosed int
	pay                 multiset
}

// payGroups are groups by key.
type payGroups map[string]*payGroup

func (g payGroups) get(k string) *payGroup {
	x := g[k]
	if x == nil {
		x = &payGroup{}
		g[k] = x
	}
	return x
}

func (g *payGroup) add(disclosed bool, v float64, ok bool, n int) {
	g.postings += n
	if disclosed {
		g.disclosed += n
	}
	if ok {
		g.pay.add(v, n)
	}
}

// list returns the groups sorted by key.
func (g payGroups) list() []Group {
	out := make([]Group, 0, len(g))
	for k, x := range g {
		out = append(out, Group{Key: k, Postings: x.postings, Disclosed: x.disclosed, Pay: Summarize(x.pay.sorted())})
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// cellKey is one seniority × country cell of one year.
type cellKey struct {
	year      int
	sen, ctry string
}

// salaryAcc gathers the pay statistics, in the second pass.
type salaryAcc struct {
	postings, disclosed int // ML-engineer postings
	skipped             map[string]int
	all                 multiset // usable salaries of ML-engineer postings
	quarters            map[Quarter]*payGroup
	seniority           payGroups
	country             payGroups
	remote              payGroups
	role                payGroups // every posting, not only ML engineers
	byYear              map[int]*multiset
	byCell              map[cellKey]*multiset
}

func newSalaryAcc() salaryAcc {
	return salaryAcc{skipped: map[string]int{}, quarters: map[Quarter]*payGroup{},
		seniority: payGroups{}, country: payGroups{}, remote: payGroups{}, role: payGroups{},
		byYear: map[int]*multiset{}, byCell: map[cellKey]*multiset{}}
}

// add counts one used posting of month m.
func (a *salaryAcc) add(p *jobtrends.Posting, m Month, ml, includeEstimates bool, n int) {
	v, reason, ok := SalaryValue(p.Salary, includeEstimates)
	disc := employerDisclosed(p)
	a.role.get(orUnknown(p.Role)).add(disc, v, ok, n)
	if !ml {
		return
	}
	a.postings += n
	if disc {
		a.disclosed += n
	}
	if !ok && reason != "" {
		a.skipped[reason] += n
	}
	q := a.quarters[m.Quarter()]
	if q == nil {
		q = &payGroup{}
		a.quarters[m.Quarter()] = q
	}
	q.add(disc, v, ok, n)
	sen, ctry := orUnknown(p.Seniority), orUnknown(p.Location.Country)
	a.seniority.get(sen).add(disc, v, ok, n)
	a.country.get(ctry).add(disc, v, ok, n)
	a.remote.get(orUnknown(string(p.Remote))).add(disc, v, ok, n)
	if !ok {
		return
	}
	a.all.add(v, n)
	y := m.Year()
	if a.byYear[y] == nil {
		a.byYear[y] = &multiset{}
	}
	a.byYear[y].add(v, n)
	k := cellKey{y, sen, ctry}
	if a.byCell[k] == nil {
		a.byCell[k] = &multiset{}
	}
	a.byCell[k].add(v, n)
}

func (a *salaryAcc) finish(includeEstimates bool) Salary {
	s := Salary{Method: salaryMethod, MixMethod: mixMethod, IncludesEstimates: includeEstimates,
		Postings: a.postings, Disclosed: a.disclosed, Used: a.all.len()}
	s.DisclosureRate = Ratio(float64(s.Disclosed), float64(s.Postings))
	for _, r := range []string{SkipEstimate, SkipImplausible, SkipUnknownCurrency, SkipNoPeriod, SkipNotAnnualized} {
		if a.skipped[r] > 0 {
			s.Skipped = append(s.Skipped, Reason{r, a.skipped[r]})
		}
	}
	vals := a.all.sorted()
	s.Overall = Summarize(vals)
	s.Histogram = Histogram(vals)
	s.Quarters = a.salaryQuarters()
	s.BySeniority = a.seniority.list()
	slices.SortStableFunc(s.BySeniority, func(a, b Group) int { return cmp.Compare(seniorityRank(a.Key), seniorityRank(b.Key)) })
	s.ByCountry = a.country.list()
	slices.SortStableFunc(s.ByCountry, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Pay.N, a.Pay.N), cmp.Compare(b.Postings, a.Postings), strings.Compare(a.Key, b.Key))
	})
	if len(s.ByCountry) > TopN {
		s.ByCountry = s.ByCountry[:TopN]
	}
	s.ByRemote = a.remote.list()
	slices.SortStableFunc(s.ByRemote, func(a, b Group) int { return cmp.Compare(remoteRank(a.Key), remoteRank(b.Key)) })
	s.ByRole = a.role.list()
	slices.SortStableFunc(s.ByRole, func(a, b Group) int { return cmp.Compare(b.Postings, a.Postings) })
	s.MixAdjusted = a.mixAdjusted()
	return s
}

func orUnknown(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "unknown"
	}
	return s
}

var seniorityOrder = []string{
	jobtrends.SeniorityIntern, jobtrends.SeniorityJunior, jobtrends.SeniorityMid, jobtrends.SenioritySenior,
	jobtrends.SeniorityStaff, jobtrends.SeniorityPrincipal, jobtrends.SeniorityLead, jobtrends.SeniorityManager,
	jobtrends.SeniorityDirector, jobtrends.SeniorityUnknown,
}

// seniorityRank orders levels from intern up, unknown values after them.
func seniorityRank(s string) int {
	if i := slices.Index(seniorityOrder, s); i >= 0 {
		return i
	}
	return len(seniorityOrder)
}

func remoteRank(s string) int {
	if i := slices.Index([]string{string(jobtrends.RemoteFull), string(jobtrends.RemoteHybrid), string(jobtrends.RemoteOnsite), string(jobtrends.RemoteUnknown)}, s); i >= 0 {
		return i
	}
	return 4
}

// salaryQuarters is every quarter from the first to the last with
// ML-engineer postings.
func (a *salaryAcc) salaryQuarters() []SalaryQuarter {
	if len(a.quarters) == 0 {
		return nil
	}
	first, last := Quarter(math.MaxInt), Quarter(math.MinInt)
	for q := range a.quarters {
		first, last = min(first, q), max(last, q)
	}
	out := make([]SalaryQuarter, last-first+1)
	for i := range out {
		q := first + Quarter(i)
		out[i].Quarter = q
		var vals []float64
		if g := a.quarters[q]; g != nil {
			out[i].Postings, out[i].Disclosed = g.postings, g.disclosed
			vals = g.pay.sorted()
		}
		out[i].DisclosureRate = Ratio(float64(out[i].Disclosed), float64(out[i].Postings))
		out[i].Pay = Summarize(vals)
	}
	return out
}

// binWidths are the histogram bar widths tried in turn, in USD.
var binWidths = []float64{10e3, 20e3, 25e3, 50e3, 100e3, 250e3, 500e3, 1e6, 1e7, 1e8}

// maxBins is the most bars a salary histogram gets.
const maxBins = 30

// Histogram counts values in bars of equal width: the narrowest of 10k,
// 20k, 25k, 50k, 100k, … USD that needs at most 30 bars, aligned to
// multiples of the width. Bars between the first and the last non-empty
// one are all present, empty ones with N 0.
func Histogram(vals []float64) []Bin {
	if len(vals) == 0 {
		return nil
	}
	lo, hi := slices.Min(vals), slices.Max(vals)
	w := binWidths[len(binWidths)-1]
	for _, c := range binWidths {
		if math.Floor(hi/c)-math.Floor(lo/c)+1 <= maxBins {
			w = c
			break
		}
	}
	start := math.Floor(lo/w) * w
	n := int(math.Floor(hi/w)-math.Floor(lo/w)) + 1
	if n > maxBins || n < 1 { // values beyond every width: one bar
		return []Bin{{Lo: lo, Hi: hi, N: len(vals)}}
	}
	bins := make([]Bin, n)
	for i := range bins {
		bins[i] = Bin{Lo: start + float64(i)*w, Hi: start + float64(i+1)*w}
	}
	for _, v := range vals {
		i := int(math.Floor(v/w) - math.Floor(lo/w))
		bins[i].N++
	}
	return bins
}

func (a *salaryAcc) mixAdjusted() []MixYear {
	if a.all.len() == 0 {
		return nil
	}
	byYear, byCell := a.byYear, a.byCell
	var years []int
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	median := func(xs *multiset) Num { return Quantile(xs.sorted(), 0.5) }
	medians := map[cellKey]Num{}
	cellMedian := func(k cellKey, xs *multiset) Num {
		m, ok := medians[k]
		if !ok {
			m = median(xs)
			medians[k] = m
		}
		return m
	}
	base := years[0]
	baseMedian := median(byYear[base])
	var out []MixYear
	for _, y := range years {
		my := MixYear{Year: y, N: byYear[y].len(), RawMedian: median(byYear[y])}
		if r := Ratio(my.RawMedian.V, baseMedian.V); r.Valid {
			my.RawIndex = Some(r.V * 100)
		}
		var ratios []float64
		for k, v := range byCell {
			if k.year != y || v.len() < MinCellN {
				continue
			}
			b := byCell[cellKey{base, k.sen, k.ctry}]
			if b.len() < MinCellN {
				continue
			}
			if r := Ratio(cellMedian(k, v).V, cellMedian(cellKey{base, k.sen, k.ctry}, b).V); r.Valid {
				ratios = append(ratios, r.V)
			}
		}
		my.Cells = len(ratios)
		slices.Sort(ratios)
		if m := Quantile(ratios, 0.5); m.Valid {
			my.MixIndex = Some(m.V * 100)
		}
		out = append(out, my)
	}
	return out
}
