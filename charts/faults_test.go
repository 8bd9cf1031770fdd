package charts

// Fault row S11 of RELIABILITY.md §2.4 (hostile strings in the report):
// the payload corpus is TestHostileLabelsStayText; this file adds the
// sizes (docs/FAULTS.md maps every row to its tests).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
)

// hugeReport writes the report of n postings, each of its own company,
// the biggest company (3 postings) named, placed and skilled with labels
// of 100,000 characters; it returns index.html and the total size of the
// report's files (the ECharts library aside).
func hugeReport(t *testing.T, n int, huge string) (page string, size int64) {
	t.Helper()
	var in []jobtrends.Posting
	for i := range n {
		p := jobtrends.Posting{
			Source: "board", ExternalID: fmt.Sprint(i), Title: "ML Engineer", Role: jobtrends.RoleMLEngineer,
			Company:    fmt.Sprintf("Company %05d", i),
			Location:   jobtrends.Location{Text: "Berlin", City: "Berlin", Country: "DE"},
			DatePosted: time.Date(2024, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		}
		if i < 3 {
			p.Company, p.Location = huge, jobtrends.Location{Text: huge, City: huge, Country: "DE"}
			p.Skills = []string{huge}
		}
		in = append(in, p)
	}
	dir := filepath.Join(t.TempDir(), "report")
	writeReport(t, dir, analyze.Build(in, nil, analyze.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}))
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && fi.Name() != "echarts.min.js" {
			size += fi.Size()
		}
		return nil
	})
	return string(readFile(t, filepath.Join(dir, "index.html"))), size
}

// TestFault_S11_HugeCategories: 10,000 distinct companies, and labels of
// 100,000 characters, give a report of bounded size: rankings keep the
// top analyze.TopN, chart labels are shortened (the full text stays in
// the tables), and the report of 10,000 companies is no bigger than that
// of 1,000 (the control that would show a list of every company).
func TestFault_S11_HugeCategories(t *testing.T) {
	huge := strings.Repeat("Ä", 100000)
	page, size := hugeReport(t, 10000, huge)
	_, size1k := hugeReport(t, 1000, huge)
	t.Logf("report files: %d KiB for 10,000 companies, %d KiB for 1,000", size>>10, size1k>>10)

	t.Run("chart labels shortened", func(t *testing.T) {
		var strs []string
		for _, b := range jsonBlock.FindAllStringSubmatch(page, -1) {
			var v any
			if err := json.Unmarshal([]byte(b[2]), &v); err != nil {
				t.Fatalf("chart %s: %v", b[1], err)
			}
			collect(v, &strs)
		}
		for _, s := range strs {
			if strings.Contains(s, "ÄÄÄ") && utf8.RuneCountInString(s) > 40 {
				t.Errorf("chart label of %d characters", utf8.RuneCountInString(s))
			}
		}
	})
	t.Run("rankings keep the top entries", func(t *testing.T) {
		if n := strings.Count(page, "Company 0"); n > 2*analyze.TopN {
			t.Errorf("%d mentions of single-posting companies in the page, want at most %d", n, 2*analyze.TopN)
		}
	})
	t.Run("the full text stays in a table", func(t *testing.T) {
		if !strings.Contains(page, "<td>"+huge+"</td>") {
			t.Error("no table cell holds the full 100,000-character label")
		}
	})
	t.Run("size does not grow with the number of companies", func(t *testing.T) {
		if size > size1k+size1k/10 {
			t.Errorf("report files: %d KiB for 10,000 companies, %d KiB for 1,000", size>>10, size1k>>10)
		}
	})
}
