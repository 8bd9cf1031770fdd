package analyze

// This file freezes the slice implementation of the analysis as it was
// before the Builder (commit dbe8d61): Build over []jobtrends.Posting,
// holding every used posting. TestBuilderMatchesSliceReference runs it
// beside the Builder on the same postings, so any drift of the streaming
// path from these semantics fails a test. Names carry a ref prefix; the
// helpers both share (Summarize, SalaryValue, yearChange, …) are the
// package's own.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/jobtrends/jobtrends"
)

// refItem is a used posting with its month worked out once.
type refItem struct {
	p     *jobtrends.Posting
	month Month
	ml    bool
}

// refBuild computes the report for postings (and the crawl runs, for data
// health). It does not modify its arguments.
func refBuild(postings []jobtrends.Posting, runs []RunSummary, opt Options) *Report {
	if opt.GrowthBase == 0 {
		opt.GrowthBase = DefaultGrowthBase
	}
	rep := &Report{Options: opt}
	rep.Counts.Input = len(postings)
	items := make([]refItem, 0, len(postings))
	sources := map[string]bool{}
	for i := range postings {
		p := &postings[i]
		t, m, ok := FiledAt(p)
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
		it := refItem{p: p, month: m, ml: IsMLEngineer(p)}
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
	rep.Growth = refBuildGrowth(items, rep.Sources, partial, opt.GrowthBase)
	all := items
	items = refDedupeAcrossSources(items)
	rep.Counts.CrossSourceDuplicates = len(all) - len(items)
	rep.Salary = refBuildSalary(items, opt.IncludeEstimates)
	rep.Skills = refBuildSkills(items, opt)
	rep.Education = refBuildEducation(items)
	rep.Industry = refBuildIndustry(items)
	rep.Companies = refRank(items, TopN, "ML-engineer postings per company (names folded for case and spacing).",
		func(p *jobtrends.Posting) string { return p.Company })
	rep.Countries = refRank(items, TopN, "ML-engineer postings per country (ISO code where the parser could tell).",
		func(p *jobtrends.Posting) string { return p.Location.Country })
	rep.Cities = refRank(items, TopN, "ML-engineer postings per city (where the parser could tell).",
		func(p *jobtrends.Posting) string { return p.Location.City })
	rep.Remote = refBuildRemote(items)
	rep.Claims = refBuildClaims(rep, items, opt)
	rep.Health = refBuildHealth(postings, runs)
	return rep
}

// refDedupeAcrossSources keeps one posting per job advertised on several
// sources (same non-empty jobtrends.DedupeKey, different Source): the one
// whose salary is the most authoritative (employer-structured, then
// employer text, then none), then the first source by name. Postings of
// one source are never merged (each has its own identity).
func refDedupeAcrossSources(items []refItem) []refItem {
	refRank := func(p *jobtrends.Posting) int {
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
		if refRank(b) > refRank(a) || (refRank(b) == refRank(a) && b.Source < a.Source) {
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

func refBuildGrowth(items []refItem, sources []string, partial map[Month]bool, base int) Growth {
	g := Growth{Method: growthMethod, BaseYear: base}
	if len(items) == 0 {
		return g
	}
	first, last := items[0].month, items[0].month
	for _, it := range items {
		first, last = min(first, it.month), max(last, it.month)
	}
	for m := first; m <= last; m++ {
		g.Months = append(g.Months, m)
	}
	for _, src := range sources {
		g.Sources = append(g.Sources, refSourceGrowth(src, items, g.Months, partial, base))
	}
	return g
}

func refSourceGrowth(src string, items []refItem, months []Month, partial map[Month]bool, base int) SourceGrowth {
	sg := SourceGrowth{Source: src, Months: make([]GrowthMonth, len(months))}
	off := months[0]
	for i, m := range months {
		sg.Months[i] = GrowthMonth{Month: m, Partial: partial[m]}
	}
	seen := false
	for _, it := range items {
		if it.p.Source != src {
			continue
		}
		gm := &sg.Months[it.month-off]
		gm.HasData = true
		gm.All++
		sg.All++
		if it.ml {
			gm.ML++
			sg.ML++
		}
		if !seen {
			sg.First, sg.Last, seen = it.month, it.month, true
		}
		sg.First, sg.Last = min(sg.First, it.month), max(sg.Last, it.month)
	}
	for i := range sg.Months {
		gm := &sg.Months[i]
		if gm.HasData {
			gm.Count = Some(float64(gm.ML))
			gm.Share = Ratio(float64(gm.ML), float64(gm.All))
		}
	}
	// full reports whether month i may feed a derived count value.
	full := func(i int) bool { return i >= 0 && sg.Months[i].HasData && !sg.Months[i].Partial }
	for i := range sg.Months {
		gm := &sg.Months[i]
		if full(i) && full(i-1) && full(i-2) {
			c := float64(gm.ML + sg.Months[i-1].ML + sg.Months[i-2].ML)
			gm.CountMA3 = Some(c / 3)
			gm.ShareMA3 = Some((gm.Share.V + sg.Months[i-1].Share.V + sg.Months[i-2].Share.V) / 3)
		}
		if full(i) && full(i-12) {
			gm.CountYoY = Change(sg.Months[i-12].Count, gm.Count)
			gm.ShareYoY = Change(sg.Months[i-12].Share, gm.Share)
		}
	}
	sg.Years = growthYears(sg.Months)
	var baseYear *GrowthYear
	for i := range sg.Years {
		if sg.Years[i].Year == base && sg.Years[i].FullMonths > 0 {
			baseYear = &sg.Years[i]
		}
	}
	if baseYear != nil {
		for i := range sg.Months {
			if !full(i) {
				continue
			}
			gm := &sg.Months[i]
			if c := Ratio(gm.Count.V, baseYear.MeanCount.V); c.Valid {
				gm.CountIndex = Some(c.V * 100)
			}
			if s := Ratio(gm.Share.V, baseYear.Share.V); s.Valid {
				gm.ShareIndex = Some(s.V * 100)
			}
		}
	}
	sg.SinceBase = yearChange(sg.Years, base)
	return sg
}

// refPaid is a usable salary with the posting it came from.
type refPaid struct {
	it refItem
	v  float64
}

func refBuildSalary(items []refItem, includeEstimates bool) Salary {
	s := Salary{Method: salaryMethod, MixMethod: mixMethod, IncludesEstimates: includeEstimates}
	skipped := map[string]int{}
	var all []refPaid
	var mlItems []refItem
	for _, it := range items {
		if !it.ml {
			continue
		}
		mlItems = append(mlItems, it)
		s.Postings++
		if employerDisclosed(it.p) {
			s.Disclosed++
		}
		v, reason, ok := SalaryValue(it.p.Salary, includeEstimates)
		switch {
		case ok:
			all = append(all, refPaid{it, v})
		case reason != "":
			skipped[reason]++
		}
	}
	s.Used = len(all)
	s.DisclosureRate = Ratio(float64(s.Disclosed), float64(s.Postings))
	for _, r := range []string{SkipEstimate, SkipImplausible, SkipUnknownCurrency, SkipNoPeriod, SkipNotAnnualized} {
		if skipped[r] > 0 {
			s.Skipped = append(s.Skipped, Reason{r, skipped[r]})
		}
	}
	vals := refValues(all)
	s.Overall = Summarize(vals)
	s.Histogram = Histogram(vals)
	s.Quarters = refSalaryQuarters(mlItems, all)
	s.BySeniority = refGroups(mlItems, all, func(p *jobtrends.Posting) string { return orUnknown(p.Seniority) })
	slices.SortStableFunc(s.BySeniority, func(a, b Group) int { return cmp.Compare(seniorityRank(a.Key), seniorityRank(b.Key)) })
	s.ByCountry = refGroups(mlItems, all, func(p *jobtrends.Posting) string { return orUnknown(p.Location.Country) })
	slices.SortStableFunc(s.ByCountry, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Pay.N, a.Pay.N), cmp.Compare(b.Postings, a.Postings), strings.Compare(a.Key, b.Key))
	})
	if len(s.ByCountry) > TopN {
		s.ByCountry = s.ByCountry[:TopN]
	}
	s.ByRemote = refGroups(mlItems, all, func(p *jobtrends.Posting) string { return orUnknown(string(p.Remote)) })
	slices.SortStableFunc(s.ByRemote, func(a, b Group) int { return cmp.Compare(remoteRank(a.Key), remoteRank(b.Key)) })
	s.ByRole = refRoleGroups(items, includeEstimates)
	s.MixAdjusted = refMixAdjusted(all)
	return s
}

func refValues(ps []refPaid) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = p.v
	}
	return out
}

