package parse

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHNHeaderSameAsRef: parseHNHeader answers exactly as the parser it
// replaced (parseHNHeaderRef, hnheader_reference_test.go) on every
// distinct real text: the descriptions, titles and roles of realTexts
// (testdata, the demo and, with JOBTRENDS_CORPUS, the corpus pages and
// JSON strings), the comments of the monthly HN dumps (testdata and the
// corpus's 2013-2018 months), each text's first lines on their own, and
// the tricky strings of the word index tests.
func TestHNHeaderSameAsRef(t *testing.T) {
	if raceEnabled {
		t.Skip("runs over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	texts := hnHeaderTexts(t)
	first := firstFailing(texts, func(s string) bool {
		return reflect.DeepEqual(parseHNHeader(s), hnHeaderFromRef(parseHNHeaderRef(s)))
	})
	if first < len(texts) {
		s := texts[first]
		t.Fatalf("parseHNHeader(%q)\n got %s\nwant %s", s, hnHeaderString(parseHNHeader(s)), hnHeaderString(hnHeaderFromRef(parseHNHeaderRef(s))))
	}
	t.Logf("%d distinct texts compared", len(texts))
}

// FuzzHNHeaderSameAsRef: parseHNHeader answers as parseHNHeaderRef on any
// text.
func FuzzHNHeaderSameAsRef(f *testing.F) {
	for _, tt := range []string{
		"Privacy.com | Web lead / Full stack JS Engineer | FULL-TIME | New York, NY | ONSITE | $100k - $140k (USD)\n\nCome help us",
		"San Francisco, CA. Full time. Remote is fine too.\n\nAcademia.edu is a social platform.",
		"Acme (YC W10)\nBerlin | Engineer | Remote (EU)\nLocation: Paris\nRole: Backend Engineer",
		"Flowrite I Helsinki, Finland or Remote I Full-time I https://www.flowrite.com/",
		"Trellis -- AI/ML Engineer | Remote | trellis.law\n\nWe are looking for a Lead Developer.",
		"Crusoe | Onsite/Hybrid – San Francisco | Climate Tech\n- Senior Engineer\n- Data Scientist",
		"", "|", "((|))", "é | ü | 東京", "a\xff | b",
	} {
		f.Add(tt)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := parseHNHeader(s), hnHeaderFromRef(parseHNHeaderRef(s)); !reflect.DeepEqual(got, want) {
			t.Fatalf("parseHNHeader(%q)\n got %s\nwant %s", s, hnHeaderString(got), hnHeaderString(want))
		}
	})
}

// hnHeaderTexts returns the distinct real texts TestHNHeaderSameAsRef
// compares on.
func hnHeaderTexts(tb testing.TB) []string {
	tb.Helper()
	texts, titles := realTexts(tb, true)
	all := slices.Concat(texts, titles, wordReTricky)
	dumps := []string{"testdata/tables/hn_whoishiring_2014-01.json.gz"}
	if dir, ok := hndCorpus(); ok {
		more, err := filepath.Glob(filepath.Join(dir, "hn/dumps/gaganpreet_2013-2018/*.json.gz"))
		if err != nil || len(more) == 0 {
			tb.Fatalf("no dump in the corpus: %v", err)
		}
		dumps = append(dumps, more...)
	}
	for _, f := range dumps {
		month, _ := MonthFromName(f)
		ps, err := HNDumpMonth(bytes.NewReader(readPage(tb, f)), month, f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range ps {
			all = append(all, p.Description)
		}
	}
	// The first lines alone: more header lines, without the text that
	// fills what a header leaves empty.
	n := len(all)
	for _, s := range all[:n] {
		lines := strings.SplitN(s, "\n", 4)
		for i := range min(len(lines), 3) {
			all = append(all, lines[i])
		}
	}
	return uniqueStrings(all)
}

// hnHeaderFromRef converts the reference parser's answer.
func hnHeaderFromRef(h hnHeaderRef) hnHeader {
	return hnHeader(h)
}

// hnHeaderString shows a header for a failure message.
func hnHeaderString(h hnHeader) string {
	sal := "<nil>"
	if h.salary != nil {
		sal = fmt.Sprintf("%+v", *h.salary)
	}
	return fmt.Sprintf("company=%q title=%q roles=%q location=%+v remote=%q employment=%q salary=%s",
		h.company, h.title, h.roles, h.location, h.remote, h.employment, sal)
}

// BenchmarkHNHeader reads the header of every comment of the HN pages of
// testdata on one goroutine; ref is the parser it replaced, new the
// current one (same binary, same run: compare the two).
func BenchmarkHNHeader(b *testing.B) {
	var texts []string
	size := 0
	for _, e := range hnEras {
		res, _ := parseHNFile(b, e.path(), e.url(), time.Time{})
		for _, p := range res.Postings {
			texts = append(texts, p.Description)
			size += len(p.Description)
		}
	}
	for _, bc := range []struct {
		name  string
		parse func(string)
	}{
		{"ref", func(s string) { parseHNHeaderRef(s) }},
		{"new", func(s string) { parseHNHeader(s) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range texts {
					bc.parse(s)
				}
			}
			b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "headers/s")
		})
	}
}

