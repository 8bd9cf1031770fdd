package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/jobtrends/jobtrends"
)

// newFlags returns a flag set for a subcommand whose --help prints the
// summary, the usage line and the flags.
func (a *app) newFlags(name, usage, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(a.stdout, "Usage: jobtrends %s %s\n\n%s\n", name, usage, about)
		var n int
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(a.stdout, "\nFlags:")
			fs.SetOutput(a.stdout)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
	}
	return fs
}

// parseFlags parses args; --help prints the usage and returns errHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return errHelp
		}
		return &usageError{fmt.Errorf("%s: %w (see jobtrends %s --help)", fs.Name(), err, fs.Name())}
	}
	return nil
}

// loadConfig reads the config named by --config, or the embedded default.
func loadConfig(path string) (*Config, error) {
	if path == "" {
		return ParseConfig("config.yaml (embedded default)", jobtrends.DefaultConfig)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &usageError{fmt.Errorf("config: %w", err)}
	}
	return ParseConfig(path, data)
}
