package charts

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/bench/synth"
)

// reportSizes are the numbers of synthetic postings of BenchmarkReport; the
// largest only with -benchtime=1x.
var reportSizes = []int{10_000, 100_000, 1_000_000}

// BenchmarkReport is the report step of a run with the postings streamed
// (the CLI has the database count them: jtbench report -mode db):
// synthetic postings drawn from the real distributions of the bundled demo
// pages (package bench/synth) made one at a time and streamed twice
// through an analyze.Builder (never held; their making is included), then
// Write to a temporary folder (fsync and rename included). SetBytes is the size of the report written (index.html
// and data/*.csv, the ECharts library left out), so MB/s is the rate at
// which the report is produced; postings/s is the rate at which postings
// are turned into it, and report-bytes shows that the report does not grow
// with the number of postings (charts carry aggregates).
func BenchmarkReport(b *testing.B) {
	pool, err := synth.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range reportSizes {
		b.Run(fmt.Sprintf("postings=%d", n), func(b *testing.B) {
			if n > 100_000 && !benchOnce() {
				b.Skip("1M postings only with -benchtime=1x")
			}
			dir := filepath.Join(b.TempDir(), "report")
			opt := Options{EChartsJS: fakeECharts, Generated: synth.Now, Provenance: "benchmark"}
			b.ReportAllocs()
			size := int64(0)
			for b.Loop() {
				rep, err := analyze.Stream(analyze.Options{Now: synth.Now}, nil,
					func(fn func(*jobtrends.Posting) error) error { return pool.Each(n, 1, fn) })
				if err != nil {
					b.Fatal(err)
				}
				if err := Write(dir, rep, opt); err != nil {
					b.Fatal(err)
				}
				if size == 0 {
					size = reportBytes(b, dir)
					b.SetBytes(size)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
			b.ReportMetric(float64(size), "report-bytes")
		})
	}
}

// BenchmarkWrite renders and writes the report of 100k synthetic postings,
// the analysis done beforehand. SetBytes is the size of the report written
// (index.html and data/*.csv).
func BenchmarkWrite(b *testing.B) {
	pool, err := synth.Load()
	if err != nil {
		b.Fatal(err)
	}
	rep := analyze.Build(pool.Postings(100_000, 1), nil, analyze.Options{Now: synth.Now})
	dir := filepath.Join(b.TempDir(), "report")
	opt := Options{EChartsJS: fakeECharts, Generated: time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC), Provenance: "benchmark"}
	if err := Write(dir, rep, opt); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(reportBytes(b, dir))
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(dir, rep, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// reportBytes is the size of a written report: index.html and data/*.csv.
func reportBytes(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	names, err := filepath.Glob(filepath.Join(dir, "data", "*.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, name := range append(names, filepath.Join(dir, "index.html")) {
		fi, err := os.Stat(name)
		if err != nil {
			tb.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}

// benchOnce reports whether the benchmarks run one iteration each
// (-benchtime=1x).
func benchOnce() bool {
	f := flag.Lookup("test.benchtime")
	return f != nil && f.Value.String() == "1x"
}
