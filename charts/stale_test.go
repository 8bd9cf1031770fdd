package charts

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRemoveStaleTemps: a temporary report folder left by a killed writer
// (fault row S2) is removed by a later write once it is stale; a fresh
// one (another writer at work) and other folders are kept.
func TestRemoveStaleTemps(t *testing.T) {
	parent := t.TempDir()
	mk := func(name string, age time.Duration) string {
		p := filepath.Join(parent, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-age)
		os.Chtimes(p, old, old)
		return p
	}
	stale := mk(".report.tmp-123", 2*time.Hour)
	fresh := mk(".report.tmp-456", time.Minute)
	other := mk("report", 2*time.Hour)
	otherTmp := mk(".other.tmp-1", 2*time.Hour)
	removeStaleTemps(parent, ".report.tmp-", time.Now())
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("stale temporary folder kept")
	}
	for _, p := range []string{fresh, other, otherTmp} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}
