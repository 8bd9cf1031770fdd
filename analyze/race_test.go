//go:build race

package analyze

// raceEnabled: the race detector is on; tests over real postings take a
// subset of the demo pages (parsing and enriching all of them takes
// minutes under the detector).
const raceEnabled = true
