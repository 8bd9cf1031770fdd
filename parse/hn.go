package parse

import (
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/jobtrends/jobtrends"
)

// HNThread reads a Hacker News "Ask HN: Who is hiring?" item page. Every
// top-level comment (indent 0) with text is one posting; replies are not.
// It reads every markup generation HN has served: comment rows found by
// their td.default cell with a span.comhead (2012 tables without classes,
// tr.athing.comtr rows, collapsed "coll" rows), the text in span.c00,
// span.commtext or div.commtext (or span.comment in 2012), the nesting
// from the indent attribute or, before 2021-09, the width of the spacer
// image (0, 40, 80 …).
//
// Per posting: ExternalID the comment id; URL its item page; DatePosted
// from span.age's title ("2024-03-01T17:00:12", with or without a trailing
// epoch; UTC), else from the relative age ("32 days ago") counted back from
// fetched (DateApprox), else the first day of the thread's month
// (DateApprox); Thread the month "YYYY-MM" of the story title ("Ask HN: Who
// is hiring? (March 2024)"), else of the first dated comment; Description
// the comment's plain text. Company, Title, Roles, Location, Remote,
// EmploymentType and Salary come from the comment's header line (see
// parseHNHeader); Salary is ParseSalary of the header, else of the whole
// text.
//
// Next is the a.morelink URL made absolute; ItemIDs lists every top-level
// comment id, deleted ones included. A page with comments none of which
// has a readable nesting is a *ParseError (the markup changed); a page with
// no comments at all (past the end of a thread) is an empty Result.
func HNThread(doc *goquery.Document, pageURL string, fetched time.Time) (*Result, error) {
	res := &Result{Kind: KindHN}
	page := hnScan(doc.Nodes[0])
	if page.more != nil {
		if href, ok := txtAttrOK(page.more, "href"); ok {
			res.Next = exResolveURL(pageURL, href)
		}
	}
	comments := hnComments(page.cells)
	known := 0
	for _, c := range comments {
		if c.indent >= 0 {
			known++
		}
	}
	if len(comments) > 0 && known == 0 {
		return res, &ParseError{Source: KindHN, URL: pageURL, Field: "comment indent", Err: ErrMissing}
	}
	thread, threadStart := hnThreadMonth(page.titles)
	if thread == "" {
		for _, c := range comments {
			if t, ok := hnAbsoluteAge(c.ageTitle); ok {
				thread = t.Format("2006-01")
				threadStart = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
				break
			}
		}
	}
	// The story's own age ("17 days ago"), when the page shows only
	// relative ages: a comment's date is then the thread start plus how
	// much younger than the story it is, whenever the page was saved.
	storyAge, storyAgeOK := hnRelAge(hnOneLine(hnText(page.age)))
	if !storyAgeOK {
		storyAge = -1
	}
	for _, c := range comments {
		if c.indent != 0 {
			continue
		}
		res.ItemIDs = append(res.ItemIDs, c.id)
		if c.text == nil {
			continue
		}
		text := txtFromNode(c.text, true, isHNReply)
		if hnEmpty(text) {
			continue
		}
		p := jobtrends.Posting{
			SourceType:  SourceTypeHN,
			ExternalID:  c.id,
			URL:         "https://news.ycombinator.com/item?id=" + c.id,
			Thread:      thread,
			Description: text,
			Remote:      jobtrends.RemoteUnknown,
		}
		p.DatePosted, p.DateApprox = hnDate(c, fetched, threadStart, storyAge)
		if !fetched.IsZero() {
			p.FirstSeen, p.LastSeen = fetched.UTC(), fetched.UTC()
		}
		res.Postings = append(res.Postings, p)
	}
	hnParseHeaders(res.Postings)
	return res, nil
}

// hnParseHeaders fills the fields the header line of each posting's
// description gives. A page holds hundreds of comments and reading a
// header costs more than parsing the page, so the comments are spread
// over the available cores (parseHNHeader reads only its argument and
// read-only tables); each posting is written by one goroutine, so the
// result does not depend on the order they run in.
func hnParseHeaders(ps []jobtrends.Posting) {
	fill := func(p *jobtrends.Posting) {
		h := parseHNHeader(p.Description)
		p.Company, p.Title, p.Roles = h.company, h.title, h.roles
		p.Location, p.Remote, p.EmploymentType = h.location, h.remote, h.employment
		p.Salary = h.salary
	}
	workers := min(runtime.GOMAXPROCS(0), len(ps)/8)
	if workers <= 1 {
		for i := range ps {
			fill(&ps[i])
		}
		return
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ps) {
					return
				}
				fill(&ps[i])
			}
		})
	}
	wg.Wait()
}

// hnComment is one comment row of an HN item page.
type hnComment struct {
	id       string
	indent   int        // 0 for top level; -1 when the row gives none
	ageTitle string     // span.age's title (absolute time), "" before 2021
	ageText  string     // the age as shown ("32 days ago")
	text     *html.Node // the element holding the comment text; nil when none
}

// hnPage is what HNThread reads of an item page outside the comments,
// and where the comments are: the elements the selectors of earlier
// versions found, in document order.
type hnPage struct {
	cells []*html.Node // every td.default
	more  *html.Node   // the first a.morelink; nil when none
	// titles holds the story title candidates in the order hnThreadMonth
	// tries them: every ".titleline a", "a.storylink", "a.titlelink",
	// "td.title a", then every title element.
	titles [5][]*html.Node
	age    *html.Node // the story's age: the first "table.fatitem span.age, td.subtext span.age"
}

// hnScan finds the parts of hnPage below root in one walk over the tree.
func hnScan(root *html.Node) *hnPage {
	p := &hnPage{}
	p.scan(root, false, false, false)
	return p
}

// scan adds n's descendants to p. titleline, titleCell and story tell
// whether n or an element above it is a .titleline, a td.title, a
// table.fatitem or td.subtext.
func (p *hnPage) scan(n *html.Node, titleline, titleCell, story bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			p.scan(c, titleline, titleCell, story)
			continue
		}
		switch c.Data {
		case "td":
			if hnIs(c, "", "default") {
				p.cells = append(p.cells, c)
			}
		case "a":
			if titleline {
				p.titles[0] = append(p.titles[0], c)
			}
			if hnIs(c, "", "storylink") {
				p.titles[1] = append(p.titles[1], c)
			}
			if hnIs(c, "", "titlelink") {
				p.titles[2] = append(p.titles[2], c)
			}
			if titleCell {
				p.titles[3] = append(p.titles[3], c)
			}
			if p.more == nil && hnIs(c, "", "morelink") {
				p.more = c
			}
		case "span":
			if story && p.age == nil && hnIs(c, "", "age") {
				p.age = c
			}
		case "title":
			p.titles[4] = append(p.titles[4], c)
		}
		if c.FirstChild != nil {
			p.scan(c, titleline || hnIs(c, "", "titleline"),
				titleCell || hnIs(c, "td", "title"),
				story || hnIs(c, "table", "fatitem") || hnIs(c, "td", "subtext"))
		}
	}
}

// hnDescend calls fn on every node below n in document order until fn
// returns false.
func hnDescend(n *html.Node, fn func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; {
		if !fn(c) {
			return
		}
		if c.FirstChild != nil {
			c = c.FirstChild
			continue
		}
		for c != n && c.NextSibling == nil {
			c = c.Parent
		}
		if c == n {
			return
		}
		c = c.NextSibling
	}
}

// hnIs reports whether n is an element named tag (any when "") of class
// class.
func hnIs(n *html.Node, tag, class string) bool {
	return n.Type == html.ElementNode && (tag == "" || n.Data == tag) && len(n.Attr) > 0 && txtHasClass(n, class)
}

// hnText returns the text of the text nodes below n, as they are (""
// for nil).
func hnText(n *html.Node) string {
	if n == nil {
		return ""
	}
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	hnDescend(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

var hnItemIDRe = regexp.MustCompile(`item\?id=(\d+)`)

// hnComments reads the comment rows of the td.default cells, in page
// order. A cell is a comment when it holds a span.comhead; its id is
// that of the tr.athing around it (2014 on), else the first item link
// of the head; a comment seen before is left out. Its text is the first
// .commtext inside, else div.comment, else span.comment.
func hnComments(cells []*html.Node) []hnComment {
	var out []hnComment
	seen := map[string]bool{}
	for _, td := range cells {
		var head, text, div, span *html.Node
		hnDescend(td, func(n *html.Node) bool {
			if head == nil && hnIs(n, "span", "comhead") {
				head = n
			}
			if text == nil && hnIs(n, "", "commtext") {
				text = n
			}
			if div == nil && hnIs(n, "div", "comment") {
				div = n
			}
			if span == nil && hnIs(n, "span", "comment") {
				span = n
			}
			return head == nil || text == nil
		})
		if head == nil {
			continue
		}
		c := hnComment{indent: -1}
		for row := td; row != nil; row = row.Parent {
			if hnIs(row, "tr", "athing") {
				if id := txtAttr(row, "id"); hnIsDigits(id) {
					c.id = id
				}
				break
			}
		}
		needID := c.id == ""
		var age *html.Node
		hnDescend(head, func(n *html.Node) bool {
			switch {
			case age == nil && hnIs(n, "span", "age"):
				age = n
			case needID && c.id == "" && n.Type == html.ElementNode && n.Data == "a":
				if href, ok := txtAttrOK(n, "href"); ok {
					if m := hnItemIDRe.FindStringSubmatch(href); m != nil {
						c.id = m[1]
					}
				}
			}
			return age == nil || c.id == ""
		})
		if c.id == "" || seen[c.id] {
			continue
		}
		seen[c.id] = true
		c.indent = hnIndent(td)
		if age != nil {
			c.ageTitle = strings.TrimSpace(txtAttr(age, "title"))
			c.ageText = hnOneLine(hnText(age))
		} else {
			c.ageText = hnOneLine(hnText(head))
		}
		switch {
		case text != nil:
			c.text = text
		case div != nil:
			c.text = div
		default:
			c.text = span
		}
		out = append(out, c)
	}
	return out
}

// hnIndent reads a comment's nesting from the first cell of its row: the
// indent attribute, else the spacer image width / 40; -1 when neither.
func hnIndent(td *html.Node) int {
	row := td.Parent
	if row == nil || row.Type != html.ElementNode {
		return -1
	}
	ind := row.FirstChild
	for ind.Type != html.ElementNode {
		ind = ind.NextSibling
	}
	if ind == td {
		return -1
	}
	if v, ok := txtAttrOK(ind, "indent"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			return n
		}
	}
	var img *html.Node
	hnDescend(ind, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "img" {
			img = n
		}
		return img == nil
	})
	if img == nil {
		return -1
	}
	if w, ok := txtAttrOK(img, "width"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(w)); err == nil && n >= 0 {
			return n / 40
		}
	}
	return -1
}

