package parse

// salary.go reads pay from free text and from structured fields.
//
// The work is done in three layers that share one implementation:
//
//   - readNumber reads one figure with its digit grouping ("120,000",
//     "120.000", "120 000", "110'000", "12,00,000", "25.50");
//   - scanCurrencies finds currency markers (symbols, ISO codes, national
//     abbreviations) with their ISO 4217 code where one is known;
//   - ParsePrice (one price, the way scrapinghub/price-parser reads it) and
//     ParseSalary (pay ranges in prose) combine the two.
//
// ParseSalary only accepts an amount when something says it is pay: a
// currency marker, a period ("/hr", "a year"), a salary word nearby
// ("salary", "compensation", "base", "OTE"), or a text that is nothing but
// the amount. Funding ("$20M Series B"), percentages, bonuses, stipends,
// headcounts, years, phone numbers and identifiers are refused.

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends"
)

// maxAmount bounds the figures the salary parser keeps; larger ones are
// identifiers or funding, not pay in any currency.
const maxAmount = 1e12

// currencyToken is one way of writing a currency.
type currencyToken struct {
	raw  string // as written
	code string // ISO 4217 code; "" when ambiguous or unknown
	// safe tokens are unambiguous currency symbols (price-parser's "safe"
	// list): they are preferred over codes and abbreviations.
	safe bool
	// salary tokens may mark pay in ParseSalary; short abbreviations that
	// collide with units and acronyms ("KM", "DT", "Br") may not.
	salary bool
	// stem tokens may begin a longer word ("руб" in "рублей").
	stem bool
	// glued tokens must touch a digit ("R540"), else they are letters.
	glued bool
	// family names the set of currencies an ambiguous symbol stands for
	// ("$" for USD, AUD, CAD...); an explicit code of that family elsewhere
	// in the text decides it.
	family string
}

// currencyFamilies lists, for each ambiguous symbol family, the codes that
// resolve it.
var currencyFamilies = map[string][]string{
	"dollar": {"USD", "AUD", "CAD", "NZD", "SGD", "HKD", "TWD", "MXN"},
	"krona":  {"SEK", "NOK", "DKK", "ISK"},
	"yen":    {"JPY", "CNY"},
	"rupee":  {"INR", "PKR", "LKR", "NPR"},
}

// isoCodes are ISO 4217 codes (and a few pre-euro ones) written as words.
// The second field says whether ParseSalary may use the code as a marker:
// codes that are also common words or acronyms in job ads ("AMD", "ALL",
// "PEN", "TOP", "ATS", "CVE", "DEM") are left to ParsePrice.
var isoCodes = []struct {
	code   string
	salary bool
}{
	{"USD", true}, {"EUR", true}, {"GBP", true}, {"CAD", true}, {"AUD", true},
	{"CHF", true}, {"INR", true}, {"JPY", true}, {"CNY", true}, {"BRL", true},
	{"SEK", true}, {"NOK", true}, {"DKK", true}, {"PLN", true}, {"CZK", true},
	{"SGD", true}, {"HKD", true}, {"NZD", true}, {"ILS", true}, {"MXN", true},
	{"ZAR", true}, {"KRW", true}, {"TWD", true}, {"HUF", true}, {"RON", true},
	{"BGN", true}, {"HRK", true}, {"RUB", true}, {"UAH", true}, {"AED", true},
	{"SAR", true}, {"QAR", true}, {"KWD", true}, {"BHD", true}, {"OMR", true},
	{"JOD", true}, {"EGP", true}, {"NGN", true}, {"KES", true}, {"GHS", true},
	{"THB", true}, {"PHP", true}, {"IDR", true}, {"MYR", true}, {"VND", true},
	{"PKR", true}, {"LKR", true}, {"BDT", true}, {"NPR", true}, {"ARS", true},
	{"CLP", true}, {"COP", true}, {"UYU", true}, {"ISK", true}, {"KZT", true},
	{"AZN", true}, {"BYN", true}, {"RSD", true}, {"MKD", true}, {"MDL", true},
	{"TND", true}, {"DZD", true}, {"XOF", true}, {"XAF", true}, {"UGX", true},
	{"TZS", true}, {"RWF", true}, {"ETB", true}, {"ZMW", true}, {"MAD", false},
	{"PEN", false}, {"TRY", false}, {"GEL", false}, {"AMD", false}, {"ALL", false},
	{"BAM", false}, {"BOB", false}, {"CUP", false}, {"TOP", false}, {"SOS", false},
	{"CVE", false}, {"MOP", false}, {"DEM", false}, {"PTE", false}, {"ATS", false},
	{"ESP", false}, {"LVL", false}, {"FRF", true}, {"ITL", true}, {"NLG", true},
	{"BEF", true}, {"IEP", true}, {"GRD", true}, {"FIM", true}, {"LTL", true},
	{"EEK", true}, {"IRR", true}, {"IQD", true}, {"LBP", true}, {"SYP", true},
	{"YER", true}, {"LYD", true}, {"MUR", true}, {"NAD", true}, {"BWP", true},
	{"MZN", true}, {"AOA", true}, {"MWK", true}, {"KHR", true}, {"LAK", true},
	{"MMK", true}, {"MNT", true}, {"UZS", true}, {"KGS", true}, {"TJS", true},
	{"AFN", true}, {"CRC", true}, {"GTQ", true}, {"HNL", true}, {"NIO", true},
	{"DOP", true}, {"JMD", true}, {"TTD", true}, {"BBD", true}, {"BSD", true},
	{"BZD", true}, {"BMD", true}, {"KYD", true}, {"XCD", true}, {"PYG", true},
	{"VES", true}, {"FJD", true}, {"PGK", true}, {"BND", true}, {"KMF", true},
	{"GYD", true}, {"SRD", true}, {"ANG", true}, {"AWG", true}, {"HTG", true},
	{"WST", true}, {"XPF", true}, {"SCR", true}, {"MGA", true}, {"GMD", true},
	{"SLL", true}, {"LRD", true}, {"SDG", true}, {"SSP", true}, {"MRU", true},
	{"ERN", true}, {"DJF", true}, {"BIF", true}, {"CDF", true}, {"GNF", true},
	{"LSL", true}, {"SZL", true}, {"TMT", true}, {"BTN", true}, {"MVR", true},
	{"STN", true}, {"SHP", true}, {"FKP", true}, {"GIP", true}, {"VUV", true},
	{"SBD", true}, {"TVD", false}, {"CUC", true},
}

