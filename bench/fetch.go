package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/html"
)

// result is what a contender prints as its last line of output: the work
// it did within its budget and what that cost, measured inside the
// process (start-up excluded). The orchestrator adds the peak RSS of the
// whole process.
type result struct {
	Contender string  `json:"contender"`
	Pages     int     `json:"pages"`    // pages fetched (and parsed, stored: whatever the contender does)
	Bytes     int64   `json:"bytes"`    // body bytes of those pages
	Postings  int     `json:"postings"` // postings extracted (0 when the contender does not extract)
	Failed    int     `json:"failed"`   // pages that failed
	Wall      float64 `json:"wall"`     // seconds, from the listing request to the last page done
	CPU       float64 `json:"cpu"`      // user+system CPU seconds over the same span
	MaxRSSKB  int64   `json:"max_rss_kb,omitempty"`
	HeapKB    int64   `json:"heap_kb,omitempty"` // Go heap in use after a final GC (jobtrends only)
	Listed    int     `json:"listed"`            // URLs on the listing
}

// cpuSeconds returns the user+system CPU time of this process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return tv(ru.Utime) + tv(ru.Stime)
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// peakRSSKB returns the peak resident set size of this process so far.
func peakRSSKB() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss
}

// loopbackOnly refuses any URL whose host is not a loopback IP address
// literal (127.0.0.0/8, ::1): the benchmark never leaves the machine.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(u.Hostname())
	if err != nil || !ip.Unmap().IsLoopback() {
		return fmt.Errorf("refused: %s is not on a loopback address (the benchmark runs against 127.0.0.1 only)", raw)
	}
	return nil
}

// loopbackDial dials loopback addresses only, whatever a URL says.
func loopbackDial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip, err := netip.ParseAddr(host); err != nil || !ip.Unmap().IsLoopback() {
		return nil, fmt.Errorf("refused to dial %s: not a loopback address", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// readListing fetches the listing and returns the URLs it links to, each
// checked to be on loopback.
func readListing(client *http.Client, listing string) ([]string, error) {
	if err := loopbackOnly(listing); err != nil {
		return nil, err
	}
	resp, err := client.Get(listing)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("listing %s: %s", listing, resp.Status)
	}
	z := html.NewTokenizer(resp.Body)
	var urls []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return urls, nil
			}
			return nil, z.Err()
		case html.StartTagToken:
			name, attr := z.TagName()
			if string(name) != "a" || !attr {
				continue
			}
			for {
				k, v, more := z.TagAttr()
				if string(k) == "href" {
					if err := loopbackOnly(string(v)); err != nil {
						return nil, err
					}
					urls = append(urls, string(v))
				}
				if !more {
					break
				}
			}
		}
	}
}

// cmdFetch is the limit: a plain net/http client fetching every URL of the
// listing with N workers, reading each body fully into a buffer sized from
// Content-Length; with -parse, also one html.Parse of each body.
func cmdFetch(args []string) error {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	listing := fs.String("listing", "", "listing URL (on 127.0.0.1)")
	workers := fs.Int("workers", 8, "concurrent requests")
	parse := fs.Bool("parse", false, "html.Parse each body")
	budget := fs.Duration("budget", 0, "stop starting pages after this long (0: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tr := &http.Transport{DialContext: loopbackDial, MaxIdleConnsPerHost: *workers, Proxy: nil}
	client := &http.Client{Transport: tr}
	cpu0, t0 := cpuSeconds(), time.Now()
	urls, err := readListing(client, *listing)
	if err != nil {
		return err
	}
	deadline := time.Time{}
	if *budget > 0 {
		deadline = t0.Add(*budget)
	}
	var (
		next          atomic.Int64
		pages, failed atomic.Int64
		nbytes        atomic.Int64
		wg            sync.WaitGroup
	)
	for range *workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(urls) || (!deadline.IsZero() && time.Now().After(deadline)) {
					return
				}
				body, err := get(client, urls[i])
				if err == nil && *parse {
					_, err = html.Parse(bytes.NewReader(body))
				}
				if err != nil {
					failed.Add(1)
					continue
				}
				pages.Add(1)
				nbytes.Add(int64(len(body)))
			}
		})
	}
	wg.Wait()
	name := "net/http"
	if *parse {
		name = "net/http+html.Parse"
	}
	return json.NewEncoder(os.Stdout).Encode(result{
		Contender: name, Pages: int(pages.Load()), Bytes: nbytes.Load(), Failed: int(failed.Load()),
		Wall: time.Since(t0).Seconds(), CPU: cpuSeconds() - cpu0, Listed: len(urls),
	})
}

// get fetches one URL and reads its body fully.
func get(client *http.Client, u string) ([]byte, error) {
	resp, err := client.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	if resp.ContentLength > 0 {
		body := make([]byte, resp.ContentLength)
		_, err := io.ReadFull(resp.Body, body)
		return body, err
	}
	return io.ReadAll(resp.Body)
}
