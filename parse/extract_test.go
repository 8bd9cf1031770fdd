package parse

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends"
)

// update rewrites the golden files under testdata/golden instead of
// comparing with them: go test ./parse -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// readPage reads a test page, gunzipping names ending in .gz.
func readPage(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return b
	}
	z, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	out, err := io.ReadAll(z)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return out
}

// corpusDir returns the shared corpus directory from JOBTRENDS_CORPUS, or
// skips the test saying why.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("JOBTRENDS_CORPUS")
	if dir == "" {
		tb.Skip("JOBTRENDS_CORPUS is not set: this test reads copy=no corpus files at run time and was NOT run (set it to the shared corpus, e.g. JOBTRENDS_CORPUS=/work/shared/corpus)")
	}
	return dir
}

// goldenPosting is the form postings take in golden files: every field a
// parser sets, the description cut short.
type goldenPosting struct {
	SourceType     string             `json:"source_type"`
	ExternalID     string             `json:"external_id"`
	URL            string             `json:"url"`
	Title          string             `json:"title,omitempty"`
	Roles          []string           `json:"roles,omitempty"`
	Company        string             `json:"company,omitempty"`
	Location       jobtrends.Location `json:"location"`
	Remote         jobtrends.Remote   `json:"remote"`
	EmploymentType string             `json:"employment_type,omitempty"`
	DatePosted     string             `json:"date_posted,omitempty"`
	DateApprox     bool               `json:"date_approx,omitempty"`
	Thread         string             `json:"thread,omitempty"`
	Industry       string             `json:"industry,omitempty"`
	Salary         *goldenSalary      `json:"salary,omitempty"`
	Description    string             `json:"description"`
	DescriptionLen int                `json:"description_len"`
}

// goldenSalary is the part of a Salary a parser sets.
type goldenSalary struct {
	Raw        string               `json:"raw"`
	Min        *float64             `json:"min"`
	Max        *float64             `json:"max"`
	Currency   string               `json:"currency,omitempty"`
	Period     jobtrends.Period     `json:"period,omitempty"`
	Provenance jobtrends.Provenance `json:"provenance"`
	Flags      []string             `json:"flags,omitempty"`
}

// goldenLines renders a Result as JSON lines: a header line, then one line
// per posting (at most maxPostings), descriptions cut at descRunes runes.
// With withSalary false the salary is left out: a salary read from text is
// ParseSalary's output, which salary.go's own tests pin down, so that a
// change there does not rewrite the page parsers' golden files.
func goldenLines(tb testing.TB, res *Result, maxPostings, descRunes int, withSalary bool) []byte {
	tb.Helper()
	var b bytes.Buffer
	head, err := json.Marshal(map[string]any{
		"kind": res.Kind, "next": res.Next, "postings": len(res.Postings),
		"links": len(res.Links), "item_ids": len(res.ItemIDs),
	})
	if err != nil {
		tb.Fatal(err)
	}
	b.Write(head)
	b.WriteByte('\n')
	for i, p := range res.Postings {
		if i == maxPostings {
			break
		}
		g := goldenPosting{
			SourceType: p.SourceType, ExternalID: p.ExternalID, URL: p.URL, Title: p.Title,
			Roles: p.Roles, Company: p.Company, Location: p.Location, Remote: p.Remote,
			EmploymentType: p.EmploymentType, DateApprox: p.DateApprox, Thread: p.Thread,
			Industry: p.Industry, DescriptionLen: utf8.RuneCountInString(p.Description),
		}
		if s := p.Salary; s != nil && withSalary {
			g.Salary = &goldenSalary{Raw: s.Raw, Min: s.Min, Max: s.Max, Currency: s.Currency, Period: s.Period, Provenance: s.Provenance, Flags: s.Flags}
		}
		if !p.DatePosted.IsZero() {
			g.DatePosted = p.DatePosted.Format(time.RFC3339)
		}
		g.Description = p.Description
		if r := []rune(g.Description); len(r) > descRunes {
			g.Description = string(r[:descRunes]) + "…"
		}
		line, err := json.Marshal(g)
		if err != nil {
			tb.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// compareGolden compares got with testdata/golden/<name>.golden, or
// rewrites the file under -update. The failure shows the lines that
// differ.
func compareGolden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (go test ./parse -update creates it)", err)
	}
	if !bytes.Equal(want, got) {
		tb.Errorf("%s differs (go test ./parse -update rewrites it; review the diff):\n%s", path, diffLines(string(want), string(got), 8))
	}
}

// diffLines lists the first n lines that differ between want and got.
func diffLines(want, got string, n int) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i, shown := 0, 0; i < max(len(wl), len(gl)) && shown < n; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d\n-want %s\n+got  %s\n", i+1, w, g)
			shown++
		}
	}
	if len(wl) != len(gl) {
		fmt.Fprintf(&b, "(%d lines wanted, %d got)\n", len(wl), len(gl))
	}
	return b.String()
}

