// Command copyecharts copies node_modules/echarts/dist/echarts.min.js (found
// in the working directory or one of its parents) to assets/echarts.min.js,
// for `go build -tags embedecharts`. It runs from the charts folder through
// `go generate ./charts`; run `npm ci` at the repository root first.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "copyecharts:", err)
		os.Exit(1)
	}
}

func run() error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	rel := filepath.Join("node_modules", "echarts", "dist", "echarts.min.js")
	for dir := wd; ; dir = filepath.Dir(dir) {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err == nil {
			if err := os.MkdirAll("assets", 0o755); err != nil {
				return err
			}
			tmp := filepath.Join("assets", ".echarts.min.js.tmp")
			if err := os.WriteFile(tmp, b, 0o644); err != nil {
				return err
			}
			if err := os.Rename(tmp, filepath.Join("assets", "echarts.min.js")); err != nil {
				return err
			}
			fmt.Printf("copyecharts: %s → assets/echarts.min.js (%d bytes)\n", filepath.Join(dir, rel), len(b))
			return nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if filepath.Dir(dir) == dir {
			return fmt.Errorf("%s not found in %s or its parents: run `npm ci` at the repository root", rel, wd)
		}
	}
}
