package charts

import (
	"fmt"

	"github.com/jobtrends/jobtrends/analyze"
)

func claimsSection(rep *analyze.Report) (section, error) {
	sec := section{ID: "claims", Title: "The claims check",
		Lead: "Two claims often made about this job market, beside what this data says. Each verdict states its method and how much data stands behind it."}
	for _, c := range rep.Claims {
		f := figure{ID: "claim-" + c.ID, Title: "“" + c.Text + "”", Method: c.Method, Verdict: c.Verdict, Summary: c.Summary}
		n := 0
		for _, m := range c.Measures {
			n = max(n, m.N)
		}
		f.N = fmt.Sprintf("n = up to %s postings per measure", count(n))
		if len(c.Measures) == 0 {
			f.N = "n = 0: nothing to measure"
		}
		f.Table.Header = []string{"measure", "value", "n", "period", "verdict"}
		for _, m := range c.Measures {
			v := signedPct(m.Value)
			if m.Unit == "usd" {
				v = usd(m.Value)
			}
			f.Table.add(str(m.Label), v, integer(m.N), str(m.Period), str(m.Verdict))
		}
		sec.Figures = append(sec.Figures, f)
	}
	return sec, nil
}
