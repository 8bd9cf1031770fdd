package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends/parse"
)

// linkedinURL is the canonical URL of the saved LinkedIn guest job page.
const linkedinURL = "https://au.linkedin.com/jobs/view/senior-software-engineer-developer-experience-at-heidi-4411867124"

var linkedinPage = sync.OnceValues(func() ([]byte, error) {
	return readMaybeGzip(os.DirFS("testdata"), "html/linkedin_dinie_heidi_senior-software-engineer_melbourne.html.gz")
})

func linkedin(t testing.TB) Replayed {
	t.Helper()
	body, err := linkedinPage()
	if err != nil {
		t.Fatal(err)
	}
	return Replayed{Body: body}
}

// similarJobs is the worked example of html.go: the "Similar jobs" cards
// of the LinkedIn page.
func similarJobs() *parse.SelectorRules {
	return &parse.SelectorRules{
		Item:     "section.similar-jobs div.base-card",
		Title:    "h3.base-main-card__title",
		Company:  "h4.base-main-card__subtitle",
		Location: "span.main-job-card__location",
		Date:     "time",
		Link:     "a.base-card__full-link",
		Attr:     map[string]string{"date": "datetime"},
		Next:     "a[rel=next]",
	}
}

// withAnchor returns a saved page with an anchor added before </body>.
func withAnchor(t testing.TB, p Replayed, anchor string) Replayed {
	t.Helper()
	body := bytes.Replace(p.Body, []byte("</body>"), []byte(anchor+"</body>"), 1)
	if bytes.Equal(body, p.Body) {
		t.Fatal("page has no </body>")
	}
	return Replayed{Header: p.Header, Body: body}
}

// TestCrawlHTML reads the real LinkedIn page with the worked example's
// selectors: one posting per card of its "Similar jobs" listing (counted
// here from the HTML), the next page followed once and only on the
// source's host, MaxPages obeyed, and a selector that stopped matching a
// failed page, never an empty one.
func TestCrawlHTML(t *testing.T) {
	real := linkedin(t)
	cards := len(regexp.MustCompile(`data-impression-id="similar-jobs-\d+"`).FindAll(real.Body, -1))
	if cards < 5 {
		t.Fatalf("the saved page has %d similar-jobs cards", cards)
	}
	// The page has no next-page anchor; page 1 gets one (the only change)
	// to page 2, the same real page.
	page2 := linkedinURL + "?page=2"
	chained := map[string]Replayed{linkedinURL: withAnchor(t, real, `<a rel="next" href="?page=2">Next</a>`), page2: real}
	offHost := map[string]Replayed{linkedinURL: withAnchor(t, real, `<a rel="next" href="https://www.linkedin.com/jobs/search?start=25">Next</a>`)}
	gone := similarJobs()
	gone.Item = "section.similar-jobs div.job-card-gone"
	cases := []struct {
		name      string
		pages     map[string]Replayed
		rules     *parse.SelectorRules
		maxPages  int
		want      []string // requested once each and handed on, in order
		never     []string
		unvisited int
		failed    string // the start page fails with this
	}{
		{name: "one listing page", pages: map[string]Replayed{linkedinURL: real}, want: []string{linkedinURL}},
		{name: "next page followed once", pages: chained, want: []string{linkedinURL, page2}},
		{name: "next page off the source's hosts not requested", pages: offHost, want: []string{linkedinURL},
			never: []string{"https://www.linkedin.com/jobs/search?start=25"}},
		{name: "MaxPages leaves the next page unvisited", pages: chained, maxPages: 1, want: []string{linkedinURL},
			never: []string{page2}, unvisited: 1},
		{name: "an item selector that matches nothing fails the page", pages: chained, rules: gone, failed: "selector matched nothing",
			never: []string{page2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := counting(NewReplay(tc.pages))
			o := testOptions(t)
			o.Transport = rt
			o.Now = func() time.Time { return time.Date(2026, 8, 13, 0, 0, 0, 0, time.UTC) }
			rules := tc.rules
			if rules == nil {
				rules = similarJobs()
			}
			sink := &memSink{}
			src := Source{Name: "linkedin", Type: "html", StartURLs: []string{linkedinURL}, Selectors: rules, MaxPages: tc.maxPages}
			stats, err := Crawl(context.Background(), src, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range tc.never {
				if n := rt.count(u); n != 0 {
					t.Errorf("%s requested %d times, want never", u, n)
				}
			}
			if tc.failed != "" {
				if stats.PagesFailed != 1 || len(sink.pages) != 0 || len(stats.Errors) != 1 ||
					!errors.Is(stats.Errors[0], parse.ErrNoMatch) || !strings.Contains(stats.Errors[0].Error(), linkedinURL) {
					t.Errorf("stats %+v; want the page failed with %q", stats, tc.failed)
				}
				return
			}
			for _, u := range tc.want {
				if n := rt.count(u); n != 1 {
					t.Errorf("%s requested %d times, want 1", u, n)
				}
			}
			if got := sink.urls(); !slices.Equal(got, tc.want) {
				t.Errorf("pages handed on %v, want %v", got, tc.want)
			}
			if stats.PagesFetched != len(tc.want) || stats.PagesFailed != 0 || stats.Unvisited != tc.unvisited ||
				stats.Complete != (tc.unvisited == 0) || stats.Postings != cards*len(tc.want) {
				t.Errorf("stats %+v, want %d pages of %d postings", stats, len(tc.want), cards)
			}
			for i, res := range sink.results {
				if res.Kind != parse.KindHTML || len(res.Postings) != cards {
					t.Fatalf("page %d: kind %s, %d postings, want %d", i, res.Kind, len(res.Postings), cards)
				}
				p := res.Postings[0]
				if p.Title != "Platform Engineer" || p.Company != "Macquarie Group" || p.Location.Text != "Melbourne, Victoria, Australia" ||
					p.DatePosted.Format("2006-01-02") != "2026-08-06" || p.Source != "linkedin" ||
					!strings.HasPrefix(p.URL, "https://au.linkedin.com/jobs/view/platform-engineer-at-macquarie-group-4449371115") {
					t.Errorf("first card read as %+v", p)
				}
				for _, p := range res.Postings {
					if p.Title == "" || p.Company == "" || p.URL == "" || p.URL == linkedinURL {
						t.Errorf("card read as title %q company %q url %q", p.Title, p.Company, p.URL)
					}
				}
			}
		})
	}
}

// TestCrawlHTMLBadSelector: a selector that does not compile is an error
// naming the source and the selector, before any request (robots.txt
// included).
func TestCrawlHTMLBadSelector(t *testing.T) {
	cases := []struct {
		name  string
		rules func(r *parse.SelectorRules)
		want  string
	}{
		{"title", func(r *parse.SelectorRules) { r.Title = "h3.base-main-card__title[" }, `source linkedin: selectors: selector title "h3.base-main-card__title["`},
		{"next", func(r *parse.SelectorRules) { r.Next = "a[rel=next" }, `source linkedin: selectors: selector next "a[rel=next"`},
		{"attr of an unknown field", func(r *parse.SelectorRules) { r.Attr["salery"] = "data-pay" }, `source linkedin: selectors: attr "salery": not a field`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := counting(NewReplay(map[string]Replayed{linkedinURL: linkedin(t)}))
			o := testOptions(t)
			o.Transport = rt
			rules := similarJobs()
			tc.rules(rules)
			sink := &memSink{}
			src := Source{Name: "linkedin", Type: "html", StartURLs: []string{linkedinURL}, Selectors: rules}
			_, err := Crawl(context.Background(), src, o, sink)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to start %q", err, tc.want)
			}
			if n := len(rt.requests()); n != 0 || len(sink.pages) != 0 {
				t.Errorf("%d requests, %d pages handed on: want none", n, len(sink.pages))
			}
		})
	}
}

