package parse

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/jobtrends/jobtrends"
)

// hndComment is one comment of a monthly HN dump (the gaganpreet
// 2013–2018 files): the raw comment HTML, its author and its item URL.
// The files also carry a geocoded address, coordinates and flags of
// their own; they are not read, so that dumped and crawled comments are
// read the same way.
type hndComment struct {
	FullHTML string `json:"full_html"`
	User     string `json:"user"`
	URL      string `json:"url"`
}

var (
	hndIDRe    = regexp.MustCompile(`[?&]id=(\d+)`)
	hndMonthRe = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])(?:[^0-9]|$)`)
)

// MonthFromName returns the month "YYYY-MM" a file name carries
// ("hn_whoishiring_2015-03.json.gz" → "2015-03"), for dumps and tables
// whose rows do not say it. ok is false when the base name holds no
// year-month.
func MonthFromName(name string) (string, bool) {
	m := hndMonthRe.FindStringSubmatch(filepath.Base(name))
	if m == nil {
		return "", false
	}
	return m[1] + "-" + m[2], true
}

// HNDumpMonth reads one monthly file of the HN "Who is hiring?" dump of
// 2013–2018 (a JSON array of top-level job comments with their raw HTML in
// full_html, their author in user and their item URL in url; gzip or
// not): one posting per comment with text, read the way HNThread reads a
// comment on a live thread page — the same plain text and the same
// header extraction (company, roles, location, remote, employment type,
// salary). The file holds no comment time: Thread is month ("YYYY-MM",
// from the file name, see MonthFromName), DatePosted the first day of that
// month with DateApprox. ExternalID is the comment id, URL its item page,
// Origin origin, SourceType "hn".
//
// An invalid month or a file that is not a JSON array is an error naming
// origin; a comment without an item id is skipped and reported in the
// returned error, after the other postings.
func HNDumpMonth(r io.Reader, month string, origin string) ([]jobtrends.Posting, error) {
	start, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, fmt.Errorf("%s: month %q: want YYYY-MM", origin, month)
	}
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", origin, err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	var comments []hndComment
	if err := json.NewDecoder(br).Decode(&comments); err != nil {
		return nil, fmt.Errorf("%s: not a JSON array of comments: %w", origin, err)
	}
	var out []jobtrends.Posting
	var errs []error
	seen := map[string]bool{}
	for i, c := range comments {
		m := hndIDRe.FindStringSubmatch(c.URL)
		if m == nil {
			errs = append(errs, fmt.Errorf("%s: comment %d: url %q: no item id: %w", origin, i+1, c.URL, ErrMissing))
			continue
		}
		if seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		p, ok := hndPosting(c.FullHTML, m[1], month)
		if !ok {
			continue
		}
		p.DatePosted, p.DateApprox = start, true
		p.Origin = origin
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

// hndPosting reads one comment's HTML as HNThread reads a top-level
// comment: its plain text (line breaks kept) and the fields of its header
// (parseHNHeader). ok is false for a comment without text (deleted,
// dead). The dates are the caller's.
func hndPosting(commentHTML, id, thread string) (jobtrends.Posting, bool) {
	body := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(commentHTML), body)
	if err != nil {
		// Only absurd nesting makes the parser give up: keep the text.
		nodes = []*html.Node{{Type: html.TextNode, Data: PlainText(commentHTML)}}
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	text := txtFromNode(body, true, isHNReply)
	if hnEmpty(text) {
		return jobtrends.Posting{}, false
	}
	p := jobtrends.Posting{
		SourceType:  SourceTypeHN,
		ExternalID:  id,
		URL:         "https://news.ycombinator.com/item?id=" + id,
		Thread:      thread,
		Description: text,
		Remote:      jobtrends.RemoteUnknown,
	}
	h := parseHNHeader(text)
	p.Company, p.Title, p.Roles = h.company, h.title, h.roles
	p.Location, p.Remote, p.EmploymentType = h.location, h.remote, h.employment
	p.Salary = apiNoZeroPay(h.salary) // "from 0 to $100K" is revenue, not pay from 0
	return p, true
}
