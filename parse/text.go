package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText turns an HTML fragment into readable plain text: paragraphs,
// headings and lists become line breaks (a blank line between paragraphs,
// "- " before list items), <br> a newline, entities are decoded, a link whose
// text is a shortened copy of its URL ("https://example.com/jo...") becomes
// the URL, scripts and styles are dropped, and whitespace is tidied (runs of
// spaces collapsed, NBSP as a space, zero-width and bidi control characters
// removed, no leading or trailing blank lines). Text inside <pre> keeps its
// line breaks. The result never contains markup.
func PlainText(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return txtTidy(fragment, false)
	}
	if t, ok := txtFromSimpleHTML(fragment); ok {
		return t
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{
		Type: html.ElementNode, Data: "body", DataAtom: atom.Body,
	})
	if err != nil {
		// Only absurd nesting (> 512 open elements) makes the parser give
		// up; keep the text, lose the layout.
		return txtFromTokens(fragment)
	}
	w := &txtWriter{}
	for _, n := range nodes {
		w.node(n)
	}
	return w.String()
}

// txtFromNode renders the children of n like PlainText. With keepNewlines, a
// newline in a text node is kept as a line break (HN authors type single
// newlines that browsers render as spaces, but they separate a header from
// the body); skip names elements whose subtree is left out.
func txtFromNode(n *html.Node, keepNewlines bool, skip func(*html.Node) bool) string {
	w := &txtWriter{keepNewlines: keepNewlines, skip: skip}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	return w.String()
}

// txtWriter accumulates text with pending spaces and breaks, so that only
// one separator is written between two pieces of text.
type txtWriter struct {
	b            strings.Builder
	keepNewlines bool
	skip         func(*html.Node) bool
	pre          int  // depth inside <pre>
	space        bool // a space is due before the next text
	brk          int  // line breaks due before the next text (max 2)
	bullet       bool // "- " is due before the next text
}

func (w *txtWriter) String() string { return txtTidy(w.b.String(), true) }

func (w *txtWriter) breakLine(n int) {
	if n > w.brk {
		w.brk = n
	}
}

func (w *txtWriter) write(s string) {
	if s == "" {
		return
	}
	if w.b.Len() > 0 {
		switch {
		case w.brk > 0:
			w.b.WriteString("\n\n"[:w.brk])
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	if w.bullet {
		w.b.WriteString("- ")
	}
	w.brk, w.space, w.bullet = 0, false, false
	w.b.WriteString(s)
}

// text writes a text node's data, collapsing whitespace.
func (w *txtWriter) text(s string) {
	if w.pre > 0 {
		lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
		for i, l := range lines {
			if i > 0 {
				w.breakLine(1)
			}
			w.write(strings.TrimRightFunc(l, unicode.IsSpace))
		}
		return
	}
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w.write(s[start:end])
			start = -1
		}
	}
	for i, r := range s {
		if txtIsSpace(r) {
			flush(i)
			if r == '\n' && w.keepNewlines {
				w.breakLine(1)
			} else {
				w.space = true
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(s))
}

// Block elements and the breaks they make around them.
var txtBlockBreaks = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Blockquote: 2, atom.Pre: 2, atom.Ul: 2, atom.Ol: 2, atom.Table: 2, atom.Dl: 2,
	atom.Div: 1, atom.Li: 1, atom.Tr: 1, atom.Dt: 1, atom.Dd: 1, atom.Section: 1,
	atom.Article: 1, atom.Header: 1, atom.Footer: 1, atom.Hr: 1, atom.Main: 1,
	atom.Aside: 1, atom.Nav: 1, atom.Figure: 1, atom.Figcaption: 1, atom.Center: 1,
	atom.Address: 1, atom.Form: 1, atom.Fieldset: 1, atom.Details: 1, atom.Summary: 1,
}

func (w *txtWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c)
		}
		return
	default:
		return
	}
	if w.skip != nil && w.skip(n) {
		return
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Title,
		atom.Iframe, atom.Object, atom.Svg, atom.Math, atom.Button, atom.Select, atom.Textarea:
		return
	case atom.Br:
		w.breakLine(1)
		return
	case atom.A:
		w.link(n)
		return
	case atom.Td, atom.Th:
		w.space = true
	}
	brk := txtBlockBreaks[n.DataAtom]
	if brk > 0 {
		w.breakLine(brk)
	}
	if n.DataAtom == atom.Li {
		w.bullet = true
	}
	if n.DataAtom == atom.Pre {
		w.pre++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if n.DataAtom == atom.Pre {
		w.pre--
	}
	w.bullet = false
	if brk > 0 {
		w.breakLine(brk)
	}
}

