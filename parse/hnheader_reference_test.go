package parse

// The HN comment header parser as it was before it was made faster
// (commit 393103a), kept as the oracle that TestHNHeaderSameAsRef and
// FuzzHNHeaderSameAsRef compare parseHNHeader with: every declaration of
// parse/hn.go from hnHeader on, and ParseSalary, scrub and scanCurrencies
// of parse/salary.go, each name suffixed Ref (copied mechanically;
// comments dropped, see the originals in git history).

import (
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends"
)

type hnHeaderRef struct {
	company    string
	title      string
	roles      []string
	location   jobtrends.Location
	remote     jobtrends.Remote
	employment string
	salary     *jobtrends.Salary
}

var hnHeaderSepsRef = []struct {
	sep string
	min int
}{
	{"|", 1}, {"│", 1}, {"｜", 1}, {" • ", 1}, {"•", 1}, {" · ", 1}, {" ~ ", 2},
	{" -- ", 1}, {" — ", 1}, {" – ", 1}, {" - ", 1}, {" ; ", 1}, {";", 2}, {" / ", 2},
	{" I ", 2}, {" :: ", 1},
}

func parseHNHeaderRef(text string) hnHeaderRef {
	header, rest := hnHeaderLineRef(text)
	segs := hnSplitHeaderRef(header)
	strong := len(segs) > 1
	if strong {

		for _, sep := range []string{" -- ", " — ", " – ", " - "} {
			if parts := hnSplitOutsideRef(segs[0], sep); len(parts) > 1 {
				segs = append(parts, segs[1:]...)
				break
			}
		}
	} else {
		segs = hnWeakSegmentsRef(header)
	}
	c := hnSegmentsRef{remote: jobtrends.RemoteUnknown}
	for i, seg := range segs {
		c.add(seg, i == 0 && strong, strong)
	}
	kv := hnKeyValuesRef(text)
	h := hnHeaderRef{company: c.company(header, text, kv), roles: c.roleList(rest, text, kv), salary: c.salary}
	h.location = c.place(header, kv)
	h.remote = c.remoteMode(text, kv)
	if len(h.roles) > 0 {
		h.title = h.roles[0]
	}
	if len(c.employment) == 0 {
		c.employment = hnEmploymentWordsRef(kv["type"])
	}
	h.employment = exJoinEmployment(c.employment)
	if h.salary == nil {
		h.salary = ParseSalaryRef(header)
	}
	if h.salary == nil {
		h.salary = ParseSalaryRef(text)
	}
	return h
}

type hnSegmentsRef struct {
	locTexts    []string // location segments
	remoteTexts []string // remote statements without a place ("REMOTE")
	parenLocs   []string // places in parentheses after the name ("Acme (NYC)")
	employment  []string
	companyCand []string
	roleSegs    []string
	remote      jobtrends.Remote
	salary      *jobtrends.Salary
}

func (c *hnSegmentsRef) add(seg string, first, strong bool) {
	s := strings.TrimSpace(seg)
	if s == "" {
		return
	}
	bare := hnTrimSegmentRef(hnStripURLsRef(s))
	if first {

		bare = hnTrimSegmentRef(hnSchemeURLReRef.ReplaceAllString(s, ""))
	}
	if bare == "" {
		if u := hnURLReRef.FindString(s); first && u != "" {
			c.companyCand = append(c.companyCand, hnHostNameRef(u))
		}
		return
	}
	r, place := hnRemoteOfRef(bare)
	if r != jobtrends.RemoteUnknown {
		c.remote = hnMergeRemoteRef(c.remote, r)
	}
	kind := hnClassifySegmentRef(bare, place, r != jobtrends.RemoteUnknown, first)
	if kind == hnSegRoleRef && (hnWordCountRef(bare) > 12 || (!strong && !hnLooksLikeTitleRef(bare))) {
		kind = hnSegOtherRef
	}
	if kind == hnSegCompanyRef || first {

		for _, m := range hnParenPartReRef.FindAllStringSubmatch(bare, -1) {
			if l := hnPlacesOnlyRef(m[1]); l != "" {
				c.parenLocs = append(c.parenLocs, l)
			}
		}
	}
	if kind == hnSegRoleRef {

		for _, m := range hnParenReRef.FindAllString(bare, -1) {
			c.employment = append(c.employment, hnEmploymentWordsRef(m)...)
		}
	} else {
		c.employment = append(c.employment, hnEmploymentWordsRef(bare)...)
	}
	switch kind {
	case hnSegSalaryRef:
		if c.salary == nil {
			c.salary = ParseSalaryRef(bare)
		}
	case hnSegLocationRef:
		c.locTexts = append(c.locTexts, bare)
	case hnSegRemoteRef:
		if place != "" && hnLooksLikeLocationRef(place) {
			c.locTexts = append(c.locTexts, bare)
		} else if r == jobtrends.RemoteFull && hnWordCountRef(bare) <= 8 {
			c.remoteTexts = append(c.remoteTexts, bare)
		}
	case hnSegRoleRef:
		c.roleSegs = append(c.roleSegs, bare)
	case hnSegCompanyRef:
		if strong {
			c.companyCand = append(c.companyCand, bare)
		}
	}
}

func (c *hnSegmentsRef) company(header, text string, kv map[string]string) string {
	for _, cand := range c.companyCand {
		if name := hnCleanCompanyRef(cand); name != "" {
			return name
		}
	}
	return hnCompanyFromTextRef(header, text, kv)
}

func (c *hnSegmentsRef) roleList(rest, text string, kv map[string]string) []string {
	var roles []string
	for _, rs := range c.roleSegs {
		if hnGenericRolesReRef.MatchString(rs) && !hnHasRoleNounRef(hnGenericRolesReRef.ReplaceAllString(rs, "")) {
			continue
		}
		roles = append(roles, hnSplitRolesRef(rs)...)
	}
	if len(roles) == 0 {
		roles = hnRolesFromTextRef(rest, text, kv)
	}
	return exUnique(roles, false)
}

func (c *hnSegmentsRef) place(header string, kv map[string]string) jobtrends.Location {
	texts := c.locTexts
	if len(texts) == 0 && kv["location"] != "" {
		texts = []string{kv["location"]}
		if r, _ := hnRemoteOfRef(kv["location"]); r != jobtrends.RemoteUnknown {
			c.remote = hnMergeRemoteRef(c.remote, r)
		}
	}
	if len(texts) == 0 && len(c.parenLocs) > 0 {
		texts = c.parenLocs[:1]
	}
	if len(texts) == 0 {

		for _, m := range hnInPlaceReRef.FindAllStringSubmatch(header, 3) {
			if p := strings.TrimSpace(m[1]); hnLooksLikeLocationRef(p) {
				texts = []string{p}
				break
			}
		}
	}
	if len(texts) == 0 && len(c.remoteTexts) > 0 {
		texts = c.remoteTexts[:1]
	}
	return hnBuildLocationRef(texts)
}

