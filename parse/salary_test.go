package parse

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobtrends/jobtrends"
)

// open marks an open bound in salWant.
var open = math.NaN()

// salWant is what a salary text must parse to.
type salWant struct {
	min, max float64 // open: nil
	currency string
	period   jobtrends.Period
	prov     jobtrends.Provenance // "" means ProvenanceText
	flags    []string             // flags that must be set
	ranges   int                  // len(Ranges)
}

func w(min, max float64, currency string, period jobtrends.Period, flags ...string) *salWant {
	return &salWant{min: min, max: max, currency: currency, period: period, flags: flags}
}

const (
	hour  = jobtrends.PeriodHour
	day   = jobtrends.PeriodDay
	week  = jobtrends.PeriodWeek
	month = jobtrends.PeriodMonth
	year  = jobtrends.PeriodYear
)

// salCheck compares a parsed salary with the expectation.
func salCheck(tb testing.TB, in string, got *jobtrends.Salary, want *salWant) {
	tb.Helper()
	if want == nil {
		if got != nil {
			tb.Errorf("ParseSalary(%q) = %s (%v), want nil", in, FormatSalary(got), got.Flags)
		}
		return
	}
	if got == nil {
		tb.Fatalf("ParseSalary(%q) = nil, want %v-%v %s/%s", in, want.min, want.max, want.currency, want.period)
	}
	bound := func(name string, p *float64, v float64) {
		tb.Helper()
		switch {
		case math.IsNaN(v) && p != nil:
			tb.Errorf("ParseSalary(%q).%s = %v, want nil", in, name, *p)
		case !math.IsNaN(v) && p == nil:
			tb.Errorf("ParseSalary(%q).%s = nil, want %v", in, name, v)
		case !math.IsNaN(v) && math.Abs(*p-v) > 1e-9*math.Max(1, v):
			tb.Errorf("ParseSalary(%q).%s = %v, want %v", in, name, *p, v)
		}
	}
	bound("Min", got.Min, want.min)
	bound("Max", got.Max, want.max)
	if got.Currency != want.currency {
		tb.Errorf("ParseSalary(%q).Currency = %q, want %q", in, got.Currency, want.currency)
	}
	if got.Period != want.period {
		tb.Errorf("ParseSalary(%q).Period = %q, want %q", in, got.Period, want.period)
	}
	prov := want.prov
	if prov == "" {
		prov = jobtrends.ProvenanceText
	}
	if got.Provenance != prov {
		tb.Errorf("ParseSalary(%q).Provenance = %q, want %q", in, got.Provenance, prov)
	}
	for _, f := range want.flags {
		if !got.HasFlag(f) {
			tb.Errorf("ParseSalary(%q).Flags = %v, want %q among them", in, got.Flags, f)
		}
	}
	if len(want.flags) == 0 && len(got.Flags) > 0 {
		tb.Errorf("ParseSalary(%q).Flags = %v, want none", in, got.Flags)
	}
	if len(got.Ranges) != want.ranges {
		tb.Errorf("ParseSalary(%q) has %d ranges, want %d", in, len(got.Ranges), want.ranges)
	}
}

