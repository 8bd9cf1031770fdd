package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/analyze"
	"github.com/jobtrends/jobtrends/internal/jsondiff"
)

// reportPostings reads every posting through ReportPostings.
func reportPostings(t testing.TB, s *Store) []jobtrends.Posting {
	t.Helper()
	var ps []jobtrends.Posting
	err := s.ReportPostings(context.Background(), func(p *jobtrends.Posting) error {
		ps = append(ps, *p)
		return nil
	})
	if err != nil {
		t.Fatalf("ReportPostings: %v", err)
	}
	return ps
}

// reportFields is the part of a posting the report reads, as
// ReportPostings documents it.
func reportFields(p jobtrends.Posting) jobtrends.Posting {
	out := jobtrends.Posting{
		Source: p.Source, ExternalID: p.ExternalID, Title: p.Title, Roles: p.Roles, Company: p.Company,
		Location: jobtrends.Location{Text: p.Location.Text, City: p.Location.City, Country: p.Location.Country},
		Remote:   p.Remote, DatePosted: p.DatePosted,
		Role: p.Role, Seniority: p.Seniority, Skills: p.Skills, Education: p.Education, Industry: p.Industry, Thread: p.Thread,
	}
	if s := p.Salary; s != nil {
		out.Salary = &jobtrends.Salary{Min: s.Min, Max: s.Max, AnnualMinUSD: s.AnnualMinUSD, AnnualMaxUSD: s.AnnualMaxUSD,
			Provenance: s.Provenance, Flags: s.Flags}
	}
	return out
}

// TestReportPostingsRoundTrip: every field the report reads comes back as
// Postings returns it, in the same order; the others (description, URL,
// raw salary text, lifecycle) are empty.
func TestReportPostingsRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ps := postings(0, 6)
		ps[1].Salary = nil                                         // no salary
		ps[2].Roles, ps[2].Skills, ps[2].Education = nil, nil, nil // NULL lists
		ps[3].DatePosted = time.Time{}                             // undated
		ps[4].Salary.Flags = nil
		ps[4].Salary.AnnualMinUSD, ps[4].Salary.Min = nil, nil // one bound
		ps[5].Source = "hn"
		ps[5].Thread = "2025-11"
		ps[5].Location = jobtrends.Location{Text: "Remote (EU)"}
		savePage(t, s, 0, page("https://boards.example.com/acme", t0, "<html>listing</html>"), ps)

		full := allPostings(t, s)
		got := reportPostings(t, s)
		if len(got) != len(ps) || len(full) != len(ps) {
			t.Fatalf("ReportPostings gave %d postings, Postings %d, want %d", len(got), len(full), len(ps))
		}
		for i := range got {
			if got[i].Description != "" || got[i].URL != "" || got[i].SourceType != "" || !got[i].FirstSeen.IsZero() {
				t.Errorf("posting %s: fields the report does not read are set: %+v", got[i].ExternalID, got[i])
			}
			if got[i].Salary != nil && got[i].Salary.Raw != "" {
				t.Errorf("posting %s: salary raw text %q read", got[i].ExternalID, got[i].Salary.Raw)
			}
			if want := reportFields(full[i]); !reflect.DeepEqual(got[i], want) {
				t.Errorf("posting %d:\n got %+v\nwant %+v", i, got[i], want)
			}
			if full[i].Salary != nil && got[i].Salary != nil && !reflect.DeepEqual(*got[i].Salary, *reportFields(full[i]).Salary) {
				t.Errorf("posting %d salary:\n got %+v\nwant %+v", i, *got[i].Salary, *reportFields(full[i]).Salary)
			}
		}
		// The NULL lists stay nil and the one bound stays one bound.
		for _, p := range got {
			switch p.ExternalID {
			case ps[2].ExternalID:
				if p.Roles != nil || p.Skills != nil || p.Education != nil {
					t.Errorf("NULL lists read as %q %q %q", p.Roles, p.Skills, p.Education)
				}
			case ps[4].ExternalID:
				if p.Salary.AnnualMinUSD != nil || p.Salary.AnnualMaxUSD == nil || *p.Salary.AnnualMaxUSD != 240000 {
					t.Errorf("one-bound salary read as %+v", p.Salary)
				}
			}
		}
	})
}

