package analyze

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/bench/synth"
	"github.com/jobtrends/jobtrends/demo"
	"github.com/jobtrends/jobtrends/internal/jsondiff"
	"github.com/jobtrends/jobtrends/parse"
)

// demoPostings is real postings of the bundled demo pages, parsed and
// enriched once per test binary: all of them (bench/synth's pool, ~5,000
// postings), or under the race detector a subset: every API and JSON-LD
// page and the HN pages of 100–250 KB (the tail pages of several threads
// of 2019–2026, a few hundred comments).
var demoPostings = sync.OnceValues(func() ([]jobtrends.Posting, error) {
	if !raceEnabled {
		pool, err := synth.Load()
		if err != nil {
			return nil, err
		}
		return pool.RealPostings(), nil
	}
	pages, err := demo.Pages()
	if err != nil {
		return nil, err
	}
	fetched := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	var out []jobtrends.Posting
	for _, pg := range pages {
		if strings.Contains(pg.URL, "news.ycombinator.com") && (len(pg.Body) < 100<<10 || len(pg.Body) >= 250<<10 || seen[string(pg.Body)]) {
			continue
		}
		seen[string(pg.Body)] = true
		res, err := parse.Extract(pg.URL, pg.Body, fetched)
		if res == nil {
			return nil, fmt.Errorf("extract %s: %w", pg.URL, err)
		}
		out = append(out, res.Postings...)
	}
	parse.NewEnricher().Postings(out)
	for i := range out {
		out[i].Source = out[i].SourceType
	}
	return out, nil
})

// realWithDuplicates returns the real postings of demoPostings followed by
// cross-source copies of some of them: the same job on other sources with
// the salary the copy carries varied (none, employer-structured, employer
// text, platform estimate), same-source re-posts, and copies with no
// company (no dedupe key). The copies come before and after their
// originals so that which posting is kept depends on order.
func realWithDuplicates(tb testing.TB) []jobtrends.Posting {
	tb.Helper()
	real, err := demoPostings()
	if err != nil {
		tb.Fatal(err)
	}
	real = slices.Clone(real)
	provenances := []jobtrends.Provenance{"", jobtrends.ProvenanceStructured, jobtrends.ProvenanceText, jobtrends.ProvenanceEstimate}
	var front, back []jobtrends.Posting
	for i, p := range real {
		if i%7 != 0 {
			continue
		}
		c := p
		c.Source = []string{"greenhouse", "lever", "ashby", "hn", "jsonld"}[i%5]
		c.ExternalID = fmt.Sprintf("copy-%d", i)
		switch prov := provenances[(i/7)%len(provenances)]; {
		case prov == "":
			c.Salary = nil
		case c.Salary != nil:
			s := *c.Salary
			s.Provenance = prov
			c.Salary = &s
		}
		if i%3 == 0 {
			front = append(front, c)
		} else {
			back = append(back, c)
		}
		if i%21 == 0 { // the same source again: a distinct posting
			d := c
			d.ExternalID += "-again"
			back = append(back, d)
		}
		if i%49 == 0 { // no company: no key
			e := c
			e.Company = ""
			e.ExternalID += "-nokey"
			back = append(back, e)
		}
	}
	return append(append(front, real...), back...)
}

