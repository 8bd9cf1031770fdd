package scraper

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends/parse"
)

// Source is one configured source: what to crawl, and by which rules.
type Source struct {
	Name      string           // the configured name; set as Posting.Source
	Type      string           // one of SourceTypes(): "hn", "jsonld", "ashby"
	StartURLs []string         // absolute http(s) URLs; their host:port are the only hosts crawled
	Follow    []*regexp.Regexp // jsonld: links (a[href]) matching any of these are followed
	MaxPages  int              // most pages requested; 0 means DefaultMaxPages
}

// role is what a page is to its source: where the crawl started, or a page
// the start led to.
type role int

const (
	roleStart role = iota // a start URL (HN thread page 1, Ashby board, jsonld listing)
	roleNext              // the next page of a listing (HN &p=N)
	roleJob               // a job page a listing links to
	roleLink              // a page reached by a Follow pattern (jsonld)
)

// target is a URL to visit and its role.
type target struct {
	url  string
	role role
}

// sourceType is the crawl rules of one source type, as data: how a page of
// each role is parsed, and which pages it leads to.
type sourceType struct {
	// extract parses one page (its one goquery document).
	extract func(r role, pageURL string, doc *goquery.Document, fetched time.Time) (*parse.Result, error)
	// next returns the pages a parsed page leads to. They are filtered
	// afterwards: only the source's hosts, never a page twice.
	next func(cs *crawlState, r role, doc *goquery.Document, pageURL string, res *parse.Result) []target
}

// sourceTypes is the table of source types Crawl knows. A new source type
// is one more file with its rules and one more row here.
var sourceTypes = map[string]*sourceType{
	"hn":     &hnSource,
	"jsonld": &jsonldSource,
	"ashby":  &ashbySource,
}

// SourceTypes returns the names of the source types Crawl knows, sorted,
// for validating a config.
func SourceTypes() []string {
	names := make([]string, 0, len(sourceTypes))
	for n := range sourceTypes {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// validate checks a source and returns its rules and its host allow-list.
func (s Source) validate() (*sourceType, map[string]bool, error) {
	if strings.TrimSpace(s.Name) == "" {
		return nil, nil, errors.New("source: name is empty")
	}
	typ, ok := sourceTypes[s.Type]
	if !ok {
		return nil, nil, fmt.Errorf("source %s: unknown type %q (want one of %s)", s.Name, s.Type, strings.Join(SourceTypes(), ", "))
	}
	if len(s.StartURLs) == 0 {
		return nil, nil, fmt.Errorf("source %s: no start URLs", s.Name)
	}
	if s.MaxPages < 0 {
		return nil, nil, fmt.Errorf("source %s: max pages %d is negative", s.Name, s.MaxPages)
	}
	allow := make(map[string]bool)
	for _, raw := range s.StartURLs {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			return nil, nil, fmt.Errorf("source %s: start URL %q: %w", s.Name, raw, err)
		}
		if !u.IsAbs() {
			return nil, nil, fmt.Errorf("source %s: start URL %q is not absolute", s.Name, raw)
		}
		key, err := hostKey(u)
		if err != nil {
			return nil, nil, fmt.Errorf("source %s: start URL %q: %w", s.Name, raw, err)
		}
		allow[key] = true
	}
	for i, re := range s.Follow {
		if re == nil {
			return nil, nil, fmt.Errorf("source %s: follow pattern %d is nil", s.Name, i+1)
		}
	}
	return typ, allow, nil
}

// canonicalURL is the identity of a page in one crawl: absolute http(s),
// lower-case scheme and host, no default port, no fragment. ok is false
// for anything else.
func canonicalURL(base *url.URL, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !u.IsAbs() || u.Hostname() == "" || u.User != nil {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", false
	}
	key := replayKey(u)
	// The key must read back as the same kind of URL (a host such as
	// "::0" without brackets does not).
	if back, err := url.Parse(key); err != nil || back.Hostname() == "" || back.User != nil {
		return "", false
	}
	return key, true
}
