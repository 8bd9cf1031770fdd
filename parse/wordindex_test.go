package parse

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// TestASCIIFoldRunes checks asciiFoldRunes against unicode.SimpleFold
// over every rune: the runes outside ASCII that fold to an ASCII letter.
func TestASCIIFoldRunes(t *testing.T) {
	var want []rune
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				want = append(want, r)
				break
			}
		}
	}
	if !slices.Equal(asciiFoldRunes, want) {
		t.Errorf("asciiFoldRunes = %U, want %U", asciiFoldRunes, want)
	}
}

func TestFirstLiterals(t *testing.T) {
	tests := []struct {
		pattern string
		fold    bool
		want    []string
	}{
		{`(?i)fin-?tech|insur-?tech`, true, []string{"fin-tech", "fintech", "insur-tech", "insurtech"}},
		{`(?i)(?:health ?care|medical)(?: tech)? (?:company|startup)`, true, []string{ // the whole finite language
			"health care company", "health care startup", "health care tech company", "health care tech startup",
			"healthcare company", "healthcare startup", "healthcare tech company", "healthcare tech startup",
			"medical company", "medical startup", "medical tech company", "medical tech startup"}},
		{`(?i)(?:health|medical) \w+`, true, []string{"health ", "medical "}}, // up to the class
		{`(?i)ed-?tech`, true, []string{"ed-tech", "edtech"}},
		{`(?i)health|health ?care`, true, []string{"health"}}, // the shorter starts the longer
		{`(?i)public sector organi[sz]ation`, true, []string{"public sector organisation", "public sector organization"}},
		{`(?i)x*y`, true, nil},                                        // a match may start with x or y: can't list
		{`(?i)a+b`, true, []string{"a"}},                              // every match starts with an a
		{`(?:PhD|Ph\.D\.?|MS)`, false, []string{"MS", "Ph.D", "PhD"}}, // exact case
		{`(?i)ü`, true, nil},                                          // folding outside ASCII: no index
		{`(?i).+ company`, true, nil},                                 // a class too wide to list
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			re, err := syntax.Parse(tc.pattern, syntax.Perl)
			if err != nil {
				t.Fatal(err)
			}
			if got := firstLiterals(re.Simplify(), tc.fold); !slices.Equal(got, tc.want) {
				t.Errorf("firstLiterals(%q) = %q, want %q", tc.pattern, got, tc.want)
			}
		})
	}
}

// wordReTricky are texts made to hit the edges of the index: matches at
// both ends, back to back (sharing the boundary character), after a dot,
// in other scripts, next to the runes that fold to ASCII, invalid UTF-8.
var wordReTricky = []string{
	"", "fintech", "fintech fintech", " fintech  fintech ", "a fintech,fintech.fintech", "xfintech fintechx",
	"We are a healthcare company", "health care company health tech company", "HEALTHTECH", "Fin-Tech",
	"ed-tech edtech-ed tech", "PhD", "a PhD.", ".PhD", "Ph.D. in CS", "MS in Computer Science; BS/MS", "M.S.",
	"mſ ſtartup", "\u212Aelvin fintech", "fintech\xff", "\xfffintech", "über fintech", "日本のfintech company",
	"edtech²", "²edtech", "fintech\u00a0company", "Master's degree or PhD preferred", "nice to have: PhD",
	"bachelor’s degree required", "BS, MS, or PhD in Computer Science or equivalent experience",
}