// otherTokens are symbols, national abbreviations and words.
var otherTokens = []currencyToken{
	// Dollar variants; the longer ones win over "$".
	{raw: "US$", code: "USD", safe: true, salary: true},
	{raw: "USD$", code: "USD", safe: true, salary: true},
	{raw: "U$S", code: "USD", safe: true, salary: true},
	{raw: "AU$", code: "AUD", safe: true, salary: true},
	{raw: "AUD$", code: "AUD", safe: true, salary: true},
	{raw: "A$", code: "AUD", safe: true, salary: true},
	{raw: "CA$", code: "CAD", safe: true, salary: true},
	{raw: "CAD$", code: "CAD", safe: true, salary: true},
	{raw: "CAN$", code: "CAD", safe: true, salary: true},
	{raw: "C$", code: "CAD", safe: true, salary: true},
	{raw: "NZ$", code: "NZD", safe: true, salary: true},
	{raw: "NZD$", code: "NZD", safe: true, salary: true},
	{raw: "SG$", code: "SGD", safe: true, salary: true},
	{raw: "SGD$", code: "SGD", safe: true, salary: true},
	{raw: "S$", code: "SGD", safe: true, salary: true},
	{raw: "HK$", code: "HKD", safe: true, salary: true},
	{raw: "HKD$", code: "HKD", safe: true, salary: true},
	{raw: "MX$", code: "MXN", safe: true, salary: true},
	{raw: "R$", code: "BRL", safe: true, salary: true},
	{raw: "NT$", code: "TWD", safe: true, salary: true},
	{raw: "AR$", code: "ARS", safe: true, salary: true},
	{raw: "CL$", code: "CLP", safe: true, salary: true},
	{raw: "CO$", code: "COP", safe: true, salary: true},
	{raw: "J$", code: "JMD", safe: true, salary: true},
	{raw: "TT$", code: "TTD", safe: true, salary: true},
	{raw: "N$", code: "NAD", safe: true, salary: true},
	{raw: "RD$", code: "DOP", safe: true, salary: true},
	{raw: "BZ$", code: "BZD", safe: true, salary: true},
	{raw: "BN$", code: "BND", safe: true, salary: true},
	{raw: "CV$", code: "CVE", safe: true},
	{raw: "WS$", code: "WST", safe: true, salary: true},
	{raw: "Bds$", code: "BBD", safe: true, salary: true},
	{raw: "CUC$", code: "CUC", safe: true, salary: true},
	{raw: "MOP$", code: "MOP", safe: true, salary: true},
	{raw: "$U", code: "UYU", safe: true, salary: true},
	{raw: "T$", code: "TOP", safe: true},
	{raw: "Z$", code: "ZWL", safe: true},
	{raw: "$", code: "USD", safe: true, salary: true, family: "dollar"},
	// Other symbols.
	{raw: "€", code: "EUR", safe: true, salary: true},
	{raw: "£", code: "GBP", safe: true, salary: true},
	{raw: "￡", code: "GBP", safe: true, salary: true},
	{raw: "SY£", code: "SYP", safe: true, salary: true},
	{raw: "LB£", code: "LBP", safe: true, salary: true},
	{raw: "E£", code: "EGP", safe: true, salary: true},
	{raw: "CN¥", code: "CNY", safe: true, salary: true},
	{raw: "¥", code: "JPY", safe: true, salary: true, family: "yen"},
	{raw: "￥", code: "JPY", safe: true, salary: true, family: "yen"},
	{raw: "GH₵", code: "GHS", safe: true, salary: true},
	{raw: "₵", code: "GHS", salary: true},
	{raw: "₹", code: "INR", safe: true, salary: true},
	{raw: "₩", code: "KRW", safe: true, salary: true},
	{raw: "₪", code: "ILS", safe: true, salary: true},
	{raw: "₽", code: "RUB", safe: true, salary: true},
	{raw: "₺", code: "TRY", safe: true, salary: true},
	{raw: "₱", code: "PHP", safe: true, salary: true},
	{raw: "₫", code: "VND", safe: true, salary: true},
	{raw: "฿", code: "THB", safe: true, salary: true},
	{raw: "₴", code: "UAH", safe: true, salary: true},
	{raw: "₦", code: "NGN", safe: true, salary: true},
	{raw: "₸", code: "KZT", safe: true, salary: true},
	{raw: "₼", code: "AZN", safe: true, salary: true},
	{raw: "₾", code: "GEL", safe: true, salary: true},
	{raw: "₡", code: "CRC", safe: true, salary: true},
	{raw: "₲", code: "PYG", safe: true, salary: true},
	{raw: "₭", code: "LAK", safe: true, salary: true},
	{raw: "₮", code: "MNT", safe: true, salary: true},
	{raw: "৳", code: "BDT", safe: true, salary: true},
	{raw: "₨", code: "", safe: true, family: "rupee"},
	{raw: "֏", code: "AMD", safe: true, salary: true},
	{raw: "؋", code: "AFN", safe: true, salary: true},
	{raw: "៛", code: "KHR", safe: true, salary: true},
	{raw: "﷼", code: "", safe: true},
	{raw: "ƒ", code: "", safe: true},
	{raw: "₿", code: "", safe: true},
	{raw: "₶", safe: true}, {raw: "₠", safe: true}, {raw: "₢", safe: true},
	{raw: "₣", safe: true}, {raw: "₤", safe: true}, {raw: "₧", safe: true},
	{raw: "₯", safe: true}, {raw: "₰", safe: true}, {raw: "₳", safe: true},
	{raw: "₷", safe: true}, {raw: "ℳ", safe: true},
	{raw: "zł", code: "PLN", safe: true, salary: true},
	{raw: "Zł", code: "PLN", safe: true, salary: true},
	{raw: "zl", code: "PLN", salary: true},
	{raw: "Kč", code: "CZK", safe: true, salary: true},
	{raw: "Ft", code: "HUF", salary: true},
	{raw: "EUR", code: "EUR", safe: true, salary: true},
	{raw: "eur", code: "EUR", safe: true, salary: true},
	{raw: "euro", code: "EUR", safe: true, salary: true},
	{raw: "euros", code: "EUR", safe: true, salary: true},
	{raw: "Euro", code: "EUR", safe: true, salary: true},
	{raw: "Euros", code: "EUR", safe: true, salary: true},
	{raw: "EURO", code: "EUR", safe: true, salary: true},
	{raw: "CHF", code: "CHF", safe: true, salary: true},
	{raw: "chf", code: "CHF", salary: true},
	{raw: "SFr", code: "CHF", salary: true},
	{raw: "Fr.", code: "CHF", salary: true},
	{raw: "DKK", code: "DKK", safe: true, salary: true},
	{raw: "Rp", code: "IDR", safe: true, salary: true},
	{raw: "lei", code: "RON", safe: true, salary: true},
	{raw: "Lei", code: "RON", salary: true},
	{raw: "LEI", code: "RON", salary: true},
	{raw: "руб.", code: "RUB", safe: true, salary: true, stem: true},
	{raw: "руб", code: "RUB", safe: true, salary: true, stem: true},
	{raw: "грн.", code: "UAH", safe: true, salary: true},
	{raw: "грн", code: "UAH", safe: true, salary: true},
	{raw: "дин.", code: "RSD", safe: true, salary: true},
	{raw: "Dinara", code: "RSD", safe: true, salary: true},
	{raw: "динар", code: "RSD", safe: true, salary: true},
	{raw: "лв.", code: "BGN", safe: true, salary: true},
	{raw: "лв", code: "BGN", safe: true, salary: true},
	{raw: "тңг", code: "KZT", safe: true, salary: true},
	{raw: "р.", code: "RUB", safe: true},
	{raw: "Р", code: "RUB"},
	{raw: "р", code: "RUB"},
	{raw: "تومان", code: "IRR", safe: true, salary: true},
	{raw: "ریال", code: "IRR"},
	{raw: "ريال", code: "SAR"},
	{raw: "درهم", code: "AED"},
	{raw: "جنيه", code: "EGP"},
	{raw: "원", code: "KRW", salary: true},
	{raw: "円", code: "JPY", salary: true},
	{raw: "元", code: "CNY", salary: true},
	{raw: "人民币", code: "CNY", salary: true},
	{raw: "RMB", code: "CNY", salary: true},
	{raw: "kr", family: "krona", salary: true},
	{raw: "kr.", family: "krona", salary: true},
	{raw: "Kr", family: "krona", salary: true},
	{raw: "Rs", code: "INR", family: "rupee", salary: true},
	{raw: "Rs.", code: "INR", family: "rupee", salary: true},
	{raw: "र", code: "NPR"},
	{raw: "đ", code: "VND"},
	{raw: "RM", code: "MYR", salary: true},
	{raw: "TL", code: "TRY"},
	{raw: "KD", code: "KWD"},
	{raw: "BD", code: "BHD"},
	{raw: "LD", code: "LYD"},
	{raw: "DT", code: "TND"},
	{raw: "Br", code: "BYN"},
	{raw: "Bs", code: "VES"},
	{raw: "kn", code: "HRK"},
	{raw: "KM", code: "BAM"},
	{raw: "Lek", code: "ALL"},
	{raw: "MK", code: "MWK"},
	{raw: "Nfk", code: "ERN"},
	{raw: "Nu.", code: "BTN"},
	{raw: "Db", code: "STN"},
	{raw: "Fdj", code: "DJF"},
	{raw: "FG", code: "GNF"},
	{raw: "FCFA", code: "XAF"},
	{raw: "CFA", code: "XOF"},
	{raw: "FBu", code: "BIF"},
	{raw: "UM", code: "MRU"},
	{raw: "USh", code: "UGX"},
	{raw: "TSh", code: "TZS"},
	{raw: "KSh", code: "KES"},
	{raw: "VT", code: "VUV"},
	{raw: "ZK", code: "ZMW"},
	{raw: "Rf", code: "MVR"},
	{raw: "S/.", code: "PEN"},
	{raw: "B/.", code: "PAB"},
	{raw: "NIS", code: "ILS", salary: true},
	{raw: "NTD", code: "TWD", salary: true},
	{raw: "nis", code: "ILS"},
	{raw: "AU $", code: "AUD", safe: true, salary: true},
	{raw: "US $", code: "USD", safe: true, salary: true},
	{raw: "NZ $", code: "NZD", safe: true, salary: true},
	{raw: "CA $", code: "CAD", safe: true, salary: true},
	{raw: "HK $", code: "HKD", safe: true, salary: true},
	{raw: "G$", code: "GYD", safe: true},
	{raw: "GY$", code: "GYD", safe: true},
	{raw: "$b", code: "BOB", safe: true},
	{raw: "R₣", code: "RWF", safe: true},
	{raw: "¢", safe: true},
	{raw: "Ƀ", safe: true},
	{raw: "usd", code: "USD", salary: true},
	{raw: "gbp", code: "GBP", salary: true},
	{raw: "pln", code: "PLN", salary: true},
	{raw: "czk", code: "CZK", salary: true},
	{raw: "sek", code: "SEK", salary: true},
	{raw: "nok", code: "NOK", salary: true},
	{raw: "dkk", code: "DKK", salary: true},
	{raw: "nzd", code: "NZD"},
	{raw: "mkd", code: "MKD"},
	{raw: "GBp", code: "GBP"},
	{raw: "stg", code: "GBP"},
	{raw: "pound", code: "GBP"},
	{raw: "franc", code: ""},
	{raw: "francs", code: ""},
	{raw: "yuan", code: "CNY", salary: true},
	{raw: "圆", code: "CNY"},
	{raw: "圓", code: "CNY"},
	{raw: "VNĐ", code: "VND"},
	{raw: "BTC", code: ""},
	{raw: "CHf", code: "CHF"},
	{raw: "GFr", code: "CHF"},
	{raw: "Dh", code: "AED"},
	{raw: "Dhs", code: "AED"},
	{raw: "Esc", code: "CVE"},
	{raw: "Fbu", code: "BIF"},
	{raw: "FRw", code: "RWF"},
	{raw: "RF", code: "RWF"},
	{raw: "Ks", code: "MMK"},
	{raw: "Nu", code: "BTN"},
	{raw: "Rbl", code: "RUB"},
	{raw: "Re", code: "INR"},
	{raw: "S/", code: "PEN"},
	{raw: "Sl", code: "SLL"},
	{raw: "Vt", code: "VUV"},
	{raw: "MT", code: "MZN"},
	{raw: "Ar", code: "MGA"},
	{raw: "SPL", code: ""},
	{raw: "lari", code: "GEL"},
	{raw: "ლარი", code: "GEL"},
	{raw: "ლ", code: "GEL"},
	{raw: "som", code: ""},
	{raw: "so'm", code: "UZS"},
	{raw: "Sʻ", code: "UZS"},
	{raw: "S'", code: "UZS"},
	{raw: "hrn", code: "UAH"},
	{raw: "kwz", code: "AOA"},
	{raw: "din", code: "RSD"},
	{raw: "дин", code: "RSD"},
	{raw: "Дин", code: "RSD"},
	{raw: "ден", code: "MKD"},
	{raw: "ДЕН", code: "MKD"},
	{raw: "км", code: "BAM"},
	{raw: "тг", code: "KZT"},
	{raw: "บาท", code: "THB"},
	{raw: "ናቕፋ", code: "ERN"},
	{raw: "ብር", code: "ETB"},
	{raw: "ரூ", code: "LKR"},
	{raw: "රු", code: "LKR"},
	{raw: "ש״ח", code: "ILS"},
	{raw: "ש\"ח", code: "ILS"},
	{raw: "ש'ח", code: "ILS"},
	{raw: "ر.س", code: "SAR"},
	{raw: "ر.ع", code: "OMR"},
	{raw: "ر.ق", code: "QAR"},
	{raw: "ر.ي", code: "YER"},
	{raw: "ج.م", code: "EGP"},
	{raw: "ج.س.", code: "SDG"},
	{raw: "ج.س", code: "SDG"},
	{raw: "دج", code: "DZD"},
	{raw: ".د.ب", code: "BHD"},
	{raw: "د.ب", code: "BHD"},
	{raw: "د.إ", code: "AED"},
	{raw: "د.ك", code: "KWD"},
	{raw: "د.ت", code: "TND"},
	{raw: "د.أ", code: "JOD"},
	{raw: "د.ا", code: "JOD"},
	{raw: "د.ج", code: "DZD"},
	{raw: "د.م", code: "MAD"},
	{raw: "د.ع", code: "IQD"},
	{raw: "د.ل", code: "LYD"},
	{raw: "د.", code: ""},
	{raw: "ع.د", code: "IQD"},
	{raw: "ل.د", code: "LYD"},
	{raw: "ل.س", code: "SYP"},
	{raw: "ل.ل", code: "LBP"},
	{raw: "ش.ج", code: "ILS"},
	{raw: "ش.ص", code: ""},
	{raw: "دينار أردني", code: "JOD"},
	{raw: "دينار كويتي", code: "KWD"},
	{raw: "دينار", code: ""},
	{raw: "نافكا", code: "ERN"},
	{raw: "KShs", code: "KES"},
	{raw: "R", code: "ZAR", salary: true, glued: true},
	{raw: "dollars", code: "USD", salary: true, family: "dollar"},
	{raw: "pounds", code: "GBP", salary: true},
	{raw: "rupees", code: "INR", salary: true},
	{raw: "yen", code: "JPY", salary: true},
}