func (c *hnSegmentsRef) remoteMode(text string, kv map[string]string) jobtrends.Remote {
	if c.remote != jobtrends.RemoteUnknown {
		return c.remote
	}
	if v, ok := kv["remote"]; ok {
		if r := hnRemoteAnswerRef(v); r != jobtrends.RemoteUnknown {
			return r
		}
	}
	return hnRemoteInTextRef(text)
}

func hnHeaderLineRef(text string) (string, string) {
	lines := strings.Split(text, "\n")
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i >= len(lines) {
		return "", ""
	}
	header := strings.TrimSpace(lines[i])
	restStart := i + 1

	if len(hnSplitHeaderRef(header)) < 2 && hnWordCountRef(header) <= 5 {
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) {
			next := strings.TrimSpace(lines[j])
			segs := hnSplitHeaderRef(next)
			if len(segs) >= 3 || (hnWordCountRef(next) <= 12 && (len(segs) >= 2 || hnLooksLikeLocationRef(hnTrimSegmentRef(segs[0])))) {
				header = header + " | " + strings.Join(segs, " | ")
				restStart = j + 1
			}
		}
	}
	return header, strings.Join(lines[min(restStart, len(lines)):], "\n")
}

func hnSplitHeaderRef(line string) []string {
	for _, s := range hnHeaderSepsRef {
		if strings.Count(line, s.sep) < s.min {
			continue
		}
		if parts := hnSplitOutsideRef(line, s.sep); len(parts)-1 >= s.min {
			return parts
		}
	}
	return []string{line}
}

func hnWeakSegmentsRef(line string) []string {
	return hnSentenceSplitReRef.Split(line, -1)
}

var (
	hnSentenceSplitReRef = regexp.MustCompile(`\.\s+|\s+\(|\)\s*`)
	hnEmptyParenReRef    = regexp.MustCompile(`\(\s*\)|\[\s*\]`)
	hnOrSlashReRef       = regexp.MustCompile(`(?i)\bor\b|/`)
)

func hnSplitOutsideRef(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
		if depth == 0 && strings.HasPrefix(s[i:], sep) {
			out = append(out, s[start:i])
			i += len(sep)
			start = i
			continue
		}
		i++
	}
	return append(out, s[start:])
}

