package parse

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SkillRule is one entry of the skill dictionary.
//
// Aliases are literal phrases, not patterns: "scikit-learn", "sklearn". A
// phrase matches only as a whole: the characters around it must not be
// letters, digits or "_"; a phrase ending in a letter or digit is not
// matched when "+" or "#" follows ("C" in "C++", "C#"), nor when "." and a
// letter or digit follow ("Go" in "Go.mod").
//
// Strict boundaries, on for every alias of at most two characters and for
// rules with Strict set, also refuse "&", "$", "-", "'", "@" and "." glued to
// the phrase ("R&D", "Q&R", "R$", "R-rated", "C-suite", "J.R."), and
// single-letter aliases written as an initial between capitalised names
// ("George R. Martin").
type SkillRule struct {
	// Name is the canonical skill name reported by Skills.
	Name string `yaml:"name" json:"name"`
	// Aliases are matched ignoring (ASCII) case.
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// CaseSensitive aliases are matched with exact case ("R", "Go",
	// "Spark").
	CaseSensitive []string `yaml:"case_sensitive,omitempty" json:"case_sensitive,omitempty"`
	// Strict turns on strict boundaries for every alias of the rule.
	Strict bool `yaml:"strict,omitempty" json:"strict,omitempty"`
	// Context, when not empty, makes a match of a CaseSensitive phrase
	// (the ambiguous names) count only when a match of another skill that
	// needs no context, or one of these phrases (ignoring case), occurs
	// within ContextWindow bytes of it. Aliases never need context. An
	// entry "*" documents that another skill suffices (always true).
	Context []string `yaml:"context,omitempty" json:"context,omitempty"`
	// ContextWindow is the distance in bytes for Context; 0 means 80.
	ContextWindow int `yaml:"context_window,omitempty" json:"context_window,omitempty"`
	// Exclude lists phrases, each containing an alias, inside which a
	// match is ignored ("go-to-market", "spark joy"). Matched ignoring
	// case.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
	// Examples are texts in which the skill must be found (tested);
	// CounterExamples are texts in which it must not.
	Examples        []string `yaml:"examples,omitempty" json:"examples,omitempty"`
	CounterExamples []string `yaml:"counter_examples,omitempty" json:"counter_examples,omitempty"`
}

const skDefaultWindow = 80

// skillMatcher is the compiled skill dictionary.
type skillMatcher struct {
	names   []string // canonical names, by rule index
	aliases []skAlias
	rules   []skRule
	// byHead indexes aliases by their first word, lower-cased ("scikit" for
	// "scikit-learn", "c" for "c++"), so that Skills reads a text once;
	// noHead lists the aliases that start with no letter or digit.
	byHead map[string][]int
	noHead []int
}

type skRule struct {
	context []string // lower-cased phrases
	window  int
	exclude []skExclude
}

type skExclude struct {
	lower string // lower-cased phrase
}

type skAlias struct {
	rule         int
	text         string // lower-cased unless exact
	exact        bool   // case-sensitive
	strict       bool
	needsContext bool
}

