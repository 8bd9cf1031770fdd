package parse

import (
	"embed"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/jobtrends/jobtrends"
)

// rulesFS holds the default classification data: roles, seniority, skills,
// education and industries (YAML), and the place tables (TSV).
//
//go:embed rules/*.yaml rules/*.tsv
var rulesFS embed.FS

// Rules is the data the Classifier runs on. DefaultRules loads it from the
// YAML files embedded from parse/rules/; a config can extend or replace it
// with MergeRules. Every list is documented, with examples and
// counter-examples, in its file.
//
// Patterns in RoleRule, SeniorityRule, EducationRules and IndustryRule are
// RE2 regular expressions, matched case-insensitively and only at word
// boundaries: the character before and after a match must not be a letter
// or a digit. Skill aliases are literal phrases (see SkillRule).
type Rules struct {
	// Roles are tried in order on a title; the first rule whose Include
	// matches and whose Exclude does not gives the role family. A title no
	// rule matches is jobtrends.RoleOther.
	Roles []RoleRule `yaml:"roles,omitempty" json:"roles,omitempty"`
	// Seniority rules are tried in order like Roles; no match gives
	// jobtrends.SeniorityUnknown.
	Seniority []SeniorityRule `yaml:"seniority,omitempty" json:"seniority,omitempty"`
	// Skills is the skill dictionary; order does not matter.
	Skills []SkillRule `yaml:"skills,omitempty" json:"skills,omitempty"`
	// Education says how degree requirements are recognised.
	Education EducationRules `yaml:"education,omitempty" json:"education,omitempty"`
	// Industries are tried in order on a structured industry value, and
	// counted on a description's own words about the company.
	Industries []IndustryRule `yaml:"industries,omitempty" json:"industries,omitempty"`
}

// RoleRule maps titles to a role family.
type RoleRule struct {
	// Name identifies the rule; MergeRules overrides rules by Name.
	Name string `yaml:"name" json:"name"`
	// Role is one of the jobtrends.Role* families.
	Role string `yaml:"role" json:"role"`
	// Include lists patterns of which at least one must match the title.
	Include []string `yaml:"include" json:"include"`
	// Exclude lists patterns of which none may match.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
	// Examples are titles this rule must classify (tested); CounterExamples
	// are titles that must not end up in Role.
	Examples        []string `yaml:"examples,omitempty" json:"examples,omitempty"`
	CounterExamples []string `yaml:"counter_examples,omitempty" json:"counter_examples,omitempty"`
}

// SeniorityRule maps titles to a seniority level.
type SeniorityRule struct {
	// Name identifies the rule; MergeRules overrides rules by Name.
	Name string `yaml:"name" json:"name"`
	// Level is one of the jobtrends.Seniority* levels.
	Level string `yaml:"level" json:"level"`
	// Include and Exclude work as in RoleRule.
	Include []string `yaml:"include" json:"include"`
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
	// Examples and CounterExamples work as in RoleRule.
	Examples        []string `yaml:"examples,omitempty" json:"examples,omitempty"`
	CounterExamples []string `yaml:"counter_examples,omitempty" json:"counter_examples,omitempty"`
}

// EducationRules recognise the degrees a description asks for. A sentence
// naming a degree gives "<level>:preferred" when it (or the clause holding
// the degree, or the section heading above it) carries a Preferred marker,
// and "<level>:required" otherwise.
type EducationRules struct {
	// Levels name the degrees, lowest first.
	Levels []EducationLevel `yaml:"levels,omitempty" json:"levels,omitempty"`
	// Preferred and Required are marker patterns ("nice to have",
	// "required").
	Preferred []string `yaml:"preferred,omitempty" json:"preferred,omitempty"`
	Required  []string `yaml:"required,omitempty" json:"required,omitempty"`
	// Context patterns show that a sentence is about a degree; an
	// abbreviation such as "MS" only counts in a sentence matching one.
	Context []string `yaml:"context,omitempty" json:"context,omitempty"`
	// Examples map a text to the exact Education result (tested).
	Examples []EducationExample `yaml:"examples,omitempty" json:"examples,omitempty"`
}

