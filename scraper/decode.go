package scraper

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// prescanLen is how much of a page is searched for <meta charset> (the
// HTML spec's prescan window).
const prescanLen = 1024

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decoded is a body converted to UTF-8.
type decoded struct {
	text     []byte // valid UTF-8, no BOM
	encoding string // the name of the encoding it was decoded from
	// fallback says how decoding departed from what the page declared, or
	// "" when it did not: a declared charset that did not hold (UTF-8
	// declared on bytes that are not UTF-8) or that is unknown, an
	// encoding guessed by detection for bytes that are not UTF-8, or
	// invalid bytes replaced with U+FFFD. Crawl counts such pages
	// (Stats.EncodingFallback).
	fallback string
}

// decodeText converts a text body to UTF-8. The encoding is taken, in this
// order, from a byte-order mark, the Content-Type charset, a <meta charset>
// (or http-equiv Content-Type) in the first 1024 bytes, and detection
// (charset.DetermineEncoding). A declaration that is wrong — UTF-8 declared
// but the bytes are not UTF-8 — or unknown falls through to the next
// source. The result is always valid UTF-8 without a BOM: a stray invalid
// sequence left after all that becomes U+FFFD.
//
// Not a fallback: a BOM, a declaration that holds (a <meta> one when the
// header names no charset is the HTML spec's order, not a fallback), and
// undeclared bytes that are valid UTF-8.
func decodeText(body []byte, contentType string) (decoded, error) {
	// 1. Byte-order mark.
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		return asUTF8(body[len(utf8BOM):], ""), nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), body, "utf-16le", "")
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), body, "utf-16be", "")
	}
	// 2. Content-Type charset, 3. <meta>.
	var skipped []string // declarations that did not hold
	for _, d := range []struct{ where, label string }{
		{"header", headerCharset(contentType)}, {"<meta>", metaCharset(body)},
	} {
		if d.label == "" {
			continue
		}
		e, name := charset.Lookup(d.label)
		if e == nil {
			skipped = append(skipped, fmt.Sprintf("%s charset %q unknown", d.where, d.label))
			continue // try the next source
		}
		if name == "utf-8" || strings.HasPrefix(name, "utf-16") {
			// A page that reached us as bytes and says UTF-16 without a
			// BOM is UTF-8 (HTML spec); keep it only if it really is.
			if utf8.Valid(body) {
				return decoded{text: body, encoding: "utf-8", fallback: fallbackNote(skipped, "utf-8 as the "+d.where+" says")}, nil
			}
			skipped = append(skipped, fmt.Sprintf("%s charset %q does not hold: the bytes are not UTF-8", d.where, d.label))
			continue
		}
		return decodeWith(e, body, name, fallbackNote(skipped, name+" as the "+d.where+" says"))
	}
	// 4. Detection.
	if utf8.Valid(body) {
		return decoded{text: body, encoding: "utf-8", fallback: fallbackNote(skipped, "utf-8 by detection")}, nil
	}
	if len(skipped) == 0 {
		skipped = []string{"no charset declared"}
	}
	if sniffUTF8(body) {
		// The first KiB looked like UTF-8; a later invalid sequence is a
		// glitch, not another encoding.
		return asUTF8(body, fallbackNote(skipped, "utf-8 by detection")), nil
	}
	return decodeWith(charmap.Windows1252, body, "windows-1252", fallbackNote(skipped, "windows-1252 by detection"))
}

// sniffUTF8 is the heuristic that ends charset.DetermineEncoding: the
// first KiB, without a rune cut at its end, has non-ASCII bytes and is
// valid UTF-8; otherwise the page is windows-1252 (the HTML spec's
// default). DetermineEncoding itself is not called: its <meta> prescan
// would find again a declaration that did not hold.
func sniffUTF8(body []byte) bool {
	head := body[:min(len(body), prescanLen)]
	for i := len(head) - 1; i >= 0 && i > len(head)-4; i-- {
		if head[i] < utf8.RuneSelf {
			break
		}
		if utf8.RuneStart(head[i]) {
			head = head[:i]
			break
		}
	}
	return bytes.ContainsFunc(head, func(r rune) bool { return r >= utf8.RuneSelf }) && utf8.Valid(head)
}

