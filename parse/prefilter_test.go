package parse

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{`(?i)fin-?tech|insur-?tech`, []string{"tech", "insur"}}, // after simplification
		{`(?i)(?:^|\W)(?:health ?care|medical)(?: tech)? (?:company|startup)`, []string{"company", "startup"}},
		{`abc`, []string{"abc"}},
		{`a?b`, nil},       // "b" alone is too short
		{`(?i)x*|yz`, nil}, // one branch needs nothing
		{`(?i)PhD`, []string{"phd"}},
		{`(`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			if got := requiredLiterals(tc.pattern); !slices.Equal(got, tc.want) {
				t.Errorf("requiredLiterals(%q) = %q, want %q", tc.pattern, got, tc.want)
			}
		})
	}
}

func TestRequiredSets(t *testing.T) {
	got := requiredSets(`(?i)(?:^|\W)(?:health|medical) (?:company|startup)`)
	want := [][]string{{"health", "medical"}, {" company", " startup"}}
	if len(got) < 2 || !slices.Equal(got[0], want[0]) {
		t.Errorf("requiredSets = %q, want at least %q", got, want)
	}
	if mayMatchSets(got, "we are a software company") {
		t.Error("a text with only one of the two required words passed")
	}
	if !mayMatchSets(got, "a medical startup") {
		t.Error("a text with both required words was filtered out")
	}
}

// mayMatchSets applies sets as mayMatch does.
func mayMatchSets(sets [][]string, lower string) bool {
	for _, set := range sets {
		ok := false
		for _, l := range set {
			if strings.Contains(lower, l) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// TestPrefilterChangesNothing: on real descriptions (every HN comment and
// JSON-LD page in testdata), Industry and Education give the same answers
// with and without the literal prefilter.
func TestPrefilterChangesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("classifies every comment of 9 real pages twice: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	c := DefaultClassifier()
	var texts []string
	for _, e := range hnEras {
		res, _ := parseHNFile(t, e.path(), e.url(), time.Time{})
		for _, p := range res.Postings {
			texts = append(texts, p.Description)
		}
	}
	if len(texts) < 500 {
		t.Fatalf("only %d texts", len(texts))
	}
	defer func() { prefilterOff = false }()
	for i, text := range texts {
		prefilterOff = false
		ind, edu := c.Industry(text, ""), c.Education(text)
		prefilterOff = true
		ind2, edu2 := c.Industry(text, ""), c.Education(text)
		if ind != ind2 || !slices.Equal(edu, edu2) {
			t.Errorf("text %d: with prefilter %q %v, without %q %v", i, ind, edu, ind2, edu2)
		}
	}
}
