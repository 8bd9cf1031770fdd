package scraper

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// logRecorder is a slog.Handler keeping every record's level and message,
// shared by the loggers derived from it.
type logRecorder struct {
	mu   *sync.Mutex
	recs *[]slog.Record
}

func newLogRecorder() logRecorder {
	return logRecorder{mu: &sync.Mutex{}, recs: &[]slog.Record{}}
}

func (l logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	*l.recs = append(*l.recs, r.Clone())
	l.mu.Unlock()
	return nil
}
func (l logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l logRecorder) WithGroup(string) slog.Handler      { return l }

// messages returns the messages logged at level.
func (l logRecorder) messages(level slog.Level) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range *l.recs {
		if r.Level == level {
			out = append(out, r.Message)
		}
	}
	return out
}

// listedThread is a "Who is hiring?" thread as the saved submissions page
// shows it, read by the test's own patterns (not package parse).
type listedThread struct {
	url      string
	month    string // YYYY-MM
	comments int    // -1: no count shown
}

var (
	testTitleRe    = regexp.MustCompile(`<a href="item\?id=(\d+)">([^<]*)</a>`)
	testHiringRe   = regexp.MustCompile(`(?i)^\s*Ask HN: Who is hiring\?\s*\(([A-Za-z]+) (\d{4})\)\s*$`)
	testCommentsRe = regexp.MustCompile(`^(\d+) comments$`)
)

// readList returns the hiring threads of a saved submissions page in page
// order and the item URLs of every other story on it.
func readList(t testing.TB, body []byte) (hiring []listedThread, other []string) {
	t.Helper()
	comments := map[string]int{}
	titles := map[string]string{}
	var order []string
	for _, m := range testTitleRe.FindAllStringSubmatch(string(body), -1) {
		id, text := m[1], m[2]
		if c := testCommentsRe.FindStringSubmatch(text); c != nil {
			comments[id], _ = strconv.Atoi(c[1])
			continue
		}
		if text == "comments" || text == "discuss" {
			continue
		}
		if _, ok := titles[id]; !ok {
			titles[id] = text
			order = append(order, id)
		}
	}
	for _, id := range order {
		u := hnItem + id
		m := testHiringRe.FindStringSubmatch(titles[id])
		if m == nil {
			other = append(other, u)
			continue
		}
		month, err := time.Parse("January 2006", m[1]+" "+m[2])
		if err != nil {
			t.Fatalf("title %q: %v", titles[id], err)
		}
		c, ok := comments[id]
		if !ok {
			c = -1
		}
		hiring = append(hiring, listedThread{url: u, month: month.Format("2006-01"), comments: c})
	}
	if len(hiring) < 10 || len(other) < 10 {
		t.Fatalf("the saved list has %d hiring threads and %d other stories", len(hiring), len(other))
	}
	return hiring, other
}

// estimatePages is the test's own reading of the estimate rule: the pages
// of a thread are its comments / 250 rounded up, 3 when not shown.
func estimatePages(ts []listedThread) int {
	n := 0
	for _, t := range ts {
		switch {
		case t.comments < 0:
			n += 3
		case t.comments == 0:
			n++
		default:
			n += (t.comments + 249) / 250
		}
	}
	return n
}

// hnRobots is HN's robots.txt as published (quoted alike by many public
// projects): /submitted? is disallowed for every agent.
const hnRobots = "User-Agent: *\nDisallow: /x?\nDisallow: /r?\nDisallow: /vote?\nDisallow: /reply?\nDisallow: /submitted?\nDisallow: /submitlink?\nDisallow: /threads?\nCrawl-delay: 30\n"

