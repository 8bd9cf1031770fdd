package parse

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
)

// A literal prefilter for the classifier's description regexps. Go's
// regexp engine is linear but slow on long texts with many alternatives
// (case folding, Unicode classes at every position); most descriptions
// contain none of the words a rule needs. requiredLiterals derives from a
// pattern a set of lower-cased strings one of which every match must
// contain; a text (lower-cased) that contains none of them cannot match,
// and the regexp is not run. A pattern with no such set is always run.

// minLiteral is the shortest literal worth filtering on.
const minLiteral = 2

var litCache sync.Map // *regexp.Regexp → [][]string (nil: no prefilter)

// prefilterOff turns the prefilter off (tests compare both ways).
var prefilterOff = false

// mayMatch reports whether re can match the text whose lower-cased form
// is lower: false only when lower contains none of re's required
// literals. A nil re never matches.
func mayMatch(re *regexp.Regexp, lower string) bool {
	if re == nil {
		return false
	}
	if prefilterOff {
		return true
	}
	v, ok := litCache.Load(re)
	if !ok {
		v, _ = litCache.LoadOrStore(re, requiredSets(re.String()))
	}
	// Every set must be satisfied: a match contains one literal of each.
	for _, set := range v.([][]string) {
		found := false
		for _, l := range set {
			if strings.Contains(lower, l) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// requiredSets returns sets of lower-cased literals such that every match
// of pattern contains at least one literal of each set: the required
// parts of a top-level concatenation ("(health|medical) (company|startup)"
// needs a word of each), or the one set requiredLiterals finds.
func requiredSets(pattern string) [][]string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	var sets [][]string
	add := func(l []string) {
		for _, s := range l {
			if len(s) < minLiteral {
				return
			}
		}
		if l != nil {
			sets = append(sets, l)
		}
	}
	if re.Op == syntax.OpConcat {
		for _, sub := range re.Sub {
			add(reqLits(sub))
		}
	}
	add(reqLits(re))
	return sets
}

// requiredLiterals returns lower-cased strings one of which every match of
// pattern contains, or nil when it cannot tell.
func requiredLiterals(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	lits := reqLits(re.Simplify())
	for _, l := range lits {
		if len(l) < minLiteral {
			return nil
		}
	}
	return lits
}

func reqLits(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return reqLits(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return reqLits(re.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			l := reqLits(s)
			if l == nil {
				return nil
			}
			out = append(out, l...)
		}
		return out
	case syntax.OpConcat:
		// Adjacent literals join into one longer literal; of the required
		// parts, the one whose shortest literal is longest filters best.
		var best []string
		score := func(l []string) int {
			m := -1
			for _, s := range l {
				if m < 0 || len(s) < m {
					m = len(s)
				}
			}
			return m
		}
		var run strings.Builder
		flush := func() {
			if run.Len() > 0 {
				if l := []string{run.String()}; score(l) > score(best) {
					best = l
				}
				run.Reset()
			}
		}
		for _, s := range re.Sub {
			if s.Op == syntax.OpLiteral {
				run.WriteString(strings.ToLower(string(s.Rune)))
				continue
			}
			flush()
			if l := reqLits(s); l != nil && score(l) > score(best) {
				best = l
			}
		}
		flush()
		return best
	}
	return nil
}
