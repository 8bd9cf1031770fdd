package scraper

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends/parse"
)

// HNSubmissionsURL is the list of the whoishiring account's submissions:
// the monthly "Who is hiring?", "Who wants to be hired?" and "Freelancer?"
// threads, newest first, 30 a page, paginated by a "More" link. An hn
// source with Discover set starts there.
//
// HN's robots.txt, in every published copy we found, disallows
// "/submitted?" for every agent (and asks for a Crawl-delay of 30 s).
// jobtrends obeys it: a live discovery is then blocked (counted in
// Stats.RobotsBlocked, with a warning) and the threads must be given as
// start URLs. Discovery works wherever the list may be read (saved pages,
// a replay, a site that allows it).
const HNSubmissionsURL = "https://news.ycombinator.com/submitted?id=whoishiring"

const (
	// hnCommentsPerPage is about how many comments (replies included) HN
	// shows a page of a thread: 250 on the 2019-2022 pages of the corpus;
	// later threads are often one page, so this errs long.
	hnCommentsPerPage = 250
	// hnPagesGuess is the pages of a thread whose comment count the list
	// does not show (old lists; threads given as start URLs).
	hnPagesGuess = 3
)

// hnSource crawls Hacker News "Ask HN: Who is hiring?" threads.
//
// Thread pages: a start URL is a thread item URL
// (https://news.ycombinator.com/item?id=N). Every page is read by
// parse.HNThread; the crawl follows the page's a.morelink (Result.Next)
// only while the page brought at least one comment id not seen before:
// past the end HN repeats the last page under a new page number or shows
// the story with no comments, and neither may be followed further. A
// thread's pages are crawled in a row (depth first). No page is fetched
// twice.
//
// Discovery (Source.Discover, or a start URL that is a submitted?id= list
// such as HNSubmissionsURL): the list is read first by parse.HNSubmissions,
// which keeps only the "Who is hiring?" threads; a thread of a month
// before Source.Since is dropped, and the list's "More" link is followed
// while a page brings a story not seen before and not all of its threads
// are older than Since. Then, before any thread is requested, one Info
// line says how many threads and about how long they take at the host's
// spacing (max(Delay, robots.txt Crawl-delay)), and the threads are
// crawled newest first, those given as start URLs after them.
var hnSource = sourceType{
	fields:     []string{"since", "discover"},
	depthFirst: true,
	starts: func(s Source) ([]target, error) {
		out := make([]target, 0, len(s.StartURLs)+1)
		listed := false
		for _, raw := range s.StartURLs {
			t := target{url: strings.TrimSpace(raw), role: roleStart}
			if isHNList(t.url) {
				t.role, listed = roleListing, true
			}
			out = append(out, t)
		}
		if s.Discover && !listed {
			out = append([]target{{url: HNSubmissionsURL, role: roleListing}}, out...)
		}
		return out, nil
	},
	check: func(s Source) error {
		if s.Since == "" {
			return nil
		}
		if _, err := time.Parse("2006-01", s.Since); err != nil || len(s.Since) != len("2006-01") {
			return fmt.Errorf("source %s: since %q is not a month (YYYY-MM)", s.Name, s.Since)
		}
		discovers := s.Discover
		for _, u := range s.StartURLs {
			discovers = discovers || isHNList(strings.TrimSpace(u))
		}
		if !discovers {
			return fmt.Errorf("source %s: since bounds thread discovery: set discover (or start from %s)", s.Name, HNSubmissionsURL)
		}
		return nil
	},
	begin: func(cs *crawlState, starts []target) []target {
		var lists, threads []target
		for _, t := range starts {
			if t.role == roleListing {
				lists = append(lists, t)
			} else {
				threads = append(threads, t)
			}
		}
		if len(lists) == 0 {
			return starts
		}
		cs.hn = &hnState{since: cs.src.Since, held: map[string]bool{}}
		for _, t := range threads {
			cs.hn.hold(hnThread{url: t.url, comments: -1})
		}
		return lists
	},
	extract: func(_ *crawlState, p *fetchedPage) (*parse.Result, error) {
		if p.role == roleListing {
			return parse.HNSubmissions(p.doc, p.url)
		}
		return parse.HNThread(p.doc, p.url, p.fetched)
	},
	next: func(cs *crawlState, p *fetchedPage, res *parse.Result) []target {
		if p.role == roleListing {
			return cs.hn.list(cs, p, res)
		}
		fresh := cs.newItems(res.ItemIDs)
		switch {
		case res.Next == "":
			return nil
		case fresh == 0:
			cs.log.Debug("thread ends: page brought no new comment", "url", p.url, "items", len(res.ItemIDs))
			return nil
		}
		return []target{{url: res.Next, role: roleNext}}
	},
	idle: func(cs *crawlState) []target {
		if cs.hn == nil || cs.hn.released {
			return nil
		}
		return cs.hn.release(cs)
	},
}

// isHNList reports whether a URL is a user's submissions list
// (/submitted?id=…).
func isHNList(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.TrimSuffix(u.Path, "/") == "/submitted" && u.Query().Get("id") != ""
}

// hnThread is a thread discovery found (or a start URL held back until
// discovery ends).
type hnThread struct {
	url      string
	month    string // "YYYY-MM"; "" when unknown (a start URL)
	comments int    // as the list shows it; -1 when unknown
}

// pages estimates how many pages the thread has.
func (t hnThread) pages() int {
	switch {
	case t.comments < 0:
		return hnPagesGuess
	case t.comments == 0:
		return 1
	}
	return (t.comments + hnCommentsPerPage - 1) / hnCommentsPerPage
}

// hnState is the thread discovery of one hn source's crawl.
type hnState struct {
	since    string          // "YYYY-MM" or ""
	threads  []hnThread      // found, in list order
	held     map[string]bool // canonical URLs in threads
	released bool            // the threads were queued
}