var hnURLReRef = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s()<>|]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|io|ai|co|org|net|dev|app|tech|xyz|so|me|us|uk|de|fr|ca|jobs|careers|health|bio|gg|sh|tv|fm|eu|nl|se|ch|ly|to|vc|cloud|inc|works|systems|finance|studio|team|work|world)(?:/[^\s()<>|]*)?`)

func hnStripURLsRef(s string) string {
	if !strings.Contains(s, ".") {
		return txtOneLine(s)
	}
	s = hnRemoveURLsRef(s)
	if strings.ContainsAny(s, "([") && strings.ContainsAny(s, ")]") {
		s = hnEmptyParenReRef.ReplaceAllString(s, "")
	}
	return txtOneLine(s)
}

func hnRemoveURLsRef(s string) string {
	var b strings.Builder
	done := 0
	for i := 0; i < len(s); {
		for i < len(s) && hnIsSpaceByteRef(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !hnIsSpaceByteRef(s[j]) {
			j++
		}
		if w := s[i:j]; strings.ContainsAny(w, ".:") {
			if r := hnURLReRef.ReplaceAllString(w, ""); r != w {
				b.WriteString(s[done:i])
				b.WriteString(r)
				done = j
			}
		}
		i = j
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

func hnIsSpaceByteRef(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func hnHostNameRef(raw string) string {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

const (
	hnSegCompanyRef = iota + 1
	hnSegSalaryRef
	hnSegRemoteRef
	hnSegLocationRef
	hnSegRoleRef
	hnSegEmploymentRef
	hnSegOtherRef
)

var (
	hnGenericRolesReRef   = regexp.MustCompile(`(?i)\b(?:multiple|various|several|many|all|numerous|open|lots of|\d+)\b.*\b(?:roles|positions|openings|jobs|opportunities|hires|engineers|engineering roles)\b|^(?:hiring|we'?re hiring|now hiring|engineering|engineers|many|multiple|various)$`)
	hnOtherReRef          = regexp.MustCompile(`(?i)\b(?:visas?|h-?1b|h1-?b|relocation|relo|sponsorship|sponsor|equity|benefits|stock|options|citizenship|citizens?|clearance|required|funding|funded|series [a-e]|seed|yc [wsf]\d+|b2b|b2c|saas|startup|asynchronous|async)\b`)
	hnCompanySuffixReRef  = regexp.MustCompile(`(?i)\b(?:inc|llc|ltd|limited|gmbh|corp|corporation|co|company|labs?|technologies|technology|group|university|institute|foundation|ag|sa|s\.a|bv|b\.v|plc|oy|ab|as|pty|holdings|studios?|systems|software|ventures|capital|partners)\.?$`)
	hnDigitReRef          = regexp.MustCompile(`\d`)
	hnSchemeURLReRef      = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s()<>|]+`)
	hnRemoteLeadReRef     = regexp.MustCompile(`(?i)^\W*(?:fully |100% |partially |currently |temporarily )?(?:remote|onsite|on-site|on site|hybrid|in[- ]office|wfh)\b`)
	hnLeadingTitleWordRef = regexp.MustCompile(`(?i)^(?:senior|sr\.?|junior|jr\.?|staff|principal|lead|head|chief|software|data|machine|ml|ai|backend|back-end|frontend|front-end|full|full-stack|fullstack|product|platform|infrastructure|security|mobile|web|cloud|research|applied|founding|technical|tech|devops|qa|ux|ui|embedded|systems?|engineering|engineers?|developers?)$`)
)

func hnClassifySegmentRef(s, place string, hasRemote, first bool) int {
	role := hnHasRoleNounRef(s)
	loc := hnLooksLikeLocationRef(s)
	emp := len(hnEmploymentWordsRef(s)) > 0 && hnIsEmploymentOnlyRef(s)
	remoteLead := hasRemote && hnRemoteLeadReRef.MatchString(s)
	switch {
	case hnDigitReRef.MatchString(s) && !role && !loc && ParseSalaryRef(s) != nil:
		return hnSegSalaryRef
	case emp:
		return hnSegEmploymentRef
	case first && hnCompanySuffixReRef.MatchString(strings.TrimRight(s, ".")):
		return hnSegCompanyRef
	case hasRemote && (remoteLead || !role) && (place == "" || hnLooksLikeLocationRef(place) || loc || len(strings.Fields(place)) <= 4):
		if loc && (place == "" || !hnLooksLikeLocationRef(place)) && !remoteLead {
			return hnSegLocationRef
		}
		return hnSegRemoteRef
	case first && !loc:

		if role && hnLooksLikeTitleRef(s) {
			return hnSegRoleRef
		}
		return hnSegCompanyRef
	case loc && !role:
		return hnSegLocationRef
	case role && (hnLooksLikeTitleRef(s) || !hnOtherReRef.MatchString(s)):
		return hnSegRoleRef
	case hnOtherReRef.MatchString(s) || hnGenericRolesReRef.MatchString(s):
		if hnGenericRolesReRef.MatchString(s) {
			return hnSegRoleRef
		}
		return hnSegOtherRef
	case role:
		return hnSegRoleRef
	case hasRemote:
		return hnSegRemoteRef
	}
	return hnSegCompanyRef
}

func hnLooksLikeTitleRef(s string) bool {
	w := strings.Fields(s)
	if len(w) == 0 || len(w) > 8 {
		return false
	}
	return hnLeadingTitleWordRef.MatchString(strings.Trim(w[0], ",/()")) || hnRoleWordsRef[strings.ToLower(strings.Trim(w[0], ",/()"))]
}

func hnCutRef(s string, n int) int {
	if len(s) <= n {
		return len(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

func hnWordCountRef(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		word := false
		if r < utf8.RuneSelf {
			word = asciiWord[r]
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsNumber(r)
		}
		if word && !in {
			n++
		}
		in = word
		i += size
	}
	return n
}

func hnHasRoleNounRef(s string) bool {
	if strings.Contains(s, "://") || strings.Contains(s, "www.") {
		s = hnStripURLsRef(s)
	}
	prev := ""
	found := false
	hnEachWordRef(s, func(w string) bool {
		if hnRoleWordsRef[w] || hnRolePairsRef[prev+" "+w] {
			found = true
			return false
		}
		prev = w
		return true
	})
	return found
}

func hnEachWordRef(s string, fn func(string) bool) {
	start := -1
	flush := func(end int) bool {
		if start < 0 {
			return true
		}
		w := strings.Trim(s[start:end], ".")
		start = -1
		if w == "" {
			return true
		}
		return fn(strings.ToLower(w))
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '.' && start >= 0) {
			if start < 0 {
				start = i
			}
			continue
		}
		if !flush(i) {
			return
		}
	}
	flush(len(s))
}

var (
	hnRoleWordsRef = hnWordSetRef(`engineer engineers engineering eng developer developers dev devs
		scientist scientists manager managers designer designers design architect architects
		analyst analysts researcher researchers research sre sres devops cto cfo coo ceo cpo vp vps
		director directors lead leads programmer programmers administrator administrators admin
		admins specialist specialists consultant consultants recruiter recruiters technician
		technicians writer writers marketer marketers marketing sales executive executives pm pms
		qa tester testers support operations ops associate associates coordinator coordinators
		representative representatives officer officers advisor advisors strategist strategists
		hacker hackers fullstack frontend backend ios android founding mle mles swe swes sdet sde
		fellow fellows postdoc postdocs educator educators teacher teachers instructor instructors
		generalist generalists accountant accountants counsel lawyer lawyers attorney attorneys
		nurse nurses physician physicians clinician clinicians chemist chemists biologist
		biologists physicist physicists mathematician mathematicians statistician statisticians
		economist economists quant quants trader traders producer producers editor editors artist
		artists animator animators illustrator illustrators copywriter copywriters bizdev
		evangelist evangelists advocate advocates intern interns`)
	hnRolePairsRef = hnWordSetRef(`head_of vice_president product_owner product_owners customer_success
		full_stack front_end back_end`)
)

func hnWordSetRef(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[strings.ReplaceAll(w, "_", " ")] = true
	}
	return m
}

func hnTrimSegmentRef(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := strings.Trim(s, " \t,;:-–—|*~•·")
		if len(t) >= 2 && strings.Count(t, "(") == 1 && strings.Count(t, ")") == 1 && t[0] == '(' && t[len(t)-1] == ')' {
			t = t[1 : len(t)-1]
		}
		if strings.HasSuffix(t, ")") && strings.Count(t, "(") < strings.Count(t, ")") {
			t = t[:len(t)-1]
		}
		if strings.HasSuffix(t, "(") || strings.HasSuffix(t, "[") {
			t = t[:len(t)-1]
		}
		if strings.HasPrefix(t, "(") && strings.Count(t, "(") > strings.Count(t, ")") {
			t = t[1:]
		}
		if strings.HasPrefix(t, "[") && strings.Count(t, "[") > strings.Count(t, "]") {
			t = t[1:]
		}
		if strings.HasSuffix(t, "]") && strings.Count(t, "[") < strings.Count(t, "]") {
			t = t[:len(t)-1]
		}
		if t == s {
			return t
		}
		s = t
	}
}

var hnEmploymentReRef = regexp.MustCompile(`(?i)\b(full[- ]?time|part[- ]?time|contract(?:or|ors|ing)?|freelance(?:rs?)?|intern(?:ship)?s?|permanent|temporary|fte|f/t|p/t)\b`)

func hnEmploymentWordsRef(s string) []string {
	var out []string
	for _, m := range hnEmploymentReRef.FindAllString(s, -1) {
		switch strings.ToLower(m) {
		case "f/t":
			m = "full time"
		case "p/t":
			m = "part time"
		}
		out = append(out, m)
	}
	return out
}

var hnEmploymentFillerReRef = regexp.MustCompile(`(?i)\b(?:or|and|&|/|,|only|positions?|roles?|jobs?|perm|w2|1099|employee|employees|available|possible|ok|options?|preferred|co-?ops?|flexible|salaried|hourly|\+)\b|[,/&+()]`)

func hnIsEmploymentOnlyRef(s string) bool {
	rest := hnEmploymentReRef.ReplaceAllString(s, "")
	rest = hnEmploymentFillerReRef.ReplaceAllString(rest, "")
	return strings.TrimSpace(rest) == ""
}

var (
	hnRemoteReRef     = regexp.MustCompile(`(?i)\b(?:remote|wfh|work from home|distributed team|fully distributed|anywhere|telecommute)\b`)
	hnNoRemoteReRef   = regexp.MustCompile(`(?i)\b(?:no|not|non)[- ]remote\b|\bremote\s*:\s*no\b`)
	hnOnsiteReRef     = regexp.MustCompile(`(?i)\b(?:on[- ]?site|in[- ]office|in[- ]person|office[- ]based|on[- ]prem)\b`)
	hnHybridReRef     = regexp.MustCompile(`(?i)\bhybrid\b`)
	hnRemoteWordReRef = regexp.MustCompile(`(?i)\b(?:fully|full|100%|partially|partly|temporarily|currently|possible|ok|okay|friendly|first|only|allowed|available|welcome|considered|preferred|optional|within|from|the|remote|wfh|work from home|telecommute|on[- ]?site|in[- ]office|in[- ]person|hybrid|is|fine|too|also|with|some|travel|based|timezones?|time zones?|tz|hours?|overlap|days?|week|per|a|\+/-|\d+|in)\b|[()\[\]:%]|^\W*(?:or|and)\b|\b(?:or|and)\W*$`)
)

func hnRemoteOfRef(s string) (jobtrends.Remote, string) {
	r := jobtrends.RemoteUnknown
	switch {
	case hnNoRemoteReRef.MatchString(s):
		r = jobtrends.RemoteOnsite
	case hnRemoteReRef.MatchString(s):
		r = jobtrends.RemoteFull
	case hnHybridReRef.MatchString(s):
		r = jobtrends.RemoteHybrid
	case hnOnsiteReRef.MatchString(s):
		r = jobtrends.RemoteOnsite
	}
	if r == jobtrends.RemoteUnknown {
		return r, ""
	}
	if r == jobtrends.RemoteFull && hnHybridReRef.MatchString(s) && !hnOrSlashReRef.MatchString(s) {
		r = jobtrends.RemoteHybrid
	}
	place := txtOneLine(hnRemoteWordReRef.ReplaceAllString(s, " "))
	for {
		t := strings.Trim(place, " ,;/-–—&+.")
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "or "), "and "))
		t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, " or"), " and"))
		if t == place {
			break
		}
		place = t
	}
	return r, place
}

func hnMergeRemoteRef(a, b jobtrends.Remote) jobtrends.Remote {
	rank := map[jobtrends.Remote]int{jobtrends.RemoteUnknown: 0, jobtrends.RemoteOnsite: 1, jobtrends.RemoteHybrid: 2, jobtrends.RemoteFull: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func hnRemoteAnswerRef(v string) jobtrends.Remote {
	l := strings.ToLower(strings.TrimSpace(v))
	switch {
	case strings.HasPrefix(l, "no"):
		return jobtrends.RemoteOnsite
	case hnHybridReRef.MatchString(l) || strings.HasPrefix(l, "partial"):
		return jobtrends.RemoteHybrid
	case strings.HasPrefix(l, "yes") || strings.HasPrefix(l, "ok") || strings.HasPrefix(l, "full") || hnRemoteReRef.MatchString(l):
		return jobtrends.RemoteFull
	}
	return jobtrends.RemoteUnknown
}

var (
	// Matched on the lower-cased text (a case-insensitive pattern is
	// several times slower), and the capitalized keywords on the text.
	hnRemoteTextReRef = regexp.MustCompile(`fully remote|100% remote|remote[- ]first|remote[- ]friendly|remote (?:work )?(?:is )?(?:ok|okay|fine|possible|welcome|considered|allowed)|remote only|work remotely|remote position|remote role|remote candidates|remote employees|remote team|distributed team|on[- ]?site only|in[- ]office|hybrid`)
	hnRemoteCapsReRef = regexp.MustCompile(`\b(?:REMOTE|ONSITE|ON-SITE)\b`)
	hnNegationReRef   = regexp.MustCompile(`(?i)\b(?:no|not|non|never|isn't|is not|unable to)\W+(?:\w+\W+)?$`)
)

