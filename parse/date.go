package parse

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Errors of ParseDate, wrapped with the input.
var (
	// ErrDateFormat is returned for text that is no date ParseDate knows.
	ErrDateFormat = errors.New("unrecognised date")
	// ErrDateInvalid is returned for a date that does not exist
	// ("2024-02-30").
	ErrDateInvalid = errors.New("invalid date")
	// ErrDateAmbiguous is returned for a numeric date whose day and month
	// could be swapped ("03/04/2024").
	ErrDateAmbiguous = errors.New("ambiguous day and month")
	// ErrDateRange is returned for a date before 1995 or more than a day
	// after the fetch time.
	ErrDateRange = errors.New("date out of range")
	// ErrDateNoReference is returned for relative text ("3 days ago") when
	// the fetch time is zero.
	ErrDateNoReference = errors.New("relative date without fetch time")
)

// dateMin is the earliest posting date accepted.
var dateMin = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)

// dateLayouts are tried in order on absolute dates (after "Jan." and
// "Sept" are normalised and a leading weekday is dropped).
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006/01/02 15:04:05",
	"2006.01.02",
	"20060102",
	time.RFC1123,
	time.RFC1123Z,
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006",
	"2 January 2006",
	"2-Jan-2006",
	"Jan 2, 2006",
	"January 2, 2006",
	"Jan 2 2006",
	"January 2 2006",
	"Jan 2, 2006 15:04",
	"January 2, 2006 15:04",
	"Jan 2, 2006 3:04 PM",
	"January 2, 2006 3:04 PM",
	"2006-Jan-02",
}

var (
	// dateWeekday drops a leading weekday: "Monday, ", "Mon ".
	dateWeekday = regexp.MustCompile(`(?i)^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+`)
	// dateMonthDot normalises "Jan." and "Sept" to the layouts' "Jan".
	dateMonthDot = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)(?:t)?\.`)
	dateSept     = regexp.MustCompile(`(?i)\bsept\b`)
	// dateOrdinal drops "st", "nd", "rd", "th" after a day number.
	dateOrdinal = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)\b`)
	// dateNumeric is a day and month in unknown order: 03/04/2024.
	dateNumeric = regexp.MustCompile(`^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$`)
	dateEpoch   = regexp.MustCompile(`^\d{9,19}(?:\.\d+)?$`)
	dateRel     = regexp.MustCompile(`(?i)^(?:posted|active|updated|reposted|listed)?\s*(?:on\s+)?(?:(\d{1,4})\s*\+?|an?|one|a few|few|several)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?|y)\s*\+?\s*(?:ago)?\.?$`)
	dateRelWord = regexp.MustCompile(`(?i)^(?:posted|active|updated|reposted|listed)?\s*(?:on\s+)?(today|just now|just posted|moments? ago|new|yesterday|this week|last week|this month|last month)\.?$`)
	// dateZoneAbbrev gives the offset of the zone abbreviations that real
	// pages carry; Go's time.Parse gives an unknown abbreviation offset 0.
	dateZoneAbbrev = map[string]int{
		"UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
		"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
		"PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
		"BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "WET": 0, "WEST": 1,
		"IST": 5*60 + 30, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "SGT": 8,
	}
)

// ParseDate reads a posting date and checks it against fetched, the time
// the page was fetched. It accepts:
//   - ISO 8601 dates and date-times, with or without a zone and fractional
//     seconds (a time without a zone is read as UTC);
//   - epoch seconds or milliseconds (micro- and nanoseconds too), told
//     apart by magnitude;
//   - RFC 1123 and similar ("Mon, 02 Jan 2006 15:04:05 GMT"), "2 Jan 2006",
//     "January 2, 2006", "Jan. 2nd, 2006";
//   - numeric day and month only when their order is clear: 13/04/2024 and
//     04/13/2024 are 13 April, 03/04/2024 is rejected (ErrDateAmbiguous);
//   - relative text: "3 days ago", "30+ days ago", "30d+", "2 weeks ago",
//     "a month ago", "yesterday", "today", "just posted", resolved against
//     fetched, with approx true ("30+ days ago" gives the lower bound, 30
//     days; units of a day or more give midnight UTC of that day).
//
// The result is in UTC. Dates before 1995 and dates more than a day after
// fetched are rejected (ErrDateRange); with a zero fetched, relative text is
// rejected (ErrDateNoReference) and no upper bound applies.
func ParseDate(s string, fetched time.Time) (t time.Time, approx bool, err error) {
	in := strings.TrimSpace(clsCollapseSpace(s))
	if in == "" {
		return time.Time{}, false, fmt.Errorf("parse date %q: %w", s, ErrDateFormat)
	}
	t, approx, err = dateParse(in, fetched)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("parse date %q: %w", s, err)
	}
	t = t.UTC()
	if t.Before(dateMin) {
		return time.Time{}, false, fmt.Errorf("parse date %q: %w: before 1995", s, ErrDateRange)
	}
	if !fetched.IsZero() && t.After(fetched.Add(24*time.Hour)) {
		return time.Time{}, false, fmt.Errorf("parse date %q: %w: after fetch time %s", s, ErrDateRange, fetched.UTC().Format(time.RFC3339))
	}
	return t, approx, nil
}

