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
