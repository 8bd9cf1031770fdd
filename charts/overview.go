package charts

import (
	"fmt"
	"strings"

	"github.com/jobtrends/jobtrends/analyze"
)

// defaultTitle heads a report whose Options give no title.
const defaultTitle = "jobtrends: the ML-engineer job market"

// buildPage assembles every section of the report.
func buildPage(rep *analyze.Report, opt Options) (*page, error) {
	p := &page{Title: opt.Title, Generated: opt.Generated, Provenance: opt.Provenance}
	if p.Title == "" {
		p.Title = defaultTitle
	}
	p.Summary = summary(rep)
	for _, build := range []func(*analyze.Report) (section, error){
		claimsSection, growthSection, salarySection, skillsSection, placesSection, dataSection,
	} {
		s, err := build(rep)
		if err != nil {
			return nil, err
		}
		p.Sections = append(p.Sections, s)
	}
	return p, nil
}

// summary is the row of headline numbers at the top of the page.
func summary(rep *analyze.Report) []stat {
	c := rep.Counts
	window := "all dates"
	o := rep.Options
	switch {
	case !o.From.IsZero() && !o.To.IsZero():
		window = o.From.Format("2006-01-02") + " to " + o.To.Format("2006-01-02")
	case !o.From.IsZero():
		window = "from " + o.From.Format("2006-01-02")
	case !o.To.IsZero():
		window = "before " + o.To.Format("2006-01-02")
	}
	span := "no data"
	if m := rep.Growth.Months; len(m) > 0 {
		span = m[0].String() + " to " + m[len(m)-1].String()
	}
	sources := "none"
	if len(rep.Sources) > 0 {
		sources = strings.Join(rep.Sources, ", ")
	}
	s := rep.Salary
	return []stat{
		{"postings analysed", count(c.Used)},
		{"ML-engineer postings", count(c.MLEngineer)},
		{"months covered", span},
		{"window", window},
		{"sources", sources},
		{"ML postings stating pay", fmt.Sprintf("%s (%s of %s)", pctText(s.DisclosureRate), count(s.Disclosed), count(s.Postings))},
		{"median pay (n)", fmt.Sprintf("%s (%s)", orNA(usdText(s.Overall.Median)), count(s.Overall.N))},
	}
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}
