package parse

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

// ldDecodeOracle is what ldDecodeBlock did with every block before
// ldDecodeValue: encoding/json into an any, numbers as json.Number, only
// white space after the value.
func ldDecodeOracle(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if strings.TrimLeft(s[dec.InputOffset():], " \t\r\n") != "" {
		return nil, false
	}
	return v, true
}

// ldDecodeTricky are JSON texts at the edges of the grammar and of
// encoding/json's unescaping.
var ldDecodeTricky = map[string]string{
	"object":           `{"@type":"JobPosting","a":[1,-2.5e+3,0.1,true,false,null,{}],"b":{}}`,
	"duplicate keys":   `{"a":1,"a":2}`,
	"escapes":          `"a\"b\\c\/d\be\ff\ng\rh\ti"`,
	"unicode escapes":  `"\u00e9\u20AC\u0000x"`,
	"surrogate pair":   `"\ud83d\ude00"`,
	"lone surrogate":   `"\ud83dx\ude00"`,
	"surrogate twice":  `"\ud83d\ud83d\ude00"`,
	"surrogate+BMP":    `"\ud83d\u0041"`,
	"bad escape":       `"\x"`,
	"short escape":     `"\u12"`,
	"bad hex":          `"\ud83d\uZZZZ"`,
	"control char":     "\"a\tb\"",
	"invalid utf-8":    "\"a\xffb\"",
	"utf-8":            `"é€😀"`,
	"replacement char": "\"\ufffd\"",
	"numbers":          `[0,-0,10,1.5,1e5,1E-5,-1.0e+10]`,
	"leading zero":     `01`,
	"bare minus":       `-`,
	"bad fraction":     `1.`,
	"bad exponent":     `1e`,
	"trailing data":    `{"a":1} x`,
	"trailing comma":   `[1,]`,
	"object comma":     `{"a":1,}`,
	"no colon":         `{"a" 1}`,
	"unclosed":         `{"a":[1,2`,
	"white space":      " \t\r\n{ \"a\" : [ 1 , 2 ] } \n",
	"empty":            ``,
	"literal prefix":   `tru`,
	"literal suffix":   `[truex]`,
	"nested":           `[[[[[[{"a":[{"b":"c"}]}]]]]]]`,
}

func checkLDDecode(t *testing.T, name, s string) bool {
	t.Helper()
	got, ok := ldDecodeValue(s)
	want, wantOK := ldDecodeOracle(s)
	switch {
	case ok && !wantOK:
		t.Errorf("%s: ldDecodeValue(%.200q) accepted what encoding/json refuses", name, s)
	case ok && !reflect.DeepEqual(got, want):
		t.Errorf("%s: ldDecodeValue(%.200q)\n = %#v\nwant %#v", name, s, got, want)
	case !ok && wantOK && utf8.ValidString(s):
		t.Errorf("%s: ldDecodeValue(%.200q) refused valid JSON", name, s)
	}
	return ok
}

// TestLDDecodeValueMatchesJSON compares ldDecodeValue with encoding/json
// on tricky texts and on every ld+json block of the real pages of
// testdata, the demo and (with JOBTRENDS_CORPUS) the corpus, and on the
// corpus's JSON files.
func TestLDDecodeValueMatchesJSON(t *testing.T) {
	for name, s := range ldDecodeTricky {
		checkLDDecode(t, name, s)
	}
	var pages []string
	for _, g := range []string{"testdata/*/*.html*", "testdata/*/*/*.html*", "../demo/pages/*.html*"} {
		m, _ := filepath.Glob(g)
		pages = append(pages, m...)
	}
	var jsons []string
	if dir := os.Getenv("JOBTRENDS_CORPUS"); dir != "" {
		for _, g := range []string{"pages/*/*.html", "schema_org/*.html"} {
			m, _ := filepath.Glob(filepath.Join(dir, g))
			pages = append(pages, m...)
		}
		for _, g := range []string{"api/*/*.json", "job_json/*.json"} {
			m, _ := filepath.Glob(filepath.Join(dir, g))
			jsons = append(jsons, m...)
		}
	} else {
		t.Log("JOBTRENDS_CORPUS is not set: the corpus was NOT read")
	}
	blocks, decoded := 0, 0
	for _, path := range pages {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(readPage(t, path)))
		if err != nil {
			continue
		}
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if typ, _ := s.Attr("type"); !ldIsScriptType(typ) {
				return
			}
			blocks++
			if checkLDDecode(t, path, ldUnwrapScript(s.Text())) {
				decoded++
			}
		})
	}
	for _, path := range jsons {
		blocks++
		if checkLDDecode(t, path, string(readPage(t, path))) {
			decoded++
		}
	}
	if blocks < 5 || decoded < blocks*9/10 {
		t.Errorf("%d blocks, %d decoded by ldDecodeValue: the comparison compared little", blocks, decoded)
	}
	t.Logf("%d pages and %d JSON files: %d blocks, %d decoded by ldDecodeValue (the others left to encoding/json)", len(pages), len(jsons), blocks, decoded)
}

// FuzzLDDecodeValue compares ldDecodeValue with encoding/json.
func FuzzLDDecodeValue(f *testing.F) {
	for _, s := range ldDecodeTricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkLDDecode(t, "fuzz", s) })
}
