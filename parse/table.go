package parse

// table.go reads postings from tables (CSV, JSON Lines, JSON arrays) for
// `jobtrends import`: datasets of past postings that no crawl can fetch
// again.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobtrends/jobtrends"
)

// The table formats ReadTable reads.
const (
	TableCSV   = "csv"   // a header row naming the columns, then one row per posting
	TableJSONL = "jsonl" // one JSON object per line
	TableJSON  = "json"  // a JSON array of objects (or one inside a document, see TableSpec.Records)
)

// TableFields are the posting fields a TableSpec can map, in the order
// they are documented.
var TableFields = []string{
	"external_id", "source_type", "url", "title", "company",
	"location", "city", "region", "country", "remote", "employment_type",
	"date_posted", "thread", "salary", "salary_min", "salary_max",
	"salary_currency", "salary_period", "description", "industry",
}

// TableSpec says how to read one table. Columns maps posting fields to
// column names (CSV header) or keys (JSON; "a.b" reads key b of object a);
// Set gives fields a constant value, for what a file holds only in its
// name (the month of a monthly dump: thread: 2015-03). A field is mapped
// or set, not both. The fields:
//
//	external_id      the posting's id in its source (else a hash of the row)
//	source_type      e.g. hn (default "table")
//	url, title, company, industry, employment_type
//	location         free text, through ParseLocation
//	city, region, country   parts of the location (country as a name or code)
//	remote           yes/no/true/false/remote/onsite/hybrid/unknown, or a location-like text
//	date_posted      a date or date-time, epoch seconds or milliseconds
//	thread           the HN thread month: YYYY-MM, or a date in that month
//	salary           pay as text, through ParseSalary
//	salary_min, salary_max, salary_currency, salary_period   pay as fields
//	description      HTML or text, kept as plain text
type TableSpec struct {
	Format  string            `yaml:"format"`
	Columns map[string]string `yaml:"columns"`
	Set     map[string]string `yaml:"set,omitempty"`
	// Records is, for the json format, the key path of the array of
	// records inside the document ("jobs", "data.items"); empty for a
	// top-level array.
	Records string `yaml:"records,omitempty"`
}

// Validate checks the spec: a known format, known field names, no field
// both mapped and set, no empty column name, Records only for json.
func (s TableSpec) Validate() error {
	var errs []error
	switch s.Format {
	case TableCSV, TableJSONL, TableJSON:
	default:
		errs = append(errs, fmt.Errorf("table format %q: want csv, jsonl or json", s.Format))
	}
	known := map[string]bool{}
	for _, f := range TableFields {
		known[f] = true
	}
	for _, f := range tblSortedKeys(s.Columns) {
		switch {
		case !known[f]:
			errs = append(errs, fmt.Errorf("table columns: unknown field %q (fields: %s)", f, strings.Join(TableFields, ", ")))
		case strings.TrimSpace(s.Columns[f]) == "":
			errs = append(errs, fmt.Errorf("table columns: field %q: empty column name", f))
		}
	}
	for _, f := range tblSortedKeys(s.Set) {
		switch {
		case !known[f]:
			errs = append(errs, fmt.Errorf("table set: unknown field %q (fields: %s)", f, strings.Join(TableFields, ", ")))
		case s.Columns[f] != "":
			errs = append(errs, fmt.Errorf("table set: field %q is also mapped to column %q", f, s.Columns[f]))
		}
	}
	if s.Records != "" && s.Format != TableJSON {
		errs = append(errs, fmt.Errorf("table records %q: only for the json format", s.Records))
	}
	if len(s.Columns) == 0 && len(s.Set) == 0 {
		errs = append(errs, errors.New("table columns: no field mapped"))
	}
	return errors.Join(errs...)
}

// TableError is a failure to read one row of a table: where it is
// (origin:line) and which column.
type TableError struct {
	Origin string // the file
	Line   int    // 1-based line where the row starts; 0 when unknown
	Column string // the column or key; "" for the row or the file
	Field  string // the posting field it was mapped to
	Err    error
}

