package parse

import (
	"testing"
)

func TestPageURL(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"canonical", `<html><head><link rel="canonical" href="https://jobs.example.com/a?x=1&amp;y=2"></head></html>`, "https://jobs.example.com/a?x=1&y=2"},
		{"og url", `<meta property="og:url" content="https://au.indeed.com/viewjob?jk=1">`, "https://au.indeed.com/viewjob?jk=1"},
		{"relative canonical ignored", `<link rel="canonical" href="/jobs/1">`, ""},
		{"hn athing", `<title>Ask HN | Hacker News</title><tr class='athing' id='39562986'>`, "https://news.ycombinator.com/item?id=39562986"},
		{"hn athing with more link", `Hacker News<tr class='athing' id='39562986'><a href="item?id=39562986&amp;p=3" class="morelink">More</a>`, "https://news.ycombinator.com/item?id=39562986&p=2"},
		{"hn 2012 vote link", `<a href="news">Hacker News</a><a id=up_4857714 href="vote?for=4857714&amp;dir=up">`, "https://news.ycombinator.com/item?id=4857714"},
		{"nothing", `<html><body>hello</body></html>`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PageURL([]byte(tc.body)); got != tc.want {
				t.Errorf("PageURL = %q, want %q", got, tc.want)
			}
		})
	}
}
