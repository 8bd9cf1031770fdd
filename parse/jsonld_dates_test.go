package parse

import (
	"testing"
	"time"
)

// TestJSONLDImplausibleDates: a datePosted in the future of the fetch (or
// before 1995) is not taken as the posting date, as for text dates.
func TestJSONLDImplausibleDates(t *testing.T) {
	fetched := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, date string
		want       time.Time
	}{
		{"past", "2026-11-01", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{"same day later hour", "2026-11-27T20:00:00Z", time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC)},
		{"next year", "2027-11-01", time.Time{}},
		{"epoch zero", "1970-01-01", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := `<script type="application/ld+json">{"@type":"JobPosting","title":"ML Engineer","datePosted":"` + tc.date + `","hiringOrganization":{"name":"Acme"}}</script>`
			res, err := Extract("https://example.com/job/1", []byte(page), fetched)
			if err != nil || len(res.Postings) != 1 {
				t.Fatalf("Extract: %v, %d postings", err, len(res.Postings))
			}
			if got := res.Postings[0].DatePosted; !got.Equal(tc.want) {
				t.Errorf("DatePosted = %v, want %v", got, tc.want)
			}
		})
	}
}
