package charts

//go:generate go run ./internal/copyecharts

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// EChartsEnv is the environment variable that points LoadECharts at an
// echarts.min.js file.
const EChartsEnv = "JOBTRENDS_ECHARTS"

// nodeModulesPath is where npm puts the library, relative to the folder
// holding package.json.
var nodeModulesPath = filepath.Join("node_modules", "echarts", "dist", "echarts.min.js")

// ErrNoECharts is returned (wrapped) by LoadECharts when the library is
// nowhere to be found.
var ErrNoECharts = errors.New("ECharts not found: run `npm ci` in the jobtrends source tree, " +
	"or set " + EChartsEnv + "=/path/to/echarts.min.js, or build with `go generate ./charts && go build -tags embedecharts`")

// LoadECharts finds the ECharts library the report needs and says where it
// came from. It looks, in order, at the file named by $JOBTRENDS_ECHARTS,
// at the copy embedded in the binary (only when built with
// -tags embedecharts), and at node_modules/echarts/dist/echarts.min.js in
// the working directory, the executable's directory and each of their
// parents.
func LoadECharts() ([]byte, string, error) {
	wd, _ := os.Getwd()
	exe, err := os.Executable()
	if err == nil {
		if p, err := filepath.EvalSymlinks(exe); err == nil {
			exe = p
		}
		exe = filepath.Dir(exe)
	}
	return findECharts(os.Getenv(EChartsEnv), embeddedECharts, wd, exe)
}

// findECharts is LoadECharts with its inputs as arguments.
func findECharts(env string, embedded []byte, dirs ...string) ([]byte, string, error) {
	if env != "" {
		b, err := readECharts(env)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", EChartsEnv, err)
		}
		return b, EChartsEnv + "=" + env, nil
	}
	if len(embedded) > 0 {
		return embedded, "embedded in the binary (-tags embedecharts)", nil
	}
	var tried []string
	for _, d := range dirs {
		if d == "" {
			continue
		}
		for dir := filepath.Clean(d); ; {
			p := filepath.Join(dir, nodeModulesPath)
			tried = append(tried, p)
			if b, err := readECharts(p); err == nil {
				return b, p, nil
			} else if !errors.Is(err, os.ErrNotExist) {
				return nil, "", err
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if len(tried) > 0 {
		return nil, "", fmt.Errorf("%w (looked in %s and %d other places)", ErrNoECharts, tried[0], len(tried)-1)
	}
	return nil, "", ErrNoECharts
}

// readECharts reads an echarts.min.js and checks that it looks like one.
func readECharts(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(b, []byte("echarts")) {
		return nil, fmt.Errorf("%s does not look like echarts.min.js", path)
	}
	return b, nil
}
