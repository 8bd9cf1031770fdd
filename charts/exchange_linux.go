//go:build linux

package charts

import "golang.org/x/sys/unix"

// exchange swaps the folders a and b in one step (renameat2
// RENAME_EXCHANGE), so that b is never missing.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}

// strictDirSync makes a failure to sync a folder an error.
const strictDirSync = true