// EducationLevel is one degree level.
type EducationLevel struct {
	// Level is the name used in results: "bachelors", "masters", "phd".
	Level string `yaml:"level" json:"level"`
	// Patterns are matched case-insensitively.
	Patterns []string `yaml:"patterns,omitempty" json:"patterns,omitempty"`
	// Abbreviations are matched with exact case and need a Context match.
	Abbreviations []string `yaml:"abbreviations,omitempty" json:"abbreviations,omitempty"`
}

// EducationExample is a documented input and its expected result.
type EducationExample struct {
	Text string   `yaml:"text" json:"text"`
	Want []string `yaml:"want" json:"want"`
}

// IndustryRule recognises one industry.
type IndustryRule struct {
	// Name is the industry as stored ("healthcare", "finance", ...).
	Name string `yaml:"name" json:"name"`
	// Structured patterns are matched against a structured industry value
	// (JSON-LD industry, ATS metadata); the first rule to match wins.
	Structured []string `yaml:"structured,omitempty" json:"structured,omitempty"`
	// Text patterns are explicit self-descriptions in a description ("we
	// are a healthcare company", "fintech"). The industry with the most
	// matches wins; a tie gives "".
	Text []string `yaml:"text,omitempty" json:"text,omitempty"`
	// Examples are descriptions that must give Name; CounterExamples must
	// not.
	Examples        []string `yaml:"examples,omitempty" json:"examples,omitempty"`
	CounterExamples []string `yaml:"counter_examples,omitempty" json:"counter_examples,omitempty"`
}

var (
	defaultRulesOnce sync.Once
	defaultRules     Rules
	defaultRulesErr  error

	defaultClassifierOnce sync.Once
	defaultClassifier     *Classifier
)

// DefaultRules returns a fresh copy of the rules embedded from
// parse/rules/*.yaml.
func DefaultRules() Rules {
	defaultRulesOnce.Do(func() {
		defaultRules, defaultRulesErr = loadEmbeddedRules()
	})
	if defaultRulesErr != nil {
		// The embedded files are part of the build and tested; failing
		// here is a programming error.
		panic(defaultRulesErr)
	}
	return MergeRules(Rules{}, defaultRules, false)
}

// DefaultClassifier returns the classifier for DefaultRules, compiled once
// and safe for concurrent use.
func DefaultClassifier() *Classifier {
	defaultClassifierOnce.Do(func() {
		c, err := NewClassifier(DefaultRules())
		if err != nil {
			panic(fmt.Sprintf("parse: default rules: %v", err))
		}
		defaultClassifier = c
	})
	return defaultClassifier
}

func loadEmbeddedRules() (Rules, error) {
	var all Rules
	for _, name := range []string{"roles.yaml", "seniority.yaml", "skills.yaml", "education.yaml", "industries.yaml"} {
		b, err := rulesFS.ReadFile("rules/" + name)
		if err != nil {
			return Rules{}, fmt.Errorf("read rules/%s: %w", name, err)
		}
		var r Rules
		if err := yaml.Unmarshal(b, &r); err != nil {
			return Rules{}, fmt.Errorf("parse rules/%s: %w", name, err)
		}
		all.Roles = append(all.Roles, r.Roles...)
		all.Seniority = append(all.Seniority, r.Seniority...)
		all.Skills = append(all.Skills, r.Skills...)
		all.Industries = append(all.Industries, r.Industries...)
		e := r.Education
		all.Education.Levels = append(all.Education.Levels, e.Levels...)
		all.Education.Preferred = append(all.Education.Preferred, e.Preferred...)
		all.Education.Required = append(all.Education.Required, e.Required...)
		all.Education.Context = append(all.Education.Context, e.Context...)
		all.Education.Examples = append(all.Education.Examples, e.Examples...)
	}
	return all, nil
}

