package parse

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// hnRe is a regexp of the HN header parser with a literal prefilter: the
// regexp can match only text that holds one of lits (ASCII letters in any
// case when fold, the pattern being case-insensitive), so text without
// any is answered without running it. Most header segments hold none of
// the words a pattern looks for, and the prefilter is a byte scan. The
// methods are those of *regexp.Regexp the parser uses, with the same
// answers (TestHNHeaderSameAsRef, TestHNRePrefilter).
type hnRe struct {
	re    *regexp.Regexp
	lits  []string // lower case when fold
	fold  bool
	first [256]bool      // first bytes of lits (both cases when fold)
	anch  *regexp.Regexp // see hnMustStartRe; nil when the literals may be anywhere in a match
	word  bool
}

// hnMustRe compiles expr with its prefilter. Every match of expr must hold
// one of lits; fold says expr is case-insensitive ((?i) on the whole
// pattern or on the parts that hold the literals).
func hnMustRe(expr string, fold bool, lits ...string) *hnRe {
	r := &hnRe{re: regexp.MustCompile(expr), fold: fold}
	for _, l := range lits {
		if fold {
			l = strings.ToLower(l)
		}
		r.lits = append(r.lits, l)
		r.first[l[0]] = true
		if fold && 'a' <= l[0] && l[0] <= 'z' {
			r.first[l[0]-'a'+'A'] = true
		}
	}
	if fold {
		// A rune that folds to an ASCII letter: K (Kelvin sign, U+212A)
		// and ſ (long s, U+017F). Text with one always runs the regexp.
		r.first[0xE2], r.first[0xC5] = true, true
	}
	return r
}

// hnMustStartRe is hnMustRe for a pattern every match of which starts
// with one of lits, and that asserts nothing about the text before a
// match but, when word, a word boundary (\b) at its start. anch is the
// pattern anchored at the text start without that \b ("^(?:…)"). The
// matches are then looked for only where a literal starts.
func hnMustStartRe(expr, anch string, word, fold bool, lits ...string) *hnRe {
	r := hnMustRe(expr, fold, lits...)
	r.anch, r.word = regexp.MustCompile(anch), word
	return r
}

// may reports whether the regexp may match s.
func (r *hnRe) may(s string) bool { return r.next(s, 0) >= 0 }

// next returns the first offset from i on where one of the literals
// starts (or a rune that folds to an ASCII letter, when fold), -1 if none.
func (r *hnRe) next(s string, i int) int {
	for ; i < len(s); i++ {
		c := s[i]
		if !r.first[c] {
			continue
		}
		if r.fold && (c == 0xE2 && strings.HasPrefix(s[i:], "\u212a") || c == 0xC5 && strings.HasPrefix(s[i:], "\u017f")) {
			return i
		}
		for _, l := range r.lits {
			if r.fold {
				if hnHasPrefixFold(s[i:], l) {
					return i
				}
			} else if strings.HasPrefix(s[i:], l) {
				return i
			}
		}
	}
	return -1
}

// findAt returns the end of the match that starts at i (the leftmost-first
// one, as the unanchored pattern would choose), -1 if none.
func (r *hnRe) findAt(s string, i int) int {
	if r.word && i > 0 && isWordByte(s[i-1]) {
		return -1
	}
	if m := r.anch.FindStringIndex(s[i:]); m != nil {
		return i + m[1]
	}
	return -1
}

// anchored reports whether the matches in s can be looked for at the
// literals only: the pattern has an anchored form and s holds no rune
// that folds to an ASCII letter.
func (r *hnRe) anchored(s string) bool {
	return r.anch != nil && !(r.fold && (strings.Contains(s, "\u212a") || strings.Contains(s, "\u017f")))
}

// isWordByte reports an ASCII word byte (what \b looks at).
func isWordByte(c byte) bool { return isLetterByte(c) || isDigit(c) || c == '_' }

// hnHasPrefixFold reports whether s starts with lower, ASCII letters of s
// in either case.
func hnHasPrefixFold(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for j := 0; j < len(lower); j++ {
		if asciiLower(s[j]) != lower[j] {
			return false
		}
	}
	return true
}

