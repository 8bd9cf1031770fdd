package charts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lib writes a stand-in echarts.min.js at dir/node_modules/... and returns
// the folder.
func lib(tb testing.TB, dir, content string) string {
	tb.Helper()
	p := filepath.Join(dir, nodeModulesPath)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func TestFindECharts(t *testing.T) {
	root := t.TempDir()
	repo := lib(t, filepath.Join(root, "repo"), "/* echarts from repo */")
	deep := filepath.Join(repo, "cmd", "jobtrends")
	exeDir := lib(t, filepath.Join(root, "opt"), "/* echarts beside the binary */")
	envFile := filepath.Join(root, "my-echarts.js")
	if err := os.WriteFile(envFile, []byte("/* echarts from env */"), 0o644); err != nil {
		t.Fatal(err)
	}
	notJS := filepath.Join(root, "notes.txt")
	if err := os.WriteFile(notJS, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()

	tests := []struct {
		name     string
		env      string
		embedded []byte
		dirs     []string
		want     string // content
		from     string // substring of where
		wantErr  string
	}{
		{name: "env wins", env: envFile, embedded: []byte("echarts embedded"), dirs: []string{repo}, want: "/* echarts from env */", from: EChartsEnv},
		{name: "env pointing nowhere is an error", env: filepath.Join(root, "nope.js"), dirs: []string{repo}, wantErr: EChartsEnv},
		{name: "env pointing at another file", env: notJS, wantErr: "does not look like echarts"},
		{name: "embedded before node_modules", embedded: []byte("echarts embedded"), dirs: []string{repo}, want: "echarts embedded", from: "embedded"},
		{name: "working directory", dirs: []string{repo, exeDir}, want: "/* echarts from repo */", from: repo},
		{name: "parent of the working directory", dirs: []string{deep}, want: "/* echarts from repo */", from: repo},
		{name: "executable directory", dirs: []string{empty, exeDir}, want: "/* echarts beside the binary */", from: exeDir},
		{name: "nowhere", dirs: []string{empty}, wantErr: "npm ci"},
		{name: "no places at all", wantErr: EChartsEnv + "=/path/to/echarts.min.js"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, from, err := findECharts(tt.env, tt.embedded, tt.dirs...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want || !strings.Contains(from, tt.from) {
				t.Errorf("got %q from %q, want %q from %q", b, from, tt.want, tt.from)
			}
		})
	}
	t.Run("not found wraps ErrNoECharts", func(t *testing.T) {
		_, _, err := findECharts("", nil, empty)
		if !errors.Is(err, ErrNoECharts) {
			t.Errorf("error %v does not wrap ErrNoECharts", err)
		}
	})
}