func TestExtractDispatch(t *testing.T) {
	hnPage := readPage(t, "testdata/hn/2018-05_16967543/p4.html.gz")
	ldPage := readPage(t, "testdata/jsonld/eg-0028.jsonld.html")
	board := []byte(`<html><script>window.__appData = {"organization":{"hostedJobsPageSlug":"acme"},"jobBoard":{"jobPostings":[{"id":"0b57e309-426d-4f5c-a28c-6dd941b84703","isListed":true}]}};</script></html>`)
	tests := []struct {
		name, url string
		body      []byte
		kind      string
		postings  int
		links     int
	}{
		{"hn item", "https://news.ycombinator.com/item?id=16967543&p=4", hnPage, KindHN, 3, 0},
		{"hn item without www or scheme case", "HTTPS://News.YCombinator.com/item?id=16967543", hnPage, KindHN, 3, 0},
		{"hn front page is not a thread", "https://news.ycombinator.com/news", hnPage, KindJSONLD, 0, 0},
		{"ashby board", "https://jobs.ashbyhq.com/acme", board, KindAshbyBoard, 0, 1},
		{"ashby board trailing slash", "https://jobs.ashbyhq.com/acme/", board, KindAshbyBoard, 0, 1},
		{"ashby job page goes to JSON-LD", "https://jobs.ashbyhq.com/acme/0b57e309-426d-4f5c-a28c-6dd941b84703", ldPage, KindJSONLD, 1, 0},
		{"any other page goes to JSON-LD", "https://example.com/jobs/1", ldPage, KindJSONLD, 1, 0},
		{"unparsable URL goes to JSON-LD", "%%%", ldPage, KindJSONLD, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(tt.url, tt.body, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind != tt.kind || len(res.Postings) != tt.postings || len(res.Links) != tt.links {
				t.Errorf("got kind %q, %d postings, %d links; want %q, %d, %d", res.Kind, len(res.Postings), len(res.Links), tt.kind, tt.postings, tt.links)
			}
			for _, p := range res.Postings {
				if p.Source != "" {
					t.Errorf("Source = %q, want empty (the caller sets it)", p.Source)
				}
				if p.SourceType == "" {
					t.Error("SourceType is empty")
				}
			}
		})
	}
}

