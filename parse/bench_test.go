package parse

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/jobtrends/jobtrends"
)

// benchPage is one group of real pages parsed per benchmark iteration.
type benchPage struct {
	name  string
	urls  []string
	pages [][]byte
	json  bool // API responses: the baseline is encoding/json, not html.Parse
}

func (p benchPage) size() int64 {
	n := 0
	for _, b := range p.pages {
		n += len(b)
	}
	return int64(n)
}

// benchPages returns the real pages of the parse benchmarks: the HN thread
// page of every markup era (testdata), a JSON-LD job page (testdata), the
// Ashby JSON-LD job pages of the shared corpus (only when JOBTRENDS_CORPUS
// is set: they may not be copied here; the one without a posting is left
// out) and the API responses (testdata).
func benchPages(b *testing.B) []benchPage {
	b.Helper()
	var out []benchPage
	for _, e := range hnEras {
		out = append(out, benchPage{name: "hn-" + e.dir[:len("2006-01")], urls: []string{e.url()}, pages: [][]byte{readPage(b, e.path())}})
	}
	out = append(out, benchPage{
		name:  "jsonld-indeed",
		urls:  []string{"https://au.indeed.com/viewjob?jk=54f1f8af68d722d2"},
		pages: [][]byte{readPage(b, "testdata/jsonld/indeed_au_dinie_senior-devops-engineer_camberwell.html.gz")},
	})
	if dir := os.Getenv("JOBTRENDS_CORPUS"); dir != "" {
		names, err := filepath.Glob(filepath.Join(dir, "pages", "ashby", "ashby_openai_*-*.html"))
		if err != nil {
			b.Fatal(err)
		}
		ashby := benchPage{name: "ashby-jobs"}
		for _, name := range names {
			id := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), "ashby_openai_"), ".html")
			u, page := "https://jobs.ashbyhq.com/openai/"+id, readPage(b, name)
			if res, _ := Extract(u, page, time.Time{}); res == nil || len(res.Postings) == 0 {
				continue // the corpus's empty job page
			}
			ashby.urls = append(ashby.urls, u)
			ashby.pages = append(ashby.pages, page)
		}
		if len(ashby.pages) > 0 {
			out = append(out, ashby)
		}
	} else {
		b.Log("JOBTRENDS_CORPUS is not set: the Ashby job pages (copy=no corpus files) were NOT benchmarked")
	}
	api := benchPage{name: "api", json: true}
	for _, tc := range apiCases {
		api.urls = append(api.urls, tc.url)
		api.pages = append(api.pages, apiReadTestdata(b, filepath.Join("api", tc.file)))
	}
	return append(out, api)
}

// BenchmarkPages parses real pages per source, three ways, so that the
// ratio of extraction to parsing can be read off one run (cpu-ns/op, the
// process's CPU time per op, is steadier than ns/op on a shared machine):
//
//	baseline  html.Parse of the body (encoding/json into any for API responses)
//	extract   what the crawler does with a body: one goquery document and
//	          ExtractDocument (Extract for API responses)
//	enrich    extract, then Enricher.Posting on every posting (role,
//	          seniority, skills, education, industry, annual pay)
//
// SetBytes is the bytes of the page group; postings/s counts postings.
func BenchmarkPages(b *testing.B) {
	fetched := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	enr := NewEnricher()
	for _, g := range benchPages(b) {
		b.Run(g.name+"/baseline", func(b *testing.B) {
			b.SetBytes(g.size())
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				for _, page := range g.pages {
					if g.json {
						var v any
						if err := json.Unmarshal(page, &v); err != nil {
							b.Fatal(err)
						}
						continue
					}
					if _, err := html.Parse(bytes.NewReader(page)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		for _, enrich := range []bool{false, true} {
			name := g.name + "/extract"
			if enrich {
				name = g.name + "/enrich"
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(g.size())
				b.ReportAllocs()
				defer reportCPU(b)()
				n := 0
				for b.Loop() {
					for i, page := range g.pages {
						var (
							res *Result
							err error
						)
						if g.json {
							res, err = Extract(g.urls[i], page, fetched)
						} else {
							doc, derr := goquery.NewDocumentFromReader(bytes.NewReader(page))
							if derr != nil {
								b.Fatal(derr)
							}
							res, err = ExtractDocument(g.urls[i], doc, fetched)
						}
						if res == nil || len(res.Postings) == 0 {
							b.Fatalf("%s: no postings (%v)", g.urls[i], err)
						}
						if enrich {
							for j := range res.Postings {
								enr.Posting(&res.Postings[j])
							}
						}
						n += len(res.Postings)
					}
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "postings/s")
			})
		}
	}
}

// reportCPU reports the CPU time of the process (user and system, every
// thread: the garbage collector's too) per op of b as cpu-ns/op; call
// the function it returns when b's loop is done.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEnrich is the enrichment of one posting, over the postings of
// every HN era's page in turn (their descriptions are the text the
// classifier reads). SetBytes is the description's length.
func BenchmarkEnrich(b *testing.B) {
	var ps []jobtrends.Posting
	for _, e := range hnEras {
		res, _ := Extract(e.url(), readPage(b, e.path()), time.Time{})
		ps = append(ps, res.Postings...)
	}
	var total int64
	for _, p := range ps {
		total += int64(len(p.Description))
	}
	enr := NewEnricher()
	b.SetBytes(total / int64(len(ps)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		p := ps[n%len(ps)]
		enr.Posting(&p)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "postings/s")
}

// BenchmarkClassifier runs Industry and Education over the descriptions of
// every HN era's page in turn, with the word index (index) and with the
// plain regexps it replaced (plain), so that one run shows both.
// SetBytes is the mean description's length.
func BenchmarkClassifier(b *testing.B) {
	var texts []string
	var total int64
	for _, e := range hnEras {
		res, _ := Extract(e.url(), readPage(b, e.path()), time.Time{})
		for _, p := range res.Postings {
			texts = append(texts, p.Description)
			total += int64(len(p.Description))
		}
	}
	c := DefaultClassifier()
	for _, off := range []bool{false, true} {
		name := "index"
		if off {
			name = "plain"
		}
		b.Run(name, func(b *testing.B) {
			wordIndexOff = off
			defer func() { wordIndexOff = false }()
			b.SetBytes(total / int64(len(texts)))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				t := texts[n%len(texts)]
				c.Industry(t, "")
				c.Education(t)
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "texts/s")
		})
	}
}

// BenchmarkNewClassifier compiles the default rules: what every command
// pays once at start-up (config validation) before it does anything.
func BenchmarkNewClassifier(b *testing.B) {
	r := DefaultRules()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewClassifier(r); err != nil {
			b.Fatal(err)
		}
	}
}