// hnFiltered lists the regexps with a literal prefilter.
var hnFiltered = map[string]*hnRe{
	"hnGenericRolesRe": hnGenericRolesRe, "hnOtherRe": hnOtherRe, "hnEmploymentRe": hnEmploymentRe,
	"hnRemoteRe": hnRemoteRe, "hnNoRemoteRe": hnNoRemoteRe, "hnOnsiteRe": hnOnsiteRe,
	"hnHybridRe": hnHybridRe, "hnRemoteTextRe": hnRemoteTextRe, "hnRemoteCapsRe": hnRemoteCapsRe,
	"hnHiringRoleRe": hnHiringRoleRe, "hnPlaceSplitRe": hnPlaceSplitRe, "hnWorkModeRe": hnWorkModeRe,
}

// hnPrefilterTricky are texts where only case folding finds the match.
var hnPrefilterTricky = []string{"", " ", "a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u200bb", "\xff", "\ufffd", "é b", "REMOTE", "Remote", "HYBRID", "\u212aelvin", "Full Time", "FULL-TIME",
	"Ho\u017fting", "S\u017fite", "Berlin or Paris", "a • b", "a · b", "h1-B visa", "We're HIRING",
	"WFH ok", "OnSite", "xhiring a dev", "_hiring a dev", "HIRING\ta", "we're hiring", "hiring", "fully remote only", "on site only", "remote is ok", "remote work fine", "remote okay", "in-OFFICE", "telecommute", "Looking For a dev", "p/T", "F/T", "Series B"}

// TestHNRePrefilter: a prefilter never hides a match of its regexp, on
// every real text and line, and the texts of hnPrefilterTricky.
func TestHNRePrefilter(t *testing.T) {
	texts := slices.Concat(hnPrefilterTricky, wordReTricky)
	if !raceEnabled {
		texts = append(texts, hnHeaderTexts(t)...)
	}
	if i := firstFailing(texts, func(s string) bool { return hnPrefilterHides(s) == "" }); i < len(texts) {
		t.Fatal(hnPrefilterHides(texts[i]))
	}
	t.Logf("%d texts", len(texts))
}

