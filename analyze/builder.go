package analyze

import (
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends"
)

// Builder computes a Report from postings streamed to it, holding
// aggregates only: counts per source, month, skill, company, …, and the
// salary values of each group as value → count. Its memory grows with the
// number of groups and of distinct dedupe keys (16 bytes of hash and 12 of
// state each), plus one bit per posting, never with the postings
// themselves: a posting may be dropped (or reused by the caller) as soon
// as Add or Again returns.
//
// The postings are streamed twice, in the same order: first to Add, then
// to Again. The first pass counts, files growth and data health and
// decides the cross-source duplicates (which of a job's postings on
// several sources is kept can depend on a posting that comes later); the
// second pass feeds the sections that count each job once. Report checks
// that the second pass saw the same postings as the first.
//
//	b := analyze.NewBuilder(opt)
//	for each posting p: b.Add(p)
//	for each posting p, same order: b.Again(p)
//	rep, err := b.Report(runs)
type Builder struct {
	opt  Options
	seed maphash.Seed // fingerprint of the stream
	keyA maphash.Seed // two seeds: dedupe keys hash to 128 bits
	keyB maphash.Seed

	counts   Counts
	second   bool   // Again has been called
	n2       int    // postings seen by Again
	fp, fp2  uint64 // fingerprints of the two passes
	sources  map[string]*sourceCounts
	first    Month // first and last month of a used posting
	last     Month
	health   healthAcc
	dedupe   map[[2]uint64]dedupeEntry
	srcID    map[string]int32
	srcNames []string
	drop     []uint64 // bit i set: posting i is a cross-source duplicate left out
	keyBuf   []byte   // scratch: the dedupe key of one posting

	// Second pass: the cross-source sections.
	salary    salaryAcc
	skills    skillsAcc
	education educationAcc
	industry  industryAcc
	companies rankAcc
	countries rankAcc
	cities    rankAcc
	remote    remoteAcc
	usSalary  usSalaryAcc
}

// dedupeEntry is the posting currently kept for one dedupe key: its
// position in the stream, its source and the rank of its salary.
type dedupeEntry struct {
	ord  uint32
	src  int32
	rank int8
}

// sourceCounts are one source's used postings per month, for growth.
type sourceCounts struct {
	months      map[Month]*monthCount
	all, ml     int
	first, last Month
}

type monthCount struct{ all, ml int }

// NewBuilder returns an empty Builder for the given options.
func NewBuilder(opt Options) *Builder {
	if opt.GrowthBase == 0 {
		opt.GrowthBase = DefaultGrowthBase
	}
	return &Builder{
		opt: opt, seed: maphash.MakeSeed(), keyA: maphash.MakeSeed(), keyB: maphash.MakeSeed(),
		sources: map[string]*sourceCounts{}, dedupe: map[[2]uint64]dedupeEntry{}, srcID: map[string]int32{},
		health: newHealthAcc(), salary: newSalaryAcc(), skills: newSkillsAcc(), education: newEducationAcc(),
		industry: newIndustryAcc(), companies: newRankAcc(), countries: newRankAcc(), cities: newRankAcc(),
		remote: newRemoteAcc(), usSalary: newUSSalaryAcc(),
	}
}

// errSecondPass is returned by Add once Again has been called.
var errSecondPass = errors.New("analyze: Add after Again: the first pass is over")

// ErrPassesDiffer is returned (wrapped) by Again and Report when the
// second pass does not see the postings of the first: the data changed in
// between. Streaming both passes again gives a consistent report.
var ErrPassesDiffer = errors.New("the second pass did not see the postings of the first")

// Add takes one posting of the first pass. It keeps no reference to p,
// only the labels it counts (a source, a skill, a company name).
func (b *Builder) Add(p *jobtrends.Posting) error {
	if b.second {
		return errSecondPass
	}
	if b.counts.Input >= math.MaxUint32 {
		return fmt.Errorf("analyze: more than %d postings", uint32(math.MaxUint32))
	}
	ord := uint32(b.counts.Input)
	b.counts.Input++
	b.fp = b.chain(b.fp, p)
	b.health.add(p)
	m, why := b.classify(p)
	switch why {
	case undated:
		b.counts.Undated++
		return nil
	case future:
		b.counts.Future++
		return nil
	case outsideWindow:
		b.counts.OutsideWindow++
		return nil
	}
	b.file(p.Source, m, IsMLEngineer(p), 1)
	b.dedupeAdd(p, ord)
	return nil
}