// TestReportPostingsStops: an error from fn stops the iteration and comes
// back as is.
func TestReportPostingsStops(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		savePage(t, s, 0, page("https://boards.example.com/acme", t0, "x"), postings(0, 3))
		stop := errors.New("stop")
		n := 0
		err := s.ReportPostings(context.Background(), func(*jobtrends.Posting) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("err = %v after %d postings, want stop after 1", err, n)
		}
	})
}

// variedPostings returns n postings over several sources and years with
// salaries of every provenance and flag, HN threads, undated ones and
// cross-source duplicates (the same company, title and city on several
// sources).
func variedPostings(n int) []jobtrends.Posting {
	r := rand.New(rand.NewPCG(1, 2))
	sources := []string{"hn", "greenhouse-acme", "lever-beta", "ashby-gamma"}
	companies := []string{"Acme AI", "acme ai", "Beta Labs", "Gamma", "Delta Robotics", "Epsilon"}
	titles := []string{"ML Engineer", "Senior Machine Learning Engineer", "Data Scientist", "MLOps Engineer", "Research Scientist"}
	cities := []string{"Boston", "Berlin", "San Francisco", "London", ""}
	countries := []string{"US", "DE", "US", "GB", ""}
	roles := []string{jobtrends.RoleMLEngineer, jobtrends.RoleMLEngineer, jobtrends.RoleDataScientist, "other"}
	provs := []jobtrends.Provenance{jobtrends.ProvenanceStructured, jobtrends.ProvenanceText, jobtrends.ProvenanceEstimate}
	flags := [][]string{nil, nil, nil, {"implausible"}, {"no_period"}}
	var out []jobtrends.Posting
	for i := range n {
		c := r.IntN(len(cities))
		p := jobtrends.Posting{
			Source: sources[r.IntN(len(sources))], ExternalID: fmt.Sprintf("v%05d", i),
			Title: titles[r.IntN(len(titles))], Company: companies[r.IntN(len(companies))],
			Location: jobtrends.Location{City: cities[c], Country: countries[c], Text: cities[c] + " (hybrid)"},
			Remote:   []jobtrends.Remote{jobtrends.RemoteFull, jobtrends.RemoteHybrid, jobtrends.RemoteOnsite, ""}[r.IntN(4)],
			Role:     roles[r.IntN(len(roles))], Seniority: []string{"senior", "mid", "", "staff"}[r.IntN(4)],
			Skills:    [][]string{{"PyTorch", "python"}, {"pytorch", "Kubernetes"}, nil}[r.IntN(3)],
			Education: [][]string{{"masters:required"}, {"phd:preferred", "masters:preferred"}, nil}[r.IntN(3)],
			Industry:  []string{"software", "health", ""}[r.IntN(3)],
		}
		d := time.Date(2019+r.IntN(8), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		switch {
		case p.Source == "hn" && r.IntN(2) == 0:
			p.Thread = d.Format("2006-01")
		case r.IntN(40) == 0: // undated
		default:
			p.DatePosted = d
		}
		if r.IntN(3) > 0 {
			lo := float64(60+r.IntN(200)) * 1000
			hi := lo + float64(r.IntN(5))*10000
			p.Salary = &jobtrends.Salary{Min: &lo, Max: &hi, Currency: "USD", Period: jobtrends.PeriodYear,
				Provenance: provs[r.IntN(len(provs))], Flags: flags[r.IntN(len(flags))]}
			if r.IntN(10) > 0 { // else: not annualized
				p.Salary.AnnualMinUSD, p.Salary.AnnualMaxUSD = &lo, &hi
			}
		}
		out = append(out, p)
	}
	return out
}

// TestReportPostingsBuildsTheSameReport: the report built by streaming
// ReportPostings twice through analyze.Builder is the report analyze.Build
// makes of the full postings of Postings (cross-source duplicates and
// salaries included).
func TestReportPostingsBuildsTheSameReport(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		ps := variedPostings(3000)
		for i := 0; i < len(ps); i += 500 {
			savePage(t, s, 0, page(fmt.Sprintf("https://boards.example.com/p%d", i), t0, fmt.Sprint(i)), ps[i:i+500])
		}
		opt := analyze.Options{Now: time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC)}
		want := analyze.Build(allPostings(t, s), nil, opt)
		if want.Counts.CrossSourceDuplicates == 0 || want.Salary.Used == 0 || want.Counts.Undated == 0 || want.Counts.Future == 0 {
			t.Fatalf("the data exercises too little: %+v, %d salaries", want.Counts, want.Salary.Used)
		}
		bld := analyze.NewBuilder(opt)
		if err := s.ReportPostings(ctx, bld.Add); err != nil {
			t.Fatal(err)
		}
		if err := s.ReportPostings(ctx, bld.Again); err != nil {
			t.Fatal(err)
		}
		got, err := bld.Report(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("streamed report differs from Build over Postings:\n got %+v\nwant %+v", got.Counts, want.Counts)
			if !reflect.DeepEqual(got.Salary, want.Salary) {
				t.Errorf("salary:\n got %+v\nwant %+v", got.Salary, want.Salary)
			}
		}
	})
}

