// Package demo bundles the real saved data behind `jobtrends demo`: Hacker
// News "Who is hiring?" threads from 2019 to 2026, a JSON-LD job page and
// Greenhouse, Lever and Ashby job-board API responses, each served under
// the URL it was saved from, and one monthly HN dump per quarter of
// 2013-2018 that the demo imports as history (see SOURCES.md for
// provenance). It imports only the standard library; the CLI serves these
// pages to the real crawler through a replay transport, so the demo runs the
// whole pipeline with no network.
package demo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"strings"
)

//go:embed manifest.tsv pages dumps config.yaml
var files embed.FS

// Page is one bundled page.
type Page struct {
	URL         string
	ContentType string
	Body        []byte
}

// Pages returns every bundled page, decompressed, in manifest order.
func Pages() ([]Page, error) {
	m, err := files.ReadFile("manifest.tsv")
	if err != nil {
		return nil, fmt.Errorf("demo: read manifest: %w", err)
	}
	var pages []Page
	sc := bufio.NewScanner(bytes.NewReader(m))
	for line := 1; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("demo: manifest.tsv:%d: want 3 tab-separated fields, got %d", line, len(f))
		}
		body, err := read("pages/" + f[1])
		if err != nil {
			return nil, fmt.Errorf("demo: manifest.tsv:%d: %w", line, err)
		}
		pages = append(pages, Page{URL: f[0], ContentType: f[2], Body: body})
	}
	return pages, sc.Err()
}

func read(name string) ([]byte, error) {
	f, err := files.Open(name)
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
	return io.ReadAll(r)
}

// Dump is one bundled monthly dump of HN "Who is hiring?" comments.
type Dump struct {
	Name string // file name, which carries the month
	Body []byte // gzip-compressed JSON, as in the corpus
}

// Dumps returns the bundled HN monthly dumps (one month per quarter,
// 2013-2018), which the demo imports as history.
func Dumps() ([]Dump, error) {
	entries, err := files.ReadDir("dumps")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var out []Dump
	for _, e := range entries {
		b, err := files.ReadFile("dumps/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		out = append(out, Dump{Name: e.Name(), Body: b})
	}
	return out, nil
}

// Config returns the demo's config.yaml: the bundled sources, with the
// database and report paths left for the caller to set.
func Config() []byte {
	b, err := files.ReadFile("config.yaml")
	if err != nil {
		panic("demo: config.yaml missing from the embedded files: " + err.Error())
	}
	return b
}
