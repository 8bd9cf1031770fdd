package charts

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
)

func TestFiguresAreComplete(t *testing.T) {
	tests := []struct {
		name  string
		rep   *analyze.Report
		empty bool
	}{
		{"sample report", sampleReport(t), false},
		{"empty report", analyze.Build(nil, nil, analyze.Options{}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := buildPage(tt.rep, Options{})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			charts := 0
			for _, s := range p.Sections {
				for _, f := range s.Figures {
					if seen[f.ID] {
						t.Errorf("figure id %s used twice", f.ID)
					}
					seen[f.ID] = true
					if f.Title == "" || f.Method == "" || f.N == "" {
						t.Errorf("figure %s lacks a title, method note or n: %+v", f.ID, f)
					}
					if f.Option != nil {
						charts++
						if f.Empty != "" {
							t.Errorf("figure %s has both a chart and an empty state", f.ID)
						}
					}
					if tt.empty && f.Option != nil {
						t.Errorf("figure %s draws a chart from no data", f.ID)
					}
					if f.Option == nil && f.Empty == "" && len(f.Table.Rows) == 0 && f.Verdict == "" {
						t.Errorf("figure %s shows nothing at all: it needs an empty state", f.ID)
					}
				}
			}
			if !tt.empty && charts < 15 {
				t.Errorf("only %d charts in the sample report", charts)
			}
			for _, id := range []string{idGrowthCount, idGrowthShare, idGrowthIndex, idSalaryHist, idSalaryQuarters, idSalarySeniority,
				idSkills, idSkillsHeatmap, idSkillsRising, idEducation, idIndustry, idCompanies, idCountries, idRemote, idHealthSources, "claim-us-salary"} {
				if !seen[id] {
					t.Errorf("figure %s missing", id)
				}
			}
		})
	}
}

func TestEmptyStatesInThePage(t *testing.T) {
	p, err := buildPage(analyze.Build(nil, nil, analyze.Options{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := pageTemplate.Execute(&b, p); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{noSalary, "No dated postings in this period.", noML, "not enough data", "No crawl runs recorded"} {
		if !strings.Contains(html, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
	if strings.Contains(html, `type="application/json"`) {
		t.Errorf("empty report has chart data blocks")
	}
}

func TestPartialMonthIsAGapInTheCountChart(t *testing.T) {
	var in []jobtrends.Posting
	for _, d := range []string{"2024-04-10", "2024-05-10", "2024-06-02"} {
		dt, _ := time.Parse("2006-01-02", d)
		in = append(in, jobtrends.Posting{Source: "x", Role: jobtrends.RoleMLEngineer, DatePosted: dt})
	}
	// "Now" is in June: June is partial.
	rep := analyze.Build(in, nil, analyze.Options{Now: time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC)})
	p, err := buildPage(rep, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Name string `json:"name"`
			Data []struct {
				Value any `json:"value"`
			} `json:"data"`
		} `json:"series"`
	}
	for _, s := range p.Sections {
		for _, f := range s.Figures {
			if f.ID == idGrowthCount {
				if err := json.Unmarshal(f.Option, &opt); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if len(opt.Series) == 0 || len(opt.Series[0].Data) != 3 {
		t.Fatalf("series = %+v", opt.Series)
	}
	got := []any{opt.Series[0].Data[0].Value, opt.Series[0].Data[1].Value, opt.Series[0].Data[2].Value}
	if got[0] != 1.0 || got[1] != 1.0 || got[2] != missing {
		t.Errorf("count points = %v, want [1 1 -]", got)
	}
}
