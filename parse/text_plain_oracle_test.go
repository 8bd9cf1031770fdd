package parse

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// plainTextOracle is PlainText before its token fast path
// (txtFromSimpleHTML), kept as the oracle of TestPlainTextMatchesOracle
// and FuzzPlainTextOracle: the parser's tree, laid out by the txtWriter of then.
func plainTextOracle(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return txtTidyOracle(fragment, false)
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{
		Type: html.ElementNode, Data: "body", DataAtom: atom.Body,
	})
	if err != nil {
		// Only absurd nesting (> 512 open elements) makes the parser give
		// up; keep the text, lose the layout.
		return txtFromTokensOracle(fragment)
	}
	w := &txtWriterOracle{}
	for _, n := range nodes {
		w.node(n)
	}
	return w.String()
}

// txtWriterOracle accumulates text with pending spaces and breaks, so that only
// one separator is written between two pieces of text.
type txtWriterOracle struct {
	b            strings.Builder
	keepNewlines bool
	skip         func(*html.Node) bool
	pre          int  // depth inside <pre>
	space        bool // a space is due before the next text
	brk          int  // line breaks due before the next text (max 2)
	bullet       bool // "- " is due before the next text
}

func (w *txtWriterOracle) String() string { return txtTidyOracle(w.b.String(), true) }

func (w *txtWriterOracle) breakLine(n int) {
	if n > w.brk {
		w.brk = n
	}
}

func (w *txtWriterOracle) write(s string) {
	if s == "" {
		return
	}
	if w.b.Len() > 0 {
		switch {
		case w.brk > 0:
			w.b.WriteString(strings.Repeat("\n", w.brk))
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
func (w *txtWriterOracle) text(s string) {
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

func (w *txtWriterOracle) node(n *html.Node) {
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
func (w *txtWriterOracle) link(n *html.Node) {
	inner := &txtWriterOracle{keepNewlines: w.keepNewlines, skip: w.skip, pre: w.pre}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		inner.node(c)
	}
	text := strings.TrimSpace(txtTidyOracle(inner.b.String(), true))
	href := strings.TrimSpace(txtAttr(n, "href"))
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

// txtFromTokensOracle is the fallback of PlainText for HTML too deeply nested to
// parse into a tree: the text tokens, with a newline for each block tag.
func txtFromTokensOracle(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	w := &txtWriterOracle{}
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

// plainTextTricky are fragments at the edges of txtFromSimpleHTML's rules.
var plainTextTricky = map[string]string{
	"paragraphs":          "<p>a</p><p>b <b>c</b></p>",
	"unclosed p":          "<p>a<p>b",
	"block in p":          "<p>a<div>b</div>c</p>",
	"list":                "<ul><li>a</li><li><p>b</p></li></ul>",
	"unclosed li":         "<ul><li>a<li>b</ul>",
	"nested list":         "<ul><li>a<ul><li>b</li></ul></li></ul>",
	"li in div in li":     "<li>a<div><li>b</div>",
	"li at top":           "<li>a</li><li>b</li>",
	"bullet reset":        "<ul><li><img src=x>a</li><li><br>b</li><li><span></span>c</li></ul>",
	"headings":            "<h2>a<h3>b</h3></h2><h1>c</h1>",
	"link":                `<p><a href="https://example.com/jobs/123">https://example.com/jo...</a> <a href="/rel">rel</a><a href="https://x.org"></a></p>`,
	"link with blocks":    `<a href="https://x.org"><div>a</div><p>b</p></a>c`,
	"nested links":        `<a href="https://a.org">a<a href="https://b.org">b</a></a>`,
	"duplicate href":      `<a href="https://a.org" HREF="https://b.org"></a>`,
	"misnested":           "<b><i>a</b>b</i>",
	"formatting across p": "<p><b>a</p>b",
	"same formatting":     "<b><b><b><b>a</b></b></b></b>b",
	"stray end":           "a</p>b</div>c",
	"void end":            "a</br>b",
	"self-closing":        "<p/>a<br/>b<div/>c",
	"entities":            "a &amp; b &lt;p&gt; &nbsp;c&#x20AC;&bogus;",
	"comment":             "a<!-- <p> -->b<![CDATA[x]]>c",
	"doctype":             "<!DOCTYPE html>a",
	"table":               "<table><tr><td>a</td><td>b</td></tr></table>",
	"pre":                 "<pre>\n a\n  b</pre>c",
	"script":              "a<script>var x = '<p>';</script>b<style>p{}</style>c",
	"nul":                 "a\x00b<p>c</p>",
	"crlf":                "<p>a\r\nb\rc</p>",
	"unknown element":     "<custom-el>a</custom-el><o:p>b</o:p>",
	"uppercase":           "<P>a</P><UL><LI>b</LI></UL>",
	"hr in p":             "<p>a<hr>b</p>",
	"text in ul":          "<ul> a <li>b</li> c </ul>",
	"deep":                strings.Repeat("<div>", 600) + "a",
	"lt in text":          "a < b <3 c<d",
	"whitespace":          "  <p>  a  \n  b  </p>  \n\n  <p> c </p>  ",
}

// TestPlainTextMatchesOracle compares PlainText with the code it had
// before its token fast path, on tricky fragments and on every real text
// (the descriptions of testdata, the demo and, with JOBTRENDS_CORPUS, the
// corpus, and the long strings of its JSON files, most of them HTML).
func TestPlainTextMatchesOracle(t *testing.T) {
	for name, s := range plainTextTricky {
		if got, want := PlainText(s), plainTextOracle(s); got != want {
			t.Errorf("%s: PlainText(%q)\n = %q\nwant %q", name, s, got, want)
		}
	}
	if raceEnabled {
		t.Skip("compares over every real text: runs in the non-race pass of `make test` (HEAVY_TESTS)")
	}
	texts, _ := realTexts(t, true)
	fast := 0
	for _, s := range texts {
		if got, want := PlainText(s), plainTextOracle(s); got != want {
			t.Errorf("PlainText(%.300q)\n = %.300q\nwant %.300q", s, got, want)
		}
		if _, ok := txtFromSimpleHTML(s); ok && strings.ContainsAny(s, "<&") {
			fast++
		}
	}
	t.Logf("%d real texts, %d with markup taken by the fast path", len(texts), fast)
}

// FuzzPlainTextOracle compares PlainText with the code it had before its token
// fast path.
func FuzzPlainTextOracle(f *testing.F) {
	for _, s := range plainTextTricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := PlainText(s), plainTextOracle(s); got != want {
			t.Errorf("PlainText(%q)\n = %q\nwant %q", s, got, want)
		}
	})
}
