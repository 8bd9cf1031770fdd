package parse

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// One-pass matching of the classifier's description patterns.
//
// Every pattern the classifier runs over a description is matched only at
// word boundaries: clsCompile wraps it as (?:^|[^\p{L}\p{N}])(?:core)(?:$|...),
// so a match always starts at the beginning of the text or with the one
// character before a word, and the core starts with one of a few literal
// words ("health", "fin", "ed", ...). A wordSet indexes those first
// literals of all the patterns of one kind (the industries' text patterns;
// the education patterns) in a trie, and one pass over the text visits
// each word start once, walking the trie, to list the candidate positions
// of every pattern at once. A pattern then runs only at its candidates,
// anchored, instead of scanning the whole text: findAll and match give
// exactly what FindAllStringIndex and MatchString of the plain regexp give
// (TestWordReMatchesRegexp checks it on every real text we hold), because
// the plain regexp cannot match anywhere else.
//
// The index is exact only where ASCII lower-casing is exact case folding:
// a text with a character outside ASCII whose case folds to an ASCII
// letter (the Kelvin sign folds to k, the long s to s), or invalid UTF-8,
// takes the plain regexp, as does a pattern whose first literals can't be
// listed (wordRe.lits nil).

// wordIndexOff makes every wordRe use its plain regexp (tests compare).
var wordIndexOff = false

// maxPrefixes bounds the first literals listed for one pattern.
const maxPrefixes = 512

// asciiFoldRunes are the runes outside ASCII whose simple case folding
// reaches an ASCII letter (TestASCIIFoldRunes checks the list against
// unicode.SimpleFold over every rune).
var asciiFoldRunes = []rune{0x017F, 0x212A}

// wordRe is one pattern matched at word boundaries, with its plain regexp
// and the anchored forms run at the candidates.
type wordRe struct {
	re     *regexp.Regexp // the plain matcher
	core   string         // what it was compiled from
	flags  string
	before string
	// The rest is built by build, when the set is first used.
	zero   *regexp.Regexp // \A(?:re): a match starting at offset 0
	rest   *regexp.Regexp // \A, the character before the core, core, end: a match starting at offset > 0
	lits   []string       // the first literals of core (lower-cased when fold); nil: no index
	fold   bool           // case-insensitive
	dot    bool           // a '.' before the core rules a match out
	maxLen int            // the longest match in bytes; -1 unbounded
	id     int32          // index in its wordSet
}

// Boundary classes of clsCompile and of the education abbreviations.
const (
	wordBefore    = `[^\p{L}\p{N}]`
	wordBeforeDot = `[^\p{L}\p{N}.]`
	wordAfter     = `(?:$|[^\p{L}\p{N}])`
)

// newWordRe compiles core (an alternation of valid patterns) matched at
// word boundaries, case-insensitively when fold; with dot, a match may not
// follow a '.'. The plain regexp is exactly the one clsCompile and the
// education abbreviations always compiled; what the index needs is built
// when its set is first used (build), so that a command that classifies
// nothing pays no more at start-up than before.
func newWordRe(core string, fold, dot bool) (*wordRe, error) {
	flags, before := "", wordBefore
	if fold {
		flags = "(?i)"
	}
	if dot {
		before = wordBeforeDot
	}
	re, err := regexp.Compile(flags + `(?:^|` + before + `)(?:` + core + `)` + wordAfter)
	if err != nil {
		return nil, err
	}
	return &wordRe{re: re, core: core, flags: flags, before: before, fold: fold, dot: dot, maxLen: -1}, nil
}

// build compiles the anchored forms and lists the first literals.
func (w *wordRe) build() {
	w.zero = regexp.MustCompile(`\A(?:` + w.re.String() + `)`)
	w.rest = regexp.MustCompile(w.flags + `\A` + w.before + `(?:` + w.core + `)` + wordAfter)
	if sre, err := syntax.Parse(w.flags+`(?:`+w.core+`)`, syntax.Perl); err == nil {
		sre = sre.Simplify()
		w.lits = firstLiterals(sre, w.fold)
		if n := maxBytes(sre); n >= 0 {
			// The characters before and after the core: 4 bytes each.
			w.maxLen = n + 2*utf8.UTFMax
		}
	}
}

