package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/jobtrends/jobtrends/parse"
)

func (a *app) cmdExtract(ctx context.Context, args []string) error {
	fs := a.newFlags("extract", "[--url URL] FILE...",
		"Parse saved pages (HTML, or .gz of it) without a database and print one JSON object per\nposting per line. --url gives the page's original URL, which decides the parser (HN thread,\nAshby board or job page, JSON-LD) when the file alone cannot; without it the page's own\ncanonical URL is used when it has one.")
	pageURL := fs.String("url", "", "original URL of the page(s)")
	cfgPath := fs.String("config", "", "config file (for salary normalization and classification rules)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("extract: no FILE given (see jobtrends extract --help)")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	enr, err := newEnricher(cfg)
	if err != nil {
		return err
	}
	emit := jsonlWriter(a.stdout)
	var failed []string
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		body, err := readPageFile(name)
		if err != nil {
			return &usageError{fmt.Errorf("extract: %w", err)}
		}
		u := *pageURL
		if u == "" {
			u = parse.PageURL(body)
		}
		if u == "" {
			u = "file://" + name
		}
		res, err := parse.Extract(u, body, fileTime(name, a.now()))
		if err != nil {
			a.log.Error("extract failed", "file", name, "url", u, "err", err)
			failed = append(failed, name)
			continue
		}
		for i := range res.Postings {
			p := &res.Postings[i]
			if p.Source == "" {
				p.Source = p.SourceType
			}
			enr.Posting(p)
			if err := emit(newRecord(p, false)); err != nil {
				return err
			}
		}
	}
	if len(failed) > 0 {
		return &runFailedError{fmt.Sprintf("extract: %d of %d files failed: %s", len(failed), fs.NArg(), strings.Join(failed, ", "))}
	}
	return nil
}

// readPageFileRaw reads a file, gunzipping .gz files.
func readPageFileRaw(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r = zr
	}
	body, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return body, nil
}

// readPageFile reads a saved page, gunzipping .gz files, and decodes it to
// UTF-8 by BOM, <meta> charset or detection.
func readPageFile(name string) ([]byte, error) {
	body, err := readPageFileRaw(name)
	if err != nil {
		return nil, err
	}
	if utf8.Valid(body) {
		return body, nil
	}
	cr, err := charset.NewReader(bytes.NewReader(body), "")
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
	}
	dec, err := io.ReadAll(cr)
	if err != nil || !utf8.Valid(dec) {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
	}
	return dec, nil
}

// fileTime is when a saved page was fetched, as far as we can tell: the
// file's modification time (relative dates such as "3 days ago" resolve
// against it), else now.
func fileTime(name string, now time.Time) time.Time {
	if st, err := os.Stat(name); err == nil {
		return st.ModTime().UTC()
	}
	return now
}