// TestBuilderMatchesSliceReference runs the Builder (through Build and
// through the two-pass API) and the frozen slice implementation of
// reference_test.go over the same real postings, with cross-source
// duplicates, under several options: the reports must be identical, to the
// last bit of every float.
func TestBuilderMatchesSliceReference(t *testing.T) {
	postings := realWithDuplicates(t)
	runs := []RunSummary{
		{ID: 1, Started: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Status: "ok",
			Sources: []SourceRun{{Source: "hn", OK: true, PagesFetched: 3, New: 40}, {Source: "greenhouse", OK: true, PagesFetched: 1, New: 5}}},
		{ID: 2, Started: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Status: "failed",
			Sources: []SourceRun{{Source: "hn", OK: false, Error: "hn: boom", PagesFetched: 2}, {Source: "workable", OK: true, PagesFetched: 1}}},
	}
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"defaults", Options{}},
		{"now", Options{Now: synth.Now}},
		{"window", Options{Now: synth.Now, From: time.Date(2021, 3, 10, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}},
		{"estimates and base 2020", Options{Now: synth.Now, IncludeEstimates: true, GrowthBase: 2020}},
		{"compare years", Options{Now: synth.Now, CompareFrom: 2020, CompareTo: 2024}},
		{"now before the data", Options{Now: time.Date(2022, 6, 15, 0, 0, 0, 0, time.UTC)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := refBuild(postings, runs, tc.opt)
			paid := 0
			for _, g := range want.Salary.ByRole {
				paid += g.Pay.N
			}
			// (The subset the race detector gets has ML-engineer
			// postings but none with a salary.)
			if want.Counts.CrossSourceDuplicates == 0 || want.Counts.MLEngineer == 0 || paid == 0 || !raceEnabled && want.Salary.Used == 0 {
				t.Fatalf("the input exercises too little: %+v, %d ML-engineer salaries, %d in all", want.Counts, want.Salary.Used, paid)
			}
			got := Build(postings, runs, tc.opt)
			sameReport(t, "Build", got, want)

			b := NewBuilder(tc.opt)
			for i := range postings {
				if err := b.Add(&postings[i]); err != nil {
					t.Fatal(err)
				}
			}
			for i := range postings {
				p := postings[i] // a copy, dropped after the call
				if err := b.Again(&p); err != nil {
					t.Fatal(err)
				}
			}
			streamed, err := b.Report(runs)
			if err != nil {
				t.Fatal(err)
			}
			sameReport(t, "Builder", streamed, want)
		})
	}
}