// MergeRules combines base with extra from a config. With replace, every
// non-empty list of extra replaces the base list (an empty one keeps the
// base). Without it, a rule of extra with the Name (for skills the Name, for
// education levels the Level) of a base rule overrides that rule in place,
// and new role and seniority rules are tried before the base ones, so a
// config's rules take precedence; new skills and industries are appended,
// and education markers are added. The inputs are not modified.
func MergeRules(base, extra Rules, replace bool) Rules {
	out := Rules{
		Roles:      mergeByName(base.Roles, extra.Roles, replace, true, func(r RoleRule) string { return r.Name }),
		Seniority:  mergeByName(base.Seniority, extra.Seniority, replace, true, func(r SeniorityRule) string { return r.Name }),
		Skills:     mergeByName(base.Skills, extra.Skills, replace, false, func(r SkillRule) string { return r.Name }),
		Industries: mergeByName(base.Industries, extra.Industries, replace, false, func(r IndustryRule) string { return r.Name }),
	}
	be, ee := base.Education, extra.Education
	out.Education.Levels = mergeByName(be.Levels, ee.Levels, replace, false, func(l EducationLevel) string { return l.Level })
	out.Education.Preferred = mergeList(be.Preferred, ee.Preferred, replace)
	out.Education.Required = mergeList(be.Required, ee.Required, replace)
	out.Education.Context = mergeList(be.Context, ee.Context, replace)
	out.Education.Examples = mergeList(be.Examples, ee.Examples, replace)
	return out
}

func mergeByName[T any](base, extra []T, replace, prepend bool, name func(T) string) []T {
	if replace && len(extra) > 0 {
		return append([]T(nil), extra...)
	}
	out := append([]T(nil), base...)
	at := make(map[string]int, len(out))
	for i, r := range out {
		at[name(r)] = i
	}
	var fresh []T
	for _, r := range extra {
		if i, ok := at[name(r)]; ok {
			out[i] = r
			continue
		}
		fresh = append(fresh, r)
	}
	if prepend {
		return append(fresh, out...)
	}
	return append(out, fresh...)
}

func mergeList[T any](base, extra []T, replace bool) []T {
	if replace && len(extra) > 0 {
		return append([]T(nil), extra...)
	}
	return append(append([]T(nil), base...), extra...)
}

// Classifier is a compiled set of Rules. It is safe for concurrent use.
type Classifier struct {
	roles      []clsRule
	seniority  []clsRule
	skills     skillMatcher
	edu        eduMatcher
	industries []clsIndustry
	indText    wordSet // the industries' text patterns, indexed together
	roleSet    wordSet // the role rules' patterns
	senSet     wordSet // the seniority rules' patterns
}

// clsRule is a compiled role or seniority rule.
type clsRule struct {
	name    string
	value   string
	include *wordRe
	exclude *wordRe // nil when none
}

type clsIndustry struct {
	name       string
	structured *regexp.Regexp
	text       *wordRe
}

var clsRoles = map[string]bool{
	jobtrends.RoleMLEngineer: true, jobtrends.RoleMLScientist: true, jobtrends.RoleDataScientist: true,
	jobtrends.RoleDataEngineer: true, jobtrends.RoleSoftwareEngineer: true, jobtrends.RoleOther: true,
}

var clsLevels = map[string]bool{
	jobtrends.SeniorityIntern: true, jobtrends.SeniorityJunior: true, jobtrends.SeniorityMid: true,
	jobtrends.SenioritySenior: true, jobtrends.SeniorityStaff: true, jobtrends.SeniorityPrincipal: true,
	jobtrends.SeniorityLead: true, jobtrends.SeniorityManager: true, jobtrends.SeniorityDirector: true,
	jobtrends.SeniorityUnknown: true,
}

