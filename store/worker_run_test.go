package store

import (
	"context"
	"testing"
	"time"
)

// TestStartWorkerRunLeavesOthersRunning: workers of a shared crawl run at
// the same time; starting one leaves the others running, and each
// finishes its own run.
func TestStartWorkerRunLeavesOthersRunning(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		w1, err := s.StartWorkerRun(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		savePage(t, s, w1, page("https://a.example/1", t0, "a"), postings(0, 2))
		w2, err := s.StartWorkerRun(ctx, t0.Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		savePage(t, s, w1, page("https://a.example/2", t0, "b"), postings(2, 3))
		savePage(t, s, w2, page("https://a.example/3", t0, "c"), postings(3, 4))
		for _, id := range []int64{w1, w2} {
			if err := s.FinishRun(ctx, id, t0.Add(time.Minute), StatusPartial, "", []SourceStats{{Source: "src"}}); err != nil {
				t.Fatalf("finish worker run %d: %v", id, err)
			}
		}
		runs, err := s.Runs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 2 {
			t.Fatalf("%d runs, want 2", len(runs))
		}
		for _, r := range runs {
			if r.Status != StatusPartial {
				t.Errorf("run %d: status %q, want %q", r.ID, r.Status, StatusPartial)
			}
		}
		if ps, _, _ := counts(t, s); ps != 4 {
			t.Errorf("%d postings, want 4", ps)
		}
	})
}