// currencyIndex holds every token, keyed by its first rune, longest first.
var currencyIndex = buildCurrencyIndex()

// asciiStarts marks the ASCII bytes some token begins with.
var asciiStarts = func() (t [128]bool) {
	for r := range currencyIndex {
		if r < 128 {
			t[r] = true
		}
	}
	return t
}()

// asciiCurrencies is currencyIndex of the ASCII runes, as an array.
var asciiCurrencies = func() (t [128][]*currencyToken) {
	for r, toks := range currencyIndex {
		if r < 128 {
			t[r] = toks
		}
	}
	return t
}()

// formatMarkers maps an ISO code to the marker FormatSalary writes for it:
// the code itself when ParseSalary reads it, else a symbol it reads.
var formatMarkers = map[string]string{}

func buildCurrencyIndex() map[rune][]*currencyToken {
	var all []*currencyToken
	seen := map[string]bool{}
	for _, c := range isoCodes {
		all = append(all, &currencyToken{raw: c.code, code: c.code, salary: c.salary})
		seen[c.code] = true
	}
	for i := range otherTokens {
		t := otherTokens[i]
		if seen[t.raw] {
			// A symbol entry refines the plain code entry.
			for _, a := range all {
				if a.raw == t.raw {
					*a = t
				}
			}
			continue
		}
		seen[t.raw] = true
		all = append(all, &t)
	}
	for _, t := range all {
		if t.salary && t.code != "" && t.raw == t.code {
			formatMarkers[t.code] = t.raw
		}
	}
	for _, t := range all {
		if t.salary && t.code != "" && formatMarkers[t.code] == "" {
			formatMarkers[t.code] = t.raw
		}
	}
	idx := map[rune][]*currencyToken{}
	for _, t := range all {
		r, _ := utf8.DecodeRuneInString(t.raw)
		idx[r] = append(idx[r], t)
	}
	for r := range idx {
		sort.SliceStable(idx[r], func(i, j int) bool { return len(idx[r][i].raw) > len(idx[r][j].raw) })
	}
	return idx
}

// curSpan is one currency marker found in a text.
type curSpan struct {
	start, end int
	tok        *currencyToken
}

// scanCurrencies appends to dst every currency marker in s, leftmost-longest.
func scanCurrencies(s string, dst []curSpan) []curSpan {
	prev := rune(0)
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !asciiStarts[c] {
			prev = rune(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) && unicode.IsLetter(prev) {
			// Inside a word: no token starts here.
			prev = r
			i += size
			continue
		}
		var cands []*currencyToken
		if r < utf8.RuneSelf {
			cands = asciiCurrencies[r]
		} else {
			cands = currencyIndex[r]
		}
		matched := false
		for _, t := range cands {
			if !strings.HasPrefix(s[i:], t.raw) {
				continue
			}
			end := i + len(t.raw)
			if t.glued && (end == len(s) || !isDigit(s[end])) {
				continue
			}
			last, _ := utf8.DecodeLastRuneInString(t.raw)
			if unicode.IsLetter(last) && !t.stem && end < len(s) {
				next, _ := utf8.DecodeRuneInString(s[end:])
				if unicode.IsLetter(next) {
					continue
				}
			}
			dst = append(dst, curSpan{start: i, end: end, tok: t})
			i = end
			prev = last
			matched = true
			break
		}
		if !matched {
			prev = r
			i += size
		}
	}
	return dst
}

// number is one figure read from a text.
type number struct {
	start, end int // byte span of the digits and separators
	value      float64
	lead       int  // digits before the first separator
	seps       int  // separators kept inside the number
	decimals   int  // digits after the decimal separator
	thousand   bool // exactly one group separator followed by "000"
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSpaceSep(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u2009' || r == '\u202f'
}

func isNumSep(r rune) bool {
	return r == ',' || r == '.' || r == '\'' || r == '’' || isSpaceSep(r)
}

// readNumber reads the figure that starts at s[i], an ASCII digit. A comma
// or dot is a decimal separator when it occurs once and is followed by other
// than three digits, or follows the other kind of separator ("1.049,95",
// "123,456.789"); otherwise separators group digits, including Indian lakh
// grouping ("12,00,000"). Spaces and apostrophes group only three digits.
func readNumber(s string, i int) number {
	n := number{start: i}
	var seps [16]rune
	var lens [16]int
	k := 0
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	n.lead = j - i
	for k < len(seps) && j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !isNumSep(r) {
			break
		}
		m := j + size
		for m < len(s) && isDigit(s[m]) {
			m++
		}
		d := m - (j + size)
		if d == 0 {
			break
		}
		if (isSpaceSep(r) || r == '\'' || r == '’') && d != 3 {
			break
		}
		seps[k], lens[k] = r, d
		k++
		j = m
	}
	n.end = j
	n.seps = k
	dec := -1
	if k > 0 {
		last := seps[k-1]
		if last == '.' || last == ',' {
			same, other := 0, false
			for x := 0; x < k; x++ {
				if seps[x] == last {
					same++
				} else {
					other = true
				}
			}
			if same == 1 && (lens[k-1] != 3 || other || (n.lead == 1 && s[i] == '0')) {
				dec = k - 1
				n.decimals = lens[k-1]
			}
		}
		n.thousand = k == 1 && dec < 0 && s[j-3:j] == "000"
	}
	var mant uint64
	exp, sep := 0, 0
	frac := false
	for p := i; p < j; {
		c := s[p]
		if isDigit(c) {
			switch {
			case mant < 1e17:
				mant = mant*10 + uint64(c-'0')
				if frac {
					exp--
				}
			case !frac:
				exp++
			}
			p++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[p:])
		if sep == dec {
			frac = true
		}
		sep++
		p += size
	}
	switch {
	case exp < 0:
		n.value = float64(mant) / math.Pow10(-exp)
	case exp > 0:
		n.value = float64(mant) * math.Pow10(exp)
	default:
		n.value = float64(mant)
	}
	return n
}

// ParsePrice reads one price from a short text the way price-parser does:
// the figure next to a currency marker (else the first figure that is not a
// percentage), and the currency marker as written ("$", "R$", "руб.",
// "EUR"); "" when there is none. A text with no figure but the word "free"
// costs 0. The amount is nil when the text has no price. CurrencyCode maps
// the marker to ISO 4217.
func ParsePrice(text string) (amount *float64, currency string) {
	var buf [16]curSpan
	curs := scanCurrencies(text, buf[:0])
	currency = pickPriceCurrency(text, curs)

	var first, near *number
	var firstN, nearN number
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		n := readNumber(text, i)
		i = n.end
		rest := strings.TrimLeft(text[n.end:], " \u00a0")
		if strings.HasPrefix(rest, "%") || math.IsInf(n.value, 0) {
			continue
		}
		if v, ok := euroCents(text, n); ok {
			n.value = v
		}
		priceFraction(text, &n)
		i = n.end
		if first == nil {
			firstN = n
			first = &firstN
		}
		if near == nil && adjacentCurrency(text, n, curs) {
			nearN = n
			near = &nearN
			break
		}
	}
	pick := near
	if pick == nil || (near.start > first.end && connectorRe.MatchString(text[first.end:near.start])) {
		pick = first // "From 26 to 50 €": a range's price is its first figure
	}
	if pick != nil {
		v := pick.value
		return &v, currency
	}
	if freeRe.MatchString(text) {
		v := 0.0
		return &v, currency
	}
	return nil, currency
}

var freeRe = regexp.MustCompile(`(?i)\bfree\b`)

