package charts

import (
	"math"
	"testing"

	"github.com/jobtrends/jobtrends/analyze"
)

func TestCSVNeutralisesFormulas(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"formula", "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
		{"plus", "+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"minus text", "-2+3", "'-2+3"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1"},
		{"negative number stays a number", "-0.25", "-0.25"},
		{"positive number", "+5", "+5"},
		{"plain text", "Acme", "Acme"},
		{"empty", "", ""},
		{"quote and comma", `a,"b"`, `"a,""b"""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := table{Header: []string{"h"}}
			tb.add(str(tt.in))
			got := string(tb.CSV())
			if want := "h\n" + tt.want + "\n"; got != want {
				t.Errorf("CSV = %q, want %q", got, want)
			}
		})
	}
}

func TestCells(t *testing.T) {
	tests := []struct {
		name      string
		got       cell
		text, raw string
	}{
		{"missing number", num(analyze.Num{}, 2), "", ""},
		{"number", num(analyze.Some(2.345), 1), "2.3", "2.345"},
		{"percent", pct(analyze.Some(0.125)), "12.5%", "0.125"},
		{"signed percent", signedPct(analyze.Some(-0.5)), "-50.0%", "-0.5"},
		{"usd", usd(analyze.Some(1234567.4)), "$1,234,567", "1234567"},
		{"usd small", usd(analyze.Some(999)), "$999", "999"},
		{"usd missing", usd(analyze.Ratio(0, 0)), "", ""},
		{"NaN percent", pct(analyze.Some(math.NaN())), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Text != tt.text || tt.got.Raw != tt.raw {
				t.Errorf("got %+v, want %q %q", tt.got, tt.text, tt.raw)
			}
		})
	}
}

func TestShort(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"short stays", "Acme", "Acme"},
		{"exactly 28", "abcdefghijklmnopqrstuvwxyz01", "abcdefghijklmnopqrstuvwxyz01"},
		{"29 truncated", "abcdefghijklmnopqrstuvwxyz012", "abcdefghijklmnopqrstuvwxyz0…"},
		{"runes, not bytes", "ééééééééééééééééééééééééééééé", "ééééééééééééééééééééééééééé…"},
		{"whitespace and line separators collapse", "a\u2028b\n\tc", "a b c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := short(tt.in); got != tt.want {
				t.Errorf("short(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
