package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

func TestRuns(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		r1 := startRun(t, s, t0)
		noSalary := fullPosting(2)
		noSalary.Salary = nil
		savePage(t, s, r1, page("https://a.example/", t0, "a"), []jobtrends.Posting{fullPosting(1), noSalary})
		savePage(t, s, r1, page("https://a.example/2", t0, "b"), []jobtrends.Posting{fullPosting(1)}) // seen twice
		stats := []SourceStats{
			{Source: "greenhouse-acme", PagesFetched: 2, PagesFailed: 1, RobotsBlocked: 3, PagesSkipped: 4, EncodingFallback: 6,
				New: 2, Updated: 0, Unchanged: 1, Closed: 5, Complete: true, Seen: 77, WithSalary: 77},
			{Source: "hn", PagesFailed: 9},
		}
		if err := s.FinishRun(ctx, r1, t0.Add(time.Minute), StatusPartial, "hn: 503", stats); err != nil {
			t.Fatal(err)
		}
		r2 := startRun(t, s, t0.Add(time.Hour))

		runs, err := s.Runs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		wantStats := []SourceStats{stats[0], stats[1]}
		wantStats[0].Seen, wantStats[0].WithSalary = 2, 1 // computed, not taken from the caller
		wantStats[1].Seen, wantStats[1].WithSalary = 0, 0
		want := []Run{
			{ID: r2, Started: t0.Add(time.Hour), Status: StatusRunning},
			{ID: r1, Started: t0, Finished: t0.Add(time.Minute), Status: StatusPartial, Error: "hn: 503", Sources: wantStats},
		}
		if !reflect.DeepEqual(runs, want) {
			t.Errorf("Runs:\n got %+v\nwant %+v", runs, want)
		}
		if runs, _ := s.Runs(ctx, 1); len(runs) != 1 || runs[0].ID != r2 {
			t.Errorf("Runs(1) = %+v", runs)
		}
		if st, ok := want[1].Source("hn"); !ok || st.PagesFailed != 9 {
			t.Errorf("Run.Source(hn) = %+v, %v", st, ok)
		}
		if _, ok := want[1].Source("lever"); ok {
			t.Error("Run.Source found a source that is not there")
		}
		if _, _, n := counts(t, s); n != 2 {
			t.Errorf("Counts: %d runs, want 2", n)
		}
	})
}

func TestFinishRunRejects(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		tests := []struct {
			name    string
			run     func(t testing.TB, s *Store) int64
			status  string
			sources []SourceStats
			want    string
		}{
			{"unknown status", startRunT0, "done", nil, `status "done"`},
			{"running is not a final status", startRunT0, StatusRunning, nil, `status "running"`},
			{"source twice", startRunT0, StatusOK, []SourceStats{{Source: "hn"}, {Source: "hn"}}, "listed twice"},
			{"source without a name", startRunT0, StatusOK, []SourceStats{{}}, "listed twice"},
			{"unknown run", func(testing.TB, *Store) int64 { return 42 }, StatusOK, nil, "run 42 does not exist"},
			{"finished twice", func(t testing.TB, s *Store) int64 {
				id := startRunT0(t, s)
				if err := s.FinishRun(context.Background(), id, t0, StatusOK, "", nil); err != nil {
					t.Fatal(err)
				}
				return id
			}, StatusOK, nil, "run is ok, not running"},
			{"aborted by a later run", func(t testing.TB, s *Store) int64 {
				id := startRunT0(t, s)
				startRunT0(t, s)
				return id
			}, StatusOK, nil, "run is aborted, not running"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := b.open(t, defaultOptions())
				id := tt.run(t, s)
				err := s.FinishRun(context.Background(), id, t0, tt.status, "", tt.sources)
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), s.Path()) {
					t.Fatalf("err = %v, want it to name the file and say %q", err, tt.want)
				}
			})
		}
	})
}

func startRunT0(t testing.TB, s *Store) int64 { t.Helper(); return startRun(t, s, t0) }

func TestStartRunAbortsStaleRun(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		killed := startRun(t, s, t0)
		savePage(t, s, killed, page("https://a.example/", t0, "a"), postings(0, 2))
		next := startRun(t, s, t0.Add(time.Hour))
		runs, err := s.Runs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]Run{}
		for _, r := range runs {
			got[r.ID] = r
		}
		if r := got[killed]; r.Status != StatusAborted || !strings.Contains(r.Error, "still running") || !r.Finished.IsZero() {
			t.Errorf("killed run: %+v", r)
		}
		if r := got[next]; r.Status != StatusRunning {
			t.Errorf("new run: %+v", r)
		}
		// The pages the killed run committed stay.
		if ps, pages, _ := counts(t, s); ps != 2 || pages != 1 {
			t.Errorf("%d postings, %d pages after the abort; want 2, 1", ps, pages)
		}
	})
}