// priceFraction reads the decimals of prices typed with a stray space or
// without an integer part: "$119. 95", "118, 99 TL", "$.75", ".75 €".
func priceFraction(s string, n *number) {
	if n.seps == 0 && n.start > 0 && s[n.start-1] == '.' && (n.start < 2 || !isDigit(s[n.start-2])) {
		n.value /= math.Pow10(n.lead)
		n.decimals = n.lead
		return
	}
	rest := s[n.end:]
	if n.decimals == 0 && len(rest) >= 4 && (rest[0] == '.' || rest[0] == ',') && rest[1] == ' ' &&
		isDigit(rest[2]) && isDigit(rest[3]) && (len(rest) == 4 || !isDigit(rest[4])) {
		n.value += float64(rest[2]-'0')/10 + float64(rest[3]-'0')/100
		n.decimals = 2
		n.end += 4
	}
}

// euroCents reads "35€ 99" and "1,235€99", where the euro sign stands for the
// decimal separator.
func euroCents(s string, n number) (float64, bool) {
	rest := s[n.end:]
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, "€") || strings.Count(s, "€") != 1 || n.decimals > 0 {
		return 0, false
	}
	rest = strings.TrimLeft(rest[len("€"):], " ")
	if len(rest) < 2 || !isDigit(rest[0]) || !isDigit(rest[1]) || (len(rest) > 2 && isDigit(rest[2])) {
		return 0, false
	}
	return n.value + float64(rest[0]-'0')/10 + float64(rest[1]-'0')/100, true
}

// adjacentCurrency reports whether a currency marker touches n (at most two
// spaces between).
func adjacentCurrency(s string, n number, curs []curSpan) bool {
	for _, c := range curs {
		if c.end <= n.start && onlySpaces(s[c.end:n.start], 2) {
			return true
		}
		if c.start >= n.end && onlySpaces(s[n.end:c.start], 2) {
			return true
		}
	}
	return false
}

func onlySpaces(s string, max int) bool {
	k := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
		k++
	}
	return k <= max
}

// pickPriceCurrency chooses the currency of a price: a dollar code next to a
// "$" ("SGD$", "NZD $"), else the leftmost safe symbol, else the leftmost
// other marker.
func pickPriceCurrency(s string, curs []curSpan) string {
	if strings.Contains(s, "$") {
		for _, c := range curs {
			if code := strings.TrimSuffix(c.tok.raw, "$"); len(code) == 3 && code == c.tok.code && strings.HasSuffix(code, "D") {
				return code
			}
		}
	}
	for _, c := range curs {
		if c.tok.safe {
			return c.tok.raw
		}
	}
	if len(curs) > 0 {
		return curs[0].tok.raw
	}
	return ""
}

// CurrencyCode maps a currency marker as written ("$", "R$", "zł", "EUR") to
// its ISO 4217 code; "" when the marker is ambiguous or unknown ("kr").
func CurrencyCode(marker string) string {
	marker = strings.TrimSpace(marker)
	if marker == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(marker)
	for _, t := range currencyIndex[r] {
		if t.raw == marker {
			return t.code
		}
	}
	up := strings.ToUpper(marker)
	if len(up) == 3 {
		r, _ = utf8.DecodeRuneInString(up)
		for _, t := range currencyIndex[r] {
			if t.raw == up && t.code == up {
				return up
			}
		}
	}
	return ""
}

// ParsePeriod maps a unit/interval string to a Period ("" when unknown):
// schema.org unitText ("HOUR", "YEAR"), Lever intervals ("per-year-salary",
// "per-hour-wage"), words ("monthly", "annual", "hr").
func ParsePeriod(unit string) jobtrends.Period {
	f := strings.FieldsFunc(strings.ToLower(unit), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '.'
	})
	for _, w := range f {
		switch strings.Trim(w, ".") {
		case "bi", "semi", "biweekly", "fortnightly", "fortnight", "semimonthly", "bimonthly":
			return ""
		}
	}
	for _, w := range f {
		switch strings.Trim(w, ".") {
		case "hour", "hours", "hourly", "hr", "hrs", "h", "std", "stunde", "heure", "hora", "hod":
			return jobtrends.PeriodHour
		case "day", "days", "daily", "d", "tag", "jour", "día", "dia":
			return jobtrends.PeriodDay
		case "week", "weeks", "weekly", "wk", "w", "woche", "semaine", "semana":
			return jobtrends.PeriodWeek
		case "month", "months", "monthly", "mo", "mth", "m", "monat", "mois", "mes", "mensual", "mensuel":
			return jobtrends.PeriodMonth
		case "year", "years", "yearly", "annual", "annually", "annum", "yr", "yrs", "y", "pa", "p.a", "jahr", "an", "année", "año", "anual", "annuel":
			return jobtrends.PeriodYear
		}
	}
	return ""
}

// SalaryFromAmounts builds a Salary from structured fields (JSON-LD
// baseSalary, ATS API fields): numbers already separated; unit is a
// free-form unit/interval string such as "YEAR", "HOUR", "per-year-salary",
// "monthly" ("" when absent). currency may be an ISO code or a symbol.
// Provenance is ProvenanceStructured unless set after. It returns nil when
// neither bound is a usable number (missing, negative, NaN or infinite).
func SalaryFromAmounts(raw string, min, max *float64, currency, unit string) *jobtrends.Salary {
	lo, hi := usable(min), usable(max)
	if lo == nil && hi == nil {
		return nil
	}
	code := strings.ToUpper(strings.TrimSpace(currency))
	if c := CurrencyCode(currency); c != "" {
		code = c
	} else if len(code) != 3 {
		code = ""
	}
	s := &jobtrends.Salary{
		Raw:        raw,
		Min:        lo,
		Max:        hi,
		Currency:   code,
		Period:     ParsePeriod(unit),
		Provenance: jobtrends.ProvenanceStructured,
	}
	if lo != nil && hi != nil && *lo > *hi {
		s.AddFlag("min_gt_max")
	}
	return s
}

func usable(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) || *p < 0 {
		return nil
	}
	v := *p
	return &v
}

// FormatSalary renders the envelope of s as text that ParseSalary reads
// back to the same bounds, currency and period: "USD 120000-150000/year",
// "from EUR 60000", "up to 90000/month". It returns "" for nil or for a
// salary without amounts.
func FormatSalary(s *jobtrends.Salary) string {
	if s == nil || (s.Min == nil && s.Max == nil) {
		return ""
	}
	var b strings.Builder
	switch {
	case s.Min == nil:
		b.WriteString("up to ")
	case s.Max == nil:
		b.WriteString("from ")
	}
	if s.Currency != "" {
		m := formatMarkers[s.Currency]
		if m == "" {
			m = s.Currency
		}
		b.WriteString(m)
		b.WriteByte(' ')
	}
	switch {
	case s.Min != nil && s.Max != nil:
		b.WriteString(formatAmount(*s.Min))
		b.WriteByte('-')
		b.WriteString(formatAmount(*s.Max))
	case s.Min != nil:
		b.WriteString(formatAmount(*s.Min))
	default:
		b.WriteString(formatAmount(*s.Max))
	}
	if s.Period != "" {
		b.WriteByte('/')
		b.WriteString(string(s.Period))
	}
	return b.String()
}

// formatAmount writes v without grouping; three decimals get a fourth so
// the dot cannot be read as a thousands separator.
func formatAmount(v float64) string {
	t := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(t, '.'); i >= 0 && len(t)-i-1 == 3 {
		t += "0"
	}
	return t
}