func hnRemoteInTextRef(text string) jobtrends.Remote {
	text = text[:hnCutRef(text, 6000)]
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		lower = text
	}
	m := hnRemoteTextReRef.FindStringIndex(lower)
	if c := hnRemoteCapsReRef.FindStringIndex(text); c != nil && (m == nil || c[0] < m[0]) {
		m = c
	}
	if m == nil {
		return jobtrends.RemoteUnknown
	}
	r, _ := hnRemoteOfRef(text[m[0]:m[1]])
	if r == jobtrends.RemoteFull && hnNegationReRef.MatchString(text[max(0, m[0]-20):m[0]]) {
		return jobtrends.RemoteOnsite
	}
	return r
}

var (
	hnKVReRef          = regexp.MustCompile(`(?im)^\s*[-*•]?\s*(location|locations|where|office|offices|remote|role|roles|position|positions|title|job title|company|type|employment|employment type|job type)\s*:\s*(.+)$`)
	hnKVRoleKeysRef    = map[string]bool{"role": true, "roles": true, "position": true, "positions": true, "title": true, "job title": true}
	hnKVLocKeysRef     = map[string]bool{"location": true, "locations": true, "where": true, "office": true, "offices": true}
	hnKVTypeKeysRef    = map[string]bool{"type": true, "employment": true, "employment type": true, "job type": true}
	hnKVCompanyKeysRef = map[string]bool{"company": true}
)

func hnKeyValuesRef(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		colon := strings.IndexByte(line, ':')
		if colon < 0 || colon > 40 {
			continue
		}
		m := hnKVReRef.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		k, v := strings.ToLower(m[1]), strings.TrimSpace(m[2])
		switch {
		case hnKVLocKeysRef[k]:
			k = "location"
		case hnKVRoleKeysRef[k]:
			k = "role"
		case hnKVTypeKeysRef[k]:
			k = "type"
		case hnKVCompanyKeysRef[k]:
			k = "company"
		}
		if _, ok := out[k]; !ok && v != "" {
			out[k] = v
		}
	}
	return out
}

var (
	hnParenReRef        = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]`)
	hnHiringPrefixReRef = regexp.MustCompile(`(?i)^(?:\[?hiring\]?\s*[:\-–—]?\s*|we'?re hiring\s*[:\-–—]?\s*|company\s*:\s*)`)
	hnNameCutReRef      = regexp.MustCompile(`(?i)\s+(?:is|are)\s+(?:hiring|looking|seeking|a|an|the|building|growing|recruiting|searching|expanding|on a mission)\b.*$|\s+(?:\(|–|—|-{1,2}|:)\s*.*$`)
	hnNameStartReRef    = regexp.MustCompile(`^\s*(?:At\s+|Join\s+)?([A-Z0-9@][\w.&'’+!@-]*(?:\s+(?:[A-Z0-9&][\w.&'’+!-]*|of|de|and|for|the|la|du|von|van)){0,4})\s*(?:\(|,|:|\||–|—|-|\bis\b|\bare\b|\bin\b|\bhiring\b|\bseeks?\b|\bwants?\b|\blooking\b|\bhas\b|\bwe\b|\bbuilds?\b|\bmakes?\b|\bhelps?\b|\bprovides?\b)`)
	hnIsAReRef          = regexp.MustCompile(`(?m)(?:^|[.!?]\s+)(?:At\s+)?([A-Z0-9][\w.&'’+-]*(?:\s+[A-Z0-9&][\w.&'’+-]*){0,3})\s+(?:\(\S[^)]*\)\s+)?(?:is|are)\s+(?:a|an|the|hiring|looking|building|seeking|growing|on a mission)\b`)
	hnCompanyStopReRef  = regexp.MustCompile(`(?i)^(?:we|we're|our|i|i'm|i am|my|the|this|it|hi|hello|hey|hiring|join|looking|company|location|remote|onsite|full|full-time|us|usa|eu|uk|sf|nyc|who|what|seeking|please|note|about|apply|ask hn)$`)
	hnTrailingPunctRef  = " \t.,;:!|-–—*/\\\"'“”‘’"
)