// NewClassifier compiles r. Errors name the rule and the field at fault.
func NewClassifier(r Rules) (*Classifier, error) {
	c := &Classifier{}
	seen := map[string]bool{}
	for i, rr := range r.Roles {
		where := fmt.Sprintf("roles[%d] %q", i, rr.Name)
		if rr.Name == "" {
			return nil, fmt.Errorf("rules: %s: name: empty", where)
		}
		if seen[rr.Name] {
			return nil, fmt.Errorf("rules: %s: name: duplicate", where)
		}
		seen[rr.Name] = true
		if !clsRoles[rr.Role] {
			return nil, fmt.Errorf("rules: %s: role: unknown role family %q", where, rr.Role)
		}
		cr, err := compileClsRule(where, rr.Name, rr.Role, rr.Include, rr.Exclude)
		if err != nil {
			return nil, err
		}
		c.roleSet.add(cr.include)
		c.roleSet.add(cr.exclude)
		c.roles = append(c.roles, cr)
	}
	seen = map[string]bool{}
	for i, sr := range r.Seniority {
		where := fmt.Sprintf("seniority[%d] %q", i, sr.Name)
		if sr.Name == "" {
			return nil, fmt.Errorf("rules: %s: name: empty", where)
		}
		if seen[sr.Name] {
			return nil, fmt.Errorf("rules: %s: name: duplicate", where)
		}
		seen[sr.Name] = true
		if !clsLevels[sr.Level] {
			return nil, fmt.Errorf("rules: %s: level: unknown seniority %q", where, sr.Level)
		}
		cr, err := compileClsRule(where, sr.Name, sr.Level, sr.Include, sr.Exclude)
		if err != nil {
			return nil, err
		}
		c.senSet.add(cr.include)
		c.senSet.add(cr.exclude)
		c.seniority = append(c.seniority, cr)
	}
	sm, err := newSkillMatcher(r.Skills)
	if err != nil {
		return nil, err
	}
	c.skills = sm
	em, err := newEduMatcher(r.Education)
	if err != nil {
		return nil, err
	}
	c.edu = em
	seen = map[string]bool{}
	for i, ir := range r.Industries {
		where := fmt.Sprintf("industries[%d] %q", i, ir.Name)
		if ir.Name == "" {
			return nil, fmt.Errorf("rules: %s: name: empty", where)
		}
		if seen[ir.Name] {
			return nil, fmt.Errorf("rules: %s: name: duplicate", where)
		}
		seen[ir.Name] = true
		ci := clsIndustry{name: ir.Name}
		if ci.structured, err = clsCompile(where, "structured", ir.Structured); err != nil {
			return nil, err
		}
		if ci.text, err = clsCompileWord(where, "text", ir.Text); err != nil {
			return nil, err
		}
		c.indText.add(ci.text)
		c.industries = append(c.industries, ci)
	}
	return c, nil
}

func compileClsRule(where, name, value string, include, exclude []string) (clsRule, error) {
	if len(include) == 0 {
		return clsRule{}, fmt.Errorf("rules: %s: include: empty", where)
	}
	in, err := clsCompileWord(where, "include", include)
	if err != nil {
		return clsRule{}, err
	}
	ex, err := clsCompileWord(where, "exclude", exclude)
	if err != nil {
		return clsRule{}, err
	}
	return clsRule{name: name, value: value, include: in, exclude: ex}, nil
}

// clsCompile joins patterns into one case-insensitive regexp matched at
// word boundaries; nil for no patterns.
func clsCompile(where, field string, patterns []string) (*regexp.Regexp, error) {
	core, err := clsJoin(where, field, patterns)
	if core == "" {
		return nil, err
	}
	return regexp.Compile(`(?i)(?:^|` + wordBefore + `)(?:` + core + `)` + wordAfter)
}

// clsCompileWord is clsCompile for the patterns run over descriptions:
// the same regexp, with what the word index of wordindex.go needs.
func clsCompileWord(where, field string, patterns []string) (*wordRe, error) {
	core, err := clsJoin(where, field, patterns)
	if core == "" {
		return nil, err
	}
	return newWordRe(core, true, false)
}

