package charts

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jobtrends/jobtrends/analyze"
)

// Options are the settings of Write that are not the report's numbers.
type Options struct {
	// Title heads the page; empty means "jobtrends: ML-engineer job market".
	Title string
	// Generated is when the report was made (shown on the page).
	Generated time.Time
	// EChartsJS is the ECharts library (see LoadECharts); required. It is
	// written next to index.html as echarts.min.js.
	EChartsJS []byte
	// Provenance says where the data came from, e.g.
	// "demo: bundled real pages".
	Provenance string
}

// markerName is a file every report folder holds, so that Write replaces
// a folder only when it is an earlier report (or empty) and never wipes a
// folder of other files given by mistake.
const markerName = ".jobtrends-report"

// File and folder modes of the report.
const (
	fileMode = 0o644
	dirMode  = 0o755
)

// beforeWrite is called before each file of the report is written; tests
// replace it to fail in the middle of a write.
var beforeWrite = func(name string) error { return nil }

// Write writes the report for rep into dir: index.html, report.js,
// echarts.min.js and data/*.csv. It builds everything in a temporary
// folder beside dir, syncs it, and renames it into place, so that dir
// holds either the previous report or the new one, never a mix; on error
// the previous report is left as it was. dir must be new, empty, or an
// earlier report.
func Write(dir string, rep *analyze.Report, opt Options) (err error) {
	if rep == nil {
		return errors.New("write report: no report")
	}
	if len(opt.EChartsJS) == 0 {
		return fmt.Errorf("write report: no ECharts library given: %w", ErrNoECharts)
	}
	files, err := render(rep, opt)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	dir = filepath.Clean(dir)
	if err := checkTarget(dir); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, dirMode); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	removeStaleTemps(parent, "."+filepath.Base(dir)+".tmp-", time.Now())
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer func() {
		if rmErr := os.RemoveAll(tmp); rmErr != nil && err == nil {
			err = fmt.Errorf("write report: remove old report: %w", rmErr)
		}
	}()
	if err := os.Chmod(tmp, dirMode); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	for _, f := range files {
		if err := writeSynced(tmp, f.name, f.data); err != nil {
			return fmt.Errorf("write report: %s: %w", f.name, err)
		}
	}
	for _, d := range []string{filepath.Join(tmp, "data"), tmp} {
		if err := syncDir(d); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	if err := replaceDir(tmp, dir); err != nil {
		return fmt.Errorf("write report: put %s in place: %w", dir, err)
	}
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// file is one file of the report, relative to its folder.
type file struct {
	name string
	data []byte
}

// render builds every file of the report in memory.
func render(rep *analyze.Report, opt Options) ([]file, error) {
	p, err := buildPage(rep, opt)
	if err != nil {
		return nil, err
	}
	var html bytes.Buffer
	if err := pageTemplate.Execute(&html, p); err != nil {
		return nil, fmt.Errorf("render index.html: %w", err)
	}
	files := []file{
		{markerName, []byte("a jobtrends report folder: `jobtrends report` replaces it as a whole\n")},
		{"echarts.min.js", opt.EChartsJS},
		{"report.js", reportJS},
	}
	for _, s := range p.Sections {
		for _, f := range s.Figures {
			if len(f.Table.Rows) > 0 {
				files = append(files, file{f.CSVName(), f.Table.CSV()})
			}
		}
	}
	// index.html last: a reader of the temporary folder never sees a page
	// whose files are missing.
	return append(files, file{"index.html", html.Bytes()}), nil
}

// staleTempAge is how old a temporary report folder must be before a later
// Write removes it: one left by a killed writer. A report being written at
// the same moment by another process is far younger.
const staleTempAge = time.Hour

// removeStaleTemps removes temporary report folders (prefix*) in parent
// that a killed writer left behind. Errors are ignored: this is cleanup.
func removeStaleTemps(parent, prefix string, now time.Time) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > staleTempAge {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// checkTarget refuses to replace anything that is not an earlier report.
func checkTarget(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, markerName)); err != nil {
		return fmt.Errorf("%s is not empty and holds no earlier jobtrends report (no %s file); choose a new or empty folder", dir, markerName)
	}
	return nil
}

// writeSynced writes name under dir and syncs it to disk.
func writeSynced(dir, name string, data []byte) error {
	if err := beforeWrite(name); err != nil {
		return err
	}
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir syncs a folder's entries to disk (a no-op where folders cannot
// be synced).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && strictDirSync {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// replaceDir puts the folder tmp at dir. When dir exists, the two are
// swapped (atomically where the system can) and tmp then holds the old
// report, which the caller removes.
func replaceDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if err := exchange(tmp, dir); err == nil {
		return nil
	}
	// No atomic exchange here: move the old report aside, put the new one
	// in place, and put the old one back if that fails.
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if back := os.Rename(old, dir); back != nil {
			return fmt.Errorf("%w (and restoring the previous report from %s failed: %v)", err, old, back)
		}
		return err
	}
	return os.Rename(old, tmp)
}