func hnCleanCompanyRef(s string) string {
	s = hnHiringPrefixReRef.ReplaceAllString(strings.TrimSpace(s), "")
	s = txtOneLine(hnEmptyParenReRef.ReplaceAllString(hnSchemeURLReRef.ReplaceAllString(s, ""), ""))
	for {
		t := hnParenReRef.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	s = strings.Trim(txtOneLine(s), hnTrailingPunctRef)
	if len(strings.Fields(s)) > 6 || len(s) > 60 {
		s = strings.Trim(hnNameCutReRef.ReplaceAllString(s, ""), hnTrailingPunctRef)
		if len(strings.Fields(s)) > 6 || len(s) > 60 {
			return ""
		}
	}

	if name, place, ok := strings.Cut(s, ", "); ok && name != "" && hnLooksLikeLocationRef(place) {
		s = name
	}
	if hnCompanyStopReRef.MatchString(s) || hnLooksLikeLocationRef(s) || !hnHasLetterRef(s) {
		return ""
	}
	return s
}

func hnHasLetterRef(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func hnCompanyFromTextRef(header, text string, kv map[string]string) string {

	if h := hnTrimSegmentRef(header); hnWordCountRef(h) <= 4 && !strings.ContainsAny(h, ",:;!?") {
		if c := hnCleanCompanyRef(h); c != "" && !hnHasRoleNounRef(c) && !hnRemoteReRef.MatchString(c) {
			return c
		}
	}
	if m := hnNameStartReRef.FindStringSubmatch(header); m != nil {
		if c := hnCleanCompanyRef(m[1]); c != "" && !hnHasRoleNounRef(c) {
			return c
		}
	}
	if v := kv["company"]; v != "" {
		if c := hnCleanCompanyRef(v); c != "" {
			return c
		}
	}
	for _, m := range hnIsAReRef.FindAllStringSubmatch(text, 5) {
		if c := hnCleanCompanyRef(m[1]); c != "" && !hnHasRoleNounRef(c) {
			return c
		}
	}
	for _, line := range strings.SplitN(text, "\n", 4) {
		if u := hnURLReRef.FindString(line); u != "" {
			if h := hnHostNameRef(u); h != "" && h != "news.ycombinator.com" {
				return h
			}
		}
	}

	s := strings.TrimSpace(hnStripURLsRef(header))
	if i := strings.IndexAny(s, ".,;:|()!?"); i > 0 {
		s = s[:i]
	}
	w := strings.Fields(s)
	if len(w) > 5 {
		w = w[:5]
	}
	return strings.Trim(strings.Join(w, " "), hnTrailingPunctRef)
}

var hnRoleSplitReRef = regexp.MustCompile(`\s*(?:,|;|\band\b|&|\bor\b|\s/\s|/|\+)\s*`)

func hnSplitRolesRef(s string) []string {
	s = strings.TrimSpace(s)
	var pieces, seps []string
	start := 0
	for _, m := range hnRoleSplitReRef.FindAllStringIndex(s, -1) {
		if m[0] < start || hnParenDepthRef(s[:m[0]]) > 0 {
			continue
		}
		pieces = append(pieces, s[start:m[0]])
		seps = append(seps, s[m[0]:m[1]])
		start = m[1]
	}
	pieces = append(pieces, s[start:])
	var roles []string
	pending := ""
	for i, p := range pieces {
		p = strings.TrimSpace(p)
		if pending != "" {
			p = pending + p
			pending = ""
		}
		if p == "" || hnRoleFillerReRef.MatchString(p) {
			continue
		}
		if i < len(pieces)-1 && (!hnHasRoleNounRef(p) || len(strings.Fields(p)) == 1) {
			pending = p + seps[i]
			continue
		}
		if r := hnCleanRoleRef(p); r != "" {
			roles = append(roles, r)
		}
	}
	if r := hnCleanRoleRef(pending); r != "" {
		roles = append(roles, r)
	}
	return roles
}

var hnRoleFillerReRef = regexp.MustCompile(`(?i)^(?:more|others?|etc\.?|and more|many more|\.\.\.|…)$`)

func hnParenDepthRef(s string) int {
	d := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			d++
		case ')', ']', '}':
			if d > 0 {
				d--
			}
		}
	}
	return d
}

func hnCleanRoleRef(s string) string {
	s = hnTrimSegmentRef(strings.Trim(txtOneLine(s), hnTrailingPunctRef))
	if len(s) > 100 || len(strings.Fields(s)) > 8 {
		return ""
	}
	return s
}

var (
	hnHiringRoleReRef = regexp.MustCompile(`(?i)\b(?:hiring|looking for|seeking|searching for|recruiting)\s+`)
	hnBulletRoleReRef = regexp.MustCompile(`^\s*(?:[-*•▹►▸◦‣→·]|\d+[.)])\s*(.{3,80})$`)
)

func hnRolesFromTextRef(rest, text string, kv map[string]string) []string {
	if v := kv["role"]; v != "" {
		if r := hnSplitRolesRef(hnStripURLsRef(v)); len(r) > 0 {
			return r
		}
	}
	var roles []string
	bullets := 0
	for _, line := range strings.Split(rest[:hnCutRef(rest, 6000)], "\n") {
		m := hnBulletRoleReRef.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if bullets++; bullets > 20 {
			break
		}
		b := hnTrimSegmentRef(hnSplitHeaderRef(strings.TrimSpace(hnStripURLsRef(m[1])))[0])
		if b != "" && len(strings.Fields(b)) <= 7 && hnRoleNounStrictReRef.MatchString(b) && !strings.HasSuffix(b, ".") {
			roles = append(roles, hnCleanRoleRef(b))
		}
	}
	if len(roles) > 0 {
		return roles
	}

	seen := 0
	for _, line := range strings.Split(rest, "\n") {
		line = strings.TrimSpace(hnStripURLsRef(line))
		if line == "" {
			continue
		}
		if seen++; seen > 6 {
			break
		}
		if _, after, ok := strings.Cut(line, ": "); ok && hnWordCountRef(line[:len(line)-len(after)]) <= 3 {
			line = after
		}
		line = hnTrimSegmentRef(hnSplitHeaderRef(line)[0])
		line = strings.TrimSuffix(line, ".")
		if hnWordCountRef(line) <= 10 && !strings.ContainsAny(line, ".!?") && hnRoleNounStrictReRef.MatchString(line) {
			if r := hnSplitRolesRef(line); len(r) > 0 {
				return r
			}
		}
	}

	for _, m := range hnHiringRoleReRef.FindAllStringIndex(text, 10) {
		words := strings.Fields(text[m[1]:min(len(text), m[1]+120)])
		for i, w := range words {
			if i >= 6 || strings.ContainsAny(w, ".,;:!?()") && !hnRoleNounStrictReRef.MatchString(w) {
				break
			}
			if hnRoleNounStrictReRef.MatchString(w) {

				for i+1 < len(words) && i < 7 && !strings.ContainsAny(words[i], ".,;:!?()") && hnHasRoleNounRef(words[i+1]) {
					i++
				}
				start := 0
				for start < i && hnArticleReRef.MatchString(words[start]) {
					start++
				}
				if r := hnCleanRoleRef(strings.Join(words[start:i+1], " ")); r != "" {
					return []string{r}
				}
				break
			}
		}
	}
	return nil
}

var hnArticleReRef = regexp.MustCompile(`(?i)^(?:a|an|one|two|three|several|multiple|more|our|first|few|\d+|for|the)$`)

var hnRoleNounStrictReRef = regexp.MustCompile(`(?i)\b(?:engineers?|developers?|scientists?|designers?|managers?|architects?|analysts?|researchers?|devops|sres?|programmers?|lead|head of|director|intern)\b`)

