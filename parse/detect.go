package parse

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
)

var (
	canonicalRE = regexp.MustCompile(`(?is)<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>`)
	ogURLRE     = regexp.MustCompile(`(?is)<meta\b[^>]*\bproperty\s*=\s*["']?og:url["']?[^>]*>`)
	hrefRE      = regexp.MustCompile(`(?is)\b(?:href|content)\s*=\s*["']([^"']+)["']`)
	// The story is the first item a thread page names: its athing row
	// (2014 →), else its vote link or first item link (older markup).
	hnStoryRE = regexp.MustCompile(`<tr[^>]*class=["']?athing["']?[^>]*\bid=["']?(\d+)|vote\?for=(\d+)|href=["']item\?id=(\d+)["']`)
	hnPageRE  = regexp.MustCompile(`<a[^>]*href=["']item\?id=(\d+)&amp;p=(\d+)["'][^>]*class=["']?morelink`)
)

// PageURL guesses the original URL of a saved page from the page itself:
// its canonical link, its og:url, or for a Hacker News item page the item
// id (the page number can't be known from the page alone, so page 1 is
// assumed unless a "More" link says otherwise). "" when it can't tell.
func PageURL(body []byte) string {
	head := body
	if len(head) > 256<<10 {
		head = head[:256<<10]
	}
	for _, re := range []*regexp.Regexp{canonicalRE, ogURLRE} {
		if tag := re.Find(head); tag != nil {
			if m := hrefRE.FindSubmatch(tag); m != nil {
				u := html.UnescapeString(string(m[1]))
				if bytes.HasPrefix(m[1], []byte("http")) {
					return u
				}
			}
		}
	}
	if bytes.Contains(head, []byte("news.ycombinator.com")) || bytes.Contains(head, []byte("Hacker News")) {
		if m := hnStoryRE.FindSubmatch(head); m != nil {
			id := string(bytes.Join(m[1:], nil))
			u := "https://news.ycombinator.com/item?id=" + id
			if p := hnPageRE.FindSubmatch(body); p != nil && string(p[1]) == id {
				// The "More" link names the next page; this one is the one before.
				if n, err := strconv.Atoi(string(p[2])); err == nil && n > 2 {
					return u + "&p=" + strconv.Itoa(n-1)
				}
			}
			return u
		}
	}
	return ""
}
