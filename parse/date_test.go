package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	fetched := time.Date(2025, 3, 10, 12, 30, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		in      string
		want    time.Time
		approx  bool
		wantErr error
	}{
		{"iso date", "2024-01-02", day(2024, 1, 2), false, nil},
		{"iso datetime utc", "2024-01-02T03:04:05Z", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), false, nil},
		{"iso datetime millis", "2024-01-02T03:04:05.123Z", time.Date(2024, 1, 2, 3, 4, 5, 123e6, time.UTC), false, nil},
		{"iso datetime offset", "2024-01-02T03:04:05+02:00", time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC), false, nil},
		{"iso offset without colon", "2024-01-02T03:04:05+0000", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), false, nil},
		{"iso no zone", "2024-01-02T03:04:05", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), false, nil},
		{"iso no zone fraction", "2024-01-02T03:04:05.5", time.Date(2024, 1, 2, 3, 4, 5, 5e8, time.UTC), false, nil},
		{"sql style", "2024-01-02 03:04:05", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), false, nil},
		{"epoch seconds", "1700000000", time.Unix(1700000000, 0).UTC(), false, nil},
		{"epoch millis", "1700000000000", time.UnixMilli(1700000000000).UTC(), false, nil},
		{"epoch seconds fraction", "1700000000.25", time.Unix(1700000000, 25e7).UTC(), false, nil},
		{"rfc 1123", "Mon, 02 Jan 2006 15:04:05 GMT", time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC), false, nil},
		{"rfc 1123 pst", "Tue, 02 Jan 2024 15:04:05 PST", time.Date(2024, 1, 2, 23, 4, 5, 0, time.UTC), false, nil},
		{"rfc 1123z", "Tue, 02 Jan 2024 15:04:05 +0100", time.Date(2024, 1, 2, 14, 4, 5, 0, time.UTC), false, nil},
		{"day month year", "2 Jan 2024", day(2024, 1, 2), false, nil},
		{"month day year", "January 2, 2024", day(2024, 1, 2), false, nil},
		{"abbrev dot ordinal", "Jan. 2nd, 2024", day(2024, 1, 2), false, nil},
		{"sept", "Sept 5, 2024", day(2024, 9, 5), false, nil},
		{"weekday", "Friday, February 7, 2025", day(2025, 2, 7), false, nil},
		{"day first clear", "13/04/2024", day(2024, 4, 13), false, nil},
		{"month first clear", "04/13/2024", day(2024, 4, 13), false, nil},
		{"same day and month", "03/03/2024", day(2024, 3, 3), false, nil},
		{"ambiguous", "03/04/2024", time.Time{}, false, ErrDateAmbiguous},
		{"ambiguous dots", "03.04.2024", time.Time{}, false, ErrDateAmbiguous},
		{"invalid iso", "2024-02-30", time.Time{}, false, ErrDateInvalid},
		{"invalid numeric", "30/02/2024", time.Time{}, false, ErrDateInvalid},
		{"leap day ok", "2024-02-29", day(2024, 2, 29), false, nil},
		{"not leap", "2023-02-29", time.Time{}, false, ErrDateInvalid},
		{"days ago", "3 days ago", day(2025, 3, 7), true, nil},
		{"posted days ago", "Posted 3 days ago", day(2025, 3, 7), true, nil},
		{"thirty plus", "30+ days ago", day(2025, 2, 8), true, nil},
		{"thirty d plus", "30d+", day(2025, 2, 8), true, nil},
		{"eighty nine", "89 days ago", day(2024, 12, 11), true, nil},
		{"yesterday", "yesterday", day(2025, 3, 9), true, nil},
		{"today", "Today", day(2025, 3, 10), true, nil},
		{"just posted", "Just posted", day(2025, 3, 10), true, nil},
		{"weeks", "2 weeks ago", day(2025, 2, 24), true, nil},
		{"a month", "a month ago", day(2025, 2, 10), true, nil},
		{"hours", "5 hours ago", fetched.Add(-5 * time.Hour), true, nil},
		{"future", "2025-03-12", time.Time{}, false, ErrDateRange},
		{"within a day", "2025-03-11", day(2025, 3, 11), false, nil},
		{"pre 1995", "1994-12-31", time.Time{}, false, ErrDateRange},
		{"epoch zero", "0", time.Time{}, false, ErrDateFormat},
		{"unix epoch date", "1970-01-01", time.Time{}, false, ErrDateRange},
		{"year one", "0001-01-01", time.Time{}, false, ErrDateRange},
		{"epoch seconds pre 1995", "700000000", time.Time{}, false, ErrDateRange},
		{"far future millis", "9999999999999", time.Time{}, false, ErrDateRange},
		{"garbage", "soon", time.Time{}, false, ErrDateFormat},
		{"empty", "", time.Time{}, false, ErrDateFormat},
		{"two digit year", "03/04/24", time.Time{}, false, ErrDateFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, approx, err := ParseDate(tt.in, fetched)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseDate(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) || approx != tt.approx {
				t.Errorf("ParseDate(%q) = %s approx=%v, want %s approx=%v", tt.in, got, approx, tt.want, tt.approx)
			}
			if got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) location %v, want UTC", tt.in, got.Location())
			}
		})
	}
}