// checkReportList fails unless parseReportList(s) is parseList(s): the
// same strings (nil and empty told apart) or both an error.
func checkReportList(t *testing.T, v sql.NullString) {
	t.Helper()
	got, gerr := parseReportList(v)
	want, werr := parseList(v)
	if (gerr != nil) != (werr != nil) || !reflect.DeepEqual(got, want) {
		t.Errorf("parseReportList(%q) = %q, %v; parseList gives %q, %v", v.String, got, gerr, want, werr)
	}
}

// TestParseReportList: the fast path reads what json.Marshal writes and
// leaves everything else to parseList.
func TestParseReportList(t *testing.T) {
	lists := [][]string{nil, {}, {""}, {"pytorch"}, {"PyTorch", "k8s", "C++"}, {`say "hi"`, `back\\slash`},
		{"<b>&</b>"}, {"Ünïcode", "東京", "\u2028"}, {"tab\there", "nl\n"}, {"masters:required", "phd:preferred"}}
	for _, l := range lists {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		checkReportList(t, sql.NullString{String: string(b), Valid: true})
	}
	for _, s := range []string{"", "null", "[]", "[", "]", `[""]`, `["a",]`, `["a""b"]`, `[,"a"]`, `["a]`, `["a"]]`, `[ "a" ]`,
		`["a", "b"]`, "[\"bad\xff\"]", `["\u00e9"]`, `[1]`, `{"a":1}`, "[\"ctl\x01\"]", `["a"],`} {
		checkReportList(t, sql.NullString{String: s, Valid: true})
	}
	checkReportList(t, sql.NullString{})
}