// Error formats the error as origin:line: column "c" (field): cause.
func (e *TableError) Error() string {
	var b strings.Builder
	b.WriteString(e.Origin)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
		if e.Field != "" && e.Field != e.Column {
			fmt.Fprintf(&b, " (%s)", e.Field)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *TableError) Unwrap() error { return e.Err }

// tblMaxRowErrors bounds the row errors ReadTable reports one by one.
const tblMaxRowErrors = 20

// ReadTable reads the postings of a table and calls fn with each, in file
// order. Every posting has Origin set to origin; ExternalID is the mapped
// id, else "row:" and a hash of the row's content (stable across imports
// of the same file, so that a re-import creates no duplicates).
// DatePosted is date_posted, else the first day of the thread month with
// DateApprox. A structured salary (salary_min/salary_max) wins over
// salary text; amounts of 0 are "not stated". A description is read as
// HTML into plain text.
//
// The spec is checked first (TableSpec.Validate), then, for CSV, that the
// header has every mapped column. A file that cannot be read (malformed
// CSV or JSON) stops the import with a *TableError naming origin:line. A
// value that cannot be read (a date, an amount) skips its row; the
// import goes on and the returned error lists those rows (*TableError,
// origin:line and column, at most 20 shown). An error from fn stops the
// import and is returned wrapped with origin:line.
func ReadTable(r io.Reader, spec TableSpec, origin string, fn func(p jobtrends.Posting) error) error {
	if err := spec.Validate(); err != nil {
		return fmt.Errorf("%s: %w", origin, err)
	}
	t := &tblReader{spec: spec, origin: origin, fn: fn}
	var err error
	switch spec.Format {
	case TableCSV:
		err = t.readCSV(r)
	case TableJSONL:
		err = t.readJSONL(r)
	case TableJSON:
		err = t.readJSON(r)
	}
	if err != nil {
		return err
	}
	if len(t.rowErrs) == 0 {
		return nil
	}
	errs := t.rowErrs
	if t.skipped > len(errs) {
		errs = append(errs, fmt.Errorf("%s: %d rows skipped in all", origin, t.skipped))
	}
	return errors.Join(errs...)
}

// tblReader holds the state of one ReadTable.
type tblReader struct {
	spec    TableSpec
	origin  string
	fn      func(jobtrends.Posting) error
	rowErrs []error
	skipped int
}

// tblRow gives the values of one row by column name.
type tblRow struct {
	line   int
	get    func(column string) (string, bool)
	digest []byte // the row's content, for the fallback id
}

// row turns one row into a posting and hands it to fn.
func (t *tblReader) row(row tblRow) error {
	p, err := t.posting(row)
	if err != nil {
		t.skipped++
		if len(t.rowErrs) < tblMaxRowErrors {
			t.rowErrs = append(t.rowErrs, err)
		}
		return nil
	}
	if err := t.fn(p); err != nil {
		return fmt.Errorf("%s:%d: %w", t.origin, row.line, err)
	}
	return nil
}

// posting reads the fields of one row.
func (t *tblReader) posting(row tblRow) (jobtrends.Posting, error) {
	val := func(field string) string {
		if v, ok := t.spec.Set[field]; ok {
			return strings.TrimSpace(v)
		}
		col := t.spec.Columns[field]
		if col == "" {
			return ""
		}
		v, _ := row.get(col)
		return strings.TrimSpace(v)
	}
	fail := func(field string, err error) (jobtrends.Posting, error) {
		col := t.spec.Columns[field]
		if _, set := t.spec.Set[field]; set {
			col = "set " + field
		}
		return jobtrends.Posting{}, &TableError{Origin: t.origin, Line: row.line, Column: col, Field: field, Err: err}
	}

	p := jobtrends.Posting{Origin: t.origin, Remote: jobtrends.RemoteUnknown}
	p.SourceType = apiFirst(val("source_type"), "table")
	p.ExternalID = val("external_id")
	if p.ExternalID == "" {
		sum := sha256.Sum256(row.digest)
		p.ExternalID = "row:" + hex.EncodeToString(sum[:12])
	}
	p.URL = val("url")
	p.Title = apiLine(val("title"))
	p.Company = apiLine(val("company"))
	p.Industry = apiLine(val("industry"))
	p.EmploymentType = apiEmployment(val("employment_type"))
	if d := val("description"); d != "" {
		p.Description = apiDescription(d)
	}

	locText := val("location")
	p.Location, p.Remote = apiLocation(locText)
	city, region, country := apiLine(val("city")), apiLine(val("region")), val("country")
	if city != "" {
		p.Location.City = city
	}
	if region != "" {
		p.Location.Region = region
	}
	if country != "" {
		if c := CountryCode(country); c != "" {
			p.Location.Country = c
		}
	}
	if locText == "" {
		p.Location.Text = apiJoin(", ", city, region, apiLine(country))
	}
	if rv := val("remote"); rv != "" {
		r, ok := tblRemote(rv)
		if !ok {
			return fail("remote", fmt.Errorf("remote %q: want yes, no, hybrid, remote, onsite or unknown", rv))
		}
		if r != jobtrends.RemoteUnknown || p.Remote == "" {
			p.Remote = r
		}
	}

	if d := val("date_posted"); d != "" {
		tm, approx, err := ParseDate(d, time.Time{})
		if err != nil {
			return fail("date_posted", err)
		}
		p.DatePosted, p.DateApprox = tm, approx
	}
	if th := val("thread"); th != "" {
		m, err := tblMonth(th)
		if err != nil {
			return fail("thread", err)
		}
		p.Thread = m
		if p.DatePosted.IsZero() {
			p.DatePosted, _ = time.Parse("2006-01", m)
			p.DateApprox = true
		}
	}

	lo, err := tblAmount(val("salary_min"))
	if err != nil {
		return fail("salary_min", err)
	}
	hi, err := tblAmount(val("salary_max"))
	if err != nil {
		return fail("salary_max", err)
	}
	if lo != nil || hi != nil {
		cur, per := val("salary_currency"), val("salary_period")
		raw := apiJoin(" ", apiJoin("-", val("salary_min"), val("salary_max")), cur, per)
		p.Salary = SalaryFromAmounts(raw, lo, hi, cur, per)
	} else if s := val("salary"); s != "" {
		p.Salary = apiTextSalary(s)
	}
	return p, nil
}

// tblRemote reads a remote column.
func tblRemote(v string) (jobtrends.Remote, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "y", "true", "1", "remote", "full", "fully remote":
		return jobtrends.RemoteFull, true
	case "no", "n", "false", "0", "onsite", "on-site", "on site", "office", "in office":
		return jobtrends.RemoteOnsite, true
	case "hybrid", "partial", "partially remote":
		return jobtrends.RemoteHybrid, true
	case "unknown", "", "n/a", "na", "null", "none", "-":
		return jobtrends.RemoteUnknown, true
	}
	if r := apiWorkplace(v); r != jobtrends.RemoteUnknown {
		return r, true
	}
	if _, r := ParseLocation(v); r != "" && r != jobtrends.RemoteUnknown {
		return r, true
	}
	return jobtrends.RemoteUnknown, false
}