// TestParseSalaryNotPay turns every "Must NOT parse" row of RELIABILITY.md
// §3.1, and the brief's further negatives, into a case: none is pay, and
// none may come out as a zero.
func TestParseSalaryNotPay(t *testing.T) {
	tests := []struct{ name, in string }{
		{"401k benefit", "401(k)"},
		{"401k match", "401k match up to 6%"},
		{"series A", "$5M Series A"},
		{"series B", "$20M Series B"},
		{"raised", "raised $40M"},
		{"valuation", "$1B valuation"},
		{"revenue", "$2.3B in revenue"},
		{"employees", "10,000 employees"},
		{"engineers", "500+ engineers"},
		{"team size", "team of 12"},
		{"founded", "Founded 1998"},
		{"since", "since 2005"},
		{"quarter", "Q3 2024"},
		{"fiscal year", "FY25"},
		{"phone", "Call 555-123-4567"},
		{"phone international", "+1 (415) 555-0100"},
		{"zip", "Zip 94105"},
		{"suite", "Suite 400"},
		{"requisition", "Req #123456"},
		{"job id", "Job ID 884213"},
		{"posted ago", "Posted 3 days ago"},
		{"experience range", "3-5 years experience"},
		{"experience plus", "2+ years"},
		{"days a week", "5 days/week"},
		{"24/7", "24/7"},
		{"9-to-5", "9-to-5"},
		{"pto days", "20 PTO days"},
		{"bonus percent", "Up to 20% bonus"},
		{"equity percent", "15% equity"},
		{"remote percent", "100% remote"},
		{"top percent", "top 10%"},
		{"signing bonus", "$2,000 signing bonus"},
		{"referral bonus", "$500 referral bonus"},
		{"learning stipend", "$1,000 learning stipend"},
		{"phone allowance", "$50/month phone allowance"},
		{"python version", "Python 3.11"},
		{"c++ standard", "C++17"},
		{"iso standard", "ISO 27001"},
		{"soc 2", "SOC 2"},
		{"level", "Level 5"},
		{"levels", "L4/E5"},
		{"pay grade", "GS-13"},
		{"visa", "H-1B"},
		{"tax form", "W-2"},
		{"1099", "1099 contractor"},
		{"grade", "Grade 12"},
		{"template", "${SALARY}"},
		{"shell variable", "$PATH"},
		{"dollars only", "$$"},
		{"currency alone", "US$"},
		{"competitive", "Competitive"},
		{"doe", "DOE"},
		{"negotiable", "Negotiable"},
		{"tbd", "TBD"},
		{"market rate", "Market rate"},
		{"czech by agreement", "Mzda dohodou"},
		{"bare number in prose", "We shipped 120000 builds last year"},
		{"stock options after", "£40-50k of stock options"},
		{"perk voucher", "Every employee gets a €100 Catavoucher every month."},
		{"funding mil", "including our $50mil Series B announced in May 2024"},
		{"funding MM", "scaled the company to $1MM+ in contracted revenue"},
		{"company size", "building a $200B+ company"},
		{"url digits", "apply at https://example.com/jobs/6527370-growth-engineer"},
		{"email digits", "write to jobs2024@example.com"},
		{"www digits", "see www.jobs2025.com/99999 for details"},
		{"upper-case url", "HTTP://EXAMPLE.COM/$100000"},
		{"relocation", "We offer a $5,000 relocation package"},
		{"budget", "$1,500 home office budget"},
		{"raised before", "We raised $12,000,000 from great investors"},
		{"empty", ""},
		{"no digits", "Great thread! Looking forward to seeing the opportunities."},
		{"unpaid", "Unpaid internship"},
		{"percent range", "0.3-0.41% Equity"},
		{"hours a week", "40 hours/week"},
		{"time of day", "9a-5p"},
		{"product price", "Customers buy the $5 plan"},
		{"invalid utf-8 (fuzz)", "0\x80\xf5or"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			salCheck(t, tt.in, ParseSalary(tt.in), nil)
		})
	}
}

