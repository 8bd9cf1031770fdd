//go:build race

package parse

// raceEnabled: the race detector is on, and tests that parse thousands of
// real postings run in the non-race pass of `make test` instead.
const raceEnabled = true
