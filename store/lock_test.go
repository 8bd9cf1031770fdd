package store

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLock checks the flock with several open file descriptions in this
// process (flock locks belong to the open file description, so a second
// Lock here conflicts as a second process would). The process-level test,
// a re-exec'd child killed while holding the lock, lives with the CLI.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "jobs.db")
	lockPath := db + ".lock"

	unlock, err := Lock(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("second lock fails at once with ErrLocked naming the lock file", func(t *testing.T) {
		u, err := Lock(db)
		if err == nil {
			u()
			t.Fatal("second Lock succeeded")
		}
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), lockPath) {
			t.Errorf("err = %v, want ErrLocked naming %s", err, lockPath)
		}
	})
	t.Run("lock file holds the PID", func(t *testing.T) {
		b, err := os.ReadFile(lockPath)
		if err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
			t.Errorf("lock file: %q, %v", b, err)
		}
	})
	t.Run("another database has its own lock", func(t *testing.T) {
		u, err := Lock(filepath.Join(dir, "other.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := u(); err != nil {
			t.Error(err)
		}
	})
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	t.Run("unlock twice is harmless", func(t *testing.T) {
		if err := unlock(); err != nil {
			t.Error(err)
		}
	})
	t.Run("lock again after unlock", func(t *testing.T) {
		u, err := Lock(db)
		if err != nil {
			t.Fatal(err)
		}
		if err := u(); err != nil {
			t.Error(err)
		}
	})
	t.Run("missing directory is not ErrLocked", func(t *testing.T) {
		_, err := Lock(filepath.Join(dir, "missing", "jobs.db"))
		if err == nil || errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "missing") {
			t.Errorf("err = %v", err)
		}
	})
}