// Regular expressions of the salary parser, compiled once.
var (
	// emailRe, phoneRe and placeholderRe match text whose digits are never
	// pay (stripURLs removes URLs).
	emailRe       = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.-]+`)
	phoneRe       = regexp.MustCompile(`(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]\d{3}[\s.-]\d{4}\b`)
	placeholderRe = regexp.MustCompile(`\$\{[^}]*\}`)

	// periodRe matches a stated period right after an amount.
	periodRe = regexp.MustCompile(`(?i)^[\s,]*\(?\s*(?:(?:gross|brutto|netto|net|base|salary|before\s+tax|b2b|ote|lordi|take[\s-]home)\s*)?(?:` +
		`(?P<hour>(?:/\s*|per\s+|an?\s+|each\s+|pro\s+|par\s+|por\s+|la\s+)(?:hours?|hrs?|h|std\.?|stunde|heure|hora|hod\.?|hodinu|godz\.?|uur|timme)\b|hourly|stündlich|p/h\b|ph\b)|` +
		`(?P<day>(?:/\s*|per\s+|an?\s+|each\s+|pro\s+|par\s+|por\s+)(?:days?|d|tag|jour|día|dia|den)\b|daily|day\s+rate|/day|p/d\b)|` +
		`(?P<week>(?:/\s*|per\s+|an?\s+|each\s+|pro\s+|par\s+|por\s+)(?:weeks?|wk|w|woche|semaine|semana)\b|weekly|p/w\b|pw\b)|` +
		`(?P<month>(?:/\s*|per\s+|an?\s+|each\s+|pro\s+|par\s+|por\s+|al\s+)(?:months?|mo|mos|mth|m|monat|mois|mes|měsíc|měs|mies|miesiąc|maand|månad|måned|mån)\.?(?:\b|$)|monthly|monatlich|mensuel|mensual|měsíčně|miesięcznie|p\.m\.|p/m\b|pcm\b|mos?\b)|` +
		`(?P<year>(?:/\s*|per\s+(?:an?\s+)?|an?\s+|each\s+|pro\s+|par\s+|por\s+|al\s+|l'\s*)(?:years?|yr|yrs|y|annum|jahr|an|année|año|ano|rok|jaar|år|anno)\b|annually|annual|yearly|jährlich|annuel(?:le)?|anual|ročně|rocznie|p\.\s?a\.?|pa\b|lpa\b)` +
		`)`)

	// periodBeforeRe finds a period stated before the amounts ("hourly rate:").
	periodBeforeRe = regexp.MustCompile(`(?i)\b(?:(?P<hour>hourly|per\s+hour|stundenlohn|stundensatz)|(?P<day>daily|day\s+rate|per\s+day|tagessatz)|(?P<week>weekly|per\s+week)|(?P<month>monthly|per\s+month|monatsgehalt|monatlich)|(?P<year>annual(?:ly)?|yearly|per\s+year|per\s+annum|jahresgehalt|yearly))\b`)

	// salaryWordRe marks pay nearby.
	salaryWordRe = regexp.MustCompile(`(?i)\b(?:salary|salaries|salario|salaire|gehalt|jahresgehalt|compensation|comp|pay|base|wage|wages|rate|remuneration|rémunération|income|earnings?|ote|tc|package|lön|lønn|løn|mzda|plat|pensja|wynagrodzenie|stipendio|retribuzione|sueldo|vergütung|bezahlung|brutto|gross|doe)\b|薪|工资|待遇`)

	// strongPayRe marks a salary word strong enough for a small figure
	// ("Salary: $80"); "pay" alone is not ("you'll pay $5").
	strongPayRe = regexp.MustCompile(`(?i)\b(?:salary|salaries|salario|salaire|gehalt|compensation|comp|wages?|rate|remuneration|rémunération|lön|lønn|løn|mzda|plat|pensja|wynagrodzenie|stipendio|retribuzione|sueldo|vergütung)\b|薪|工资`)

	// afterPayRe marks pay in the words after an amount ("+ equity").
	afterPayRe = regexp.MustCompile(`(?i)^[\s,(]*(?:(?:\+|&|plus|and|with|/)[\s(]*)*(?:(?:generous|early|significant|competitive|meaningful)\s+)?(?:equity|benefits|base|salary|doe|ote|gross|brutto|netto|commission|bonus|stock|options|esop|rsus?|(?:depending|dependent|based)\s+on\s+(?:experience|skills|seniority|level|location)|commensurate)\b|^[^\p{L}]{0,6}(?:薪|工资|待遇)`)

	// notPayRe marks amounts that are not base pay (before or after them).
	notPayRe = regexp.MustCompile(`(?i)\b(?:bonus(?:es)?|sign(?:ing|-on|\s+on)|referral|stipends?|allowances?|relocation|valuation|valued|revenues?|funding|funded|raised?|raising|series\s+[a-f]|seed|arr|mrr|gmv|budgets?|vouchers?|gift|reimburse\w*|grants?|prizes?|rewards?|investments?|invested|investors?|backed|worth|401\s*\(?k\)?|match(?:ing)?|tuition|equity|stock|options|rsus?|shares|credits?|fees?|commissions?|charge[sd]?|charging|costs?|price[sd]?|sells?|sold|spend|spent|sav(?:e|es|ed|ing|ings)|(?:user|customer|subscriber|client|code|install|fan|member|data)\s*base)\b`)

	// notPayAfterRe marks counts and durations right after a number.
	notPayAfterRe = regexp.MustCompile(`(?i)^[\s-]*(?:[\w-]+\s+){0,2}(?:employees|engineers|developers|people|persons|staff|users|customers|clients|members|subscribers|visitors|visits|views|downloads|installs|companies|businesses|organi[sz]ations|startups|merchants|partners|brands|stores|schools|districts|hospitals|patients|students|professionals|enterprises|devices|servers|nodes|requests|queries|messages|transactions|orders|bookings|listings|records|documents|pages|sites|websites|apps|products|countries|cities|offices|locations|venues|markets|teams|minutes?|hours?|days?|weeks?|months?|years?|yrs|contracts|deals|sales|credits|profit|savings|in\s+(?:sales|revenue|arr|funding|savings))\b`)

	// upToRe and fromRe read open bounds before a figure.
	upToRe = regexp.MustCompile(`(?i)(?:\bup\s*to|\bupto|\bmax(?:imum)?\.?|\bbis\s+zu|\bjusqu'?\s*à|\bhasta|\bdo|\bunder|\bless\s+than)\s*:?\s*$`)
	fromRe = regexp.MustCompile(`(?i)(?:\bfrom|\bstarting(?:\s+(?:at|from))?|\bstarts?\s+at|\bmin(?:imum)?\.?|\bat\s+least|\bod|\bab|\bà\s+partir\s+de|\ba\s+partir\s+de|\bdesde|\bover|\bmore\s+than|\bnorth\s+of|\babove|\bupwards\s+of)\s*:?\s*$`)
	// upwardRe reads an open upper bound after a figure ("150k and up").
	upwardRe = regexp.MustCompile(`(?i)^\s*(?:and\s+up|or\s+more|and\s+above)\b`)

	// connectorRe is what may stand between the two ends of a range.
	connectorRe = regexp.MustCompile(`(?i)^\s*(?:[-–—−‐‑‒―~－]+|to|bis|à|a|až|do|til|till|through|thru|and)\s*$`)
	betweenRe   = regexp.MustCompile(`(?i)\bbetween\s*$`)

	// estAbbrevRe and platformEstRe mark a platform's estimate anywhere
	// ("$53K-$91K (Glassdoor est.)"); estimateRe marks one in a short
	// snippet ("Estimated: $120K - $140K a year"). An employer's sentence
	// "the estimated salary range for this position is" is employer text.
	estAbbrevRe   = regexp.MustCompile(`(?i)\best\.`)
	platformEstRe = regexp.MustCompile(`(?i)\b(?:glassdoor|indeed|linkedin|ziprecruiter|salary\.com|levels\.fyi)(?:'s)?\s+(?:est|estimated?|estimation)\b|\bestimated\s+by\s+(?:glassdoor|indeed|linkedin|ziprecruiter)`)
	estimateRe    = regexp.MustCompile(`(?i)\b(?:estimated?|estimation)\b`)

	// wholeTextRe matches the words a bare salary field may hold besides
	// its amounts.
	wholeTextRe = regexp.MustCompile(`(?i)\b(?:up\s*to|upto|up|from|to|and|or|between|per|plus|k|est|glassdoor|employer|provided|salary|base|equity|benefits|bonus|doe|ote|gross|net|approx|approximately|around|about|range|od|bis|ab|max|min|commensurate|with|experience|based|on|depending|pro|rata)\b`)
)

// amount is one figure of a salary text with what surrounds it.
type amount struct {
	num        number
	start, end int // whole span: prefix currency to suffix and period
	value      float64
	scaled     bool // a multiplier (k, lakh, crore) was applied
	lpa        bool // "LPA": lakh per annum
	big        bool // million/billion: funding, not pay
	percent    bool
	plus       bool // "150k+"
	cur        *currencyToken
	code       *currencyToken // an ISO code before a symbol ("AUD $100")
	period     jobtrends.Period
}

// candidate is one single figure or range that may be pay.
type candidate struct {
	lo, hi     *amount // hi is nil for a single figure
	start, end int
	min, max   *float64
	cur        *currencyToken
	code       *currencyToken
	currency   string
	period     jobtrends.Period
}

// ParseSalary reads base pay from free text (a description, an HN comment,
// a listing snippet). It returns nil when the text states no pay.
// Provenance is jobtrends.ProvenanceText, or ProvenanceEstimate when the
// text marks it as an estimate ("Glassdoor est.", "estimated").
//
// Ranges ("$120k-150k", "€55.000 – €65.000", "$170-225K") keep both ends;
// "up to X" has a nil Min, "from X" and "X+" a nil Max, a single figure
// Min = Max. When a text states several ranges, all are kept in Ranges and
// Min/Max are the envelope of those in the same currency and period as the
// first. The period is set only when stated; Normalize infers it.
func ParseSalary(text string) *jobtrends.Salary {
	if !strings.ContainsAny(text, "0123456789") {
		return nil
	}
	s := scrub(text)
	var cbuf [16]curSpan
	curs := scanCurrencies(s, cbuf[:0])
	var abuf [16]amount
	amts := findAmounts(s, curs, abuf[:0])
	if len(amts) == 0 {
		return nil
	}
	cands := pairAmounts(s, amts)
	resolveCurrencies(s, cands, amts, curs)
	whole := isWholeText(s, cands, curs)
	kept := cands[:0]
	budget := maxCandidates
	for _, c := range cands {
		if refuseCheaply(&c, whole) {
			continue
		}
		if budget--; budget < 0 {
			break
		}
		if acceptCandidate(s, &c, whole) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	inheritCurrency(kept)
	return assemble(text, s, kept)
}

// scrub blanks out URLs, e-mail addresses, phone numbers and template
// placeholders; each costly pattern runs only when a cheap test says it
// may match.
func scrub(s string) string {
	s = stripURLs(s)
	if strings.Contains(s, "@") {
		s = replaceEmails(s)
	}
	if strings.Contains(s, "${") {
		s = placeholderRe.ReplaceAllString(s, " ")
	}
	if mayHavePhone(s) {
		s = phoneRe.ReplaceAllString(s, " ")
	}
	return s
}

// replaceEmails is emailRe.ReplaceAllString(s, " ") run only on the runs
// of the bytes emailRe matches ([\w.+@-]) that hold an '@': a match never
// holds another byte, and the pattern asserts nothing about what is
// around it, so each run has the matches it has in s.
func replaceEmails(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is settled (written to b once b is used)
	for i := 0; i < len(s); {
		at := strings.IndexByte(s[i:], '@')
		if at < 0 {
			break
		}
		at += i
		start, end := at, at+1
		for start > done && isEmailByte(s[start-1]) {
			start--
		}
		for end < len(s) && isEmailByte(s[end]) {
			end++
		}
		if run := s[start:end]; run != "" {
			if r := emailRe.ReplaceAllString(run, " "); r != run {
				b.WriteString(s[done:start])
				b.WriteString(r)
				done = end
			}
		}
		i = end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// isEmailByte reports a byte of [\w.+@-].
func isEmailByte(c byte) bool {
	return isLetterByte(c) || isDigit(c) || c == '_' || c == '.' || c == '+' || c == '-' || c == '@'
}

// stripURLs replaces every "scheme://..." and "www...." up to the next
// space with a space.
func stripURLs(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is written to b (when b is used)
	for i := 0; i < len(s); {
		k := urlStart(s, i)
		if k < 0 {
			break
		}
		end := k
		for end < len(s) && !unicode.IsSpace(rune(s[end])) {
			end++
		}
		if b.Len() == 0 && done == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done:k])
		b.WriteByte(' ')
		done, i = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// urlStart returns the offset of the first URL in s[i:] (as an offset in
// s), -1 if none.
func urlStart(s string, i int) int {
	best := -1
	if k := strings.Index(s[i:], "://"); k >= 0 {
		k += i
		j := k
		for j > 0 && isLetterByte(s[j-1]) {
			j--
		}
		if j < k {
			best = j
		} else {
			best = urlStart(s, k+3)
			if best < 0 {
				best = -1
			}
		}
	}
	for _, w := range []string{"www.", "WWW."} {
		if k := strings.Index(s[i:], w); k >= 0 && (best < 0 || i+k < best) && (i+k == 0 || !isLetterByte(s[i+k-1])) {
			best = i + k
		}
	}
	return best
}

// mayHavePhone reports whether s has three digits, a separator and four
// digits, which every phone number phoneRe matches ends with.
func mayHavePhone(s string) bool {
	for i := 3; i+4 < len(s); i++ {
		if c := s[i]; c != ' ' && c != '.' && c != '-' {
			continue
		}
		if isDigit(s[i-3]) && isDigit(s[i-2]) && isDigit(s[i-1]) &&
			isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) && isDigit(s[i+4]) {
			return true
		}
	}
	return false
}

// findAmounts reads every figure of s with its currency, multiplier and
// period.
func findAmounts(s string, curs []curSpan, dst []amount) []amount {
	floor := 0 // end of the previous amount: markers before it are taken
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		n := readNumber(s, i)
		i = n.end
		if skipFigure(s, n, curs) {
			continue
		}
		a := amount{num: n, start: n.start, end: n.end, value: n.value}
		readSuffix(s, &a)
		if a.value > maxAmount {
			continue
		}
		attachCurrency(s, &a, curs, floor)
		readLakh(s, &a, curs)
		if m := periodAt(s[a.end:]); m != nil {
			a.period = periodFromMatch(periodRe, m)
			a.end += m[1]
			if a.cur == nil {
				attachSuffixCurrency(s, &a, curs)
			}
		}
		if a.lpa {
			a.period = jobtrends.PeriodYear
		}
		dst = append(dst, a)
		floor = a.end
	}
	return dst
}

// skipFigure reports figures that are parts of identifiers and versions:
// "L4", "FY25", "C++17", "H-1B", "#123456", "401(k)".
func skipFigure(s string, n number, curs []curSpan) bool {
	k := curAfter(curs, n.start) - 1           // the last marker starting before the figure
	marked := k >= 0 && curs[k].end == n.start // "AUD140K", "RM6,000"
	if n.start > 0 && !marked {
		prev, _ := utf8.DecodeLastRuneInString(s[:n.start])
		switch {
		case unicode.IsLetter(prev), prev == '#', prev == '+', prev == '_', prev == '=', prev == '@', prev == '/' && n.start > 1 && isDigit(s[n.start-2]):
			return true
		case prev == '-' || prev == '.':
			// "H-1B", "GS-13", "v1.2.3"; not "60-80k".
			if n.start > 1 {
				pp, _ := utf8.DecodeLastRuneInString(s[:n.start-1])
				if prev == '.' && isDigitRune(pp) {
					return true
				}
				if unicode.IsLetter(pp) {
					// A multiplier or currency ending the figure before
					// ("80k-100k", "10€-") is a range, not an identifier.
					ppp, _ := utf8.DecodeLastRuneInString(s[:n.start-1-utf8.RuneLen(pp)])
					if !isDigitRune(ppp) {
						return true
					}
				}
			}
		}
	}
	if n.seps == 0 && s[n.start:n.end] == "401" {
		rest := s[n.end:]
		if strings.HasPrefix(rest, "k") || strings.HasPrefix(rest, "K") || strings.HasPrefix(rest, "(k)") || strings.HasPrefix(rest, "(K)") {
			return true
		}
	}
	if n.end < len(s) {
		next, _ := utf8.DecodeRuneInString(s[n.end:])
		// "3D", "5G", "2FA", "10x": a figure glued to a word that is not a
		// multiplier.
		if unicode.IsLetter(next) && !multiplierStart(s[n.end:]) && !currencyStart(s[n.end:]) && !periodStart(s[n.end:]) &&
			!(next == 'L' && !startsWithLetter(s[n.end+1:])) {
			return true
		}
	}
	return false
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

func multiplierStart(s string) bool {
	_, ok := multiplierAt(s)
	return ok
}

func currencyStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	for _, t := range currencyIndex[r] {
		if strings.HasPrefix(s, t.raw) {
			return true
		}
	}
	return false
}

func periodStart(s string) bool {
	return periodAt(s) != nil
}

// periodAt matches periodRe at the start of s, after a cheap test that its
// first non-space byte can begin one.
func periodAt(s string) []int {
	t := strings.TrimLeft(s, " \t,")
	if t == "" {
		return nil
	}
	if c := t[0]; c != '/' && c != '(' && !isLetterByte(c) && c < utf8.RuneSelf {
		return nil
	}
	return periodRe.FindStringSubmatchIndex(s)
}

// multiplier words after a figure.
type multiplier struct {
	word   string
	factor float64 // 0 for million/billion (funding)
	lpa    bool
}

var multipliers = []multiplier{
	{"thousand", 1e3, false}, {"k", 1e3, false}, {"K", 1e3, false},
	{"L.P.A.", 1e5, true}, {"LPA", 1e5, true}, {"lpa", 1e5, true}, {"Lpa", 1e5, true},
	{"lakhs", 1e5, false}, {"lakh", 1e5, false}, {"Lakhs", 1e5, false}, {"Lakh", 1e5, false},
	{"lacs", 1e5, false}, {"lac", 1e5, false},
	{"crores", 1e7, false}, {"crore", 1e7, false}, {"cr", 1e7, false}, {"Cr", 1e7, false},
	{"millions", 0, false}, {"million", 0, false}, {"Million", 0, false}, {"mill", 0, false},
	{"mil", 0, false}, {"mio", 0, false}, {"Mio", 0, false}, {"mln", 0, false},
	{"MM", 0, false}, {"mm", 0, false}, {"M", 0, false}, {"m", 0, false},
	{"billions", 0, false}, {"billion", 0, false}, {"Billion", 0, false}, {"bn", 0, false},
	{"Bn", 0, false}, {"BN", 0, false}, {"Mn", 0, false}, {"mn", 0, false}, {"MN", 0, false},
	{"B", 0, false}, {"b", 0, false}, {"trillion", 0, false}, {"T", 0, false},
}

// multiplierAt reads a multiplier word at the start of s (which must not
// run on into a longer word).
func multiplierAt(s string) (multiplier, bool) {
	for _, m := range multipliers {
		if !strings.HasPrefix(s, m.word) {
			continue
		}
		rest := s[len(m.word):]
		if rest != "" {
			r, _ := utf8.DecodeRuneInString(rest)
			if unicode.IsDigit(r) || (unicode.IsLetter(r) && !currencyStart(rest)) {
				continue // "5km", "k8s"; not "140kUSD"
			}
		}
		return m, true
	}
	return multiplier{}, false
}

// readSuffix reads the multiplier, "+" and "%" after a figure.
func readSuffix(s string, a *amount) {
	rest := s[a.end:]
	skip := 0
	if r, size := utf8.DecodeRuneInString(rest); isSpaceSep(r) {
		skip = size
	}
	if m, ok := multiplierAt(rest[skip:]); ok && (skip == 0 || len(m.word) > 1 || m.factor == 1e3) {
		a.end += skip + len(m.word)
		if m.factor == 0 {
			a.big = true
		} else {
			a.value *= m.factor
			a.scaled = true
			a.lpa = m.lpa
		}
		rest = s[a.end:]
	}
	if strings.HasPrefix(rest, "+") && !a.scaled && !a.big {
		// "£40+k"
		if m, ok := multiplierAt(rest[1:]); ok && m.factor == 1e3 {
			a.value *= m.factor
			a.scaled = true
			a.plus = true
			a.end += 1 + len(m.word)
			rest = s[a.end:]
		}
	}
	if strings.HasPrefix(rest, "+") && !startsWithLetter(rest[1:]) {
		a.plus = true
		a.end++
		rest = s[a.end:]
	}
	t := strings.TrimLeft(rest, " \u00a0")
	if strings.HasPrefix(t, "%") || hasPrefixFold(t, "percent") {
		a.percent = true
	}
}

// readLakh reads the bare "L" of "₹19L" and "12-80L INR".
func readLakh(s string, a *amount, curs []curSpan) {
	rest := s[a.end:]
	if a.scaled || !strings.HasPrefix(rest, "L") || startsWithLetter(rest[1:]) {
		return
	}
	inr := (a.cur != nil && a.cur.code == "INR") || (a.code != nil && a.code.code == "INR")
	if !inr {
		if k := curAfter(curs, a.end+1); k < len(curs) {
			if c := curs[k]; c.tok.code == "INR" && onlySpaces(s[a.end+1:c.start], 2) {
				inr = true
			}
		}
	}
	if inr {
		a.value *= 1e5
		a.scaled = true
		a.end++
		if a.cur == nil {
			attachSuffixCurrency(s, a, curs)
		}
	}
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// attachCurrency finds the currency marker before or after a figure.
func attachCurrency(s string, a *amount, curs []curSpan, floor int) {
	for k := curAfter(curs, a.num.start) - 1; k >= 0; k-- {
		c := curs[k]
		if c.end > a.num.start {
			continue
		}
		if c.start < floor || !c.tok.salary || !gapOK(s[c.end:a.num.start]) {
			break
		}
		a.cur = c.tok
		a.start = c.start
		// "AUD $100,000": an ISO code just before a symbol decides it.
		if k > 0 && c.tok.raw != c.tok.code {
			p := curs[k-1]
			if p.start >= floor && p.tok.salary && p.tok.raw == p.tok.code && gapOK(s[p.end:c.start]) {
				a.code = p.tok
				a.start = p.start
			}
		}
		break
	}
	if a.cur == nil {
		attachSuffixCurrency(s, a, curs)
		return
	}
	// "$160,000 CAD": a code after a figure written with "$" decides it.
	if k := curAfter(curs, a.end); a.code == nil && a.cur.family != "" && k < len(curs) {
		if c := curs[k]; c.tok.salary && c.tok.raw == c.tok.code && gapOK(s[a.end:c.start]) {
			a.code = c.tok
			a.end = c.end
		}
	}
}

// attachSuffixCurrency finds a currency marker just after the amount,
// possibly in parentheses ("100-120k (EUR)").
func attachSuffixCurrency(s string, a *amount, curs []curSpan) {
	k := curAfter(curs, a.end)
	if k == len(curs) {
		return
	}
	c := curs[k]
	gap := s[a.end:c.start]
	gap = strings.TrimPrefix(strings.TrimLeft(gap, " \u00a0\u2009\u202f"), "(")
	// "2017 $100": a marker followed by a figure is that figure's.
	next := strings.TrimLeft(s[c.end:], " \u00a0\u2009\u202f")
	if c.tok.salary && gapOK(gap) && (next == "" || !isDigit(next[0])) {
		a.cur = c.tok
		a.end = c.end
		if strings.HasPrefix(s[a.end:], ")") {
			a.end++
		}
	}
}

// curAfter returns the index of the first marker of curs (in text order)
// that starts at or after pos.
func curAfter(curs []curSpan, pos int) int {
	return sort.Search(len(curs), func(i int) bool { return curs[i].start >= pos })
}

// gapOK reports whether at most two spaces separate a marker from a figure.
func gapOK(gap string) bool {
	return onlySpaces(gap, 2)
}

// periodFromMatch names the group of re that matched.
func periodFromMatch(re *regexp.Regexp, m []int) jobtrends.Period {
	for i, name := range re.SubexpNames() {
		if name != "" && m[2*i] >= 0 {
			return jobtrends.Period(name)
		}
	}
	return ""
}

// pairAmounts joins "A - B", "A to B", "between A and B" into ranges.
func pairAmounts(s string, amts []amount) []candidate {
	cands := make([]candidate, 0, len(amts))
	for i := 0; i < len(amts); i++ {
		a := &amts[i]
		if i+1 < len(amts) {
			b := &amts[i+1]
			if b.big && a.end <= b.start && connectorRe.MatchString(s[a.end:b.start]) {
				a.big = true // "1-2 million", "$5-10M"
			}
			if a.end <= b.start && !a.big && !b.big && !a.percent && connectorRe.MatchString(s[a.end:b.start]) &&
				(!strings.Contains(strings.ToLower(s[a.end:b.start]), "and") || betweenRe.MatchString(s[max(0, a.start-20):a.start])) {
				cands = append(cands, makeRange(a, b))
				i++
				continue
			}
		}
		cands = append(cands, candidate{lo: a, start: a.start, end: a.end, cur: a.cur, code: a.code, period: a.period})
	}
	return cands
}

// makeRange builds a range: a multiplier or currency written once applies
// to both ends ("$60-80k", "100K-120K USD"), and "60-80 000" is
// 60000-80000.
func makeRange(a, b *amount) candidate {
	lo, hi := a.value, b.value
	switch {
	case b.scaled && !a.scaled && a.num.seps == 0 && a.value < 1000:
		lo *= b.value / b.num.value
	case a.scaled && !b.scaled && b.num.seps == 0 && b.value < 1000:
		hi *= a.value / a.num.value
	case !a.scaled && !b.scaled && a.num.seps == 0 && b.num.thousand && a.num.lead == b.num.lead && a.value < b.value/1000:
		lo *= 1000
	}
	c := candidate{lo: a, hi: b, start: a.start, end: b.end, min: &lo, max: &hi}
	c.cur, c.code = a.cur, a.code
	if b.cur != nil && (c.cur == nil || (b.cur.raw == b.cur.code && c.cur.raw != c.cur.code)) {
		c.cur = b.cur
	}
	if b.code != nil && c.code == nil {
		c.code = b.code
	}
	c.period = b.period
	if c.period == "" {
		c.period = a.period
	}
	return c
}

// smallest plausible pay per period, in any currency: a figure below it is
// a price or a perk unless a salary word says otherwise.
var smallest = map[jobtrends.Period]float64{
	"":                    1000,
	jobtrends.PeriodHour:  5,
	jobtrends.PeriodDay:   30,
	jobtrends.PeriodWeek:  150,
	jobtrends.PeriodMonth: 500,
	jobtrends.PeriodYear:  5000,
}

// small reports whether c's largest figure is below the smallest plausible
// pay for its period.
func small(c *candidate) bool {
	v := c.lo.value
	if c.hi != nil {
		v = max(v, c.hi.value)
	}
	return v < smallest[c.period]
}

// isYear reports a plain four-digit figure that reads as a year.
func isYear(a *amount) bool {
	return !a.scaled && a.num.seps == 0 && a.num.decimals == 0 && a.value >= 1900 && a.value <= 2100
}

// notPay reports percentages ("1-2%") and funding ("$20M").
func (c *candidate) notPay() bool {
	return c.lo.big || c.lo.percent || (c.hi != nil && (c.hi.big || c.hi.percent))
}

// lpa reports amounts in lakh per annum.
func (c *candidate) lpa() bool {
	return c.lo.lpa || (c.hi != nil && c.hi.lpa)
}

func (c *candidate) lastAmount() *amount {
	if c.hi != nil {
		return c.hi
	}
	return c.lo
}

// maxCandidates bounds the figures ParseSalary weighs in one text (after
// refuseCheaply), so that a text of thousands of prices stays linear.
const maxCandidates = 64

// refuseCheaply refuses what needs no context to refuse: percentages,
// funding, and the bare small figures and years of prose ("3 rounds",
// "founded in 2015").
func refuseCheaply(c *candidate, whole bool) bool {
	if c.notPay() {
		return true
	}
	a := c.lo
	return c.currency == "" && !whole && c.period == "" && !c.lpa() && !a.scaled && (c.hi == nil || !c.hi.scaled) &&
		(max(a.value, bound(c)) < 1000 || (c.hi == nil && isYear(a)))
}

// acceptCandidate decides whether c is pay and sets its bounds.
//
// A figure with a currency marker is pay when it is large (a range, a
// multiplier, 1,000 or more), has a period, or has a salary word nearby; a
// figure without one needs a salary word, or a period and a multiplier
// ("80k/year"). A bare salary field (whole) is taken as it is. Whatever is
// next to a bonus, funding, headcount or duration word is refused.
func acceptCandidate(s string, c *candidate, whole bool) bool {
	a := c.lo
	pre := clauseBefore(s, c.start)
	end := c.end
	if c.lastAmount().plus {
		end-- // "130-250k+ equity": the "+" may add equity as well
	}
	post := clauseAfter(s, end)
	if notPayAfterRe.MatchString(clauseAfter(s, c.end)) {
		return false
	}
	seg := post
	if k := strings.IndexAny(seg, "+,;()/&"); k >= 0 {
		seg = seg[:k]
	}
	if k := wordIndex(seg, "and", "plus", "or", "with"); k >= 0 {
		seg = seg[:k]
	}
	if notPayRe.MatchString(seg) {
		return false
	}
	kwAt := lastMatchEnd(salaryWordRe, pre)
	if loc := lastMatchEnd(notPayRe, pre); loc >= 0 && kwAt <= loc {
		return false // "raised $40M", "user base of 30.000"; not "equity 1%, salary $150k"
	}
	kw := kwAt >= 0 || afterPayRe.MatchString(post)
	marked := c.currency != ""
	stated := c.period != ""
	scaled := a.scaled || (c.hi != nil && c.hi.scaled)
	if c.hi == nil {
		v := a.value
		if !marked && !a.scaled && !stated && isYear(a) {
			return false
		}
		if !marked && v < 1000 {
			return false
		}
		switch {
		case upToRe.MatchString(tail(pre, 24)):
			c.max = &v
		case a.plus || fromRe.MatchString(tail(pre, 24)) || upwardRe.MatchString(s[c.end:]):
			c.min = &v
		default:
			c.min, c.max = &v, &v
		}
	}
	var ok bool
	switch {
	case c.lpa():
		ok = true
	case marked && small(c):
		// "$25/mo" plans, "$400 a year in travel credit", "you'll pay $5".
		ok = whole || strongPayRe.MatchString(pre) || afterPayRe.MatchString(post)
	case marked:
		// A lone "$580,000" in a sentence is more often money than pay; in
		// a short clause ("| $120,000 |") it is pay.
		ok = kw || stated || c.hi != nil || scaled || whole || (a.value >= 1000 && letters(pre)+letters(post) <= 24)
	default:
		big := a.value >= 1000 || (c.hi != nil && c.hi.value >= 1000)
		yearly := c.period == jobtrends.PeriodYear && (scaled || big)
		ok = whole || yearly || (kw && (big || stated))
	}
	if ok && !stated && kwAt >= 0 {
		// "Hourly rate: $45-$60", "annual salary of €50,000".
		if m := lastMatchIndex(periodBeforeRe, tail(pre, 40)); m != nil {
			c.period = periodFromMatch(periodBeforeRe, m)
		}
	}
	return ok
}

// isWholeText reports whether s is nothing but one salary figure or range:
// a bare salary field ("80k - 100k", "$80").
func isWholeText(s string, cands []candidate, curs []curSpan) bool {
	if len(s) > 200 {
		return false // a salary field, not prose
	}
	var b strings.Builder
	last, pay := 0, 0
	for _, c := range cands {
		if !c.notPay() {
			pay++
		}
		b.WriteString(s[last:c.start])
		b.WriteByte(' ')
		last = c.end
	}
	b.WriteString(s[last:])
	if pay != 1 {
		return false
	}
	rest := wholeTextRe.ReplaceAllString(b.String(), " ")
	for _, c := range curs {
		rest = strings.Replace(rest, c.tok.raw, " ", 1)
	}
	for _, r := range rest {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// clauseBefore returns up to 80 bytes before i, stopping at a clause
// boundary.
func clauseBefore(s string, i int) string {
	lo := max(0, i-80)
	for lo < i && !utf8.RuneStart(s[lo]) {
		lo++
	}
	for k := i - 1; k >= lo; k-- {
		if isBoundary(s, k) {
			return s[k+1 : i]
		}
	}
	return s[lo:i]
}

// clauseAfter returns up to 60 bytes after i, stopping at a clause boundary.
func clauseAfter(s string, i int) string {
	hi := min(len(s), i+60)
	for hi > i && hi < len(s) && !utf8.RuneStart(s[hi]) {
		hi--
	}
	for k := i; k < hi; k++ {
		if isBoundary(s, k) {
			return s[i:k]
		}
	}
	return s[i:hi]
}

// isBoundary reports whether seg[k] ends a clause: "|", ";", a newline, a
// bullet, or a full stop that ends a sentence (not "p.a." or "est.").
func isBoundary(seg string, k int) bool {
	switch seg[k] {
	case '|', ';', '\n', '!', '?':
		return true
	case '.':
		if k+1 < len(seg) && seg[k+1] != ' ' && seg[k+1] != '\n' {
			return false
		}
		if k+1 == len(seg) {
			return true
		}
		w := k
		for w > 0 && (isLetterByte(seg[w-1]) || isDigit(seg[w-1])) {
			w--
		}
		word := strings.ToLower(seg[w:k])
		switch word {
		case "", "a", "p", "est", "ca", "approx", "incl", "min", "max", "mo", "yr", "hr", "wk", "mth", "std", "hod", "e.g", "i.e", "etc", "vs", "no":
			return false
		}
		return len(word) > 1
	case 0xE2: // "•" U+2022
		return strings.HasPrefix(seg[k:], "•")
	}
	return false
}

// letters counts the letters of s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// tail returns at most n bytes from the end of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}

// wordIndex returns the offset of the first of words (lower-case ASCII)
// in s as a whole word, ignoring ASCII case; -1 if none.
func wordIndex(s string, words ...string) int {
	best := -1
	for _, w := range words {
		for k := 0; k+len(w) <= len(s); k++ {
			end := k + len(w)
			if strings.EqualFold(s[k:end], w) && (k == 0 || !isLetterByte(s[k-1])) && (end == len(s) || !isLetterByte(s[end])) {
				if best < 0 || k < best {
					best = k
				}
				break
			}
		}
	}
	return best
}

// lastMatchEnd returns the end offset of the last match of re in s, -1 if
// none.
func lastMatchEnd(re *regexp.Regexp, s string) int {
	if m := lastMatchIndex(re, s); m != nil {
		return m[1]
	}
	return -1
}

func lastMatchIndex(re *regexp.Regexp, s string) []int {
	all := re.FindAllStringSubmatchIndex(s, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// resolveCurrencies settles ambiguous symbols: an explicit code written
// next to the amount wins ("AUD $100,000"); else the one code of the
// symbol's family written elsewhere in the text ("kr" with "SEK"); else the
// symbol's default ("$" is USD).
func resolveCurrencies(s string, cands []candidate, amts []amount, curs []curSpan) {
	for i := range cands {
		c := &cands[i]
		switch {
		case c.code != nil:
			c.currency = c.code.code
		case c.cur == nil:
			c.currency = clauseCode(s, c, amts, curs)
		case c.cur.family != "":
			c.currency = c.cur.code
			if code := familyCode(c.cur.family, curs, amts); code != "" {
				c.currency = code
			}
		default:
			c.currency = c.cur.code
		}
		if c.currency == "" && c.lpa() {
			c.currency = "INR"
		}
	}
}

// inheritCurrency gives a range with no marker the one currency the others
// state.
func inheritCurrency(cands []candidate) {
	one := ""
	for _, c := range cands {
		if c.currency == "" {
			continue
		}
		if one != "" && one != c.currency {
			return
		}
		one = c.currency
	}
	for i := range cands {
		if cands[i].currency == "" && cands[i].cur == nil {
			cands[i].currency = one
		}
	}
}

// clauseCode returns the ISO code written apart from any figure in the
// clause of c: just before it ("EUR +/-120k") or after it ("150-220K +
// equity (USD)"); "" if none.
func clauseCode(s string, c *candidate, amts []amount, curs []curSpan) string {
	after := c.end + len(clauseAfter(s, c.end))
	for _, cs := range curs {
		t := cs.tok
		if !t.salary || t.raw != t.code || attached(cs, amts) {
			continue
		}
		if cs.end <= c.start && c.start-cs.end <= 12 && !strings.ContainsAny(s[cs.end:c.start], "0123456789|;\n") {
			return t.code
		}
		if cs.start >= c.end && cs.end <= after {
			return t.code
		}
	}
	return ""
}

// attached reports whether a currency marker belongs to a figure.
func attached(cs curSpan, amts []amount) bool {
	for _, a := range amts {
		if cs.start >= a.start && cs.end <= a.end {
			return true
		}
	}
	return false
}

// familyCode returns the single code of family written in the text apart
// from any figure ("all amounts in AUD"), "" if none or several. A code
// written with a figure ("$103,500 CAD") speaks for that figure only.
func familyCode(family string, curs []curSpan, amts []amount) string {
	found := ""
	for _, c := range curs {
		if c.tok.family != "" || c.tok.code == "" || attached(c, amts) {
			continue
		}
		for _, code := range currencyFamilies[family] {
			if c.tok.code == code {
				if found != "" && found != code {
					return ""
				}
				found = code
			}
		}
	}
	return found
}

// assemble builds the Salary from the accepted candidates.
func assemble(text, s string, cands []candidate) *jobtrends.Salary {
	// A range without a period takes the period the same currency states
	// elsewhere, when only one is stated and the amounts are alike.
	for i := range cands {
		c := &cands[i]
		if c.period != "" {
			continue
		}
		for _, o := range cands {
			if o.period != "" && o.currency == c.currency && alike(c, &o) {
				c.period = o.period
				break
			}
		}
	}
	out := &jobtrends.Salary{Provenance: jobtrends.ProvenanceText}
	first := cands[0]
	out.Currency, out.Period = first.currency, first.period
	start, end := first.start, first.end
	var currencies, periods int
	for i, c := range cands {
		if i > 0 && c.currency != "" && c.currency != first.currency && !seenCurrency(cands[:i], c.currency) {
			currencies++
		}
		if c.currency != first.currency {
			continue
		}
		if c.period != first.period {
			if !seenPeriod(cands[:i], c.currency, c.period) {
				periods++
			}
			continue
		}
		if c.min != nil && (out.Min == nil || *c.min < *out.Min) {
			v := *c.min
			out.Min = &v
		}
		if c.max != nil && (out.Max == nil || *c.max > *out.Max) {
			v := *c.max
			out.Max = &v
		}
		end = max(end, c.end)
	}
	if len(cands) > 1 {
		out.Ranges = make([]jobtrends.Range, len(cands))
		for i, c := range cands {
			out.Ranges[i] = jobtrends.Range{Min: c.min, Max: c.max, Currency: c.currency, Period: c.period}
		}
	}
	if currencies > 0 {
		out.AddFlag("mixed_currency")
	}
	if periods > 0 {
		out.AddFlag("mixed_period")
	}
	if out.Min != nil && out.Max != nil && *out.Min > *out.Max {
		out.AddFlag("min_gt_max")
	}
	if (out.Min == nil || *out.Min == 0) && (out.Max == nil || *out.Max == 0) {
		out.AddFlag("implausible")
	}
	// A platform labels its estimate next to the figures.
	near := s[max(0, start-60):min(len(s), end+60)]
	if estAbbrevRe.MatchString(near) || platformEstRe.MatchString(near) || (len(s) <= 120 && estimateRe.MatchString(s)) {
		out.Provenance = jobtrends.ProvenanceEstimate
	}
	raw := strings.TrimSpace(text)
	if len(raw) > 160 {
		raw = strings.TrimSpace(s[start:end])
	}
	out.Raw = raw
	return out
}

func alike(a, b *candidate) bool {
	av, bv := bound(a), bound(b)
	return av > 0 && bv > 0 && av/bv < 5 && bv/av < 5
}

func bound(c *candidate) float64 {
	if c.max != nil {
		return *c.max
	}
	if c.min != nil {
		return *c.min
	}
	return 0
}

func seenCurrency(cands []candidate, cur string) bool {
	for _, c := range cands {
		if c.currency == cur {
			return true
		}
	}
	return false
}

func seenPeriod(cands []candidate, cur string, p jobtrends.Period) bool {
	for _, c := range cands {
		if c.currency == cur && c.period == p {
			return true
		}
	}
	return false
}
