package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// childEnv names the database a re-exec'd test binary writes until killed.
const childEnv = "JOBTRENDS_STORE_TEST_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		writeUntilKilled(path, os.Getenv(childEnv+"_BASE"))
		return
	}
	os.Exit(m.Run())
}

// perKilledPage is the number of postings on each page the child saves.
const perKilledPage = 20

// writeUntilKilled is the child: a crawler saving pages as fast as it can.
func writeUntilKilled(path, base string) {
	ctx := context.Background()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	b, err := strconv.Atoi(base)
	if err != nil {
		fail(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		fail(err)
	}
	run, err := s.StartRun(ctx, time.Now())
	if err != nil {
		fail(err)
	}
	fmt.Println("started") // the parent kills only after this
	rng := rand.New(rand.NewPCG(uint64(b), 1))
	for i := b; ; i++ {
		url := fmt.Sprintf("https://a.example/%d", i)
		ps := postings(i*perKilledPage, i*perKilledPage+perKilledPage)
		if _, err := s.SavePage(ctx, run, page(url, time.Now(), incompressible(rng, 8<<10)), ps); err != nil {
			fail(err)
		}
	}
}

// TestSIGKILL kills a writing process at random moments and checks that
// every page is in the database whole or not at all, that the database is
// intact and that the killed runs are marked aborted (RELIABILITY.md S1).
func TestSIGKILL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "killed.db")
	rng := rand.New(rand.NewPCG(5, 6))
	const kills = 5
	for k := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+path, fmt.Sprintf("%s_BASE=%d", childEnv, k*100000))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if line != "started\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: child said %q, %v", k, line, err)
		}
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill %d: child was not killed but ended with %v", k, err)
		}
	}

	s := openTestPath(t, path, defaultOptions())
	integrityOK(t, s)
	ctx := context.Background()
	t.Run("every page whole", func(t *testing.T) {
		rows, err := s.db.QueryContext(ctx, `
			SELECT r.url, count(p.id) FROM raw_pages r LEFT JOIN postings p ON p.raw_page_id = r.id
			GROUP BY r.id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		pages := 0
		for rows.Next() {
			var url string
			var n int
			if err := rows.Scan(&url, &n); err != nil {
				t.Fatal(err)
			}
			if n != perKilledPage {
				t.Errorf("page %s has %d postings, want %d", url, n, perKilledPage)
			}
			pages++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		ps, _, _ := counts(t, s)
		if ps != pages*perKilledPage {
			t.Errorf("%d postings for %d pages", ps, pages)
		}
		t.Logf("%d pages survived %d kills", pages, kills)
		if pages == 0 {
			t.Error("no page was written: the child never got going")
		}
	})
	t.Run("killed runs aborted", func(t *testing.T) {
		startRun(t, s, time.Now())
		runs, err := s.Runs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != kills+1 {
			t.Fatalf("%d runs, want %d", len(runs), kills+1)
		}
		for _, r := range runs[1:] {
			if r.Status != StatusAborted {
				t.Errorf("run %d: %s", r.ID, r.Status)
			}
		}
	})
}
