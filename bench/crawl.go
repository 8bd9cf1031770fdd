package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/internal/sink"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

// benchUA is the User-Agent of the benchmark crawl.
const benchUA = "jobtrends/bench (+https://github.com/jobtrends/jobtrends)"

func benchSources(urls []string) ([]scraper.Source, error) {
	var out []scraper.Source
	index := map[string]int{}
	add := func(name, typ, u string) {
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, scraper.Source{Name: name, Type: typ})
		}
		out[i].StartURLs = append(out[i].StartURLs, u)
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, err
		}
		parts := strings.SplitN(strings.TrimPrefix(u.Path, "/"), "/", 3)
		if len(parts) != 3 || parts[0] != "c" {
			return nil, fmt.Errorf("listing: unexpected URL %s", raw)
		}
		copyID := parts[1]
		switch {
		case parts[2] == "item" && u.Query().Get("p") == "":
			add("hn-"+copyID, "hn", raw)
		case parts[2] == "item":
			// reached through the thread's "More" link
		case strings.HasPrefix(parts[2], "job/"):
			add("jobs-"+copyID, "jsonld", raw)
		default:
			return nil, fmt.Errorf("listing: unexpected URL %s", raw)
		}
	}
	for i := range out {
		out[i].MaxPages = 10 * len(out[i].StartURLs)
	}
	return out, nil
}

// cmdCrawl is jobtrends' full pipeline over the listing's pages: the real
// scraper (Colly fetch, decode, one goquery document per page, the source
// type's parser), the CLI's enrichment and the SQLite store in a fresh
// file, one source after the other as `jobtrends scrape` does (or, with
// -parallel, the sources of each host at once on one shared Crawler).
//
// Politeness delays are turned off for the benchmark: Delay and MinDelay
// of a nanosecond, no jitter. The scraper has no setting that restricts a
// crawl to loopback (Options.AllowPrivate also permits private networks),
// so this command enforces it itself: the listing and every URL on it must
// be a loopback address literal, and a source only ever requests its start
// URLs' host:port (the scraper's exact allow-list), so nothing else can be
// reached.
func cmdCrawl(args []string) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	listing := fs.String("listing", "", "listing URL (on 127.0.0.1)")
	dir := fs.String("dir", "", "folder for the SQLite file (default: a temporary folder, removed after)")
	budget := fs.Duration("budget", 0, "stop starting pages after this long (0: none)")
	noEnrich := fs.Bool("noenrich", false, "store postings without enrichment (role, skills, education, industry, pay)")
	parallel := fs.Bool("parallel", false, "crawl the sources of each host at once (one goroutine per host) on one shared Crawler")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the crawl here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	if *dir == "" {
		d, err := os.MkdirTemp("", "issue7-bench-crawl-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	st, err := store.Open(ctx, filepath.Join(*dir, "bench.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	cpu0, t0 := cpuSeconds(), time.Now()
	client := &http.Client{Transport: &http.Transport{DialContext: loopbackDial, Proxy: nil}}
	urls, err := readListing(client, *listing)
	if err != nil {
		return err
	}
	sources, err := benchSources(urls)
	if err != nil {
		return err
	}
	for _, src := range sources {
		for _, u := range src.StartURLs {
			if err := loopbackOnly(u); err != nil {
				return err
			}
		}
	}
	crawler, err := scraper.New(scraper.Options{
		UserAgent:    benchUA,
		AllowPrivate: true, // loopback; checked above for every URL
		Delay:        time.Nanosecond,
		MinDelay:     time.Nanosecond,
		Jitter:       -1,
		RunBudget:    *budget,
	})
	if err != nil {
		return err
	}
	runID, err := st.StartRun(ctx, time.Now())
	if err != nil {
		return err
	}
	// The CLI's sink (internal/sink); without an enricher it stores the
	// postings as extracted, to show what enrichment costs.
	var enr *parse.Enricher
	name := "jobtrends"
	if !*noEnrich {
		enr = parse.NewEnricher()
	} else {
		name += " (no enrich)"
	}
	out := sink.New(st, runID, enr)
	var (
		sunk      sync.Mutex
		sunkBytes int64
		sunkPosts int
	)
	out.OnPage = func(page jobtrends.Page, ps []jobtrends.Posting) {
		sunk.Lock()
		sunkBytes += int64(len(page.Body))
		sunkPosts += len(ps)
		sunk.Unlock()
	}
	workers := runtime.GOMAXPROCS(0)
	out.Start(workers, 2*workers)
	var (
		mu    sync.Mutex
		all   []store.SourceStats
		pages int
		fails int
		errs  []error
	)
	crawl := func(src scraper.Source) error {
		stats, err := crawler.Crawl(ctx, src, out)
		mu.Lock()
		defer mu.Unlock()
		all = append(all, store.SourceStats{Source: src.Name, PagesFetched: stats.PagesFetched, PagesFailed: stats.PagesFailed,
			Complete: err == nil && stats.Complete})
		pages += stats.PagesFetched
		fails += stats.PagesFailed + stats.RobotsBlocked + stats.PagesSkipped
		if len(errs) < 5 {
			errs = append(errs, stats.Errors...)
		}
		return err
	}
	if *parallel {
		name += " ×hosts"
		byHost := map[string][]scraper.Source{}
		var hosts []string
		for _, src := range sources {
			u, _ := url.Parse(src.StartURLs[0])
			if _, ok := byHost[u.Host]; !ok {
				hosts = append(hosts, u.Host)
			}
			byHost[u.Host] = append(byHost[u.Host], src)
		}
		var wg sync.WaitGroup
		errc := make(chan error, len(hosts))
		for _, h := range hosts {
			wg.Go(func() {
				for _, src := range byHost[h] {
					if err := crawl(src); err != nil {
						errc <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		if err := <-errc; err != nil {
			return err
		}
	} else {
		for _, src := range sources {
			if err := crawl(src); err != nil {
				return err
			}
		}
	}
	if err := out.Stop(); err != nil {
		return err
	}
	if err := st.FinishRun(ctx, runID, time.Now(), store.StatusOK, "", all); err != nil {
		return err
	}
	wall, cpu := time.Since(t0).Seconds(), cpuSeconds()-cpu0
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	for _, e := range errs {
		fmt.Fprintln(os.Stderr, "jtbench crawl: page error:", e)
	}
	if pages == 0 {
		return errors.New("crawl: no page fetched")
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return json.NewEncoder(os.Stdout).Encode(result{
		Contender: name, Pages: pages, Bytes: sunkBytes, Postings: sunkPosts, Failed: fails,
		Wall: wall, CPU: cpu, Listed: len(urls), HeapKB: int64(ms.HeapInuse >> 10),
	})
}