// isHNReply marks the reply link block that some HN generations put
// inside the comment text element.
func isHNReply(n *html.Node) bool { return txtHasClass(n, "reply") }

// hnEmpty reports a comment without text: deleted, flagged or dead.
func hnEmpty(text string) bool {
	text = strings.TrimSpace(text)
	if len(text) > len("[duplicate]")*utf8.UTFMax {
		// Lower-casing maps rune to rune: no need to copy a long text.
		return false
	}
	switch strings.ToLower(text) {
	case "", "[deleted]", "[dead]", "[flagged]", "[removed]", "[dupe]", "[duplicate]":
		return true
	}
	return false
}

func hnIsDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var hnThreadTitleRe = regexp.MustCompile(`(?i)\((January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})\)`)

// hnThreadMonth reads the thread's month from the story title: the
// first candidate of hnPage.titles that names one.
func hnThreadMonth(titles [5][]*html.Node) (string, time.Time) {
	for _, list := range titles {
		for _, n := range list {
			m := hnThreadTitleRe.FindStringSubmatch(hnText(n))
			if m == nil {
				continue
			}
			d, err := time.Parse("January 2006", strings.ToUpper(m[1][:1])+strings.ToLower(m[1][1:])+" "+m[2])
			if err == nil {
				return d.Format("2006-01"), d
			}
		}
	}
	return "", time.Time{}
}

// hnAbsoluteAge reads span.age's title: "2024-03-01T17:00:12", optionally
// followed by the epoch seconds.
func hnAbsoluteAge(title string) (time.Time, bool) {
	f := strings.Fields(title)
	if len(f) == 0 {
		return time.Time{}, false
	}
	for _, l := range []string{"2006-01-02T15:04:05", time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(l, f[0]); err == nil {
			return t.UTC(), true
		}
	}
	if len(f) > 1 {
		if n, err := strconv.ParseInt(f[1], 10, 64); err == nil && n > 0 {
			return time.Unix(n, 0).UTC(), true
		}
	}
	return time.Time{}, false
}

var (
	hnRelAgeRe = regexp.MustCompile(`(\d+)\s+(minute|hour|day|month|year)s?\s+ago`)
	hnOnDateRe = regexp.MustCompile(`\bon\s+([A-Z][a-z]{2}\s+\d{1,2},\s+\d{4})`)
)

// hnDate returns a comment's time and whether it is approximate.
// hnRelAge reads a relative age such as "17 days ago".
func hnRelAge(text string) (time.Duration, bool) {
	m := hnRelAgeRe.FindStringSubmatch(text)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	unit := map[string]time.Duration{
		"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour,
		"month": 30 * 24 * time.Hour, "year": 365 * 24 * time.Hour,
	}[m[2]]
	return time.Duration(n) * unit, true
}

// hnMaxThreadSpan is how long after its month starts a thread still gets
// new top-level comments, for the plausibility of a counted-back date.
const hnMaxThreadSpan = 62 * 24 * time.Hour

// hnDate dates a comment: its absolute age title; else "on Jan 2, 2006";
// else, from a relative age, the thread start plus how much younger than
// the story the comment is (storyAge ≥ 0), or fetched minus the age when
// that falls inside the thread's span; else the thread start. All but the
// first are approximate.
func hnDate(c hnComment, fetched, threadStart time.Time, storyAge time.Duration) (time.Time, bool) {
	if t, ok := hnAbsoluteAge(c.ageTitle); ok {
		return t, false
	}
	if m := hnOnDateRe.FindStringSubmatch(c.ageText); m != nil {
		if t, err := time.Parse("Jan 2, 2006", m[1]); err == nil {
			return t.UTC(), true
		}
	}
	if age, ok := hnRelAge(c.ageText); ok {
		switch {
		case !threadStart.IsZero() && storyAge >= 0:
			return threadStart.Add(max(storyAge-age, 0)), true
		case !fetched.IsZero():
			t := fetched.UTC().Add(-age)
			if threadStart.IsZero() {
				return t, true
			}
			if !t.Before(threadStart) && t.Sub(threadStart) <= hnMaxThreadSpan {
				return t, true
			}
		}
	}
	return threadStart, true
}

// hnHeader is what the first line of a comment says.
type hnHeader struct {
	company    string
	title      string
	roles      []string
	location   jobtrends.Location
	remote     jobtrends.Remote
	employment string
	salary     *jobtrends.Salary
}

// Segment separators of a header line, by preference, and how many a line
// needs for the separator to count.
var hnHeaderSeps = []struct {
	sep string
	min int
}{
	{"|", 1}, {"│", 1}, {"｜", 1}, {" • ", 1}, {"•", 1}, {" · ", 1}, {" ~ ", 2},
	{" -- ", 1}, {" — ", 1}, {" – ", 1}, {" - ", 1}, {" ; ", 1}, {";", 2}, {" / ", 2},
	{" I ", 2}, {" :: ", 1},
}

// parseHNHeader reads the header convention of a "Who is hiring?"
// comment: the first line is `Company | Role | Location | REMOTE | $salary
// | URL` with "|" or another separator (•, " - ", ";", " / " …). Segments
// are recognized by their shape, not their position: a URL, a salary
// (ParseSalary finds one), a remote/onsite/hybrid statement, an employment
// type, a location (known places, "City, ST", countries, "Remote (EU)"), a
// role (words such as engineer, developer, scientist, manager), which may
// list several roles split at commas, "and", "&" and "/". The company is
// the first segment that is none of these, else the name before "is
// hiring", "(" or ":" on the first line, else a "Company:" line, else the
// host of the first URL. Lines such as "Location: …", "Role: …",
// "Remote: …" anywhere in the text fill what the header left empty, and
// roles are looked for in the text ("hiring a Backend Engineer", bullet
// lines) when the header names none or only "multiple roles".
func parseHNHeader(text string) hnHeader {
	header, rest := hnHeaderLine(text)
	segs := hnSplitHeader(header)
	strong := len(segs) > 1
	if strong {
		// "Acme - Senior Engineer | …": the first segment's dash parts.
		for _, sep := range []string{" -- ", " — ", " – ", " - "} {
			if parts := hnSplitOutside(segs[0], sep); len(parts) > 1 {
				segs = append(parts, segs[1:]...)
				break
			}
		}
	} else {
		segs = hnWeakSegments(header)
	}
	c := hnSegments{remote: jobtrends.RemoteUnknown}
	for i, seg := range segs {
		c.add(seg, i == 0 && strong, strong)
	}
	kv := hnKeyValues(text)
	h := hnHeader{company: c.company(header, text, kv), roles: c.roleList(rest, text, kv), salary: c.salary}
	h.location = c.place(header, kv) // may learn the remote mode from a "Location:" line
	h.remote = c.remoteMode(text, kv)
	if len(h.roles) > 0 {
		h.title = h.roles[0]
	}
	if len(c.employment) == 0 {
		c.employment = hnEmploymentWords(kv["type"])
	}
	h.employment = exJoinEmployment(c.employment)
	if h.salary == nil {
		h.salary = ParseSalary(header)
	}
	if h.salary == nil {
		h.salary = ParseSalary(text)
	}
	return h
}

// hnSegments collects what the segments of a header line say.
type hnSegments struct {
	locTexts    []string // location segments
	remoteTexts []string // remote statements without a place ("REMOTE")
	parenLocs   []string // places in parentheses after the name ("Acme (NYC)")
	employment  []string
	companyCand []string
	roleSegs    []string
	remote      jobtrends.Remote
	salary      *jobtrends.Salary
}

