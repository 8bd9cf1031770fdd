package parse

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestMonthFromName(t *testing.T) {
	tests := []struct {
		name, month string
		ok          bool
	}{
		{"hn_whoishiring_2015-03.json.gz", "2015-03", true},
		{"/corpus/hn/dumps/gaganpreet_2013-2018/hn_whoishiring_2013-08.json.gz", "2013-08", true},
		{"2024_11.csv", "2024-11", true},
		{"jobs-202401.jsonl", "2024-01", true},
		{"hn_whoishiring_2015-13.json", "", false},
		{"gaganpreet_2013-2018/thread_ids_input.txt", "", false},
		{"amber-williams_hn_jobs_db_export.csv", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := MonthFromName(tt.name)
			if m != tt.month || ok != tt.ok {
				t.Errorf("MonthFromName(%q) = %q, %v; want %q, %v", tt.name, m, ok, tt.month, tt.ok)
			}
		})
	}
}

// hndRaw is one comment of a dump read independently: its item id and
// raw HTML.
type hndRaw struct{ id, html string }

// hndRawComments reads a dump independently: the comments that have
// text.
func hndRawComments(tb testing.TB, body []byte) []hndRaw {
	tb.Helper()
	var raw []map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		tb.Fatal(err)
	}
	tag := regexp.MustCompile(`<[^>]*>`)
	var out []hndRaw
	for _, c := range raw {
		h, _ := c["full_html"].(string)
		text := strings.TrimSpace(tag.ReplaceAllString(h, ""))
		if text == "" || text == "[deleted]" || text == "[dead]" || text == "[flagged]" {
			continue
		}
		u, _ := c["url"].(string)
		out = append(out, hndRaw{regexp.MustCompile(`id=(\d+)`).FindStringSubmatch(u)[1], h})
	}
	return out
}