// fallbackNote describes a fallback: the declarations skipped and the
// encoding chosen; "" when nothing was skipped.
func fallbackNote(skipped []string, chosen string) string {
	if len(skipped) == 0 {
		return ""
	}
	return strings.Join(skipped, "; ") + "; decoded as " + chosen
}

// decodeWith decodes body from e; fallback is carried into the result.
func decodeWith(e encoding.Encoding, body []byte, name, fallback string) (decoded, error) {
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return decoded{encoding: name}, fmt.Errorf("%w: decode as %s: %v", ErrUndecodable, name, err)
	}
	d := asUTF8(bytes.TrimPrefix(out, utf8BOM), fallback)
	d.encoding = name
	return d, nil
}

// asUTF8 returns b as decoded UTF-8, each invalid sequence replaced with
// U+FFFD; a replacement is added to fallback.
func asUTF8(b []byte, fallback string) decoded {
	d := decoded{text: b, encoding: "utf-8", fallback: fallback}
	if !utf8.Valid(b) {
		d.text = bytes.ToValidUTF8(b, []byte("\uFFFD"))
		if d.fallback != "" {
			d.fallback += "; "
		}
		d.fallback += "invalid bytes replaced with U+FFFD"
	}
	return d
}

// headerCharset returns the charset parameter of a Content-Type, or "".
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(params["charset"])
}

// metaCharset returns the charset declared by a <meta charset> or <meta
// http-equiv="Content-Type" content="…; charset=…"> in the first 1024
// bytes of body, or "".
func metaCharset(body []byte) string {
	if len(body) > prescanLen {
		body = body[:prescanLen]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var cs, equiv, content string
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "charset":
					cs = string(v)
				case "http-equiv":
					equiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
				if !more {
					break
				}
			}
			if cs = strings.TrimSpace(cs); cs != "" {
				return cs
			}
			if equiv == "content-type" {
				if c := headerCharset(content); c != "" {
					return c
				}
			}
		}
	}
}

// decodeJSON converts a JSON body to UTF-8. JSON exchanged between
// systems is UTF-8 (RFC 8259); a byte-order mark or a Content-Type charset
// is honoured, but nothing inside the text is read as a declaration (a
// description's HTML may carry a <meta charset> of its own). Invalid
// sequences become U+FFFD, the one fallback of a JSON body.
func decodeJSON(body []byte, contentType string) (decoded, error) {
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		return asUTF8(body[len(utf8BOM):], ""), nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), body, "utf-16le", "")
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), body, "utf-16be", "")
	}
	if label := headerCharset(contentType); label != "" && !utf8.Valid(body) {
		if e, name := charset.Lookup(label); e != nil && name != "utf-8" && !strings.HasPrefix(name, "utf-16") {
			return decodeWith(e, body, name, "")
		}
	}
	return asUTF8(body, ""), nil
}

// isJSONType reports whether a media type is JSON text.
func isJSONType(mediaType string) bool {
	return mediaType == "application/json" || mediaType == "text/json" ||
		(strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json"))
}

// isTextType reports whether a media type carries text the fetch layer
// decodes to UTF-8.
func isTextType(mediaType string) bool {
	switch {
	case strings.HasPrefix(mediaType, "text/"),
		mediaType == "application/xhtml+xml",
		mediaType == "application/json",
		mediaType == "application/ld+json",
		mediaType == "application/xml",
		mediaType == "application/javascript",
		strings.HasSuffix(mediaType, "+json"),
		strings.HasSuffix(mediaType, "+xml"):
		return true
	}
	return false
}