// clsJoin checks patterns and joins them into one alternation; "" for no
// patterns.
func clsJoin(where, field string, patterns []string) (string, error) {
	parts := make([]string, 0, len(patterns))
	for i, p := range patterns {
		if strings.TrimSpace(p) == "" {
			return "", fmt.Errorf("rules: %s: %s[%d]: empty pattern", where, field, i)
		}
		if _, err := regexp.Compile("(?i)" + p); err != nil {
			return "", fmt.Errorf("rules: %s: %s[%d] %q: %w", where, field, i, p, err)
		}
		parts = append(parts, "(?:"+p+")")
	}
	return strings.Join(parts, "|"), nil
}

// clsFirst returns the value of the first rule matching s, or def; set
// indexes the rules' patterns.
func clsFirst(rules []clsRule, set *wordSet, s, def string) string {
	h := set.scan(s)
	for _, r := range rules {
		if r.include.match(s, h) && !r.exclude.match(s, h) {
			return r.value
		}
	}
	return def
}

// clsSpace matches runs of white space and the invisible characters that
// real titles carry (zero-width space, BOM, bidi controls).
var clsSpace = regexp.MustCompile(`[\s\x{00A0}\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2060}\x{FEFF}]+`)

// clsNormalizeTitle undoes (double) HTML escaping and collapses white space.
func clsNormalizeTitle(s string) string {
	for i := 0; i < 2 && strings.Contains(s, "&"); i++ {
		s = html.UnescapeString(s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	return strings.TrimSpace(clsCollapseSpace(s))
}

// clsCollapseSpace is clsSpace.ReplaceAllString(s, " ") without the
// regexp (TestCollapseSpace compares them on every real text).
func clsCollapseSpace(s string) string {
	var b []byte // nil while s needs no change
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !clsIsSpace(r) {
			if b != nil {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !clsIsSpace(r) {
				break
			}
			j += size
		}
		if b == nil && (j != i+1 || s[i] != ' ') {
			b = append(make([]byte, 0, len(s)), s[:i]...)
		}
		if b != nil {
			b = append(b, ' ')
		}
		i = j
	}
	if b == nil {
		return s
	}
	return string(b)
}

// clsIsSpace reports whether clsSpace matches r.
func clsIsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\f', '\r', ' ', 0x00A0, 0x2060, 0xFEFF:
		return true
	}
	return 0x200B <= r && r <= 0x200F || 0x202A <= r && r <= 0x202E
}

// Role returns the role family (one of the jobtrends.Role* constants) of a
// job title.
func (c *Classifier) Role(title string) string {
	return clsFirst(c.roles, &c.roleSet, clsNormalizeTitle(title), jobtrends.RoleOther)
}

// Seniority returns the seniority level (one of the jobtrends.Seniority*
// constants) a job title states, or jobtrends.SeniorityUnknown.
func (c *Classifier) Seniority(title string) string {
	return clsFirst(c.seniority, &c.senSet, clsNormalizeTitle(title), jobtrends.SeniorityUnknown)
}

