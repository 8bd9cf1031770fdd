package parse

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends"
)

// hnEra is one saved "Who is hiring?" page per markup generation.
type hnEra struct {
	dir  string // testdata/hn/<dir>: YYYY-MM_<thread id>
	page string // p1 …
	// Coverage floors (share of postings with the field): measured on the
	// page, less 3 points (title, location, remote) or about 40% (salary,
	// which is ParseSalary's and changes with it); see TestHNEras.
	company, title, location, remote, salary float64
}

var hnEras = []hnEra{
	{"2012-12_4857714", "p1", 1, 0.65, 0.78, 0.20, 0.02},
	{"2018-05_16967543", "p1", 1, 0.83, 0.90, 0.88, 0.12},
	{"2018-08_17663077", "p1", 1, 0.84, 0.92, 0.86, 0.08},
	{"2019-06_20083795", "p1", 1, 0.88, 0.92, 0.91, 0.06},
	{"2021-02_25989764", "p1", 1, 0.87, 0.90, 0.89, 0.05},
	{"2021-09_28380661", "p1", 1, 0.84, 0.90, 0.90, 0.05},
	{"2022-10_33068421", "p1", 1, 0.81, 0.88, 0.89, 0.06},
	{"2024-03_39562986", "p1", 1, 0.82, 0.91, 0.91, 0.08},
	{"2026-01_46466074", "p1", 1, 0.82, 0.85, 0.85, 0.15},
}

func (e hnEra) path() string { return filepath.Join("testdata", "hn", e.dir, e.page+".html.gz") }
func (e hnEra) url() string {
	id := strings.SplitN(e.dir, "_", 2)[1]
	n, _ := strconv.Atoi(strings.TrimPrefix(e.page, "p"))
	if n <= 1 {
		return "https://news.ycombinator.com/item?id=" + id
	}
	return fmt.Sprintf("https://news.ycombinator.com/item?id=%s&p=%d", id, n)
}

// The test counts comments on the raw HTML, without goquery: every
// comment row opens with a spacer image whose width is 40 × the nesting
// (all generations); its text runs from the element of class "comment"
// (div.comment, span.comment in 2012) to the reply block; a comment has
// text when, tags removed, something other than "[deleted]", "[dead]" or
// "[flagged]" is left.
var (
	hnRowRe       = regexp.MustCompile(`<tr[^>]*>\s*<td>\s*<table border=["']?0["']?>\s*<tr>\s*<td[^>]*>\s*<img src="[^"]*s\.gif"\s+height=["']?1["']?\s+width=["']?(\d+)`)
	hnRowIDRe     = regexp.MustCompile(`item\?id=(\d+)`)
	hnIndentRe    = regexp.MustCompile(`indent=["']?(\d+)`)
	hnBodyStartRe = regexp.MustCompile(`class=["']?comment[^"'>]*["']?>`)
	hnBodyEndRe   = regexp.MustCompile(`<div class=["']?reply|<p><font size=1><font color=#f6f6ef>|</td>`)
	hnTagRe       = regexp.MustCompile(`<[^>]*>`)
)

// countHNRows returns the ids of the top-level comment rows of a raw page
// and how many of them have text.
func countHNRows(tb testing.TB, page []byte) (top []string, withText int) {
	tb.Helper()
	s := string(page)
	rows := hnRowRe.FindAllStringSubmatchIndex(s, -1)
	for i, m := range rows {
		end := len(s)
		if i+1 < len(rows) {
			end = rows[i+1][0]
		}
		chunk := s[m[0]:end]
		if !strings.Contains(chunk, "comhead") {
			continue // the "More" link row has the same spacer
		}
		width, _ := strconv.Atoi(s[m[2]:m[3]])
		if im := hnIndentRe.FindStringSubmatch(chunk[:min(len(chunk), 400)]); im != nil {
			if n, _ := strconv.Atoi(im[1]); n*40 != width {
				tb.Errorf("row %d: indent=%d but spacer width %d", i, n, width)
			}
		}
		if width != 0 {
			continue
		}
		id := hnRowIDRe.FindStringSubmatch(chunk)
		if id == nil {
			tb.Fatalf("top-level row %d has no item id", i)
		}
		top = append(top, id[1])
		start := hnBodyStartRe.FindStringIndex(chunk)
		if start == nil {
			continue
		}
		body := chunk[start[1]:]
		if e := hnBodyEndRe.FindStringIndex(body); e != nil {
			body = body[:e[0]]
		}
		switch strings.TrimSpace(hnTagRe.ReplaceAllString(body, "")) {
		case "", "[deleted]", "[dead]", "[flagged]":
		default:
			withText++
		}
	}
	return top, withText
}

