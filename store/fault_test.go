package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// TestSavePageAllOrNothing injects a failure halfway through a page's
// postings (a trigger raising an error) and checks that nothing of the page
// is left: no posting, no raw page, no body, no moved last_seen.
func TestSavePageAllOrNothing(t *testing.T) {
	const firstURL, secondURL = "https://a.example/1", "https://a.example/2"
	changed := postings(0, 10)
	for i := range changed {
		changed[i].Title = "Changed title"
	}
	tests := []struct {
		name    string
		trigger string
		url     string
		posts   []jobtrends.Posting
	}{
		{"insert fails at the 16th new posting",
			`CREATE TRIGGER boom BEFORE INSERT ON postings WHEN NEW.external_id = 'job-0025'
			 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
			secondURL, postings(10, 40)},
		{"update fails at the 6th changed posting",
			`CREATE TRIGGER boom BEFORE UPDATE OF title ON postings WHEN NEW.external_id = 'job-0005'
			 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
			secondURL, append(changed, postings(10, 20)...)},
		{"touch of a known page fails at the last posting",
			`CREATE TRIGGER boom BEFORE UPDATE OF last_seen ON postings WHEN NEW.external_id = 'job-0009'
			 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
			firstURL, postings(0, 10)},
		{"body insert fails",
			`CREATE TRIGGER boom BEFORE INSERT ON bodies
			 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
			secondURL, postings(10, 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			ctx := context.Background()
			run := startRun(t, s, t0)
			savePage(t, s, run, page(firstURL, t0, "first body"), postings(0, 10))
			before := allPostings(t, s)
			if _, err := s.db.Exec(tt.trigger); err != nil {
				t.Fatal(err)
			}
			_, err := s.SavePage(ctx, run, page(tt.url, t0.Add(time.Hour), "second body"), tt.posts)
			if err == nil || !strings.Contains(err.Error(), "injected failure") || !strings.Contains(err.Error(), s.Path()) {
				t.Fatalf("err = %v, want the injected failure naming the file", err)
			}
			ps, pages, _ := counts(t, s)
			bodies := queryInt(t, s.db, "SELECT count(*) FROM bodies")
			if ps != 10 || pages != 1 || bodies != 1 {
				t.Errorf("after the failed page: %d postings, %d pages, %d bodies; want 10, 1, 1", ps, pages, bodies)
			}
			after := allPostings(t, s)
			for i := range before {
				if before[i].Title != after[i].Title || !before[i].LastSeen.Equal(after[i].LastSeen) {
					t.Errorf("posting %s changed: %q %v → %q %v", before[i].ExternalID,
						before[i].Title, before[i].LastSeen, after[i].Title, after[i].LastSeen)
				}
			}
			var fetched string
			if err := s.db.QueryRow("SELECT fetched FROM raw_pages").Scan(&fetched); err != nil || fetched != fmtTime(t0) {
				t.Errorf("raw page fetched = %q, %v", fetched, err)
			}
			integrityOK(t, s)
		})
	}
}

func TestSavePageCanceled(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.SavePage(ctx, 0, page("https://a.example/", t0, "x"), postings(0, 5))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if ps, pages, _ := counts(t, s); ps != 0 || pages != 0 {
			t.Errorf("%d postings, %d pages stored by a canceled save", ps, pages)
		}
	})
}

// incompressible returns n random bytes.
func incompressible(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	return string(b)
}

