package charts

import (
	"slices"
	"testing"

	"github.com/jobtrends/jobtrends/analyze"
)

// TestHealthTablesShowEncodingFallbacks: the per-run and per-source tables
// carry the encoding fallback count of the runs (RELIABILITY C2), in the
// column the header names, and every row is as wide as the header.
func TestHealthTablesShowEncodingFallbacks(t *testing.T) {
	runs := sampleRuns()
	runs[0].Sources[1].EncodingFallback = 3 // board, run 1
	runs[1].Sources[1].EncodingFallback = 4 // board, run 2
	rep := analyze.Build(samplePostings(t), runs, analyze.Options{})
	sec, err := dataSection(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{ // table → source → cells of the column
		idHealthSources: {"board": "7", "hn": "0"},
		idHealthRuns:    {"board": "4 3", "hn": "0 0"}, // newest run first
	}
	for _, f := range sec.Figures {
		w, ok := want[f.ID]
		if !ok {
			continue
		}
		delete(want, f.ID)
		col := slices.Index(f.Table.Header, "encoding fallbacks")
		src := slices.Index(f.Table.Header, "source")
		if col < 0 || src < 0 {
			t.Fatalf("%s: header %q has no source or encoding fallbacks column", f.ID, f.Table.Header)
		}
		got := map[string]string{}
		for i, row := range f.Table.Rows {
			if len(row) != len(f.Table.Header) {
				t.Errorf("%s row %d: %d cells, header has %d", f.ID, i, len(row), len(f.Table.Header))
				continue
			}
			s := row[src].Text
			if got[s] != "" {
				got[s] += " "
			}
			got[s] += row[col].Text
		}
		for s, cells := range w {
			if got[s] != cells {
				t.Errorf("%s: %s encoding fallbacks %q, want %q", f.ID, s, got[s], cells)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("tables missing: %v", want)
	}
}
