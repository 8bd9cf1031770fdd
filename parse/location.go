package parse

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/jobtrends/jobtrends"
)

// The place tables are embedded from parse/rules/{countries,regions,cities}.tsv.

type locCity struct {
	city, region, country string
}

type locRegion struct {
	code, name, country string
}

type locKey struct {
	city      []locCity
	region    []locRegion
	country   string
	upperOnly bool // an abbreviation ("SF", "CA"): must be written in capitals
}

type locTables struct {
	keys    map[string]*locKey
	isoCode map[string]bool
	names   map[string]string // ISO code → English name
}

var (
	locOnce   sync.Once
	locTab    locTables
	locTabErr error
)

func locTablesLoad() *locTables {
	locOnce.Do(func() { locTab, locTabErr = locBuild() })
	if locTabErr != nil {
		panic(locTabErr) // embedded data, tested
	}
	return &locTab
}

func locBuild() (locTables, error) {
	t := locTables{keys: map[string]*locKey{}, isoCode: map[string]bool{}, names: map[string]string{}}
	get := func(alias string) *locKey {
		k := locNormKey(alias)
		e := t.keys[k]
		if e == nil {
			e = &locKey{upperOnly: locIsAbbrev(alias)}
			t.keys[k] = e
		} else if !locIsAbbrev(alias) {
			e.upperOnly = false
		}
		return e
	}
	err := locReadTSV("countries.tsv", 2, func(f []string) {
		t.isoCode[f[0]] = true
		t.names[f[0]] = f[1]
		for _, a := range locAliases(f[0], f[1], f) {
			get(a).country = f[0]
		}
	})
	if err != nil {
		return t, err
	}
	err = locReadTSV("regions.tsv", 3, func(f []string) {
		r := locRegion{country: f[0], code: f[1], name: f[2]}
		for _, a := range locAliases(f[1], f[2], f[1:]) {
			e := get(a)
			e.region = append(e.region, r)
		}
	})
	if err != nil {
		return t, err
	}
	err = locReadTSV("cities.tsv", 3, func(f []string) {
		c := locCity{city: f[0], region: f[1], country: f[2]}
		names := locAliases("", f[0], f[1:])
		for _, a := range names {
			if a == "" {
				continue
			}
			e := get(a)
			e.city = append(e.city, c)
		}
	})
	return t, err
}

// locAliases lists the names of a table row: code, name and the |-separated
// aliases in column 3 (index 2 of row when present).
func locAliases(code, name string, row []string) []string {
	out := []string{}
	if code != "" {
		out = append(out, code)
	}
	if name != "" {
		out = append(out, name)
	}
	if len(row) > 2 && row[2] != "" {
		for _, a := range strings.Split(row[2], "|") {
			if a = strings.TrimSpace(a); a != "" {
				out = append(out, a)
			}
		}
	}
	return out
}

func locReadTSV(name string, minCols int, fn func([]string)) error {
	b, err := rulesFS.ReadFile("rules/" + name)
	if err != nil {
		return fmt.Errorf("read rules/%s: %w", name, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < minCols {
			return fmt.Errorf("rules/%s line %d: want %d columns, got %d", name, n, minCols, len(f))
		}
		fn(f)
	}
	return sc.Err()
}

// locIsAbbrev reports whether a table name is an abbreviation that must be
// written in capitals to count: "CA", "SF", "NYC", "U.S.".
func locIsAbbrev(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case r == '.':
		case r >= 'A' && r <= 'Z':
			letters++
		default:
			return false
		}
	}
	return letters > 0 && letters <= 3
}

// locNormKey is the lookup key of a place name: lower case, no dots, "&" as
// "and", "St" as "Saint", single spaces.
func locNormKey(s string) string {
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, ".", " ")
	s = strings.ReplaceAll(s, "&", " and ")
	s = strings.ReplaceAll(s, "’", "'")
	f := strings.Fields(s)
	if len(f) > 1 && f[0] == "st" {
		f[0] = "saint"
	}
	return strings.Join(f, " ")
}

// CountryCode returns the ISO 3166-1 alpha-2 code of a country name, alias
// or code: "United States", "USA", "US" and "U.S." give "US"; "Deutschland"
// and "Germany" give "DE"; an ISO code (any case) passes through. It
// returns "" for an unknown name.
func CountryCode(name string) string {
	t := locTablesLoad()
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if len(name) == 2 {
		if up := strings.ToUpper(name); t.isoCode[up] {
			return up
		}
	}
	if e := t.keys[locNormKey(name)]; e != nil {
		return e.country
	}
	return ""
}

