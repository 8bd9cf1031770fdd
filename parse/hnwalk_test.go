package parse

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// hnScanCases are small pages for the edges of the selectors hnScan and
// hnComments replaced: class tokens (tabs, new lines, NBSP, \v, repeated
// class attributes), nesting (a td.default in a td.default, a .commtext
// that is also the span.comhead), ids (tr.athing without a numeric id,
// links without href, repeated ids), indents (the cell first in its row,
// text before the first cell, a bad indent then the image, text "img"
// and "a"), the order of
// the title candidates (a titleline link after a storylink, a title in
// an svg), the story age in table.fatitem or td.subtext only, several
// morelinks.
var hnScanCases = []struct{ name, page string }{
	{"empty", ``},
	{"classes", `<table><tr class="athing	comtr" id="1"><td indent="2"></td><td class="x default"><span class="comhead
c"><span class="age" title=" 2024-03-01T17:00:12 ">5 days ago</span></span><div class="comment"><span class="commtext` + "\u00a0" + `c00">no</span><span class="c00` + "\v" + `commtext">no</span><p class="x" class="commtext">yes</p></div></td></tr></table>`},
	{"repeated class", `<table><tr><td class="x" class="default"><span class="comhead"><a href="item?id=7">7</a></span></td></tr></table>`},
	{"nested cells", `<table><tr class="athing" id="1"><td><img width="80"></td><td class="default"><span class="comhead commtext"><a>x</a></span><table><tr class="athing" id="2"><td><img width="x"><img width="40"></td><td class="default"><span class="comhead">2 hours ago</span><span class="comment">inner</span></td></tr></table></td></tr></table>`},
	{"ids", `<table><tr class="athing" id="x1"><td indent="-1"><img width="40"></td><td class="default"><span class="comhead"><a name="item?id=3">a</a><a href="">b</a><a href="/item?id=4&amp;p=2">c</a><a href="item?id=5">d</a> 3 days ago</span><div class="comment">t</div><span class="comment">s</span></td></tr>
<tr class="athing" id="8"><td class="default"><span class="comhead"><span class="age">x</span><span class="age">y</span></span></td><td indent="0"></td></tr>
<tr id="6">text<td indent=" 1 "></td><td class="default"><span class="comhead"><a href="item?id=9">9</a></span></td></tr>
<tr><td class="default"><span class="comhead"><a href="item?id=9">again</a></span><div class="commtext">dup</div></td></tr></table>`},
	{"titles", `<html><head><title>Ask HN: Who is hiring? (march 2020)</title></head><body><table class="fatitem"><tr><td class="title"><a class="storylink" href="x">Ask HN: Who is hiring? (April 2020)</a><span class="titleline"><b><a>Who is hiring? (May 2020)</a></b></span></td></tr><tr><td class="subtext"><span class="age"><a>17 days ago</a></span></td></tr></table><svg><title>(June 2020)</title></svg><a class="morelink" href="item?id=1&amp;p=2">More</a><a class="morelink" href="p3">More</a></body></html>`},
	{"title order", `<table><tr><td class="title"><a>(January 2011)</a></td></tr></table><a class="titlelink">(February 2011)</a><a class="storylink">(Foo 2011)</a><div class="titleline"><div class="titleline"><a>none</a></div></div>`},
	{"title order 2", `<table><tr><td class="title"><a>(January 2011)</a></td></tr></table><a class="titlelink">(February 2011</a><a class="storylink">(Foo 2011)</a><div class="titleline"><div class="titleline"><a>none</a></div></div>`},
	{"story age", `<span class="age">1 day ago</span><div class="subtext"><span class="age">2 days ago</span></div><table><tr><td class="subtext"><span><span class="x age">3 days ago</span></span></td></tr></table><table class="fatitem"><tr><td><span class="age">4 days ago</span></td></tr></table><a class="morelink">no href</a><a class="morelink" href="2">2</a>`},
	{"story age 2", `<table class="fatitem"><tr><td><span class="ages">x</span><b><span class="age">4  days
ago</span></b></td></tr></table><table><tr><td class="subtext"><span class="age">3 days ago</span></td></tr></table>`},
	{"text nodes named like elements", `<table><tr><td>img<img width="40"></td><td class="default"><span class="comhead">a<a href="item?id=12">12</a></span><div class="comment">t</div></td></tr></table>`},
	{"rows", `<table><tr><td class="default"></td></tr><tr><td>x</td><td class="default"><span class="comhead">1 hour ago <a href="item?id=11">11</a></span><font><span class="commtext">t</span></font></td></tr></table>`},
}

