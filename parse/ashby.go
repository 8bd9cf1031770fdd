package parse

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// ashbyHost is the host of Ashby's hosted job boards.
const ashbyHost = "jobs.ashbyhq.com"

var ashbyUUIDRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ashbyJobID returns the posting uuid of an Ashby job page URL
// (jobs.ashbyhq.com/<org>/<uuid>[/application]), "" for any other URL.
func ashbyJobID(pageURL string) string {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || !strings.EqualFold(u.Hostname(), ashbyHost) {
		return ""
	}
	segs := exPathSegments(u.Path)
	if len(segs) >= 2 && ashbyUUIDRe.MatchString(segs[1]) {
		return strings.ToLower(segs[1])
	}
	return ""
}

// ashbyAppData is the part of an Ashby board page's window.__appData that
// AshbyBoard reads.
type ashbyAppData struct {
	Organization *struct {
		HostedJobsPageSlug string `json:"hostedJobsPageSlug"`
	} `json:"organization"`
	JobBoard *struct {
		JobPostings []struct {
			ID       string `json:"id"`
			IsListed *bool  `json:"isListed"`
		} `json:"jobPostings"`
	} `json:"jobBoard"`
}

// AshbyBoard reads an Ashby hosted board page (jobs.ashbyhq.com/<org>): the
// page is a JavaScript app whose data sits in a script as
// `window.__appData = {…};`. Links are the absolute URLs of its listed job
// postings (https://jobs.ashbyhq.com/<org>/<posting id>, the org being the
// board's hostedJobsPageSlug, else the page URL's first path segment) and
// ItemIDs their ids; the job pages themselves are read by JSONLD. A page
// without the app data, or whose data has no job board, is a *ParseError;
// a board with no open job is not.
func AshbyBoard(doc *goquery.Document, pageURL string) (*Result, error) {
	res := &Result{Kind: KindAshbyBoard}
	const marker = "window.__appData"
	var data *ashbyAppData
	var decodeErr error
	doc.Find("script").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		text := s.Text()
		i := strings.Index(text, marker)
		if i < 0 {
			return true
		}
		rest := strings.TrimLeft(text[i+len(marker):], " \t\r\n")
		if !strings.HasPrefix(rest, "=") {
			return true
		}
		var d ashbyAppData
		if err := json.NewDecoder(strings.NewReader(rest[1:])).Decode(&d); err != nil {
			decodeErr = err
			return true
		}
		data = &d
		return false
	})
	switch {
	case data == nil && decodeErr != nil:
		return res, &ParseError{Source: KindAshbyBoard, URL: pageURL, Field: marker, Err: fmt.Errorf("invalid json: %w", decodeErr)}
	case data == nil:
		return res, &ParseError{Source: KindAshbyBoard, URL: pageURL, Field: marker, Err: ErrMissing}
	case data.JobBoard == nil:
		return res, &ParseError{Source: KindAshbyBoard, URL: pageURL, Field: marker + ".jobBoard", Err: ErrMissing}
	}
	slug := ""
	if data.Organization != nil {
		slug = strings.TrimSpace(data.Organization.HostedJobsPageSlug)
	}
	if slug == "" {
		if u, err := url.Parse(strings.TrimSpace(pageURL)); err == nil {
			if segs := exPathSegments(u.Path); len(segs) > 0 {
				slug = segs[0]
			}
		}
	}
	if slug == "" {
		return res, &ParseError{Source: KindAshbyBoard, URL: pageURL, Field: "organization slug", Err: ErrMissing}
	}
	seen := map[string]bool{}
	for _, jp := range data.JobBoard.JobPostings {
		id := strings.TrimSpace(jp.ID)
		if id == "" || seen[id] || (jp.IsListed != nil && !*jp.IsListed) {
			continue
		}
		seen[id] = true
		res.ItemIDs = append(res.ItemIDs, id)
		res.Links = append(res.Links, "https://"+ashbyHost+"/"+url.PathEscape(slug)+"/"+url.PathEscape(id))
	}
	return res, nil
}
