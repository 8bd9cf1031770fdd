package parse

import (
	"reflect"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// TestEnrichPostingsSameAsOne: enriching a page's postings in parallel
// gives exactly what enriching them one by one gives.
func TestEnrichPostingsSameAsOne(t *testing.T) {
	e := NewEnricher()
	res, _ := parseHNFile(t, hnEras[len(hnEras)-1].path(), hnEras[len(hnEras)-1].url(), time.Time{})
	one := make([]jobtrends.Posting, len(res.Postings))
	all := make([]jobtrends.Posting, len(res.Postings))
	for i, p := range res.Postings {
		one[i], all[i] = cloneSalary(p), cloneSalary(p)
		e.Posting(&one[i])
	}
	e.Postings(all)
	if !reflect.DeepEqual(one, all) {
		t.Fatal("parallel enrichment differs from one by one")
	}
	var ml int
	for _, p := range all {
		if p.Role == jobtrends.RoleMLEngineer {
			ml++
		}
	}
	if ml == 0 || len(all) < 100 {
		t.Errorf("%d postings, %d ML engineer: the page did not exercise the classifier", len(all), ml)
	}
}

func cloneSalary(p jobtrends.Posting) jobtrends.Posting {
	if p.Salary != nil {
		s := *p.Salary
		p.Salary = &s
	}
	return p
}