// TestWordReMatchesRegexp: for every pattern the default classifier runs
// over descriptions and titles, the word index finds exactly what the
// plain regexp finds (all matches, the first, whether any) on every real
// text of testdata and the demo (the corpus is left to
// TestWordIndexChangesNothing, which compares the classifier's answers
// on it: running every plain regexp on it too would take a quarter of an
// hour), on each of their sentences, and on the tricky texts above.
func TestWordReMatchesRegexp(t *testing.T) {
	if raceEnabled {
		t.Skip("runs every description pattern over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	c := DefaultClassifier()
	type group struct {
		name string
		set  *wordSet
	}
	groups := []group{{"industries", &c.indText}, {"education", &c.edu.set}, {"roles", &c.roleSet}, {"seniority", &c.senSet}}
	for _, g := range groups {
		if len(g.set.res) == 0 {
			t.Fatalf("%s: no patterns", g.name)
		}
		g.set.scan("") // builds the index
		for i, w := range g.set.res {
			if w.lits == nil && (g.name == "industries" || g.name == "education") {
				t.Errorf("%s pattern %d %q: no first literals, so no index", g.name, i, w.re)
			}
		}
	}
	texts, titles := realTexts(t, false)
	texts = append(texts, wordReTricky...)
	// Industry reads the normalized description, Education its sentences
	// and clauses of them, Role and Seniority the normalized titles: each
	// group is checked on what it reads.
	inputs := map[string][]string{}
	for _, title := range append(titles, wordReTricky...) {
		n := clsNormalizeTitle(title)
		inputs["roles"] = append(inputs["roles"], n)
		inputs["seniority"] = append(inputs["seniority"], n)
	}
	for _, text := range texts {
		inputs["industries"] = append(inputs["industries"], clsNormalizeTitle(text))
		for _, s := range eduSentence.Split(text, -1) {
			if s = strings.TrimSpace(s); s != "" {
				inputs["education"] = append(inputs["education"], s)
				if loc := eduClause.FindStringIndex(s); loc != nil {
					inputs["education"] = append(inputs["education"], s[loc[1]:])
				}
			}
		}
	}
	indexed, scans, checked := 0, 0, 0
	for _, g := range groups {
		for _, in := range inputs[g.name] {
			h := g.set.scan(in)
			scans++
			if h.ok {
				indexed++
			}
			for _, w := range g.set.res {
				checked++
				// FindStringIndex is the first of FindAllStringIndex, and
				// MatchString whether there is one.
				want := w.re.FindAllStringIndex(in, -1)
				if got := w.findAll(in, h); !slices.EqualFunc(got, want, slices.Equal) {
					t.Fatalf("%s %q findAll on %q = %v, want %v", g.name, w.re, in, got, want)
				}
				var first []int
				if len(want) > 0 {
					first = want[0]
				}
				if got := w.first(in, h); !slices.Equal(got, first) {
					t.Fatalf("%s %q first on %q = %v, want %v", g.name, w.re, in, got, first)
				}
				if got := w.match(in, h); got != (first != nil) {
					t.Fatalf("%s %q match on %q = %v, want %v", g.name, w.re, in, got, first != nil)
				}
			}
		}
	}
	if indexed*10 < scans*9 {
		t.Errorf("only %d of %d scans used the index", indexed, scans)
	}
	t.Logf("%d texts, %d pattern checks, %d of %d scans indexed", len(texts), checked, indexed, scans)
}

// TestWordIndexChangesNothing: on real descriptions, Industry and Education
// give the same answers with the word index and with the plain regexps.
func TestWordIndexChangesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("classifies every real text twice: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	c := DefaultClassifier()
	texts, titles := realTexts(t, true)
	texts = append(texts, wordReTricky...)
	defer func() { wordIndexOff = false }()
	roles := map[string]int{}
	for _, title := range append(titles, wordReTricky...) {
		wordIndexOff = false
		role, sen := c.Role(title), c.Seniority(title)
		wordIndexOff = true
		if role2, sen2 := c.Role(title), c.Seniority(title); role != role2 || sen != sen2 {
			t.Errorf("title %q: with the index %s %s, plain %s %s", title, role, sen, role2, sen2)
		}
		roles[role]++
	}
	if len(roles) < 4 {
		t.Errorf("%d titles gave only the roles %v: the comparison compared little", len(titles), roles)
	}
	// Each side classifies every text on all cores (the switch between
	// the sides is a package variable, so it flips only between the two
	// passes), then the answers are compared.
	type answer struct {
		industry  string
		education []string
	}
	classifyAll := func(indexOff bool) []answer {
		wordIndexOff = indexOff
		out := make([]answer, len(texts))
		var wg sync.WaitGroup
		next := atomic.Int64{}
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(texts); i = int(next.Add(1) - 1) {
					out[i] = answer{c.Industry(texts[i], ""), c.Education(texts[i])}
				}
			})
		}
		wg.Wait()
		return out
	}
	indexed, plain := classifyAll(false), classifyAll(true)
	withIndustry, withEdu := 0, 0
	for i, text := range texts {
		ind, edu := indexed[i].industry, indexed[i].education
		ind2, edu2 := plain[i].industry, plain[i].education
		if ind != ind2 || !slices.Equal(edu, edu2) {
			t.Errorf("text %d: with the index %q %v, plain %q %v\n%.300s", i, ind, edu, ind2, edu2, text)
		}
		if ind != "" {
			withIndustry++
		}
		if len(edu) > 0 {
			withEdu++
		}
	}
	if withIndustry == 0 || withEdu == 0 {
		t.Errorf("of %d texts %d have an industry, %d education: the comparison compared nothing", len(texts), withIndustry, withEdu)
	}
	t.Logf("%d texts: %d with an industry, %d with education", len(texts), withIndustry, withEdu)
}