// file counts n used postings of source src filed under month m, for
// growth.
func (b *Builder) file(src string, m Month, ml bool, n int) {
	if ml {
		b.counts.MLEngineer += n
	}
	if b.counts.Used == 0 {
		b.first, b.last = m, m
	}
	b.counts.Used += n
	sc := b.sources[src]
	if sc == nil {
		sc = &sourceCounts{months: map[Month]*monthCount{}, first: m, last: m}
		b.sources[src] = sc
	}
	mc := sc.months[m]
	if mc == nil {
		mc = &monthCount{}
		sc.months[m] = mc
	}
	mc.all += n
	sc.all += n
	if ml {
		mc.ml += n
		sc.ml += n
	}
	sc.first, sc.last = min(sc.first, m), max(sc.last, m)
	b.first, b.last = min(b.first, m), max(b.last, m)
}

// Why a posting is left out of the analysis (or used).
const (
	used = iota
	undated
	future
	outsideWindow
)

// classify files p: its month, and whether it is used (dated, not in the
// future, inside the window) or why not.
func (b *Builder) classify(p *jobtrends.Posting) (Month, int) {
	t, m, ok := FiledAt(p)
	opt := b.opt
	switch {
	case !ok:
		return 0, undated
	case !opt.Now.IsZero() && t.After(opt.Now):
		return 0, future
	case !opt.From.IsZero() && t.Before(opt.From), !opt.To.IsZero() && !t.Before(opt.To):
		return 0, outsideWindow
	}
	return m, used
}

// dedupeAdd runs the cross-source dedupe over used postings in stream
// order: per non-empty jobtrends.DedupeKey it keeps the posting whose
// salary is the most authoritative (employer-structured, then employer
// text, then none), then the first source by name; postings of the source
// already kept are never merged (each has its own identity).
func (b *Builder) dedupeAdd(p *jobtrends.Posting, ord uint32) {
	var ok bool
	if b.keyBuf, ok = appendDedupeKey(b.keyBuf[:0], p); !ok {
		return
	}
	h := [2]uint64{maphash.Bytes(b.keyA, b.keyBuf), maphash.Bytes(b.keyB, b.keyBuf)}
	src, ok := b.srcID[p.Source]
	if !ok {
		src = int32(len(b.srcNames))
		b.srcID[p.Source] = src
		b.srcNames = append(b.srcNames, p.Source)
	}
	cur, seen := b.dedupe[h]
	kept, drop, ok := dedupeNext(cur, seen, dedupeEntry{ord: ord, src: src, rank: dedupeRank(p)}, b.srcNames)
	b.dedupe[h] = kept
	if ok {
		b.setDrop(drop)
	}
}

// dedupeNext is the cross-source dedupe rule for one more posting, next,
// of a dedupe key whose posting kept so far is cur (seen is false when
// next is the key's first): it returns the posting kept now and the one
// left out, if any (ok). Postings come in the report's order: by source
// name, then external id. names maps a source id to its name.
func dedupeNext(cur dedupeEntry, seen bool, next dedupeEntry, names []string) (kept dedupeEntry, drop uint32, ok bool) {
	switch {
	case !seen:
		return next, 0, false
	case cur.src == next.src:
		// same source: distinct postings, never merged
		return cur, 0, false
	case next.rank > cur.rank || next.rank == cur.rank && names[next.src] < names[cur.src]:
		return next, cur.ord, true
	}
	return cur, next.ord, true
}

// appendDedupeKey appends jobtrends.DedupeKey(p) to buf without the
// strings that function builds (it is most of the first pass's time at a
// million postings), and reports whether p has a key. It folds as
// jobtrends.DedupeKey does: letters and digits lower-cased, every other
// character (invalid UTF-8 included) a separator, runs of separators one
// space, none at the ends. TestAppendDedupeKey and FuzzAppendDedupeKey
// hold it to jobtrends.DedupeKey.
func appendDedupeKey(buf []byte, p *jobtrends.Posting) ([]byte, bool) {
	n := len(buf)
	buf = appendFolded(buf, p.Company)
	if len(buf) == n {
		return buf, false
	}
	buf = append(buf, '|')
	n = len(buf)
	buf = appendFolded(buf, p.Title)
	if len(buf) == n {
		return buf, false
	}
	buf = append(buf, '|')
	loc := p.Location.City
	if strings.TrimSpace(loc) == "" {
		loc = p.Location.Text
	}
	return appendFolded(buf, loc), true
}

// appendFolded appends s folded as jobtrends.DedupeKey folds each part.
func appendFolded(buf []byte, s string) []byte {
	start, gap := len(buf), false
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		if gap && len(buf) > start {
			buf = append(buf, ' ')
		}
		gap = false
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
	}
	return buf
}

