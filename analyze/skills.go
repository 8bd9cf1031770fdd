package analyze

import (
	"cmp"
	"slices"
	"strings"

	"github.com/jobtrends/jobtrends"
)

// MinCompareN is the number of ML-engineer postings a year needs to be
// picked automatically as one end of the rising/falling skills comparison.
const MinCompareN = 50

// MinSkillMentions is how many postings, over the two compared years
// together, must mention a skill before it can be called rising or falling.
const MinSkillMentions = 3

// Skills is how often ML-engineer postings mention each skill.
type Skills struct {
	Method   string
	Postings int // ML-engineer postings in the window
	// Overall ranks skills by the share of ML-engineer postings that
	// mention them (at most 2×TopN).
	Overall []SkillShare
	// Years and Matrix are the skill × year table for the TopN skills of
	// Overall: Matrix[i][j] is the share of year Years[j]'s ML-engineer
	// postings that mention Overall[i].
	Years         []int
	YearPostings  []int // ML-engineer postings per year, beside Years
	Matrix        [][]Num
	FromYear      int // the earlier year of the comparison (0: none)
	ToYear        int
	FromPostings  int
	ToPostings    int
	Rising        []SkillChange // largest rise first, at most TopN
	Falling       []SkillChange // largest fall first, at most TopN
	CompareMethod string
}

// SkillShare is how many postings mention one skill.
type SkillShare struct {
	Skill string
	N     int
	Share Num
}

// SkillChange is a skill's share in two years and the change in
// percentage points (0.05 = 5 points).
type SkillChange struct {
	Skill        string
	From, To     Num
	FromN, ToN   int
	Change       Num
	RelativeRise Num // To/From - 1, missing when From is 0
}

const skillsMethod = "Share of ML-engineer postings that mention each skill (each posting counts a skill once; spellings that differ only in case are one skill)."

// skillKey folds the spellings of a skill into one key.
func skillKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// skillsAcc counts the skills of ML-engineer postings, in the second pass.
type skillsAcc struct {
	postings int
	total    map[string]int
	byYear   map[int]map[string]int
	yearN    map[int]int
	spell    map[string]map[string]int
	seen     []string // scratch: the keys of one posting
}

func newSkillsAcc() skillsAcc {
	return skillsAcc{total: map[string]int{}, byYear: map[int]map[string]int{}, yearN: map[int]int{}, spell: map[string]map[string]int{}}
}

// add counts one ML-engineer posting of year y.
func (a *skillsAcc) add(p *jobtrends.Posting, y, n int) {
	a.postings += n
	a.yearN[y] += n
	if a.byYear[y] == nil {
		a.byYear[y] = map[string]int{}
	}
	a.seen = a.seen[:0]
	for _, s := range p.Skills {
		k := skillKey(s)
		if k == "" || slices.Contains(a.seen, k) {
			continue
		}
		a.seen = append(a.seen, k)
		a.total[k] += n
		a.byYear[y][k] += n
		if a.spell[k] == nil {
			a.spell[k] = map[string]int{}
		}
		a.spell[k][strings.TrimSpace(s)] += n
	}
}

func (a *skillsAcc) finish(opt Options) Skills {
	sk := Skills{Method: skillsMethod, Postings: a.postings}
	total, byYear, yearN, spell := a.total, a.byYear, a.yearN, a.spell
	name := func(k string) string { return mostCommon(spell[k]) }
	var keys []string
	for k := range total {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(total[b], total[a]), strings.Compare(a, b)) })
	for i, k := range keys {
		if i == 2*TopN {
			break
		}
		sk.Overall = append(sk.Overall, SkillShare{Skill: name(k), N: total[k], Share: Ratio(float64(total[k]), float64(sk.Postings))})
	}
	for y := range yearN {
		sk.Years = append(sk.Years, y)
	}
	slices.Sort(sk.Years)
	for _, y := range sk.Years {
		sk.YearPostings = append(sk.YearPostings, yearN[y])
	}
	for i, k := range keys {
		if i == TopN {
			break
		}
		row := make([]Num, len(sk.Years))
		for j, y := range sk.Years {
			row[j] = Ratio(float64(byYear[y][k]), float64(yearN[y]))
		}
		sk.Matrix = append(sk.Matrix, row)
	}

	sk.FromYear, sk.ToYear = compareYears(sk.Years, yearN, opt.CompareFrom, opt.CompareTo)
	sk.CompareMethod = "Share of ML-engineer postings mentioning the skill in the later year minus in the earlier year, in percentage points; " +
		"skills mentioned by fewer than 3 postings in the two years together are left out."
	if sk.FromYear == 0 || sk.FromYear == sk.ToYear {
		return sk
	}
	sk.FromPostings, sk.ToPostings = yearN[sk.FromYear], yearN[sk.ToYear]
	var changes []SkillChange
	for _, k := range keys {
		a, b := byYear[sk.FromYear][k], byYear[sk.ToYear][k]
		if a+b < MinSkillMentions {
			continue
		}
		c := SkillChange{Skill: name(k), FromN: a, ToN: b,
			From: Ratio(float64(a), float64(sk.FromPostings)), To: Ratio(float64(b), float64(sk.ToPostings))}
		if c.From.Valid && c.To.Valid {
			c.Change = Some(c.To.V - c.From.V)
			c.RelativeRise = Change(c.From, c.To)
		}
		changes = append(changes, c)
	}
	slices.SortStableFunc(changes, func(x, y SkillChange) int { return cmp.Compare(y.Change.V, x.Change.V) })
	for _, c := range changes {
		if c.Change.Valid && c.Change.V > 0 && len(sk.Rising) < TopN {
			sk.Rising = append(sk.Rising, c)
		}
	}
	for i := len(changes) - 1; i >= 0; i-- {
		if c := changes[i]; c.Change.Valid && c.Change.V < 0 && len(sk.Falling) < TopN {
			sk.Falling = append(sk.Falling, c)
		}
	}
	return sk
}