// add classifies one segment. first is the first segment of a header
// with separators, strong whether the header has separators at all.
func (c *hnSegments) add(seg string, first, strong bool) {
	s := strings.TrimSpace(seg)
	if s == "" {
		return
	}
	bare := hnTrimSegment(hnStripURLs(s))
	if first {
		// A bare domain is the name ("Privacy.com | …").
		bare = hnTrimSegment(hnSchemeURLRe.ReplaceAllString(s, ""))
	}
	if bare == "" {
		if u := hnURLRe.FindString(s); first && u != "" {
			c.companyCand = append(c.companyCand, hnHostName(u))
		}
		return
	}
	r, place := hnRemoteOf(bare)
	if r != jobtrends.RemoteUnknown {
		c.remote = hnMergeRemote(c.remote, r)
	}
	kind := hnClassifySegment(bare, place, r != jobtrends.RemoteUnknown, first)
	if kind == hnSegRole && (hnWordCount(bare) > 12 || (!strong && !hnLooksLikeTitle(bare))) {
		kind = hnSegOther // prose: roles are looked for in the text
	}
	if kind == hnSegCompany || first {
		// "Apigee (Palo Alto, REMOTE, H1B)", "Moveline (NYC)".
		for _, m := range hnParenPartRe.FindAllStringSubmatch(bare, -1) {
			if l := hnPlacesOnly(m[1]); l != "" {
				c.parenLocs = append(c.parenLocs, l)
			}
		}
	}
	if kind == hnSegRole {
		// "Smart Contract Engineer" is no contract: only a note in
		// parentheses says the employment type of a role.
		for _, m := range hnParenRe.FindAllString(bare, -1) {
			c.employment = append(c.employment, hnEmploymentWords(m)...)
		}
	} else {
		c.employment = append(c.employment, hnEmploymentWords(bare)...)
	}
	switch kind {
	case hnSegSalary:
		if c.salary == nil {
			c.salary = ParseSalary(bare)
		}
	case hnSegLocation:
		c.locTexts = append(c.locTexts, bare)
	case hnSegRemote:
		if place != "" && hnLooksLikeLocation(place) {
			c.locTexts = append(c.locTexts, bare)
		} else if r == jobtrends.RemoteFull && hnWordCount(bare) <= 8 {
			c.remoteTexts = append(c.remoteTexts, bare)
		}
	case hnSegRole:
		c.roleSegs = append(c.roleSegs, bare)
	case hnSegCompany:
		if strong {
			c.companyCand = append(c.companyCand, bare)
		}
	}
}

// company is the first company-like segment, else a name found in the
// text.
func (c *hnSegments) company(header, text string, kv map[string]string) string {
	for _, cand := range c.companyCand {
		if name := hnCleanCompany(cand); name != "" {
			return name
		}
	}
	return hnCompanyFromText(header, text, kv)
}

// roleList splits the role segments into roles ("multiple roles" is
// none), else looks for roles in the text.
func (c *hnSegments) roleList(rest, text string, kv map[string]string) []string {
	var roles []string
	for _, rs := range c.roleSegs {
		if hnGenericRolesRe.MatchString(rs) && !hnHasRoleNoun(hnGenericRolesRe.ReplaceAllString(rs, "")) {
			continue
		}
		roles = append(roles, hnSplitRoles(rs)...)
	}
	if len(roles) == 0 {
		roles = hnRolesFromText(rest, text, kv)
	}
	return exUnique(roles, false)
}

// place builds the Location from, in order: the location segments, a
// "Location:" line, a place in parentheses after the name, "in <place>"
// on the header line, a remote statement without a place ("REMOTE": where
// the page says the job is, though it names no place).
func (c *hnSegments) place(header string, kv map[string]string) jobtrends.Location {
	texts := c.locTexts
	if len(texts) == 0 && kv["location"] != "" {
		texts = []string{kv["location"]}
		if r, _ := hnRemoteOf(kv["location"]); r != jobtrends.RemoteUnknown {
			c.remote = hnMergeRemote(c.remote, r)
		}
	}
	if len(texts) == 0 && len(c.parenLocs) > 0 {
		texts = c.parenLocs[:1]
	}
	if len(texts) == 0 {
		// "Damballa is hiring in Atlanta, GA or possibly remote".
		for _, m := range hnInPlaceRe.FindAllStringSubmatch(header, 3) {
			if p := strings.TrimSpace(m[1]); hnLooksLikeLocation(p) {
				texts = []string{p}
				break
			}
		}
	}
	if len(texts) == 0 && len(c.remoteTexts) > 0 {
		texts = c.remoteTexts[:1]
	}
	return hnBuildLocation(texts)
}

// remoteMode is what the header said, else a "Remote:" line, else a
// remote statement in the text.
func (c *hnSegments) remoteMode(text string, kv map[string]string) jobtrends.Remote {
	if c.remote != jobtrends.RemoteUnknown {
		return c.remote
	}
	if v, ok := kv["remote"]; ok {
		if r := hnRemoteAnswer(v); r != jobtrends.RemoteUnknown {
			return r
		}
	}
	return hnRemoteInText(text)
}

// hnHeaderLine returns the header line of a comment and the text after it.
// A short first line without separators followed by a line with them
// ("Acme\nBerlin | Engineer | …") is joined to it.
func hnHeaderLine(text string) (string, string) {
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
	// "Acme (YC W10)" alone, then "San Francisco, CA | Full time | …"
	// or "Madison, WI - Full time, (REMOTE possibly)" as the next line.
	if len(hnSplitHeader(header)) < 2 && hnWordCount(header) <= 5 {
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) {
			next := strings.TrimSpace(lines[j])
			segs := hnSplitHeader(next)
			if len(segs) >= 3 || (hnWordCount(next) <= 12 && (len(segs) >= 2 || hnLooksLikeLocation(hnTrimSegment(segs[0])))) {
				header = header + " | " + strings.Join(segs, " | ")
				restStart = j + 1
			}
		}
	}
	return header, strings.Join(lines[min(restStart, len(lines)):], "\n")
}

// hnSplitHeader splits a header line at its separator, not inside
// parentheses; one segment when it has none.
func hnSplitHeader(line string) []string {
	for _, s := range hnHeaderSeps {
		if strings.Count(line, s.sep) < s.min {
			continue // cheap test first: most separators are absent
		}
		if parts := hnSplitOutside(line, s.sep); len(parts)-1 >= s.min {
			return parts
		}
	}
	return []string{line}
}

// hnWeakSegments splits a header without separators into sentences and
// comma parts, to find a location, remote or employment statement in
// lines such as "San Francisco, CA. Full time. Remote is fine too."
func hnWeakSegments(line string) []string {
	return hnSentenceSplitRe.Split(line, -1)
}

var (
	hnSentenceSplitRe = regexp.MustCompile(`\.\s+|\s+\(|\)\s*`)
	hnEmptyParenRe    = regexp.MustCompile(`\(\s*\)|\[\s*\]`)
	hnOrSlashRe       = regexp.MustCompile(`(?i)\bor\b|/`)
)