// locCountryName returns the English name of an ISO code, or "".
func locCountryName(code string) string { return locTablesLoad().names[code] }

var (
	// locNoRemote: a stated refusal of remote work.
	locNoRemote = regexp.MustCompile(`(?i)\b(?:no|not|non)[- ]?remote\b|\bremote\s+(?:is\s+)?not\s+(?:possible|available|an option)|\bremote\s*:\s*no\b`)
	locRemote   = regexp.MustCompile(`(?i)\b(?:remote(?:ly)?|anywhere|worldwide|work(?:ing)? from home|WFH|tele-?commut(?:e|ing)|tele-?work(?:ing)?|fully distributed|distributed team|home[- ]based|TELECOMMUTE)\b`)
	locHybrid   = regexp.MustCompile(`(?i)\bhybrid\b|\bpart(?:ial(?:ly)?)?[- ]remote\b|\bflexible remote\b|\b\d\s*days?\s*(?:a|per)\s*week\s*(?:in|on)[- ]?(?:the\s+)?(?:office|site)\b`)
	locOnsite   = regexp.MustCompile(`(?i)\bon[- ]?site\b|\bin[- ]?office\b|\bin the office\b|\bin[- ]person\b|\boffice[- ]based\b|\bno remote\b`)
	// locRemoteAlone: remote as an alternative of its own ("Hybrid or
	// Remote", "NYC | Remote"), not part of "hybrid remote".
	locRemoteAlone = regexp.MustCompile(`(?i)(?:^|[,;|/(&+]|\bor\b|\band\b)\s*(?:fully\s+|100%\s+)?remote\b|\bremote\s*(?:[,;|/)&+]|\bor\b|\band\b|$)`)
	locHybridRem   = regexp.MustCompile(`(?i)\bhybrid[\s-]+remote\b|\bremote[\s-]+hybrid\b|\bhybrid\s*[(/]\s*remote`)

	// locNoise: words in a location that name no place.
	locNoise = regexp.MustCompile(`(?i)\b(?:(?:no|not|non)[- ]?remote|remote(?:ly)?(?:[- ](?:first|friendly|ok|okay|only|possible|optional))?|anywhere|worldwide|global(?:ly)?|work(?:ing)? from home|WFH|tele-?commut(?:e|ing)|tele-?work(?:ing)?|fully|distributed(?: team)?|home[- ]based|hybrid|part(?:ial(?:ly)?)?[- ]remote|flexible|on[- ]?site|in[- ]?office|in the office|in[- ]person|office[- ]based|only|based|preferred|required|friendly|full[- ]time|part[- ]time|contract|timezones?|time zones?|hours|within|from|in|near|around|greater|metro(?:politan)?(?: area)?|downtown|area|region|HQ|headquarters|offices?|locations?|multiple|\d+\s*days?\s*(?:a|per)\s*week|100%|e\.g\.|etc\.?|the|of|ok|okay|optional|possible|relocation|relocate|visa|sponsorship|available|[A-Z]{3,}\s*[+-]\s*\d+|\d{3,}(?:-\d+)?)\b`)
	// locSplit separates the parts of a location; a part that is not a
	// known name as a whole ("Bosnia & Herzegovina" is) is split again at
	// locSplitWeak ("SF or NYC", "Hybrid - Berlin").
	locSplit     = regexp.MustCompile(`[,;|/()\[\]{}•·:]+`)
	locSplitWeak = regexp.MustCompile(`\s+(?:or|and|&|\+)\s+|\s+[-–—]+\s+|[–—]+`)
	// locDangling is a connector left at either end of a part once the
	// remote words are gone: "NYC or" of "NYC or REMOTE".
	locDangling = regexp.MustCompile(`(?i)^(?:(?:or|and|&|\+|-)\s+)+|(?:\s+(?:or|and|&|\+|-))+$`)
	locSpace    = regexp.MustCompile(`\s+`)
)

