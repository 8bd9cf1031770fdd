package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/bench/synth"
	"github.com/jobtrends/jobtrends/charts"
)

// reportResult is what the report command prints.
type reportResult struct {
	Postings    int     `json:"postings"`
	Build       float64 `json:"build"`        // seconds in analyze.Build
	Write       float64 `json:"write"`        // seconds in charts.Write
	ReportBytes int64   `json:"report_bytes"` // index.html + data/*.csv
	// MaxRSSKB is the peak RSS of the whole process: the synthetic
	// postings (held as the CLI holds the store's postings) included.
	MaxRSSKB int64 `json:"max_rss_kb"`
	// HeldRSSKB is the peak RSS once the postings were built, before the
	// analysis: what the postings themselves take.
	HeldRSSKB int64 `json:"held_rss_kb"`
}

// cmdReport measures the report step of a run at N postings: synthetic
// postings drawn from the real distributions (package bench/synth) held in
// memory as the CLI holds the store's, then analyze.Build and charts.Write
// to a temporary folder, timed; then the peak RSS of the process.
func cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	n := fs.Int("postings", 1_000_000, "synthetic postings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := synth.Load()
	if err != nil {
		return err
	}
	ps := pool.Postings(*n, 1)
	runtime.GC()
	held := peakRSSKB()
	dir, err := os.MkdirTemp("", "issue7-bench-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "report")

	t0 := time.Now()
	rep := analyze.Build(ps, nil, analyze.Options{Now: synth.Now})
	t1 := time.Now()
	err = charts.Write(out, rep, charts.Options{EChartsJS: []byte("/* ECharts left out of the benchmark */"), Generated: synth.Now, Provenance: "jtbench"})
	t2 := time.Now()
	if err != nil {
		return err
	}
	size, err := reportBytes(out)
	if err != nil {
		return err
	}
	runtime.KeepAlive(ps)
	return json.NewEncoder(os.Stdout).Encode(reportResult{
		Postings: *n, Build: t1.Sub(t0).Seconds(), Write: t2.Sub(t1).Seconds(),
		ReportBytes: size, MaxRSSKB: peakRSSKB(), HeldRSSKB: held,
	})
}

// reportBytes is the size of a written report: index.html and data/*.csv
// (the ECharts library and our static script are the same every time).
func reportBytes(dir string) (int64, error) {
	names, err := filepath.Glob(filepath.Join(dir, "data", "*.csv"))
	if err != nil {
		return 0, err
	}
	var n int64
	for _, name := range append(names, filepath.Join(dir, "index.html")) {
		fi, err := os.Stat(name)
		if err != nil {
			return 0, err
		}
		n += fi.Size()
	}
	return n, nil
}
