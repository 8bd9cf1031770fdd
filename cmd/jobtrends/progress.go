package main

import (
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// progressBar shows progress on long work when stderr is a terminal; it is
// silent otherwise (cron, tests, pipes).
type progressBar struct {
	bar *progressbar.ProgressBar
}

// progress starts an indeterminate progress bar labelled what, or a silent
// one when stderr is not a terminal.
func (a *app) progress(what string) *progressBar {
	f, ok := a.stderr.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return &progressBar{}
	}
	return &progressBar{bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("pages"),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(200_000_000),
	)}
}

func (p *progressBar) add(n int) {
	if p.bar != nil {
		p.bar.Add(n) //nolint:errcheck // display only
	}
}

func (p *progressBar) done() {
	if p.bar != nil {
		p.bar.Finish() //nolint:errcheck // display only
	}
}
