package jsondiff

import (
	"strings"
	"testing"
)

func TestFirst(t *testing.T) {
	type v struct {
		A, B int
		C    []string
	}
	if d := First(v{1, 2, []string{"x"}}, v{1, 2, []string{"x"}}); d != "" {
		t.Errorf("equal values: %q", d)
	}
	d := First(v{1, 3, nil}, v{1, 2, nil})
	if !strings.Contains(d, "line 3 of the JSON") || !strings.Contains(d, `got:   "B": 3,`) || !strings.Contains(d, `want:  "B": 2,`) {
		t.Errorf("B differs: %q", d)
	}
	if d := First(v{C: []string{}}, v{}); !strings.Contains(d, "line 4") {
		t.Errorf("[] against null: %q", d)
	}
	if d := First(v{}, []int{1}); !strings.Contains(d, "line 1") {
		t.Errorf("other shapes: %q", d)
	}
	if d := First(make(chan int), v{}); !strings.Contains(d, "does not encode") {
		t.Errorf("a channel: %q", d)
	}
}
