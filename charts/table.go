package charts

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends/analyze"
)

// cell is one table cell: Text for people (the HTML table), Raw for
// programs (the CSV). Both are plain text; html/template escapes Text.
type cell struct {
	Text string
	Raw  string
}

// table is the numbers behind one chart.
type table struct {
	Header []string
	Rows   [][]cell
}

func (t *table) add(cells ...cell) { t.Rows = append(t.Rows, cells) }

func str(s string) cell { return cell{s, s} }

func integer(n int) cell { s := strconv.Itoa(n); return cell{s, s} }

// num shows n with the given decimals; missing is empty in both views.
func num(n analyze.Num, decimals int) cell {
	if !n.Valid {
		return cell{}
	}
	return cell{strconv.FormatFloat(n.V, 'f', decimals, 64), strconv.FormatFloat(n.V, 'f', -1, 64)}
}

// pct shows a fraction as a percentage; the CSV keeps the fraction.
func pct(n analyze.Num) cell {
	if !n.Valid {
		return cell{}
	}
	return cell{strconv.FormatFloat(n.V*100, 'f', 1, 64) + "%", strconv.FormatFloat(n.V, 'f', -1, 64)}
}

// signedPct shows a relative change as a signed percentage.
func signedPct(n analyze.Num) cell {
	if !n.Valid {
		return cell{}
	}
	return cell{fmt.Sprintf("%+.1f%%", n.V*100), strconv.FormatFloat(n.V, 'f', -1, 64)}
}

// usd shows whole dollars with thousands separators.
func usd(n analyze.Num) cell {
	if !n.Valid {
		return cell{}
	}
	return cell{"$" + thousands(math.Round(n.V)), strconv.FormatFloat(math.Round(n.V), 'f', 0, 64)}
}

func thousands(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CSV renders t with every text cell that a spreadsheet could read as a
// formula (starting with = + - @, tab or carriage return) prefixed with a
// single quote. Cells that are plain numbers (such as -0.25) are left alone:
// a number is not a formula.
func (t *table) CSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	row := make([]string, 0, len(t.Header))
	for _, h := range t.Header {
		row = append(row, neutralise(h))
	}
	_ = w.Write(row) // a bytes.Buffer does not fail
	for _, r := range t.Rows {
		row = row[:0]
		for _, c := range r {
			row = append(row, neutralise(c.Raw))
		}
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// neutralise defuses spreadsheet formula injection in one CSV cell.
func neutralise(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// maxLabel is how many characters of a web-derived label a chart shows;
// the table has the full text.
const maxLabel = 28

// short truncates a label for display in a chart.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return string(r[:maxLabel-1]) + "…"
}
