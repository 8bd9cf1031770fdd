package parse

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// KindHNSubmissions is the Result.Kind of an HN submissions listing
// (news.ycombinator.com/submitted?id=whoishiring).
const KindHNSubmissions = "hn-submissions"

var (
	// hnlHiringRe is the title of a "Who is hiring?" thread; the month
	// follows in parentheses.
	hnlHiringRe = regexp.MustCompile(`(?i)\bwho\s+is\s+hiring\b`)
	// hnlMonthRe is "(March 2024)", "(Sept 2019)".
	hnlMonthRe = regexp.MustCompile(`\(\s*([A-Za-z]{3,9})\.?\s+((?:19|20)\d\d)\s*\)`)
	// hnlItemRe is the id of an item link.
	hnlItemRe = regexp.MustCompile(`(?:^|[?&])id=(\d+)`)
)

// HNThreadMonth reports whether title is the title of a monthly "Ask HN:
// Who is hiring? (March 2024)" thread, and its month as "2024-03". "Who
// wants to be hired?", "Freelancer? Seeking freelancer?" and any title
// without "Who is hiring" and a "(Month YYYY)" are not.
func HNThreadMonth(title string) (string, bool) {
	title = strings.Join(strings.Fields(title), " ")
	if !hnlHiringRe.MatchString(title) {
		return "", false
	}
	m := hnlMonthRe.FindStringSubmatch(title)
	if m == nil {
		return "", false
	}
	name := strings.ToLower(m[1])
	for mo := time.January; mo <= time.December; mo++ {
		full := strings.ToLower(mo.String())
		if strings.HasPrefix(full, name) { // "march", "mar", "sept"
			return m[2] + "-" + twoDigits(int(mo)), true
		}
	}
	return "", false
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// HNSubmissions reads a page of an HN user's submissions
// (news.ycombinator.com/submitted?id=whoishiring): Links are the item URLs
// (https://news.ycombinator.com/item?id=N) of its "Who is hiring?"
// threads, in page order (see HNThreadMonth: not "Who wants to be hired?"
// nor "Freelancer?"); ItemIDs the ids of every story on the page, so that
// a crawler can stop when a page brings no new one; Next the "More" link
// (a.morelink, or an anchor reading "More" on older pages) made absolute.
// It reads the story titles of every markup generation (span.titleline,
// a.titlelink, a.storylink, td.title). A page with no story is an empty
// Result (past the end of the list); a page that is not an HN page is a
// *ParseError.
func HNSubmissions(doc *goquery.Document, pageURL string) (*Result, error) {
	res := &Result{Kind: KindHNSubmissions}
	more := doc.Find("a.morelink").First()
	if more.Length() == 0 {
		doc.Find("a").EachWithBreak(func(_ int, a *goquery.Selection) bool {
			if strings.TrimSpace(a.Text()) == "More" {
				more = a
				return false
			}
			return true
		})
	}
	if href, ok := more.Attr("href"); ok {
		res.Next = exResolveURL(pageURL, href)
	}
	seen := map[string]bool{}
	stories := 0
	doc.Find("span.titleline > a, a.titlelink, a.storylink, td.title > a").Each(func(_ int, a *goquery.Selection) {
		id := hnlStoryID(a)
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		stories++
		res.ItemIDs = append(res.ItemIDs, id)
		if _, ok := HNThreadMonth(a.Text()); ok {
			res.Links = append(res.Links, "https://news.ycombinator.com/item?id="+id)
		}
	})
	if stories == 0 && !strings.Contains(doc.Find("title").Text(), "Hacker News") && doc.Find("#hnmain").Length() == 0 {
		return res, &ParseError{Source: KindHNSubmissions, URL: pageURL, Field: "story titles", Err: ErrMissing}
	}
	return res, nil
}

// hnlStoryID is the item id of a story title link: its row's id (tr.athing)
// or its own item?id= link; "" for the "More" link and anything else.
func hnlStoryID(a *goquery.Selection) string {
	if row := a.Closest("tr.athing"); row.Length() > 0 {
		if id := row.AttrOr("id", ""); hnIsDigits(id) {
			return id
		}
	}
	href := a.AttrOr("href", "")
	u, err := url.Parse(href)
	if err != nil || !strings.HasSuffix(u.Path, "item") {
		return ""
	}
	if m := hnlItemRe.FindStringSubmatch("?" + u.RawQuery); m != nil {
		return m[1]
	}
	return ""
}