// hnCoverage is the share of postings with each field.
type hnCoverage struct{ company, title, location, remote, salary float64 }

func measureHN(ps []jobtrends.Posting) hnCoverage {
	var c hnCoverage
	if len(ps) == 0 {
		return c
	}
	for _, p := range ps {
		if p.Company != "" {
			c.company++
		}
		if p.Title != "" {
			c.title++
		}
		if p.Location.Text != "" {
			c.location++
		}
		if p.Remote != jobtrends.RemoteUnknown {
			c.remote++
		}
		if p.Salary != nil {
			c.salary++
		}
	}
	n := float64(len(ps))
	return hnCoverage{c.company / n, c.title / n, c.location / n, c.remote / n, c.salary / n}
}

// hnParsed caches the parse of each test page (without fetch time), which
// several tests read: the parser is slow under -race.
var hnParsed sync.Map // path → *hnParse

type hnParse struct {
	once sync.Once
	res  *Result
	page []byte
	err  error
}

func parseHNFile(tb testing.TB, path, url string, fetched time.Time) (*Result, []byte) {
	tb.Helper()
	if !fetched.IsZero() {
		page := readPage(tb, path)
		res, err := Extract(url, page, fetched)
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		return res, page
	}
	v, _ := hnParsed.LoadOrStore(path+" "+url, &hnParse{})
	c := v.(*hnParse)
	c.once.Do(func() {
		c.page = readPage(tb, path)
		c.res, c.err = Extract(url, c.page, time.Time{})
	})
	if c.err != nil {
		tb.Fatalf("%s: %v", path, c.err)
	}
	return c.res, c.page
}

// TestHNEras parses one page of every markup generation and checks the
// postings against an independent count of the page's top-level comments,
// the fields every posting must have, and the coverage of the others.
func TestHNEras(t *testing.T) {
	for _, e := range hnEras {
		t.Run(e.dir, func(t *testing.T) {
			res, page := parseHNFile(t, e.path(), e.url(), time.Time{})
			top, withText := countHNRows(t, page)
			if len(top) == 0 {
				t.Fatal("the independent count found no comment")
			}
			if len(res.Postings) != withText {
				t.Errorf("%d postings, want %d (top-level comments with text, of %d)", len(res.Postings), withText, len(top))
			}
			if strings.Join(res.ItemIDs, ",") != strings.Join(top, ",") {
				t.Errorf("ItemIDs (%d) differ from the top-level comment ids (%d)", len(res.ItemIDs), len(top))
			}
			month := e.dir[:7]
			for _, p := range res.Postings {
				if p.SourceType != SourceTypeHN || p.ExternalID == "" || p.Company == "" || p.Description == "" || p.DatePosted.IsZero() {
					t.Errorf("posting %s lacks a required field: type %q company %q date %v text %d bytes", p.ExternalID, p.SourceType, p.Company, p.DatePosted, len(p.Description))
				}
				if p.URL != "https://news.ycombinator.com/item?id="+p.ExternalID {
					t.Errorf("posting %s: URL %q", p.ExternalID, p.URL)
				}
				if p.Thread != month {
					t.Errorf("posting %s: Thread %q, want %q", p.ExternalID, p.Thread, month)
				}
				if p.DatePosted.Format("2006-01") < month {
					t.Errorf("posting %s dated %v, before its thread's month", p.ExternalID, p.DatePosted)
				}
				if strings.ContainsAny(p.Description, "<>") && strings.Contains(p.Description, "</") {
					t.Errorf("posting %s: markup in the description", p.ExternalID)
				}
				if p.Salary != nil && p.Salary.Provenance != jobtrends.ProvenanceText && p.Salary.Provenance != jobtrends.ProvenanceEstimate {
					t.Errorf("posting %s: salary provenance %q", p.ExternalID, p.Salary.Provenance)
				}
			}
			c := measureHN(res.Postings)
			t.Logf("%s: %d postings; company %.0f%% title %.0f%% location %.0f%% remote %.0f%% salary %.0f%%",
				e.dir, len(res.Postings), 100*c.company, 100*c.title, 100*c.location, 100*c.remote, 100*c.salary)
			floors := []struct {
				name      string
				got, want float64
			}{
				{"company", c.company, e.company}, {"title", c.title, e.title}, {"location", c.location, e.location},
				{"remote", c.remote, e.remote}, {"salary", c.salary, e.salary},
			}
			for _, f := range floors {
				if f.got < f.want {
					t.Errorf("%s coverage %.3f, below the floor %.2f", f.name, f.got, f.want)
				}
			}
		})
	}
}

