//go:build !linux

package charts

import "errors"

// exchange is not available here: replaceDir falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }

// strictDirSync is false: not every system can sync a folder.
const strictDirSync = false