func newSkillMatcher(rules []SkillRule) (skillMatcher, error) {
	var m skillMatcher
	seen := map[string]bool{}
	for i, r := range rules {
		where := fmt.Sprintf("skills[%d] %q", i, r.Name)
		if strings.TrimSpace(r.Name) == "" {
			return m, fmt.Errorf("rules: %s: name: empty", where)
		}
		if seen[r.Name] {
			return m, fmt.Errorf("rules: %s: name: duplicate", where)
		}
		seen[r.Name] = true
		if len(r.Aliases)+len(r.CaseSensitive) == 0 {
			return m, fmt.Errorf("rules: %s: aliases: no alias or case_sensitive phrase", where)
		}
		if r.ContextWindow < 0 {
			return m, fmt.Errorf("rules: %s: context_window: negative", where)
		}
		add := func(field string, list []string, exact bool) error {
			for j, a := range list {
				if strings.TrimSpace(a) != a || a == "" {
					return fmt.Errorf("rules: %s: %s[%d] %q: empty or padded with spaces", where, field, j, a)
				}
				t := a
				if !exact {
					t = skLower(a)
				}
				m.aliases = append(m.aliases, skAlias{
					rule: i, text: t, exact: exact,
					strict:       r.Strict || utf8.RuneCountInString(a) <= 2,
					needsContext: exact && len(r.Context) > 0,
				})
			}
			return nil
		}
		if err := add("aliases", r.Aliases, false); err != nil {
			return m, err
		}
		if err := add("case_sensitive", r.CaseSensitive, true); err != nil {
			return m, err
		}
		cr := skRule{window: r.ContextWindow}
		if cr.window == 0 {
			cr.window = skDefaultWindow
		}
		for j, c := range r.Context {
			if strings.TrimSpace(c) == "" {
				return m, fmt.Errorf("rules: %s: context[%d]: empty", where, j)
			}
			cr.context = append(cr.context, skLower(c))
		}
		for j, x := range r.Exclude {
			lx := skLower(x)
			ok := false
			for _, a := range append(append([]string(nil), r.Aliases...), r.CaseSensitive...) {
				if strings.Contains(lx, skLower(a)) {
					ok = true
					break
				}
			}
			if !ok {
				return m, fmt.Errorf("rules: %s: exclude[%d] %q: contains no alias of the rule", where, j, x)
			}
			cr.exclude = append(cr.exclude, skExclude{lower: lx})
		}
		m.names = append(m.names, r.Name)
		m.rules = append(m.rules, cr)
	}
	m.byHead = map[string][]int{}
	for i, a := range m.aliases {
		if h := skHead(skLower(a.text)); h != "" {
			m.byHead[h] = append(m.byHead[h], i)
		} else {
			m.noHead = append(m.noHead, i)
		}
	}
	return m, nil
}

// skHead returns the leading run of word characters of s.
func skHead(s string) string {
	for i, r := range s {
		if !clsIsWordRune(r) {
			return s[:i]
		}
	}
	return s
}

// skLower lower-cases ASCII letters only, so that byte offsets in the result
// are those of the input.
func skLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

type skMatch struct {
	rule         int
	start, end   int
	needsContext bool
}

// Skills returns the canonical names of the skills a text mentions, each
// once, sorted.
func (c *Classifier) Skills(text string) []string {
	m := &c.skills
	if len(m.aliases) == 0 || text == "" {
		return nil
	}
	if strings.Contains(text, "&") {
		text = html.UnescapeString(text)
	}
	lower := skLower(text)
	var matches []skMatch
	try := func(ai, s int) {
		a := &m.aliases[ai]
		hay := lower
		if a.exact {
			hay = text
		}
		if !strings.HasPrefix(hay[s:], a.text) {
			return
		}
		e := s + len(a.text)
		if !skBoundary(text, s, e, a.strict) || a.strict && skInitial(text, s, e) || m.excluded(a.rule, lower, s, e) {
			return
		}
		matches = append(matches, skMatch{rule: a.rule, start: s, end: e, needsContext: a.needsContext})
	}
	// One pass over the words of the text.
	for i := 0; i < len(lower); {
		r, n := utf8.DecodeRuneInString(lower[i:])
		if !clsIsWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(lower) {
			r, n := utf8.DecodeRuneInString(lower[j:])
			if !clsIsWordRune(r) {
				break
			}
			j += n
		}
		for _, ai := range m.byHead[lower[i:j]] {
			try(ai, i)
		}
		i = j
	}
	for _, ai := range m.noHead {
		hay := lower
		if m.aliases[ai].exact {
			hay = text
		}
		for from := 0; from < len(hay); {
			k := strings.Index(hay[from:], m.aliases[ai].text)
			if k < 0 {
				break
			}
			try(ai, from+k)
			from += k + 1
		}
	}
	found := map[string]bool{}
	// Skills that need no context are anchors for those that do.
	var anchors []skMatch
	for _, mt := range matches {
		if !mt.needsContext {
			found[m.names[mt.rule]] = true
			anchors = append(anchors, mt)
		}
	}
	for _, mt := range matches {
		r := &m.rules[mt.rule]
		if !mt.needsContext || found[m.names[mt.rule]] {
			continue
		}
		if m.hasContext(mt, r, anchors, lower) {
			found[m.names[mt.rule]] = true
		}
	}
	if len(found) == 0 {
		return nil
	}
	return clsSortedKeys(found)
}