// compareYears picks the years to compare: the ones asked for when both
// have postings, else the first and the last year with at least MinCompareN
// ML-engineer postings, else the first and the last year with any.
func compareYears(years []int, n map[int]int, from, to int) (int, int) {
	if from != 0 && to != 0 {
		if n[from] > 0 && n[to] > 0 {
			return from, to
		}
		return 0, 0
	}
	var big []int
	for _, y := range years {
		if n[y] >= MinCompareN {
			big = append(big, y)
		}
	}
	switch {
	case len(big) >= 2:
		return big[0], big[len(big)-1]
	case len(years) >= 2:
		return years[0], years[len(years)-1]
	}
	return 0, 0
}

// mostCommon returns the most frequent key of counts (the smallest on a tie).
func mostCommon(counts map[string]int) string {
	best, bestN := "", -1
	for k, n := range counts {
		if n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	return best
}

// Education is how often ML-engineer postings ask for a graduate degree.
type Education struct {
	Method   string
	Postings int
	// Graduate counts postings that ask for a master's or a PhD (required
	// or preferred); GraduateRequired those that require one.
	Graduate, GraduateRequired   int
	GraduateShare, RequiredShare Num
	PhD                          int
	PhDShare                     Num
	Levels                       []SkillShare // each "level:kind" value, most frequent first
	Years                        []EducationYear
}

// EducationYear is one year of Education.
type EducationYear struct {
	Year                          int
	Postings, Graduate, PhD       int
	GraduateShare, PhDShare, Some Num // Some: share asking for any degree
}

const educationMethod = "Share of ML-engineer postings whose text asks for a master's or a PhD (required or preferred), as the parser's education rules read it; postings that name no degree count as not asking."

// educationAcc counts the degrees ML-engineer postings ask for, in the
// second pass.
type educationAcc struct {
	e      Education
	levels map[string]int
	years  map[int]*EducationYear
	anyDeg map[int]int
	seen   []string // scratch: the values of one posting
}

func newEducationAcc() educationAcc {
	return educationAcc{levels: map[string]int{}, years: map[int]*EducationYear{}, anyDeg: map[int]int{}}
}

// add counts one ML-engineer posting of year y.
func (a *educationAcc) add(p *jobtrends.Posting, y, n int) {
	e := &a.e
	e.Postings += n
	ey := a.years[y]
	if ey == nil {
		ey = &EducationYear{Year: y}
		a.years[y] = ey
	}
	ey.Postings += n
	grad, req, phd := false, false, false
	a.seen = a.seen[:0]
	for _, v := range p.Education {
		v = strings.ToLower(strings.TrimSpace(v))
		if v == "" || slices.Contains(a.seen, v) {
			continue
		}
		a.seen = append(a.seen, v)
		a.levels[v] += n
		level, kind, _ := strings.Cut(v, ":")
		if level == "masters" || level == "phd" {
			grad = true
			req = req || kind == "required"
		}
		phd = phd || level == "phd"
	}
	if len(a.seen) > 0 {
		a.anyDeg[y] += n
	}
	if grad {
		e.Graduate += n
		ey.Graduate += n
	}
	if req {
		e.GraduateRequired += n
	}
	if phd {
		e.PhD += n
		ey.PhD += n
	}
}

func (a *educationAcc) finish() Education {
	e := a.e
	e.Method = educationMethod
	levels, anyDeg := a.levels, a.anyDeg
	e.GraduateShare = Ratio(float64(e.Graduate), float64(e.Postings))
	e.RequiredShare = Ratio(float64(e.GraduateRequired), float64(e.Postings))
	e.PhDShare = Ratio(float64(e.PhD), float64(e.Postings))
	for k, n := range levels {
		e.Levels = append(e.Levels, SkillShare{Skill: k, N: n, Share: Ratio(float64(n), float64(e.Postings))})
	}
	slices.SortFunc(e.Levels, func(a, b SkillShare) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Skill, b.Skill)) })
	for _, y := range a.years {
		ey := *y
		ey.GraduateShare = Ratio(float64(ey.Graduate), float64(ey.Postings))
		ey.PhDShare = Ratio(float64(ey.PhD), float64(ey.Postings))
		ey.Some = Ratio(float64(anyDeg[ey.Year]), float64(ey.Postings))
		e.Years = append(e.Years, ey)
	}
	slices.SortFunc(e.Years, func(a, b EducationYear) int { return cmp.Compare(a.Year, b.Year) })
	return e
}