// TestHNScanSameAsRef: hnScan and hnComments find exactly what the
// goquery selectors they replaced found (hnwalk_reference_test.go): the
// comments (id, indent, ages, the very text node), the next page's link,
// the thread month and the story age, on hnScanCases, every HTML page of
// testdata and, with JOBTRENDS_CORPUS, every HTML page of the corpus
// (pages/).
func TestHNScanSameAsRef(t *testing.T) {
	for _, tc := range hnScanCases {
		t.Run(tc.name, func(t *testing.T) {
			if msg := hnScanDiff([]byte(tc.page)); msg != "" {
				t.Error(msg)
			}
		})
	}
	files := hnScanFiles(t, "testdata")
	if dir := os.Getenv("JOBTRENDS_CORPUS"); dir != "" {
		files = append(files, hnScanFiles(t, filepath.Join(dir, "pages"))...)
	} else {
		t.Log("JOBTRENDS_CORPUS is not set: the corpus pages were NOT compared")
	}
	hn := 0
	for _, f := range files {
		page := readPage(t, f)
		if bytes.Contains(page, []byte("comhead")) {
			hn++
		}
		if msg := hnScanDiff(page); msg != "" {
			t.Errorf("%s: %s", f, msg)
		}
	}
	if hn < len(hnEras) {
		t.Errorf("%d HN pages among %d files, want at least %d", hn, len(files), len(hnEras))
	}
}

// hnScanFiles lists the HTML pages below dir.
func hnScanFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".html.gz")) {
			out = append(out, path)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// hnScanDiff describes the first difference between what the walk and
// the reference find on page; "" when none.
func hnScanDiff(page []byte) string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return ""
	}
	p := hnScan(doc.Nodes[0])
	got, want := hnComments(p.cells), hnCommentsRef(doc)
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("comment %d %+v missing", i, want[i])
		case i >= len(want):
			return fmt.Sprintf("comment %d %+v extra", i, got[i])
		case got[i] != want[i]:
			return fmt.Sprintf("comment %d\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	var href string
	ok := p.more != nil
	if ok {
		href, ok = txtAttrOK(p.more, "href")
	}
	if wantHref, wantOK := hnMoreRef(doc); href != wantHref || ok != wantOK {
		return fmt.Sprintf("morelink %q %v, want %q %v", href, ok, wantHref, wantOK)
	}
	month, start := hnThreadMonth(p.titles)
	if wantMonth, wantStart := hnThreadMonthRef(doc); month != wantMonth || !start.Equal(wantStart) {
		return fmt.Sprintf("thread %q %v, want %q %v", month, start, wantMonth, wantStart)
	}
	if age, want := hnOneLine(hnText(p.age)), hnStoryAgeRef(doc); age != want {
		return fmt.Sprintf("story age %q, want %q", age, want)
	}
	return ""
}

func FuzzHNScanSameAsRef(f *testing.F) {
	for _, tc := range hnScanCases {
		f.Add([]byte(tc.page))
	}
	f.Add(readPage(f, "testdata/hn/2012-12_4857714/p1.html.gz")[:20000])
	f.Fuzz(func(t *testing.T, page []byte) {
		if msg := hnScanDiff(page); msg != "" {
			t.Error(msg)
		}
	})
}

// TestHNEmpty: hnEmpty answers as lower-casing the whole trimmed text
// did, for texts that lower-case to a marker from more bytes (U+0130 and
// U+212A lower-case to ASCII) and for long texts.
func TestHNEmpty(t *testing.T) {
	for _, s := range []string{"", " \n", "[deleted]", " [DELETED]\n", "[DUPL\u0130CATE]", "\u0130", "[dupe]x", "[removed] " + strings.Repeat("x", 40), strings.Repeat("\u212a", 20), "Acme | ML Engineer"} {
		want := false
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "", "[deleted]", "[dead]", "[flagged]", "[removed]", "[dupe]", "[duplicate]":
			want = true
		}
		if got := hnEmpty(s); got != want {
			t.Errorf("hnEmpty(%q) = %v, want %v", s, got, want)
		}
	}
}

// BenchmarkHNScan reads what HNThread reads of a parsed page outside the
// comment texts and headers (comments, next link, thread month, story
// age) on every HN era's page, by the tree walk and by the goquery
// selectors it replaced (ref): their ratio within one run is the gain.
func BenchmarkHNScan(b *testing.B) {
	for _, e := range hnEras {
		doc := selDoc(b, readPage(b, e.path()))
		name := "hn-" + e.dir[:len("2006-01")]
		b.Run(name+"/walk", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p := hnScan(doc.Nodes[0])
				hnComments(p.cells)
				hnThreadMonth(p.titles)
				hnOneLine(hnText(p.age))
			}
		})
		b.Run(name+"/ref", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				hnCommentsRef(doc)
				hnMoreRef(doc)
				hnThreadMonthRef(doc)
				hnStoryAgeRef(doc)
			}
		})
	}
}

// TestTxtHasClassLikeSelector: txtHasClass matches a class as goquery's
// selector does (cascadia: tokens separated by ASCII white space).
func TestTxtHasClassLikeSelector(t *testing.T) {
	vals := []string{"", "age", "ages", "xage", "x age", "age x", "x\tage\ny", "x\fage\r", "age\v", "\u00a0age", "age\u00a0",
		"aage age", "agage", "ageage age", "  age  ", "x-age age-x", "AGE", "a g e", "ag"}
	for _, v := range vals {
		for _, c := range []string{"age", "ag", "a"} {
			doc := selDoc(t, []byte(`<p class="`+v+`">x</p>`))
			p := doc.Find("p").Nodes[0]
			if got, want := txtHasClass(p, c), doc.Find("p."+c).Length() == 1; got != want {
				t.Errorf("txtHasClass(class=%q, %q) = %v, want %v", v, c, got, want)
			}
		}
	}
}