// TestHNGolden compares the postings of one page per era with golden
// files (the first 60 postings, descriptions cut at 160 characters).
func TestHNGolden(t *testing.T) {
	// The pages were saved at times not recorded: no fetch time, so ages
	// such as "32 days ago" resolve to the thread's month.
	for _, e := range hnEras {
		t.Run(e.dir, func(t *testing.T) {
			res, _ := parseHNFile(t, e.path(), e.url(), time.Time{})
			compareGolden(t, "hn_"+e.dir+"_"+e.page, goldenLines(t, res, 60, 160, false))
		})
	}
}

func TestHNPagination(t *testing.T) {
	tests := []struct {
		name, path, url string
		next            string
		postings        int
	}{
		{"first page links the second", "testdata/hn/2024-03_39562986/p1.html.gz", "https://news.ycombinator.com/item?id=39562986",
			"https://news.ycombinator.com/item?id=39562986&p=2", -1},
		{"2018 first page", "testdata/hn/2018-05_16967543/p1.html.gz", "https://news.ycombinator.com/item?id=16967543",
			"https://news.ycombinator.com/item?id=16967543&p=2", -1},
		{"last page has no next", "testdata/hn/2018-05_16967543/p4.html.gz", "https://news.ycombinator.com/item?id=16967543&p=4", "", 3},
		{"past the end: the story without comments", "testdata/hn/2024-03_39562986/p3.html.gz", "https://news.ycombinator.com/item?id=39562986&p=3", "", 0},
		{"whole thread on one page", "testdata/hn/2026-01_46466074/p1.html.gz", "https://news.ycombinator.com/item?id=46466074", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := parseHNFile(t, tt.path, tt.url, time.Time{})
			if res.Next != tt.next {
				t.Errorf("Next = %q, want %q", res.Next, tt.next)
			}
			if tt.postings >= 0 && len(res.Postings) != tt.postings {
				t.Errorf("%d postings, want %d", len(res.Postings), tt.postings)
			}
		})
	}
}

