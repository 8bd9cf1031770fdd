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
	"golang.org/x/text/encoding/unicode"
)

// prescanLen is how much of a page is searched for <meta charset> (the
// HTML spec's prescan window).
const prescanLen = 1024

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeText converts a text body to UTF-8. The encoding is taken, in this
// order, from a byte-order mark, the Content-Type charset, a <meta charset>
// (or http-equiv Content-Type) in the first 1024 bytes, and detection
// (charset.DetermineEncoding). A declaration that is wrong — UTF-8 declared
// but the bytes are not UTF-8 — falls through to the next source. The
// result is always valid UTF-8 without a BOM: a stray invalid sequence
// left after all that becomes U+FFFD. It returns the encoding's name.
func decodeText(body []byte, contentType string) ([]byte, string, error) {
	// 1. Byte-order mark.
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		return validUTF8(body[len(utf8BOM):]), "utf-8", nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), body, "utf-16le")
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), body, "utf-16be")
	}
	// 2. Content-Type charset, 3. <meta>.
	for _, label := range []string{headerCharset(contentType), metaCharset(body)} {
		if label == "" {
			continue
		}
		e, name := charset.Lookup(label)
		if e == nil {
			continue // unknown label: try the next source
		}
		if name == "utf-8" || strings.HasPrefix(name, "utf-16") {
			// A page that reached us as bytes and says UTF-16 without a
			// BOM is UTF-8 (HTML spec); keep it only if it really is.
			if utf8.Valid(body) {
				return body, "utf-8", nil
			}
			continue
		}
		return decodeWith(e, body, name)
	}
	// 4. Detection.
	if utf8.Valid(body) {
		return body, "utf-8", nil
	}
	e, name, _ := charset.DetermineEncoding(body, "")
	if name == "utf-8" {
		// The first KiB looked like UTF-8; a later invalid sequence is a
		// glitch, not another encoding.
		return validUTF8(body), name, nil
	}
	return decodeWith(e, body, name)
}

func decodeWith(e encoding.Encoding, body []byte, name string) ([]byte, string, error) {
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return nil, name, fmt.Errorf("%w: decode as %s: %v", ErrUndecodable, name, err)
	}
	return validUTF8(bytes.TrimPrefix(out, utf8BOM)), name, nil
}

func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
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
// sequences become U+FFFD.
func decodeJSON(body []byte, contentType string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		return validUTF8(body[len(utf8BOM):]), nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		out, _, err := decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), body, "utf-16le")
		return out, err
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		out, _, err := decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), body, "utf-16be")
		return out, err
	}
	if label := headerCharset(contentType); label != "" && !utf8.Valid(body) {
		if e, name := charset.Lookup(label); e != nil && name != "utf-8" && !strings.HasPrefix(name, "utf-16") {
			out, _, err := decodeWith(e, body, name)
			return out, err
		}
	}
	return validUTF8(body), nil
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