// TestCollapseSpace: clsCollapseSpace does what clsSpace.ReplaceAllString
// did, on every real text and title.
func TestCollapseSpace(t *testing.T) {
	if raceEnabled {
		t.Skip("runs over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	texts, titles := realTexts(t, true)
	extra := []string{"", " ", "  ", "a b", "a  b", " a\tb\n", "a\u00a0b", "a \u200b b", "\ufeffx\u2060", "a\xffb  c", "\u202a\u202e"}
	n := 0
	for _, s := range slices.Concat(texts, titles, wordReTricky, extra) {
		if got, want := clsCollapseSpace(s), clsSpace.ReplaceAllString(s, " "); got != want {
			t.Fatalf("clsCollapseSpace(%q) = %q, want %q", s, got, want)
		}
		n++
	}
	t.Logf("%d strings", n)
}

// TestHNWordCount: hnWordCount counts what the regexp it replaced found,
// on every real text and title.
func TestHNWordCount(t *testing.T) {
	if raceEnabled {
		t.Skip("runs over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	re := regexp.MustCompile(`[\p{L}\p{N}]+`)
	texts, titles := realTexts(t, true)
	for _, s := range slices.Concat(texts, titles, wordReTricky) {
		if got, want := hnWordCount(s), len(re.FindAllStringIndex(s, -1)); got != want {
			t.Fatalf("hnWordCount(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestStripURLs: hnRemoveURLs removes what hnURLRe.ReplaceAllString
// removed, on every real text, title and header line.
func TestStripURLs(t *testing.T) {
	if raceEnabled {
		t.Skip("runs over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	texts, titles := realTexts(t, true)
	extra := []string{"see https://acme.com/jobs.", "(www.acme.io)", "a\thttp://x\nacme.dev/x y", "acme.com", " acme.community ", "Ok.go http://localhost"}
	n := 0
	for _, s := range slices.Concat(texts, titles, wordReTricky, extra) {
		if got, want := hnRemoveURLs(s), hnURLRe.ReplaceAllString(s, ""); got != want {
			t.Fatalf("hnRemoveURLs(%q) = %q, want %q", s, got, want)
		}
		if got, want := hnStripURLs(s), txtOneLine(hnEmptyParenRe.ReplaceAllString(hnURLRe.ReplaceAllString(s, ""), "")); strings.Contains(s, ".") && got != want {
			t.Fatalf("hnStripURLs(%q) = %q, want %q", s, got, want)
		}
		n++
	}
	t.Logf("%d strings", n)
}

// TestEduSplit: eduSplit splits as eduSentence.Split did, on every real
// text.
func TestEduSplit(t *testing.T) {
	if raceEnabled {
		t.Skip("runs over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	texts, _ := realTexts(t, true)
	extra := []string{"", ".", ". ", "a. b", "a.b", "a!\n\nb", "x;;y", "• one\n• two", "end?", "é·ü", "a.\xff b", "a.\t\fb"}
	for _, s := range slices.Concat(texts, wordReTricky, extra) {
		if got, want := eduSplit(s), eduSentence.Split(s, -1); !slices.Equal(got, want) {
			t.Fatalf("eduSplit(%q) = %q, want %q", s, got, want)
		}
	}
}

// realTexts returns the distinct descriptions, and titles and roles, of
// real postings: every HN era page of testdata, every page of the demo
// (demo/manifest.tsv) and, with corpus and JOBTRENDS_CORPUS set, every HN
// thread page and HTML job page of the corpus and the long strings of its
// JSON files (API responses, job JSON, the Firebase dump of a thread; not
// the monthly dumps of 2013-2018, whose thousands of comments the HN pages
// already sample).
func realTexts(tb testing.TB, corpus bool) (texts, titles []string) {
	tb.Helper()
	realTextsMu.Lock()
	defer realTextsMu.Unlock()
	c, ok := realTextsCache[corpus]
	if !ok || c.dir != os.Getenv("JOBTRENDS_CORPUS") {
		c.texts, c.titles = loadRealTexts(tb, corpus)
		c.dir = os.Getenv("JOBTRENDS_CORPUS")
		if tb.Failed() {
			return c.texts, c.titles
		}
		realTextsCache[corpus] = c
	}
	// Clipped: a caller's append copies rather than writes into the cache.
	return slices.Clip(c.texts), slices.Clip(c.titles)
}

// realTextsCache keeps what realTexts read: parsing every real page takes
// about 20 s, and several tests compare over the same texts.
var (
	realTextsMu    sync.Mutex
	realTextsCache = map[bool]struct {
		dir           string
		texts, titles []string
	}{}
)

func loadRealTexts(tb testing.TB, corpus bool) (texts, titles []string) {
	tb.Helper()
	addResult := func(res *Result) {
		if res == nil {
			return
		}
		for _, p := range res.Postings {
			if p.Description != "" {
				texts = append(texts, p.Description)
			}
			if p.Title != "" {
				titles = append(titles, p.Title)
			}
			titles = append(titles, p.Roles...)
		}
	}
	for _, e := range hnEras {
		res, _ := parseHNFile(tb, e.path(), e.url(), time.Time{})
		addResult(res)
	}
	man, err := os.ReadFile(filepath.Join("..", "demo", "manifest.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	demo := 0
	for _, line := range strings.Split(strings.TrimSpace(string(man)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			tb.Fatalf("demo/manifest.tsv: bad line %q", line)
		}
		res, _ := Extract(f[0], readPage(tb, filepath.Join("..", "demo", "pages", f[1])), time.Time{})
		addResult(res)
		demo++
	}
	if demo == 0 {
		tb.Fatal("demo/manifest.tsv lists no pages")
	}
	dir := os.Getenv("JOBTRENDS_CORPUS")
	if !corpus {
		tb.Logf("%d texts of testdata and the demo (this test leaves the corpus to the others)", len(texts))
		return uniqueStrings(texts), uniqueStrings(titles)
	}
	if dir == "" {
		tb.Logf("JOBTRENDS_CORPUS is not set: %d texts of testdata and the demo only, the corpus was NOT read", len(texts))
		return uniqueStrings(texts), uniqueStrings(titles)
	}
	threads, _ := filepath.Glob(filepath.Join(dir, "hn", "threads", "*", "p*.html*"))
	for _, path := range threads {
		id := filepath.Base(filepath.Dir(path))
		id = id[strings.IndexByte(id, '_')+1:]
		u := "https://news.ycombinator.com/item?id=" + id
		if p := strings.TrimPrefix(strings.SplitN(filepath.Base(path), ".", 2)[0], "p"); p != "1" {
			u += "&p=" + p
		}
		res, _ := Extract(u, readPage(tb, path), time.Time{})
		addResult(res)
	}
	var pages []string
	for _, g := range []string{"pages/*/*.html", "schema_org/*.html"} {
		m, _ := filepath.Glob(filepath.Join(dir, g))
		pages = append(pages, m...)
	}
	for _, path := range pages {
		body := readPage(tb, path)
		if u := PageURL(body); u != "" {
			res, _ := Extract(u, body, time.Time{})
			addResult(res)
		}
	}
	var jsons []string
	for _, g := range []string{"api/*/*.json", "job_json/*.json", "zh_hiring_threads/*.json", "hn/dumps/*.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, g))
		jsons = append(jsons, m...)
	}
	for _, path := range jsons {
		texts = append(texts, jsonLongStrings(tb, path)...)
	}
	if len(threads) == 0 || len(pages) == 0 || len(jsons) == 0 {
		tb.Fatalf("corpus %s: %d thread pages, %d HTML pages, %d JSON files: not the corpus?", dir, len(threads), len(pages), len(jsons))
	}
	texts, titles = uniqueStrings(texts), uniqueStrings(titles)
	tb.Logf("%d distinct texts and %d titles of testdata, the demo and the corpus", len(texts), len(titles))
	return texts, titles
}

// uniqueStrings returns ss sorted without repeats: the demo's pages are
// corpus pages too, and most titles repeat.
func uniqueStrings(ss []string) []string {
	slices.Sort(ss)
	return slices.Compact(ss)
}

// jsonLongStrings returns the strings of 80 bytes or more anywhere in a
// JSON file (gzip-compressed when named .gz), or in each line of a JSON
// lines file.
func jsonLongStrings(tb testing.TB, path string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(r)
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		r = z
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if len(x) >= 80 {
				out = append(out, x)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	dec := json.NewDecoder(r)
	for {
		var v any
		if err := dec.Decode(&v); err == io.EOF {
			break
		} else if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		walk(v)
	}
	return out
}