// TestCrawlHTMLFollow: item links matching Follow are followed on the
// source's hosts and read for JSON-LD; next pages are followed until one
// links back; robots.txt is obeyed.
func TestCrawlHTMLFollow(t *testing.T) {
	other, otherRec := newServer(t, mux(map[string]string{"/": jobPage("Elsewhere")}, nil))
	listing := func(items []string, next string) string {
		var b strings.Builder
		b.WriteString("<html><body><ul>")
		for _, it := range items {
			title, href, _ := strings.Cut(it, "|")
			fmt.Fprintf(&b, `<li class="job"><a href="%s"><h2>%s</h2></a></li>`, href, title)
		}
		fmt.Fprintf(&b, `</ul><a class="next" href="%s">next</a></body></html>`, next)
		return b.String()
	}
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsText("User-agent: *\nDisallow: /jobs/private\n"),
		"/jobs": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			switch r.URL.Query().Get("page") {
			case "1":
				fmt.Fprint(w, listing([]string{"ML Engineer|/jobs/1", "Data Scientist|jobs/2", "Private|/jobs/private",
					"Elsewhere|" + other.URL + "/jobs/9"}, "/jobs?page=2"))
			case "2":
				fmt.Fprint(w, listing([]string{"Research Engineer|/jobs/3"}, "/jobs?page=1"))
			default:
				http.NotFound(w, r)
			}
		},
		"/jobs/": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, jobPage("Job "+strings.TrimPrefix(r.URL.Path, "/jobs/")))
		},
	}))
	rules := &parse.SelectorRules{Item: "li.job", Title: "h2", Link: "a", Next: "a.next"}
	cases := []struct {
		name     string
		follow   []*regexp.Regexp
		want     []string
		postings int
		blocked  int
	}{
		{name: "item links followed", follow: []*regexp.Regexp{regexp.MustCompile(`/jobs/\w+$`)},
			want: []string{"/jobs?page=1", "/jobs?page=2", "/jobs/1", "/jobs/2", "/jobs/3"}, postings: 4 + 1 + 3, blocked: 1},
		{name: "without Follow only the listing", want: []string{"/jobs?page=1", "/jobs?page=2"}, postings: 4 + 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.all())
			sink := &memSink{}
			src := Source{Name: "careers", Type: "html", StartURLs: []string{srv.URL + "/jobs?page=1"}, Selectors: rules, Follow: tc.follow}
			stats, err := Crawl(context.Background(), src, testOptions(t), sink)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range rec.all()[before:] {
				if h.path != "/robots.txt" {
					got = append(got, h.path)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("requested %v, want %v", got, tc.want)
			}
			if stats.PagesFetched != len(tc.want) || stats.RobotsBlocked != tc.blocked || stats.Postings != tc.postings || stats.PagesFailed != 0 {
				t.Errorf("stats %+v, want %d postings, %d blocked", stats, tc.postings, tc.blocked)
			}
			for i, pg := range sink.pages {
				kind := parse.KindHTML
				if strings.Contains(pg.URL, "/jobs/") {
					kind = parse.KindJSONLD
				}
				if sink.results[i].Kind != kind {
					t.Errorf("%s read as %s, want %s", pg.URL, sink.results[i].Kind, kind)
				}
			}
		})
	}
	if n := len(otherRec.all()); n != 0 {
		t.Errorf("a host not among the start URLs was requested %d times", n)
	}
}