// TestParseSalaryPay turns every "Must parse" row of RELIABILITY.md §3.1,
// and the brief's rules, into a case.
func TestParseSalaryPay(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *salWant
	}{
		// Ranges and separators.
		{"range a year", "$120,000 - $150,000 a year", w(120000, 150000, "USD", year)},
		{"range en dash k", "$120k–$150k", w(120000, 150000, "USD", "")},
		{"range em dash", "United States Salary Range $108,400 — $129,600 USD", w(108400, 129600, "USD", "")},
		{"range to yr", "$120K to $150K/yr", w(120000, 150000, "USD", year)},
		{"k on the end only", "$60-80k", w(60000, 80000, "USD", "")},
		{"K on the end only", "$170-225K + equity", w(170000, 225000, "USD", "")},
		{"k on both ends", "£80k-100k", w(80000, 100000, "GBP", "")},
		{"spaced k", "45 k € - 50 k €", w(45000, 50000, "EUR", "")},
		{"en dash year words", "200K–300K a year", w(200000, 300000, "", year)},
		{"code after range", "100K-120K USD", w(100000, 120000, "USD", "")},
		{"between and", "between $90,000 and $110,000 per year", w(90000, 110000, "USD", year)},
		{"decimal k", "R$10-14.5k/mo", w(10000, 14500, "BRL", month)},
		// Open bounds and single figures.
		{"up to", "Up to $90,000", w(open, 90000, "USD", "")},
		{"from", "From $70,000", w(70000, open, "USD", "")},
		{"plus", "$140K+", w(140000, open, "USD", "")},
		{"from an hour", "From $40 an hour", w(40, open, "USD", hour)},
		{"single", "USD 100,000", w(100000, 100000, "USD", "")},
		{"czech from", "od 35.000 CZK", w(35000, open, "CZK", "")},
		// Periods.
		{"per hr", "$25/hr", w(25, 25, "USD", hour)},
		{"per hour decimal", "$25.50 per hour", w(25.5, 25.5, "USD", hour)},
		{"per month", "$3,500/month", w(3500, 3500, "USD", month)},
		{"weekly", "$800 weekly", w(800, 800, "USD", week)},
		{"per day", "$200/day", w(200, 200, "USD", day)},
		{"daily", "€650 daily rate", w(650, 650, "EUR", day)},
		{"hourly before", "Hourly rate: $45-$60", w(45, 60, "USD", hour)},
		{"annually", "$95,000 annually", w(95000, 95000, "USD", year)},
		{"per annum", "£55,000 per annum", w(55000, 55000, "GBP", year)},
		{"p.a.", "£55,000 p.a.", w(55000, 55000, "GBP", year)},
		{"pa", "£40,000 pa", w(40000, 40000, "GBP", year)},
		{"slash h", "€45/h", w(45, 45, "EUR", hour)},
		{"czech per hour", "300 Kč/hod", w(300, 300, "CZK", hour)},
		{"per hour glassdoor", "$17-$24 Per Hour(Glassdoor est.)", &salWant{min: 17, max: 24, currency: "USD", period: hour, prov: jobtrends.ProvenanceEstimate}},
		// European and other number formats.
		{"german dots", "€55.000 – €65.000 brutto/Jahr", w(55000, 65000, "EUR", year)},
		{"euro after", "65.000 € - 75.000 €", w(65000, 75000, "EUR", "")},
		{"monat", "1.200 €/Monat", w(1200, 1200, "EUR", month)},
		{"nbsp par an", "45\u00a0000 € par an", w(45000, 45000, "EUR", year)},
		{"thin space", "45\u2009000 € par an", w(45000, 45000, "EUR", year)},
		{"narrow nbsp", "45\u202f000 € par an", w(45000, 45000, "EUR", year)},
		{"apostrophe", "CHF 110'000", w(110000, 110000, "CHF", "")},
		{"space thousands range", "40 000 - 60 000 Kč", w(40000, 60000, "CZK", "")},
		{"thousands on the end only", "60-80 000 Kč", w(60000, 80000, "CZK", "")},
		{"gbp plus benefits", "£40k + benefits", w(40000, 40000, "GBP", "")},
		{"lpa", "₹12 LPA", w(1200000, 1200000, "INR", year)},
		{"lakh grouping", "₹12,00,000", w(1200000, 1200000, "INR", "")},
		{"lakh word", "INR 18 lakh per annum", w(1800000, 1800000, "INR", year)},
		{"lakh L", "₹19L (Base + bonus)", w(1900000, 1900000, "INR", "")},
		{"lpa range no symbol", "12-18 LPA", w(1200000, 1800000, "INR", year)},
		{"yen", "¥6,000,000", w(6000000, 6000000, "JPY", "")},
		{"zloty", "15 000 - 20 000 zł brutto", w(15000, 20000, "PLN", "")},
		{"krona with code", "45 000 kr/mån (SEK)", w(45000, 45000, "SEK", month)},
		// Currencies.
		{"code overrides dollar", "AUD $100,000 to $170,000", w(100000, 170000, "AUD", "")},
		{"code after dollar", "$300-500k AUD + equity", w(300000, 500000, "AUD", "")},
		{"A$", "A$120k", w(120000, 120000, "AUD", "")},
		{"C$", "C$95,000 - C$110,000", w(95000, 110000, "CAD", "")},
		{"US$", "US$90k", w(90000, 90000, "USD", "")},
		{"R$", "R$ 8.000 por mês", w(8000, 8000, "BRL", month)},
		{"code glued", "AUD140K+", w(140000, open, "AUD", "")},
		{"ringgit", "RM6,000 - RM18,000/mo", w(6000, 18000, "MYR", month)},
		{"clause code", "150 - 220K + equity + benefits (USD)", w(150000, 220000, "USD", "")},
		{"euro k", "€60-100k", w(60000, 100000, "EUR", "")},
		// Not base pay next to base pay.
		{"plus bonus percent", "$120,000 + 10% bonus", w(120000, 120000, "USD", "")},
		{"stock options apart", "£80k-100k + £40-50k of stock options", w(80000, 100000, "GBP", "")},
		{"equity percent apart", "$260K - $300K + 0.3-0.41% Equity", w(260000, 300000, "USD", "")},
		{"no currency with equity", "150-250k+ + equity + benefits", w(150000, 250000, "", "")},
		{"plus glued equity", "$250k+equity", w(250000, 250000, "USD", "")},
		{"salary word", "Salary: 85,000", w(85000, 85000, "", "")},
		{"glassdoor estimate", "$53K-$91K (Glassdoor est.)", &salWant{min: 53000, max: 91000, currency: "USD", prov: jobtrends.ProvenanceEstimate}},
		{"estimated", "Estimated pay: $120,000 - $140,000 a year", &salWant{min: 120000, max: 140000, currency: "USD", period: year, prov: jobtrends.ProvenanceEstimate}},
		{"employer provided", "Employer Provided Salary:$150K-$160K", w(150000, 160000, "USD", "")},
		{"employer says estimated", "Salary\nThe estimated salary range for this position is estimated to be $60,000 - $97,000/year. Total compensation for this position may also include Restricted Stock units, sign-on bonus and other potential future incentives.",
			w(60000, 97000, "USD", year)},
		{"per a year", "Salary Range:$70,000-$135,000 Per a Year", w(70000, 135000, "USD", year)},
		{"code with another figure", "$126,000 to $196,000 in California; $103,500 to $160,000 CAD in Canada",
			&salWant{min: 126000, max: 196000, currency: "USD", flags: []string{"mixed_currency"}, ranges: 2}},
		// Bare salary fields.
		{"bare k", "50k", w(50000, 50000, "", "")},
		{"bare k range", "80k - 100k", w(80000, 100000, "", "")},
		{"bare euros", "2000 EUR", w(2000, 2000, "EUR", "")},
		// Prose around the pay.
		{"hn header", "Neon Health | Founding Sr Backend Engineer | SF, Remote (North America) | Full-time | $170-225K + equity\nWe're building a $200B+ company. Team of 12.",
			w(170000, 225000, "USD", "")},
		{"sentence before", "We raised $40M last year. The salary range is $150k-$190k.", w(150000, 190000, "USD", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			salCheck(t, tt.in, ParseSalary(tt.in), tt.want)
		})
	}
}

