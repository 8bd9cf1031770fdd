package analyze

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Num is a number that may be missing. A missing number (Valid false) is a
// gap in a chart and an empty cell in a table; it is never read as zero.
type Num struct {
	V     float64
	Valid bool
}

// Some returns v as a valid Num, or a missing one when v is NaN or ±Inf.
func Some(v float64) Num {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Num{}
	}
	return Num{V: v, Valid: true}
}

// Ratio returns a/b, missing when b is zero or the result is not finite.
func Ratio(a, b float64) Num {
	if b == 0 {
		return Num{}
	}
	return Some(a / b)
}

// Change returns the relative change from old to cur (cur/old - 1), missing
// when either is missing or old is zero.
func Change(old, cur Num) Num {
	if !old.Valid || !cur.Valid {
		return Num{}
	}
	r := Ratio(cur.V, old.V)
	if !r.Valid {
		return Num{}
	}
	return Some(r.V - 1)
}

// String formats n with up to 4 decimals, or "" when missing.
func (n Num) String() string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatFloat(n.V, 'f', -1, 64)
}

// Month is a calendar month counted from year 0: Year*12 + (month-1). It
// sorts and subtracts like an integer.
type Month int

// MonthOf returns the month of t in UTC.
func MonthOf(t time.Time) Month {
	t = t.UTC()
	return Month(t.Year()*12 + int(t.Month()) - 1)
}

// MonthFor returns the month for year y and calendar month m.
func MonthFor(y int, m time.Month) Month { return Month(y*12 + int(m) - 1) }

// ParseMonth parses "YYYY-MM".
func ParseMonth(s string) (Month, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, false
	}
	return MonthOf(t), true
}

// Year returns the calendar year of m.
func (m Month) Year() int { return int(m) / 12 }

// Month returns the calendar month of m.
func (m Month) Month() time.Month { return time.Month(int(m)%12 + 1) }

// Start returns the first instant of m in UTC.
func (m Month) Start() time.Time {
	return time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// Quarter returns the quarter m falls in.
func (m Month) Quarter() Quarter { return Quarter(int(m) / 3) }

// String formats m as "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), int(m.Month())) }

// Quarter is a calendar quarter counted from year 0: Year*4 + (q-1).
type Quarter int

// Year returns the calendar year of q.
func (q Quarter) Year() int { return int(q) / 4 }

// String formats q as "YYYY-Qn".
func (q Quarter) String() string { return fmt.Sprintf("%04d-Q%d", q.Year(), int(q)%4+1) }