// ParseLocation reads a location text: where (city, region, country as an
// ISO code, each where determinable) and how (remote, hybrid, onsite, or
// unknown when the text does not say). "Remote (US only)" is remote in the
// US; "Hybrid – Berlin" is hybrid in Berlin, DE; "San Francisco, CA" is in
// San Francisco, CA, US with unknown remoteness; "NYC or REMOTE" is remote
// (New York is one option). When a text names several places, only the
// parts they share are kept ("SF or NYC" gives country US alone).
func ParseLocation(text string) (jobtrends.Location, jobtrends.Remote) {
	// Location texts repeat across postings ("Remote", "San Francisco,
	// CA"): a small cache saves the regular expressions.
	locCacheMu.Lock()
	r, ok := locCache[text]
	locCacheMu.Unlock()
	if ok {
		return r.loc, r.remote
	}
	loc, remote := locParse(text)
	if len(text) <= 200 {
		locCacheMu.Lock()
		if len(locCache) >= locCacheMax {
			clear(locCache)
		}
		locCache[text] = locResult{loc, remote}
		locCacheMu.Unlock()
	}
	return loc, remote
}

type locResult struct {
	loc    jobtrends.Location
	remote jobtrends.Remote
}

const locCacheMax = 4096

var (
	locCacheMu sync.Mutex
	locCache   = make(map[string]locResult, locCacheMax)
)

func locParse(text string) (jobtrends.Location, jobtrends.Remote) {
	loc := jobtrends.Location{Text: strings.TrimSpace(text)}
	s := strings.ToValidUTF8(loc.Text, "\uFFFD")
	if strings.Contains(s, "&") {
		s = html.UnescapeString(html.UnescapeString(s))
	}
	if strings.ContainsFunc(s, func(r rune) bool {
		return r != ' ' && (unicode.IsSpace(r) || r >= 0x200B && r <= 0x206F || r == 0xFEFF || r == 0xA0)
	}) {
		s = clsCollapseSpace(s)
	}
	if len(s) > 1000 {
		s = s[:1000]
	}
	remote := locRemoteKind(s)

	cleaned := locNoise.ReplaceAllString(s, ",")
	var parts []locPart
	for _, piece := range locSplit.Split(cleaned, -1) {
		piece = locCleanName(piece)
		if piece == "" {
			continue
		}
		if p := locLookup(piece); p.known() {
			parts = append(parts, p)
			continue
		}
		for _, seg := range locSplitWeak.Split(piece, -1) {
			if seg = locCleanName(seg); seg != "" {
				parts = append(parts, locClassify(seg)...)
			}
		}
	}
	places := locGroup(parts)
	if len(places) == 0 {
		return loc, remote
	}
	p := places[0]
	for _, q := range places[1:] {
		if q.country != p.country {
			p.country = ""
		}
		if q.region != p.region || q.country != p.country {
			p.region = ""
		}
		if q.city != p.city || q.region != p.region {
			p.city = ""
		}
	}
	loc.City, loc.Region, loc.Country = p.city, p.region, p.country
	return loc, remote
}

// locRemoteKind says how the work is done from the words of a location.
func locRemoteKind(s string) jobtrends.Remote {
	if locNoRemote.MatchString(s) {
		if locHybrid.MatchString(s) {
			return jobtrends.RemoteHybrid
		}
		return jobtrends.RemoteOnsite
	}
	remote := locRemote.MatchString(s)
	hybrid := locHybrid.MatchString(s)
	onsite := locOnsite.MatchString(s)
	switch {
	case hybrid && remote:
		if locRemoteAlone.MatchString(locHybridRem.ReplaceAllString(s, "hybrid")) {
			return jobtrends.RemoteFull
		}
		return jobtrends.RemoteHybrid
	case hybrid:
		return jobtrends.RemoteHybrid
	case remote:
		return jobtrends.RemoteFull
	case onsite:
		return jobtrends.RemoteOnsite
	}
	return jobtrends.RemoteUnknown
}

// locCleanName trims a place name of spaces and of punctuation and symbols
// at either end (keeping a final "." of "St."/"D.C."); it returns "" for a
// name with no letter.
func locCleanName(s string) string {
	s = strings.TrimSpace(locSpace.ReplaceAllString(s, " "))
	s = locDangling.ReplaceAllString(s, "")
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || (unicode.IsPunct(r) || unicode.IsSymbol(r)) && r != '.' && r != '\''
	})
	s = strings.TrimLeft(s, ".'")
	if strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return ""
	}
	return s
}

// locPart is one segment of a location text and what it may name.
type locPart struct {
	raw     string
	city    []locCity
	region  []locRegion
	country string
}

func (p locPart) known() bool { return len(p.city) > 0 || len(p.region) > 0 || p.country != "" }

