package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// batchPages is a crawl's worth of pages that touch each other's
// postings: new ones, changes, additions, a duplicate on one page, a body
// shared by two pages, a page older than one before it.
func batchPages() []struct {
	page     jobtrends.Page
	postings []jobtrends.Posting
} {
	const url = "https://boards.example.com/acme"
	changed := postings(0, 3)
	changed[1].Title = "Staff ML Engineer"
	changed[2].Salary = nil
	return []struct {
		page     jobtrends.Page
		postings []jobtrends.Posting
	}{
		{page(url, t0, "v1"), postings(0, 3)},
		{page(url, t0.Add(time.Hour), "v2"), changed},
		{page(url+"/2", t0.Add(time.Hour), "v2"), append(postings(0, 3), fullPosting(3))},
		{page(url, t0.Add(2*time.Hour), "v1"), append(postings(0, 3), fullPosting(0))},
		{page(url+"/3", t0.Add(-time.Hour), "v0"), postings(2, 5)},
		{page(url+"/4", t0.Add(3*time.Hour), "v4"), nil},
	}
}

// TestSavePagesLikeSavePage: pages saved in one SavePages transaction
// leave the database exactly as the same pages saved one SavePage at a
// time, with the same counts, even where a page of the batch changes what
// an earlier page of it stored, on both backends.
func TestSavePagesLikeSavePage(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		one, batch := b.open(t, defaultOptions()), b.open(t, defaultOptions())
		runOne, runBatch := startRun(t, one, t0), startRun(t, batch, t0)
		var want []PageCounts
		var prepared []*PreparedPage
		for _, p := range batchPages() {
			want = append(want, savePage(t, one, runOne, p.page, p.postings))
			pp, err := batch.PreparePage(ctx, p.page, p.postings)
			if err != nil {
				t.Fatal(err)
			}
			prepared = append(prepared, pp)
		}
		got, err := batch.SavePages(ctx, runBatch, prepared)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("SavePages counts %+v, want SavePage's %+v", got, want)
		}
		if a, b := allPostings(t, batch), allPostings(t, one); !reflect.DeepEqual(a, b) {
			t.Errorf("postings after SavePages differ from SavePage's:\n%+v\nwant\n%+v", a, b)
		}
		for _, q := range []string{
			"SELECT count(*) FROM bodies",
			"SELECT count(*) FROM raw_pages",
			"SELECT count(*) FROM raw_pages WHERE run_id IS NOT NULL",
			"SELECT count(DISTINCT raw_page_id) FROM postings",
		} {
			if a, b := queryInt(t, batch.db, q), queryInt(t, one.db, q); a != b {
				t.Errorf("%s: %d after SavePages, %d after SavePage", q, a, b)
			}
		}
		var first, last string
		for _, s := range []*Store{one, batch} {
			err := s.db.QueryRowContext(ctx, "SELECT min(first_fetched), max(fetched) FROM raw_pages").Scan(&first, &last)
			if err != nil || first != t0.Add(-time.Hour).Format(timeFormat) || last != t0.Add(3*time.Hour).Format(timeFormat) {
				t.Errorf("raw_pages fetched %s – %s (%v)", first, last, err)
			}
		}
	})
}

// TestSavePagesFailingPage: when one page of a batch cannot be written
// (here a trigger refuses its URL), the pages before it are stored, the
// error names the failing page, and neither it nor the pages after it
// leave anything behind.
func TestSavePagesFailingPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, defaultOptions())
		const bad = "https://boards.example.com/acme/3"
		trigger := []string{`CREATE TRIGGER refuse BEFORE INSERT ON raw_pages
			WHEN NEW.url = '` + bad + `' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`}
		if s.pg {
			trigger = []string{
				`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.url = '` + bad + `' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$`,
				`CREATE TRIGGER refuse BEFORE INSERT ON raw_pages FOR EACH ROW EXECUTE FUNCTION refuse()`,
			}
		}
		for _, q := range trigger {
			if _, err := s.db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		run := startRun(t, s, t0)
		var prepared []*PreparedPage
		for _, p := range batchPages() {
			pp, err := s.PreparePage(ctx, p.page, p.postings)
			if err != nil {
				t.Fatal(err)
			}
			prepared = append(prepared, pp)
		}
		got, err := s.SavePages(ctx, run, prepared)
		if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "refused by test") {
			t.Fatalf("SavePages error = %v, want it to name %s and the trigger's refusal", err, bad)
		}
		if len(got) != 4 {
			t.Fatalf("counts of %d pages stored, want the 4 before %s", len(got), bad)
		}
		want := openTest(t)
		wantRun := startRun(t, want, t0)
		for _, p := range batchPages()[:4] {
			savePage(t, want, wantRun, p.page, p.postings)
		}
		if a, b := allPostings(t, s), allPostings(t, want); !reflect.DeepEqual(a, b) {
			t.Errorf("postings after the failed batch:\n%+v\nwant those of the 4 pages before it:\n%+v", a, b)
		}
		if n := queryInt(t, s.db, "SELECT count(*) FROM raw_pages"); n != queryInt(t, want.db, "SELECT count(*) FROM raw_pages") {
			t.Errorf("%d raw pages stored", n)
		}
	})
}
