package main

import (
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends/internal/pgtest"
)

// BenchmarkWorkers measures the pages per second of a shared crawl with
// 1, 2 and 3 worker processes (the test binary re-executed) against a
// local site of 4 hosts × 100 job pages, spacing off (delay 0s with
// allow_private), each job page answered at once or after 20 ms, as a
// remote server would. One iteration is one whole crawl (seed, workers,
// done) into a fresh SQLite file or PostgreSQL schema; needs
// JOBTRENDS_TEST_REDIS (and JOBTRENDS_TEST_POSTGRES for db=postgres). Run:
//
//	go test ./cmd/jobtrends -run '^$' -bench BenchmarkWorkers -benchtime 3x
func BenchmarkWorkers(b *testing.B) {
	const hosts, perHost = 4, 100
	for _, latency := range []time.Duration{0, 20 * time.Millisecond} {
		for _, db := range []string{"sqlite", "postgres"} {
			for workers := 1; workers <= 3; workers++ {
				b.Run(fmt.Sprintf("latency=%v/db=%s/workers=%d", latency, db, workers), func(b *testing.B) {
					addr, prefix := testRedis(b)
					site := newHostSite(b, hosts, perHost, latency)
					var elapsed time.Duration
					pages := 0
					for i := 0; b.Loop(); i++ {
						p := fmt.Sprintf("%s%d:", prefix, i)
						dbURL := ""
						if db == "postgres" {
							dbURL = pgtest.URL(b)
						}
						cfg, _ := site.config(b, b.TempDir(), addr, dbURL, 0)
						args := []string{"scrape", "--config", cfg, "--frontier-prefix", p}
						cmd, out := child(b, nil, append(args, "--seed")...)
						if code := exitOf(cmd.Wait()); code != 0 {
							b.Fatalf("seed: exit %d:\n%s", code, out)
						}
						before := site.pages()
						start := time.Now()
						var ws []*exec.Cmd
						var outs []fmt.Stringer
						for range workers {
							c, o := child(b, nil, append(args, "--worker")...)
							ws, outs = append(ws, c), append(outs, o)
						}
						for j, c := range ws {
							if code := exitOf(c.Wait()); code != 0 {
								b.Fatalf("worker %d: exit %d:\n%s", j, code, outs[j])
							}
						}
						elapsed += time.Since(start)
						pages += site.pages() - before
					}
					if want := b.N * hosts * (perHost + 1); pages != want {
						b.Fatalf("%d pages fetched, want %d", pages, want)
					}
					b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
				})
			}
		}
	}
}
