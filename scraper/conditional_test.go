package scraper

import (
	"context"
	"net/http"
	"sync"
	"testing"
)

// validatorSink is a memSink that also keeps validators.
type validatorSink struct {
	memSink
	mu  sync.Mutex
	val map[string][2]string
}

func (s *validatorSink) Validators(_ context.Context, _ Source, url, etag, lastModified string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.val == nil {
		s.val = map[string][2]string{}
	}
	s.val[url] = [2]string{etag, lastModified}
	return nil
}

var _ ValidatorSink = (*validatorSink)(nil)

// TestConditionalRequests: with validators and a body held by the caller,
// requests are conditional; a 304 counts as unchanged (not failed) and the
// held body is parsed in its place.
func TestConditionalRequests(t *testing.T) {
	const etag, lastMod = `"v1"`, "Mon, 02 Jan 2006 15:04:05 GMT"
	srv, rec := newServer(t, mux(nil, map[string]http.HandlerFunc{
		"/robots.txt": robotsStatus(404),
		"/job": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", lastMod)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(jobPage("Fresh")))
		},
	}))
	held := func(etag, lm, body string) func(string) (Cached, bool) {
		return func(string) (Cached, bool) {
			return Cached{ETag: etag, LastModified: lm, ContentType: "text/html; charset=utf-8", Body: []byte(body)}, true
		}
	}
	cases := []struct {
		name           string
		revalidate     func(string) (Cached, bool)
		wantINM        string
		wantIMS        string
		wantStatus     int
		wantTitle      string
		wantUnchanged  int
		wantValidators bool
	}{
		{name: "ETag matches: 304, held body parsed", revalidate: held(etag, "", jobPage("Held")), wantINM: etag, wantStatus: 304, wantTitle: "Held", wantUnchanged: 1},
		{name: "Last-Modified matches: 304", revalidate: held("", lastMod, jobPage("Held")), wantIMS: lastMod, wantStatus: 304, wantTitle: "Held", wantUnchanged: 1},
		{name: "changed: 200 and new validators", revalidate: held(`"v0"`, "", jobPage("Held")), wantINM: `"v0"`, wantStatus: 200, wantTitle: "Fresh", wantValidators: true},
		{name: "nothing held: unconditional", revalidate: func(string) (Cached, bool) { return Cached{}, false }, wantStatus: 200, wantTitle: "Fresh", wantValidators: true},
		{name: "validators without a body: unconditional", revalidate: held(etag, "", ""), wantStatus: 200, wantTitle: "Fresh", wantValidators: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rec.all())
			o := testOptions(t)
			o.Revalidate = tc.revalidate
			sink := &validatorSink{}
			stats, err := Crawl(context.Background(), Source{Name: "t", Type: "jsonld", StartURLs: []string{srv.URL + "/job"}}, o, sink)
			if err != nil {
				t.Fatal(err)
			}
			var got hit
			for _, h := range rec.all()[before:] {
				if h.path == "/job" {
					got = h
				}
			}
			if inm, ims := got.header.Get("If-None-Match"), got.header.Get("If-Modified-Since"); inm != tc.wantINM || ims != tc.wantIMS {
				t.Errorf("request had If-None-Match %q, If-Modified-Since %q; want %q, %q", inm, ims, tc.wantINM, tc.wantIMS)
			}
			if stats.PagesFetched != 1 || stats.PagesFailed != 0 || stats.PagesUnchanged != tc.wantUnchanged || !stats.Complete {
				t.Errorf("stats %+v", stats)
			}
			if len(sink.pages) != 1 || sink.pages[0].Status != tc.wantStatus {
				t.Fatalf("pages %+v, want one with status %d", sink.pages, tc.wantStatus)
			}
			if ps := sink.results[0].Postings; len(ps) != 1 || ps[0].Title != tc.wantTitle {
				t.Errorf("postings %+v, want one titled %q", ps, tc.wantTitle)
			}
			if _, ok := sink.val[sink.pages[0].URL]; ok != tc.wantValidators {
				t.Errorf("validators recorded = %v, want %v (%v)", ok, tc.wantValidators, sink.val)
			}
		})
	}
}
