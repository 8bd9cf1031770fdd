package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/internal/pgtest"
)

// benchPage returns a page of about 150 KB of HTML listing 50 postings.
func benchPage(n int) (jobtrends.Page, []jobtrends.Posting) {
	ps := postings(n*50, n*50+50)
	var b strings.Builder
	b.WriteString("<html><body><ul>")
	for _, p := range ps {
		fmt.Fprintf(&b, "<li><a href=%q>%s</a><p>%s</p></li>\n", p.URL, p.Title, p.Description[:2500])
	}
	b.WriteString("</ul></body></html>")
	return page(fmt.Sprintf("https://boards.example.com/acme?page=%d", n), t0.Add(time.Duration(n)*time.Second), b.String()), ps
}

// jobPage returns a job page of about 130 KB (the size of an Ashby job
// page) holding one posting.
func jobPage(n int) (jobtrends.Page, []jobtrends.Posting) {
	ps := postings(n, n+1)
	var b strings.Builder
	b.WriteString("<html><body>")
	for b.Len() < 130<<10 {
		fmt.Fprintf(&b, "<p>%s %d</p>\n", ps[0].Description[:2500], b.Len())
	}
	b.WriteString("</body></html>")
	return page(fmt.Sprintf("https://jobs.example.com/acme/%d", n), t0.Add(time.Duration(n)*time.Second), b.String()), ps
}

// BenchmarkSavePage saves pages of 50 postings: new ones (insert, body
// compressed and stored) and the same ones again (the daily re-crawl:
// unchanged postings, body already stored), into SQLite and, when
// JOBTRENDS_TEST_POSTGRES is set, into PostgreSQL; and (job-page) new job
// pages of one posting each, as an Ashby crawl stores them.
func BenchmarkSavePage(b *testing.B) {
	open := map[string]func(b *testing.B) *Store{
		"sqlite": func(b *testing.B) *Store {
			return openTestPath(b, filepath.Join(b.TempDir(), "bench.db"), defaultOptions())
		},
		"postgres": func(b *testing.B) *Store {
			s, err := Open(context.Background(), pgtest.URL(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, again := range []bool{false, true} {
			name := backend + "/new"
			if again {
				name = backend + "/unchanged"
			}
			b.Run(name, func(b *testing.B) { benchSavePage(b, open[backend](b), benchPage, again) })
		}
		b.Run(backend+"/job-page", func(b *testing.B) { benchSavePage(b, open[backend](b), jobPage, false) })
	}
}

func benchSavePage(b *testing.B, s *Store, benchPage func(int) (jobtrends.Page, []jobtrends.Posting), again bool) {
	ctx := context.Background()
	pg, ps := benchPage(0)
	if again {
		if _, err := s.SavePage(ctx, 0, pg, ps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		if !again {
			pg, ps = benchPage(n + 1)
		}
		pg.Fetched = pg.Fetched.Add(time.Second)
		if _, err := s.SavePage(ctx, 0, pg, ps); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n*len(ps))/b.Elapsed().Seconds(), "postings/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the CPU time of the process (user and system, every
// thread): per op, steadier than ns/op on a shared machine. A server
// database's own CPU is not in it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReportGroups is the CLI's report analysis: ReportGroups
// counting a database of 10k or 100k varied postings (variedPostings:
// several sources and years, salaries of every provenance, cross-source
// duplicates) into an analyze.Groups, then the Report, on SQLite and, when
// JOBTRENDS_TEST_POSTGRES is set, PostgreSQL. Filling the database is not
// timed. 1M postings: jtbench filldb and jtbench report -mode db
// (bench/README.md).
func BenchmarkReportGroups(b *testing.B) {
	ctx := context.Background()
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, n := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/postings=%d", backend, n), func(b *testing.B) {
				var s *Store
				if backend == "sqlite" {
					s = openTestPath(b, filepath.Join(b.TempDir(), "bench.db"), defaultOptions())
				} else {
					var err error
					if s, err = Open(ctx, pgtest.URL(b)); err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { s.Close() })
				}
				ps := variedPostings(n)
				for i := 0; i < n; i += 1000 {
					if _, err := s.SavePage(ctx, 0, page(fmt.Sprintf("https://boards.example.com/p%d", i), t0, fmt.Sprint(i)), ps[i:i+1000]); err != nil {
						b.Fatal(err)
					}
				}
				opt := analyze.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
				b.ReportAllocs()
				for b.Loop() {
					g := analyze.NewGroups(opt)
					if err := s.ReportGroups(ctx, g); err != nil {
						b.Fatal(err)
					}
					if rep := g.Report(nil); rep.Counts.Input != n {
						b.Fatalf("counted %d postings, want %d", rep.Counts.Input, n)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
			})
		}
	}
}
