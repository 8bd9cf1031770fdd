// Package jsondiff shows where two values differ, for test failures: the
// first line of their indented JSON that differs, with the lines of want
// before it.
package jsondiff

import (
	"encoding/json"
	"fmt"
	"strings"
)

// First returns the first line where the indented JSON of got and want
// differ, with up to 8 lines of want before it as context, or "" when
// their JSON is the same (they may still differ where JSON does not show
// it: a nil against an empty slice, unexported fields).
func First(got, want any) string {
	g, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		return fmt.Sprintf("got does not encode as JSON: %v", err)
	}
	w, err := json.MarshalIndent(want, "", " ")
	if err != nil {
		return fmt.Sprintf("want does not encode as JSON: %v", err)
	}
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := range max(len(gl), len(wl)) {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			lo := max(0, i-8)
			return fmt.Sprintf("line %d of the JSON:\ngot:  %s\nwant: %s\ncontext (want):\n%s",
				i+1, a, b, strings.Join(wl[lo:min(len(wl), i+1)], "\n"))
		}
	}
	return ""
}
