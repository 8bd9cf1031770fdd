package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/charts"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

func (a *app) cmdScrape(ctx context.Context, args []string) error {
	fs := a.newFlags("scrape", "[--config FILE] [--seed] [--worker [--visibility-timeout D]] [--frontier-prefix P]",
		"Crawl every configured source into the database (one run).\n\n"+
			"With the config's frontier: (a Redis), several processes on several machines\n"+
			"crawl together (docs/SCALE_OUT.md): --seed starts a new shared crawl with the\n"+
			"sources' start pages; --worker takes pages from the shared crawl until it is\n"+
			"done, storing into the database without the run lock (each worker records\n"+
			"its own run and never closes postings). --seed --worker does both.")
	cfgPath := fs.String("config", "", "config file (default: the embedded config.yaml)")
	seed := fs.Bool("seed", false, "start a new shared crawl in the frontier (fails while one is running)")
	worker := fs.Bool("worker", false, "work on the shared crawl of the frontier until it is done")
	vt := fs.Duration("visibility-timeout", defaultVisibilityTimeout, "how long a page taken by a worker that died stays with it before another worker gets it")
	prefix := fs.String("frontier-prefix", scraper.DefaultRedisPrefix, "prefix of the frontier's Redis keys (several crawls on one Redis database need their own)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *seed || *worker {
		return a.scrapeShared(ctx, cfg, sharedScrape{seed: *seed, work: *worker, vt: *vt, prefix: *prefix}, a.transport)
	}
	return a.withStore(ctx, cfg.Database, true, func(st *store.Store) error {
		return a.scrape(ctx, cfg, st, a.transport)
	})
}

func (a *app) cmdReport(ctx context.Context, args []string) error {
	fs := a.newFlags("report", "[--config FILE] [--out DIR] [--open]", "Write the HTML report from the database.")
	cfgPath := fs.String("config", "", "config file (default: the embedded config.yaml)")
	out := fs.String("out", "", "report folder (default: report.out from the config)")
	open := fs.Bool("open", false, "open the report in the default browser")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *out != "" {
		cfg.Report.Out = *out
	}
	return a.withStore(ctx, cfg.Database, false, func(st *store.Store) error {
		return a.report(ctx, cfg, st, "database "+store.DisplayName(cfg.Database), *open)
	})
}

func (a *app) cmdRun(ctx context.Context, args []string) error {
	fs := a.newFlags("run", "[--config FILE]",
		"Scrape every configured source, then write the report: the entry point for cron.\nQuiet on success except one summary line; exit 1 when a source or page failed\n(the report is still written), 75 when another run holds the lock.")
	cfgPath := fs.String("config", "", "config file (default: the embedded config.yaml)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	return a.withStore(ctx, cfg.Database, true, func(st *store.Store) error {
		scrapeErr := a.scrape(ctx, cfg, st, a.transport)
		var rf *runFailedError
		if scrapeErr != nil && !errors.As(scrapeErr, &rf) {
			return scrapeErr
		}
		if err := a.report(ctx, cfg, st, "database "+store.DisplayName(cfg.Database), false); err != nil {
			return err
		}
		return scrapeErr
	})
}

// withStore opens the database (taking the run lock first when write is
// true), runs fn and closes it.
func (a *app) withStore(ctx context.Context, path string, write bool, fn func(*store.Store) error) error {
	if write {
		unlock, err := store.Lock(path)
		if err != nil {
			return err
		}
		defer unlock()
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	err = fn(st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

// report builds the analyses from the store and writes the HTML report.
func (a *app) report(ctx context.Context, cfg *Config, st *store.Store, provenance string, open bool) error {
	runs, err := st.Runs(ctx, 200)
	if err != nil {
		return err
	}
	rep, err := buildReport(ctx, st, runSummaries(runs), analyze.Options{
		Now:              a.now(),
		GrowthBase:       cfg.Report.GrowthBase,
		IncludeEstimates: cfg.Report.IncludeEstimates,
	})
	if err != nil {
		return err
	}
	js, _, err := charts.LoadECharts()
	if err != nil {
		return err
	}
	err = charts.Write(cfg.Report.Out, rep, charts.Options{
		Title:      cfg.Report.Title,
		Generated:  a.now(),
		EChartsJS:  js,
		Provenance: provenance,
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	index, _ := filepath.Abs(filepath.Join(cfg.Report.Out, "index.html"))
	a.log.Debug("report written", "path", index, "postings", rep.Counts.Input)
	if open {
		return openBrowser(index)
	}
	return nil
}

// openBrowser opens path in the desktop's default browser.
func openBrowser(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", path)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s in a browser: %w (open it by hand)", path, err)
	}
	go cmd.Wait() //nolint:errcheck // the browser outlives us
	return nil
}
