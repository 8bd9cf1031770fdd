package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// The replay server serves real corpus pages on 127.0.0.1 only, under as
// many distinct URLs as asked for, with a listing that links to them.
//
// A "copy" of the page set is every page under the prefix /c/<j>/ of one
// of the server's hosts (copy j is on host j mod hosts; a host is one
// 127.0.0.1 port, so that a crawler's per-host politeness state is per
// port). Within a copy, an HN thread's pages keep their real relative
// paths (item?id=N, item?id=N&p=2, ...), so the thread's own "More" link
// leads to the next page of the same copy, and a job page is
// /c/<j>/job/<name>. Every body ends with a comment naming its URL, so
// that no two URLs serve the same bytes (a store that keeps bodies
// content-addressed does the work of a first crawl).
//
// The listing /list?w=<workload>&n=<pages> links, in order, to the pages
// of copies 0, 1, ... until at least n pages are listed (whole copies, so
// that every HN thread is complete). Within a copy, the pages are in
// crawl order: each thread's pages in a row. The workloads:
//
//	hn     HN "Who is hiring?" thread pages (every complete thread of the corpus)
//	ashby  Ashby job pages with schema.org JobPosting JSON-LD (corpus, copy=no: read here, never copied)
//	small  the schema.org JobPosting JSON-LD examples (1–2 KB pages: the cost per page, not per byte)
//	all    hn and ashby

// hnPage is one HN thread page of the page set.
type hnPage struct {
	id   string // thread id
	page int    // 1, 2, ...
	body []byte
}

func (p hnPage) path() string {
	if p.page == 1 {
		return "item?id=" + p.id
	}
	return fmt.Sprintf("item?id=%s&p=%d", p.id, p.page)
}

// pageSet is the pages of one copy.
type pageSet struct {
	hn    []hnPage
	jobs  map[string][]string // workload → "job/<name>" paths, sorted
	byKey map[string][]byte   // "item?id=N&p=M" or "job/<name>" → body
}

var (
	moreLinkRe = regexp.MustCompile(`<a href=['"]item\?id=\d+&amp;p=(\d+)['"][^>]*class=['"]morelink['"]`)
	commentRe  = regexp.MustCompile(`<tr class=['"]athing comtr[^'"]*['"] id=['"](\d+)['"]`)
)

// loadPageSet reads the pages of the workloads from the corpus. A thread is kept when every page a crawler would
// fetch is in the corpus: page 1, then page k+1 as long as page k has a
// "More" link and brought a comment not seen on the earlier pages (the
// rule of the hn source type, see scraper/hn.go).
func loadPageSet(corpus string) (*pageSet, error) {
	ps := &pageSet{jobs: map[string][]string{}, byKey: map[string][]byte{}}
	dirs, err := filepath.Glob(filepath.Join(corpus, "hn", "threads", "*_*"))
	if err != nil {
		return nil, err
	}
	slices.Sort(dirs)
	for _, dir := range dirs {
		id := filepath.Base(dir)[strings.IndexByte(filepath.Base(dir), '_')+1:]
		var chain []hnPage
		seen := map[string]bool{}
		complete := false
		for k := 1; ; k++ {
			body, err := readGz(filepath.Join(dir, fmt.Sprintf("p%d.html.gz", k)))
			if errors.Is(err, os.ErrNotExist) {
				break // the crawl would ask for a page the corpus lacks
			}
			if err != nil {
				return nil, err
			}
			chain = append(chain, hnPage{id: id, page: k, body: body})
			fresh := 0
			for _, m := range commentRe.FindAllSubmatch(body, -1) {
				if !seen[string(m[1])] {
					seen[string(m[1])] = true
					fresh++
				}
			}
			m := moreLinkRe.FindSubmatch(body)
			if m == nil || fresh == 0 {
				complete = true
				break
			}
			if next, _ := strconv.Atoi(string(m[1])); next != k+1 {
				break
			}
		}
		if complete && len(seen) > 0 {
			ps.hn = append(ps.hn, chain...)
		}
	}
	for _, w := range []struct{ workload, glob, prefix string }{
		{"ashby", filepath.Join(corpus, "pages", "ashby", "ashby_openai_*-*.html"), "ashby_openai_"},
		{"small", filepath.Join(corpus, "schema_org", "eg-*.jsonld.html"), ""},
	} {
		names, _ := filepath.Glob(w.glob)
		for _, name := range names {
			body, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			if !bytes.Contains(body, []byte(`"JobPosting"`)) {
				continue // the corpus's empty Ashby job page; examples of other types
			}
			p := "job/" + strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), w.prefix), ".html")
			ps.jobs[w.workload] = append(ps.jobs[w.workload], p)
			ps.byKey[p] = body
		}
	}
	if len(ps.hn) == 0 {
		return nil, fmt.Errorf("no complete HN thread under %s", filepath.Join(corpus, "hn", "threads"))
	}
	for _, p := range ps.hn {
		ps.byKey[p.path()] = p.body
	}
	return ps, nil
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(z)
}