func dedupeRank(p *jobtrends.Posting) int8 {
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

func (b *Builder) setDrop(ord uint32) {
	w := int(ord / 64)
	if w >= len(b.drop) {
		b.drop = slices.Grow(b.drop, w+1-len(b.drop))[:w+1]
	}
	if b.drop[w]&(1<<(ord%64)) == 0 {
		b.counts.CrossSourceDuplicates++
	}
	b.drop[w] |= 1 << (ord % 64)
}

func (b *Builder) dropped(ord int) bool {
	w := ord / 64
	return w < len(b.drop) && b.drop[w]&(1<<(ord%64)) != 0
}

// chain folds p's identity and date into the fingerprint h of a stream.
func (b *Builder) chain(h uint64, p *jobtrends.Posting) uint64 {
	var mh maphash.Hash
	mh.SetSeed(b.seed)
	mh.WriteString(p.Source)
	mh.WriteByte(0)
	mh.WriteString(p.ExternalID)
	mh.WriteByte(0)
	mh.WriteString(p.Thread)
	mh.WriteByte(0)
	var buf [8]byte
	u := uint64(p.DatePosted.UnixNano())
	for i := range buf {
		buf[i] = byte(u >> (8 * i))
	}
	mh.Write(buf[:])
	return bits.RotateLeft64(h, 7)*0x9e3779b97f4a7c15 ^ mh.Sum64()
}

// Again takes one posting of the second pass: the postings of the first
// pass again, in the same order. Like Add, it keeps no reference to p.
func (b *Builder) Again(p *jobtrends.Posting) error {
	b.second = true
	ord := b.n2
	if ord >= b.counts.Input {
		return fmt.Errorf("analyze: %w: more than the %d postings of the first", ErrPassesDiffer, b.counts.Input)
	}
	b.n2++
	b.fp2 = b.chain(b.fp2, p)
	m, why := b.classify(p)
	if why != used || b.dropped(ord) {
		return nil
	}
	ml := IsMLEngineer(p)
	b.salary.add(p, m, ml, b.opt.IncludeEstimates, 1)
	if !ml {
		return nil
	}
	y := m.Year()
	b.skills.add(p, y, 1)
	b.education.add(p, y, 1)
	b.industry.add(p, y, 1)
	b.companies.add(p.Company, 1)
	b.countries.add(p.Location.Country, 1)
	b.cities.add(p.Location.City, 1)
	b.remote.add(p.Remote, y, 1)
	b.usSalary.add(p, m, b.opt.IncludeEstimates, 1)
	return nil
}

// Report returns the report of the postings streamed (and of runs, for
// data health). It fails when the second pass did not see the same
// postings as the first.
func (b *Builder) Report(runs []RunSummary) (*Report, error) {
	if b.n2 != b.counts.Input || b.fp2 != b.fp {
		return nil, fmt.Errorf("analyze: %w: the second pass saw %d postings, the first %d, or not the same ones", ErrPassesDiffer, b.n2, b.counts.Input)
	}
	return b.report(runs), nil
}

func (b *Builder) report(runs []RunSummary) *Report {
	opt := b.opt
	rep := &Report{Options: opt, Counts: b.counts}
	for s := range b.sources {
		rep.Sources = append(rep.Sources, s)
	}
	slices.Sort(rep.Sources)
	rep.Growth = buildGrowth(b, rep.Sources, partialMonths(opt), opt.GrowthBase)
	rep.Salary = b.salary.finish(opt.IncludeEstimates)
	rep.Skills = b.skills.finish(opt)
	rep.Education = b.education.finish()
	rep.Industry = b.industry.finish()
	rep.Companies = b.companies.finish(TopN, "ML-engineer postings per company (names folded for case and spacing).")
	rep.Countries = b.countries.finish(TopN, "ML-engineer postings per country (ISO code where the parser could tell).")
	rep.Cities = b.cities.finish(TopN, "ML-engineer postings per city (where the parser could tell).")
	rep.Remote = b.remote.finish()
	rep.Claims = []Claim{growthClaim(rep.Growth, opt.GrowthBase), b.usSalary.finish()}
	rep.Health = b.health.finish(runs)
	return rep
}

// multiset is a bag of values kept as value → count: salaries repeat, so
// a group holds its distinct values, not one entry per posting.
type multiset struct {
	count map[float64]int
	n     int
}

func (m *multiset) add(v float64, n int) {
	if m.count == nil {
		m.count = map[float64]int{}
	}
	m.count[v] += n
	m.n += n
}

// sorted returns every value, repeated as often as it was added, in
// ascending order: the slice the statistics of stats.go take.
func (m *multiset) sorted() []float64 {
	if m == nil || m.n == 0 {
		return nil
	}
	keys := make([]float64, 0, len(m.count))
	for v := range m.count {
		keys = append(keys, v)
	}
	slices.Sort(keys)
	out := make([]float64, 0, m.n)
	for _, v := range keys {
		for range m.count[v] {
			out = append(out, v)
		}
	}
	return out
}

func (m *multiset) len() int {
	if m == nil {
		return 0
	}
	return m.n
}