func FuzzParseReportList(f *testing.F) {
	for _, s := range []string{"[]", `["a","b"]`, `["a\"b"]`, "null", `["é", "x"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkReportList(t, sql.NullString{String: s, Valid: true})
	})
}

// TestReportGroupsMatchStream: the report the database counts in groups
// (ReportGroups) is the report of streaming every posting through
// analyze.Builder, to the last field, on both backends: with and without a
// window (bounds inside a month, so that a month is cut), with estimates
// included or not, and with cross-source duplicates, undated, future and
// thread-filed postings.
func TestReportGroupsMatchStream(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		// An empty database first.
		empty := analyze.NewGroups(analyze.Options{})
		if err := s.ReportGroups(ctx, empty); err != nil {
			t.Fatal(err)
		}
		if got, want := empty.Report(nil), analyze.Build(nil, nil, analyze.Options{}); !reflect.DeepEqual(got, want) {
			t.Errorf("empty database: grouped report differs from Build of nothing at %s", jsondiff.First(got, want))
		}
		now := time.Date(2025, 8, 15, 12, 0, 0, 0, time.UTC)
		from, to := time.Date(2020, 3, 10, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
		ps := variedPostings(3000)
		// Postings on each bound and a nanosecond either side of it.
		for i, d := range []time.Time{now, from, to} {
			for j, dt := range []time.Duration{-1, 0, 1} {
				p := ps[i*3+j]
				p.ExternalID, p.Thread, p.DatePosted, p.Role = fmt.Sprintf("bound%d", i*3+j), "", d.Add(dt), jobtrends.RoleMLEngineer
				ps = append(ps, p)
			}
		}
		for i := 0; i < len(ps); i += 500 {
			savePage(t, s, 0, page(fmt.Sprintf("https://boards.example.com/p%d", i), t0, fmt.Sprint(i)), ps[i:min(i+500, len(ps))])
		}
		for _, opt := range []analyze.Options{
			{},
			{Now: now},
			{Now: now, IncludeEstimates: true, GrowthBase: 2020},
			{Now: now, From: from, To: to},
			{From: from},
			{To: to},
		} {
			want, err := analyze.Stream(opt, nil, func(fn func(*jobtrends.Posting) error) error { return s.ReportPostings(ctx, fn) })
			if err != nil {
				t.Fatal(err)
			}
			g := analyze.NewGroups(opt)
			if err := s.ReportGroups(ctx, g); err != nil {
				t.Fatal(err)
			}
			got := g.Report(nil)
			if want.Counts.Used == 0 || want.Salary.Used == 0 || want.Skills.Postings == 0 {
				t.Fatalf("options %+v: the data exercises too little: %+v", opt, want.Counts)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("options %+v: grouped report differs from the streamed one at %s", opt, jsondiff.First(got, want))
			}
		}
	})
}

// TestReportGroupsOneSnapshot: ReportGroups reads one snapshot while a
// crawl keeps writing. Its queries count the used postings twice over
// (the counts, and the pay section's groups by role); with pages committed
// between the queries the two would differ.
func TestReportGroupsOneSnapshot(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		ps := variedPostings(4000)
		for i := range ps {
			if ps[i].DatePosted.IsZero() && ps[i].Thread == "" {
				ps[i].DatePosted = t0 // every posting used: no window, no Now
			}
		}
		savePage(t, s, 0, page("https://boards.example.com/first", t0, "first"), ps[:500])
		done := make(chan error, 1)
		stop := make(chan struct{})
		go func() {
			for i := 500; i < len(ps); i += 50 {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				if _, err := s.SavePage(ctx, 0, page(fmt.Sprintf("https://boards.example.com/p%d", i), t0, fmt.Sprint(i)), ps[i:i+50]); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		reports := 0
		for ; reports < 20; reports++ {
			g := analyze.NewGroups(analyze.Options{})
			if err := s.ReportGroups(ctx, g); err != nil {
				t.Fatal(err)
			}
			rep := g.Report(nil)
			byRole := 0
			for _, r := range rep.Salary.ByRole {
				byRole += r.Postings
			}
			if want := rep.Counts.Used - rep.Counts.CrossSourceDuplicates; byRole != want {
				t.Fatalf("report %d: %d used postings by role, %d used minus duplicates by count: two snapshots", reports, byRole, want)
			}
			if rep.Counts.Input != rep.Counts.Used+rep.Counts.Undated {
				t.Fatalf("report %d: counts %+v", reports, rep.Counts)
			}
		}
		close(stop)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if n := len(allPostings(t, s)); n <= 500 {
			t.Errorf("the writer stored nothing while the reports ran (%d postings)", n)
		}
	})
}

// TestReportGroupsSharedSnapshot: on PostgreSQL the pass over every
// posting runs in a transaction of its own, concurrently with the others,
// importing the report transaction's snapshot. Postings committed after
// the report began, before that transaction begins, must not be counted.
func TestReportGroupsSharedSnapshot(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		if b.name != "postgres" {
			t.Skip("SQLite reads on one connection")
		}
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		ps := variedPostings(1000)
		savePage(t, s, 0, page("https://boards.example.com/first", t0, "first"), ps[:500])
		want := analyze.NewGroups(analyze.Options{})
		if err := s.ReportGroups(ctx, want); err != nil {
			t.Fatal(err)
		}
		var hookErr error
		testHookSnapshot = func() { // on ReportGroups' goroutine: no t.Fatal
			_, hookErr = s.SavePage(ctx, 0, page("https://boards.example.com/second", t0, "second"), ps[500:])
		}
		defer func() { testHookSnapshot = nil }()
		g := analyze.NewGroups(analyze.Options{})
		if err := s.ReportGroups(ctx, g); err != nil {
			t.Fatal(err)
		}
		testHookSnapshot = nil
		if hookErr != nil {
			t.Fatal(hookErr)
		}
		if got, want := g.Report(nil), want.Report(nil); !reflect.DeepEqual(got, want) {
			t.Errorf("postings saved after the report began were counted: counts %+v, want %+v (first difference at %s)",
				got.Counts, want.Counts, jsondiff.First(got, want))
		}
		after := analyze.NewGroups(analyze.Options{})
		if err := s.ReportGroups(ctx, after); err != nil {
			t.Fatal(err)
		}
		if a := after.Report(nil); a.Counts.Input != 1000 {
			t.Errorf("after the second page: %d postings, want 1000", a.Counts.Input)
		}
	})
}
