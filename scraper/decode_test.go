package scraper

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeText(t *testing.T) {
	const want = "Café Zürich – Senior"
	cp1252 := "Caf\xe9 Z\xfcrich \x96 Senior"
	cases := []struct {
		name, contentType, body, wantEnc string
		// fallback: decoding departs from the declaration (or there
		// was none and the bytes are not UTF-8), and is counted.
		fallback bool
	}{
		{"meta charset only", "text/html", `<meta charset="windows-1252"><title>` + cp1252, "windows-1252", false},
		{"meta http-equiv", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>Caf` + "\xe9 Z\xfcrich \x96 Senior", "windows-1252", false},
		{"header charset", "text/html; charset=windows-1252", "<title>" + cp1252, "windows-1252", false},
		{"header beats meta", "text/html; charset=windows-1252", `<meta charset="utf-8"><title>` + cp1252, "windows-1252", false},
		{"lying utf-8 header, meta right", "text/html; charset=utf-8", `<meta charset="windows-1252"><title>` + cp1252, "windows-1252", true},
		{"lying utf-8 header, no meta: detection", "text/html; charset=utf-8", "<title>" + cp1252, "windows-1252", true},
		{"lying utf-8 meta, no header charset: detection", "text/html", `<meta charset="utf-8"><title>` + cp1252, "windows-1252", true},
		{"unknown header label falls through to meta", "text/html; charset=x-bogus", `<meta charset="windows-1252">` + cp1252, "windows-1252", true},
		{"no declaration, cp1252 bytes: detection", "", "<title>" + cp1252, "windows-1252", true},
		{"no declaration, utf-8", "", "<title>" + want, "utf-8", false},
		{"utf-8 declared and true", "text/html; charset=utf-8", "<title>" + want, "utf-8", false},
		{"utf-8 beyond the first KiB, no declaration", "", strings.Repeat(" ", 2000) + want, "utf-8", false},
		{"utf-8 BOM", "text/html; charset=windows-1252", "\xef\xbb\xbf<title>" + want, "utf-8", false},
		{"utf-16le BOM", "", "\xff\xfe" + utf16le("<title>"+want), "utf-16le", false},
		{"utf-16be BOM", "", "\xfe\xff" + utf16be("<title>"+want), "utf-16be", false},
		{"meta says utf-16 without BOM means utf-8", "", `<meta charset="utf-16"><title>` + want, "utf-8", false},
		{"shift_jis in meta", "text/html", `<meta charset="shift_jis"><title>` + "\x83\x5c\x83\x74\x83\x67", "shift_jis", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decodeText([]byte(tc.body), tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			out, enc := d.text, d.encoding
			if (d.fallback != "") != tc.fallback {
				t.Errorf("fallback %q, want a fallback: %v", d.fallback, tc.fallback)
			}
			if !utf8.Valid(out) {
				t.Fatalf("output is not valid UTF-8: %q", out)
			}
			if enc != tc.wantEnc {
				t.Errorf("encoding %q, want %q", enc, tc.wantEnc)
			}
			wantText := want
			if tc.wantEnc == "shift_jis" {
				wantText = "ソフト"
			}
			if !strings.Contains(string(out), wantText) {
				t.Errorf("output %q lacks %q", out, wantText)
			}
			if strings.HasPrefix(string(out), "\ufeff") {
				t.Errorf("output starts with a BOM")
			}
		})
	}
}

// TestDecodeTextInvalidUTF8: a UTF-8 page with a stray invalid byte stays
// UTF-8, the byte replaced, never handed on invalid.
func TestDecodeTextInvalidUTF8(t *testing.T) {
	body := "<meta charset=utf-8><p>Zürich</p>" + strings.Repeat("x", 2000) + "\xff<p>end</p>"
	d, err := decodeText([]byte(body), "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.fallback, "U+FFFD") {
		t.Errorf("fallback %q does not say bytes were replaced", d.fallback)
	}
	out := d.text
	if !utf8.Valid(out) || !strings.Contains(string(out), "Zürich") || !strings.Contains(string(out), "\ufffd<p>end</p>") {
		t.Errorf("got %q", out[len(out)-30:])
	}
}

func utf16le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func utf16be(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return string(b)
}

// TestNewDocumentDepth: a page nested deeper than x/net/html accepts is an
// error, not an empty document.
func TestNewDocumentDepth(t *testing.T) {
	cases := []struct {
		name    string
		depth   int
		wantErr bool
	}{
		{"shallow", 100, false},
		{"10000 nested divs", 10000, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := "<html><body>" + strings.Repeat("<div>", tc.depth) + "x" + strings.Repeat("</div>", tc.depth)
			doc, err := newDocument([]byte(body))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err == nil && doc.Find("div").Length() != tc.depth {
				t.Errorf("found %d divs", doc.Find("div").Length())
			}
		})
	}
}

// TestDecodeResponseJSON: a JSON body is UTF-8 unless a BOM or the header
// says otherwise; a <meta charset> inside a description is text, not a
// declaration (decodeText would obey it and garble the body: the negative
// control).
func TestDecodeResponseJSON(t *testing.T) {
	const want = `{"descriptionHtml":"<meta charset=windows-1252><p>Zürich – Senior</p>"}`
	cases := []struct {
		name, contentType, body string
	}{
		{"utf-8 with a meta charset in a string", "application/json", want},
		{"utf-8 declared", "application/json; charset=utf-8", want},
		{"utf-8 BOM", "application/json", "\xef\xbb\xbf" + want},
		{"utf-16le BOM", "application/json", "\xff\xfe" + utf16le(want)},
		{"latin-1 declared and not utf-8", "application/json; charset=iso-8859-1",
			`{"descriptionHtml":"<meta charset=windows-1252><p>Z` + "\xfc" + `rich ` + "\x96" + ` Senior</p>"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{Header: http.Header{"Content-Type": {tc.contentType}}}
			fallback, err := decodeResponse(resp, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if fallback != "" {
				t.Errorf("fallback %q on a body that is what it says", fallback)
			}
			out, _ := io.ReadAll(resp.Body)
			if string(out) != want {
				t.Errorf("decoded %q, want %q", out, want)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
		})
	}
	t.Run("negative control: read as HTML, the meta charset wins", func(t *testing.T) {
		d, err := decodeText([]byte(want), "")
		out, enc := d.text, d.encoding
		if err != nil || enc != "windows-1252" || string(out) == want {
			t.Errorf("decodeText gave %q as %s (%v): the control no longer shows the difference", out, enc, err)
		}
	})
}
