package scraper

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// Replayed is one saved response a replay transport serves.
type Replayed struct {
	Status int         // 0 means 200
	Header http.Header // nil means "Content-Type: text/html; charset=utf-8"
	Body   []byte      // served as is (set Content-Encoding in Header if it is compressed)
}

// NewReplay returns an http.RoundTripper that serves saved pages by their
// exact URL, so that a crawl through it sees the real URLs (hosts,
// patterns, robots.txt paths) without any network. The URL is compared
// after normalizing case of the scheme and host, a default port and the
// fragment. /robots.txt of a host is served from the map too; a URL that
// is not in the map — robots.txt included, which then allows everything —
// gets a 404. It honours the request's context and never dials, so the
// dial guard of the real transport does not apply to it; the rest of the
// fetch layer (allow-list, robots, spacing, caps) does.
func NewReplay(pages map[string]Replayed) http.RoundTripper {
	r := &replay{pages: make(map[string]Replayed, len(pages))}
	for raw, p := range pages {
		key := raw
		if u, err := url.Parse(raw); err == nil {
			key = replayKey(u)
		}
		r.pages[key] = p
	}
	return r
}

type replay struct {
	pages map[string]Replayed
}

// RoundTrip implements http.RoundTripper.
func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	p, ok := r.pages[replayKey(req.URL)]
	if !ok {
		p = Replayed{
			Status: http.StatusNotFound,
			Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
			Body:   []byte("404 not in the replay set\n"),
		}
	}
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	h := p.Header.Clone()
	if h == nil {
		h = http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	}
	body := p.Body
	if req.Method == http.MethodHead {
		body = nil
	}
	h.Set("Content-Length", strconv.Itoa(len(p.Body)))
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(p.Body)),
		Request:       req,
	}, nil
}

// replayKey normalizes a URL for lookup.
func replayKey(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if port := u.Port(); port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host += ":" + port
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return scheme + "://" + host + p
}

// LoadReplay reads a replay set from fsys: manifest lists one page a line
// as "URL<TAB>FILE[<TAB>CONTENT-TYPE]", FILE relative to the manifest's
// folder; a FILE ending in ".gz" is decompressed; blank lines and lines
// starting with '#' are skipped. The content type defaults to
// "text/html; charset=utf-8".
func LoadReplay(fsys fs.FS, manifest string) (map[string]Replayed, error) {
	m, err := fs.ReadFile(fsys, manifest)
	if err != nil {
		return nil, fmt.Errorf("load replay: %w", err)
	}
	dir := path.Dir(manifest)
	pages := make(map[string]Replayed)
	sc := bufio.NewScanner(bytes.NewReader(m))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("load replay %s:%d: want URL<TAB>FILE[<TAB>CONTENT-TYPE], got %d fields", manifest, line, len(f))
		}
		if _, err := url.Parse(f[0]); err != nil {
			return nil, fmt.Errorf("load replay %s:%d: %w", manifest, line, err)
		}
		body, err := readMaybeGzip(fsys, path.Join(dir, f[1]))
		if err != nil {
			return nil, fmt.Errorf("load replay %s:%d: %w", manifest, line, err)
		}
		ct := "text/html; charset=utf-8"
		if len(f) == 3 {
			ct = f[2]
		}
		pages[f[0]] = Replayed{Header: http.Header{"Content-Type": {ct}}, Body: body}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load replay %s: %w", manifest, err)
	}
	return pages, nil
}

func readMaybeGzip(fsys fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil || !strings.HasSuffix(name, ".gz") {
		return b, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}