// TestExtractRoutesToOtherParsers checks the URLs Extract hands to the
// parsers of other files: the ATS APIs and the HN submissions listing.
func TestExtractRoutesToOtherParsers(t *testing.T) {
	lever := readPage(t, "testdata/api/lever_techsalaryradar_matchgroup_api_sample.json")
	res, err := Extract("https://api.lever.co/v0/postings/matchgroup?mode=json", lever, time.Time{})
	if err != nil || res.Kind != KindLever || len(res.Postings) == 0 {
		t.Errorf("Lever API URL: kind %v, err %v", res, err)
	}
	hn := readPage(t, "testdata/hn/2018-05_16967543/p4.html.gz")
	res, err = Extract("https://news.ycombinator.com/submitted?id=whoishiring", hn, time.Time{})
	var pe *ParseError
	if !(err == nil && res.Kind == KindHNSubmissions) && !(errors.As(err, &pe) && pe.Source == KindHNSubmissions) {
		t.Errorf("submissions URL: got %+v, %v; want HNSubmissions's result or error", res, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(lever))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ExtractDocument("https://api.lever.co/v0/postings/matchgroup", doc, time.Time{}); !errors.As(err, &pe) {
		t.Errorf("ExtractDocument on an API URL: err %v, want a ParseError", err)
	}
}

func TestExtractAshbyJobSourceType(t *testing.T) {
	res, err := Extract("https://jobs.ashbyhq.com/acme/0B57E309-426d-4f5c-a28c-6dd941b84703?utm_source=x#apply", readPage(t, "testdata/jsonld/eg-0028.jsonld.html"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Postings) != 1 {
		t.Fatalf("%d postings, want 1", len(res.Postings))
	}
	p := res.Postings[0]
	if p.SourceType != SourceTypeAshby || p.ExternalID != "0b57e309-426d-4f5c-a28c-6dd941b84703" {
		t.Errorf("SourceType %q ExternalID %q, want ashby and the lower-case uuid", p.SourceType, p.ExternalID)
	}
	if p.URL != "https://jobs.ashbyhq.com/acme/0B57E309-426d-4f5c-a28c-6dd941b84703" {
		t.Errorf("URL = %q, want the page URL without fragment and tracking", p.URL)
	}
}

func TestExtractTooDeep(t *testing.T) {
	body := strings.Repeat("<div>", 600) + "x" + strings.Repeat("</div>", 600)
	res, err := Extract("https://example.com/", []byte(body), time.Time{})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Field != "html" || pe.URL != "https://example.com/" {
		t.Fatalf("got %v, %v; want a *ParseError for the html field naming the URL", res, err)
	}
	if res != nil {
		t.Errorf("result %+v for a page that did not parse", res)
	}
}

func TestExtractParseErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *ParseError
		want string
	}{
		{"all parts", &ParseError{Source: "jsonld", URL: "https://x.test/j", Item: "ld+json block 2", Field: "json", Err: errors.New("invalid json: eof")},
			"parse jsonld https://x.test/j: ld+json block 2: json: invalid json: eof"},
		{"page level", &ParseError{Source: "hn", URL: "https://news.ycombinator.com/item?id=1", Field: "comment indent", Err: ErrMissing},
			"parse hn https://news.ycombinator.com/item?id=1: comment indent: missing"},
		{"no cause", &ParseError{Source: "ashby-board"}, "parse ashby-board: failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	if !errors.Is(&ParseError{Err: ErrTooDeep}, ErrTooDeep) {
		t.Error("ParseError does not unwrap to its cause")
	}
}

func TestExtractCanonicalURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"fragment and utm dropped", "https://Example.com/jobs/1?utm_source=hn&utm_medium=x#apply", "https://example.com/jobs/1"},
		{"default port dropped", "https://example.com:443/a", "https://example.com/a"},
		{"other port kept", "http://example.com:8080/a", "http://example.com:8080/a"},
		{"query sorted, ids kept", "https://example.com/j?id=7&gclid=z&b=2", "https://example.com/j?b=2&id=7"},
		{"empty path is /", "https://example.com", "https://example.com/"},
		{"trailing slash dropped (jobtrends.CanonicalURL)", "https://example.com/jobs/1/", "https://example.com/jobs/1"},
		{"root path kept", "https://example.com/?b=1", "https://example.com/?b=1"},
		{"not a URL kept", " %zz ", "%zz"},
		{"relative kept", "/jobs/1/", "/jobs/1/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exCanonicalURL(tt.in); got != tt.want {
				t.Errorf("exCanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExtractCountryCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"US", "US"}, {"USA", "US"}, {"United States", "US"}, {"united kingdom", "GB"},
		{"UK", "GB"}, {"Japan", "JP"}, {"Myanmar", "MM"}, {"Germany ", "DE"}, {"Narnia", ""}, {"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := exCountryCode(tt.in); got != tt.want {
				t.Errorf("exCountryCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExtractNormEmployment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Full-time", "FULL_TIME"}, {"FULL_TIME", "FULL_TIME"}, {"full time", "FULL_TIME"},
		{"Contract", "CONTRACTOR"}, {"Internship", "INTERN"}, {"part-time", "PART_TIME"},
		{"Seasonal", "Seasonal"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := exNormEmployment(tt.in); got != tt.want {
				t.Errorf("exNormEmployment(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