const hnCityTableRef = `San Francisco:US|SF:US|Bay Area:US|SF Bay Area:US|San Francisco Bay Area:US|Silicon Valley:US|New York:US|New York City:US|NYC:US|Brooklyn:US|Manhattan:US|Boston:US|Seattle:US|Los Angeles:US|LA:US|Austin:US|Chicago:US|Denver:US|Boulder:US|Portland:US|San Diego:US|San Jose:US|Palo Alto:US|Mountain View:US|Menlo Park:US|Sunnyvale:US|Redwood City:US|Oakland:US|Berkeley:US|Santa Monica:US|Santa Clara:US|San Mateo:US|Washington DC:US|Washington D.C.:US|Washington, DC:US|Washington, D.C.:US|DC:US|D.C.:US|Atlanta:US|Miami:US|Dallas:US|Houston:US|Philadelphia:US|Philly:US|Pittsburgh:US|Minneapolis:US|Detroit:US|Salt Lake City:US|SLC:US|Phoenix:US|Raleigh:US|Durham:US|Nashville:US|Baltimore:US|Columbus:US|St. Louis:US|St Louis:US|Kansas City:US|Madison:US|Ann Arbor:US|Irvine:US|Sacramento:US|Las Vegas:US|Charlotte:US|Cincinnati:US|Cleveland:US|Indianapolis:US|Milwaukee:US|Orlando:US|Tampa:US|Honolulu:US|Provo:US|Lehi:US|Princeton:US|Hoboken:US|Jersey City:US|Stamford:US|New Haven:US|Providence:US|Arlington:US|Reston:US|Bellevue:US|Redmond:US|Kirkland:US|Boise:US|Albuquerque:US|Santa Barbara:US|Santa Cruz:US|Emeryville:US|South San Francisco:US|Cupertino:US|Los Gatos:US|Scottsdale:US|Tempe:US|Fort Lauderdale:US|Ft. Lauderdale:US|Ft Lauderdale:US|Chapel Hill:US|Somerville:US|San Antonio:US|Louisville:US|Foster City:US|Ithaca:US|Oklahoma City:US|Richmond:|Toronto:CA|Vancouver:CA|Montreal:CA|Montréal:CA|Ottawa:CA|Waterloo:CA|Kitchener:CA|Calgary:CA|Edmonton:CA|Quebec City:CA|Halifax:CA|Winnipeg:CA|Victoria:|London:GB|Manchester:GB|Edinburgh:GB|Glasgow:GB|Bristol:GB|Cambridge:|Oxford:GB|Leeds:GB|Birmingham:|Belfast:GB|Cardiff:GB|Brighton:GB|Newcastle:GB|Liverpool:GB|Sheffield:GB|Nottingham:GB|Reading:GB|Bath:GB|Berlin:DE|Munich:DE|München:DE|Hamburg:DE|Frankfurt:DE|Cologne:DE|Köln:DE|Stuttgart:DE|Düsseldorf:DE|Dusseldorf:DE|Leipzig:DE|Dresden:DE|Karlsruhe:DE|Heidelberg:DE|Paris:FR|Lyon:FR|Toulouse:FR|Nice:FR|Bordeaux:FR|Lille:FR|Nantes:FR|Grenoble:FR|Montpellier:FR|Amsterdam:NL|Rotterdam:NL|Utrecht:NL|The Hague:NL|Eindhoven:NL|Delft:NL|Brussels:BE|Antwerp:BE|Ghent:BE|Leuven:BE|Luxembourg:LU|Zurich:CH|Zürich:CH|Geneva:CH|Lausanne:CH|Basel:CH|Bern:CH|Zug:CH|Vienna:AT|Wien:AT|Graz:AT|Linz:AT|Prague:CZ|Brno:CZ|Warsaw:PL|Krakow:PL|Kraków:PL|Wroclaw:PL|Wrocław:PL|Gdansk:PL|Gdańsk:PL|Poznan:PL|Poznań:PL|Budapest:HU|Bucharest:RO|Cluj:RO|Cluj-Napoca:RO|Sofia:BG|Belgrade:RS|Novi Sad:RS|Zagreb:HR|Ljubljana:SI|Athens:GR|Thessaloniki:GR|Istanbul:TR|Ankara:TR|Lisbon:PT|Porto:PT|Madrid:ES|Barcelona:ES|Valencia:ES|Malaga:ES|Málaga:ES|Seville:ES|Bilbao:ES|Rome:IT|Milan:IT|Milano:IT|Turin:IT|Bologna:IT|Florence:IT|Naples:IT|Dublin:IE|Cork:IE|Galway:IE|Copenhagen:DK|Aarhus:DK|Stockholm:SE|Gothenburg:SE|Göteborg:SE|Malmö:SE|Malmo:SE|Uppsala:SE|Oslo:NO|Bergen:NO|Trondheim:NO|Helsinki:FI|Espoo:FI|Tampere:FI|Oulu:FI|Reykjavik:IS|Tallinn:EE|Tartu:EE|Riga:LV|Vilnius:LT|Kyiv:UA|Kiev:UA|Lviv:UA|Kharkiv:UA|Minsk:BY|Moscow:RU|Saint Petersburg:RU|St. Petersburg:RU|Tbilisi:GE|Yerevan:AM|Tokyo:JP|Osaka:JP|Kyoto:JP|Fukuoka:JP|Seoul:KR|Beijing:CN|Shanghai:CN|Shenzhen:CN|Hangzhou:CN|Guangzhou:CN|Hong Kong:HK|Taipei:TW|Singapore:SG|Kuala Lumpur:MY|Bangkok:TH|Jakarta:ID|Manila:PH|Ho Chi Minh City:VN|Hanoi:VN|Bangalore:IN|Bengaluru:IN|Mumbai:IN|Delhi:IN|New Delhi:IN|Gurgaon:IN|Gurugram:IN|Noida:IN|Hyderabad:IN|Pune:IN|Chennai:IN|Kolkata:IN|Ahmedabad:IN|Karachi:PK|Lahore:PK|Dhaka:BD|Colombo:LK|Sydney:AU|Melbourne:AU|Brisbane:AU|Perth:AU|Adelaide:AU|Canberra:AU|Auckland:NZ|Wellington:NZ|Christchurch:NZ|Tel Aviv:IL|Tel-Aviv:IL|Jerusalem:IL|Haifa:IL|Herzliya:IL|Dubai:AE|Abu Dhabi:AE|Riyadh:SA|Doha:QA|Mexico City:MX|Guadalajara:MX|Monterrey:MX|São Paulo:BR|Sao Paulo:BR|Rio de Janeiro:BR|Belo Horizonte:BR|Florianópolis:BR|Buenos Aires:AR|Santiago:|Bogotá:CO|Bogota:CO|Medellín:CO|Medellin:CO|Lima:PE|Montevideo:UY|Quito:EC|Lagos:NG|Nairobi:KE|Cape Town:ZA|Johannesburg:ZA|Cairo:EG|Accra:GH|Kigali:RW|Casablanca:MA`