func (m *skillMatcher) hasContext(mt skMatch, r *skRule, anchors []skMatch, lower string) bool {
	lo, hi := mt.start-r.window, mt.end+r.window
	for _, a := range anchors {
		if a.rule != mt.rule && a.end >= lo && a.start <= hi {
			return true
		}
	}
	lo, hi = max(lo, 0), min(hi, len(lower))
	win := lower[lo:hi]
	for _, c := range r.context {
		if c == "*" {
			continue
		}
		for from := 0; from < len(win); {
			i := strings.Index(win[from:], c)
			if i < 0 {
				break
			}
			s := lo + from + i
			// A context phrase needs a word start only: "tpu" in "TPUs".
			if skWordStart(lower, s) && (s >= mt.end || s+len(c) <= mt.start) {
				return true
			}
			from += i + 1
		}
	}
	return false
}

// excluded reports whether the match [s,e) lies inside an exclude phrase of
// its rule.
func (m *skillMatcher) excluded(rule int, lower string, s, e int) bool {
	alias := lower[s:e]
	for _, x := range m.rules[rule].exclude {
		for off := 0; off <= len(x.lower)-len(alias); {
			k := strings.Index(x.lower[off:], alias)
			if k < 0 {
				break
			}
			k += off
			ps := s - k
			if ps >= 0 && ps+len(x.lower) <= len(lower) && lower[ps:ps+len(x.lower)] == x.lower {
				return true
			}
			off = k + 1
		}
	}
	return false
}

// skBoundary reports whether text[s:e] stands alone as a word.
func skBoundary(text string, s, e int, strict bool) bool {
	phrase := text[s:e]
	first, _ := utf8.DecodeRuneInString(phrase)
	last, _ := utf8.DecodeLastRuneInString(phrase)
	if s > 0 {
		prev, n := utf8.DecodeLastRuneInString(text[:s])
		if clsIsWordRune(first) && clsIsWordRune(prev) {
			return false
		}
		if strict {
			switch prev {
			case '&', '$', '-', '\'', '@', '\u2019':
				return false
			case '.':
				// "J.R": a dot glued to a letter before it.
				if p2, _ := utf8.DecodeLastRuneInString(text[:s-n]); s-n > 0 && clsIsWordRune(p2) {
					return false
				}
			}
		}
	}
	if e < len(text) {
		next, n := utf8.DecodeRuneInString(text[e:])
		if clsIsWordRune(last) && clsIsWordRune(next) {
			return false
		}
		if clsIsWordRune(last) && (next == '+' || next == '#') {
			return false
		}
		if next == '.' && e+n < len(text) {
			if n2, _ := utf8.DecodeRuneInString(text[e+n:]); clsIsWordRune(n2) {
				return false
			}
		}
		if strict {
			switch next {
			case '&', '$', '-', '\'', '@', '\u2019':
				return false
			}
		}
	}
	return true
}

// skWordStart reports whether no letter or digit comes right before s.
func skWordStart(text string, s int) bool {
	if s == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:s])
	return !clsIsWordRune(prev)
}

// skInitial reports whether the single letter text[s:e] is an initial
// between capitalised names: "John R. Smith", "George R Martin".
func skInitial(text string, s, e int) bool {
	if e-s != 1 {
		return false
	}
	// Previous word must be a capitalised name directly before: "John ".
	if s < 2 || text[s-1] != ' ' {
		return false
	}
	w := text[:s-1]
	i := strings.LastIndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
	word := w[i+1:]
	if !skCapitalised(word) {
		return false
	}
	rest := text[e:]
	rest = strings.TrimPrefix(rest, ".")
	if !strings.HasPrefix(rest, " ") {
		return false
	}
	rest = rest[1:]
	j := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if j < 0 {
		j = len(rest)
	}
	return skCapitalised(rest[:j])
}

// skCapitalised reports whether w looks like a name: an upper-case letter
// followed by at least one lower-case letter.
func skCapitalised(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if n == 0 || !unicode.IsUpper(r) || len(w) == n {
		return false
	}
	for _, c := range w[n:] {
		if !unicode.IsLower(c) {
			return false
		}
	}
	return true
}
