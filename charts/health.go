package charts

import (
	"fmt"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends/analyze"
)

// Fixed ids of the data health tables.
const (
	idHealthSources = "health-sources"
	idHealthRuns    = "health-runs"
)

// dataSection accounts for the input and shows whether the scrapers work.
func dataSection(rep *analyze.Report) (section, error) {
	c := rep.Counts
	f := figure{ID: "data-accounting", Title: "What went in",
		Method: "Every posting given to the report is used or counted under exactly one reason.",
		N:      fmt.Sprintf("n = %s postings", count(c.Input))}
	f.Table.Header = []string{"postings", "count"}
	f.Table.add(str("given"), integer(c.Input))
	f.Table.add(str("used (dated, inside the window)"), integer(c.Used))
	f.Table.add(str("of which ML engineer"), integer(c.MLEngineer))
	f.Table.add(str("left out: no date"), integer(c.Undated))
	f.Table.add(str("left out: dated after the report time"), integer(c.Future))
	f.Table.add(str("left out: outside the window"), integer(c.OutsideWindow))
	f.Table.add(str("counted once: same job on another source (pay, skills, companies, places)"), integer(c.CrossSourceDuplicates))

	h := rep.Health
	fs := figure{ID: idHealthSources, Title: "Sources",
		Method: "All stored postings and all recorded runs of each source (not only the window), so a broken scraper shows next to a real market change.",
		N:      fmt.Sprintf("%d source(s), %d run(s) listed", len(h.Sources), len(h.Runs))}
	fs.Table.Header = []string{"source", "postings", "ML engineer", "state pay", "first posted", "last posted",
		"runs (failed)", "last run", "last success", "pages fetched", "pages failed", "robots-blocked", "encoding fallbacks", "new", "updated", "unchanged", "closed", "warnings"}
	for _, s := range h.Sources {
		fs.Table.add(str(s.Source), integer(s.Postings), integer(s.MLEngineer), countPct(s.WithSalary, s.SalaryCoverage),
			date(s.FirstPosted), date(s.LastPosted), cell{fmt.Sprintf("%d (%d)", s.Runs, s.FailedRuns), fmt.Sprint(s.Runs)},
			runCell(s.LastRun, s.LastRunOK, s.LastRunError), stamp(s.LastSuccess),
			integer(s.PagesFetched), integer(s.PagesFailed), integer(s.RobotsBlocked), integer(s.EncodingFallbacks),
			integer(s.New), integer(s.Updated), integer(s.Unchanged), integer(s.Closed), str(strings.Join(s.Warnings, "; ")))
	}
	if len(h.Sources) == 0 {
		fs.Empty = "No source has postings or runs yet."
	}

	fr := figure{ID: idHealthRuns, Title: "Recent runs", Method: "Newest first; one row per source of each run.",
		N: fmt.Sprintf("%d run(s)", len(h.Runs))}
	fr.Table.Header = []string{"run", "started", "finished", "status", "source", "ok", "pages fetched", "failed", "robots-blocked", "encoding fallbacks", "new", "updated", "unchanged", "closed", "error"}
	for _, r := range h.Runs {
		if len(r.Sources) == 0 {
			fr.Table.add(cell{fmt.Sprint(r.ID), fmt.Sprint(r.ID)}, stamp(r.Started), stamp(r.Finished), str(r.Status),
				cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{})
		}
		for _, s := range r.Sources {
			fr.Table.add(cell{fmt.Sprint(r.ID), fmt.Sprint(r.ID)}, stamp(r.Started), stamp(r.Finished), str(r.Status), str(s.Source), str(okText(s.OK)),
				integer(s.PagesFetched), integer(s.PagesFailed), integer(s.RobotsBlocked), integer(s.EncodingFallback), integer(s.New), integer(s.Updated),
				integer(s.Unchanged), integer(s.Closed), str(s.Error))
		}
	}
	if len(h.Runs) == 0 {
		fr.Empty = "No crawl runs recorded (imported or demo data)."
	}
	return section{ID: "data", Title: "Data behind this report",
		Lead:    "How many postings stand behind the numbers, what was left out, and whether each scraper is working.",
		Figures: []figure{f, fs, fr}}, nil
}

func date(t time.Time) cell {
	if t.IsZero() {
		return cell{}
	}
	return str(t.UTC().Format("2006-01-02"))
}

func stamp(t time.Time) cell {
	if t.IsZero() {
		return cell{}
	}
	return cell{t.UTC().Format("2006-01-02 15:04"), t.UTC().Format(time.RFC3339)}
}

func runCell(t time.Time, ok bool, errText string) cell {
	if t.IsZero() {
		return cell{}
	}
	s := stamp(t)
	if !ok {
		s.Text += " (failed: " + errText + ")"
	}
	return s
}

func okText(ok bool) string {
	if ok {
		return "ok"
	}
	return "failed"
}
