package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/store"
)

// kvFlag collects repeated field=value flags.
type kvFlag map[string]string

func (k kvFlag) String() string {
	keys := make([]string, 0, len(k))
	for key := range k {
		keys = append(keys, key+"="+k[key])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (k kvFlag) Set(s string) error {
	key, val, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return fmt.Errorf("%q: want field=value", s)
	}
	k[key] = val
	return nil
}

// importBatch is how many table rows go into one transaction.
const importBatch = 500

func (a *app) cmdImport(ctx context.Context, args []string) error {
	fs := a.newFlags("import", "[--config FILE] [--source NAME] [--format FORMAT] [--map field=column]... [--set field=value]... FILE|DIR...",
		`Backfill history from files: saved pages of any source, HN monthly dumps, or tables.
Imported postings keep the file they came from (origin); importing the same file
again creates no duplicates.

Formats (--format; by default chosen from each file's name and content):
  page     a saved page (HTML or an API response; .gz read as gzip). The parser is
           chosen by the page's URL: --url, else the page's own canonical URL or
           Hacker News item id. HN thread pages: the thread month comes from the page.
  hn-dump  a monthly JSON dump of HN "Who is hiring?" comments (full_html, url); the
           month comes from the file name (or --set thread=YYYY-MM).
  csv, jsonl, json
           a table: --map field=column for every column to read (fields: `+strings.Join(parse.TableFields, ", ")+`),
           --set field=value for values the file holds only in its name,
           --records KEY for the array inside a JSON document.
A folder is read recursively (every file in it, sorted).`)
	cfgPath := fs.String("config", "", "config file (default: the embedded config.yaml)")
	source := fs.String("source", "", `source name to store under (default: "hn" for HN pages and dumps, the source type otherwise)`)
	format := fs.String("format", "", "page, hn-dump, csv, jsonl or json (default: by file)")
	pageURL := fs.String("url", "", "original URL of the page (format page, one file)")
	records := fs.String("records", "", "json tables: key path of the records array")
	columns, set := kvFlag{}, kvFlag{}
	fs.Var(columns, "map", "field=column: read this posting field from this column (repeatable)")
	fs.Var(set, "set", "field=value: set this field on every row (repeatable); value may be {month} for the month in the file name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("import: no FILE given (see jobtrends import --help)")
	}
	switch *format {
	case "", "page", "hn-dump", parse.TableCSV, parse.TableJSONL, parse.TableJSON:
	default:
		return usageErrorf("import: --format %q: want page, hn-dump, csv, jsonl or json", *format)
	}
	files, err := expandFiles(fs.Args())
	if err != nil {
		return &usageError{fmt.Errorf("import: %w", err)}
	}
	if *pageURL != "" && len(files) > 1 {
		return usageErrorf("import: --url names one page, but %d files were given", len(files))
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	enr, err := newEnricher(cfg)
	if err != nil {
		return err
	}
	im := &importer{a: a, enr: enr, source: *source, url: *pageURL, columns: columns, set: set, records: *records}
	return a.withStore(ctx, cfg.Database, true, func(st *store.Store) error {
		im.st = st
		prog := a.progress("import")
		defer prog.done()
		var failed []string
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			fmtName := *format
			if fmtName == "" {
				fmtName = guessFormat(f)
			}
			if err := im.file(ctx, f, fmtName); err != nil {
				var ue *usageError
				if errors.As(err, &ue) || errors.Is(err, context.Canceled) {
					return err
				}
				var se storeError
				if errors.As(err, &se) {
					return err
				}
				a.log.Error("import failed", "file", f, "err", err)
				failed = append(failed, f)
			}
			prog.add(1)
		}
		a.log.Info("import done", "files", len(files), "failed", len(failed), "postings", im.postings,
			"new", im.counts.New, "updated", im.counts.Updated, "unchanged", im.counts.Unchanged)
		if len(failed) > 0 {
			return &runFailedError{fmt.Sprintf("import: %d of %d files failed: %s", len(failed), len(files), strings.Join(failed, ", "))}
		}
		return nil
	})
}

// storeError marks a database failure: it stops an import at once.
type storeError struct{ error }

func (e storeError) Unwrap() error { return e.error }

type importer struct {
	a       *app
	st      *store.Store
	enr     *parse.Enricher
	source  string
	url     string
	columns map[string]string
	set     map[string]string
	records string

	postings int
	counts   store.PageCounts
}

func (im *importer) save(ctx context.Context, page jobtrends.Page, ps []jobtrends.Posting, origin string) error {
	for i := range ps {
		p := &ps[i]
		if p.Source == "" {
			p.Source = page.Source
		}
		p.Origin = origin
	}
	im.enr.Postings(ps)
	c, err := im.st.SavePage(ctx, 0, page, ps)
	if err != nil {
		return storeError{fmt.Errorf("import %s: %w", origin, err)}
	}
	im.postings += len(ps)
	im.counts.New += c.New
	im.counts.Updated += c.Updated
	im.counts.Unchanged += c.Unchanged
	return nil
}

func (im *importer) sourceFor(kind string) string {
	if im.source != "" {
		return im.source
	}
	return kind
}

func (im *importer) file(ctx context.Context, name, format string) error {
	abs, _ := filepath.Abs(name)
	fetched := fileTime(name, im.a.now())
	switch format {
	case "page":
		body, err := readPageFile(name)
		if err != nil {
			return err
		}
		u := im.url
		if u == "" {
			u = parse.PageURL(body)
		}
		if u == "" {
			return fmt.Errorf("%s: cannot tell the page's URL (no canonical link); give --url", name)
		}
		res, err := parse.Extract(u, body, fetched)
		if err != nil {
			return err
		}
		kind := res.Kind
		if len(res.Postings) > 0 {
			kind = res.Postings[0].SourceType
		}
		page := jobtrends.Page{URL: u, Source: im.sourceFor(kind), Fetched: fetched, Status: 200, ContentType: "text/html; charset=utf-8", Body: body}
		return im.save(ctx, page, res.Postings, abs)
	case "hn-dump":
		month := im.set["thread"]
		if month == "" {
			m, ok := parse.MonthFromName(name)
			if !ok {
				return &usageError{fmt.Errorf("import: %s: the file name holds no YYYY-MM; give --set thread=YYYY-MM", name)}
			}
			month = m
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		ps, err := parse.HNDumpMonth(f, month, abs)
		if err != nil {
			return err
		}
		page := jobtrends.Page{URL: "file://" + abs, Source: im.sourceFor("hn"), Fetched: fetched, Status: 200, ContentType: "application/json"}
		for len(ps) > 0 {
			n := min(len(ps), importBatch)
			if err := im.save(ctx, page, ps[:n], abs); err != nil {
				return err
			}
			ps = ps[n:]
		}
		return nil
	default:
		if len(im.columns) == 0 {
			return &usageError{fmt.Errorf("import: %s: a %s table needs --map field=column for the columns to read", name, format)}
		}
		spec := parse.TableSpec{Format: format, Columns: im.columns, Set: map[string]string{}, Records: im.records}
		for k, v := range im.set {
			if strings.Contains(v, "{month}") {
				m, ok := parse.MonthFromName(name)
				if !ok {
					return &usageError{fmt.Errorf("import: %s: --set %s=%s but the file name holds no YYYY-MM", name, k, v)}
				}
				v = strings.ReplaceAll(v, "{month}", m)
			}
			spec.Set[k] = v
		}
		if err := spec.Validate(); err != nil {
			return &usageError{fmt.Errorf("import: %w", err)}
		}
		body, err := readPageFileRaw(name)
		if err != nil {
			return err
		}
		page := jobtrends.Page{URL: "file://" + abs, Source: im.sourceFor("table"), Fetched: fetched, Status: 200, ContentType: "text/" + format}
		var batch []jobtrends.Posting
		err = parse.ReadTable(bytes.NewReader(body), spec, abs, func(p jobtrends.Posting) error {
			batch = append(batch, p)
			if len(batch) == importBatch {
				err := im.save(ctx, page, batch, abs)
				batch = batch[:0]
				return err
			}
			return ctx.Err()
		})
		if len(batch) > 0 {
			if serr := im.save(ctx, page, batch, abs); serr != nil {
				return serr
			}
		}
		return err
	}
}

// guessFormat picks the import format from a file's name.
func guessFormat(name string) string {
	n := strings.ToLower(strings.TrimSuffix(name, ".gz"))
	switch {
	case strings.HasSuffix(n, ".csv"):
		return parse.TableCSV
	case strings.HasSuffix(n, ".jsonl"), strings.HasSuffix(n, ".ndjson"):
		return parse.TableJSONL
	case strings.HasSuffix(n, ".json"):
		if _, ok := parse.MonthFromName(name); ok {
			return "hn-dump"
		}
		return parse.TableJSON
	}
	return "page"
}

// expandFiles lists the files named, reading folders recursively.
func expandFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var in []string
		err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				in = append(in, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(in)
		out = append(out, in...)
	}
	return out, nil
}

var _ flag.Value = kvFlag{}