func TestLastRunWithPostings(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		finish := func(id int64, st ...SourceStats) {
			t.Helper()
			if err := s.FinishRun(ctx, id, t0, StatusOK, "", st); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok, err := s.LastRunWithPostings(ctx, "hn"); ok || err != nil {
			t.Fatalf("empty db: ok=%v err=%v", ok, err)
		}
		r1 := startRun(t, s, t0)
		finish(r1, SourceStats{Source: "hn", New: 10}, SourceStats{Source: "lever", Unchanged: 3})
		r2 := startRun(t, s, t0)
		finish(r2, SourceStats{Source: "hn"}, SourceStats{Source: "lever", Updated: 1})
		startRun(t, s, t0) // running: has no figures yet

		tests := []struct {
			source string
			want   int64
			ok     bool
		}{
			{"hn", r1, true},
			{"lever", r2, true},
			{"ashby", 0, false},
		}
		for _, tt := range tests {
			t.Run(tt.source, func(t *testing.T) {
				r, ok, err := s.LastRunWithPostings(ctx, tt.source)
				if err != nil || ok != tt.ok || r.ID != tt.want {
					t.Fatalf("got run %d ok=%v err=%v; want %d %v", r.ID, ok, err, tt.want, tt.ok)
				}
				if ok {
					if _, found := r.Source(tt.source); !found {
						t.Errorf("run %d has no stats for %s", r.ID, tt.source)
					}
				}
			})
		}
	})
}

func TestCloseMissing(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		const k = 2
		url := "https://a.example/jobs"
		other := fullPosting(9)
		other.Source = "lever-x"
		day := func(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

		// crawl saves the given postings in a new run, then closes missing ones.
		crawl := func(n int, ids ...int) (PageCounts, int) {
			t.Helper()
			run := startRun(t, s, day(n))
			var ps []jobtrends.Posting
			for _, i := range ids {
				ps = append(ps, fullPosting(i))
			}
			c := savePage(t, s, run, page(url, day(n), "list"), ps)
			closed, err := s.CloseMissing(ctx, run, "greenhouse-acme", k, day(n))
			if err != nil {
				t.Fatal(err)
			}
			// Calling it twice for the same run counts the miss once.
			if again, err := s.CloseMissing(ctx, run, "greenhouse-acme", k, day(n)); err != nil || again != 0 {
				t.Fatalf("second CloseMissing: %d, %v", again, err)
			}
			if err := s.FinishRun(ctx, run, day(n), StatusOK, "", nil); err != nil {
				t.Fatal(err)
			}
			return c, closed
		}
		closedAt := func() map[string]time.Time {
			m := map[string]time.Time{}
			for _, p := range allPostings(t, s) {
				m[p.ExternalID] = p.Closed
			}
			return m
		}
		savePage(t, s, 0, page("https://lever.example/", t0, "x"), []jobtrends.Posting{other})

		steps := []struct {
			name       string
			ids        []int
			wantCounts PageCounts
			wantClosed int
			closed     map[string]time.Time // zero = open
		}{
			{"first crawl sees 0 1 2", []int{0, 1, 2}, PageCounts{New: 3}, 0, nil},
			{"2 missed once: still open", []int{0, 1}, PageCounts{Unchanged: 2}, 0, nil},
			{"2 missed twice: closed; 1 missed once", []int{0, 3}, PageCounts{Unchanged: 1, New: 1}, 1,
				map[string]time.Time{"job-0002": day(2)}},
			{"2 seen again: reopened; 1 missed twice: closed", []int{0, 2, 3}, PageCounts{Updated: 1, Unchanged: 2}, 1,
				map[string]time.Time{"job-0001": day(3)}},
			{"closed posting missed again stays closed at the same time", []int{0, 2, 3}, PageCounts{Unchanged: 3}, 0,
				map[string]time.Time{"job-0001": day(3)}},
		}
		for n, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				c, closed := crawl(n, st.ids...)
				if c != st.wantCounts || closed != st.wantClosed {
					t.Errorf("counts %+v closed %d; want %+v closed %d", c, closed, st.wantCounts, st.wantClosed)
				}
				for id, got := range closedAt() {
					if want := st.closed[id]; !got.Equal(want) {
						t.Errorf("%s closed at %v, want %v", id, got, want)
					}
				}
			})
		}
		t.Run("an old page does not reopen a closed posting", func(t *testing.T) {
			c := savePage(t, s, 0, page(url, day(1), "old list"), []jobtrends.Posting{fullPosting(1)})
			if c != (PageCounts{Unchanged: 1}) || closedAt()["job-0001"].IsZero() {
				t.Errorf("counts %+v, closed %v", c, closedAt()["job-0001"])
			}
		})
		t.Run("bad k", func(t *testing.T) {
			if _, err := s.CloseMissing(ctx, 1, "greenhouse-acme", 0, t0); err == nil {
				t.Error("k = 0 accepted")
			}
		})
		t.Run("unknown run", func(t *testing.T) {
			if _, err := s.CloseMissing(ctx, 99, "greenhouse-acme", 1, t0); err == nil || !strings.Contains(err.Error(), "run 99") {
				t.Errorf("err = %v", err)
			}
		})
	})
}