// tblMonth reads a thread month: "2015-03", "2015-3", or any date in it.
func tblMonth(v string) (string, error) {
	if y, m, ok := strings.Cut(v, "-"); ok && len(y) == 4 && len(m) <= 2 {
		if mo, err := strconv.Atoi(m); err == nil && mo >= 1 && mo <= 12 {
			if yr, err := strconv.Atoi(y); err == nil && yr >= 1995 && yr < 2200 {
				return fmt.Sprintf("%04d-%02d", yr, mo), nil
			}
		}
	}
	tm, _, err := ParseDate(v, time.Time{})
	if err != nil {
		return "", fmt.Errorf("thread %q: want YYYY-MM or a date: %w", v, err)
	}
	return tm.Format("2006-01"), nil
}

// tblAmount reads a salary amount: a number, possibly with thousands
// separators ("120,000"); nil when empty or 0 (not stated).
func tblAmount(v string) (*float64, error) {
	v = strings.ReplaceAll(strings.ReplaceAll(v, ",", ""), "_", "")
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return nil, fmt.Errorf("amount %q: not a number", v)
	}
	if f == 0 {
		return nil, nil
	}
	return &f, nil
}

// readCSV reads a CSV table with a header row.
func (t *tblReader) readCSV(r io.Reader) error {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return t.fileErr(err, 1)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := index[h]; !dup {
			index[h] = i
		}
	}
	var missing []error
	for _, f := range tblSortedKeys(t.spec.Columns) {
		if _, ok := index[t.spec.Columns[f]]; !ok {
			missing = append(missing, &TableError{Origin: t.origin, Line: 1, Column: t.spec.Columns[f], Field: f, Err: errors.New("not in the header")})
		}
	}
	if len(missing) > 0 {
		return errors.Join(missing...)
	}
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, csv.ErrFieldCount) {
			// A row with more or fewer fields than the header: skipped.
			line, _ := cr.FieldPos(0)
			t.skipped++
			if len(t.rowErrs) < tblMaxRowErrors {
				t.rowErrs = append(t.rowErrs, &TableError{Origin: t.origin, Line: line,
					Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(header))})
			}
			continue
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return t.fileErr(err, line)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			if !utf8.ValidString(rec[i]) {
				rec[i] = strings.ToValidUTF8(rec[i], "\ufffd")
			}
		}
		get := func(col string) (string, bool) {
			i, ok := index[col]
			if !ok || i >= len(rec) {
				return "", false
			}
			return rec[i], true
		}
		if err := t.row(tblRow{line: line, get: get, digest: []byte(strings.Join(rec, "\x1f"))}); err != nil {
			return err
		}
	}
}