// TestParseSalaryAmbiguous covers RELIABILITY.md §3.1 "Ambiguous: parse,
// but flag for review". Flags the parser cannot know (no period, unknown
// currency, outliers) are Normalize's: those cases check both.
func TestParseSalaryAmbiguous(t *testing.T) {
	n := jobtrends.DefaultNormalizer()
	tests := []struct {
		name      string
		in        string
		want      *salWant
		normFlags []string // flags after Normalize
	}{
		{"no period", "$80", w(80, 80, "USD", ""), []string{"no_period"}},
		{"min greater than max", "$10k-$5k", w(10000, 5000, "USD", "", "min_gt_max"), []string{"min_gt_max"}},
		{"outlier", "$1,000,000", w(1e6, 1e6, "USD", ""), nil},
		{"huge", "$9,000,000 a year", w(9e6, 9e6, "USD", year), []string{"implausible"}},
		{"zero", "$0", w(0, 0, "USD", "", "implausible"), []string{"implausible", "no_period"}},
		{"mixed currencies", "$100k or €90k", &salWant{min: 100000, max: 100000, currency: "USD", flags: []string{"mixed_currency"}, ranges: 2}, []string{"mixed_currency"}},
		{"no currency", "80-100", w(80, 100, "", ""), []string{"unknown_currency", "no_period"}},
		{"base plus bonus", "$120,000 + 10% bonus", w(120000, 120000, "USD", ""), nil},
		{"hourly and annual", "$50/hr or $104,000/yr", &salWant{min: 50, max: 50, currency: "USD", period: hour, flags: []string{"mixed_period"}, ranges: 2}, []string{"mixed_period"}},
		{"several ranges envelope", "R$10-14.5k/mo (Midlevel) or R$14k-21k/mo (Senior) + Generous stock option package",
			&salWant{min: 10000, max: 21000, currency: "BRL", period: month, ranges: 2}, nil},
		{"several ranges inherit period", "$150k-$180k per year in NYC, $130k-$160k in Austin",
			&salWant{min: 130000, max: 180000, currency: "USD", period: year, ranges: 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseSalary(tt.in)
			salCheck(t, tt.in, got, tt.want)
			if got == nil {
				return
			}
			n.Normalize(got)
			for _, f := range tt.normFlags {
				if !got.HasFlag(f) {
					t.Errorf("after Normalize, Flags = %v, want %q among them", got.Flags, f)
				}
			}
		})
	}
}