func dateParse(in string, fetched time.Time) (time.Time, bool, error) {
	if len(in) > 100 {
		return time.Time{}, false, ErrDateFormat
	}
	if m := dateRel.FindStringSubmatch(in); m != nil {
		return dateRelative(m[1], m[2], fetched)
	}
	if m := dateRelWord.FindStringSubmatch(in); m != nil {
		return dateRelativeWord(strings.ToLower(m[1]), fetched)
	}
	if dateEpoch.MatchString(in) {
		return dateFromEpoch(in)
	}
	if m := dateNumeric.FindStringSubmatch(in); m != nil {
		return dateDayMonth(m)
	}
	norm := dateWeekday.ReplaceAllString(in, "")
	norm = dateSept.ReplaceAllString(norm, "Sep")
	norm = dateMonthDot.ReplaceAllString(norm, "$1")
	norm = dateOrdinal.ReplaceAllString(norm, "$1")
	var invalid error
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, norm)
		if err != nil {
			var pe *time.ParseError
			if errors.As(err, &pe) && strings.Contains(pe.Message, "out of range") {
				invalid = err
			}
			continue
		}
		return dateFixZone(t), false, nil
	}
	if invalid != nil {
		return time.Time{}, false, fmt.Errorf("%w: %v", ErrDateInvalid, invalid)
	}
	return time.Time{}, false, ErrDateFormat
}

// dateFixZone gives a parsed zone abbreviation its real offset.
func dateFixZone(t time.Time) time.Time {
	name, off := t.Zone()
	if off != 0 || name == "" || name == "UTC" {
		return t
	}
	h, ok := dateZoneAbbrev[strings.ToUpper(name)]
	if !ok || h == 0 {
		return t
	}
	secs := h * 3600
	if h > 24 || h < -24 {
		secs = h * 60 // given in minutes
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, secs))
}

// dateFromEpoch reads epoch seconds, milliseconds, micro- or nanoseconds by
// magnitude: values below 1e11 are seconds (1e11 s is the year 5138), below
// 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
func dateFromEpoch(in string) (time.Time, bool, error) {
	intPart, frac, _ := strings.Cut(in, ".")
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return time.Time{}, false, ErrDateFormat
	}
	var t time.Time
	switch {
	case n < 1e11:
		ns := int64(0)
		if frac != "" {
			f, _ := strconv.ParseFloat("0."+frac, 64)
			ns = int64(math.Round(f * 1e9))
		}
		t = time.Unix(n, ns)
	case frac != "":
		return time.Time{}, false, ErrDateFormat
	case n < 1e14:
		t = time.UnixMilli(n)
	case n < 1e17:
		t = time.UnixMicro(n)
	default:
		t = time.Unix(0, n)
	}
	return t, false, nil
}

// dateDayMonth reads dd/mm/yyyy or mm/dd/yyyy when the order is clear.
func dateDayMonth(m []string) (time.Time, bool, error) {
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	var day, month int
	switch {
	case a == b:
		day, month = a, b
	case a > 12 && b <= 12:
		day, month = a, b
	case b > 12 && a <= 12:
		day, month = b, a
	case a > 12 && b > 12:
		return time.Time{}, false, ErrDateInvalid
	default:
		return time.Time{}, false, ErrDateAmbiguous
	}
	if month < 1 || day < 1 {
		return time.Time{}, false, ErrDateInvalid
	}
	t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false, ErrDateInvalid
	}
	return t, false, nil
}

// dateRelative resolves "<n> <unit> ago" against fetched.
func dateRelative(num, unit string, fetched time.Time) (time.Time, bool, error) {
	if fetched.IsZero() {
		return time.Time{}, false, ErrDateNoReference
	}
	n := 1
	if num != "" {
		n, _ = strconv.Atoi(num)
	}
	f := fetched.UTC()
	unit = strings.ToLower(unit)
	switch {
	case strings.HasPrefix(unit, "s"):
		return f.Add(-time.Duration(n) * time.Second), true, nil
	case unit == "m" || strings.HasPrefix(unit, "min"):
		return f.Add(-time.Duration(n) * time.Minute), true, nil
	case strings.HasPrefix(unit, "h"):
		return f.Add(-time.Duration(n) * time.Hour), true, nil
	case strings.HasPrefix(unit, "d"):
		return dateDay(f.AddDate(0, 0, -n)), true, nil
	case strings.HasPrefix(unit, "w"):
		return dateDay(f.AddDate(0, 0, -7*n)), true, nil
	case strings.HasPrefix(unit, "mo"):
		return dateDay(f.AddDate(0, -n, 0)), true, nil
	case strings.HasPrefix(unit, "y"):
		return dateDay(f.AddDate(-n, 0, 0)), true, nil
	}
	return time.Time{}, false, ErrDateFormat
}

func dateRelativeWord(w string, fetched time.Time) (time.Time, bool, error) {
	if fetched.IsZero() {
		return time.Time{}, false, ErrDateNoReference
	}
	f := fetched.UTC()
	switch w {
	case "yesterday":
		return dateDay(f.AddDate(0, 0, -1)), true, nil
	case "this week":
		return dateDay(f), true, nil
	case "last week":
		return dateDay(f.AddDate(0, 0, -7)), true, nil
	case "this month":
		return dateDay(f), true, nil
	case "last month":
		return dateDay(f.AddDate(0, -1, 0)), true, nil
	}
	// today, just now, just posted, moments ago, new
	return dateDay(f), true, nil
}

// dateDay is midnight UTC of t's day.
func dateDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
