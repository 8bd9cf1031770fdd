// Command jtbench is the jobtrends benchmark script's engine (see
// README.md; bench/run.sh builds and runs it). It measures, in one run on
// one machine, with the contenders alternating round after round:
//
//	net/http               the limit: a plain Go client fetching every URL with N workers
//	net/http+html.Parse    the same plus one html.Parse of each body
//	jobtrends              the full pipeline: the real scraper (Colly), parse, enrich, SQLite store
//	jobtrends (no enrich)  the same without enrichment, to show what it costs
//	crawlee                Crawlee's CheerioCrawler with an equivalent extraction (crawlee.mjs)
//
// against a replay server of real corpus pages on 127.0.0.1, and then the
// memory of a jobtrends crawl at growing page counts and the time and
// memory of the report step at up to a million synthetic postings.
//
// Subcommands (each contender is its own process, so that its CPU time
// and peak RSS are its own):
//
//	jtbench run [flags]     everything above; prints the tables
//	jtbench serve           the replay server
//	jtbench fetch           the net/http contenders
//	jtbench crawl           the jobtrends contenders
//	jtbench report          analysis and report at N postings (streamed,
//	                        held in a slice, or read from a SQLite database)
//	jtbench filldb          a SQLite database of N synthetic postings, for
//	                        report -db
//
// Nothing here reaches the network: every URL must be a loopback address.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: jtbench run|serve|fetch|crawl|report|filldb [flags] (see bench/README.md)")
		os.Exit(2)
	}
	cmds := map[string]func([]string) error{
		"run": cmdRun, "serve": cmdServe, "fetch": cmdFetch, "crawl": cmdCrawl, "report": cmdReport,
		"filldb": cmdFillDB,
	}
	cmd, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "jtbench: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
	if err := cmd(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "jtbench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
