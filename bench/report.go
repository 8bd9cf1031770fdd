package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/bench/synth"
	"github.com/jobtrends/jobtrends/charts"
	"github.com/jobtrends/jobtrends/store"
)

// reportResult is what the report command prints.
type reportResult struct {
	Postings int    `json:"postings"`
	Mode     string `json:"mode"` // stream, slice or db
	// Build is the seconds of the analysis: in the stream and db modes
	// both passes, the making (stream) or reading (db) of the postings
	// included; in the slice mode analyze.Build over postings made
	// beforehand.
	Build float64 `json:"build"`
	// Source is the seconds of one pass that only makes (stream) or reads
	// (db) the postings, measured after the report: Build - 2×Source is
	// the analysis alone.
	Source      float64 `json:"source"`
	Write       float64 `json:"write"`        // seconds in charts.Write
	ReportBytes int64   `json:"report_bytes"` // index.html + data/*.csv
	// MaxRSSKB is the peak RSS of the whole process, the synthetic
	// postings included where they are held (slice mode).
	MaxRSSKB int64 `json:"max_rss_kb"`
	// HeldRSSKB is the peak RSS before the analysis: in the slice mode
	// what the postings themselves take.
	HeldRSSKB int64 `json:"held_rss_kb"`
}

// cmdReport measures the report step of a run at N postings, then prints
// the peak RSS of the process. Modes:
//
//	stream  synthetic postings (package bench/synth) made one at a time
//	        and streamed twice through analyze.Builder, as the CLI streamed
//	        the store's before ReportGroups (the default mode)
//	slice   the same postings held in a slice and given to analyze.Build:
//	        how the CLI held every posting before the Builder
//	db      the postings of a SQLite or PostgreSQL database (jtbench
//	        filldb) counted by the database (store.ReportGroups: GROUP BY
//	        queries), as the CLI does
//	dbstream the same database's postings read with store.ReportPostings,
//	        twice, through analyze.Builder (how the CLI read them before)
//
// and then charts.Write to a temporary folder, timed.
func cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	n := fs.Int("postings", 1_000_000, "synthetic postings (stream and slice modes)")
	mode := fs.String("mode", "stream", "stream, slice, db or dbstream")
	dbPath := fs.String("db", "", "database of the db modes: a SQLite file or postgres:// URL (jtbench filldb)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the analysis and charts.Write to `file`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	opt := analyze.Options{Now: synth.Now}
	var (
		held   int64
		build  func() (*analyze.Report, error)
		source func() error // one pass over the postings, doing nothing
	)
	switch *mode {
	case "slice":
		pool, err := synth.Load()
		if err != nil {
			return err
		}
		ps := pool.Postings(*n, 1)
		build = func() (*analyze.Report, error) { return analyze.Build(ps, nil, opt), nil }
		defer runtime.KeepAlive(ps)
	case "stream":
		pool, err := synth.Load()
		if err != nil {
			return err
		}
		build = func() (*analyze.Report, error) {
			return analyze.Stream(opt, nil, func(fn func(*jobtrends.Posting) error) error { return pool.Each(*n, 1, fn) })
		}
		source = func() error { return pool.Each(*n, 1, func(*jobtrends.Posting) error { return nil }) }
	case "db", "dbstream":
		if *dbPath == "" {
			return fmt.Errorf("report: -mode %s needs -db PATH (make one with jtbench filldb)", *mode)
		}
		st, err := store.Open(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer st.Close()
		if *mode == "db" {
			build = func() (*analyze.Report, error) {
				g := analyze.NewGroups(opt)
				if err := st.ReportGroups(ctx, g); err != nil {
					return nil, err
				}
				return g.Report(nil), nil
			}
			break
		}
		build = func() (*analyze.Report, error) {
			return analyze.Stream(opt, nil, func(fn func(*jobtrends.Posting) error) error { return st.ReportPostings(ctx, fn) })
		}
		source = func() error { return st.ReportPostings(ctx, func(*jobtrends.Posting) error { return nil }) }
	default:
		return fmt.Errorf("report: -mode %q: want stream, slice, db or dbstream", *mode)
	}
	runtime.GC()
	held = peakRSSKB()
	dir, err := os.MkdirTemp("", "issue7-bench-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "report")

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	t0 := time.Now()
	rep, err := build()
	if err != nil {
		return err
	}
	t1 := time.Now()
	err = charts.Write(out, rep, charts.Options{EChartsJS: []byte("/* ECharts left out of the benchmark */"), Generated: synth.Now, Provenance: "jtbench"})
	t2 := time.Now()
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	size, err := reportBytes(out)
	if err != nil {
		return err
	}
	res := reportResult{
		Postings: rep.Counts.Input, Mode: *mode, Build: t1.Sub(t0).Seconds(), Write: t2.Sub(t1).Seconds(),
		ReportBytes: size, MaxRSSKB: peakRSSKB(), HeldRSSKB: held,
	}
	if source != nil {
		t3 := time.Now()
		if err := source(); err != nil {
			return err
		}
		res.Source = time.Since(t3).Seconds()
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

// cmdFillDB writes a new SQLite database of N synthetic postings (the ones
// report -mode stream makes), saved through store.SavePage in pages of
// 1,000, each with a description of -description bytes (the synthetic
// postings have none; stored ones do, and the report must not read them).
func cmdFillDB(args []string) error {
	fs := flag.NewFlagSet("filldb", flag.ContinueOnError)
	n := fs.Int("postings", 1_000_000, "synthetic postings")
	dbPath := fs.String("db", "", "database to create (must not exist)")
	descBytes := fs.Int("description", 1500, "bytes of description per posting")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dbPath == "" {
		return errors.New("filldb: -db PATH is required")
	}
	if _, err := os.Stat(*dbPath); err == nil {
		return fmt.Errorf("filldb: %s exists", *dbPath)
	}
	pool, err := synth.Load()
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	desc := strings.Repeat("We train and ship machine learning models; PyTorch, Kubernetes, Python. ", *descBytes/72+1)[:*descBytes]
	const perPage = 1000
	batch := make([]jobtrends.Posting, 0, perPage)
	pages := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		pg := jobtrends.Page{URL: fmt.Sprintf("https://synthetic.example/page/%d", pages), Source: "synthetic",
			Fetched: synth.Now, Status: 200, ContentType: "text/html", Body: fmt.Appendf(nil, "<html>page %d</html>", pages)}
		pages++
		_, err := st.SavePage(ctx, 0, pg, batch)
		batch = batch[:0]
		return err
	}
	t0 := time.Now()
	err = pool.Each(*n, 1, func(p *jobtrends.Posting) error {
		q := *p
		q.Description = desc
		batch = append(batch, q)
		if len(batch) == perPage {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("filldb %s: %w", *dbPath, err)
	}
	fmt.Fprintf(os.Stderr, "filldb: %d postings in %s (%.0f postings/s)\n", *n, *dbPath, float64(*n)/time.Since(t0).Seconds())
	return nil
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