// hnSplitOutside splits s at sep where sep is not inside (), [] or {}.
func hnSplitOutside(s, sep string) []string {
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

var hnURLRe = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s()<>|]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|io|ai|co|org|net|dev|app|tech|xyz|so|me|us|uk|de|fr|ca|jobs|careers|health|bio|gg|sh|tv|fm|eu|nl|se|ch|ly|to|vc|cloud|inc|works|systems|finance|studio|team|work|world)(?:/[^\s()<>|]*)?`)

// hnStripURLs removes URLs and the empty parentheses they leave.
func hnStripURLs(s string) string {
	if !strings.Contains(s, ".") {
		return hnOneLine(s) // every URL the pattern knows has a dot
	}
	s = hnRemoveURLs(s)
	if strings.ContainsAny(s, "([") && strings.ContainsAny(s, ")]") {
		s = hnEmptyParenRe.ReplaceAllString(s, "")
	}
	return hnOneLine(s)
}

// hnRemoveURLs is hnURLRe.ReplaceAllString(s, "") run only on the words
// that can hold a URL. A match of hnURLRe never holds white space (\s)
// and always holds a '.' or a ':', so running it on each white-space
// delimited word with one of them finds the same matches (TestStripURLs
// compares both on every real text).
func hnRemoveURLs(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is settled (written to b once b is used)
	for i := 0; i < len(s); {
		for i < len(s) && hnIsSpaceByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !hnIsSpaceByte(s[j]) {
			j++
		}
		if w := s[i:j]; hnMayHoldURL(w) {
			if r := hnURLRe.ReplaceAllString(w, ""); r != w {
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

// hnIsSpaceByte reports whether \s matches c.
func hnIsSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// hnHostName returns the host of a URL without "www.".
func hnHostName(raw string) string {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// Segment kinds.
const (
	hnSegCompany = iota + 1
	hnSegSalary
	hnSegRemote
	hnSegLocation
	hnSegRole
	hnSegEmployment
	hnSegOther
)

var (
	hnGenericRolesRe   = hnMustRe(`(?i)\b(?:multiple|various|several|many|all|numerous|open|lots of|\d+)\b.*\b(?:roles|positions|openings|jobs|opportunities|hires|engineers|engineering roles)\b|^(?:hiring|we'?re hiring|now hiring|engineering|engineers|many|multiple|various)$`, true, "roles", "positions", "openings", "jobs", "opportunities", "hires", "engineer", "hiring", "many", "multiple", "various")
	hnOtherRe          = hnMustRe(`(?i)\b(?:visas?|h-?1b|h1-?b|relocation|relo|sponsorship|sponsor|equity|benefits|stock|options|citizenship|citizens?|clearance|required|funding|funded|series [a-e]|seed|yc [wsf]\d+|b2b|b2c|saas|startup|asynchronous|async)\b`, true, "visa", "h1b", "h-1b", "h1-b", "relo", "sponsor", "equity", "benefits", "stock", "options", "citizen", "clearance", "required", "fund", "series ", "seed", "yc ", "b2b", "b2c", "saas", "startup", "async")
	hnCompanySuffixRe  = regexp.MustCompile(`(?i)\b(?:inc|llc|ltd|limited|gmbh|corp|corporation|co|company|labs?|technologies|technology|group|university|institute|foundation|ag|sa|s\.a|bv|b\.v|plc|oy|ab|as|pty|holdings|studios?|systems|software|ventures|capital|partners)\.?$`)
	hnSchemeURLRe      = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s()<>|]+`)
	hnRemoteLeadRe     = regexp.MustCompile(`(?i)^\W*(?:fully |100% |partially |currently |temporarily )?(?:remote|onsite|on-site|on site|hybrid|in[- ]office|wfh)\b`)
	hnLeadingTitleWord = regexp.MustCompile(`(?i)^(?:senior|sr\.?|junior|jr\.?|staff|principal|lead|head|chief|software|data|machine|ml|ai|backend|back-end|frontend|front-end|full|full-stack|fullstack|product|platform|infrastructure|security|mobile|web|cloud|research|applied|founding|technical|tech|devops|qa|ux|ui|embedded|systems?|engineering|engineers?|developers?)$`)
)

// hnClassifySegment says what one header segment is. place is what is
// left of a remote statement once its remote words are removed ("Remote
// (EU)" → "EU").
func hnClassifySegment(s, place string, hasRemote, first bool) int {
	role := hnHasRoleNoun(s)
	loc := hnLooksLikeLocation(s)
	emp := len(hnEmploymentWords(s)) > 0 && hnIsEmploymentOnly(s)
	remoteLead := hasRemote && hnRemoteLeadRe.MatchString(s)
	switch {
	case strings.ContainsAny(s, "0123456789") && !role && !loc && ParseSalary(s) != nil:
		return hnSegSalary
	case emp:
		return hnSegEmployment
	case first && hnCompanySuffixRe.MatchString(strings.TrimRight(s, ".")):
		return hnSegCompany
	case hasRemote && (remoteLead || !role) && (place == "" || hnLooksLikeLocation(place) || loc || len(strings.Fields(place)) <= 4):
		if loc && (place == "" || !hnLooksLikeLocation(place)) && !remoteLead {
			return hnSegLocation
		}
		return hnSegRemote
	case first && !loc:
		// The first segment names the company unless it is plainly a role
		// ("Senior Engineer | Acme | …").
		if role && hnLooksLikeTitle(s) {
			return hnSegRole
		}
		return hnSegCompany
	case loc && !role:
		return hnSegLocation
	case role && (hnLooksLikeTitle(s) || !hnOtherRe.MatchString(s)):
		return hnSegRole
	case hnOtherRe.MatchString(s) || hnGenericRolesRe.MatchString(s):
		if hnGenericRolesRe.MatchString(s) {
			return hnSegRole
		}
		return hnSegOther
	case role:
		return hnSegRole
	case hasRemote:
		return hnSegRemote
	}
	return hnSegCompany
}

// hnLooksLikeTitle reports a segment that reads as a job title: short and
// starting with a seniority or discipline word ("Senior Backend
// Engineer"), not a name that contains a role word ("Acme Engineering").
func hnLooksLikeTitle(s string) bool {
	w := strings.Fields(s)
	if len(w) == 0 || len(w) > 8 {
		return false
	}
	return hnLeadingTitleWord.MatchString(strings.Trim(w[0], ",/()")) || hnRoleWords[strings.ToLower(strings.Trim(w[0], ",/()"))]
}

// hnCut returns an index at most n into s that does not split a rune.
func hnCut(s string, n int) int {
	if len(s) <= n {
		return len(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// hnWordCount counts the words of s (runs of letters or digits).
// (The runs of letters and digits that `[\p{L}\p{N}]+` finds: see
// TestHNWordCount.)
func hnWordCount(s string) int {
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

// hnHasRoleNoun reports whether s contains a role word.
func hnHasRoleNoun(s string) bool {
	if strings.Contains(s, "://") || strings.Contains(s, "www.") {
		s = hnStripURLs(s)
	}
	prev := ""
	found := false
	hnEachWord(s, func(w string) bool {
		if hnRoleWords[w] || hnRolePairs[prev+" "+w] {
			found = true
			return false
		}
		prev = w
		return true
	})
	return found
}

// hnEachWord calls fn with each lower-case word of s (runs of letters and
// digits; a word with a dot inside, such as a domain "jam.dev", is one
// word) until fn returns false.
func hnEachWord(s string, fn func(string) bool) {
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

// hnRoleWords are the words that make a segment a role; hnRolePairs the
// two-word ones.
var (
	hnRoleWords = hnWordSet(`engineer engineers engineering eng developer developers dev devs
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
	hnRolePairs = hnWordSet(`head_of vice_president product_owner product_owners customer_success
		full_stack front_end back_end`)
)

// hnWordSet makes a set of the space-separated words of list ("_" in a
// word stands for a space).
func hnWordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[strings.ReplaceAll(w, "_", " ")] = true
	}
	return m
}

