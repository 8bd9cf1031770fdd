package parse

import (
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The elements txtFromSimpleHTML lays out, by what the HTML parser does
// with them.
const (
	txtPhrasing = 1 + iota // inline: the parser nests them as written
	txtVoid                // no content, no end tag
	txtBlock               // closes an open <p> (so does <hr>)
	txtHeading             // a block that also closes an open heading
	txtListItem            // a block that also closes an open <li>
	txtLink                // <a>: also closes an open <a>
)

var txtSimpleKinds = map[atom.Atom]int{
	atom.Span: txtPhrasing, atom.Strong: txtPhrasing, atom.B: txtPhrasing, atom.Em: txtPhrasing,
	atom.I: txtPhrasing, atom.U: txtPhrasing, atom.S: txtPhrasing, atom.Small: txtPhrasing,
	atom.Sub: txtPhrasing, atom.Sup: txtPhrasing, atom.Code: txtPhrasing, atom.Mark: txtPhrasing,
	atom.Abbr: txtPhrasing, atom.Cite: txtPhrasing, atom.Q: txtPhrasing, atom.Font: txtPhrasing,
	atom.Del: txtPhrasing, atom.Ins: txtPhrasing, atom.Tt: txtPhrasing, atom.Big: txtPhrasing,
	atom.Strike: txtPhrasing, atom.Time: txtPhrasing, atom.Kbd: txtPhrasing, atom.Var: txtPhrasing,
	atom.Br: txtVoid, atom.Img: txtVoid, atom.Wbr: txtVoid, atom.Hr: txtVoid,
	atom.P: txtBlock, atom.Div: txtBlock, atom.Ul: txtBlock, atom.Ol: txtBlock,
	atom.Blockquote: txtBlock, atom.Section: txtBlock, atom.Article: txtBlock, atom.Header: txtBlock,
	atom.Footer: txtBlock, atom.Main: txtBlock, atom.Aside: txtBlock, atom.Nav: txtBlock,
	atom.Center: txtBlock,
	atom.H1:     txtHeading, atom.H2: txtHeading, atom.H3: txtHeading, atom.H4: txtHeading,
	atom.H5: txtHeading, atom.H6: txtHeading,
	atom.Li: txtListItem,
	atom.A:  txtLink,
}

// txtMaxSimpleDepth bounds the open elements of the fast path.
const txtMaxSimpleDepth = 256

// txtOpen is an element txtFromSimpleHTML has opened.
type txtOpen struct {
	a      atom.Atom
	brk    int
	parent *txtWriter // <a>: the writer its link goes to (its content has its own)
	href   string
}

// txtFromSimpleHTML is PlainText's fast path: it lays out a fragment from
// its tokens, without building the parser's tree, when the tree is the
// one the tokens spell: only the common elements of txtSimpleKinds, every
// end tag closing the innermost open element, and none of the cases where
// the parser closes elements itself (a block inside <p>, a heading in a
// heading, <li> in <li> outside a nested list, <a> in <a>), no NUL byte,
// no doctype. ok is false for
// any other fragment, which PlainText leaves to the parser.
// TestPlainTextMatchesOracle and FuzzPlainTextOracle compare the two.
func txtFromSimpleHTML(fragment string) (text string, ok bool) {
	if strings.IndexByte(fragment, 0) >= 0 {
		return "", false
	}
	z := html.NewTokenizer(strings.NewReader(fragment))
	w := &txtWriter{}
	w.b.Grow(len(fragment)) // the text is shorter than its markup
	var stack []txtOpen
	end := func(o txtOpen) {
		if o.a == atom.A {
			inner := w
			w = o.parent
			w.writeLink(inner, o.href)
			return
		}
		w.bullet = false
		if o.brk > 0 {
			w.breakLine(o.brk)
		}
	}
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return "", false
			}
			for i := len(stack) - 1; i >= 0; i-- {
				end(stack[i])
			}
			return w.String(), true
		case html.TextToken:
			w.text(string(z.Text()))
		case html.CommentToken:
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			kind := txtSimpleKinds[a]
			if kind == 0 || (tt == html.SelfClosingTagToken && kind != txtVoid) || len(stack) >= txtMaxSimpleDepth {
				return "", false
			}
			if !txtSimpleCanOpen(stack, a, kind) {
				return "", false
			}
			switch a {
			case atom.Br:
				w.breakLine(1)
				continue
			case atom.A:
				href, seen := "", false
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if !seen && string(k) == "href" {
						href, seen = string(v), true
					}
				}
				stack = append(stack, txtOpen{a: a, parent: w, href: href})
				w = &txtWriter{keepNewlines: w.keepNewlines, skip: w.skip, pre: w.pre}
				continue
			}
			o := txtOpen{a: a, brk: txtBlockBreaks[a]}
			if o.brk > 0 {
				w.breakLine(o.brk)
			}
			if a == atom.Li {
				w.bullet = true
			}
			if kind == txtVoid {
				end(o)
				continue
			}
			stack = append(stack, o)
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1].a != atom.Lookup(name) {
				return "", false
			}
			end(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		default: // a doctype
			return "", false
		}
	}
}

// txtSimpleCanOpen reports whether the parser would nest element a (of
// kind) in the open elements as they are, closing none of them.
func txtSimpleCanOpen(stack []txtOpen, a atom.Atom, kind int) bool {
	closesP := kind == txtBlock || kind == txtHeading || kind == txtListItem || a == atom.Hr
	for i := len(stack) - 1; i >= 0; i-- {
		open := stack[i].a
		switch {
		case closesP && open == atom.P:
			return false
		case kind == txtHeading && txtSimpleKinds[open] == txtHeading:
			return false
		case kind == txtListItem && open == atom.Li:
			return false
		case kind == txtListItem && (open == atom.Ul || open == atom.Ol):
			// The parser looks for an <li> to close only up to the
			// list: a nested list's items are fine. Further out, only a
			// <p> matters.
			kind = txtBlock
		case kind == txtLink && open == atom.A:
			return false
		}
	}
	return true
}
