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
// Which fields a type uses is said on each; a field set for a type that
// does not use it is a validation error, so that a config mistake is not
// silently ignored.
type Source struct {
	Name      string   // the configured name; set as Posting.Source
	Type      string   // one of SourceTypes(): "hn", "jsonld", "ashby", "greenhouse", "lever", "ashby-api", "html"
	StartURLs []string // absolute http(s) URLs; their host:port (and those of Boards) are the only hosts crawled
	// Boards are the job boards of an ATS API source, by token: the
	// Greenhouse board token (greenhouse), the Lever company site (lever)
	// or the Ashby organization (ashby-api). Each board is one API request
	// that returns the whole board (see greenhouse.go, lever.go,
	// ashbyapi.go). Config key: boards.
	Boards []string
	// Follow: jsonld: links (a[href]) matching any of these are followed;
	// html: item links matching any of these are followed and their pages
	// read for JSON-LD (parse.ExtractDocument).
	Follow []*regexp.Regexp
	// Selectors are the CSS selector rules of an html source (required
	// there): where each posting and its fields are on a listing page, and
	// its next-page anchor. They are validated before anything is fetched.
	// Config key: selectors.
	Selectors *parse.SelectorRules
	// Since ("YYYY-MM") bounds the thread discovery of an hn source:
	// threads of earlier months are not crawled, and the submissions list
	// is not followed past a page whose threads are all older. Empty: no
	// bound. Config key: since.
	Since string
	// Discover makes an hn source find its threads on the whoishiring
	// account's submissions list (HNSubmissionsURL, followed by its "More"
	// link), as a start URL that is such a list does. Config key: discover.
	Discover bool
	MaxPages int // most pages requested; 0 means DefaultMaxPages
	// MaxOutlinks is the most links one page adds to the crawl frontier
	// (links new to the crawl, on the source's hosts); 0 means
	// DefaultMaxOutlinks. The rest count as unvisited, so the crawl is not
	// complete and closes nothing. Config key: max_outlinks.
	MaxOutlinks int
}

// role is what a page is to its source: where the crawl started, or a page
// the start led to.
type role int

const (
	roleStart   role = iota // a start URL (HN thread page 1, Ashby board, jsonld/html listing, API board)
	roleNext                // the next page of a listing (HN &p=N, html next page)
	roleJob                 // a job page a listing links to
	roleLink                // a page reached by a Follow pattern (jsonld, html)
	roleListing             // a page of a list of threads (HN submissions)
)

// target is a URL to visit and its role.
type target struct {
	url  string
	role role
}

// fetchedPage is one fetched page as the rules of a source type see it.
type fetchedPage struct {
	role    role
	url     string            // the final URL (after redirects)
	body    []byte            // UTF-8
	doc     *goquery.Document // the page's one HTML document; nil for a JSON source
	fetched time.Time
}

// sourceType is the crawl rules of one source type, as data: which Source
// fields it uses, where it starts, how a page of each role is parsed, and
// which pages it leads to.
type sourceType struct {
	// fields are the optional Source fields the type uses, by config key:
	// "boards", "follow", "selectors", "since", "discover".
	fields []string
	// json: the pages are JSON API responses (application/json or
	// +json), parsed from their body; no HTML document is built.
	json bool
	// depthFirst: the pages a page leads to are crawled before the rest of
	// the frontier (HN: one thread's pages in a row, newest thread first).
	depthFirst bool
	// starts returns the start pages of a validated source, or an error
	// naming the source and the field; nil means every start URL with
	// roleStart.
	starts func(s Source) ([]target, error)
	// check validates what only this type needs; nil: nothing more.
	check func(s Source) error
	// begin, when set, sets up the crawl state of a source and returns
	// the start pages to queue (HN: discovery holds the threads back).
	begin func(cs *crawlState, starts []target) []target
	// extract parses one page.
	extract func(cs *crawlState, p *fetchedPage) (*parse.Result, error)
	// next returns the pages a parsed page leads to. They are filtered
	// afterwards: only the source's hosts, never a page twice.
	next func(cs *crawlState, p *fetchedPage, res *parse.Result) []target
	// idle, when set, is asked for more pages when the frontier is empty
	// (HN: the threads discovery found, once the list is read).
	idle func(cs *crawlState) []target
}

// uses reports whether the type uses the optional Source field key.
func (t *sourceType) uses(key string) bool { return slices.Contains(t.fields, key) }