// TestDiskFull caps the database with PRAGMA max_page_count and saves pages
// until SQLite reports SQLITE_FULL.
func TestDiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.db")
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	s := openTestPath(t, path, defaultOptions())
	savePage(t, s, 0, page("https://a.example/seed", t0, "seed"), postings(0, 10))
	var pageCount int
	if err := s.db.QueryRow("PRAGMA page_count").Scan(&pageCount); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	o := defaultOptions()
	o.pragmas = []string{fmt.Sprintf("max_page_count(%d)", pageCount+100)} // 400 KiB more
	s, err := open(ctx, path, o)
	if err != nil {
		t.Fatal(err)
	}
	saved := 1
	var full error
	for i := 1; i < 100; i++ {
		url := fmt.Sprintf("https://a.example/%d", i)
		_, err := s.SavePage(ctx, 0, page(url, t0, incompressible(rng, 64<<10)), postings(i*10, i*10+10))
		if err != nil {
			full = err
			break
		}
		saved++
	}
	t.Logf("%d pages saved before: %v", saved, full)
	t.Run("error is SQLITE_FULL naming the file", func(t *testing.T) {
		if !errors.Is(full, ErrDiskFull) || !strings.Contains(full.Error(), path) {
			t.Fatalf("err = %v, want ErrDiskFull naming %s", full, path)
		}
	})
	t.Run("earlier pages intact, nothing of the failed one", func(t *testing.T) {
		ps, pages, _ := counts(t, s)
		if saved < 2 || ps != saved*10 || pages != saved {
			t.Errorf("%d postings, %d pages; want %d, %d", ps, pages, saved*10, saved)
		}
		integrityOK(t, s)
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	t.Run("the next run with room succeeds", func(t *testing.T) {
		s := openTestPath(t, path, defaultOptions())
		savePage(t, s, 0, page("https://a.example/after", t0, incompressible(rng, 64<<10)), postings(1000, 1010))
		if ps, _, _ := counts(t, s); ps != saved*10+10 {
			t.Errorf("%d postings after freeing space", ps)
		}
		integrityOK(t, s)
	})
}

// TestLockedByAnotherConnection holds BEGIN EXCLUSIVE on another connection
// (as `sqlite3 jobs.db 'BEGIN EXCLUSIVE;'` would) and checks that writes
// wait for the busy timeout, then fail cleanly, while reads go on (WAL).
func TestLockedByAnotherConnection(t *testing.T) {
	const timeout = 300 * time.Millisecond
	path := filepath.Join(t.TempDir(), "locked.db")
	ctx := context.Background()
	o := defaultOptions()
	o.busyTimeout = timeout
	s := openTestPath(t, path, o)
	run := startRun(t, s, t0)
	savePage(t, s, run, page("https://a.example/1", t0, "one"), postings(0, 5))

	other := rawDB(t, path)
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	writes := []struct {
		name string
		do   func() error
	}{
		{"SavePage", func() error {
			_, err := s.SavePage(ctx, run, page("https://a.example/2", t0, "two"), postings(5, 10))
			return err
		}},
		{"StartRun", func() error { _, err := s.StartRun(ctx, t0); return err }},
		{"FinishRun", func() error { return s.FinishRun(ctx, run, t0, StatusOK, "", nil) }},
		{"CloseMissing", func() error { _, err := s.CloseMissing(ctx, run, "greenhouse-acme", 1, t0); return err }},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			start := time.Now()
			err := w.do()
			waited := time.Since(start)
			if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v, want ErrBusy naming %s", err, path)
			}
			if waited < timeout*8/10 || waited > timeout+2*time.Second {
				t.Errorf("failed after %v, want about the busy timeout %v", waited, timeout)
			}
		})
	}
	t.Run("reads go on", func(t *testing.T) {
		if ps, _, _ := counts(t, s); ps != 5 {
			t.Errorf("%d postings", ps)
		}
	})
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	t.Run("after the lock is released", func(t *testing.T) {
		savePage(t, s, run, page("https://a.example/2", t0, "two"), postings(5, 10))
		if ps, pages, _ := counts(t, s); ps != 10 || pages != 2 {
			t.Errorf("%d postings, %d pages; want 10, 2", ps, pages)
		}
		integrityOK(t, s)
	})
}

// TestConcurrentReaderAndWriters runs a writer (the crawler), a second
// writer through another Store (as another process would: BEGIN IMMEDIATE
// and the busy timeout make it wait, never fail) and a reader through a
// third (the report): no SQLITE_BUSY, and every read sees whole pages only.
func TestConcurrentReaderAndWriters(t *testing.T) {
	const pages, perPage = 20, 10
	path := filepath.Join(t.TempDir(), "wal.db")
	ctx := context.Background()
	w1 := openTestPath(t, path, defaultOptions())
	w2 := openTestPath(t, path, defaultOptions())
	r := openTestPath(t, path, defaultOptions())

	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 100)
	write := func(s *Store, base int) {
		for i := range pages {
			n := base + i
			_, err := s.SavePage(ctx, 0, page(fmt.Sprintf("https://a.example/%d", n), t0, fmt.Sprint(n)),
				postings(n*perPage, n*perPage+perPage))
			if err != nil {
				errs <- fmt.Errorf("writer: %w", err)
				return
			}
		}
	}
	wg.Go(func() { write(w1, 0) })
	wg.Go(func() { write(w2, pages) })
	reads := 0
	var readWG sync.WaitGroup
	readWG.Go(func() {
		last := 0
		for {
			select {
			case <-done:
				return
			default:
			}
			n := 0
			err := r.Postings(ctx, func(*jobtrends.Posting) error { n++; return nil })
			if err != nil {
				errs <- fmt.Errorf("reader: %w", err)
				return
			}
			if n%perPage != 0 || n < last {
				errs <- fmt.Errorf("reader saw %d postings after %d: a partial page or going back", n, last)
				return
			}
			last = n
			reads++
		}
	})
	wg.Wait()
	close(done)
	readWG.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d full reads during %d page writes", reads, 2*pages)
	if ps, _, _ := counts(t, r); ps != 2*pages*perPage {
		t.Errorf("%d postings, want %d", ps, 2*pages*perPage)
	}
	integrityOK(t, r)
}
