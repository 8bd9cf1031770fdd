package parse

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// txtTidyOracle is txtTidy as it was before its one-pass rewrite (a
// character filter, then split, trim, join and a regexp over the lines),
// kept as the oracle of TestTxtTidyMatchesOracle and FuzzTxtTidy.
func txtTidyOracle(s string, laidOut bool) string {
	s = strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if txtInvisible(r) {
			return -1
		}
		return r
	}, s)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\ufffd")
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if laidOut {
			lines[i] = strings.TrimRightFunc(l, txtIsSpace)
		} else {
			lines[i] = strings.Join(strings.FieldsFunc(l, txtIsSpace), " ")
		}
	}
	s = txtBlankLinesOracle.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.Trim(s, "\n")
}

var txtBlankLinesOracle = regexp.MustCompile(`\n{3,}`)

// txtTidyTricky are texts at the edges of txtTidy's rules.
var txtTidyTricky = map[string]string{
	"empty":               "",
	"newlines only":       "\n\n\n",
	"spaces only":         "  \t \u00a0 ",
	"one line":            "  a  b  ",
	"blank lines":         "a\n\n\n\nb\n\nc\nd",
	"leading trailing":    "\n\n  \n a \n\n\t\n",
	"space-only lines":    "a\n \n\t\n\u3000\nb",
	"carriage returns":    "a\r\nb\rc\r\r\r\rd",
	"invisible":           "a\u200bb\u00adc\ufeff\u202ad\x00e\x7f\u0085f",
	"invalid utf-8":       "a\xffb\xc3\n\xe2\x82c",
	"replacement char":    "a\ufffdb",
	"tabs kept":           "a\tb\t\n\tc",
	"nbsp runs":           "a\u00a0\u00a0b \u2003 c",
	"invisible-only line": "a\n\u200b\nb",
}

// TestTxtTidyMatchesOracle compares txtTidy with the code it replaced, in
// both modes, on tricky texts and on every real text (descriptions of
// testdata, the demo and, with JOBTRENDS_CORPUS, the corpus, the long
// strings of its JSON files, and the laid-out text PlainText builds from
// each before tidying it).
func TestTxtTidyMatchesOracle(t *testing.T) {
	check := func(name, s string) {
		t.Helper()
		for _, laidOut := range []bool{false, true} {
			if got, want := txtTidy(s, laidOut), txtTidyOracle(s, laidOut); got != want {
				t.Errorf("%s (laidOut %v): txtTidy(%q)\n = %q\nwant %q", name, laidOut, s, got, want)
			}
		}
	}
	for name, s := range txtTidyTricky {
		check(name, s)
	}
	if raceEnabled {
		t.Skip("compares over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	texts, _ := realTexts(t, true)
	n := 0
	for _, s := range texts {
		check("real text", s)
		nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
		if err != nil {
			continue
		}
		w := &txtWriter{}
		for _, nd := range nodes {
			w.node(nd)
		}
		check("laid-out real text", w.b.String())
		n++
	}
	t.Logf("%d real texts, %d laid out", len(texts), n)
}

// FuzzTxtTidy compares txtTidy with the code it replaced.
func FuzzTxtTidy(f *testing.F) {
	for _, s := range txtTidyTricky {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, laidOut bool) {
		if got, want := txtTidy(s, laidOut), txtTidyOracle(s, laidOut); got != want {
			t.Errorf("txtTidy(%q, %v) = %q, want %q", s, laidOut, got, want)
		}
	})
}

// TestTxtIsSpaceMatchesOracle checks txtIsSpace's ASCII shortcut against
// the list it had before, on every rune.
func TestTxtIsSpaceMatchesOracle(t *testing.T) {
	oracle := func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' ||
			r == '\u00a0' || r == '\u2007' || r == '\u202f' || r == '\u3000' ||
			(r >= '\u2000' && r <= '\u200a')
	}
	for r := rune(-1); r <= utf8.MaxRune+1; r++ {
		if got, want := txtIsSpace(r), oracle(r); got != want {
			t.Errorf("txtIsSpace(%U) = %v, want %v", r, got, want)
		}
	}
}