// hnTrimSegment trims white space and separator punctuation from a
// segment, and brackets only when unbalanced ("REMOTE (USA only)" keeps
// its parenthesis, "(REMOTE)" loses both).
func hnTrimSegment(s string) string {
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

var hnEmploymentRe = hnMustRe(`(?i)\b(full[- ]?time|part[- ]?time|contract(?:or|ors|ing)?|freelance(?:rs?)?|intern(?:ship)?s?|permanent|temporary|fte|f/t|p/t)\b`, true, "time", "contract", "freelance", "intern", "permanent", "temporary", "fte", "f/t", "p/t")

// hnEmploymentWords returns the employment types named in s.
func hnEmploymentWords(s string) []string {
	var out []string
	for _, m := range hnEmploymentRe.FindAllString(s, -1) {
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

var hnEmploymentFillerRe = regexp.MustCompile(`(?i)\b(?:or|and|&|/|,|only|positions?|roles?|jobs?|perm|w2|1099|employee|employees|available|possible|ok|options?|preferred|co-?ops?|flexible|salaried|hourly|\+)\b|[,/&+()]`)

// hnIsEmploymentOnly reports a segment that says nothing but employment
// types ("Full-time", "FULL-TIME or CONTRACT", "Full time, Intern").
func hnIsEmploymentOnly(s string) bool {
	rest := hnEmploymentRe.ReplaceAllString(s, "")
	rest = hnEmploymentFillerRe.ReplaceAllString(rest, "")
	return strings.TrimSpace(rest) == ""
}

var (
	hnRemoteRe     = hnMustRe(`(?i)\b(?:remote|wfh|work from home|distributed team|fully distributed|anywhere|telecommute)\b`, true, "remote", "wfh", "work from home", "distributed team", "fully distributed", "anywhere", "telecommute")
	hnNoRemoteRe   = hnMustRe(`(?i)\b(?:no|not|non)[- ]remote\b|\bremote\s*:\s*no\b`, true, "remote")
	hnOnsiteRe     = hnMustRe(`(?i)\b(?:on[- ]?site|in[- ]office|in[- ]person|office[- ]based|on[- ]prem)\b`, true, "site", "office", "person", "prem")
	hnHybridRe     = hnMustRe(`(?i)\bhybrid\b`, true, "hybrid")
	hnRemoteWordRe = regexp.MustCompile(`(?i)\b(?:fully|full|100%|partially|partly|temporarily|currently|possible|ok|okay|friendly|first|only|allowed|available|welcome|considered|preferred|optional|within|from|the|remote|wfh|work from home|telecommute|on[- ]?site|in[- ]office|in[- ]person|hybrid|is|fine|too|also|with|some|travel|based|timezones?|time zones?|tz|hours?|overlap|days?|week|per|a|\+/-|\d+|in)\b|[()\[\]:%]|^\W*(?:or|and)\b|\b(?:or|and)\W*$`)
)

// hnRemoteOf says whether s states remote, hybrid or on-site work, and
// returns the place it names ("Remote (US only)" → "US only").
func hnRemoteOf(s string) (jobtrends.Remote, string) {
	if len(s) > hnRemoteMemoLen {
		return hnRemoteOfText(s)
	}
	v := hnRemoteMemo.do(s, func() hnRemoteResult {
		r, place := hnRemoteOfText(s)
		return hnRemoteResult{r, strings.Clone(place)}
	})
	return v.remote, v.place
}

// hnRemoteMemo memoizes hnRemoteOf of the texts up to hnRemoteMemoLen
// bytes: segments such as "REMOTE", "Onsite" or "Remote (US)" repeat from
// comment to comment.
var hnRemoteMemo = newHNMemo[hnRemoteResult](4096)

const hnRemoteMemoLen = 120

type hnRemoteResult struct {
	remote jobtrends.Remote
	place  string
}

// hnRemoteOfText is hnRemoteOf without the memo.
func hnRemoteOfText(s string) (jobtrends.Remote, string) {
	r := jobtrends.RemoteUnknown
	switch {
	case hnNoRemoteRe.MatchString(s):
		r = jobtrends.RemoteOnsite
	case hnRemoteRe.MatchString(s):
		r = jobtrends.RemoteFull
	case hnHybridRe.MatchString(s):
		r = jobtrends.RemoteHybrid
	case hnOnsiteRe.MatchString(s):
		r = jobtrends.RemoteOnsite
	}
	if r == jobtrends.RemoteUnknown {
		return r, ""
	}
	if r == jobtrends.RemoteFull && hnHybridRe.MatchString(s) && !hnOrSlashRe.MatchString(s) {
		r = jobtrends.RemoteHybrid
	}
	place := hnOneLine(hnRemoteWordRe.ReplaceAllString(s, " "))
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

// hnMergeRemote combines two statements: remote allowed wins over hybrid,
// hybrid over on-site.
func hnMergeRemote(a, b jobtrends.Remote) jobtrends.Remote {
	rank := map[jobtrends.Remote]int{jobtrends.RemoteUnknown: 0, jobtrends.RemoteOnsite: 1, jobtrends.RemoteHybrid: 2, jobtrends.RemoteFull: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// hnRemoteAnswer reads the value of a "Remote:" line.
func hnRemoteAnswer(v string) jobtrends.Remote {
	l := strings.ToLower(strings.TrimSpace(v))
	switch {
	case strings.HasPrefix(l, "no"):
		return jobtrends.RemoteOnsite
	case hnHybridRe.MatchString(l) || strings.HasPrefix(l, "partial"):
		return jobtrends.RemoteHybrid
	case strings.HasPrefix(l, "yes") || strings.HasPrefix(l, "ok") || strings.HasPrefix(l, "full") || hnRemoteRe.MatchString(l):
		return jobtrends.RemoteFull
	}
	return jobtrends.RemoteUnknown
}

var (
	// Matched on the lower-cased text (a case-insensitive pattern is
	// several times slower), and the capitalized keywords on the text.
	hnRemoteTextRe = hnMustStartRe(`fully remote|100% remote|remote[- ]first|remote[- ]friendly|remote (?:work )?(?:is )?(?:ok|okay|fine|possible|welcome|considered|allowed)|remote only|work remotely|remote position|remote role|remote candidates|remote employees|remote team|distributed team|on[- ]?site only|in[- ]office|hybrid`, `^(?:fully remote|100% remote|remote[- ]first|remote[- ]friendly|remote (?:work )?(?:is )?(?:ok|okay|fine|possible|welcome|considered|allowed)|remote only|work remotely|remote position|remote role|remote candidates|remote employees|remote team|distributed team|on[- ]?site only|in[- ]office|hybrid)`, false, false,
		"fully remote", "100% remote", "remote", "work remotely", "distributed team", "on-site only", "onsite only", "on site only", "in-office", "in office", "hybrid")
	hnRemoteCapsRe = hnMustRe(`\b(?:REMOTE|ONSITE|ON-SITE)\b`, false, "REMOTE", "ONSITE", "ON-SITE")
	hnNegationRe   = regexp.MustCompile(`(?i)\b(?:no|not|non|never|isn't|is not|unable to)\W+(?:\w+\W+)?$`)
)

// hnRemoteInText looks for a remote statement in the body when the header
// has none: phrases such as "remote is fine", "fully remote", "hybrid",
// the capitalized keywords REMOTE and ONSITE; "no remote" is on-site.
func hnRemoteInText(text string) jobtrends.Remote {
	text = text[:hnCut(text, 6000)]
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		lower = text // a rune changed length: keep offsets right
	}
	m := hnRemoteTextRe.FindStringIndex(lower)
	if c := hnRemoteCapsRe.FindStringIndex(text); c != nil && (m == nil || c[0] < m[0]) {
		m = c
	}
	if m == nil {
		return jobtrends.RemoteUnknown
	}
	r, _ := hnRemoteOf(text[m[0]:m[1]])
	if r == jobtrends.RemoteFull && hnNegationRe.MatchString(text[max(0, m[0]-20):m[0]]) {
		return jobtrends.RemoteOnsite
	}
	return r
}

var (
	hnKVRe = regexp.MustCompile(`(?im)^\s*[-*•]?\s*(location|locations|where|office|offices|remote|role|roles|position|positions|title|job title|company|type|employment|employment type|job type)\s*:\s*(.+)$`)
	// hnKVKeys: one of them is before the colon of every line hnKVRe matches.
	hnKVKeys        = hnMustRe(`(?i)location|where|office|remote|role|position|title|company|type|employment`, true, "location", "where", "office", "remote", "role", "position", "title", "company", "type", "employment")
	hnKVRoleKeys    = map[string]bool{"role": true, "roles": true, "position": true, "positions": true, "title": true, "job title": true}
	hnKVLocKeys     = map[string]bool{"location": true, "locations": true, "where": true, "office": true, "offices": true}
	hnKVTypeKeys    = map[string]bool{"type": true, "employment": true, "employment type": true, "job type": true}
	hnKVCompanyKeys = map[string]bool{"company": true}
)

// hnKeyValues returns the first "Key: value" line per key group: "location",
// "remote", "role", "company", "type".
func hnKeyValues(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		colon := strings.IndexByte(line, ':')
		if colon < 0 || colon > 40 {
			continue
		}
		if !hnKVKeys.may(line[:colon]) {
			continue // no key before the colon
		}
		m := hnKVRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		k, v := strings.ToLower(m[1]), strings.TrimSpace(m[2])
		switch {
		case hnKVLocKeys[k]:
			k = "location"
		case hnKVRoleKeys[k]:
			k = "role"
		case hnKVTypeKeys[k]:
			k = "type"
		case hnKVCompanyKeys[k]:
			k = "company"
		}
		if _, ok := out[k]; !ok && v != "" {
			out[k] = v
		}
	}
	return out
}

var (
	hnParenRe        = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]`)
	hnHiringPrefixRe = regexp.MustCompile(`(?i)^(?:\[?hiring\]?\s*[:\-–—]?\s*|we'?re hiring\s*[:\-–—]?\s*|company\s*:\s*)`)
	hnNameCutRe      = regexp.MustCompile(`(?i)\s+(?:is|are)\s+(?:hiring|looking|seeking|a|an|the|building|growing|recruiting|searching|expanding|on a mission)\b.*$|\s+(?:\(|–|—|-{1,2}|:)\s*.*$`)
	hnNameStartRe    = regexp.MustCompile(`^\s*(?:At\s+|Join\s+)?([A-Z0-9@][\w.&'’+!@-]*(?:\s+(?:[A-Z0-9&][\w.&'’+!-]*|of|de|and|for|the|la|du|von|van)){0,4})\s*(?:\(|,|:|\||–|—|-|\bis\b|\bare\b|\bin\b|\bhiring\b|\bseeks?\b|\bwants?\b|\blooking\b|\bhas\b|\bwe\b|\bbuilds?\b|\bmakes?\b|\bhelps?\b|\bprovides?\b)`)
	hnIsARe          = regexp.MustCompile(`(?m)(?:^|[.!?]\s+)(?:At\s+)?([A-Z0-9][\w.&'’+-]*(?:\s+[A-Z0-9&][\w.&'’+-]*){0,3})\s+(?:\(\S[^)]*\)\s+)?(?:is|are)\s+(?:a|an|the|hiring|looking|building|seeking|growing|on a mission)\b`)
	hnCompanyStopRe  = regexp.MustCompile(`(?i)^(?:we|we're|our|i|i'm|i am|my|the|this|it|hi|hello|hey|hiring|join|looking|company|location|remote|onsite|full|full-time|us|usa|eu|uk|sf|nyc|who|what|seeking|please|note|about|apply|ask hn)$`)
	hnTrailingPunct  = " \t.,;:!|-–—*/\\\"'“”‘’"
)

// hnCleanCompany tidies a company segment: no URLs, parenthesized notes
// ("(YC W20)", "(https://…)"), "Hiring:" prefixes or trailing punctuation.
// A segment too long to be a name ("We are a small team building …") is
// cut at "is hiring"/"(" or dropped.
func hnCleanCompany(s string) string {
	s = hnHiringPrefixRe.ReplaceAllString(strings.TrimSpace(s), "")
	s = hnOneLine(hnEmptyParenRe.ReplaceAllString(hnSchemeURLRe.ReplaceAllString(s, ""), ""))
	for {
		t := hnParenRe.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	s = strings.Trim(hnOneLine(s), hnTrailingPunct)
	if len(strings.Fields(s)) > 6 || len(s) > 60 {
		s = strings.Trim(hnNameCutRe.ReplaceAllString(s, ""), hnTrailingPunct)
		if len(strings.Fields(s)) > 6 || len(s) > 60 {
			return ""
		}
	}
	// "Cielo24, Santa Barbara, California": the name before the place.
	if name, place, ok := strings.Cut(s, ", "); ok && name != "" && hnLooksLikeLocation(place) {
		s = name
	}
	if hnCompanyStopRe.MatchString(s) || hnLooksLikeLocation(s) || !hnHasLetter(s) {
		return ""
	}
	return s
}

// hnHasLetter reports whether s has a letter.
func hnHasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// hnCompanyFromText finds a company name when the header has no company
// segment: "Acme (https://…) in Berlin", "Acme is hiring …", a "Company:"
// line, "Acme is a …" anywhere, the host of the first URL, else the first
// words of the header.
func hnCompanyFromText(header, text string, kv map[string]string) string {
	// A header that is only a short name ("Mapquest.com", "ClassDojo").
	if h := hnTrimSegment(header); hnWordCount(h) <= 4 && !strings.ContainsAny(h, ",:;!?") {
		if c := hnCleanCompany(h); c != "" && !hnHasRoleNoun(c) && !hnRemoteRe.MatchString(c) {
			return c
		}
	}
	if m := hnNameStartRe.FindStringSubmatch(header); m != nil {
		if c := hnCleanCompany(m[1]); c != "" && !hnHasRoleNoun(c) {
			return c
		}
	}
	if v := kv["company"]; v != "" {
		if c := hnCleanCompany(v); c != "" {
			return c
		}
	}
	for _, m := range hnIsARe.FindAllStringSubmatch(text, 5) {
		if c := hnCleanCompany(m[1]); c != "" && !hnHasRoleNoun(c) {
			return c
		}
	}
	for _, line := range strings.SplitN(text, "\n", 4) {
		if u := hnURLRe.FindString(line); u != "" {
			if h := hnHostName(u); h != "" && h != "news.ycombinator.com" {
				return h
			}
		}
	}
	// Last resort: the first words of the header, up to punctuation.
	s := strings.TrimSpace(hnStripURLs(header))
	if i := strings.IndexAny(s, ".,;:|()!?"); i > 0 {
		s = s[:i]
	}
	w := strings.Fields(s)
	if len(w) > 5 {
		w = w[:5]
	}
	return strings.Trim(strings.Join(w, " "), hnTrailingPunct)
}

var hnRoleSplitRe = regexp.MustCompile(`\s*(?:,|;|\band\b|&|\bor\b|\s/\s|/|\+)\s*`)

// hnSplitRoles splits a segment listing roles ("Backend, Frontend and ML
// Engineers", "Web lead / Full stack JS Engineer") into roles. A piece
// without a role word is joined to the next ("Senior/Staff Engineer",
// "AI/ML Engineer" stay whole).
func hnSplitRoles(s string) []string {
	s = strings.TrimSpace(s)
	var pieces, seps []string
	start := 0
	for _, m := range hnRoleSplitRe.FindAllStringIndex(s, -1) {
		if m[0] < start || hnParenDepth(s[:m[0]]) > 0 {
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
		if p == "" || hnRoleFillerRe.MatchString(p) {
			continue
		}
		if i < len(pieces)-1 && (!hnHasRoleNoun(p) || len(strings.Fields(p)) == 1) {
			pending = p + seps[i]
			continue
		}
		if r := hnCleanRole(p); r != "" {
			roles = append(roles, r)
		}
	}
	if r := hnCleanRole(pending); r != "" {
		roles = append(roles, r)
	}
	return roles
}

var hnRoleFillerRe = regexp.MustCompile(`(?i)^(?:more|others?|etc\.?|and more|many more|\.\.\.|…)$`)

// hnParenDepth returns how many brackets are open at the end of s.
func hnParenDepth(s string) int {
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

// hnCleanRole trims a role.
func hnCleanRole(s string) string {
	s = hnTrimSegment(strings.Trim(hnOneLine(s), hnTrailingPunct))
	if len(s) > 100 || len(strings.Fields(s)) > 8 {
		return ""
	}
	return s
}

var (
	hnHiringRoleRe = hnMustStartRe(`(?i)\b(?:hiring|looking for|seeking|searching for|recruiting)\s+`, `^(?i)(?:hiring|looking for|seeking|searching for|recruiting)\s+`, true, true,
		"hiring", "looking for", "seeking", "searching for", "recruiting")
	hnBulletRoleRe = regexp.MustCompile(`^\s*(?:[-*•▹►▸◦‣→·]|\d+[.)])\s*(.{3,80})$`)
)

// hnRolesFromText finds roles in the body: a "Role:" line, "hiring a Backend
// Engineer", or short bullet lines that name a role.
func hnRolesFromText(rest, text string, kv map[string]string) []string {
	if v := kv["role"]; v != "" {
		if r := hnSplitRoles(hnStripURLs(v)); len(r) > 0 {
			return r
		}
	}
	var roles []string
	bullets := 0
	for _, line := range strings.Split(rest[:hnCut(rest, 6000)], "\n") {
		m := hnBulletRoleRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if bullets++; bullets > 20 {
			break
		}
		b := hnTrimSegment(hnSplitHeader(strings.TrimSpace(hnStripURLs(m[1])))[0])
		if b != "" && len(strings.Fields(b)) <= 7 && hnRoleNounStrictRe.MatchString(b) && !strings.HasSuffix(b, ".") {
			roles = append(roles, hnCleanRole(b))
		}
	}
	if len(roles) > 0 {
		return roles
	}
	// A short line near the top that lists roles: "Django Developer,
	// Python Developer", "CircleCI: designers, frontend, backend engineers."
	seen := 0
	for _, line := range strings.Split(rest, "\n") {
		line = strings.TrimSpace(hnStripURLs(line))
		if line == "" {
			continue
		}
		if seen++; seen > 6 {
			break
		}
		if _, after, ok := strings.Cut(line, ": "); ok && hnWordCount(line[:len(line)-len(after)]) <= 3 {
			line = after
		}
		line = hnTrimSegment(hnSplitHeader(line)[0]) // "Full Stack Developer | London | Onsite"
		line = strings.TrimSuffix(line, ".")
		if hnWordCount(line) <= 10 && !strings.ContainsAny(line, ".!?") && hnRoleNounStrictRe.MatchString(line) {
			if r := hnSplitRoles(line); len(r) > 0 {
				return r
			}
		}
	}
	// "looking for a Backend Engineer": up to six words after the verb,
	// ending at the first strict role word.
	for _, m := range hnHiringRoleRe.FindAllStringIndex(text, 10) {
		words := strings.Fields(text[m[1]:min(len(text), m[1]+120)])
		for i, w := range words {
			if i >= 6 || strings.ContainsAny(w, ".,;:!?()") && !hnRoleNounStrictRe.MatchString(w) {
				break
			}
			if hnRoleNounStrictRe.MatchString(w) {
				// "a Lead Developer": the role runs on over role words.
				for i+1 < len(words) && i < 7 && !strings.ContainsAny(words[i], ".,;:!?()") && hnHasRoleNoun(words[i+1]) {
					i++
				}
				start := 0
				for start < i && hnArticleRe.MatchString(words[start]) {
					start++
				}
				if r := hnCleanRole(strings.Join(words[start:i+1], " ")); r != "" {
					return []string{r}
				}
				break
			}
		}
	}
	return nil
}

var hnArticleRe = regexp.MustCompile(`(?i)^(?:a|an|one|two|three|several|multiple|more|our|first|few|\d+|for|the)$`)

var hnRoleNounStrictRe = regexp.MustCompile(`(?i)\b(?:engineers?|developers?|scientists?|designers?|managers?|architects?|analysts?|researchers?|devops|sres?|programmers?|lead|head of|director|intern)\b`)

// Places. Cities map to their country (ISO alpha-2; "" when the name is
// ambiguous), US states and Canadian provinces to their codes.
const hnCityTable = `San Francisco:US|SF:US|Bay Area:US|SF Bay Area:US|San Francisco Bay Area:US|Silicon Valley:US|New York:US|New York City:US|NYC:US|Brooklyn:US|Manhattan:US|Boston:US|Seattle:US|Los Angeles:US|LA:US|Austin:US|Chicago:US|Denver:US|Boulder:US|Portland:US|San Diego:US|San Jose:US|Palo Alto:US|Mountain View:US|Menlo Park:US|Sunnyvale:US|Redwood City:US|Oakland:US|Berkeley:US|Santa Monica:US|Santa Clara:US|San Mateo:US|Washington DC:US|Washington D.C.:US|Washington, DC:US|Washington, D.C.:US|DC:US|D.C.:US|Atlanta:US|Miami:US|Dallas:US|Houston:US|Philadelphia:US|Philly:US|Pittsburgh:US|Minneapolis:US|Detroit:US|Salt Lake City:US|SLC:US|Phoenix:US|Raleigh:US|Durham:US|Nashville:US|Baltimore:US|Columbus:US|St. Louis:US|St Louis:US|Kansas City:US|Madison:US|Ann Arbor:US|Irvine:US|Sacramento:US|Las Vegas:US|Charlotte:US|Cincinnati:US|Cleveland:US|Indianapolis:US|Milwaukee:US|Orlando:US|Tampa:US|Honolulu:US|Provo:US|Lehi:US|Princeton:US|Hoboken:US|Jersey City:US|Stamford:US|New Haven:US|Providence:US|Arlington:US|Reston:US|Bellevue:US|Redmond:US|Kirkland:US|Boise:US|Albuquerque:US|Santa Barbara:US|Santa Cruz:US|Emeryville:US|South San Francisco:US|Cupertino:US|Los Gatos:US|Scottsdale:US|Tempe:US|Fort Lauderdale:US|Ft. Lauderdale:US|Ft Lauderdale:US|Chapel Hill:US|Somerville:US|San Antonio:US|Louisville:US|Foster City:US|Ithaca:US|Oklahoma City:US|Richmond:|Toronto:CA|Vancouver:CA|Montreal:CA|Montréal:CA|Ottawa:CA|Waterloo:CA|Kitchener:CA|Calgary:CA|Edmonton:CA|Quebec City:CA|Halifax:CA|Winnipeg:CA|Victoria:|London:GB|Manchester:GB|Edinburgh:GB|Glasgow:GB|Bristol:GB|Cambridge:|Oxford:GB|Leeds:GB|Birmingham:|Belfast:GB|Cardiff:GB|Brighton:GB|Newcastle:GB|Liverpool:GB|Sheffield:GB|Nottingham:GB|Reading:GB|Bath:GB|Berlin:DE|Munich:DE|München:DE|Hamburg:DE|Frankfurt:DE|Cologne:DE|Köln:DE|Stuttgart:DE|Düsseldorf:DE|Dusseldorf:DE|Leipzig:DE|Dresden:DE|Karlsruhe:DE|Heidelberg:DE|Paris:FR|Lyon:FR|Toulouse:FR|Nice:FR|Bordeaux:FR|Lille:FR|Nantes:FR|Grenoble:FR|Montpellier:FR|Amsterdam:NL|Rotterdam:NL|Utrecht:NL|The Hague:NL|Eindhoven:NL|Delft:NL|Brussels:BE|Antwerp:BE|Ghent:BE|Leuven:BE|Luxembourg:LU|Zurich:CH|Zürich:CH|Geneva:CH|Lausanne:CH|Basel:CH|Bern:CH|Zug:CH|Vienna:AT|Wien:AT|Graz:AT|Linz:AT|Prague:CZ|Brno:CZ|Warsaw:PL|Krakow:PL|Kraków:PL|Wroclaw:PL|Wrocław:PL|Gdansk:PL|Gdańsk:PL|Poznan:PL|Poznań:PL|Budapest:HU|Bucharest:RO|Cluj:RO|Cluj-Napoca:RO|Sofia:BG|Belgrade:RS|Novi Sad:RS|Zagreb:HR|Ljubljana:SI|Athens:GR|Thessaloniki:GR|Istanbul:TR|Ankara:TR|Lisbon:PT|Porto:PT|Madrid:ES|Barcelona:ES|Valencia:ES|Malaga:ES|Málaga:ES|Seville:ES|Bilbao:ES|Rome:IT|Milan:IT|Milano:IT|Turin:IT|Bologna:IT|Florence:IT|Naples:IT|Dublin:IE|Cork:IE|Galway:IE|Copenhagen:DK|Aarhus:DK|Stockholm:SE|Gothenburg:SE|Göteborg:SE|Malmö:SE|Malmo:SE|Uppsala:SE|Oslo:NO|Bergen:NO|Trondheim:NO|Helsinki:FI|Espoo:FI|Tampere:FI|Oulu:FI|Reykjavik:IS|Tallinn:EE|Tartu:EE|Riga:LV|Vilnius:LT|Kyiv:UA|Kiev:UA|Lviv:UA|Kharkiv:UA|Minsk:BY|Moscow:RU|Saint Petersburg:RU|St. Petersburg:RU|Tbilisi:GE|Yerevan:AM|Tokyo:JP|Osaka:JP|Kyoto:JP|Fukuoka:JP|Seoul:KR|Beijing:CN|Shanghai:CN|Shenzhen:CN|Hangzhou:CN|Guangzhou:CN|Hong Kong:HK|Taipei:TW|Singapore:SG|Kuala Lumpur:MY|Bangkok:TH|Jakarta:ID|Manila:PH|Ho Chi Minh City:VN|Hanoi:VN|Bangalore:IN|Bengaluru:IN|Mumbai:IN|Delhi:IN|New Delhi:IN|Gurgaon:IN|Gurugram:IN|Noida:IN|Hyderabad:IN|Pune:IN|Chennai:IN|Kolkata:IN|Ahmedabad:IN|Karachi:PK|Lahore:PK|Dhaka:BD|Colombo:LK|Sydney:AU|Melbourne:AU|Brisbane:AU|Perth:AU|Adelaide:AU|Canberra:AU|Auckland:NZ|Wellington:NZ|Christchurch:NZ|Tel Aviv:IL|Tel-Aviv:IL|Jerusalem:IL|Haifa:IL|Herzliya:IL|Dubai:AE|Abu Dhabi:AE|Riyadh:SA|Doha:QA|Mexico City:MX|Guadalajara:MX|Monterrey:MX|São Paulo:BR|Sao Paulo:BR|Rio de Janeiro:BR|Belo Horizonte:BR|Florianópolis:BR|Buenos Aires:AR|Santiago:|Bogotá:CO|Bogota:CO|Medellín:CO|Medellin:CO|Lima:PE|Montevideo:UY|Quito:EC|Lagos:NG|Nairobi:KE|Cape Town:ZA|Johannesburg:ZA|Cairo:EG|Accra:GH|Kigali:RW|Casablanca:MA`

const hnStateTable = `AL:Alabama|AK:Alaska|AZ:Arizona|AR:Arkansas|CA:California|CO:Colorado|CT:Connecticut|DE:Delaware|FL:Florida|GA:Georgia|HI:Hawaii|ID:Idaho|IL:Illinois|IN:Indiana|IA:Iowa|KS:Kansas|KY:Kentucky|LA:Louisiana|ME:Maine|MD:Maryland|MA:Massachusetts|MI:Michigan|MN:Minnesota|MS:Mississippi|MO:Missouri|MT:Montana|NE:Nebraska|NV:Nevada|NH:New Hampshire|NJ:New Jersey|NM:New Mexico|NY:New York State|NC:North Carolina|ND:North Dakota|OH:Ohio|OK:Oklahoma|OR:Oregon|PA:Pennsylvania|RI:Rhode Island|SC:South Carolina|SD:South Dakota|TN:Tennessee|TX:Texas|UT:Utah|VT:Vermont|VA:Virginia|WA:Washington|WV:West Virginia|WI:Wisconsin|WY:Wyoming|DC:District of Columbia`

const hnProvinceTable = `ON:Ontario|BC:British Columbia|QC:Quebec|AB:Alberta|NS:Nova Scotia|MB:Manitoba|SK:Saskatchewan|NB:New Brunswick|NL:Newfoundland|PE:Prince Edward Island`

// hnRegionWords are places wider than a country.
var hnRegionWords = map[string]bool{
	"europe": true, "eu": true, "emea": true, "apac": true, "asia": true, "latam": true,
	"latin america": true, "north america": true, "south america": true, "americas": true,
	"worldwide": true, "global": true, "africa": true, "nordics": true, "scandinavia": true,
	"benelux": true, "dach": true, "oceania": true, "middle east": true, "european union": true,
	"western europe": true, "eastern europe": true, "central europe": true, "anywhere": true,
	"international": true, "east coast": true, "west coast": true, "midwest": true,
	"new england": true, "pacific northwest": true, "pnw": true, "southeast asia": true,
	"cet": true, "est": true, "pst": true, "utc": true, "gmt": true, "americas time zones": true,
}

// hnPlace is one entry of the place table.
type hnPlace struct{ city, region, country string }

// hnPlaces returns the table of city, state, province and country
// names (lower case).
var hnPlaces = sync.OnceValue(func() map[string]hnPlace {
	t := map[string]hnPlace{}
	for _, e := range strings.Split(hnCityTable, "|") {
		name, cc, _ := strings.Cut(e, ":")
		t[strings.ToLower(name)] = hnPlace{city: name, country: cc}
	}
	for _, e := range strings.Split(hnStateTable, "|") {
		code, name, _ := strings.Cut(e, ":")
		t[strings.ToLower(name)] = hnPlace{region: code, country: "US"}
	}
	for _, e := range strings.Split(hnProvinceTable, "|") {
		code, name, _ := strings.Cut(e, ":")
		t[strings.ToLower(name)] = hnPlace{region: code, country: "CA"}
	}
	return t
})

var (
	hnStateCodes    = hnCodeSet(hnStateTable)
	hnProvinceCodes = hnCodeSet(hnProvinceTable)
	hnPlaceSplitRe  = hnMustRe(`\s*(?:;|/|&|\+|\||·|•)\s*|\s+(?i:or|and)\s+|,\s*(?i:or|and)\s+`, true, ";", "/", "&", "+", "|", "·", "•", "or", "and")
	hnParenPartRe   = regexp.MustCompile(`\(([^()]*)\)`)
	hnWorkModeRe    = hnMustRe(`(?i)\b(?:fully |100% )?(?:remote|onsite|on-site|on site|hybrid|in[- ]office|in[- ]person|full[- ]?time|part[- ]?time|contract|in|based in|located in|offices? in)\b`, true, "remote", "site", "hybrid", "in", "time", "contract")
)

// hnPlaceFiller are the words around a place that are not the place:
// "Greater London area", "HQ in Berlin", "US time zones only".
var hnPlaceFiller = hnWordSet(`greater metro area region based hq headquarters office offices
	downtown only preferred near in the candidates candidate residents resident citizens citizen
	timezone timezones time zone zones tz hours hour overlap main county hub hubs location
	locations within remote onsite on-site hybrid in-office in-person fully partially 100% first
	ok friendly anywhere`)

// hnDropFiller removes the filler words (and brackets, "+", "@", "~", "*")
// of a place text.
func hnDropFiller(s string) string {
	words := strings.Fields(s)
	out := words[:0]
	for _, w := range words {
		w = strings.Trim(w, "[]()+~*@")
		if w == "" || hnPlaceFiller[strings.ToLower(strings.TrimRight(w, ",.;:"))] {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// hnCodeSet returns the codes of a "CODE:Name|…" table.
func hnCodeSet(table string) map[string]bool {
	m := map[string]bool{}
	for _, e := range strings.Split(table, "|") {
		code, _, _ := strings.Cut(e, ":")
		m[code] = true
	}
	return m
}

// hnLookupPlace reads one place: a known city, US state or Canadian
// province (name, or code in capitals), a country (name, or code in
// capitals), a wider region ("EU", "Europe"), "City, ST", "City, Country",
// or words ending in a country or state ("Burnley Lancashire UK", "Paoli
// PA").
func hnLookupPlace(s string) (jobtrends.Location, bool) {
	if len(s) > hnPlaceMemoLen {
		return hnLookupPlaceText(s)
	}
	r := hnPlaceMemo.do(s, func() hnLocResult {
		loc, ok := hnLookupPlaceText(s)
		return hnLocResult{hnCloneLocation(loc), ok}
	})
	return r.loc, r.ok
}

// hnPlaceMemo memoizes hnLookupPlace of the texts up to hnPlaceMemoLen
// bytes: the parts of place texts ("CA", "San Francisco", "Remote")
// repeat across segments and comments.
var hnPlaceMemo = newHNMemo[hnLocResult](8192)

const hnPlaceMemoLen = 80

// hnCloneLocation copies l's strings, so that a memo holds no description
// alive.
func hnCloneLocation(l jobtrends.Location) jobtrends.Location {
	return jobtrends.Location{Text: strings.Clone(l.Text), City: strings.Clone(l.City),
		Region: strings.Clone(l.Region), Country: strings.Clone(l.Country)}
}

// hnLookupPlaceText is hnLookupPlace without the memo.
func hnLookupPlaceText(s string) (jobtrends.Location, bool) {
	s = strings.Trim(hnOneLine(s), hnTrailingPunct)
	if s == "" || len(s) > 60 {
		return jobtrends.Location{}, false
	}
	l := strings.ToLower(s)
	if p, ok := hnPlaces()[l]; ok {
		return jobtrends.Location{City: p.city, Region: p.region, Country: p.country}, true
	}
	if hnRegionWords[l] {
		return jobtrends.Location{}, true
	}
	if len(s) == 2 && hnStateCodes[s] {
		return jobtrends.Location{Region: s, Country: "US"}, true
	}
	if c := hnCountry(s); c != "" {
		return jobtrends.Location{Country: c}, true
	}
	if city, rest, ok := strings.Cut(s, ","); ok && !strings.Contains(rest, ",") {
		city = strings.TrimSpace(hnWorkModeRe.ReplaceAllString(city, " "))
		rest = strings.TrimSpace(rest)
		cl, cok := hnLookupPlace(city)
		cityKnown := cok && cl.City != ""
		if !cityKnown && (!hnIsNameLike(city) || cok) {
			return jobtrends.Location{}, false
		}
		name := city
		if cityKnown {
			name = cl.City
		}
		switch {
		case len(rest) == 2 && hnStateCodes[rest]:
			return jobtrends.Location{City: name, Region: rest, Country: "US"}, true
		case len(rest) == 2 && hnProvinceCodes[rest] && hnCountry(rest) == "":
			return jobtrends.Location{City: name, Region: rest, Country: "CA"}, true
		}
		if rl, ok := hnLookupPlace(rest); ok && rl.City == "" {
			rl.City = name
			if rl.Country == "" {
				rl.Country = cl.Country
			}
			return rl, true
		}
		return jobtrends.Location{}, false
	}
	// Words ending in a country or state: "Mumbai India", "Paoli PA",
	// "Burnley Lancashire UK".
	w := strings.Fields(hnWorkModeRe.ReplaceAllString(s, " "))
	if len(w) >= 2 && len(w) <= 4 && !strings.Contains(s, ",") {
		head := strings.Join(w[:len(w)-1], " ")
		last := w[len(w)-1]
		var out jobtrends.Location
		switch {
		case len(last) == 2 && hnStateCodes[last]:
			out = jobtrends.Location{Region: last, Country: "US"}
		case hnCountry(last) != "":
			out = jobtrends.Location{Country: hnCountry(last)}
		default:
			return jobtrends.Location{}, false
		}
		if !hnIsNameLike(head) {
			return jobtrends.Location{}, false
		}
		if hl, ok := hnPlaces()[strings.ToLower(head)]; ok && hl.city != "" {
			out.City = hl.city
		}
		return out, true
	}
	return jobtrends.Location{}, false
}

// hnCountryCodes are the country codes a header may use alone ("Remote
// (US)", "Amsterdam, NL"); other two-letter words ("AI", "IT", "ML") are
// too often something else.
var hnCountryCodes = map[string]string{
	"US": "US", "USA": "US", "UK": "GB", "GB": "GB", "DE": "DE", "FR": "FR", "NL": "NL",
	"ES": "ES", "PT": "PT", "IE": "IE", "SE": "SE", "NO": "NO", "DK": "DK", "FI": "FI",
	"CH": "CH", "AT": "AT", "BE": "BE", "PL": "PL", "CZ": "CZ", "JP": "JP", "SG": "SG",
	"AU": "AU", "NZ": "NZ", "BR": "BR", "MX": "MX", "IL": "IL", "UAE": "AE", "KSA": "SA",
}

// hnCountry returns the code of a country named in full ("Germany",
// "United States") or by a common code in capitals ("US", "UK").
func hnCountry(s string) string {
	if c, ok := hnCountryCodes[s]; ok {
		return c
	}
	if len(s) <= 3 {
		return ""
	}
	return exCountryCode(s)
}

var hnInPlaceRe = regexp.MustCompile(`\b(?:in|based in|located in|offices? in|near)\s+((?:[A-Z][\p{L}.'’-]*\s?){1,4}(?:,\s*[A-Z][\p{L}.'’-]*(?:\s[A-Z][\p{L}.'’-]*)?)?)`)

// hnPlacesOnly returns the comma-separated parts of s that are places,
// joined ("Palo Alto, REMOTE, H1B" → "Palo Alto"); "" when none is.
func hnPlacesOnly(s string) string {
	if hnLooksLikeLocation(s) {
		return strings.TrimSpace(s)
	}
	var keep []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if l, ok := hnLookupPlace(p); ok && l != (jobtrends.Location{}) {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ", ")
}

// hnIsNameLike reports a short capitalized name.
func hnIsNameLike(s string) bool {
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

// hnLooksLikeLocation reports whether a segment is a location.
func hnLooksLikeLocation(s string) bool {
	_, ok := hnParseLocation(s)
	return ok
}

// hnParseLocation reads a location segment: its parts (split at "/",
// "or", "and", "&", ";" and, when needed, commas) must be places more
// often than not, and one at least. It returns the first place that has
// a field.
func hnParseLocation(s string) (jobtrends.Location, bool) {
	r := hnLocMemo.do(s, func() hnLocResult {
		loc, found := hnParseLocationText(s)
		return hnLocResult{hnCloneLocation(loc), found}
	})
	return r.loc, r.ok
}

// hnLocMemo is the memo of hnParseLocation: a header's segments are asked
// about several times, and place texts repeat from comment to comment
// ("San Francisco", "Remote (US)").
var hnLocMemo = newHNMemo[hnLocResult](4096)

type hnLocResult struct {
	loc jobtrends.Location
	ok  bool
}

// hnParseLocationText is hnParseLocation without the memo.
func hnParseLocationText(s string) (jobtrends.Location, bool) {
	if len(s) > 160 || hnWordCount(s) > 20 {
		return jobtrends.Location{}, false
	}
	s = hnStripURLs(s)
	if s == "" || len(s) > 120 {
		return jobtrends.Location{}, false
	}
	main := strings.TrimSpace(hnParenPartRe.ReplaceAllString(s, " "))
	var inner []string
	for _, m := range hnParenPartRe.FindAllStringSubmatch(s, -1) {
		inner = append(inner, m[1])
	}
	if l, found, unknown := hnPlacesIn(main); found > 0 && unknown <= found {
		if l == (jobtrends.Location{}) {
			for _, in := range inner {
				if il, f, u := hnPlacesIn(in); f > 0 && u <= f && il != (jobtrends.Location{}) {
					return il, true
				}
			}
		}
		return l, true
	}
	if main == "" || hnRegionWords[strings.ToLower(main)] {
		for _, in := range inner {
			if il, f, u := hnPlacesIn(in); f > 0 && u <= f {
				return il, true
			}
		}
	}
	return jobtrends.Location{}, false
}

// hnPlacesIn counts the parts of s that are places and those that are
// not, and returns the first place with a field.
func hnPlacesIn(s string) (first jobtrends.Location, found, unknown int) {
	have := false
	note := func(l jobtrends.Location) {
		found++
		if !have && l != (jobtrends.Location{}) {
			first, have = l, true
		}
	}
	for _, part := range hnPlaceSplitRe.Split(s, -1) {
		if l, ok := hnLookupPlace(part); ok {
			note(l)
			continue
		}
		part = strings.Trim(hnDropFiller(part), hnTrailingPunct)
		if part == "" {
			continue
		}
		if l, ok := hnLookupPlace(part); ok {
			note(l)
			continue
		}
		pieces := strings.Split(part, ",")
		var ls []jobtrends.Location
		for _, p := range pieces {
			p = strings.Trim(hnOneLine(p), hnTrailingPunct)
			if p == "" {
				continue
			}
			l, ok := hnLookupPlace(p)
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

// hnBuildLocation joins the location segments into a Location whose
// fields come from the first place named.
func hnBuildLocation(texts []string) jobtrends.Location {
	texts = exUnique(texts, false)
	if len(texts) == 0 {
		return jobtrends.Location{}
	}
	var loc jobtrends.Location
	for _, t := range texts {
		l, ok := hnParseLocation(t)
		if !ok {
			if _, place := hnRemoteOf(t); place != "" {
				l, ok = hnParseLocation(place)
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
