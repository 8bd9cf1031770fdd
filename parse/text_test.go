package parse

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text kept", "Senior  Engineer\n", "Senior Engineer"},
		{"entities decoded", "R&amp;D &amp; ML &#x2F; AI &lt;b&gt;", "R&D & ML / AI <b>"},
		{"paragraphs as blank lines", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"HN unclosed p", "Header | Role<p>Body one<p>Body two", "Header | Role\n\nBody one\n\nBody two"},
		{"br as newline", "a<br>b<br/>c", "a\nb\nc"},
		{"list items", "<ul><li>Go</li><li>SQL</li></ul>after", "- Go\n- SQL\n\nafter"},
		{"script and style dropped", "<style>p{}</style>x<script>alert(1)</script>y", "xy"},
		{"inline markup joins words", "<b>Senior</b> <i>ML</i>&nbsp;Engineer", "Senior ML Engineer"},
		{"shortened link becomes its URL", `see <a href="https://example.com/jobs/12345678">https://example.com/jo...</a> now`, "see https://example.com/jobs/12345678 now"},
		{"link text kept", `<a href="https://x.test/a">Apply here</a>`, "Apply here"},
		{"empty link shows URL", `<a href="https://x.test/a"></a>`, "https://x.test/a"},
		{"javascript link text only", `<a href="javascript:alert(1)">x</a>`, "x"},
		{"pre keeps lines and indent", "x<pre><code>  a\n  b</code></pre>", "x\n\n  a\n  b"},
		{"zero-width and bidi removed", "Eng\u200bineer\u202e", "Engineer"},
		{"blank lines collapsed", "<p>a</p><p></p><p></p><div>b</div>", "a\n\nb"},
		{"no markup survives", `<img src=x onerror=alert(1)><div>ok</div>`, "ok"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlainTextDeepNesting(t *testing.T) {
	in := strings.Repeat("<div>", 700) + "deep text" + strings.Repeat("</div>", 700)
	if got := PlainText(in); got != "deep text" {
		t.Errorf("PlainText of 700 nested divs = %q, want the text", got)
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"<p>a<br>b</p>", "<pre>x\n y</pre>", `<a href="https://a.b/c">https://a.b/...</a>`, "&amp;&#0;\x00<li>", strings.Repeat("<b>", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := PlainText(in)
		if strings.Contains(out, "\n\n\n") || strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") {
			t.Errorf("untidy line breaks in %q", out)
		}
		if !utf8.ValidString(out) {
			t.Errorf("invalid UTF-8 in %q", out)
		}
	})
}