// hndTagRe finds the real tags of a comment's raw HTML (what its author
// typed as "<p>" is "&lt;p&gt;" there, and stays text).
var hndTagRe = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>`)

// hndMarkupLeft returns a tag of the raw HTML that is left in the text,
// unless the author also typed it as text.
func hndMarkupLeft(rawHTML, text string) string {
	typed := html.UnescapeString(hndTagRe.ReplaceAllString(rawHTML, " "))
	for _, tag := range hndTagRe.FindAllString(rawHTML, -1) {
		if strings.Contains(text, tag) && !strings.Contains(typed, tag) {
			return tag
		}
	}
	return ""
}

// TestHNDumpMonth reads the committed January 2014 file, and every month
// of the corpus when JOBTRENDS_CORPUS is set, and checks the postings
// against the comments read independently.
func TestHNDumpMonth(t *testing.T) {
	files := []string{"testdata/tables/hn_whoishiring_2014-01.json.gz"}
	if raceEnabled {
		t.Log("under -race only the committed month is read; the 55 corpus months run in the non-race pass of `make test`")
	} else if dir, ok := hndCorpus(); ok {
		more, err := filepath.Glob(filepath.Join(dir, "hn/dumps/gaganpreet_2013-2018/*.json.gz"))
		if err != nil || len(more) == 0 {
			t.Fatalf("no dump in the corpus: %v", err)
		}
		files = append(files, more...)
	} else {
		t.Log("JOBTRENDS_CORPUS is not set: only the committed month was read, not the 55 of the corpus")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			month, ok := MonthFromName(f)
			if !ok {
				t.Fatalf("no month in %s", f)
			}
			gz := readPage(t, f) // gunzipped
			ps, err := HNDumpMonth(bytes.NewReader(gz), month, f)
			if err != nil {
				t.Fatal(err)
			}
			want := hndRawComments(t, gz)
			if len(ps) != len(want) {
				t.Fatalf("%d postings, the file has %d comments with text", len(ps), len(want))
			}
			start, _ := time.Parse("2006-01", month)
			companies := 0
			for i, p := range ps {
				if p.ExternalID != want[i].id || p.URL != "https://news.ycombinator.com/item?id="+want[i].id {
					t.Errorf("posting %d: id %q url %q, want %s", i, p.ExternalID, p.URL, want[i].id)
				}
				if p.SourceType != SourceTypeHN || p.Thread != month || !p.DatePosted.Equal(start) || !p.DateApprox || p.Origin != f {
					t.Errorf("%s: source %q thread %q date %v approx %v origin %q", p.ExternalID, p.SourceType, p.Thread, p.DatePosted, p.DateApprox, p.Origin)
				}
				if p.Description == "" {
					t.Errorf("%s: no description", p.ExternalID)
				}
				if tag := hndMarkupLeft(want[i].html, p.Description); tag != "" {
					t.Errorf("%s: markup %q left in the description", p.ExternalID, tag)
				}
				if p.Company != "" {
					companies++
				}
				apiCheckNoZeroPay(t, p.ExternalID, p.Salary)
			}
			t.Logf("%d postings, %d with a company", len(ps), companies)
			if companies == 0 {
				t.Error("no company read from any comment")
			}
		})
	}
}

// hndCorpus is the corpus directory when JOBTRENDS_CORPUS is set.
func hndCorpus() (string, bool) {
	dir := strings.TrimSpace(os.Getenv("JOBTRENDS_CORPUS"))
	return dir, dir != ""
}

// TestHNDumpSameAsThread checks that a dumped comment is read exactly as
// the live parser reads it: the top-level comments of a real thread page
// are written out in the dump's shape (their comment HTML, their item
// URL), read back with HNDumpMonth and compared field by field with
// HNThread's postings (all but the dates, which a dump does not have).
func TestHNDumpSameAsThread(t *testing.T) {
	pages := []struct{ file, url string }{
		{"testdata/hn/2024-03_39562986/p1.html.gz", "https://news.ycombinator.com/item?id=39562986"},
		{"testdata/hn/2021-09_28380661/p1.html.gz", "https://news.ycombinator.com/item?id=28380661"},
		{"testdata/hn/2018-05_16967543/p1.html.gz", "https://news.ycombinator.com/item?id=16967543"},
	}
	for _, pg := range pages {
		t.Run(filepath.Base(filepath.Dir(pg.file)), func(t *testing.T) {
			doc := selDoc(t, readPage(t, pg.file))
			live, err := HNThread(doc, pg.url, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			// The dump's shape, from the page: the HTML of each top-level
			// comment's text element.
			var dump []map[string]string
			for _, c := range hnComments(hnScan(doc.Nodes[0]).cells) {
				if c.indent != 0 || c.text == nil {
					continue
				}
				var b bytes.Buffer
				for n := c.text.FirstChild; n != nil; n = n.NextSibling {
					if err := html.Render(&b, n); err != nil {
						t.Fatal(err)
					}
				}
				dump = append(dump, map[string]string{"full_html": b.String(), "url": "https://news.ycombinator.com/item?id=" + c.id})
			}
			body, err := json.Marshal(dump)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := HNDumpMonth(bytes.NewReader(body), live.Postings[0].Thread, "page")
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != len(live.Postings) || len(ps) == 0 {
				t.Fatalf("%d postings from the dump shape, %d from the page", len(ps), len(live.Postings))
			}
			for i, p := range ps {
				l := live.Postings[i]
				l.DatePosted, l.DateApprox, l.Origin = p.DatePosted, p.DateApprox, p.Origin
				if !reflect.DeepEqual(p, l) {
					t.Errorf("comment %s differs:\n dump %+v\n page %+v", l.ExternalID, p, l)
				}
			}
		})
	}
}

func TestHNDumpMonthErrors(t *testing.T) {
	tests := []struct {
		name, month, body string
		postings          int
		want              string
	}{
		{"bad month", "2015-3", `[]`, 0, `month "2015-3"`},
		{"not an array", "2015-03", `{"jobs": []}`, 0, "not a JSON array"},
		{"truncated", "2015-03", `[{"full_html": "Acme | Engineer", "url": "https://news.ycombinator.com/item?id=1"`, 0, "not a JSON array"},
		{"no id", "2015-03", `[{"full_html": "Acme | Engineer", "url": "https://news.ycombinator.com/item?id=1"}, {"full_html": "Beta | Engineer", "url": ""}]`, 1, "comment 2"},
		{"deleted", "2015-03", `[{"full_html": "[deleted]", "url": "https://news.ycombinator.com/item?id=1"}]`, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := HNDumpMonth(strings.NewReader(tt.body), tt.month, "x.json")
			if len(ps) != tt.postings {
				t.Errorf("%d postings, want %d", len(ps), tt.postings)
			}
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "x.json: ") {
				t.Errorf("error %v, want x.json: … %q", err, tt.want)
			}
		})
	}
}

func FuzzHNDumpMonth(f *testing.F) {
	f.Add([]byte(`[{"full_html": "<font color=\"#000000\">Acme - Engineer - NYC - $120k<p>Text</font>", "url": "https://news.ycombinator.com/item?id=1", "user": "u"}]`))
	f.Add([]byte(`[{"full_html": "` + strings.Repeat("<b>", 700) + `x", "url": "?id=2"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ps, _ := HNDumpMonth(bytes.NewReader(body), "2015-03", "f")
		for _, p := range ps {
			if p.ExternalID == "" || p.Thread != "2015-03" || p.Description == "" || p.Origin != "f" {
				t.Fatalf("posting %+v", p)
			}
			if p.Salary != nil && p.Salary.Min == nil && p.Salary.Max == nil {
				t.Fatalf("salary without amount %+v", p.Salary)
			}
		}
	})
}