// MatchString is regexp.Regexp.MatchString.
func (r *hnRe) MatchString(s string) bool { return r.may(s) && r.re.MatchString(s) }

// FindAllString is regexp.Regexp.FindAllString.
func (r *hnRe) FindAllString(s string, n int) []string {
	if !r.may(s) {
		return nil
	}
	return r.re.FindAllString(s, n)
}

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (r *hnRe) FindStringIndex(s string) []int {
	if r.anchored(s) {
		for i := r.next(s, 0); i >= 0; i = r.next(s, i+1) {
			if end := r.findAt(s, i); end >= 0 {
				return []int{i, end}
			}
		}
		return nil
	}
	if !r.may(s) {
		return nil
	}
	return r.re.FindStringIndex(s)
}

// FindAllStringIndex is regexp.Regexp.FindAllStringIndex, for patterns
// whose matches are never empty.
func (r *hnRe) FindAllStringIndex(s string, n int) [][]int {
	if r.anchored(s) {
		var out [][]int
		for i := r.next(s, 0); i >= 0 && (n < 0 || len(out) < n); {
			if end := r.findAt(s, i); end >= 0 {
				out = append(out, []int{i, end})
				i = r.next(s, end)
				continue
			}
			i = r.next(s, i+1)
		}
		return out
	}
	if !r.may(s) {
		return nil
	}
	return r.re.FindAllStringIndex(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *hnRe) ReplaceAllString(s, repl string) string {
	if !r.may(s) {
		return s
	}
	return r.re.ReplaceAllString(s, repl)
}

// Split is regexp.Regexp.Split.
func (r *hnRe) Split(s string, n int) []string {
	if n == 0 {
		return nil
	}
	if !r.may(s) {
		return []string{s}
	}
	return r.re.Split(s, n)
}

// hnMayHoldURL reports whether hnURLRe may match in w: its matches start
// with "http(s)://" or "www." or hold a dot followed by a top-level domain
// (a letter, or a rune that folds to one).
func hnMayHoldURL(w string) bool {
	if strings.IndexByte(w, ':') >= 0 {
		return true
	}
	for i := 0; i+1 < len(w); i++ {
		if w[i] != '.' {
			continue
		}
		c := w[i+1]
		if c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return true
		}
		if i >= 3 && hnHasPrefixFold(w[i-3:], "www.") {
			return true
		}
	}
	return false
}

// hnOneLine is txtOneLine(s), without its copies when s is already one
// line: printable runes, single spaces, none at either end.
func hnOneLine(s string) string {
	space := true // a leading space is collapsed
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' {
			if space {
				return txtOneLine(s)
			}
			space = true
			i++
			continue
		}
		space = false
		if c < utf8.RuneSelf {
			if c < 0x21 || c == 0x7f {
				return txtOneLine(s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || txtInvisible(r) || txtIsSpace(r) {
			return txtOneLine(s)
		}
		i += size
	}
	if space && s != "" {
		return txtOneLine(s)
	}
	return s
}

// hnMemo is a bounded memo of a pure function of a short string, safe for
// concurrent use; it is emptied when full.
type hnMemo[V any] struct {
	mu  sync.Mutex
	max int
	m   map[string]V
}

func newHNMemo[V any](max int) *hnMemo[V] {
	return &hnMemo[V]{max: max, m: make(map[string]V, max)}
}

// do returns the memoized value of key, or computes it with f and keeps
// it under a copy of key. What f returns must hold no part of a longer
// string (the memo would keep it alive).
func (m *hnMemo[V]) do(key string, f func() V) V {
	m.mu.Lock()
	v, ok := m.m[key]
	m.mu.Unlock()
	if ok {
		return v
	}
	v = f()
	m.mu.Lock()
	if len(m.m) >= m.max {
		clear(m.m)
	}
	m.m[strings.Clone(key)] = v
	m.mu.Unlock()
	return v
}
