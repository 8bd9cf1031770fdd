package parse

import (
	"strings"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// ldDecodeValue decodes the JSON text s into the values encoding/json
// gives an any with UseNumber (map[string]any, []any, string,
// json.Number, bool, nil), with github.com/goccy/go-json: about twice the
// speed of encoding/json on the real ld+json blocks, whose decoding was
// two fifths of the extraction of an Ashby page. It accepts only a valid
// JSON value, optionally followed by white space; ok is false for anything
// else, and for text holding invalid UTF-8, which the caller leaves to
// encoding/json (it alone words the errors, and replaces invalid bytes as
// the rest of the code expects). TestLDDecodeValueMatchesJSON and
// FuzzLDDecodeValue compare it with encoding/json.
func ldDecodeValue(s string) (v any, ok bool) {
	if !utf8.ValidString(s) {
		return nil, false
	}
	dec := gojson.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if strings.TrimLeft(s[dec.InputOffset():], " \t\r\n") != "" {
		return nil, false
	}
	return v, true
}