// locLookup finds what a segment names, honouring capitals for
// abbreviations.
func locLookup(seg string) locPart {
	t := locTablesLoad()
	p := locPart{raw: seg}
	e := t.keys[locNormKey(seg)]
	if e == nil {
		return p
	}
	if e.upperOnly && seg != strings.ToUpper(seg) {
		return p
	}
	p.city, p.region, p.country = e.city, e.region, e.country
	return p
}

// locClassify looks a segment up whole, else as "<city> <qualifier>"
// ("Austin TX", "Berlin Germany").
func locClassify(seg string) []locPart {
	p := locLookup(seg)
	if p.known() {
		return []locPart{p}
	}
	f := strings.Fields(seg)
	for n := 1; n <= 2 && n < len(f); n++ {
		q := locLookup(strings.Join(f[len(f)-n:], " "))
		if len(q.region) > 0 || q.country != "" {
			head := locLookup(locCleanName(strings.Join(f[:len(f)-n], " ")))
			return []locPart{head, q}
		}
	}
	return []locPart{p}
}

type locPlace struct{ city, region, country string }

// locGroup reads the parts left to right as places: a city or an unknown
// name followed by an optional region or country and an optional country,
// or a region or a country alone. An unknown name with no qualifier is
// dropped.
func locGroup(parts []locPart) []locPlace {
	var out []locPlace
	for i := 0; i < len(parts); {
		head := parts[i]
		i++
		var qual, ctry *locPart
		headIsPlace := len(head.city) > 0 || !head.known()
		if len(head.city) == 0 && len(head.region) > 0 && i < len(parts) &&
			parts[i].country != "" && len(parts[i].region) == 0 && len(parts[i].city) == 0 {
			// "California, USA"
			q := parts[i]
			qual = &q
			i++
		} else if headIsPlace && i < len(parts) {
			next := parts[i]
			// A qualifier that is also a city ("DC", "LA") only qualifies
			// an unknown name.
			if (len(next.region) > 0 || next.country != "") && (len(next.city) == 0 || !head.known()) {
				qual = &next
				i++
				if i < len(parts) && parts[i].country != "" && len(parts[i].region) == 0 && len(parts[i].city) == 0 {
					c := parts[i]
					ctry = &c
					i++
				}
			}
		}
		if pl, ok := locResolve(head, qual, ctry); ok {
			out = append(out, pl)
		}
	}
	return out
}

// locResolve turns a head part and its qualifiers into a place.
func locResolve(head locPart, qual, ctry *locPart) (locPlace, bool) {
	if qual == nil {
		switch {
		case len(head.city) > 0:
			c := head.city[0]
			return locPlace(c), true
		case len(head.region) > 0:
			// "CA", "DE", "IN" are both a region and a country code: a
			// lone code is unclear. A full name ("Georgia") is the region.
			if head.country != "" && locIsAbbrev(head.raw) {
				return locPlace{}, false
			}
			r := head.region[0]
			return locPlace{region: r.code, country: r.country}, true
		case head.country != "":
			return locPlace{country: head.country}, true
		}
		return locPlace{}, false
	}
	country := ""
	if ctry != nil {
		country = ctry.country
	}
	// A known city whose region or country the qualifier names.
	for _, c := range head.city {
		if country != "" && country != c.country {
			continue
		}
		for _, r := range qual.region {
			if r.code == c.region && r.country == c.country {
				return locPlace(c), true
			}
		}
		if qual.country == c.country {
			return locPlace(c), true
		}
	}
	// A region then its country: "California, USA", "ON, Canada".
	if len(head.city) == 0 && qual.country != "" && len(qual.region) == 0 {
		for _, r := range head.region {
			if r.country == qual.country {
				return locPlace{region: r.code, country: r.country}, true
			}
		}
		if head.country == qual.country {
			return locPlace{country: head.country}, true
		}
	}
	// Otherwise the qualifier decides and the head is the city's name.
	city := locCleanName(head.raw)
	if len(head.region) > 0 || head.country != "" && len(head.city) == 0 {
		city = "" // "Texas, US": no city
	}
	for _, r := range qual.region {
		if country == "" || r.country == country {
			return locPlace{city: city, region: r.code, country: r.country}, true
		}
	}
	if qual.country != "" {
		return locPlace{city: city, country: qual.country}, true
	}
	return locPlace{}, false
}