func TestParseDateNoFetchTime(t *testing.T) {
	if _, _, err := ParseDate("3 days ago", time.Time{}); !errors.Is(err, ErrDateNoReference) {
		t.Errorf("relative date without fetch time: err = %v, want ErrDateNoReference", err)
	}
	if _, _, err := ParseDate("2030-01-01", time.Time{}); err != nil {
		t.Errorf("absolute date without fetch time: %v", err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2024-01-02", "2024-01-02T03:04:05.123Z", "1700000000", "1700000000000", "Mon, 02 Jan 2006 15:04:05 GMT",
		"2 Jan 2024", "January 2, 2024", "3 days ago", "30+ days ago", "30d+", "yesterday", "03/04/2024",
		"13/04/2024", "2024-02-30", "Tue, 02 Jan 2024 15:04:05 PST", "2024-01-02T03:04:05+14:00", "9999 years ago",
	} {
		f.Add(s)
	}
	fetched := time.Date(2025, 3, 10, 12, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, _, err := ParseDate(s, fetched)
		if err != nil {
			return
		}
		if got.Before(dateMin) || got.After(fetched.Add(24*time.Hour)) {
			t.Fatalf("ParseDate(%q) = %s, outside the accepted range", s, got)
		}
		text := got.Format(time.RFC3339Nano)
		again, approx, err := ParseDate(text, fetched)
		if err != nil {
			t.Fatalf("ParseDate(%q) = %s; parsing %q again: %v", s, got, text, err)
		}
		if !again.Equal(got) || approx {
			t.Fatalf("ParseDate(%q) = %s; parsing %q again gave %s approx=%v", s, got, text, again, approx)
		}
	})
}

// fieldsCorpus returns the shared corpus directory from JOBTRENDS_CORPUS,
// or skips the test, saying it was not run.
func fieldsCorpus(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("JOBTRENDS_CORPUS")
	if dir == "" {
		tb.Skip("JOBTRENDS_CORPUS is not set: this test reads the shared real-data corpus (including copy=no files) at run time and was NOT run; set JOBTRENDS_CORPUS=/work/shared/corpus")
	}
	return dir
}

// fieldsJSONValues collects, from every JSON file matching the globs, the
// string or number values of the named keys, at any depth.
func fieldsJSONValues(tb testing.TB, dir string, globs []string, keys map[string]bool) map[string][]string {
	tb.Helper()
	out := map[string][]string{}
	var walk func(file string, v any)
	walk = func(file string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if keys[k] {
					switch y := e.(type) {
					case string:
						out[file+" "+k] = append(out[file+" "+k], y)
					case json.Number:
						out[file+" "+k] = append(out[file+" "+k], y.String())
					}
				}
				walk(file, e)
			}
		case []any:
			for _, e := range x {
				walk(file, e)
			}
		}
	}
	for _, g := range globs {
		files, err := filepath.Glob(filepath.Join(dir, g))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			d := json.NewDecoder(bytes.NewReader(bytes.ToValidUTF8(b, []byte("\uFFFD"))))
			d.UseNumber()
			var v any
			if err := d.Decode(&v); err != nil {
				tb.Fatalf("%s: %v", f, err)
			}
			rel, _ := filepath.Rel(dir, f)
			walk(rel, v)
		}
	}
	return out
}

// TestCorpusDates parses every date field of the real API responses and
// scraper outputs in the corpus: ISO date-times with zones and fractions,
// epoch seconds and milliseconds, "30d+", "30+ days ago", "2 days ago".
func TestCorpusDates(t *testing.T) {
	dir := fieldsCorpus(t)
	keys := map[string]bool{
		"publishedAt": true, "createdAt": true, "updated_at": true, "posted_date": true, "datePosted": true,
		"createDate": true, "formattedRelativeTime": true, "pubDate": true, "timeAdded": true, "jobDate": true,
		"time": true, "date": true, "first_published": true,
	}
	vals := fieldsJSONValues(t, dir, []string{"api/*/*.json", "job_json/*.json", "hn/dumps/*.json"}, keys)
	if len(vals) == 0 {
		t.Fatal("no date fields found in the corpus")
	}
	// Relative dates are resolved against a fetch time; these files do not
	// say when their pages were fetched, so any recent time will do.
	fetched := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	total, relative := 0, 0
	for field, list := range vals {
		t.Run(field, func(t *testing.T) {
			for _, v := range list {
				total++
				got, approx, err := ParseDate(v, fetched)
				if err != nil {
					t.Errorf("ParseDate(%q): %v", v, err)
					continue
				}
				if approx {
					relative++
				}
				if got.Year() < 2000 {
					t.Errorf("ParseDate(%q) = %s: implausible", v, got)
				}
			}
		})
	}
	t.Logf("%d real date values parsed (%d relative) from %d fields", total, relative, len(vals))
}
