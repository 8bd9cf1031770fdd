package parse

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

// tblAmberSpec maps the columns of the amber-williams HN table, the way a
// config or `jobtrends import --column …` would.
var tblAmberSpec = TableSpec{
	Format: TableCSV,
	Columns: map[string]string{
		"external_id": "post_link_id", "date_posted": "post_date", "thread": "post_date",
		"company": "company", "title": "job_title", "employment_type": "employment_type",
		"salary": "salary", "remote": "remote", "city": "city", "country": "country",
	},
	Set: map[string]string{"source_type": "hn"},
}

// tblRead reads a whole table into a slice.
func tblRead(tb testing.TB, body []byte, spec TableSpec, origin string) ([]jobtrends.Posting, error) {
	tb.Helper()
	var out []jobtrends.Posting
	err := ReadTable(bytes.NewReader(body), spec, origin, func(p jobtrends.Posting) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// tblCSVRecords reads a CSV file's records independently, as maps by
// header name.
func tblCSVRecords(tb testing.TB, body []byte) []map[string]string {
	tb.Helper()
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestReadTableAmber imports the amber-williams HN table (the committed
// sample always; the whole corpus file when JOBTRENDS_CORPUS is set) and
// checks every posting against its row read independently.
func TestReadTableAmber(t *testing.T) {
	files := []struct{ name, path string }{
		{"sample", "testdata/tables/amber-williams_hn_jobs_sample.csv"},
		{"whole file", "corpus:hn/dumps/amber-williams_hn_jobs_db_export.csv"},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			path := f.path
			if rest, ok := strings.CutPrefix(path, "corpus:"); ok {
				path = filepath.Join(corpusDir(t), rest)
			}
			body := readPage(t, path)
			ps, err := tblRead(t, body, tblAmberSpec, path)
			if err != nil {
				t.Fatal(err)
			}
			recs := tblCSVRecords(t, body)
			if len(ps) != len(recs) {
				t.Fatalf("%d postings, the file has %d rows", len(ps), len(recs))
			}
			remote := map[string]jobtrends.Remote{"yes": jobtrends.RemoteFull, "no": jobtrends.RemoteOnsite, "hybrid": jobtrends.RemoteHybrid, "unknown": jobtrends.RemoteUnknown}
			withPay, stated := 0, 0
			for i, p := range ps {
				r := recs[i]
				id := r["post_link_id"]
				date, err := time.Parse("2006-01-02T15:04:05", r["post_date"])
				if err != nil {
					t.Fatal(err)
				}
				if p.ExternalID != id || p.SourceType != "hn" || p.Origin != path {
					t.Errorf("row %d: id %q source %q origin %q", i, p.ExternalID, p.SourceType, p.Origin)
				}
				if p.Title != strings.Join(strings.Fields(r["job_title"]), " ") || p.Company != strings.Join(strings.Fields(r["company"]), " ") {
					t.Errorf("%s: title %q company %q; row %q %q", id, p.Title, p.Company, r["job_title"], r["company"])
				}
				if !p.DatePosted.Equal(date) || p.DateApprox || p.Thread != date.Format("2006-01") {
					t.Errorf("%s: date %v approx %v thread %q; row %q", id, p.DatePosted, p.DateApprox, p.Thread, r["post_date"])
				}
				if want, ok := remote[r["remote"]]; !ok || p.Remote != want {
					t.Errorf("%s: remote %q; row %q", id, p.Remote, r["remote"])
				}
				if r["city"] != "" && p.Location.City != strings.TrimSpace(r["city"]) {
					t.Errorf("%s: city %q; row %q", id, p.Location.City, r["city"])
				}
				if r["salary"] != "" {
					stated++
				}
				if p.Salary != nil {
					withPay++
					apiCheckNoZeroPay(t, id, p.Salary)
					if r["salary"] == "" {
						t.Errorf("%s: salary %s from an empty salary column", id, FormatSalary(p.Salary))
					} else if !strings.Contains(r["salary"], p.Salary.Raw) {
						t.Errorf("%s: salary raw %q not in %q", id, p.Salary.Raw, r["salary"])
					}
				}
			}
			if stated == 0 {
				t.Fatal("no row states a salary: wrong test file")
			}
			t.Logf("%d rows, %d with salary text, %d salaries read", len(ps), stated, withPay)
			if withPay == 0 {
				t.Errorf("no salary read from %d salary texts", stated)
			}
		})
	}
}

// TestReadTableJSON imports a real JSON array (the gaganpreet HN dump of
// January 2014, whose month is only in the file name) and the same records
// as JSON Lines, and compares with the array read independently.
func TestReadTableJSON(t *testing.T) {
	body := readPage(t, "testdata/tables/hn_whoishiring_2014-01.json.gz")
	var raw []map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	var jsonl bytes.Buffer
	for _, r := range raw {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		jsonl.Write(b)
		jsonl.WriteString("\n\n") // blank lines are skipped
	}
	spec := TableSpec{
		Columns: map[string]string{"external_id": "url", "url": "url", "description": "full_html", "location": "location", "country": "country", "remote": "remote"},
		Set:     map[string]string{"thread": "2014-01", "source_type": "hn"},
	}
	for _, format := range []string{TableJSON, TableJSONL} {
		t.Run(format, func(t *testing.T) {
			s := spec
			s.Format = format
			in := body
			if format == TableJSONL {
				in = jsonl.Bytes()
			}
			ps, err := tblRead(t, in, s, "hn_whoishiring_2014-01.json")
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != len(raw) {
				t.Fatalf("%d postings, the array has %d", len(ps), len(raw))
			}
			month := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
			for i, p := range ps {
				r := raw[i]
				if p.ExternalID != r["url"] || p.Thread != "2014-01" || !p.DatePosted.Equal(month) || !p.DateApprox {
					t.Errorf("record %d: id %q thread %q date %v approx %v", i, p.ExternalID, p.Thread, p.DatePosted, p.DateApprox)
				}
				if p.Description == "" || tblTagInText.MatchString(p.Description) {
					t.Errorf("%s: description %.80q", p.ExternalID, p.Description)
				}
				wantRemote := jobtrends.RemoteOnsite
				if r["remote"] == true {
					wantRemote = jobtrends.RemoteFull
				}
				if p.Remote != wantRemote {
					t.Errorf("%s: remote %q, record says %v", p.ExternalID, p.Remote, r["remote"])
				}
				if c, _ := r["country"].(string); c != "" && p.Location.Country != c {
					t.Errorf("%s: country %q, record says %q", p.ExternalID, p.Location.Country, c)
				}
			}
		})
	}
}

// TestReadTableRecords imports the jobs array inside a real document (the
// official-API top-level comments of the 2026-01 thread) with Records.
func TestReadTableRecords(t *testing.T) {
	path := filepath.Join(corpusDir(t), "hn/dumps/hn_gantryops_2026-01_46466074_firebase_toplevel_raw.json")
	body := readPage(t, path)
	var doc struct {
		Jobs []struct {
			ID   json.Number `json:"id"`
			Time int64       `json:"time"`
			Text string      `json:"text"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	spec := TableSpec{Format: TableJSON, Records: "jobs",
		Columns: map[string]string{"external_id": "id", "date_posted": "time", "description": "text"},
		Set:     map[string]string{"thread": "2026-01", "source_type": "hn"}}
	ps, err := tblRead(t, body, spec, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(doc.Jobs) {
		t.Fatalf("%d postings, the document has %d jobs", len(ps), len(doc.Jobs))
	}
	for i, p := range ps {
		j := doc.Jobs[i]
		if p.ExternalID != j.ID.String() || !p.DatePosted.Equal(time.Unix(j.Time, 0)) || p.DateApprox {
			t.Errorf("job %s: id %q date %v", j.ID, p.ExternalID, p.DatePosted)
		}
		if (j.Text == "") != (p.Description == "") || tblTagInText.MatchString(p.Description) {
			t.Errorf("job %s: description %.80q", j.ID, p.Description)
		}
	}
}

// TestTableSpecValidate checks that a spec that cannot be right is refused
// before anything is read, naming what is wrong.
func TestTableSpecValidate(t *testing.T) {
	tests := []struct {
		name string
		spec TableSpec
		want []string
	}{
		{"valid", tblAmberSpec, nil},
		{"unknown format", TableSpec{Format: "xlsx", Columns: map[string]string{"title": "t"}}, []string{`"xlsx"`}},
		{"unknown column field", TableSpec{Format: TableCSV, Columns: map[string]string{"titel": "job_title"}}, []string{`unknown field "titel"`}},
		{"unknown set field", TableSpec{Format: TableCSV, Columns: map[string]string{"title": "t"}, Set: map[string]string{"month": "2015-03"}}, []string{`unknown field "month"`}},
		{"mapped and set", TableSpec{Format: TableCSV, Columns: map[string]string{"thread": "post_date"}, Set: map[string]string{"thread": "2015-03"}}, []string{`"thread"`, "also mapped"}},
		{"empty column", TableSpec{Format: TableCSV, Columns: map[string]string{"title": " "}}, []string{`"title"`, "empty column"}},
		{"records for csv", TableSpec{Format: TableCSV, Columns: map[string]string{"title": "t"}, Records: "jobs"}, []string{"only for the json"}},
		{"nothing mapped", TableSpec{Format: TableJSONL}, []string{"no field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate accepted the spec")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			// ReadTable refuses it before calling fn.
			called := false
			rerr := ReadTable(strings.NewReader("a,b\n1,2\n"), tt.spec, "x.csv", func(jobtrends.Posting) error { called = true; return nil })
			if rerr == nil || called || !strings.HasPrefix(rerr.Error(), "x.csv: ") {
				t.Errorf("ReadTable: %v (fn called %v)", rerr, called)
			}
		})
	}
}

// TestReadTableErrors checks the errors on real rows made wrong: they
// name origin:line and the column; a bad value skips its row only.
func TestReadTableErrors(t *testing.T) {
	sample := readPage(t, "testdata/tables/amber-williams_hn_jobs_sample.csv")
	recs, err := csv.NewReader(bytes.NewReader(sample)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// write re-serializes records; edit changes record i (1 = first row).
	write := func(edit func(recs [][]string) [][]string) []byte {
		cp := make([][]string, len(recs))
		for i := range recs {
			cp[i] = append([]string(nil), recs[i]...)
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.WriteAll(edit(cp)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	col := func(name string) int {
		for i, h := range recs[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q", name)
		return -1
	}
	n := len(recs) - 1
	tests := []struct {
		name     string
		body     []byte
		spec     TableSpec
		postings int
		want     []string // substrings of the error, in order of importance
		fatal    bool     // the error stops the import
	}{
		{"bad date", write(func(r [][]string) [][]string { r[3][col("post_date")] = "last Tuesday"; return r }), tblAmberSpec, n - 1,
			[]string{"x.csv:4:", `column "post_date" (date_posted)`}, false},
		{"bad remote", write(func(r [][]string) [][]string { r[2][col("remote")] = "sometimes"; return r }), tblAmberSpec, n - 1,
			[]string{"x.csv:3:", `column "remote"`}, false},
		{"short row", write(func(r [][]string) [][]string { r[5] = r[5][:4]; return r }), tblAmberSpec, n - 1,
			[]string{"x.csv:6:", "4 fields"}, false},
		{"column not in header", sample, TableSpec{Format: TableCSV, Columns: map[string]string{"title": "title"}}, 0,
			[]string{"x.csv:1:", `column "title"`, "not in the header"}, true},
		{"broken quote", append(append([]byte(nil), sample[:bytes.IndexByte(sample, '\n')+1]...), []byte("1,\"2022-12-01T16:00:59,x\n")...), tblAmberSpec, 0,
			[]string{"x.csv:2"}, true},
		{"empty file", nil, tblAmberSpec, 0, []string{"x.csv", "empty file"}, true},
		{"json not an array", []byte(`{"jobs": 3}`), TableSpec{Format: TableJSON, Columns: map[string]string{"title": "t"}}, 0, []string{"x.csv:1", "want an array"}, true},
		{"json records missing", []byte("{\n\"items\": []\n}"), TableSpec{Format: TableJSON, Records: "jobs", Columns: map[string]string{"title": "t"}}, 0, []string{`no key "jobs"`}, true},
		{"json element not an object", []byte("[\n{\"t\": \"a\"},\n 7\n]"), TableSpec{Format: TableJSON, Columns: map[string]string{"title": "t"}}, 1, []string{"x.csv:3:", "not an object"}, true},
		{"jsonl bad line", []byte("{\"t\": \"a\"}\n{\"t\": \n"), TableSpec{Format: TableJSONL, Columns: map[string]string{"title": "t"}}, 1, []string{"x.csv:2:", "invalid json"}, true},
		{"bad amount", []byte("{\"t\": \"a\", \"lo\": \"lots\"}\n"), TableSpec{Format: TableJSONL, Columns: map[string]string{"title": "t", "salary_min": "lo"}}, 0, []string{"x.csv:1:", `column "lo" (salary_min)`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := tblRead(t, tt.body, tt.spec, "x.csv")
			if len(ps) != tt.postings {
				t.Errorf("%d postings, want %d", len(ps), tt.postings)
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			var te *TableError
			if strings.HasPrefix(tt.want[0], "x.csv:") && !errors.As(err, &te) {
				t.Errorf("error %v is not a *TableError", err)
			}
		})
	}
}

// TestReadTableStableIDs checks the ids of rows without an id column:
// the same rows give the same ids on every import, different rows
// different ids.
func TestReadTableStableIDs(t *testing.T) {
	body := readPage(t, "testdata/tables/amber-williams_hn_jobs_sample.csv")
	spec := TableSpec{Format: TableCSV, Columns: map[string]string{"title": "job_title", "company": "company"}}
	a, err := tblRead(t, body, spec, "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, err := tblRead(t, body, spec, "b.csv")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := range a {
		if a[i].ExternalID != b[i].ExternalID || !strings.HasPrefix(a[i].ExternalID, "row:") {
			t.Errorf("row %d: ids %q and %q", i, a[i].ExternalID, b[i].ExternalID)
		}
		if seen[a[i].ExternalID] {
			t.Errorf("row %d: id %q repeats", i, a[i].ExternalID)
		}
		seen[a[i].ExternalID] = true
		if a[i].SourceType != "table" {
			t.Errorf("source type %q, want the default", a[i].SourceType)
		}
	}
}

// TestReadTableStops checks that an error from fn stops the import.
func TestReadTableStops(t *testing.T) {
	body := readPage(t, "testdata/tables/amber-williams_hn_jobs_sample.csv")
	stop := errors.New("disk full")
	n := 0
	err := ReadTable(bytes.NewReader(body), tblAmberSpec, "a.csv", func(jobtrends.Posting) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 || !strings.HasPrefix(err.Error(), "a.csv:4: ") {
		t.Errorf("err %v after %d postings; want the fn error at a.csv:4 after 3", err, n)
	}
}

// TestReadTableStructuredSalary reads pay given as fields.
func TestReadTableStructuredSalary(t *testing.T) {
	spec := TableSpec{Format: TableJSONL, Columns: map[string]string{"title": "t", "salary_min": "lo", "salary_max": "hi", "salary_currency": "cur", "salary_period": "per", "salary": "text"}}
	tests := []struct {
		name     string
		line     string
		min, max *float64
		prov     jobtrends.Provenance
	}{
		{"fields", `{"t":"a","lo":"120,000","hi":150000,"cur":"USD","per":"year","text":"$1"}`, tblPtr(120000), tblPtr(150000), jobtrends.ProvenanceStructured},
		{"zeros fall back to text", `{"t":"a","lo":0,"hi":"0","cur":"USD","text":"$90k - $110k a year"}`, tblPtr(90000), tblPtr(110000), jobtrends.ProvenanceText},
		{"nothing", `{"t":"a","lo":null,"hi":""}`, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := tblRead(t, []byte(tt.line), spec, "s.jsonl")
			if err != nil || len(ps) != 1 {
				t.Fatalf("%d postings, %v", len(ps), err)
			}
			s := ps[0].Salary
			if tt.min == nil {
				if s != nil {
					t.Errorf("salary %s", FormatSalary(s))
				}
				return
			}
			if s == nil || !apiEqPtr(s.Min, tt.min) || !apiEqPtr(s.Max, tt.max) || s.Provenance != tt.prov {
				t.Errorf("salary %+v, want %v–%v %s", s, *tt.min, *tt.max, tt.prov)
			}
		})
	}
}

// tblTagInText finds an HTML tag in a text that should be plain. HN
// authors write "<" and ">" as text ("a>at<example.com", "me@<our
// domain>"), so only the elements HTML text is made of count.
var tblTagInText = regexp.MustCompile(`(?i)</?(?:p|a|i|b|u|em|strong|font|pre|code|span|div|br|li|ul|ol|h[1-6]|table|tr|td|img|script|style)(?:\s[^<>]*)?/?>`)

func tblPtr(v float64) *float64 { return &v }

func FuzzReadTable(f *testing.F) {
	sample := readPage(f, "testdata/tables/amber-williams_hn_jobs_sample.csv")
	f.Add(TableCSV, sample[:4000])
	f.Add(TableJSONL, []byte(`{"post_link_id": 1, "post_date": "2024-03-01", "salary": "$100k", "remote": "yes"}`))
	f.Add(TableJSON, []byte(`[{"post_link_id": "x", "job_title": {"a": 1}, "city": ["a", "b"]}]`))
	f.Fuzz(func(t *testing.T, format string, body []byte) {
		spec := tblAmberSpec
		spec.Format = format
		err := ReadTable(bytes.NewReader(body), spec, "f", func(p jobtrends.Posting) error {
			if p.ExternalID == "" || p.Origin != "f" || p.SourceType != "hn" {
				return fmt.Errorf("posting %+v", p)
			}
			if p.Thread != "" && p.DatePosted.IsZero() {
				return fmt.Errorf("thread %q without a date", p.Thread)
			}
			return nil
		})
		if err != nil && strings.Contains(err.Error(), "posting {") {
			t.Fatal(err)
		}
	})
}