func TestHNDates(t *testing.T) {
	fetched := time.Date(2018, 6, 3, 12, 0, 0, 0, time.UTC)
	start := time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		c          hnComment
		fetched    time.Time
		storyAge   time.Duration // -1: the page shows none
		want       time.Time
		wantApprox bool
	}{
		{"title date-time", hnComment{ageTitle: "2024-03-01T17:00:12"}, fetched, -1, time.Date(2024, 3, 1, 17, 0, 12, 0, time.UTC), false},
		{"title with epoch", hnComment{ageTitle: "2026-01-02T16:00:42 1767369642"}, fetched, -1, time.Date(2026, 1, 2, 16, 0, 42, 0, time.UTC), false},
		{"relative days", hnComment{ageText: "32 days ago"}, fetched, -1, fetched.AddDate(0, 0, -32), true},
		{"relative hours", hnComment{ageText: "5 hours ago"}, fetched, -1, fetched.Add(-5 * time.Hour), true},
		{"relative before the thread: its start", hnComment{ageText: "89 days ago"}, fetched, -1, start, true},
		{"relative without fetch time: thread month", hnComment{ageText: "32 days ago"}, time.Time{}, -1, start, true},
		{"nothing: thread month", hnComment{}, fetched, -1, start, true},
		// A page saved years later (or replayed) still dates its comments
		// by their distance from the story: 17 − 4 days after the start.
		{"relative to the story's age", hnComment{ageText: "4 days ago"}, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), 17 * 24 * time.Hour, start.AddDate(0, 0, 13), true},
		{"relative to the story, no fetch time", hnComment{ageText: "17 days ago"}, time.Time{}, 17 * 24 * time.Hour, start, true},
		{"fetch time far after the thread: its start", hnComment{ageText: "4 days ago"}, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), -1, start, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, approx := hnDate(tt.c, tt.fetched, start, tt.storyAge)
			if !got.Equal(tt.want) || approx != tt.wantApprox {
				t.Errorf("hnDate = %v, %v; want %v, %v", got, approx, tt.want, tt.wantApprox)
			}
		})
	}
}

// TestHNHeader checks the header convention on header lines of real
// comments (from the thread pages in testdata).
func TestHNHeader(t *testing.T) {
	tests := []struct {
		name, text string
		company    string
		roles      []string
		city       string
		country    string
		remote     jobtrends.Remote
		employment string
		salary     bool
	}{
		{"pipes, roles with slashes, salary", "Privacy.com | Web lead / Full stack JS Engineer / Senior Frontend Engineer | FULL-TIME | New York, NY | ONSITE | $100k - $140k (USD), 0.1 - 1% equity\n\nCome help us",
			"Privacy.com", []string{"Web lead", "Full stack JS Engineer", "Senior Frontend Engineer"}, "New York", "US", jobtrends.RemoteOnsite, "FULL_TIME", true},
		{"URL in the company, location first", "Render (https://render.com) | San Francisco, CA | Software Engineers | Full-time | Visa | Onsite\nWhen deploying applications",
			"Render", []string{"Software Engineers"}, "San Francisco", "US", jobtrends.RemoteOnsite, "FULL_TIME", false},
		{"remote with place", "City Innovate | https://cityinnovate.com | Sr Tech Lead | REMOTE (USA only) | Full Time | $165-$215K\n\nI'm the CEO",
			"City Innovate", []string{"Sr Tech Lead"}, "", "US", jobtrends.RemoteFull, "FULL_TIME", true},
		{"separator I", "Flowrite I Helsinki, Finland or Remote I Full-time I https://www.flowrite.com/\n\nFlowrite's early team is looking for a Backend Engineer",
			"Flowrite", []string{"Backend Engineer"}, "Helsinki", "FI", jobtrends.RemoteFull, "FULL_TIME", false},
		{"slashes as separators", "Healthily / London, UK / Full time, perm roles, remote OK / https://www.livehealthily.com/\n\nHealthily is a self care app",
			"Healthily", nil, "London", "GB", jobtrends.RemoteFull, "FULL_TIME", false},
		{"hybrid", "Stell | Compliance and Cybersecurity Manager | $150-200k + equity + benefits | Full-Time | Hybrid in Los Angeles or San Francisco\n\nx",
			"Stell", []string{"Compliance and Cybersecurity Manager"}, "Los Angeles", "US", jobtrends.RemoteHybrid, "FULL_TIME", true},
		{"2012 prose: location first", "San Francisco, CA. Full time. Remote is fine too.\n\nAcademia.edu is a social platform for academics to share research papers.",
			"Academia.edu", nil, "San Francisco", "US", jobtrends.RemoteFull, "FULL_TIME", false},
		{"2012 prose: name and URL", "Administrate (http://www.getadministrate.com/) in Edinburgh, Scotland.\n\nWe're looking for 2 full time developers.  Remote work is OK",
			"Administrate", nil, "Edinburgh", "GB", jobtrends.RemoteFull, "", false},
		{"dash in the first segment", "Trellis -- AI/ML Engineer | Remote | trellis.law\n\nWe are looking",
			"Trellis", []string{"AI/ML Engineer"}, "", "", jobtrends.RemoteFull, "", false},
		{"bare domain name", "Kindly.ai | Backend Developer | ONSITE | Oslo, Norway | Full-time\n\nKeywords",
			"Kindly.ai", []string{"Backend Developer"}, "Oslo", "NO", jobtrends.RemoteOnsite, "FULL_TIME", false},
		{"contract in a role name is no contract", "Jito Labs | Sr. Smart Contract Engineer | Remote (US) | Full-time | www.jito.wtf | $150-$200k approx |",
			"Jito Labs", []string{"Sr. Smart Contract Engineer"}, "", "US", jobtrends.RemoteFull, "FULL_TIME", true},
		{"not a remote word", "Crusoe | Onsite/Hybrid – San Francisco | Climate Tech, Cloud Compute, Distributed Systems\n\nx",
			"Crusoe", nil, "San Francisco", "US", jobtrends.RemoteHybrid, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := parseHNHeader(tt.text)
			if h.company != tt.company {
				t.Errorf("company %q, want %q", h.company, tt.company)
			}
			if tt.roles != nil && strings.Join(h.roles, "; ") != strings.Join(tt.roles, "; ") {
				t.Errorf("roles %q, want %q", h.roles, tt.roles)
			}
			if len(h.roles) > 0 && h.title != h.roles[0] {
				t.Errorf("title %q is not the first role %q", h.title, h.roles[0])
			}
			if h.location.City != tt.city || h.location.Country != tt.country {
				t.Errorf("location %+v, want city %q country %q", h.location, tt.city, tt.country)
			}
			if h.remote != tt.remote {
				t.Errorf("remote %q, want %q", h.remote, tt.remote)
			}
			if h.employment != tt.employment {
				t.Errorf("employment %q, want %q", h.employment, tt.employment)
			}
			if (h.salary != nil) != tt.salary {
				t.Errorf("salary %+v, want one: %v", h.salary, tt.salary)
			}
		})
	}
}

