package scraper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends/parse"
)

// apiPages is the saved API responses, each under the URL the crawler
// requests (testdata/api/manifest.tsv), loaded once per test binary.
var apiPages = sync.OnceValues(func() (map[string]Replayed, error) {
	return LoadReplay(os.DirFS("testdata"), "api/manifest.tsv")
})

// apiReplay returns a copy of the saved API responses plus extra entries.
func apiReplay(t testing.TB, extra map[string]Replayed) map[string]Replayed {
	t.Helper()
	pages, err := apiPages()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]Replayed, len(pages)+len(extra))
	for u, p := range pages {
		out[u] = p
	}
	for u, p := range extra {
		out[u] = p
	}
	return out
}

// countJobs counts the jobs of a saved API response without package
// parse: the elements of a Lever array, or of the "jobs" array of a
// Greenhouse or Ashby board (an Ashby job with isListed false is not
// published and not counted).
func countJobs(t testing.TB, body []byte) int {
	t.Helper()
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(body, &list); err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	var board struct {
		Jobs []struct {
			IsListed *bool `json:"isListed"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(body, &board); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range board.Jobs {
		if j.IsListed == nil || *j.IsListed {
			n++
		}
	}
	return n
}

func robotsPage(text string) Replayed {
	return Replayed{Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte(text)}
}

const (
	ghAPI    = "https://boards-api.greenhouse.io/v1/boards/"
	leverAPI = "https://api.lever.co/v0/postings/"
	ashbyAPI = "https://api.ashbyhq.com/posting-api/job-board/"
)

// TestCrawlAPI crawls the real Greenhouse, Lever and Ashby API responses
// of the corpus under their real URLs: one request per board, as many
// postings as the response has jobs, salaries where the data has them,
// and the API hosts' robots.txt obeyed.
func TestCrawlAPI(t *testing.T) {
	cases := []struct {
		name    string
		src     Source
		robots  map[string]string // origin → robots.txt
		want    []string          // requested once each, handed on
		never   []string          // never requested
		salary  []string          // boards (URLs) with at least one posting with a salary
		blocked int
	}{
		{
			name: "greenhouse: boards by token and an explicit API URL",
			src: Source{Type: "greenhouse", Boards: []string{"smarterdx", "gitlab", "catawiki"},
				StartURLs: []string{ghAPI + "twitch/jobs"}},
			want: []string{ghAPI + "twitch/jobs", ghAPI + "smarterdx/jobs?content=true",
				ghAPI + "gitlab/jobs?content=true", ghAPI + "catawiki/jobs?content=true"},
			// "$75k - $105k salary" and "$108,400 — $129,600 USD" are in
			// the content HTML.
			salary: []string{ghAPI + "smarterdx/jobs?content=true", ghAPI + "gitlab/jobs?content=true"},
		},
		{
			name:   "lever: company sites",
			src:    Source{Type: "lever", Boards: []string{"palantir", "matchgroup"}},
			want:   []string{leverAPI + "palantir?mode=json", leverAPI + "matchgroup?mode=json"},
			salary: []string{leverAPI + "matchgroup?mode=json"}, // salaryRange 150000-180000 USD
		},
		{
			name: "ashby-api: organizations",
			src:  Source{Type: "ashby-api", Boards: []string{"linear", "openevidence"}},
			want: []string{ashbyAPI + "linear?includeCompensation=true", ashbyAPI + "openevidence?includeCompensation=true"},
		},
		{
			name:    "robots.txt of the API host disallows one board's path",
			src:     Source{Type: "greenhouse", Boards: []string{"smarterdx", "gitlab"}},
			robots:  map[string]string{"https://boards-api.greenhouse.io": "User-agent: *\nDisallow: /v1/boards/gitlab/\n"},
			want:    []string{ghAPI + "smarterdx/jobs?content=true"},
			never:   []string{ghAPI + "gitlab/jobs?content=true"},
			blocked: 1,
		},
		{
			name:    "robots.txt group of our agent disallows the API",
			src:     Source{Type: "lever", Boards: []string{"palantir", "matchgroup"}},
			robots:  map[string]string{"https://api.lever.co": "User-agent: *\nAllow: /\n\nUser-agent: jobtrends\nDisallow: /v0/postings/\n"},
			never:   []string{leverAPI + "palantir?mode=json", leverAPI + "matchgroup?mode=json"},
			blocked: 2,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			extra := map[string]Replayed{}
			for origin, text := range tc.robots {
				extra[origin+"/robots.txt"] = robotsPage(text)
			}
			pages := apiReplay(t, extra)
			rt := counting(NewReplay(pages))
			o := testOptions(t)
			o.Transport = rt
			sink := &memSink{}
			src := tc.src
			src.Name = "ats"
			stats, err := Crawl(context.Background(), src, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range tc.want {
				if n := rt.count(u); n != 1 {
					t.Errorf("%s requested %d times, want 1", u, n)
				}
			}
			for _, u := range tc.never {
				if n := rt.count(u); n != 0 {
					t.Errorf("%s requested %d times, want never", u, n)
				}
			}
			if u, n := rt.max(); n > 1 {
				t.Errorf("%s requested %d times", u, n)
			}
			origins := map[string]bool{}
			for _, u := range append(append([]string{}, tc.want...), tc.never...) {
				pu, _ := url.Parse(u)
				origins[pu.Scheme+"://"+pu.Host] = true
			}
			for o := range origins {
				if n := rt.count(o + "/robots.txt"); n != 1 {
					t.Errorf("%s/robots.txt requested %d times, want 1", o, n)
				}
			}
			if got := sink.urls(); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("pages handed on:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			wantPostings := 0
			for i, pg := range sink.pages {
				res := sink.results[i]
				want := countJobs(t, pages[pg.URL].Body)
				wantPostings += want
				if len(res.Postings) != want {
					t.Errorf("%s: %d postings, the response has %d jobs", pg.URL, len(res.Postings), want)
				}
				if !strings.HasPrefix(pg.ContentType, "application/json") || !utf8.Valid(pg.Body) || !bytes.Equal(pg.Body, pages[pg.URL].Body) {
					t.Errorf("%s: content type %q, body valid UTF-8 %v, body as served %v", pg.URL, pg.ContentType, utf8.Valid(pg.Body), bytes.Equal(pg.Body, pages[pg.URL].Body))
				}
				withSalary := 0
				for _, p := range res.Postings {
					if p.Source != "ats" || p.SourceType != tc.src.Type && !(tc.src.Type == "ashby-api" && p.SourceType == parse.SourceTypeAshby) {
						t.Errorf("%s: posting %s has source %q, source type %q", pg.URL, p.ExternalID, p.Source, p.SourceType)
					}
					if p.Salary != nil {
						withSalary++
					}
				}
				for _, u := range tc.salary {
					if u == pg.URL && withSalary == 0 {
						t.Errorf("%s: no posting with a salary", pg.URL)
					}
				}
			}
			if stats.PagesFetched != len(tc.want) || stats.PagesFailed != 0 || stats.RobotsBlocked != tc.blocked ||
				stats.Postings != wantPostings || stats.Complete != (tc.blocked == 0) {
				t.Errorf("stats %+v, want %d pages, %d postings, %d blocked", stats, len(tc.want), wantPostings, tc.blocked)
			}
			for _, h := range rt.reqs {
				if accept := h.header.Get("Accept"); !strings.HasSuffix(h.path, "/robots.txt") && !strings.HasPrefix(accept, "application/json") {
					t.Errorf("%s asked with Accept %q", h.path, accept)
				}
			}
		})
	}
}

// toServer sends every request to one httptest server on 127.0.0.1,
// keeping its path and query: the server stands in for the API hosts, so
// that a source keeps its real API URLs.
type toServer struct {
	srv *url.URL
	rt  http.RoundTripper
}

func (s toServer) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = s.srv.Scheme, s.srv.Host, ""
	return s.rt.RoundTrip(r)
}

// TestCrawlAPIResponses: what the fetch layer accepts from a JSON API
// source — JSON text, compressed or not, within MaxAPIBody (not the HTML
// MaxBody) — and what fails the board: HTML, binary, empty, over the cap.
// One job without a title is one failed item, not a failed board.
func TestCrawlAPIResponses(t *testing.T) {
	saved := apiReplay(t, nil)
	catawiki := saved[ghAPI+"catawiki/jobs?content=true"].Body // 529 KB, 50 jobs
	smarter := saved[ghAPI+"smarterdx/jobs?content=true"].Body
	var board map[string]any
	if err := json.Unmarshal(smarter, &board); err != nil {
		t.Fatal(err)
	}
	jobs := board["jobs"].([]any)
	delete(jobs[1].(map[string]any), "title")
	untitled, err := json.Marshal(board)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		delete(j.(map[string]any), "title")
	}
	noTitles, err := json.Marshal(board)
	if err != nil {
		t.Fatal(err)
	}
	const jsonType = "application/json; charset=utf-8"
	cases := []struct {
		name        string
		ctype       string
		encoding    string
		body        []byte
		maxBody     int64
		maxAPIBody  int64
		wantErr     string // "" means the board is read
		wantJobs    int
		wantItemErr int
	}{
		{name: "JSON over the HTML cap, within the API cap", ctype: jsonType, body: catawiki, maxBody: 64 << 10, wantJobs: countJobs(t, catawiki)},
		{name: "gzip-encoded JSON", ctype: "application/json", encoding: "gzip", body: catawiki, wantJobs: countJobs(t, catawiki)},
		{name: "vendor +json type", ctype: "application/vnd.greenhouse+json", body: smarter, wantJobs: countJobs(t, smarter)},
		{name: "JSON over the API cap", ctype: jsonType, body: catawiki, maxAPIBody: 256 << 10, wantErr: "body over the size limit"},
		{name: "gzip bomb over the API cap", ctype: jsonType, encoding: "gzip", body: append(append([]byte(`{"jobs":[],"x":"`), bytes.Repeat([]byte("A"), 4<<20)...), `"}`...), maxAPIBody: 1 << 20, wantErr: "body over the size limit"},
		{name: "HTML login wall answered 200", ctype: "text/html; charset=utf-8", body: []byte("<html><body>Please sign in</body></html>"), wantErr: `not a json response: content type "text/html`},
		{name: "binary served as JSON", ctype: jsonType, body: []byte("\x00\x01\x02\x03ELF\x00binary"), wantErr: "not a json response: binary body"},
		{name: "empty JSON body", ctype: jsonType, body: []byte(" \n"), wantErr: "not a json response: empty body"},
		{name: "JSON that is no board", ctype: jsonType, body: []byte(`{"error":"not found"}`), wantErr: "jobs: no jobs array: missing"},
		{name: "one job without a title", ctype: jsonType, body: untitled, wantJobs: countJobs(t, untitled) - 1, wantItemErr: 1},
		{name: "no job readable fails the board", ctype: jsonType, body: noTitles, wantErr: "title: missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
				"/robots.txt": robotsStatus(404),
				"/v1/boards/acme/jobs": func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", tc.ctype)
					body := tc.body
					if tc.encoding != "" {
						w.Header().Set("Content-Encoding", tc.encoding)
						body = gzipped(t, string(body))
					}
					w.Write(body)
				},
			}))
			su, _ := url.Parse(srv.URL)
			o := testOptions(t)
			o.Transport = toServer{srv: su, rt: o.Transport}
			o.MaxBody, o.MaxAPIBody = tc.maxBody, tc.maxAPIBody
			sink := &memSink{}
			src := Source{Name: "ats", Type: "greenhouse", Boards: []string{"acme"}}
			stats, err := Crawl(context.Background(), src, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			if n := rec.count("/v1/boards/acme/jobs?content=true"); n != 1 {
				t.Errorf("board requested %d times", n)
			}
			if tc.wantErr != "" {
				if stats.PagesFailed != 1 || stats.PagesFetched != 0 || len(sink.pages) != 0 || len(stats.Errors) != 1 ||
					!strings.Contains(stats.Errors[0].Error(), tc.wantErr) || !strings.Contains(stats.Errors[0].Error(), ghAPI+"acme/jobs?content=true") {
					t.Errorf("stats %+v; want the board failed with %q", stats, tc.wantErr)
				}
				return
			}
			if stats.PagesFetched != 1 || stats.PagesFailed != 0 || stats.Postings != tc.wantJobs || stats.ItemsFailed != tc.wantItemErr ||
				stats.Complete != (tc.wantItemErr == 0) || len(stats.Errors) != tc.wantItemErr {
				t.Errorf("stats %+v; want %d postings, %d failed items", stats, tc.wantJobs, tc.wantItemErr)
			}
			for _, e := range stats.Errors {
				var pe *parse.ParseError
				if !errors.As(e, &pe) || pe.Field != "title" || !strings.HasPrefix(e.Error(), "scrape ats "+ghAPI+"acme/jobs?content=true: ") {
					t.Errorf("item error %q does not name the source, the board and the field", e)
				}
			}
		})
	}
}