// link writes an <a>: its text, or its URL when the text is empty or a
// shortened copy of the URL.
func (w *txtWriter) link(n *html.Node) {
	inner := &txtWriter{keepNewlines: w.keepNewlines, skip: w.skip, pre: w.pre}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		inner.node(c)
	}
	w.writeLink(inner, txtAttr(n, "href"))
}

// writeLink writes a link whose content inner has laid out.
func (w *txtWriter) writeLink(inner *txtWriter, href string) {
	text := strings.TrimSpace(txtTidy(inner.b.String(), true))
	href = strings.TrimSpace(href)
	if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") {
		href = ""
	}
	switch {
	case text == "" && href != "":
		text = href
	case href != "" && strings.HasSuffix(text, "...") && strings.HasPrefix(href, strings.TrimSuffix(text, "...")):
		text = href
	}
	if text == "" {
		return
	}
	if strings.Contains(text, "\n") {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			if i > 0 {
				w.breakLine(1)
			}
			w.write(l)
		}
	} else {
		w.write(text)
	}
	if inner.space || inner.brk > 0 {
		w.space = true
	}
}

// txtFromTokens is the fallback of PlainText for HTML too deeply nested to
// parse into a tree: the text tokens, with a newline for each block tag.
func txtFromTokens(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	w := &txtWriter{}
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return w.String()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style:
				// The tokenizer returns their content as one raw text token.
				if z.Token().Type == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			case atom.Br:
				w.breakLine(1)
			default:
				if b := txtBlockBreaks[a]; b > 0 {
					w.breakLine(b)
				}
			}
		}
	}
}

// txtIsSpace reports the characters collapsed as white space (NBSP included).
func txtIsSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || '\t' <= r && r <= '\r' // \t \n \v \f \r
	}
	return r == '\u00a0' || r == '\u2007' || r == '\u202f' || r == '\u3000' ||
		(r >= '\u2000' && r <= '\u200a')
}

// txtInvisible reports characters dropped from text: controls other than
// newline and tab, zero-width characters and bidi controls.
func txtInvisible(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e' || r == '\u200f':
		return true
	case r == utf8.RuneError:
		return false
	}
	return false
}

// txtTidy removes txtInvisible characters, trims every line (collapsing
// spaces unless the text was already laid out by a txtWriter), and drops
// runs of more than one blank line and leading/trailing blank lines.
// ("\r" is a line break; an invalid byte becomes U+FFFD.)
func txtTidy(s string, laidOut bool) string {
	if !txtIsClean(s) {
		s = strings.Map(func(r rune) rune {
			if r == '\r' {
				return '\n'
			}
			if txtInvisible(r) {
				return -1
			}
			return r
		}, s)
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\ufffd")
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	blank := false // a blank line lies between the last line written and the next
	for rest, more := s, true; more; {
		var line string
		line, rest, more = strings.Cut(rest, "\n")
		if laidOut {
			line = strings.TrimRightFunc(line, txtIsSpace)
		} else {
			line = strings.Join(strings.FieldsFunc(line, txtIsSpace), " ")
		}
		switch {
		case line == "":
			blank = b.Len() > 0
			continue
		case b.Len() > 0 && blank:
			b.WriteString("\n\n")
		case b.Len() > 0:
			b.WriteByte('\n')
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}

// txtIsClean reports whether s is valid UTF-8 without "\r" or
// txtInvisible characters: text that txtTidy's character filter leaves as
// it is.
func txtIsClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || txtInvisible(r) {
			return false
		}
		i += size
	}
	return true
}

// txtOneLine collapses all white space, line breaks included, to single
// spaces: for titles, names and other one-line fields.
func txtOneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if txtInvisible(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.FieldsFunc(s, txtIsSpace), " ")
}

// txtAttr returns the value of n's attribute key ("" when absent).
func txtAttr(n *html.Node, key string) string {
	v, _ := txtAttrOK(n, key)
	return v
}

// txtAttrOK returns the value of n's first attribute key and whether n
// has one.
func txtAttrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// txtHasClass reports whether n has class c (one class name, without
// white space), as a CSS class selector (cascadia) matches it: c is one
// of the tokens, separated by ASCII white space, of a class attribute of
// n.
func txtHasClass(n *html.Node, c string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" {
			continue
		}
		v := a.Val
		for i := 0; ; {
			j := strings.Index(v[i:], c)
			if j < 0 {
				break
			}
			j += i
			end := j + len(c)
			if (j == 0 || txtIsClassSpace(v[j-1])) && (end == len(v) || txtIsClassSpace(v[end])) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

// txtIsClassSpace reports the ASCII white space that separates class
// names.
func txtIsClassSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