// refGroups splits postings and their usable salaries by key, sorted by key.
func refGroups(items []refItem, all []refPaid, key func(*jobtrends.Posting) string) []Group {
	idx := map[string]int{}
	var out []Group
	get := func(k string) *Group {
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Group{Key: k})
		}
		return &out[i]
	}
	for _, it := range items {
		g := get(key(it.p))
		g.Postings++
		if employerDisclosed(it.p) {
			g.Disclosed++
		}
	}
	vals := map[string][]float64{}
	for _, p := range all {
		k := key(p.it.p)
		vals[k] = append(vals[k], p.v)
	}
	for i := range out {
		out[i].Pay = Summarize(vals[out[i].Key])
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// refRoleGroups is the pay of every role family (not only ML engineers).
func refRoleGroups(items []refItem, includeEstimates bool) []Group {
	var all []refPaid
	for _, it := range items {
		if v, _, ok := SalaryValue(it.p.Salary, includeEstimates); ok {
			all = append(all, refPaid{it, v})
		}
	}
	out := refGroups(items, all, func(p *jobtrends.Posting) string { return orUnknown(p.Role) })
	slices.SortStableFunc(out, func(a, b Group) int { return cmp.Compare(b.Postings, a.Postings) })
	return out
}

func refSalaryQuarters(ml []refItem, all []refPaid) []SalaryQuarter {
	if len(ml) == 0 {
		return nil
	}
	first, last := ml[0].month.Quarter(), ml[0].month.Quarter()
	for _, it := range ml {
		first, last = min(first, it.month.Quarter()), max(last, it.month.Quarter())
	}
	out := make([]SalaryQuarter, last-first+1)
	for i := range out {
		out[i].Quarter = first + Quarter(i)
	}
	for _, it := range ml {
		q := &out[it.month.Quarter()-first]
		q.Postings++
		if employerDisclosed(it.p) {
			q.Disclosed++
		}
	}
	vals := make([][]float64, len(out))
	for _, p := range all {
		i := p.it.month.Quarter() - first
		vals[i] = append(vals[i], p.v)
	}
	for i := range out {
		out[i].DisclosureRate = Ratio(float64(out[i].Disclosed), float64(out[i].Postings))
		out[i].Pay = Summarize(vals[i])
	}
	return out
}

func refMixAdjusted(all []refPaid) []MixYear {
	if len(all) == 0 {
		return nil
	}
	type cellKey struct {
		year      int
		sen, ctry string
	}
	byYear := map[int][]float64{}
	byCell := map[cellKey][]float64{}
	for _, p := range all {
		y := p.it.month.Year()
		byYear[y] = append(byYear[y], p.v)
		k := cellKey{y, orUnknown(p.it.p.Seniority), orUnknown(p.it.p.Location.Country)}
		byCell[k] = append(byCell[k], p.v)
	}
	var years []int
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	median := func(xs []float64) Num {
		s := slices.Clone(xs)
		slices.Sort(s)
		return Quantile(s, 0.5)
	}
	base := years[0]
	baseMedian := median(byYear[base])
	var out []MixYear
	for _, y := range years {
		my := MixYear{Year: y, N: len(byYear[y]), RawMedian: median(byYear[y])}
		if r := Ratio(my.RawMedian.V, baseMedian.V); r.Valid {
			my.RawIndex = Some(r.V * 100)
		}
		var ratios []float64
		for k, v := range byCell {
			if k.year != y || len(v) < MinCellN {
				continue
			}
			b := byCell[cellKey{base, k.sen, k.ctry}]
			if len(b) < MinCellN {
				continue
			}
			if r := Ratio(median(v).V, median(b).V); r.Valid {
				ratios = append(ratios, r.V)
			}
		}
		my.Cells = len(ratios)
		if m := median(ratios); m.Valid {
			my.MixIndex = Some(m.V * 100)
		}
		out = append(out, my)
	}
	return out
}

func refBuildSkills(items []refItem, opt Options) Skills {
	sk := Skills{Method: skillsMethod}
	total := map[string]int{}
	byYear := map[int]map[string]int{}
	yearN := map[int]int{}
	spell := map[string]map[string]int{}
	for _, it := range items {
		if !it.ml {
			continue
		}
		sk.Postings++
		y := it.month.Year()
		yearN[y]++
		if byYear[y] == nil {
			byYear[y] = map[string]int{}
		}
		seen := map[string]bool{}
		for _, s := range it.p.Skills {
			k := skillKey(s)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			total[k]++
			byYear[y][k]++
			if spell[k] == nil {
				spell[k] = map[string]int{}
			}
			spell[k][strings.TrimSpace(s)]++
		}
	}
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

func refBuildEducation(items []refItem) Education {
	e := Education{Method: educationMethod}
	levels := map[string]int{}
	years := map[int]*EducationYear{}
	anyDeg := map[int]int{}
	for _, it := range items {
		if !it.ml {
			continue
		}
		e.Postings++
		y := it.month.Year()
		ey := years[y]
		if ey == nil {
			ey = &EducationYear{Year: y}
			years[y] = ey
		}
		ey.Postings++
		grad, req, phd := false, false, false
		seen := map[string]bool{}
		for _, v := range it.p.Education {
			v = strings.ToLower(strings.TrimSpace(v))
			if v == "" || seen[v] {
				continue
			}
			seen[v] = true
			levels[v]++
			level, kind, _ := strings.Cut(v, ":")
			if level == "masters" || level == "phd" {
				grad = true
				req = req || kind == "required"
			}
			phd = phd || level == "phd"
		}
		if len(seen) > 0 {
			anyDeg[y]++
		}
		if grad {
			e.Graduate++
			ey.Graduate++
		}
		if req {
			e.GraduateRequired++
		}
		if phd {
			e.PhD++
			ey.PhD++
		}
	}
	e.GraduateShare = Ratio(float64(e.Graduate), float64(e.Postings))
	e.RequiredShare = Ratio(float64(e.GraduateRequired), float64(e.Postings))
	e.PhDShare = Ratio(float64(e.PhD), float64(e.Postings))
	for k, n := range levels {
		e.Levels = append(e.Levels, SkillShare{Skill: k, N: n, Share: Ratio(float64(n), float64(e.Postings))})
	}
	slices.SortFunc(e.Levels, func(a, b SkillShare) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Skill, b.Skill)) })
	for _, ey := range years {
		ey.GraduateShare = Ratio(float64(ey.Graduate), float64(ey.Postings))
		ey.PhDShare = Ratio(float64(ey.PhD), float64(ey.Postings))
		ey.Some = Ratio(float64(anyDeg[ey.Year]), float64(ey.Postings))
		e.Years = append(e.Years, *ey)
	}
	slices.SortFunc(e.Years, func(a, b EducationYear) int { return cmp.Compare(a.Year, b.Year) })
	return e
}