const hnStateTableRef = `AL:Alabama|AK:Alaska|AZ:Arizona|AR:Arkansas|CA:California|CO:Colorado|CT:Connecticut|DE:Delaware|FL:Florida|GA:Georgia|HI:Hawaii|ID:Idaho|IL:Illinois|IN:Indiana|IA:Iowa|KS:Kansas|KY:Kentucky|LA:Louisiana|ME:Maine|MD:Maryland|MA:Massachusetts|MI:Michigan|MN:Minnesota|MS:Mississippi|MO:Missouri|MT:Montana|NE:Nebraska|NV:Nevada|NH:New Hampshire|NJ:New Jersey|NM:New Mexico|NY:New York State|NC:North Carolina|ND:North Dakota|OH:Ohio|OK:Oklahoma|OR:Oregon|PA:Pennsylvania|RI:Rhode Island|SC:South Carolina|SD:South Dakota|TN:Tennessee|TX:Texas|UT:Utah|VT:Vermont|VA:Virginia|WA:Washington|WV:West Virginia|WI:Wisconsin|WY:Wyoming|DC:District of Columbia`

const hnProvinceTableRef = `ON:Ontario|BC:British Columbia|QC:Quebec|AB:Alberta|NS:Nova Scotia|MB:Manitoba|SK:Saskatchewan|NB:New Brunswick|NL:Newfoundland|PE:Prince Edward Island`

var hnRegionWordsRef = map[string]bool{
	"europe": true, "eu": true, "emea": true, "apac": true, "asia": true, "latam": true,
	"latin america": true, "north america": true, "south america": true, "americas": true,
	"worldwide": true, "global": true, "africa": true, "nordics": true, "scandinavia": true,
	"benelux": true, "dach": true, "oceania": true, "middle east": true, "european union": true,
	"western europe": true, "eastern europe": true, "central europe": true, "anywhere": true,
	"international": true, "east coast": true, "west coast": true, "midwest": true,
	"new england": true, "pacific northwest": true, "pnw": true, "southeast asia": true,
	"cet": true, "est": true, "pst": true, "utc": true, "gmt": true, "americas time zones": true,
}

type hnPlaceRef struct{ city, region, country string }

var hnPlacesRef = sync.OnceValue(func() map[string]hnPlaceRef {
	t := map[string]hnPlaceRef{}
	for _, e := range strings.Split(hnCityTableRef, "|") {
		name, cc, _ := strings.Cut(e, ":")
		t[strings.ToLower(name)] = hnPlaceRef{city: name, country: cc}
	}
	for _, e := range strings.Split(hnStateTableRef, "|") {
		code, name, _ := strings.Cut(e, ":")
		t[strings.ToLower(name)] = hnPlaceRef{region: code, country: "US"}
	}
	for _, e := range strings.Split(hnProvinceTableRef, "|") {
		code, name, _ := strings.Cut(e, ":")
		t[strings.ToLower(name)] = hnPlaceRef{region: code, country: "CA"}
	}
	return t
})

var (
	hnStateCodesRef    = hnCodeSetRef(hnStateTableRef)
	hnProvinceCodesRef = hnCodeSetRef(hnProvinceTableRef)
	hnPlaceSplitReRef  = regexp.MustCompile(`\s*(?:;|/|&|\+|\||·|•)\s*|\s+(?i:or|and)\s+|,\s*(?i:or|and)\s+`)
	hnParenPartReRef   = regexp.MustCompile(`\(([^()]*)\)`)
	hnWorkModeReRef    = regexp.MustCompile(`(?i)\b(?:fully |100% )?(?:remote|onsite|on-site|on site|hybrid|in[- ]office|in[- ]person|full[- ]?time|part[- ]?time|contract|in|based in|located in|offices? in)\b`)
)

var hnPlaceFillerRef = hnWordSetRef(`greater metro area region based hq headquarters office offices
	downtown only preferred near in the candidates candidate residents resident citizens citizen
	timezone timezones time zone zones tz hours hour overlap main county hub hubs location
	locations within remote onsite on-site hybrid in-office in-person fully partially 100% first
	ok friendly anywhere`)

