package parse

import (
	"bytes"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHNThreadMonth(t *testing.T) {
	tests := []struct {
		title string
		month string
		ok    bool
	}{
		// Titles as the whoishiring account wrote them.
		{"Ask HN: Who is hiring? (March 2013)", "2013-03", true},
		{"Ask HN: Who Is Hiring? (November 2012)", "2012-11", true},
		{"Ask HN: Who is Hiring? (February 2012)", "2012-02", true},
		{"Ask HN: Who is hiring? (December 2012) ", "2012-12", true},
		{"Ask HN: Who is hiring? (January 2026)", "2026-01", true},
		{"Ask HN: Who is hiring? (Sept 2019)", "2019-09", true},
		{"ask hn: who is hiring? (march 2024)", "2024-03", true},
		{"Ask HN: Freelancer? Seeking freelancer? (March 2013)", "", false},
		{"Ask HN: Who wants to be hired? (March 2024)", "", false},
		{"Ask HN: Who is meeting up? (December 2012)", "", false},
		{"Ask HN: Have the whoishiring posts been useful? Can we do better?", "", false},
		{"Ask HN: Who is hiring?", "", false},
		{"Ask HN: Who is hiring? (Smarch 2024)", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			m, ok := HNThreadMonth(tt.title)
			if m != tt.month || ok != tt.ok {
				t.Errorf("HNThreadMonth(%q) = %q, %v; want %q, %v", tt.title, m, ok, tt.month, tt.ok)
			}
		})
	}
}

// TestHNSubmissions2013 reads the real 2013 submissions page of the
// whoishiring account. The threads it must keep are counted independently
// from the raw HTML: every item link whose text says "Who is hiring".
func TestHNSubmissions2013(t *testing.T) {
	dir := corpusDir(t)
	body := readPage(t, filepath.Join(dir, "hn/submissions/whoishiring_submissions_2013.html"))
	const pageURL = "https://news.ycombinator.com/submitted?id=whoishiring"
	res, err := HNSubmissions(selDoc(t, body), pageURL)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	stories := map[string]bool{}
	for _, m := range regexp.MustCompile(`<td class="title"><a href="item\?id=(\d+)">([^<]*)</a>`).FindAllSubmatch(body, -1) {
		stories[string(m[1])] = true
		if strings.Contains(strings.ToLower(string(m[2])), "who is hiring") {
			want = append(want, "https://news.ycombinator.com/item?id="+string(m[1]))
		}
	}
	if len(want) == 0 {
		t.Fatal("no hiring thread in the page: wrong test file")
	}
	if strings.Join(res.Links, "\n") != strings.Join(want, "\n") {
		t.Errorf("Links:\n%s\nwant:\n%s", strings.Join(res.Links, "\n"), strings.Join(want, "\n"))
	}
	if len(res.ItemIDs) != len(stories) {
		t.Errorf("%d ItemIDs, the page has %d stories", len(res.ItemIDs), len(stories))
	}
	if res.Next != "" {
		t.Errorf("Next %q from a page without a More link", res.Next)
	}
	if len(res.Postings) != 0 {
		t.Errorf("%d postings from a listing", len(res.Postings))
	}
}

// TestHNSubmissionsMarkup reads story titles and the More link in the
// later markup generations, on real HN pages (thread pages carry the same
// title row and a.morelink as a submissions page): the one story is the
// thread itself, kept when its title is a hiring thread.
func TestHNSubmissionsMarkup(t *testing.T) {
	tests := []struct {
		name, file, id string
	}{
		{"storylink 2018", "testdata/hn/2018-05_16967543/p1.html.gz", "16967543"},
		{"storylink 2021", "testdata/hn/2021-02_25989764/p1.html.gz", "25989764"},
		{"titlelink 2021-09", "testdata/hn/2021-09_28380661/p1.html.gz", "28380661"},
		{"titleline 2024", "testdata/hn/2024-03_39562986/p1.html.gz", "39562986"},
	}
	moreRe := regexp.MustCompile(`<a href=['"]([^'"]*)['"][^>]*class=['"]morelink['"]`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := readPage(t, tt.file)
			pageURL := "https://news.ycombinator.com/item?id=" + tt.id
			res, err := HNSubmissions(selDoc(t, body), pageURL)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.ItemIDs) != 1 || res.ItemIDs[0] != tt.id {
				t.Errorf("ItemIDs %v, want [%s]", res.ItemIDs, tt.id)
			}
			if len(res.Links) != 1 || res.Links[0] != pageURL {
				t.Errorf("Links %v, want [%s]", res.Links, pageURL)
			}
			wantNext := ""
			if m := moreRe.FindSubmatch(body); m != nil {
				wantNext = "https://news.ycombinator.com/" + strings.ReplaceAll(string(m[1]), "&amp;", "&")
			}
			if res.Next != wantNext {
				t.Errorf("Next %q, want %q", res.Next, wantNext)
			}
		})
	}
}

func TestHNSubmissionsNotHN(t *testing.T) {
	res, err := HNSubmissions(selDoc(t, []byte("<html><title>Just a moment...</title><body>Checking your browser</body></html>")), "https://news.ycombinator.com/submitted?id=whoishiring")
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrMissing) || res == nil || len(res.Links) != 0 {
		t.Fatalf("got %v, %v; want an empty Result and a *ParseError", res, err)
	}
}

func FuzzHNThreadMonth(f *testing.F) {
	for _, s := range []string{"Ask HN: Who is hiring? (March 2013)", "Ask HN: Who wants to be hired? (March 2024)", "who is hiring (Sept. 1999)", "(x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		m, ok := HNThreadMonth(title)
		if ok != (m != "") {
			t.Fatalf("%q: month %q with ok %v", title, m, ok)
		}
		if ok && !regexp.MustCompile(`^(19|20)\d\d-(0[1-9]|1[0-2])$`).MatchString(m) {
			t.Fatalf("%q: month %q", title, m)
		}
	})
}

func FuzzHNSubmissions(f *testing.F) {
	f.Add([]byte(`<html><title>whoishiring's submissions | Hacker News</title><td class="title"><a href="item?id=5304169">Ask HN: Who is hiring? (March 2013)</a></td><a href="/x?fnid=abc">More</a></html>`))
	f.Add([]byte(`<tr class="athing" id="1"><td class="title"><span class="titleline"><a href="item?id=1">Ask HN: Who is hiring? (May 2024)</a></span></td></tr><a class="morelink" href="submitted?id=whoishiring&amp;next=1">More</a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			return
		}
		res, _ := HNSubmissions(doc, "https://news.ycombinator.com/submitted?id=whoishiring")
		if res == nil {
			t.Fatal("nil Result")
		}
		if len(res.Links) > len(res.ItemIDs) {
			t.Fatalf("%d links from %d stories", len(res.Links), len(res.ItemIDs))
		}
		for _, l := range res.Links {
			if !strings.HasPrefix(l, "https://news.ycombinator.com/item?id=") {
				t.Fatalf("link %q", l)
			}
		}
	})
}
