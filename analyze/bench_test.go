package analyze

import (
	"flag"
	"fmt"
	"testing"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/bench/synth"
)

// benchSizes are the numbers of synthetic postings the analysis and report
// benchmarks run at. The largest is run only with -benchtime=1x (one
// iteration: building a million postings takes longer than the
// measurement).
var benchSizes = []int{10_000, 100_000, 1_000_000}

// benchOnce reports whether the benchmarks run one iteration each
// (-benchtime=1x).
func benchOnce() bool {
	f := flag.Lookup("test.benchtime")
	return f != nil && f.Value.String() == "1x"
}

// BenchmarkBuild runs the whole analysis over synthetic postings drawn from
// the real distributions of the bundled demo pages (package bench/synth),
// and reports postings/s. (No SetBytes: a posting has no byte size that
// would make MB/s mean anything.)
func BenchmarkBuild(b *testing.B) {
	pool, err := synth.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("postings=%d", n), func(b *testing.B) {
			if n > 100_000 && !benchOnce() {
				b.Skip("1M postings only with -benchtime=1x")
			}
			ps := pool.Postings(n, 1)
			opt := Options{Now: synth.Now}
			b.ReportAllocs()
			for b.Loop() {
				rep := Build(ps, nil, opt)
				if rep.Counts.Input != n {
					b.Fatalf("counted %d postings, want %d", rep.Counts.Input, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
		})
	}
}

// BenchmarkBuilderStream is the report's analysis over postings streamed
// (the CLI's report has the database count them instead: store's
// ReportGroups, measured by jtbench report -mode db): the synthetic postings made one at a time and streamed twice through a
// Builder (never held), the making of them included. Peak memory is the
// Builder's (see jtbench report -mode stream for RSS).
func BenchmarkBuilderStream(b *testing.B) {
	pool, err := synth.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("postings=%d", n), func(b *testing.B) {
			if n > 100_000 && !benchOnce() {
				b.Skip("1M postings only with -benchtime=1x")
			}
			opt := Options{Now: synth.Now}
			b.ReportAllocs()
			for b.Loop() {
				rep, err := Stream(opt, nil, func(fn func(*jobtrends.Posting) error) error { return pool.Each(n, 1, fn) })
				if err != nil {
					b.Fatal(err)
				}
				if rep.Counts.Input != n {
					b.Fatalf("counted %d postings, want %d", rep.Counts.Input, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
		})
	}
}
