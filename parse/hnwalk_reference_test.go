package parse

// The goquery reading of HN item pages that hnScan and hnComments replaced
// (parse/hn.go at commit 7e313f0), kept as the oracle that
// TestHNScanSameAsRef compares them with: hnComments, hnIndent,
// hnThreadMonth and HNThread's a.morelink and story age selectors, each
// name suffixed Ref (copied mechanically; see the originals in git
// history).

import (
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func hnCommentsRef(doc *goquery.Document) []hnComment {
	var out []hnComment
	seen := map[string]bool{}
	doc.Find("td.default").Each(func(_ int, td *goquery.Selection) {
		head := td.Find("span.comhead").First()
		if head.Length() == 0 {
			return
		}
		c := hnComment{indent: -1}
		if row := td.Closest("tr.athing"); row.Length() > 0 {
			if id, _ := row.Attr("id"); hnIsDigits(id) {
				c.id = id
			}
		}
		if c.id == "" {
			head.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
				if m := hnItemIDRe.FindStringSubmatch(a.AttrOr("href", "")); m != nil {
					c.id = m[1]
					return false
				}
				return true
			})
		}
		if c.id == "" || seen[c.id] {
			return
		}
		seen[c.id] = true
		c.indent = hnIndentRef(td)
		age := head.Find("span.age").First()
		if age.Length() > 0 {
			c.ageTitle = strings.TrimSpace(age.AttrOr("title", ""))
			c.ageText = hnOneLine(age.Text())
		} else {
			c.ageText = hnOneLine(head.Text())
		}
		for _, sel := range []string{".commtext", "div.comment", "span.comment"} {
			if t := td.Find(sel).First(); t.Length() > 0 {
				c.text = t.Nodes[0]
				break
			}
		}
		out = append(out, c)
	})
	return out
}

func hnIndentRef(td *goquery.Selection) int {
	ind := td.Parent().Children().First()
	if ind.Length() == 0 || ind.Nodes[0] == td.Nodes[0] {
		return -1
	}
	if v, ok := ind.Attr("indent"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			return n
		}
	}
	if w, ok := ind.Find("img").First().Attr("width"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(w)); err == nil && n >= 0 {
			return n / 40
		}
	}
	return -1
}

func hnThreadMonthRef(doc *goquery.Document) (string, time.Time) {
	var titles []string
	for _, sel := range []string{".titleline a", "a.storylink", "a.titlelink", "td.title a", "title"} {
		doc.Find(sel).Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Text()) })
	}
	for _, t := range titles {
		m := hnThreadTitleRe.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		d, err := time.Parse("January 2006", strings.ToUpper(m[1][:1])+strings.ToLower(m[1][1:])+" "+m[2])
		if err == nil {
			return d.Format("2006-01"), d
		}
	}
	return "", time.Time{}
}

// hnMoreRef is HNThread's next-page link: (href, ok).
func hnMoreRef(doc *goquery.Document) (string, bool) {
	return doc.Find("a.morelink").First().Attr("href")
}

// hnStoryAgeRef is the text HNThread read the story's age from.
func hnStoryAgeRef(doc *goquery.Document) string {
	return hnOneLine(doc.Find("table.fatitem span.age, td.subtext span.age").First().Text())
}