// unreleased returns how many threads discovery holds that were never
// queued (the crawl stopped before the list was read to its end).
func (h *hnState) unreleased() int {
	if h == nil || h.released {
		return 0
	}
	return len(h.threads)
}

// hold keeps a thread for the crawl after discovery, once.
func (h *hnState) hold(t hnThread) {
	key, ok := canonicalURL(nil, t.url)
	if !ok || h.held[key] {
		return
	}
	h.held[key] = true
	h.threads = append(h.threads, t)
}

// list takes the threads of one page of the submissions list and returns
// the list's next page when it is worth reading.
func (h *hnState) list(cs *crawlState, p *fetchedPage, res *parse.Result) []target {
	fresh := cs.newItems(res.ItemIDs)
	info := hnListInfo(p.doc, p.url)
	older := 0
	for _, l := range res.Links {
		t := hnThread{url: l, comments: -1}
		if i, ok := info[hnItemID(l)]; ok {
			t.month, t.comments = i.month, i.comments
		}
		if h.since != "" && t.month != "" && t.month < h.since {
			older++
			continue
		}
		h.hold(t)
	}
	cs.log.Debug("submissions page", "url", p.url, "stories", len(res.ItemIDs), "threads", len(res.Links), "older_than_since", older)
	switch {
	case res.Next == "":
		cs.log.Debug("submissions list ends: no More link", "url", p.url)
	case fresh == 0:
		cs.log.Debug("submissions list ends: page brought no new story", "url", p.url)
	case len(res.Links) > 0 && older == len(res.Links):
		cs.log.Debug("submissions list read back to since", "url", p.url, "since", h.since)
	default:
		return []target{{url: res.Next, role: roleListing}}
	}
	return nil
}

// release ends discovery: it logs the backfill estimate and returns the
// threads, newest first.
func (h *hnState) release(cs *crawlState) []target {
	h.released = true
	if len(h.threads) == 0 {
		cs.log.Warn("hn discovery found no thread to crawl (the list blocked by robots.txt, failed, or nothing since the bound); give thread URLs as start URLs",
			"since", h.since, "list", cs.src.StartURLs)
		return nil
	}
	// Newest month first; threads without a month (start URLs) after
	// them, in the order given.
	slices.SortStableFunc(h.threads, func(a, b hnThread) int { return strings.Compare(b.month, a.month) })
	pages := 0
	out := make([]target, 0, len(h.threads))
	for _, t := range h.threads {
		pages += t.pages()
		out = append(out, target{url: t.url, role: roleStart})
	}
	spacing := cs.c.hostSpacing(h.threads[0].url)
	cs.log.Info(backfillLine(len(h.threads), h.since, pages, spacing),
		"threads", len(h.threads), "since", h.since, "pages", pages, "spacing", spacing.String(),
		"estimate", (time.Duration(pages) * spacing).String())
	if left := cs.max - cs.added; pages > left {
		cs.log.Warn("max_pages may stop the backfill before its end", "max_pages", cs.max, "pages_left", left, "pages_estimated", pages)
	}
	return out
}

// backfillLine is the line announcing a backfill: "hn backfill: 84
// threads since 2019-06, ≈252 pages at 30s spacing ≈ 2h06m".
func backfillLine(threads int, since string, pages int, spacing time.Duration) string {
	bound := " (no since bound)"
	if since != "" {
		bound = " since " + since
	}
	return fmt.Sprintf("hn backfill: %s%s, ≈%s at %v spacing ≈ %s",
		plural(threads, "thread"), bound, plural(pages, "page"), spacing, approxDuration(time.Duration(pages)*spacing))
}

// plural is "1 thread", "2 threads".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// approxDuration writes a duration the way a person estimates one:
// "2h06m", "4m10s", "2.2s", "15ms".
func approxDuration(d time.Duration) string {
	if r := d.Round(time.Minute); r >= time.Hour {
		return fmt.Sprintf("%dh%02dm", int(r/time.Hour), int(r%time.Hour/time.Minute))
	}
	if r := d.Round(time.Second); r >= time.Minute {
		return fmt.Sprintf("%dm%02ds", int(r/time.Minute), int(r%time.Minute/time.Second))
	}
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// hnListEntry is what a submissions page says of one story.
type hnListEntry struct {
	month    string // of a "Who is hiring?" title (parse.HNThreadMonth)
	comments int    // -1 when the page shows no count
}

var hnCommentsRe = regexp.MustCompile(`^(\d+) comments?$`)

// hnListInfo reads, for each story of a submissions page, the month of its
// "Who is hiring?" title and its comment count, from the page's item links
// (the title and the "N comments" link both point to item?id=N).
func hnListInfo(doc *goquery.Document, pageURL string) map[string]hnListEntry {
	base, _ := url.Parse(pageURL)
	out := map[string]hnListEntry{}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		abs, ok := canonicalURL(base, a.AttrOr("href", ""))
		if !ok {
			return
		}
		id := hnItemID(abs)
		if id == "" {
			return
		}
		e, seen := out[id]
		if !seen {
			e.comments = -1
		}
		text := strings.Join(strings.Fields(a.Text()), " ")
		if m, ok := parse.HNThreadMonth(text); ok && e.month == "" {
			e.month = m
		} else if c := hnCommentsRe.FindStringSubmatch(text); c != nil {
			if n, err := strconv.Atoi(c[1]); err == nil {
				e.comments = n
			}
		}
		out[id] = e
	})
	return out
}

// hnItemID returns N of an item?id=N URL, or "".
func hnItemID(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !strings.HasSuffix(u.Path, "/item") {
		return ""
	}
	return u.Query().Get("id")
}