// TestBuilderMatchesSliceReferenceSynthetic does the same over 20,000
// postings recombined from the real ones as bench/synth recombines them
// (title and labels of one, company of a second, place of a third, source
// of a fourth; a third of them the salary of a real posting that has one;
// a date over 2019–2026): dense monthly
// series and many salaries per group.
func TestBuilderMatchesSliceReferenceSynthetic(t *testing.T) {
	real, err := demoPostings()
	if err != nil {
		t.Fatal(err)
	}
	var paid []*jobtrends.Salary
	for _, p := range real {
		if p.Salary != nil {
			paid = append(paid, p.Salary)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	pick := func() *jobtrends.Posting { return &real[r.IntN(len(real))] }
	postings := make([]jobtrends.Posting, 20_000)
	for i := range postings {
		a, b, c, e := pick(), pick(), pick(), pick()
		postings[i] = jobtrends.Posting{
			Source: e.Source, ExternalID: fmt.Sprint(i), Title: a.Title, Roles: a.Roles, Role: a.Role,
			Seniority: a.Seniority, Skills: a.Skills, Education: a.Education, Industry: a.Industry,
			Company: b.Company, Location: c.Location, Remote: c.Remote,
			DatePosted: time.Date(2019+r.IntN(8), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC),
		}
		if r.IntN(3) == 0 {
			postings[i].Salary = paid[r.IntN(len(paid))]
		}
	}
	opt := Options{Now: synth.Now}
	want := refBuild(postings, nil, opt)
	all := 0
	for _, g := range want.Salary.ByRole {
		all += g.Pay.N
	}
	if want.Salary.Used < 100 || all < 1000 {
		t.Fatalf("the input exercises too little: %+v, %d ML-engineer salaries, %d in all", want.Counts, want.Salary.Used, all)
	}
	sameReport(t, "Build", Build(postings, nil, opt), want)
}

// sameReport fails, showing the first lines that differ, unless got and
// want are deeply equal.
func sameReport(tb testing.TB, what string, got, want *Report) {
	tb.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	if d := jsondiff.First(got, want); d != "" {
		tb.Fatalf("%s differs from the slice reference at %s", what, d)
	}
	tb.Fatalf("%s differs from the slice reference (not in JSON: a nil against an empty slice?)", what)
}

// TestBuilderSecondPassMustMatch: Report refuses a second pass that did not
// see the postings of the first (the store changed in between).
func TestBuilderSecondPassMustMatch(t *testing.T) {
	d := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	ps := []jobtrends.Posting{
		{Source: "hn", ExternalID: "1", DatePosted: d, Role: jobtrends.RoleMLEngineer},
		{Source: "hn", ExternalID: "2", DatePosted: d},
		{Source: "lever", ExternalID: "3", DatePosted: d},
	}
	first := func() *Builder {
		b := NewBuilder(Options{})
		for i := range ps {
			if err := b.Add(&ps[i]); err != nil {
				t.Fatal(err)
			}
		}
		return b
	}
	t.Run("same", func(t *testing.T) {
		b := first()
		for i := range ps {
			if err := b.Again(&ps[i]); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := b.Report(nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts.Used != 3 || rep.Counts.MLEngineer != 1 || rep.Skills.Postings != 1 {
			t.Errorf("counts %+v, skills postings %d", rep.Counts, rep.Skills.Postings)
		}
		if err := b.Add(&ps[0]); err == nil {
			t.Error("Add after Again: no error")
		}
	})
	t.Run("fewer", func(t *testing.T) {
		b := first()
		for i := range ps[:2] {
			if err := b.Again(&ps[i]); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Report(nil); !errors.Is(err, ErrPassesDiffer) || !strings.Contains(err.Error(), "saw 2 postings, the first 3") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("more", func(t *testing.T) {
		b := first()
		var err error
		for i := range append(ps, ps[0]) {
			err = b.Again(&ps[i%len(ps)])
		}
		if !errors.Is(err, ErrPassesDiffer) || !strings.Contains(err.Error(), "more than the 3 postings") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("other", func(t *testing.T) {
		b := first()
		other := ps[1]
		other.ExternalID = "22"
		for _, p := range []jobtrends.Posting{ps[0], other, ps[2]} {
			if err := b.Again(&p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Report(nil); !errors.Is(err, ErrPassesDiffer) || !strings.Contains(err.Error(), "not the same ones") {
			t.Errorf("err = %v", err)
		}
	})
}

// checkDedupeKey fails unless appendDedupeKey gives jobtrends.DedupeKey(p).
func checkDedupeKey(tb testing.TB, p *jobtrends.Posting) {
	tb.Helper()
	want := jobtrends.DedupeKey(p)
	got, ok := appendDedupeKey([]byte("junk"), p)
	if ok != (want != "") || ok && string(got[4:]) != want || string(got[:4]) != "junk" {
		tb.Errorf("appendDedupeKey(company %q, title %q, city %q, text %q) = %q, %v; want %q",
			p.Company, p.Title, p.Location.City, p.Location.Text, got, ok, want)
	}
}

// TestAppendDedupeKey: the key the Builder hashes is jobtrends.DedupeKey,
// on every real posting of the demo pages and on edge cases.
func TestAppendDedupeKey(t *testing.T) {
	for _, p := range realWithDuplicates(t) {
		checkDedupeKey(t, &p)
	}
	for _, tc := range []struct{ company, title, city, text string }{
		{"Acme, Inc.", "ML  Engineer", "Boston", "x"},
		{"  ", "ML Engineer", "", ""},
		{"Acme", "---", "Boston", ""},
		{"ÉCOLE Ünïcode", "Ingénieur ML / IA", " ", "Paris, France"},
		{"bad\xff\xfeutf8", "t\xc3", "", "\xff"},
		{"a\uFFFDb", "x\u00a0y\u2003z", "İstanbul", ""},
		{"ΣΊΣΥΦΟΣ", "ⅫⅣ ２０２６", "東京", ""},
	} {
		checkDedupeKey(t, &jobtrends.Posting{Company: tc.company, Title: tc.title, Location: jobtrends.Location{City: tc.city, Text: tc.text}})
	}
}

func FuzzAppendDedupeKey(f *testing.F) {
	f.Add("Acme, Inc.", "ML Engineer", "Boston", "")
	f.Add("bad\xff", "İ", " ", "Paris")
	f.Fuzz(func(t *testing.T, company, title, city, text string) {
		checkDedupeKey(t, &jobtrends.Posting{Company: company, Title: title, Location: jobtrends.Location{City: city, Text: text}})
	})
}
