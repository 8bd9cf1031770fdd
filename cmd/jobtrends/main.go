// Command jobtrends collects job postings for machine-learning engineers
// from the public web and turns them into trend reports.
//
// This package is the only place that reads config.yaml, flags, the
// environment and the clock, and the only one that calls os.Exit. Each
// subcommand lives in its own file (cmd_*.go).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

const defaultUserAgent = "jobtrends/" + jobtrends.Version + " (+https://github.com/jobtrends/jobtrends)"

// Exit codes, documented in the README and in `jobtrends --help`.
const (
	exitOK     = 0
	exitFailed = 1  // a run failed: some source or page failed, or a source dropped to zero
	exitUsage  = 2  // usage or config error
	exitLocked = 75 // EX_TEMPFAIL: another run holds the lock
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now, getenv: os.Getenv}
	err := a.run(ctx, os.Args[1:])
	os.Exit(exitCode(err, a.stderr))
}

// app holds what every command depends on, so tests run commands with
// buffers, a replay transport and a fixed clock.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
	getenv         func(string) string
	// transport replaces the network (tests); nil means the real one.
	transport http.RoundTripper
	log       *slog.Logger
	logFormat string
	logLevel  string
}

type command struct {
	name    string
	summary string
	run     func(a *app, ctx context.Context, args []string) error
}

// commands is the subcommand table.
var commands []command

func init() {
	// Set here rather than in the var declaration to break the
	// initialization cycle through help().
	commands = []command{
		{"demo", "run the whole pipeline offline on the bundled real pages and write a report", (*app).cmdDemo},
		{"run", "scrape, then report (the cron entry point)", (*app).cmdRun},
		{"scrape", "crawl the configured sources into the database (--seed/--worker: shared crawl)", (*app).cmdScrape},
		{"report", "write the HTML report from the database", (*app).cmdReport},
		{"import", "backfill history from saved pages, HN dumps or tables (CSV, JSON Lines, JSON)", (*app).cmdImport},
		{"reparse", "run the current parsers again over the stored raw pages (no fetching)", (*app).cmdReparse},
		{"extract", "parse saved pages without a database; one JSON posting per line", (*app).cmdExtract},
		{"salary", "parse salary text; one JSON object per input", (*app).cmdSalary},
		{"export", "write every stored posting as CSV or JSON Lines", (*app).cmdExport},
		{"version", "print the version and where reports get ECharts from", (*app).cmdVersion},
	}
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintf(w, `jobtrends %s — job-market trends for machine-learning engineers

Usage: jobtrends [--log-format text|json] [--log-level debug|info|warn|error] COMMAND [flags]

Commands:
`, jobtrends.Version)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "jobtrends COMMAND --help" for a command's flags.

Exit codes:
  0   success
  1   a run failed: some source or page failed, or a source dropped to zero postings
  2   usage or config error
  75  another run holds the lock, or scrape --seed found a shared crawl still
      running (EX_TEMPFAIL); try again later
`)
}

func (a *app) run(ctx context.Context, args []string) error {
	a.logFormat, a.logLevel = "text", "info"
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		name, val, hasVal := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		switch name {
		case "h", "help":
			a.usage(a.stdout)
			return nil
		case "log-format", "log-level":
			if !hasVal {
				if len(args) < 2 {
					return usageErrorf("--%s needs a value", name)
				}
				val, args = args[1], args[1:]
			}
			if name == "log-format" {
				a.logFormat = val
			} else {
				a.logLevel = val
			}
		default:
			return usageErrorf("unknown flag %s (see jobtrends --help)", args[0])
		}
		args = args[1:]
	}
	if err := a.setupLog(); err != nil {
		return err
	}
	if len(args) == 0 {
		a.usage(a.stderr)
		return usageErrorf("no command given")
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(a, ctx, args[1:])
		}
	}
	if args[0] == "help" {
		a.usage(a.stdout)
		return nil
	}
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	sort.Strings(names)
	return usageErrorf("unknown command %q (want one of %s)", args[0], strings.Join(names, ", "))
}

func (a *app) setupLog() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.logLevel)); err != nil {
		return usageErrorf("--log-level: %q is not one of debug, info, warn, error", a.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch a.logFormat {
	case "text":
		a.log = slog.New(slog.NewTextHandler(a.stderr, opts))
	case "json":
		a.log = slog.New(slog.NewJSONHandler(a.stderr, opts))
	default:
		return usageErrorf("--log-format: %q is not text or json", a.logFormat)
	}
	return nil
}

// usageError is a mistake in the command line or the config: exit 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// runFailedError says a run completed but something in it failed: exit 1.
type runFailedError struct{ msg string }

func (e *runFailedError) Error() string { return e.msg }

// errHelp is returned after --help was printed.
var errHelp = errors.New("help shown")

func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, errHelp) {
		return exitOK
	}
	fmt.Fprintln(stderr, "jobtrends:", err)
	var ue *usageError
	var ce *ConfigError
	switch {
	case errors.Is(err, store.ErrLocked), errors.Is(err, scraper.ErrCrawlRunning):
		return exitLocked
	case errors.As(err, &ue), errors.As(err, &ce):
		return exitUsage
	}
	return exitFailed
}
