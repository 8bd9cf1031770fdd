package charts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends/analyze"
)

// writeReport writes rep to dir and fails the test on error.
func writeReport(tb testing.TB, dir string, rep *analyze.Report) {
	tb.Helper()
	if err := Write(dir, rep, Options{EChartsJS: fakeECharts, Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Provenance: "tests"}); err != nil {
		tb.Fatalf("Write: %v", err)
	}
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	writeReport(t, dir, sampleReport(t))
	for _, name := range []string{"index.html", "report.js", "echarts.min.js", markerName, "data/growth-count.csv", "data/salary-histogram.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if got := readFile(t, filepath.Join(dir, "echarts.min.js")); !bytes.Equal(got, fakeECharts) {
		t.Errorf("echarts.min.js is not the library given")
	}
	html := string(readFile(t, filepath.Join(dir, "index.html")))
	for _, want := range []string{
		`<meta http-equiv="Content-Security-Policy" content="` + csp + `">`,
		`<script src="echarts.min.js"></script>`,
		`<script src="report.js"></script>`,
		`<script type="application/json" id="opt-growth-count">`,
		`href="data/growth-count.csv"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"?(https?:)?//`).FindString(html); m != "" {
		t.Errorf("index.html references the network (%s): it must load nothing from it", m)
	}
	for _, bad := range []string{"cdn.", "jsdelivr", "unpkg", "go-echarts.github.io"} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("index.html mentions %q", bad)
		}
	}
	// Nothing left beside the report.
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("temporary folders left behind: %v", entries)
	}
}

func TestWriteAtomic(t *testing.T) {
	tests := []struct {
		name   string
		failOn string // file whose write fails
	}{
		{"fails on a data file in the middle", "data/data-accounting.csv"},
		{"fails on index.html, the last file", "index.html"},
		{"fails on the first file", markerName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "report")
			writeReport(t, dir, sampleReport(t))
			before := readFile(t, filepath.Join(dir, "index.html"))
			beforeCSV := readFile(t, filepath.Join(dir, "data", "growth-count.csv"))

			injected := errors.New("disk full (injected)")
			beforeWrite = func(name string) error {
				if name == tt.failOn {
					return injected
				}
				return nil
			}
			defer func() { beforeWrite = func(string) error { return nil } }()
			// A different report: it would change index.html.
			err := Write(dir, analyze.Build(nil, nil, analyze.Options{}), Options{EChartsJS: fakeECharts})
			if !errors.Is(err, injected) {
				t.Fatalf("Write error = %v, want the injected one", err)
			}
			if got := readFile(t, filepath.Join(dir, "index.html")); !bytes.Equal(got, before) {
				t.Errorf("index.html changed by a failed write")
			}
			if got := readFile(t, filepath.Join(dir, "data", "growth-count.csv")); !bytes.Equal(got, beforeCSV) {
				t.Errorf("a CSV changed by a failed write")
			}
			entries, _ := os.ReadDir(parent)
			if len(entries) != 1 {
				t.Errorf("temporary folders left behind: %v", entries)
			}
		})
	}
}

func TestWriteReplacesEarlierReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	writeReport(t, dir, sampleReport(t))
	writeReport(t, dir, analyze.Build(nil, nil, analyze.Options{}))
	html := string(readFile(t, filepath.Join(dir, "index.html")))
	if !strings.Contains(html, "No dated postings in this period.") {
		t.Errorf("second report did not replace the first")
	}
	// A CSV only the first report had is gone: no mix of two reports.
	if _, err := os.Stat(filepath.Join(dir, "data", "growth-count.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("growth-count.csv of the earlier report survived: %v", err)
	}
}

func TestWriteRefuses(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		opt     Options
		rep     *analyze.Report
		wantErr string
	}{
		{
			name: "a folder of other files",
			setup: func(t *testing.T, dir string) {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("precious"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			opt:     Options{EChartsJS: fakeECharts},
			rep:     &analyze.Report{},
			wantErr: "holds no earlier jobtrends report",
		},
		{
			name: "a file in the way",
			setup: func(t *testing.T, dir string) {
				if err := os.WriteFile(dir, []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			opt:     Options{EChartsJS: fakeECharts},
			rep:     &analyze.Report{},
			wantErr: "is not a folder",
		},
		{name: "no library", opt: Options{}, rep: &analyze.Report{}, wantErr: "npm ci"},
		{name: "no report", opt: Options{EChartsJS: fakeECharts}, wantErr: "no report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			err := Write(dir, tt.rep, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "thesis.tex")); err == nil && string(b) != "precious" {
				t.Errorf("other files touched")
			}
		})
	}
}