// TestCrawlHNDiscovery discovers threads on the real submissions list
// (March 2013) and crawls the December 2012 thread page of the corpus
// under their real URLs; the other threads' pages are not saved and
// answer 404, which only counts them as failed.
func TestCrawlHNDiscovery(t *testing.T) {
	saved := hnReplay(t)
	list := saved[HNSubmissionsURL]
	hiring, other := readList(t, list.Body)
	const (
		page2 = HNSubmissionsURL + "&next=3537881&n=31"
		page3 = HNSubmissionsURL + "&next=3537881&n=61"
	)
	// The saved list has no "More" link. Here page 1 gets one to page 2,
	// the same list again (as HN serves past the end), which links on to
	// page 3; only the rules may stop the crawl there.
	paged := hnReplay(t)
	paged[HNSubmissionsURL] = withMoreLink(t, list, "submitted?id=whoishiring&amp;next=3537881&amp;n=31")
	paged[page2] = withMoreLink(t, list, "submitted?id=whoishiring&amp;next=3537881&amp;n=61")

	since := func(s string) []listedThread {
		var out []listedThread
		for _, h := range hiring {
			if h.month >= s {
				out = append(out, h)
			}
		}
		slices.SortStableFunc(out, func(a, b listedThread) int { return strings.Compare(b.month, a.month) })
		return out
	}
	urls := func(ts []listedThread) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.url)
		}
		return out
	}
	cases := []struct {
		name     string
		pages    map[string]Replayed
		robots   string
		src      Source
		lists    []string       // list pages requested, in order
		threads  []listedThread // threads requested after the list, in order
		explicit []string       // start URLs crawled after them
		never    []string
		blocked  int
		warn     string // a warning that must be logged
	}{
		{
			name:    "since 2012-12: hiring threads of 2013-03 back to 2012-12, newest first",
			pages:   saved,
			src:     Source{Discover: true, Since: "2012-12"},
			lists:   []string{HNSubmissionsURL},
			threads: since("2012-12"),
			never:   other,
		},
		{
			name:    "since 2013-01: the December 2012 thread is never requested",
			pages:   saved,
			src:     Source{Discover: true, Since: "2013-01"},
			lists:   []string{HNSubmissionsURL},
			threads: since("2013-01"),
			never:   append([]string{hnItem + "4857714"}, other...),
		},
		{
			name:    "no since: every hiring thread of the list",
			pages:   saved,
			src:     Source{StartURLs: []string{HNSubmissionsURL}},
			lists:   []string{HNSubmissionsURL},
			threads: since(""),
			never:   other,
		},
		{
			name:     "a thread given as a start URL is crawled after the discovered ones, since or not",
			pages:    saved,
			src:      Source{Discover: true, Since: "2013-01", StartURLs: []string{hnItem + "4857714"}},
			lists:    []string{HNSubmissionsURL},
			threads:  since("2013-01"),
			explicit: []string{hnItem + "4857714"},
			never:    other,
		},
		{
			name:    "More is followed while a page brings new stories, not past a repeated page",
			pages:   paged,
			src:     Source{Discover: true, Since: "2012-12"},
			lists:   []string{HNSubmissionsURL, page2},
			threads: since("2012-12"),
			never:   append([]string{page3}, other...),
		},
		{
			name:  "More is not followed past a page whose threads are all older than since",
			pages: paged,
			src:   Source{Discover: true, Since: "2013-04"},
			lists: []string{HNSubmissionsURL},
			never: append([]string{page2}, urls(hiring)...),
			warn:  "hn discovery found no thread to crawl",
		},
		{
			name:    "HN's published robots.txt disallows the list: nothing discovered, and said so",
			pages:   saved,
			robots:  hnRobots,
			src:     Source{Discover: true, Since: "2012-12"},
			never:   append([]string{HNSubmissionsURL}, urls(hiring)...),
			blocked: 1,
			warn:    "hn discovery found no thread to crawl",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pages := tc.pages
			if tc.robots != "" {
				pages = make(map[string]Replayed, len(tc.pages)+1)
				for u, p := range tc.pages {
					pages[u] = p
				}
				pages["https://news.ycombinator.com/robots.txt"] = robotsPage(tc.robots)
			}
			rt := counting(NewReplay(pages))
			logs := newLogRecorder()
			o := testOptions(t)
			o.Transport = rt
			o.Logger = slog.New(logs)
			src := tc.src
			src.Name, src.Type, src.MaxPages = "hn", "hn", 50
			sink := &memSink{}
			stats, err := Crawl(context.Background(), src, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			want := append(append(append([]string{}, tc.lists...), urls(tc.threads)...), tc.explicit...)
			var got []string
			for _, u := range rt.requests() {
				if !strings.HasSuffix(u, "/robots.txt") {
					got = append(got, u)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("requested\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, u := range tc.never {
				if n := rt.count(u); n != 0 {
					t.Errorf("%s requested %d times, want never", u, n)
				}
			}
			// Of the threads only December 2012 is saved; the others 404.
			saved := 0
			for _, u := range want[len(tc.lists):] {
				if _, ok := pages[u]; ok {
					saved++
				}
			}
			if stats.PagesFetched != len(tc.lists)+saved || stats.PagesFailed != len(want)-len(tc.lists)-saved || stats.RobotsBlocked != tc.blocked {
				t.Errorf("stats %+v", stats)
			}
			if saved > 0 && stats.Postings < 50 {
				t.Errorf("%d postings from the December 2012 thread", stats.Postings)
			}
			infos := logs.messages(slog.LevelInfo)
			if n := len(tc.threads) + len(tc.explicit); n > 0 {
				bound := " (no since bound)"
				if tc.src.Since != "" {
					bound = " since " + tc.src.Since
				}
				line := fmt.Sprintf("hn backfill: %d threads%s, ≈%d pages at 1ms spacing ≈ ", n, bound,
					estimatePages(tc.threads)+3*len(tc.explicit)) // every case has several
				if len(infos) != 1 || !strings.HasPrefix(infos[0], line) {
					t.Errorf("info lines %q, want one starting %q", infos, line)
				}
			} else if len(infos) != 0 {
				t.Errorf("info lines %q, want none", infos)
			}
			warns := strings.Join(logs.messages(slog.LevelWarn), "\n")
			if tc.warn != "" && !strings.Contains(warns, tc.warn) {
				t.Errorf("warnings %q, want %q", warns, tc.warn)
			}
			if tc.warn == "" && warns != "" {
				t.Errorf("unexpected warnings %q", warns)
			}
		})
	}
}

// TestCrawlHNDiscoveryCrawlDelay: a Crawl-delay in the replayed robots.txt
// spaces every request to the host, list and threads, and is the spacing
// the backfill estimate uses. The negative control, without it, must show
// shorter gaps, so that the test can fail.
func TestCrawlHNDiscoveryCrawlDelay(t *testing.T) {
	const cd = 200 * time.Millisecond
	cases := []struct {
		name    string
		robots  string
		spacing string
		spaced  bool
	}{
		{"Crawl-delay 0.2 s honoured", "User-agent: *\nDisallow: /x?\nCrawl-delay: 0.2\n", "200ms", true},
		{"negative control: no Crawl-delay", "User-agent: *\nDisallow: /x?\n", "1ms", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pages := hnReplay(t)
			pages["https://news.ycombinator.com/robots.txt"] = robotsPage(tc.robots)
			rt := counting(NewReplay(pages))
			logs := newLogRecorder()
			o := testOptions(t)
			o.Transport = rt
			o.Logger = slog.New(logs)
			src := Source{Name: "hn", Type: "hn", Discover: true, Since: "2013-01"}
			if _, err := Crawl(context.Background(), src, o, &memSink{}); err != nil {
				t.Fatal(err)
			}
			if n := len(rt.requests()); n != 5 {
				t.Fatalf("%d requests (robots.txt, the list, 3 threads), want 5: %v", n, rt.requests())
			}
			gap := minGap(rt.gaps())
			if tc.spaced && gap < cd {
				t.Errorf("smallest gap %v, want at least the Crawl-delay %v", gap, cd)
			}
			if !tc.spaced && gap >= cd {
				t.Errorf("smallest gap %v without a Crawl-delay: the test could not tell", gap)
			}
			infos := logs.messages(slog.LevelInfo)
			if len(infos) != 1 || !strings.Contains(infos[0], " pages at "+tc.spacing+" spacing ≈ ") {
				t.Errorf("info lines %q, want the estimate at %s spacing", infos, tc.spacing)
			}
		})
	}
}