func hnDropFillerRef(s string) string {
	words := strings.Fields(s)
	out := words[:0]
	for _, w := range words {
		w = strings.Trim(w, "[]()+~*@")
		if w == "" || hnPlaceFillerRef[strings.ToLower(strings.TrimRight(w, ",.;:"))] {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

func hnCodeSetRef(table string) map[string]bool {
	m := map[string]bool{}
	for _, e := range strings.Split(table, "|") {
		code, _, _ := strings.Cut(e, ":")
		m[code] = true
	}
	return m
}

func hnLookupPlaceRef(s string) (jobtrends.Location, bool) {
	s = strings.Trim(txtOneLine(s), hnTrailingPunctRef)
	if s == "" || len(s) > 60 {
		return jobtrends.Location{}, false
	}
	l := strings.ToLower(s)
	if p, ok := hnPlacesRef()[l]; ok {
		return jobtrends.Location{City: p.city, Region: p.region, Country: p.country}, true
	}
	if hnRegionWordsRef[l] {
		return jobtrends.Location{}, true
	}
	if len(s) == 2 && hnStateCodesRef[s] {
		return jobtrends.Location{Region: s, Country: "US"}, true
	}
	if c := hnCountryRef(s); c != "" {
		return jobtrends.Location{Country: c}, true
	}
	if city, rest, ok := strings.Cut(s, ","); ok && !strings.Contains(rest, ",") {
		city = strings.TrimSpace(hnWorkModeReRef.ReplaceAllString(city, " "))
		rest = strings.TrimSpace(rest)
		cl, cok := hnLookupPlaceRef(city)
		cityKnown := cok && cl.City != ""
		if !cityKnown && (!hnIsNameLikeRef(city) || cok) {
			return jobtrends.Location{}, false
		}
		name := city
		if cityKnown {
			name = cl.City
		}
		switch {
		case len(rest) == 2 && hnStateCodesRef[rest]:
			return jobtrends.Location{City: name, Region: rest, Country: "US"}, true
		case len(rest) == 2 && hnProvinceCodesRef[rest] && hnCountryRef(rest) == "":
			return jobtrends.Location{City: name, Region: rest, Country: "CA"}, true
		}
		if rl, ok := hnLookupPlaceRef(rest); ok && rl.City == "" {
			rl.City = name
			if rl.Country == "" {
				rl.Country = cl.Country
			}
			return rl, true
		}
		return jobtrends.Location{}, false
	}

	w := strings.Fields(hnWorkModeReRef.ReplaceAllString(s, " "))
	if len(w) >= 2 && len(w) <= 4 && !strings.Contains(s, ",") {
		head := strings.Join(w[:len(w)-1], " ")
		last := w[len(w)-1]
		var out jobtrends.Location
		switch {
		case len(last) == 2 && hnStateCodesRef[last]:
			out = jobtrends.Location{Region: last, Country: "US"}
		case hnCountryRef(last) != "":
			out = jobtrends.Location{Country: hnCountryRef(last)}
		default:
			return jobtrends.Location{}, false
		}
		if !hnIsNameLikeRef(head) {
			return jobtrends.Location{}, false
		}
		if hl, ok := hnPlacesRef()[strings.ToLower(head)]; ok && hl.city != "" {
			out.City = hl.city
		}
		return out, true
	}
	return jobtrends.Location{}, false
}

var hnCountryCodesRef = map[string]string{
	"US": "US", "USA": "US", "UK": "GB", "GB": "GB", "DE": "DE", "FR": "FR", "NL": "NL",
	"ES": "ES", "PT": "PT", "IE": "IE", "SE": "SE", "NO": "NO", "DK": "DK", "FI": "FI",
	"CH": "CH", "AT": "AT", "BE": "BE", "PL": "PL", "CZ": "CZ", "JP": "JP", "SG": "SG",
	"AU": "AU", "NZ": "NZ", "BR": "BR", "MX": "MX", "IL": "IL", "UAE": "AE", "KSA": "SA",
}

func hnCountryRef(s string) string {
	if c, ok := hnCountryCodesRef[s]; ok {
		return c
	}
	if len(s) <= 3 {
		return ""
	}
	return exCountryCode(s)
}

var hnInPlaceReRef = regexp.MustCompile(`\b(?:in|based in|located in|offices? in|near)\s+((?:[A-Z][\p{L}.'’-]*\s?){1,4}(?:,\s*[A-Z][\p{L}.'’-]*(?:\s[A-Z][\p{L}.'’-]*)?)?)`)

func hnPlacesOnlyRef(s string) string {
	if hnLooksLikeLocationRef(s) {
		return strings.TrimSpace(s)
	}
	var keep []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if l, ok := hnLookupPlaceRef(p); ok && l != (jobtrends.Location{}) {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ", ")
}

func hnIsNameLikeRef(s string) bool {
	w := strings.Fields(s)
	if len(w) == 0 || len(w) > 4 {
		return false
	}
	for _, x := range w {
		r := []rune(x)
		if len(r) == 0 || !(r[0] >= 'A' && r[0] <= 'Z' || r[0] > 127) {
			return false
		}
	}
	return true
}

func hnLooksLikeLocationRef(s string) bool {
	_, ok := hnParseLocationRef(s)
	return ok
}

func hnParseLocationRef(s string) (jobtrends.Location, bool) {
	hnLocMuRef.Lock()
	r, ok := hnLocCacheRef[s]
	hnLocMuRef.Unlock()
	if ok {
		return r.loc, r.ok
	}
	loc, found := hnParseLocationTextRef(s)
	hnLocMuRef.Lock()
	if len(hnLocCacheRef) >= hnLocCacheMaxRef {
		clear(hnLocCacheRef)
	}

	kept := jobtrends.Location{Text: strings.Clone(loc.Text), City: strings.Clone(loc.City),
		Region: strings.Clone(loc.Region), Country: strings.Clone(loc.Country)}
	hnLocCacheRef[strings.Clone(s)] = hnLocResultRef{kept, found}
	hnLocMuRef.Unlock()
	return loc, found
}

const hnLocCacheMaxRef = 4096

type hnLocResultRef struct {
	loc jobtrends.Location
	ok  bool
}

var (
	hnLocMuRef    sync.Mutex
	hnLocCacheRef = make(map[string]hnLocResultRef, hnLocCacheMaxRef)
)

func hnParseLocationTextRef(s string) (jobtrends.Location, bool) {
	if len(s) > 160 || hnWordCountRef(s) > 20 {
		return jobtrends.Location{}, false
	}
	s = hnStripURLsRef(s)
	if s == "" || len(s) > 120 {
		return jobtrends.Location{}, false
	}
	main := strings.TrimSpace(hnParenPartReRef.ReplaceAllString(s, " "))
	var inner []string
	for _, m := range hnParenPartReRef.FindAllStringSubmatch(s, -1) {
		inner = append(inner, m[1])
	}
	if l, found, unknown := hnPlacesInRef(main); found > 0 && unknown <= found {
		if l == (jobtrends.Location{}) {
			for _, in := range inner {
				if il, f, u := hnPlacesInRef(in); f > 0 && u <= f && il != (jobtrends.Location{}) {
					return il, true
				}
			}
		}
		return l, true
	}
	if main == "" || hnRegionWordsRef[strings.ToLower(main)] {
		for _, in := range inner {
			if il, f, u := hnPlacesInRef(in); f > 0 && u <= f {
				return il, true
			}
		}
	}
	return jobtrends.Location{}, false
}

func hnPlacesInRef(s string) (first jobtrends.Location, found, unknown int) {
	have := false
	note := func(l jobtrends.Location) {
		found++
		if !have && l != (jobtrends.Location{}) {
			first, have = l, true
		}
	}
	for _, part := range hnPlaceSplitReRef.Split(s, -1) {
		if l, ok := hnLookupPlaceRef(part); ok {
			note(l)
			continue
		}
		part = strings.Trim(hnDropFillerRef(part), hnTrailingPunctRef)
		if part == "" {
			continue
		}
		if l, ok := hnLookupPlaceRef(part); ok {
			note(l)
			continue
		}
		pieces := strings.Split(part, ",")
		var ls []jobtrends.Location
		for _, p := range pieces {
			p = strings.Trim(txtOneLine(p), hnTrailingPunctRef)
			if p == "" {
				continue
			}
			l, ok := hnLookupPlaceRef(p)
			if !ok {
				ls = nil
				break
			}
			ls = append(ls, l)
		}
		if len(ls) == 0 {
			unknown++
			continue
		}
		for _, l := range ls {
			note(l)
		}
	}
	return first, found, unknown
}

func hnBuildLocationRef(texts []string) jobtrends.Location {
	texts = exUnique(texts, false)
	if len(texts) == 0 {
		return jobtrends.Location{}
	}
	var loc jobtrends.Location
	for _, t := range texts {
		l, ok := hnParseLocationRef(t)
		if !ok {
			if _, place := hnRemoteOfRef(t); place != "" {
				l, ok = hnParseLocationRef(place)
			}
		}
		if ok && l != (jobtrends.Location{}) {
			loc = l
			break
		}
	}
	loc.Text = strings.Join(texts, "; ")
	return loc
}

func scanCurrenciesRef(s string, dst []curSpan) []curSpan {
	prev := rune(0)
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !asciiStarts[c] {
			prev = rune(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		cands := currencyIndex[r]
		matched := false
		for _, t := range cands {
			if !strings.HasPrefix(s[i:], t.raw) {
				continue
			}
			if unicode.IsLetter(r) && unicode.IsLetter(prev) {
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

func ParseSalaryRef(text string) *jobtrends.Salary {
	if !strings.ContainsAny(text, "0123456789") {
		return nil
	}
	s := scrubRef(text)
	var cbuf [16]curSpan
	curs := scanCurrenciesRef(s, cbuf[:0])
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

func scrubRef(s string) string {
	s = stripURLs(s)
	if strings.Contains(s, "@") {
		s = emailRe.ReplaceAllString(s, " ")
	}
	if strings.Contains(s, "${") {
		s = placeholderRe.ReplaceAllString(s, " ")
	}
	if mayHavePhone(s) {
		s = phoneRe.ReplaceAllString(s, " ")
	}
	return s
}