// hnPrefilterHides returns what a prefilter hides in s that its regexp
// finds ("" when nothing): the check of TestHNRePrefilter.
func hnPrefilterHides(s string) string {
	for name, r := range hnFiltered {
		if !r.may(s) && r.re.MatchString(s) {
			return fmt.Sprintf("%s: prefilter says no match in %q, the regexp matches %q", name, s, r.re.FindString(s))
		}
		// Every match (FuzzHNRePrefilter also checks the first match and
		// the first ten, which follow from these).
		if r.anch != nil {
			if got, want := r.FindAllStringIndex(s, -1), r.re.FindAllStringIndex(s, -1); !reflect.DeepEqual(got, want) {
				return fmt.Sprintf("%s.FindAllStringIndex(%q, -1) = %v, want %v", name, s, got, want)
			}
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if colon := strings.IndexByte(line, ':'); colon >= 0 && !hnKVKeys.may(line[:colon]) && hnKVRe.MatchString(line) {
			return fmt.Sprintf("hnKVKeys: no key before the colon of %q, hnKVRe matches", line)
		}
	}
	if got, want := hnOneLine(s), txtOneLine(s); got != want {
		return fmt.Sprintf("hnOneLine(%q) = %q, want %q", s, got, want)
	}
	if w := strings.Fields(s); len(w) < 400 {
		for _, w := range w {
			if !hnMayHoldURL(w) && hnURLRe.MatchString(w) {
				return fmt.Sprintf("hnMayHoldURL(%q) = false, hnURLRe matches %q", w, hnURLRe.FindString(w))
			}
		}
	}
	return ""
}

// FuzzHNRePrefilter: a prefilter never hides a match of its regexp.
func FuzzHNRePrefilter(f *testing.F) {
	for _, s := range hnPrefilterTricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, r := range hnFiltered {
			if !r.may(s) && r.re.MatchString(s) {
				t.Fatalf("%s: prefilter says no match in %q, the regexp matches %q", name, s, r.re.FindString(s))
			}
			hnCheckFind(t, name, r, s)
			if got, want := r.Split(s, -1), r.re.Split(s, -1); !slices.Equal(got, want) {
				t.Fatalf("%s.Split(%q) = %q, want %q", name, s, got, want)
			}
			if got, want := r.ReplaceAllString(s, " "), r.re.ReplaceAllString(s, " "); got != want {
				t.Fatalf("%s.ReplaceAllString(%q) = %q, want %q", name, s, got, want)
			}
		}
		if got, want := hnOneLine(s), txtOneLine(s); got != want {
			t.Fatalf("hnOneLine(%q) = %q, want %q", s, got, want)
		}
		if !hnMayHoldURL(s) && hnURLRe.MatchString(s) && !strings.ContainsAny(s, " \t\n\f\r") {
			t.Fatalf("hnMayHoldURL(%q) = false, hnURLRe matches %q", s, hnURLRe.FindString(s))
		}
	})
}

// TestParseSalarySameAsRef: ParseSalary answers as before the HN header
// work (ParseSalaryRef) on every real text, and replaceEmails replaces as
// emailRe did.
func TestParseSalarySameAsRef(t *testing.T) {
	texts := slices.Concat(hnPrefilterTricky, wordReTricky, []string{"a@b.c", "x a@b.co, c+d@e.f.g @ @@x.y", "@", "é@b.c", "a@b", "mail me: jo.x@acme.io."})
	if !raceEnabled {
		texts = append(texts, hnHeaderTexts(t)...)
	}
	same := func(s string) bool {
		return replaceEmails(s) == emailRe.ReplaceAllString(s, " ") && reflect.DeepEqual(ParseSalary(s), ParseSalaryRef(s))
	}
	if i := firstFailing(texts, same); i < len(texts) {
		s := texts[i]
		t.Fatalf("%q: replaceEmails %q, emailRe %q; ParseSalary %+v, ParseSalaryRef %+v",
			s, replaceEmails(s), emailRe.ReplaceAllString(s, " "), ParseSalary(s), ParseSalaryRef(s))
	}
	t.Logf("%d texts", len(texts))
}

// hnCheckFind fails t when r finds other matches in s than its regexp.
func hnCheckFind(t *testing.T, name string, r *hnRe, s string) {
	t.Helper()
	if d := hnFindDiff(name, r, s); d != "" {
		t.Fatal(d)
	}
}

// hnFindDiff says how r finds other matches in s than its regexp ("" when
// it finds the same).
func hnFindDiff(name string, r *hnRe, s string) string {
	if got, want := r.FindStringIndex(s), r.re.FindStringIndex(s); !slices.Equal(got, want) {
		return fmt.Sprintf("%s.FindStringIndex(%q) = %v, want %v", name, s, got, want)
	}
	for _, n := range []int{-1, 10} {
		if got, want := r.FindAllStringIndex(s, n), r.re.FindAllStringIndex(s, n); !reflect.DeepEqual(got, want) {
			return fmt.Sprintf("%s.FindAllStringIndex(%q, %d) = %v, want %v", name, s, n, got, want)
		}
	}
	return ""
}

// firstFailing runs ok on every text, on every core, and returns the index
// of the first text (in their order) it fails on, or len(texts).
func firstFailing(texts []string, ok func(string) bool) int {
	var (
		mu    sync.Mutex
		first = len(texts)
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(texts) {
					return
				}
				if !ok(texts[i]) {
					mu.Lock()
					first = min(first, i)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