// sourceTypes is the table of source types Crawl knows. A new source type
// is one more file with its rules and one more row here.
var sourceTypes = map[string]*sourceType{
	"hn":         &hnSource,
	"jsonld":     &jsonldSource,
	"ashby":      &ashbySource,
	"greenhouse": &greenhouseSource,
	"lever":      &leverSource,
	"ashby-api":  &ashbyAPISource,
	"html":       &htmlSource,
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

// typesUsing names the types that use a field: "type html", "types html,
// jsonld".
func typesUsing(key string) string {
	var names []string
	for _, n := range SourceTypes() {
		if sourceTypes[n].uses(key) {
			names = append(names, n)
		}
	}
	if len(names) == 1 {
		return "type " + names[0]
	}
	return "types " + strings.Join(names, ", ")
}

// Validate checks a source the way Crawl does before fetching anything:
// name, type, start URLs and boards, and the fields of its type (an html
// source's selectors compile, an hn source's since is YYYY-MM). The error
// names the source and the field.
func (s Source) Validate() error {
	_, _, _, err := s.validate()
	return err
}

// validate checks a source and returns its rules, its start pages and its
// host allow-list.
func (s Source) validate() (*sourceType, []target, map[string]bool, error) {
	if strings.TrimSpace(s.Name) == "" {
		return nil, nil, nil, errors.New("source: name is empty")
	}
	typ, ok := sourceTypes[s.Type]
	if !ok {
		return nil, nil, nil, fmt.Errorf("source %s: unknown type %q (want one of %s)", s.Name, s.Type, strings.Join(SourceTypes(), ", "))
	}
	if s.MaxPages < 0 {
		return nil, nil, nil, fmt.Errorf("source %s: max pages %d is negative", s.Name, s.MaxPages)
	}
	if s.MaxOutlinks < 0 {
		return nil, nil, nil, fmt.Errorf("source %s: max outlinks %d is negative", s.Name, s.MaxOutlinks)
	}
	for _, f := range []struct {
		key string
		set bool
	}{
		{"boards", len(s.Boards) > 0}, {"follow", len(s.Follow) > 0}, {"selectors", s.Selectors != nil},
		{"since", s.Since != ""}, {"discover", s.Discover},
	} {
		if f.set && !typ.uses(f.key) {
			return nil, nil, nil, fmt.Errorf("source %s: %s is only for %s, not %s", s.Name, f.key, typesUsing(f.key), s.Type)
		}
	}
	for i, re := range s.Follow {
		if re == nil {
			return nil, nil, nil, fmt.Errorf("source %s: follow pattern %d is nil", s.Name, i+1)
		}
	}
	for _, raw := range s.StartURLs {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("source %s: start URL %q: %w", s.Name, raw, err)
		}
		if !u.IsAbs() {
			return nil, nil, nil, fmt.Errorf("source %s: start URL %q is not absolute", s.Name, raw)
		}
		if _, err := hostKey(u); err != nil {
			return nil, nil, nil, fmt.Errorf("source %s: start URL %q: %w", s.Name, raw, err)
		}
	}
	if typ.check != nil {
		if err := typ.check(s); err != nil {
			return nil, nil, nil, err
		}
	}
	starts := make([]target, 0, len(s.StartURLs))
	if typ.starts != nil {
		var err error
		if starts, err = typ.starts(s); err != nil {
			return nil, nil, nil, err
		}
	} else {
		for _, u := range s.StartURLs {
			starts = append(starts, target{url: strings.TrimSpace(u), role: roleStart})
		}
	}
	if len(starts) == 0 {
		return nil, nil, nil, fmt.Errorf("source %s: type %s needs %s", s.Name, s.Type, typ.needs())
	}
	allow := make(map[string]bool)
	for _, t := range starts {
		u, err := url.Parse(t.url)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("source %s: start URL %q: %w", s.Name, t.url, err)
		}
		key, err := hostKey(u)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("source %s: start URL %q: %w", s.Name, t.url, err)
		}
		allow[key] = true
	}
	return typ, starts, allow, nil
}

// needs says what a source of the type must have to start from.
func (t *sourceType) needs() string {
	switch {
	case t.uses("boards"):
		return "boards or start_urls"
	case t.uses("discover"):
		return "start_urls or discover"
	}
	return "start_urls"
}

// MaxURLBytes is the longest URL the crawl requests (links, start URLs,
// redirect targets): the limit of the sitemaps protocol, which servers,
// proxies and browsers all accept. A hostile page's 100 KB link is
// dropped, not fetched and stored (PostgreSQL's B-tree keys hold about
// 2.7 KB).
const MaxURLBytes = 2048

// canonicalURL resolves a link against base and returns it as the crawl
// requests it and matches it against Follow patterns: absolute http(s),
// lower-case scheme and host, no default port, no fragment, path and query
// as found. ok is false for anything else, and for a URL longer than
// MaxURLBytes. Its identity in the crawl's seen-set is pageKey, which also
// drops a trailing slash and tracking parameters.
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
	if len(key) > MaxURLBytes {
		return "", false
	}
	// The key must read back as the same kind of URL (a host such as
	// "::0" without brackets does not).
	if back, err := url.Parse(key); err != nil || back.Hostname() == "" || back.User != nil {
		return "", false
	}
	return key, true
}
