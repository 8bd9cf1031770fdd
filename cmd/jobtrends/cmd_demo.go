package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/demo"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

func (a *app) cmdDemo(ctx context.Context, args []string) error {
	fs := a.newFlags("demo", "[--out DIR] [--open]",
		"Run the real pipeline — Colly crawl, parse, SQLite, analysis, report — over the real pages\nbundled in the binary (Hacker News \"Who is hiring?\" threads 2019-2026, a JSON-LD job page, Greenhouse, Lever and\nAshby API responses), served by a replay transport: no network is used; then imports the\nbundled HN monthly dumps (one month a quarter, 2013-2018) as history. Writes DIR/jobtrends.db and DIR/report/index.html\nand prints where the report is.")
	out := fs.String("out", "", "folder for the demo database and report (default: a new temporary folder)")
	open := fs.Bool("open", false, "open the report in the default browser")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		d, err := os.MkdirTemp("", "jobtrends-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	cfg, err := ParseConfig("demo config.yaml (embedded)", demo.Config())
	if err != nil {
		return err
	}
	cfg.Database = filepath.Join(dir, "jobtrends.db")
	cfg.Report.Out = filepath.Join(dir, "report")
	transport, err := demoTransport()
	if err != nil {
		return err
	}
	start := time.Now()
	err = a.withStore(ctx, cfg.Database, true, func(st *store.Store) error {
		if err := a.scrape(ctx, cfg, st, transport); err != nil {
			return err
		}
		if err := a.importDemoDumps(ctx, cfg, st); err != nil {
			return err
		}
		return a.report(ctx, cfg, st, "demo: real pages bundled with jobtrends, crawled offline", false)
	})
	if err != nil {
		return err
	}
	index, _ := filepath.Abs(filepath.Join(cfg.Report.Out, "index.html"))
	fmt.Fprintf(a.stdout, "demo report: %s\n(database: %s; took %s)\n", index, cfg.Database, time.Since(start).Round(time.Millisecond))
	if *open {
		return openBrowser(index)
	}
	return nil
}

// demoTransport serves the bundled pages under their original URLs.
func demoTransport() (http.RoundTripper, error) {
	pages, err := demo.Pages()
	if err != nil {
		return nil, err
	}
	m := make(map[string]scraper.Replayed, len(pages))
	for _, p := range pages {
		m[p.URL] = scraper.Replayed{Header: http.Header{"Content-Type": {p.ContentType}}, Body: p.Body}
	}
	return scraper.NewReplay(m), nil
}

// importDemoDumps imports the bundled HN monthly dumps (2013-2018) through
// the same path as `jobtrends import`, so the demo has history back to
// 2013.
func (a *app) importDemoDumps(ctx context.Context, cfg *Config, st *store.Store) error {
	dumps, err := demo.Dumps()
	if err != nil {
		return err
	}
	enr, err := newEnricher(cfg)
	if err != nil {
		return err
	}
	im := &importer{a: a, st: st, enr: enr}
	for _, d := range dumps {
		month, ok := parse.MonthFromName(d.Name)
		if !ok {
			return fmt.Errorf("demo: dump %s has no month in its name", d.Name)
		}
		origin := "demo:dumps/" + d.Name
		ps, err := parse.HNDumpMonth(bytes.NewReader(d.Body), month, origin)
		if err != nil {
			return fmt.Errorf("demo: dump %s: %w", d.Name, err)
		}
		page := jobtrends.Page{URL: origin, Source: "hn", Fetched: a.now(), Status: 200, ContentType: "application/json"}
		if err := im.save(ctx, page, ps, origin); err != nil {
			return err
		}
	}
	a.log.Info("demo history imported", "dumps", len(dumps), "postings", im.postings, "new", im.counts.New)
	return nil
}
