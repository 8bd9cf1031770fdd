package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/store"
)

func (a *app) cmdExport(ctx context.Context, args []string) error {
	fs := a.newFlags("export", "[--config FILE] [--format csv|jsonl] [--out FILE]",
		"Write every stored posting, with the fields of `extract` plus first_seen and last_seen.\nCSV cells that a spreadsheet would run as a formula are prefixed with an apostrophe.")
	cfgPath := fs.String("config", "", "config file (default: the embedded config.yaml)")
	format := fs.String("format", "jsonl", "csv or jsonl")
	out := fs.String("out", "", "output file (default: standard output); written atomically")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "csv" && *format != "jsonl" {
		return usageErrorf("export: --format %q: want csv or jsonl", *format)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	return a.withStore(ctx, cfg.Database, false, func(st *store.Store) error {
		if *out == "" {
			return export(ctx, st, *format, a.stdout)
		}
		return writeFileAtomic(*out, func(w io.Writer) error { return export(ctx, st, *format, w) })
	})
}

func export(ctx context.Context, st *store.Store, format string, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var write func(record) error
	flush := func() error { return nil }
	if format == "csv" {
		write, flush = csvWriter(bw)
	} else {
		write = jsonlWriter(bw)
	}
	if err := st.Postings(ctx, func(p *jobtrends.Posting) error { return write(newRecord(p, true)) }); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return bw.Flush()
}

// writeFileAtomic writes name through a temporary file in the same folder
// and renames it into place, so a failure never leaves half a file.
func writeFileAtomic(name string, fill func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = fill(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return os.Rename(f.Name(), name)
}