// firstLiterals returns the strings one of which starts every match of re
// (lower-cased when fold), none a prefix of another, or nil when it can't
// tell or one would be empty.
func firstLiterals(re *syntax.Regexp, fold bool) []string {
	set, _, ok := prefixes(re, fold)
	if !ok || len(set) == 0 {
		return nil
	}
	slices.Sort(set)
	set = slices.Compact(set)
	var out []string
	for _, s := range set {
		if s == "" {
			return nil
		}
		// Sorted, so a prefix of s comes right before the strings it
		// starts: keep only the shortest.
		if len(out) > 0 && strings.HasPrefix(s, out[len(out)-1]) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// prefixes returns strings one of which starts every match of re, and
// whether every match is exactly one of them; ok false when it can't
// tell.
func prefixes(re *syntax.Regexp, fold bool) (set []string, exact, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true, true
	case syntax.OpLiteral:
		if (re.Flags&syntax.FoldCase != 0) != fold {
			return nil, false, false
		}
		var b strings.Builder
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil, false, false
			}
			if fold {
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		}
		return []string{b.String()}, true, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi-lo > 64 {
				return nil, false, false
			}
			for r := lo; r <= hi; r++ {
				switch {
				case r < utf8.RuneSelf:
					if fold {
						r = unicode.ToLower(r)
					}
					out = append(out, string(r))
				case fold && slices.Contains(asciiFoldRunes, r):
					// Folded in from an ASCII letter; a text holding it
					// takes the plain regexp.
				default:
					return nil, false, false
				}
			}
		}
		slices.Sort(out)
		out = slices.Compact(out)
		// A wide class (\w, [a-z]) is no literal worth listing.
		return out, true, len(out) > 0 && len(out) <= 8
	case syntax.OpCapture:
		return prefixes(re.Sub[0], fold)
	case syntax.OpConcat:
		acc, exact := []string{""}, true
		for _, sub := range re.Sub {
			s, e, ok := prefixes(sub, fold)
			if !ok || len(acc)*len(s) > maxPrefixes {
				exact = false
				break
			}
			next := make([]string, 0, len(acc)*len(s))
			for _, a := range acc {
				for _, b := range s {
					next = append(next, a+b)
				}
			}
			acc = next
			if !e {
				exact = false
				break
			}
		}
		return acc, exact, true
	case syntax.OpAlternate:
		var out []string
		exact := true
		for _, sub := range re.Sub {
			s, e, ok := prefixes(sub, fold)
			if !ok {
				return nil, false, false
			}
			out = append(out, s...)
			exact = exact && e
		}
		return out, exact, len(out) <= maxPrefixes
	case syntax.OpQuest:
		s, e, ok := prefixes(re.Sub[0], fold)
		if !ok {
			return []string{""}, false, true
		}
		return append(s, ""), e, true
	case syntax.OpStar:
		return []string{""}, false, true
	case syntax.OpPlus:
		s, _, ok := prefixes(re.Sub[0], fold)
		return s, false, ok
	case syntax.OpRepeat:
		s, _, ok := prefixes(re.Sub[0], fold)
		if re.Min == 0 {
			if !ok {
				return []string{""}, false, true
			}
			return append(s, ""), false, true
		}
		return s, false, ok
	}
	return nil, false, false
}

// maxBytes returns the longest match of re in bytes, or -1 when unbounded.
func maxBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		return utf8.UTFMax * len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxBytes(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			m := maxBytes(sub)
			if m < 0 {
				return -1
			}
			n += m
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			m := maxBytes(sub)
			if m < 0 {
				return -1
			}
			n = max(n, m)
		}
		return n
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		m := maxBytes(re.Sub[0])
		if m < 0 {
			return -1
		}
		return m * re.Max
	}
	return -1 // star, plus, anything else
}

// wordSet indexes the first literals of a group of wordRes. The trie is
// built on the first scan; copies of a wordSet share it.
type wordSet struct {
	res  []*wordRe
	trie *wordTrie
}

type wordTrie struct {
	once  sync.Once
	nodes []trieNode
	root  [256]int32 // the child of the root per (lower-cased) byte; 0 none
}

type trieNode struct {
	edges []trieEdge
	ends  []trieEnd
}

type trieEdge struct {
	b  byte
	to int32
}

// trieEnd is a literal ending at a node: the pattern it starts, and for a
// case-sensitive pattern the literal itself, to check the exact case.
type trieEnd struct {
	id  int32
	lit string
}

// add puts w into the set (nil is ignored) and returns it.
func (s *wordSet) add(w *wordRe) *wordRe {
	if w == nil {
		return nil
	}
	if s.trie == nil {
		s.trie = &wordTrie{}
	}
	w.id = int32(len(s.res))
	s.res = append(s.res, w)
	return w
}

// build builds every pattern's index and the trie of their literals.
func (s *wordSet) build() {
	t := s.trie
	t.nodes = []trieNode{{}}
	for _, w := range s.res {
		w.build()
		t.insert(w)
	}
}

// insert puts w's first literals into the trie.
func (s *wordTrie) insert(w *wordRe) {
	for _, lit := range w.lits {
		n := int32(0)
		for i := 0; i < len(lit); i++ {
			b := asciiLower(lit[i])
			next := int32(0)
			if n == 0 {
				next = s.root[b]
			} else {
				for _, e := range s.nodes[n].edges {
					if e.b == b {
						next = e.to
						break
					}
				}
			}
			if next == 0 {
				next = int32(len(s.nodes))
				s.nodes = append(s.nodes, trieNode{})
				if n == 0 {
					s.root[b] = next
				} else {
					s.nodes[n].edges = append(s.nodes[n].edges, trieEdge{b, next})
				}
			}
			n = next
		}
		end := trieEnd{id: w.id}
		if !w.fold {
			end.lit = lit
		}
		s.nodes[n].ends = append(s.nodes[n].ends, end)
	}
}

