package scraper

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchThreads are the saved HN thread pages the crawl benchmarks read:
// every page a crawl of the 2019-06 and 2024-03 threads fetches.
var benchThreads = []string{hnItem + "20083795", hnItem + "39562986"}

// benchOptions are testOptions with politeness delays of a nanosecond:
// the benchmarks measure the pipeline, not the spacing.
func benchOptions(b *testing.B) Options {
	o := testOptions(b)
	o.Delay, o.MinDelay = time.Nanosecond, time.Nanosecond
	return o
}

// crawlBench crawls the benchmark threads once per iteration with a fresh
// Crawler (each iteration fetches every page again) and reports pages/s;
// SetBytes is the bytes of the pages handed to the sink.
func crawlBench(b *testing.B, o Options, starts []string) {
	ctx := context.Background()
	src := Source{Name: "hn", Type: "hn", StartURLs: starts}
	var size int64
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		sink := &memSink{}
		stats, err := Crawl(ctx, src, o, sink)
		if err != nil || stats.PagesFailed > 0 || stats.PagesFetched == 0 {
			b.Fatalf("crawl: %v; %+v", err, stats)
		}
		if size == 0 {
			for _, p := range sink.pages {
				size += int64(len(p.Body))
			}
			b.SetBytes(size)
		}
		pages += stats.PagesFetched
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkCrawlReplay is the scraper with parsing and extraction (the hn
// source type: Colly request engine, fetch layer, decode, one goquery
// document, parse.HNThread) over the replay transport: no network, no
// store, no enrichment.
func BenchmarkCrawlReplay(b *testing.B) {
	o := benchOptions(b)
	o.Transport = NewReplay(hnReplay(b))
	crawlBench(b, o, benchThreads)
}

// hnServer serves the saved HN pages on 127.0.0.1 under their path and
// query, unencoded with a Content-Length, and returns a transport and the
// start URLs of the benchmark threads on it.
func hnServer(b *testing.B) (*http.Transport, []string) {
	saved := hnReplay(b)
	pages := map[string][]byte{}
	for u, p := range saved {
		pages[strings.TrimPrefix(u, "https://news.ycombinator.com")] = p.Body
	}
	srv, _ := newServer(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r) // 4xx: allow all
			return
		}
		body, ok := pages[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	var starts []string
	for _, s := range benchThreads {
		starts = append(starts, srv.URL+strings.TrimPrefix(s, "https://news.ycombinator.com"))
	}
	tr := &http.Transport{Proxy: nil}
	b.Cleanup(tr.CloseIdleConnections)
	return tr, starts
}

// BenchmarkCrawlLoopback is BenchmarkCrawlReplay with the pages served by
// an HTTP server on 127.0.0.1: the same crawl plus the HTTP round trips.
func BenchmarkCrawlLoopback(b *testing.B) {
	tr, starts := hnServer(b)
	o := benchOptions(b)
	o.Transport = tr
	crawlBench(b, o, starts)
}

// BenchmarkFetch fetches one saved HN page (2019-06 page 1) from a server
// on 127.0.0.1, without parsing it: through the scraper's fetch layer and
// Colly ("scraper"), and with a plain net/http client on the same
// transport ("net/http"), so that the fetch layer's own cost is the
// difference. SetBytes is the page's size.
func BenchmarkFetch(b *testing.B) {
	tr, starts := hnServer(b)
	u := starts[0]
	b.Run("net/http", func(b *testing.B) {
		client := &http.Client{Transport: tr}
		var n int64
		b.ReportAllocs()
		for b.Loop() {
			resp, err := client.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			n, err = buf.ReadFrom(resp.Body)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(n)
	})
	b.Run("scraper", func(b *testing.B) {
		o := benchOptions(b)
		o.Transport = tr
		c := newCrawler(b, o)
		allow := allowOf(b, u)
		var n int64
		b.ReportAllocs()
		for b.Loop() {
			resp, err := get(context.Background(), c, allow, u)
			if err != nil {
				b.Fatal(err)
			}
			n = int64(len(resp.Body))
		}
		b.SetBytes(n)
	})
}