func TestHNMarkupChanged(t *testing.T) {
	// Comment rows whose nesting can no longer be read are an error, not
	// a page of replies or of postings.
	page := `<table><tr class="athing comtr" id="1"><td><table><tr><td class="default"><span class="comhead"><a href="item?id=1">x</a></span><div class="comment"><div class="commtext">Acme | Engineer</div></div></td></tr></table></td></tr></table>`
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	_, err = HNThread(doc, "https://news.ycombinator.com/item?id=1", time.Time{})
	if err == nil || !strings.Contains(err.Error(), "indent") {
		t.Errorf("err = %v, want a ParseError about the indent", err)
	}
}

func BenchmarkHNThread(b *testing.B) {
	e := hnEras[len(hnEras)-1]
	page := readPage(b, e.path())
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := HNThread(doc, e.url(), time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzHNThread(f *testing.F) {
	f.Add([]byte(readPage(f, "testdata/hn/2018-05_16967543/p4.html.gz")))
	f.Add([]byte(`<tr class='athing comtr' id='9'><td><table><tr><td class='ind'indent='0'><img src="s.gif" width="0"></td><td class="default"><span class="comhead"><span class="age" title="2024-03-01T17:00:12 1709312412"><a href="item?id=9">x</a></span></span><div class="comment"><div class="commtext c00">Acme | ML Engineer | Remote (EU) | $100k<p>text</div></div></td></tr></table></td></tr>`))
	f.Add([]byte(`<td class="default"><span class="comhead"><a href="item?id=1">1</a></span><span class="comment">[deleted]</span></td>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
		if err != nil {
			return
		}
		res, err := HNThread(doc, "https://news.ycombinator.com/item?id=1", time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC))
		if res == nil {
			t.Fatalf("nil result (err %v)", err)
		}
		for _, p := range res.Postings {
			if p.ExternalID == "" || p.Company == "" || p.Description == "" {
				t.Errorf("posting without id, company or text: %+v", p)
			}
		}
	})
}
