package scraper

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/jobtrends/jobtrends/parse"
)

// apiRules are the crawl rules of a public ATS job-board API, where one GET
// returns a whole board as JSON: no links to follow, no next page. The
// three APIs (greenhouse.go, lever.go, ashbyapi.go) differ only in these
// values.
type apiRules struct {
	name  string // the source type, for errors
	kind  string // the parse.Kind… its responses are read as (parse.ExtractAPI)
	board string // the URL of one board; %s is the board token, path-escaped
	shape string // the API's URL pattern, for errors
}

// sourceType returns the rules as a source type: start pages from Boards
// (one URL each) and from StartURLs (which must be URLs of this API),
// every response read by parse.ExtractAPI.
func (r apiRules) sourceType() sourceType {
	return sourceType{
		fields:  []string{"boards"},
		json:    true,
		starts:  r.starts,
		extract: r.extract,
		next:    func(*crawlState, *fetchedPage, *parse.Result) []target { return nil },
	}
}

func (r apiRules) starts(s Source) ([]target, error) {
	var out []target
	for _, raw := range s.StartURLs {
		raw = strings.TrimSpace(raw)
		if apiKind(raw) != r.kind {
			return nil, fmt.Errorf("source %s: start URL %q is not a URL of the %s API (want %s)", s.Name, raw, r.name, r.shape)
		}
		out = append(out, target{url: raw, role: roleStart})
	}
	for _, tok := range s.Boards {
		t := strings.TrimSpace(tok)
		if t == "" || strings.ContainsAny(t, "/?#%") || strings.IndexFunc(t, func(c rune) bool { return unicode.IsSpace(c) || unicode.IsControl(c) }) >= 0 {
			return nil, fmt.Errorf("source %s: boards: %q is not a board token for %s", s.Name, tok, r.shape)
		}
		out = append(out, target{url: fmt.Sprintf(r.board, url.PathEscape(t)), role: roleStart})
	}
	return out, nil
}

func (r apiRules) extract(_ *crawlState, p *fetchedPage) (*parse.Result, error) {
	res, ok, err := parse.ExtractAPI(p.url, p.body, p.fetched)
	switch {
	case !ok:
		return nil, fmt.Errorf("%s is not a URL of the %s API (want %s)", p.url, r.name, r.shape)
	case res != nil && res.Kind != r.kind:
		return nil, fmt.Errorf("%s is a URL of the %s API, not %s", p.url, res.Kind, r.name)
	}
	return res, err
}

// apiKind returns which ATS API parse.ExtractAPI reads a URL as (a
// parse.Kind… value), or "" for none.
func apiKind(u string) string {
	res, ok, _ := parse.ExtractAPI(u, []byte("null"), time.Time{})
	if !ok || res == nil {
		return ""
	}
	return res.Kind
}
