package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Lock takes an exclusive, non-blocking flock on dbPath + ".lock", so that
// two runs (two cron jobs overlapping) never write the same database. If
// another process holds it, Lock fails at once with an error wrapping
// ErrLocked that names the lock file.
//
// The kernel releases the lock when the process dies, however it dies, so
// there is no stale lock to clean up; the file itself is left in place
// (removing it would let two processes lock two different files). It holds
// the PID of the last holder, for people. flock does not work across NFS:
// keep the database on a local file system.
//
// For a PostgreSQL database (IsPostgres) the lock is an advisory lock of
// that database instead (LockPostgres), so that runs on two machines
// exclude each other too.
//
// unlock releases the lock; calling it again does nothing.
func Lock(dbPath string) (unlock func() error, err error) {
	if IsPostgres(dbPath) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return LockPostgres(ctx, dbPath)
	}
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	if err := flock(f, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("store: lock %s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	// Best effort: the PID is for people, the lock is the flock.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	var once sync.Once
	unlock = func() error {
		var err error
		once.Do(func() {
			err = flock(f, unix.LOCK_UN)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				err = fmt.Errorf("store: unlock %s: %w", path, err)
			}
		})
		return err
	}
	return unlock, nil
}

// flock retries on EINTR.
func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}
