package analyze

import (
	"math"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// day parses YYYY-MM-DD in UTC.
func day(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		tb.Fatalf("bad date %q: %v", s, err)
	}
	return t
}

// posts returns n postings of source src dated date; the first ml of them
// are ML-engineer postings, the rest data scientists.
func posts(tb testing.TB, src, date string, n, ml int) []jobtrends.Posting {
	tb.Helper()
	out := make([]jobtrends.Posting, n)
	for i := range out {
		out[i] = jobtrends.Posting{Source: src, DatePosted: day(tb, date), Role: jobtrends.RoleDataScientist}
		if i < ml {
			out[i].Role = jobtrends.RoleMLEngineer
		}
	}
	return out
}

// thread returns n HN postings of thread month m, ml of them ML engineers.
func thread(tb testing.TB, m string, n, ml int) []jobtrends.Posting {
	tb.Helper()
	out := posts(tb, "hn", m+"-01", n, ml)
	for i := range out {
		out[i].Thread = m
		out[i].DatePosted = time.Time{}
	}
	return out
}

func concat(ps ...[]jobtrends.Posting) []jobtrends.Posting {
	var out []jobtrends.Posting
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

func f(v float64) *float64 { return &v }

// num is a valid Num.
func num(v float64) Num { return Num{V: v, Valid: true} }

// checkNum fails unless got equals want (both missing, or both valid and
// within 1e-9 relative).
func checkNum(tb testing.TB, what string, got, want Num) {
	tb.Helper()
	if got.Valid != want.Valid {
		tb.Errorf("%s: got %+v, want %+v", what, got, want)
		return
	}
	if want.Valid && math.Abs(got.V-want.V) > 1e-9*math.Max(1, math.Abs(want.V)) {
		tb.Errorf("%s: got %v, want %v", what, got.V, want.V)
	}
}