// TestBackfillLine: the estimate's arithmetic and wording, HN's own
// Crawl-delay of 30 s included (a crawl test at that spacing would take
// minutes).
func TestBackfillLine(t *testing.T) {
	cases := []struct {
		name    string
		threads int
		since   string
		pages   int
		spacing time.Duration
		want    string
	}{
		{"HN backfill at its Crawl-delay", 84, "2019-06", 252, 30 * time.Second, "hn backfill: 84 threads since 2019-06, ≈252 pages at 30s spacing ≈ 2h06m"},
		{"no bound, minutes", 4, "", 11, 20 * time.Second, "hn backfill: 4 threads (no since bound), ≈11 pages at 20s spacing ≈ 3m40s"},
		{"seconds", 4, "2012-12", 11, 200 * time.Millisecond, "hn backfill: 4 threads since 2012-12, ≈11 pages at 200ms spacing ≈ 2.2s"},
		{"milliseconds", 1, "2024-01", 2, time.Millisecond, "hn backfill: 1 thread since 2024-01, ≈2 pages at 1ms spacing ≈ 2ms"},
		{"rounding up to the hour", 1, "", 1, time.Hour - 10*time.Second, "hn backfill: 1 thread (no since bound), ≈1 page at 59m50s spacing ≈ 1h00m"},
		{"no spacing", 2, "", 6, 0, "hn backfill: 2 threads (no since bound), ≈6 pages at 0s spacing ≈ 0s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := backfillLine(tc.threads, tc.since, tc.pages, tc.spacing); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestCrawlHNDiscoveryBudget: a backfill larger than MaxPages is said to
// be cut before it starts; threads over the budget, and threads held back
// when the run's budget stops the crawl inside the list, are counted as
// unvisited.
func TestCrawlHNDiscoveryBudget(t *testing.T) {
	paged := hnReplay(t)
	paged[HNSubmissionsURL] = withMoreLink(t, paged[HNSubmissionsURL], "submitted?id=whoishiring&amp;next=3537881&amp;n=31")
	cases := []struct {
		name        string
		pages       map[string]Replayed
		maxPages    int
		maxRunPages int
		requests    int // robots.txt included
		unvisited   int
		warn        string
	}{
		{name: "MaxPages 3: the list and 2 of 4 threads", pages: hnReplay(t), maxPages: 3, requests: 4, unvisited: 2,
			warn: "max_pages may stop the backfill before its end"},
		{name: "run budget of 1 page: list page 2 and the 4 threads held", pages: paged, maxRunPages: 1, requests: 2, unvisited: 1 + 4,
			warn: "crawl stopped: run limit of 1 pages reached"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := counting(NewReplay(tc.pages))
			logs := newLogRecorder()
			o := testOptions(t)
			o.Transport = rt
			o.Logger = slog.New(logs)
			o.MaxRunPages = tc.maxRunPages
			src := Source{Name: "hn", Type: "hn", Discover: true, Since: "2012-12", MaxPages: tc.maxPages}
			stats, err := Crawl(context.Background(), src, o, &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(rt.requests()); got != tc.requests {
				t.Errorf("%d requests, want %d: %v", got, tc.requests, rt.requests())
			}
			if stats.Unvisited != tc.unvisited || stats.Complete {
				t.Errorf("stats %+v, want %d unvisited", stats, tc.unvisited)
			}
			warns := strings.Join(logs.messages(slog.LevelWarn), "\n")
			if !strings.Contains(warns, tc.warn) {
				t.Errorf("warnings %q, want %q", warns, tc.warn)
			}
		})
	}
}