// wordHits are the candidate positions (where a pattern's core may start)
// one scan found, in text order; ok false when the text must take the
// plain regexps.
type wordHits struct {
	ok   bool
	hits []wordHit
}

type wordHit struct {
	id  int32
	pos int32
}

// scan lists the candidates of every pattern of s in text.
func (s *wordSet) scan(text string) *wordHits {
	h := &wordHits{}
	if wordIndexOff || s.trie == nil || len(text) > 1<<30 {
		return h
	}
	s.trie.once.Do(s.build)
	t := s.trie
	inWord := false
	for i := 0; i < len(text); {
		b := text[i]
		var word bool
		size := 1
		if b < utf8.RuneSelf {
			word = asciiWord[b]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size == 1 || slices.Contains(asciiFoldRunes, r) {
				return &wordHits{}
			}
			word = unicode.IsLetter(r) || unicode.IsNumber(r)
		}
		if !inWord {
			if n := t.root[asciiLower(b)]; n != 0 {
				h.walk(t, text, i, n)
			}
		}
		inWord = word
		i += size
	}
	h.ok = true
	return h
}

// walk follows the trie from node n (text[i] already taken) and records
// every literal ending on the way.
func (h *wordHits) walk(s *wordTrie, text string, i int, n int32) {
	for j := i + 1; ; j++ {
		for _, e := range s.nodes[n].ends {
			if e.lit == "" || strings.HasPrefix(text[i:], e.lit) {
				h.hits = append(h.hits, wordHit{e.id, int32(i)})
			}
		}
		if j >= len(text) {
			return
		}
		b := asciiLower(text[j])
		next := int32(0)
		for _, e := range s.nodes[n].edges {
			if e.b == b {
				next = e.to
				break
			}
		}
		if next == 0 {
			return
		}
		n = next
	}
}

var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for b := range t {
		r := rune(b)
		t[b] = unicode.IsLetter(r) || unicode.IsNumber(r)
	}
	return t
}()

func asciiLower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// indexed reports whether w can use h.
func (w *wordRe) indexed(h *wordHits) bool {
	return h != nil && h.ok && w.lits != nil
}

// at returns the match of w starting at the character before core
// position c (at offset 0 when c is 0 or that character starts the
// text), as offsets in text, or nil; start is that starting offset.
func (w *wordRe) at(text string, c int) (loc []int, start int) {
	if c > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:c])
		if w.dot && r == '.' {
			return nil, -1
		}
		start = c - size
	}
	if start == 0 {
		return w.zero.FindStringIndex(text), 0
	}
	end := len(text)
	if w.maxLen >= 0 && start+w.maxLen+utf8.UTFMax < end {
		// No match is longer than maxLen, so none reaches the end of the
		// window, and "$" can't match at its end by mistake.
		end = start + w.maxLen + utf8.UTFMax
	}
	loc = w.rest.FindStringIndex(text[start:end])
	if loc == nil {
		return nil, start
	}
	return []int{start + loc[0], start + loc[1]}, start
}

// findAll returns what w.re.FindAllStringIndex(text, -1) returns; h is
// text's scan by w's set.
func (w *wordRe) findAll(text string, h *wordHits) [][]int {
	if w == nil {
		return nil
	}
	if !w.indexed(h) {
		return w.re.FindAllStringIndex(text, -1)
	}
	var out [][]int
	pos, last := 0, -1
	for _, hit := range h.hits {
		if hit.id != w.id {
			continue
		}
		c := int(hit.pos)
		if c > 0 {
			_, size := utf8.DecodeLastRuneInString(text[:c])
			if c-size < pos || c-size == last {
				continue
			}
		} else if last == 0 {
			continue
		}
		loc, start := w.at(text, c)
		last = start
		if loc != nil {
			out = append(out, loc)
			pos = loc[1]
		}
	}
	return out
}

// first returns what w.re.FindStringIndex(text) returns.
func (w *wordRe) first(text string, h *wordHits) []int {
	if w == nil {
		return nil
	}
	if !w.indexed(h) {
		return w.re.FindStringIndex(text)
	}
	for _, hit := range h.hits {
		if hit.id == w.id {
			if loc, _ := w.at(text, int(hit.pos)); loc != nil {
				return loc
			}
		}
	}
	return nil
}

// match returns what w.re.MatchString(text) returns.
func (w *wordRe) match(text string, h *wordHits) bool {
	if w == nil {
		return false
	}
	if !w.indexed(h) {
		return w.re.MatchString(text)
	}
	return w.first(text, h) != nil
}