// Industry returns the employer's industry: from structured (a JSON-LD
// industry or ATS metadata value) when a rule recognises it, else from the
// description's own explicit words about the company. It returns "" when
// neither is clear; it never guesses from a company name.
func (c *Classifier) Industry(text, structured string) string {
	if s := clsNormalizeTitle(structured); s != "" {
		for _, ir := range c.industries {
			if ir.structured != nil && ir.structured.MatchString(s) {
				return ir.name
			}
		}
	}
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text = clsNormalizeTitle(text)
	// Matches of different industries may overlap ("a healthcare AI
	// company" is also "an AI company"): keep the longest, then count.
	type hit struct{ start, end, rule int }
	var hits []hit
	cands := c.indText.scan(text)
	for i, ir := range c.industries {
		for _, loc := range ir.text.findAll(text, cands) {
			hits = append(hits, hit{loc[0], loc[1], i})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool {
		return hits[a].end-hits[a].start > hits[b].end-hits[b].start
	})
	counts := make([]int, len(c.industries))
	var kept []hit
	for _, h := range hits {
		overlaps := false
		for _, k := range kept {
			if h.start < k.end && k.start < h.end {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, h)
			counts[h.rule]++
		}
	}
	best, bestN, tie := "", 0, false
	for i, n := range counts {
		switch {
		case n > bestN:
			best, bestN, tie = c.industries[i].name, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// eduMatcher is the compiled EducationRules.
type eduMatcher struct {
	levels    []eduLevel
	preferred *wordRe
	required  *wordRe
	context   *wordRe
	set       wordSet // every pattern above, indexed together
}

type eduLevel struct {
	name  string
	plain *wordRe // case-insensitive
	abbr  *wordRe // case-sensitive, needs context
}

func newEduMatcher(e EducationRules) (eduMatcher, error) {
	var m eduMatcher
	var err error
	seen := map[string]bool{}
	for i, l := range e.Levels {
		where := fmt.Sprintf("education.levels[%d] %q", i, l.Level)
		if l.Level == "" {
			return m, fmt.Errorf("rules: %s: level: empty", where)
		}
		if seen[l.Level] {
			return m, fmt.Errorf("rules: %s: level: duplicate", where)
		}
		seen[l.Level] = true
		el := eduLevel{name: l.Level}
		if el.plain, err = clsCompileWord(where, "patterns", l.Patterns); err != nil {
			return m, err
		}
		if len(l.Abbreviations) > 0 {
			parts := make([]string, len(l.Abbreviations))
			for j, a := range l.Abbreviations {
				if _, err := regexp.Compile(a); err != nil || a == "" {
					return m, fmt.Errorf("rules: %s: abbreviations[%d] %q: invalid pattern", where, j, a)
				}
				parts[j] = "(?:" + a + ")"
			}
			if el.abbr, err = newWordRe(strings.Join(parts, "|"), false, true); err != nil {
				return m, fmt.Errorf("rules: %s: abbreviations: %w", where, err)
			}
		}
		if el.plain == nil && el.abbr == nil {
			return m, fmt.Errorf("rules: %s: patterns: empty", where)
		}
		m.set.add(el.plain)
		m.set.add(el.abbr)
		m.levels = append(m.levels, el)
	}
	if m.preferred, err = clsCompileWord("education", "preferred", e.Preferred); err != nil {
		return m, err
	}
	if m.required, err = clsCompileWord("education", "required", e.Required); err != nil {
		return m, err
	}
	if m.context, err = clsCompileWord("education", "context", e.Context); err != nil {
		return m, err
	}
	m.set.add(m.preferred)
	m.set.add(m.required)
	m.set.add(m.context)
	return m, nil
}

// eduSentence splits a description into sentences and list items.
var eduSentence = regexp.MustCompile(`[\n\r•·;]+|[.!?]\s+`)

// eduSplit is eduSentence.Split(s, -1) without the regexp (TestEduSplit
// compares them on every real text): a run of line breaks, bullets and
// semicolons, or an end mark followed by white space, ends a sentence.
func eduSplit(s string) []string {
	if s == "" {
		return []string{""}
	}
	var out []string
	beg := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		j := i
		switch {
		case eduBreak(r):
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if !eduBreak(r) {
					break
				}
				j += size
			}
		case (r == '.' || r == '!' || r == '?') && i+1 < len(s) && hnIsSpaceByte(s[i+1]):
			j = i + 1
			for j < len(s) && hnIsSpaceByte(s[j]) {
				j++
			}
		default:
			i += size
			continue
		}
		out = append(out, s[beg:i])
		beg, i = j, j
	}
	return append(out, s[beg:])
}

// eduBreak reports whether r is in eduSentence's [\n\r•·;].
func eduBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '•' || r == '·' || r == ';'
}

// Education returns the degrees a description asks for, as
// "<level>:required" or "<level>:preferred" ("masters:preferred"), each
// level once (required wins over preferred), lowest level first.
func (c *Classifier) Education(text string) []string {
	m := &c.edu
	if len(m.levels) == 0 || strings.TrimSpace(text) == "" {
		return nil
	}
	if strings.Contains(text, "&") {
		text = html.UnescapeString(text)
	}
	found := make([]int, len(m.levels)) // 0 none, 1 preferred, 2 required
	sectionPreferred := false
	for _, sent := range eduSplit(text) {
		sent = strings.TrimSpace(sent)
		if sent == "" {
			continue
		}
		h := m.set.scan(sent)
		// A short heading ("Nice to have:", "Requirements") sets the mode
		// of the sentences under it.
		if len(sent) < 60 && (strings.HasSuffix(sent, ":") || !strings.ContainsAny(sent, ",")) {
			pref := m.preferred.match(sent, h)
			req := m.required.match(sent, h)
			if pref != req && strings.HasSuffix(sent, ":") || (pref != req && len(strings.Fields(sent)) <= 4) {
				sectionPreferred = pref
			}
		}
		// A degree counts in a sentence about degrees ("in Computer
		// Science", "degree") or one that asks ("PhD preferred"), not in
		// "our team of PhDs". Abbreviations need the former.
		hasContext := m.context.match(sent, h)
		asks := hasContext || m.preferred.match(sent, h) || m.required.match(sent, h)
		if !asks {
			continue
		}
		for li, l := range m.levels {
			// The first match of the level's patterns, else of its
			// abbreviations.
			loc := l.plain.first(sent, h)
			if loc == nil && hasContext {
				loc = l.abbr.first(sent, h)
			}
			if loc == nil {
				continue
			}
			q := m.qualify(sent, loc[0], sectionPreferred, h)
			if q > found[li] {
				found[li] = q
			}
		}
	}
	var out []string
	for li, q := range found {
		switch q {
		case 1:
			out = append(out, m.levels[li].name+":preferred")
		case 2:
			out = append(out, m.levels[li].name+":required")
		}
	}
	return out
}

// eduClause splits a sentence into clauses for marker lookup.
var eduClause = regexp.MustCompile(`[,;()]|\s(?:but|while|and)\s`)

// qualify says whether the degree at pos in sent is preferred (1) or
// required (2): the clause's own marker first, then the sentence's nearest
// marker, then the section heading. h is sent's scan by m.set.
func (m *eduMatcher) qualify(sent string, pos int, sectionPreferred bool, h *wordHits) int {
	start, end := 0, len(sent)
	for _, loc := range eduClause.FindAllStringIndex(sent, -1) {
		if loc[1] <= pos {
			start = loc[1]
		} else if loc[0] > pos {
			end = loc[0]
			break
		}
	}
	clause := sent[start:end]
	ch := h
	if start != 0 || end != len(sent) {
		ch = m.set.scan(clause)
	}
	pref := m.preferred.match(clause, ch)
	req := m.required.match(clause, ch)
	if pref != req {
		if pref {
			return 1
		}
		return 2
	}
	pd := eduNearest(m.preferred, sent, pos, h)
	rd := eduNearest(m.required, sent, pos, h)
	switch {
	case pd >= 0 && (rd < 0 || pd < rd):
		return 1
	case rd >= 0:
		return 2
	case sectionPreferred:
		return 1
	}
	return 2
}

// eduNearest returns the distance from pos to the nearest match of w in s,
// or -1; h is s's scan.
func eduNearest(w *wordRe, s string, pos int, h *wordHits) int {
	best := -1
	for _, loc := range w.findAll(s, h) {
		d := loc[0] - pos
		if d < 0 {
			d = pos - loc[1]
			if d < 0 {
				d = 0
			}
		}
		if best < 0 || d < best {
			best = d
		}
	}
	return best
}

// clsSortedKeys returns the keys of m, sorted.
func clsSortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// clsIsWordRune reports whether r joins a word (letter, digit or
// underscore).
func clsIsWordRune(r rune) bool {
	if r < 0x80 {
		return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
