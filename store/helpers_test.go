package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// t0 is the fetch time of the first test page.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// openTest opens a new store in a temporary directory, closed at cleanup.
func openTest(t testing.TB) *Store {
	t.Helper()
	return openTestPath(t, filepath.Join(t.TempDir(), "jobs.db"), defaultOptions())
}

func openTestPath(t testing.TB, path string, o options) *Store {
	t.Helper()
	s, err := open(context.Background(), path, o)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func ptr(f float64) *float64 { return &f }

// fullPosting returns a posting with every field set.
func fullPosting(i int) jobtrends.Posting {
	return jobtrends.Posting{
		Source:     "greenhouse-acme",
		SourceType: "greenhouse",
		ExternalID: fmt.Sprintf("job-%04d", i),
		URL:        fmt.Sprintf("https://boards.example.com/acme/jobs/%d", i),
		Title:      fmt.Sprintf("Senior Machine Learning Engineer %d", i),
		Roles:      []string{jobtrends.RoleMLEngineer, jobtrends.RoleDataScientist},
		Company:    "Acme AI",
		Location: jobtrends.Location{
			Text: "San Francisco, CA", City: "San Francisco", Region: "CA", Country: "US",
		},
		Remote:         jobtrends.RemoteHybrid,
		EmploymentType: "full-time",
		DatePosted:     time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC),
		DateApprox:     true,
		Description: strings.Repeat("We train large models on PyTorch and ship them with Kubernetes. ", 40) +
			fmt.Sprint(i),
		Salary: &jobtrends.Salary{
			Raw:            "$180,000 – $240,000 per year",
			Min:            ptr(180000),
			Max:            ptr(240000),
			Currency:       "USD",
			Period:         jobtrends.PeriodYear,
			PeriodInferred: true,
			Ranges: []jobtrends.Range{
				{Min: ptr(180000), Max: ptr(240000), Currency: "USD", Period: jobtrends.PeriodYear},
				{Min: nil, Max: ptr(250000.5), Currency: "USD"},
			},
			Multiplier:   1,
			AnnualMin:    ptr(180000),
			AnnualMax:    ptr(240000),
			USDRate:      1,
			RateDate:     "2026-03-01",
			AnnualMinUSD: ptr(180000),
			AnnualMaxUSD: ptr(240000),
			Provenance:   jobtrends.ProvenanceStructured,
			Flags:        []string{"mixed_currency"},
		},
		Role:      jobtrends.RoleMLEngineer,
		Seniority: jobtrends.SenioritySenior,
		Skills:    []string{"pytorch", "kubernetes", "python"},
		Education: []string{"masters:preferred"},
		Industry:  "software",
		Thread:    "2026-02",
		Origin:    "",
	}
}

// page returns a page of source "greenhouse-acme" fetched at t.
func page(url string, t time.Time, body string) jobtrends.Page {
	return jobtrends.Page{
		URL: url, Source: "greenhouse-acme", Fetched: t, Status: 200,
		ContentType: "text/html; charset=utf-8", Body: []byte(body),
	}
}

// postings returns fullPosting(from) … fullPosting(to-1).
func postings(from, to int) []jobtrends.Posting {
	var ps []jobtrends.Posting
	for i := from; i < to; i++ {
		ps = append(ps, fullPosting(i))
	}
	return ps
}

// allPostings reads every posting from s.
func allPostings(t testing.TB, s *Store) []jobtrends.Posting {
	t.Helper()
	var ps []jobtrends.Posting
	err := s.Postings(context.Background(), func(p *jobtrends.Posting) error {
		ps = append(ps, *p)
		return nil
	})
	if err != nil {
		t.Fatalf("Postings: %v", err)
	}
	return ps
}

// counts returns Counts or fails.
func counts(t testing.TB, s *Store) (postings, pages, runs int) {
	t.Helper()
	postings, pages, runs, err := s.Counts(context.Background())
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	return postings, pages, runs
}

// startRun starts a run at now or fails.
func startRun(t testing.TB, s *Store, now time.Time) int64 {
	t.Helper()
	id, err := s.StartRun(context.Background(), now)
	if err != nil {
		t.Fatalf("StartRun: %v", err)
	}
	return id
}

// savePage saves or fails.
func savePage(t testing.TB, s *Store, runID int64, p jobtrends.Page, ps []jobtrends.Posting) PageCounts {
	t.Helper()
	c, err := s.SavePage(context.Background(), runID, p, ps)
	if err != nil {
		t.Fatalf("SavePage %s: %v", p.URL, err)
	}
	return c
}

// fileHash returns the SHA-256 of a file's contents.
func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// rawDB opens a plain database/sql handle on path, bypassing Store.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, options{busyTimeout: 0}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryInt runs a query returning one integer.
func queryInt(t testing.TB, db interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// integrityOK fails unless PRAGMA integrity_check says ok.
func integrityOK(t testing.TB, s *Store) {
	t.Helper()
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
}