func refBuildIndustry(items []refItem) Industry {
	ind := Industry{Method: industryMethod}
	total := map[string]int{}
	byYear := map[int]map[string]int{}
	yearN := map[int]int{}
	for _, it := range items {
		if !it.ml {
			continue
		}
		ind.Postings++
		k := strings.ToLower(strings.TrimSpace(it.p.Industry))
		if k == "" {
			k = "unknown"
		} else {
			ind.Known++
		}
		total[k]++
		y := it.month.Year()
		yearN[y]++
		if byYear[y] == nil {
			byYear[y] = map[string]int{}
		}
		byYear[y][k]++
	}
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

// refRank counts key(p) over ML-engineer postings; a name is shown in its
// most frequent spelling.
func refRank(items []refItem, n int, method string, key func(*jobtrends.Posting) string) Ranking {
	r := Ranking{Method: method}
	counts := map[string]int{}
	spell := map[string]map[string]int{}
	for _, it := range items {
		if !it.ml {
			continue
		}
		r.Postings++
		v := strings.Join(strings.Fields(key(it.p)), " ")
		k := foldKey(v)
		if k == "" {
			continue
		}
		r.Known++
		counts[k]++
		if spell[k] == nil {
			spell[k] = map[string]int{}
		}
		spell[k][v]++
	}
	r.Distinct = len(counts)
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	for i, k := range keys {
		if i == n {
			break
		}
		r.Top = append(r.Top, Ranked{Name: mostCommon(spell[k]), N: counts[k], Share: Ratio(float64(counts[k]), float64(r.Postings))})
	}
	return r
}

func refBuildRemote(items []refItem) RemoteShare {
	rs := RemoteShare{Method: remoteMethod}
	byYear := map[int]*RemoteYear{}
	for _, it := range items {
		if !it.ml {
			continue
		}
		y := it.month.Year()
		if byYear[y] == nil {
			byYear[y] = &RemoteYear{Year: y}
		}
		byYear[y].add(it.p.Remote, 1)
		rs.Total.add(it.p.Remote, 1)
	}
	for _, ry := range byYear {
		ry.finish()
		rs.Years = append(rs.Years, *ry)
	}
	rs.Total.finish()
	slices.SortFunc(rs.Years, func(a, b RemoteYear) int { return cmp.Compare(a.Year, b.Year) })
	return rs
}

func refBuildClaims(rep *Report, items []refItem, opt Options) []Claim {
	return []Claim{growthClaim(rep.Growth, opt.GrowthBase), refSalaryClaim(items, opt.IncludeEstimates)}
}

func refSalaryClaim(items []refItem, includeEstimates bool) Claim {
	c := Claim{ID: "us-salary", Text: ClaimSalary, Claimed: 112000,
		Method: fmt.Sprintf("Annualized USD base pay of ML-engineer postings located in the US (country US), employer-stated unless estimates are included; "+
			"supported when the mean is within ±%.0f%% of $112k; a verdict needs %d salaries.", SalaryTolerance*100, MinClaimSalaries)}
	var vals []float64
	var first, last Month
	for _, it := range items {
		if !it.ml || !strings.EqualFold(strings.TrimSpace(it.p.Location.Country), "US") {
			continue
		}
		v, _, ok := SalaryValue(it.p.Salary, includeEstimates)
		if !ok {
			continue
		}
		if len(vals) == 0 || it.month < first {
			first = it.month
		}
		if len(vals) == 0 || it.month > last {
			last = it.month
		}
		vals = append(vals, v)
	}
	s := Summarize(vals)
	period := "no salaries"
	if s.N > 0 {
		period = first.String() + " to " + last.String()
	}
	verdict := func(v Num) string {
		if !v.Valid || s.N < MinClaimSalaries {
			return VerdictNotEnoughData
		}
		switch {
		case v.V > 112000*(1+SalaryTolerance):
			return VerdictHigher
		case v.V < 112000*(1-SalaryTolerance):
			return VerdictLower
		}
		return VerdictSupported
	}
	c.Measures = []Measure{
		{Label: "US mean annual base pay", Value: s.Mean, Unit: "usd", N: s.N, Period: period, Verdict: verdict(s.Mean)},
		{Label: "US median annual base pay", Value: s.Median, Unit: "usd", N: s.N, Period: period, Verdict: verdict(s.Median)},
	}
	// The claim is about the average: the mean decides.
	c.Verdict = c.Measures[0].Verdict
	if s.N == 0 {
		c.Summary = "No US ML-engineer posting in the data states usable pay."
	} else {
		c.Summary = fmt.Sprintf("US ML-engineer postings: mean %s, median %s (n = %d, %s).", dollars(s.Mean), dollars(s.Median), s.N, period)
	}
	return c
}

func refBuildHealth(postings []jobtrends.Posting, runs []RunSummary) Health {
	var h Health
	idx := map[string]int{}
	get := func(src string) *SourceHealth {
		i, ok := idx[src]
		if !ok {
			i = len(h.Sources)
			idx[src] = i
			h.Sources = append(h.Sources, SourceHealth{Source: src})
		}
		return &h.Sources[i]
	}
	for i := range postings {
		p := &postings[i]
		s := get(p.Source)
		s.Postings++
		if IsMLEngineer(p) {
			s.MLEngineer++
		}
		if employerDisclosed(p) {
			s.WithSalary++
		}
		if p.DatePosted.IsZero() {
			s.Undated++
			continue
		}
		if s.FirstPosted.IsZero() || p.DatePosted.Before(s.FirstPosted) {
			s.FirstPosted = p.DatePosted
		}
		if p.DatePosted.After(s.LastPosted) {
			s.LastPosted = p.DatePosted
		}
	}
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
			s.New += sr.New
			s.Updated += sr.Updated
			s.Unchanged += sr.Unchanged
			s.Closed += sr.Closed
		}
	}
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