// TestParseSalaryRanges checks that every range is kept.
func TestParseSalaryRanges(t *testing.T) {
	got := ParseSalary("Senior: $150k-$180k, Staff: $180k-$220k, Contract: $90/hr")
	if got == nil {
		t.Fatal("nil")
	}
	if len(got.Ranges) != 3 {
		t.Fatalf("Ranges = %d, want 3", len(got.Ranges))
	}
	if *got.Min != 150000 || *got.Max != 220000 || got.Currency != "USD" {
		t.Errorf("envelope = %s, want USD 150000-220000", FormatSalary(got))
	}
	if r := got.Ranges[2]; r.Period != hour || *r.Min != 90 {
		t.Errorf("third range = %+v, want 90/hour", r)
	}
	if !got.HasFlag("mixed_period") {
		t.Errorf("Flags = %v, want mixed_period", got.Flags)
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want jobtrends.Period
	}{
		{"YEAR", year}, {"HOUR", hour}, {"DAY", day}, {"WEEK", week}, {"MONTH", month},
		{"per-year-salary", year}, {"per-month-salary", month}, {"per-hour-wage", hour},
		{"per-week-salary", week}, {"per-day-wage", day}, {"monthly", month}, {"Annual", year},
		{"annually", year}, {"hr", hour}, {"p.a.", year}, {"", ""}, {"salary", ""},
		{"biweekly", ""}, {"semi-monthly", ""}, {"PIECE", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ParsePeriod(tt.in); got != tt.want {
				t.Errorf("ParsePeriod(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSalaryFromAmounts(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name           string
		min, max       *float64
		currency, unit string
		want           *salWant
	}{
		{"json-ld year", f(80000), f(120000), "USD", "YEAR", w(80000, 120000, "USD", year)},
		{"lever interval", f(150000), f(180000), "usd", "per-year-salary", w(150000, 180000, "USD", year)},
		{"symbol currency", f(25), f(30), "€", "HOUR", w(25, 30, "EUR", hour)},
		{"single value", f(5000), nil, "GBP", "monthly", w(5000, open, "GBP", month)},
		{"no unit", f(100), f(130), "CAD", "", w(100, 130, "CAD", "")},
		{"unknown currency kept out", f(100), f(130), "dollars-ish", "", w(100, 130, "", "")},
		{"min greater", f(10), f(5), "USD", "HOUR", w(10, 5, "USD", hour, "min_gt_max")},
		{"negative dropped", f(-1), f(90000), "USD", "YEAR", w(open, 90000, "USD", year)},
		{"nan dropped", f(math.NaN()), f(90000), "USD", "YEAR", w(open, 90000, "USD", year)},
		{"nothing", nil, nil, "USD", "YEAR", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SalaryFromAmounts("raw", tt.min, tt.max, tt.currency, tt.unit)
			if tt.want != nil {
				tt.want.prov = jobtrends.ProvenanceStructured
			}
			salCheck(t, "raw", got, tt.want)
		})
	}
}

func TestCurrencyCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"$", "USD"}, {"US$", "USD"}, {"R$", "BRL"}, {"A$", "AUD"}, {"C$", "CAD"}, {"€", "EUR"},
		{"£", "GBP"}, {"₹", "INR"}, {"zł", "PLN"}, {"Kč", "CZK"}, {"CHF", "CHF"}, {"eur", "EUR"},
		{"sek", "SEK"}, {"kr", ""}, {"₶", ""}, {"", ""}, {"XYZ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := CurrencyCode(tt.in); got != tt.want {
				t.Errorf("CurrencyCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParsePrice(t *testing.T) {
	tests := []struct {
		in       string
		amount   float64 // NaN: nil
		currency string
	}{
		{"$1,234.56", 1234.56, "$"},
		{"1.234,56 €", 1234.56, "€"},
		{"CHF 1'049,95", 1049.95, "CHF"},
		{"12,00,000", 1200000, ""},
		{"0.500", 0.5, ""},
		{"35€ 99", 35.99, "€"},
		{"50% OFF", math.NaN(), ""},
		{"Free!", 0, ""},
		{"SGD$4.90", 4.9, "SGD"},
		{"AED 8000 (USD 2179)", 8000, "AED"},
		{"1128240 рублей", 1128240, "руб"},
		{"no price", math.NaN(), ""},
		{"2" + strings.Repeat("0", 400), math.NaN(), ""}, // overflows float64 (fuzz)
		{"0, 00,0$00", 0, "$"},                           // spaced decimals (fuzz)
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 20)], func(t *testing.T) {
			amount, cur := ParsePrice(tt.in)
			want := &tt.amount
			if math.IsNaN(tt.amount) {
				want = nil
			}
			if !salSameAmount(amount, want) || cur != tt.currency {
				t.Errorf("ParsePrice(%q) = %s %q, want %s %q", tt.in, salFmt(amount), cur, salFmt(want), tt.currency)
			}
		})
	}
}

func TestReadNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"120,000", 120000}, {"120.000", 120000}, {"120 000", 120000}, {"120\u00a0000", 120000},
		{"120\u2009000", 120000}, {"120\u202f000", 120000}, {"110'000", 110000}, {"110’000", 110000},
		{"25.50", 25.5}, {"25,50", 25.5}, {"12,00,000", 1200000}, {"1,234,567.89", 1234567.89},
		{"1.234.567,89", 1234567.89}, {"34.992001", 34.992001}, {"3,0000", 3}, {"1 2", 1},
		{"7", 7},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := readNumber(tt.in, 0).value; math.Abs(got-tt.want) > 1e-9*math.Max(1, tt.want) {
				t.Errorf("readNumber(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatSalary(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name string
		in   *jobtrends.Salary
		want string
	}{
		{"range", &jobtrends.Salary{Min: f(120000), Max: f(150000), Currency: "USD", Period: year}, "USD 120000-150000/year"},
		{"from", &jobtrends.Salary{Min: f(60000), Currency: "EUR"}, "from EUR 60000"},
		{"up to", &jobtrends.Salary{Max: f(90), Period: hour}, "up to 90/hour"},
		{"three decimals", &jobtrends.Salary{Min: f(1.125), Max: f(1.125), Currency: "KWD"}, "KWD 1.1250-1.1250"},
		{"symbol for a code read only as a symbol", &jobtrends.Salary{Min: f(100), Max: f(100), Currency: "TRY"}, "₺ 100-100"},
		{"nil", nil, ""},
		{"no amounts", &jobtrends.Salary{Currency: "USD"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatSalary(tt.in); got != tt.want {
				t.Errorf("FormatSalary = %q, want %q", got, tt.want)
			}
		})
	}
}