// readJSONL reads one JSON object per line; blank lines are skipped.
func (t *tblReader) readJSONL(r io.Reader) error {
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			var obj map[string]any
			d := json.NewDecoder(bytes.NewReader(b))
			d.UseNumber()
			if derr := d.Decode(&obj); derr != nil {
				return t.fileErr(fmt.Errorf("invalid json: %w", derr), line)
			}
			if rerr := t.row(tblRow{line: line, get: tblJSONGetter(obj), digest: bytes.TrimSpace(b)}); rerr != nil {
				return rerr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return t.fileErr(err, line)
		}
	}
}

// readJSON reads a JSON array of objects, at the top or at spec.Records,
// one element at a time.
func (t *tblReader) readJSON(r io.Reader) error {
	lc := &tblLineCounter{r: r}
	d := json.NewDecoder(lc)
	d.UseNumber()
	at := func() int { return lc.lineAt(d.InputOffset()) }
	if t.spec.Records != "" {
		if err := tblSeek(d, strings.Split(t.spec.Records, ".")); err != nil {
			return t.fileErr(err, at())
		}
	}
	tok, err := d.Token()
	if err != nil {
		return t.fileErr(fmt.Errorf("invalid json: %w", err), at())
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '[' {
		return t.fileErr(fmt.Errorf("want an array of records, found %v", tok), at())
	}
	for d.More() {
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return t.fileErr(fmt.Errorf("invalid json: %w", err), at())
		}
		line := lc.lineAt(d.InputOffset() - int64(len(raw))) // where the record starts
		if len(raw) > 0 && raw[0] != '{' {
			return t.fileErr(fmt.Errorf("record is not an object: %.40s", raw), line)
		}
		var obj map[string]any
		od := json.NewDecoder(bytes.NewReader(raw))
		od.UseNumber()
		if err := od.Decode(&obj); err != nil {
			return t.fileErr(fmt.Errorf("invalid json: %w", err), line)
		}
		if err := t.row(tblRow{line: line, get: tblJSONGetter(obj), digest: raw}); err != nil {
			return err
		}
	}
	return nil
}

// tblSeek advances d into the document to the value at path.
func tblSeek(d *json.Decoder, path []string) error {
	for _, key := range path {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("invalid json: %w", err)
		}
		if delim, ok := tok.(json.Delim); !ok || delim != '{' {
			return fmt.Errorf("records %q: %v is not an object", key, tok)
		}
		found := false
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return fmt.Errorf("invalid json: %w", err)
			}
			if k == key {
				found = true
				break
			}
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				return fmt.Errorf("invalid json: %w", err)
			}
		}
		if !found {
			return fmt.Errorf("records: no key %q: %w", key, ErrMissing)
		}
	}
	return nil
}

// tblJSONGetter reads "a.b" paths of a JSON object as text: strings and
// numbers as written, booleans as true/false, arrays of scalars joined by
// ", ", null and objects as "".
func tblJSONGetter(obj map[string]any) func(string) (string, bool) {
	return func(path string) (string, bool) {
		var v any = obj
		for _, k := range strings.Split(path, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return "", false
			}
			if v, ok = m[k]; !ok {
				return "", false
			}
		}
		return tblScalar(v), true
	}
}

func tblScalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case []any:
		var out []string
		for _, e := range t {
			if s := tblScalar(e); s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, ", ")
	}
	return ""
}

// fileErr is a *TableError for the file at a line.
func (t *tblReader) fileErr(err error, line int) error {
	if err == io.EOF {
		err = errors.New("empty file")
	}
	return &TableError{Origin: t.origin, Line: line, Err: err}
}

// tblLineCounter passes a reader through and remembers where its lines
// start, so that a JSON decoder's offset can be told as a line.
type tblLineCounter struct {
	r      io.Reader
	off    int64
	starts []int64 // offsets of the bytes after each newline
}

func (c *tblLineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			c.starts = append(c.starts, c.off+int64(i)+1)
		}
	}
	c.off += int64(n)
	return n, err
}

// lineAt is the 1-based line of an offset.
func (c *tblLineCounter) lineAt(off int64) int {
	return sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > off }) + 1
}

func tblSortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