// Industry is ML-engineer postings by industry and year.
type Industry struct {
	Method   string
	Postings int
	Known    int // postings whose industry was recognised
	// Industries are the TopN most frequent industries, most first;
	// "other" gathers the rest, "unknown" the unrecognised.
	Industries []SkillShare
	Years      []int
	// Counts[i][j] is postings of Industries[i] in Years[j].
	Counts [][]int
	// Shares[i][j] is Counts[i][j] over all ML-engineer postings of the year.
	Shares       [][]Num
	YearPostings []int
}

const industryMethod = "ML-engineer postings by the employer's industry as the parser recognised it (structured data first, else explicit self-description); unrecognised postings are 'unknown'."

// industryAcc counts ML-engineer postings per industry, in the second
// pass.
type industryAcc struct {
	postings, known int
	total           map[string]int
	byYear          map[int]map[string]int
	yearN           map[int]int
}

func newIndustryAcc() industryAcc {
	return industryAcc{total: map[string]int{}, byYear: map[int]map[string]int{}, yearN: map[int]int{}}
}

// add counts one ML-engineer posting of year y.
func (a *industryAcc) add(p *jobtrends.Posting, y, n int) {
	a.postings += n
	k := strings.ToLower(strings.TrimSpace(p.Industry))
	if k == "" {
		k = "unknown"
	} else {
		a.known += n
	}
	a.total[k] += n
	a.yearN[y] += n
	if a.byYear[y] == nil {
		a.byYear[y] = map[string]int{}
	}
	a.byYear[y][k] += n
}

func (a *industryAcc) finish() Industry {
	ind := Industry{Method: industryMethod, Postings: a.postings, Known: a.known}
	total, byYear, yearN := a.total, a.byYear, a.yearN
	var keys []string
	for k := range total {
		if k != "unknown" {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(total[b], total[a]), strings.Compare(a, b)) })
	other := map[int]int{}
	otherN := 0
	if len(keys) > TopN {
		for _, k := range keys[TopN:] {
			otherN += total[k]
			for y, m := range byYear {
				other[y] += m[k]
			}
		}
		keys = keys[:TopN]
	}
	for y := range yearN {
		ind.Years = append(ind.Years, y)
	}
	slices.Sort(ind.Years)
	for _, y := range ind.Years {
		ind.YearPostings = append(ind.YearPostings, yearN[y])
	}
	row := func(name string, n int, count func(y int) int) {
		ind.Industries = append(ind.Industries, SkillShare{Skill: name, N: n, Share: Ratio(float64(n), float64(ind.Postings))})
		counts := make([]int, len(ind.Years))
		shares := make([]Num, len(ind.Years))
		for j, y := range ind.Years {
			counts[j] = count(y)
			shares[j] = Ratio(float64(counts[j]), float64(yearN[y]))
		}
		ind.Counts = append(ind.Counts, counts)
		ind.Shares = append(ind.Shares, shares)
	}
	for _, k := range keys {
		row(k, total[k], func(y int) int { return byYear[y][k] })
	}
	if otherN > 0 {
		row("other", otherN, func(y int) int { return other[y] })
	}
	if total["unknown"] > 0 {
		row("unknown", total["unknown"], func(y int) int { return byYear[y]["unknown"] })
	}
	return ind
}