// salSeeds returns real strings for the fuzzers: the price-parser suite
// and the unit-test inputs.
func salSeeds(tb testing.TB) []string {
	tb.Helper()
	rows := salReadTSV(tb, filepath.Join("testdata", "salary", "price_parser_examples.tsv"))
	out := make([]string, 0, len(rows)+16)
	for _, r := range rows {
		out = append(out, r["price_raw"])
	}
	return append(out, "$120,000 - $150,000 a year", "R$10-14.5k/mo", "₹12,00,000", "AUD $100,000 to $170,000",
		"£80k-100k + £40-50k of stock options", "45 k € - 50 k €", "$10k-$5k", "60-80 000 Kč", "₹19L", "12-80L INR")
}

// FuzzParseSalary checks, for any text: no panic; min <= max unless
// flagged; no NaN, infinite or negative amounts; and that FormatSalary's
// rendering parses back to the same bounds, currency and period.
func FuzzParseSalary(f *testing.F) {
	for _, s := range salSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := ParseSalary(in)
		if got == nil {
			return
		}
		if got.Min == nil && got.Max == nil {
			t.Fatalf("ParseSalary(%q) has no bounds", in)
		}
		for _, p := range []*float64{got.Min, got.Max} {
			if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0) || *p < 0) {
				t.Fatalf("ParseSalary(%q) has amount %v", in, *p)
			}
		}
		if got.Min != nil && got.Max != nil && *got.Min > *got.Max && !got.HasFlag("min_gt_max") {
			t.Fatalf("ParseSalary(%q): min %v > max %v without flag", in, *got.Min, *got.Max)
		}
		text := FormatSalary(got)
		back := ParseSalary(text)
		if back == nil {
			t.Fatalf("ParseSalary(%q) = %q, which parses to nil", in, text)
		}
		if !salSameAmount(back.Min, got.Min) || !salSameAmount(back.Max, got.Max) ||
			back.Currency != got.Currency || back.Period != got.Period {
			t.Fatalf("round trip of %q: %q parses to %q", in, text, FormatSalary(back))
		}
	})
}

// FuzzParsePrice checks that ParsePrice never panics and never returns a
// negative, NaN or infinite amount, and that its currency marker occurs in
// the text.
func FuzzParsePrice(f *testing.F) {
	for _, s := range salSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		amount, cur := ParsePrice(in)
		if amount != nil && (math.IsNaN(*amount) || math.IsInf(*amount, 0) || *amount < 0) {
			t.Fatalf("ParsePrice(%q) amount %v", in, *amount)
		}
		if cur != "" && !strings.Contains(in, cur) {
			t.Fatalf("ParsePrice(%q) currency %q not in text", in, cur)
		}
	})
}

// salBenchStrings are the real short strings the benchmark parses: the
// price-parser suite, plus the Amber-Williams HN salary texts when
// $JOBTRENDS_CORPUS is set.
func salBenchStrings(b *testing.B) []string {
	b.Helper()
	out := salSeeds(b)
	if dir := os.Getenv("JOBTRENDS_CORPUS"); dir != "" {
		out = append(out, salAmberSalaries(b, dir)...)
	}
	return out
}

// salHNComments returns the real HN comments of the eval fixture as text.
func salHNComments(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "salary", "hn_eval_cases_akurilin.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var fixture struct {
		TestCases []struct {
			Comment struct {
				Content string `json:"content"`
			} `json:"comment"`
		} `json:"test_cases"`
	}
	if err := json.Unmarshal(data, &fixture); err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, tc := range fixture.TestCases {
		out = append(out, salHTMLText(tb, tc.Comment.Content))
	}
	return out
}

// BenchmarkParseSalary parses short real salary and price strings.
func BenchmarkParseSalary(b *testing.B) {
	salBench(b, salBenchStrings(b))
}

// BenchmarkParseSalaryHN parses whole real HN job comments (prose with
// URLs, funding and headcounts around the pay).
func BenchmarkParseSalaryHN(b *testing.B) {
	salBench(b, salHNComments(b))
}

func salBench(b *testing.B, texts []string) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		ParseSalary(texts[n%len(texts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "strings/s")
}