// paths returns the paths of one copy's pages of a workload, in crawl
// order.
func (ps *pageSet) paths(workload string) []string {
	var out []string
	if workload == "hn" || workload == "all" {
		for _, p := range ps.hn {
			out = append(out, p.path())
		}
	}
	if workload == "all" {
		workload = "ashby"
	}
	return append(out, ps.jobs[workload]...)
}

// server is the replay server.
type server struct {
	ps    *pageSet
	bases []string // http://127.0.0.1:port of each host
}

// listing returns the page of links for a workload and a page count.
func (s *server) listing(workload string, n int) ([]byte, int) {
	paths := s.ps.paths(workload)
	var b bytes.Buffer
	b.WriteString("<!doctype html><html><head><title>jtbench listing</title></head><body><ul>\n")
	count := 0
	for j := 0; count < n && len(paths) > 0; j++ {
		base := s.bases[j%len(s.bases)]
		for _, p := range paths {
			fmt.Fprintf(&b, "<li><a href=\"%s/c/%d/%s\">%d</a>\n", base, j, strings.ReplaceAll(p, "&", "&amp;"), count)
			count++
		}
	}
	b.WriteString("</ul></body></html>\n")
	return b.Bytes(), count
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "User-agent: *\nAllow: /\n")
		return
	case r.URL.Path == "/list":
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		body, _ := s.listing(r.URL.Query().Get("w"), n)
		w.Write(body)
		return
	case strings.HasPrefix(r.URL.Path, "/c/"):
		rest := r.URL.Path[len("/c/"):]
		slash := strings.IndexByte(rest, '/')
		if slash < 0 {
			break
		}
		key := rest[slash+1:]
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		body, ok := s.ps.byKey[key]
		if !ok {
			break
		}
		tail := "\n<!-- jtbench " + r.URL.RequestURI() + " -->\n"
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)+len(tail)))
		w.Write(body)
		io.WriteString(w, tail)
		return
	}
	http.NotFound(w, r)
}

// serverInfo is what serve prints on its first line of output.
type serverInfo struct {
	Bases    []string       `json:"bases"`
	PerCopy  map[string]int `json:"per_copy"`  // pages of one copy, by workload
	AvgBytes map[string]int `json:"avg_bytes"` // mean page size, by workload
}

// cmdServe runs the replay server until its standard input closes or it
// is signalled.
func cmdServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	corpus := fs.String("corpus", os.Getenv("JOBTRENDS_CORPUS"), "the shared corpus folder (JOBTRENDS_CORPUS)")
	hosts := fs.Int("hosts", 4, "how many 127.0.0.1 ports (hosts) to serve on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *corpus == "" {
		return errors.New("serve: no corpus: set JOBTRENDS_CORPUS or -corpus")
	}
	ps, err := loadPageSet(*corpus)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	s := &server{ps: ps}
	info := serverInfo{PerCopy: map[string]int{}, AvgBytes: map[string]int{}}
	for range *hosts {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		s.bases = append(s.bases, "http://"+ln.Addr().String())
		go (&http.Server{Handler: s}).Serve(ln)
	}
	info.Bases = s.bases
	for _, w := range []string{"hn", "ashby", "small", "all"} {
		paths := ps.paths(w)
		info.PerCopy[w] = len(paths)
		total := 0
		for _, p := range paths {
			total += len(ps.byKey[p])
		}
		if len(paths) > 0 {
			info.AvgBytes[w] = total / len(paths)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(info); err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	eof := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(eof)
	}()
	select {
	case <-stop:
	case <-eof:
	}
	return nil
}
