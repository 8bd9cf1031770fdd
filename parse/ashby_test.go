package parse

import (
	"encoding/json"
	"errors"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobtrends/jobtrends"
)

// ashbyCountryNames are the country names the saved Ashby pages use in
// addressCountry, with their ISO codes: facts the test checks Country
// against. A page with a name missing here fails and says so.
var ashbyCountryNames = map[string]string{
	"United States": "US", "United Kingdom": "GB", "Japan": "JP", "India": "IN",
	"Singapore": "SG", "Germany": "DE", "France": "FR", "Ireland": "IE", "Australia": "AU",
	"Korea, Republic of": "KR", "South Korea": "KR", "Canada": "CA", "Brazil": "BR",
}

var ashbyPageRe = regexp.MustCompile(`^ashby_([a-z0-9-]+)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.html$`)

// ashbyLD is the part of an Ashby page's JobPosting block the acceptance
// check compares, decoded with encoding/json alone.
type ashbyLD struct {
	Title              string `json:"title"`
	DatePosted         string `json:"datePosted"`
	JobLocationType    string `json:"jobLocationType"`
	HiringOrganization struct {
		Name string `json:"name"`
	} `json:"hiringOrganization"`
	JobLocation json.RawMessage `json:"jobLocation"`
	BaseSalary  *struct {
		Currency string `json:"currency"`
		Value    struct {
			MinValue *float64 `json:"minValue"`
			MaxValue *float64 `json:"maxValue"`
			UnitText string   `json:"unitText"`
		} `json:"value"`
	} `json:"baseSalary"`
}

type ashbyAddress struct {
	Locality string `json:"addressLocality"`
	Region   string `json:"addressRegion"`
	Country  string `json:"addressCountry"`
}

// firstAddress returns the first jobLocation address that names a place.
func (a ashbyLD) firstAddress(tb testing.TB) (ashbyAddress, bool) {
	tb.Helper()
	type place struct {
		Address ashbyAddress `json:"address"`
	}
	var places []place
	if err := json.Unmarshal(a.JobLocation, &places); err != nil {
		var one place
		if err := json.Unmarshal(a.JobLocation, &one); err != nil {
			tb.Fatalf("jobLocation: %v", err)
		}
		places = []place{one}
	}
	for _, p := range places {
		if p.Address != (ashbyAddress{}) {
			return p.Address, true
		}
	}
	return ashbyAddress{}, false
}

// TestAshbyPagesJSONLD is the acceptance check of the Ashby job pages:
// Extract on jobs.ashbyhq.com/<org>/<uuid> gives the title, company, date
// posted, location and salary range exactly as the page's JSON-LD states
// them, and no salary where the page states none.
func TestAshbyPagesJSONLD(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "pages", "ashby")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	pages, withSalary, without := 0, 0, 0
	for _, e := range entries {
		m := ashbyPageRe.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		pages++
		org, id := m[1], m[2]
		t.Run(id, func(t *testing.T) {
			page := readPage(t, filepath.Join(dir, e.Name()))
			url := "https://jobs.ashbyhq.com/" + org + "/" + id
			res, err := Extract(url, page, ldFetched)
			if err != nil {
				t.Fatal(err)
			}
			blocks := ldScriptRe.FindAllSubmatch(page, -1)
			if len(blocks) == 0 {
				// A job page without JSON-LD (closed or not rendered): nothing.
				if len(res.Postings) != 0 {
					t.Errorf("%d postings from a page without JSON-LD", len(res.Postings))
				}
				return
			}
			var ld ashbyLD
			if err := json.Unmarshal(blocks[0][1], &ld); err != nil {
				t.Fatal(err)
			}
			if len(res.Postings) != 1 {
				t.Fatalf("%d postings, want 1", len(res.Postings))
			}
			p := res.Postings[0]
			if p.SourceType != SourceTypeAshby || p.ExternalID != id || p.URL != url {
				t.Errorf("SourceType %q ExternalID %q URL %q", p.SourceType, p.ExternalID, p.URL)
			}
			if want := strings.Join(strings.Fields(html.UnescapeString(ld.Title)), " "); p.Title != want {
				t.Errorf("Title %q, want %q", p.Title, want)
			}
			if p.Company != ld.HiringOrganization.Name {
				t.Errorf("Company %q, want %q", p.Company, ld.HiringOrganization.Name)
			}
			posted, err := time.Parse("2006-01-02", ld.DatePosted)
			if err != nil {
				t.Fatal(err)
			}
			if !p.DatePosted.Equal(posted) {
				t.Errorf("DatePosted %v, want %v", p.DatePosted, posted)
			}
			if addr, ok := ld.firstAddress(t); ok {
				wantCountry := ""
				if addr.Country != "" {
					var known bool
					if wantCountry, known = ashbyCountryNames[addr.Country]; !known {
						t.Fatalf("country name %q is not in the test's table: add its ISO code", addr.Country)
					}
				}
				if p.Location.City != addr.Locality || p.Location.Region != addr.Region || p.Location.Country != wantCountry {
					t.Errorf("Location %+v, want %q / %q / %q", p.Location, addr.Locality, addr.Region, wantCountry)
				}
				for _, part := range []string{addr.Locality, addr.Region, addr.Country} {
					if !strings.Contains(p.Location.Text, part) {
						t.Errorf("Location.Text %q lacks %q", p.Location.Text, part)
					}
				}
			}
			if (ld.JobLocationType == "TELECOMMUTE") != (p.Remote == jobtrends.RemoteFull) {
				t.Errorf("Remote %q with jobLocationType %q", p.Remote, ld.JobLocationType)
			}
			if ld.BaseSalary == nil {
				without++
				if p.Salary != nil {
					t.Errorf("salary %+v (raw %q) on a page that states none", p.Salary, p.Salary.Raw)
				}
				return
			}
			withSalary++
			s, v := p.Salary, ld.BaseSalary.Value
			if s == nil {
				t.Fatalf("no salary, want %v–%v %s", *v.MinValue, *v.MaxValue, ld.BaseSalary.Currency)
			}
			if !eqFloat(s.Min, v.MinValue) || !eqFloat(s.Max, v.MaxValue) || s.Currency != ld.BaseSalary.Currency ||
				string(s.Period) != strings.ToLower(v.UnitText) || s.Provenance != jobtrends.ProvenanceStructured {
				t.Errorf("salary %v–%v %s %s %s, want %v–%v %s %s structured", deref(s.Min), deref(s.Max), s.Currency, s.Period, s.Provenance,
					*v.MinValue, *v.MaxValue, ld.BaseSalary.Currency, v.UnitText)
			}
		})
	}
	t.Logf("%d Ashby pages: %d with baseSalary, %d without", pages, withSalary, without)
	if pages == 0 {
		t.Fatal("no Ashby job page found in the corpus")
	}
}

// TestAshbyBoardCorpus reads the saved OpenAI board and checks the job
// links against a count of the job objects made on the raw page.
func TestAshbyBoardCorpus(t *testing.T) {
	page := readPage(t, filepath.Join(corpusDir(t), "pages", "ashby", "ashby_openai_board_index.html"))
	res, err := Extract("https://jobs.ashbyhq.com/openai", page, ldFetched)
	if err != nil {
		t.Fatal(err)
	}
	// Job postings are the objects that open with an id and a title;
	// teams open with an id and an organizationId.
	want := regexp.MustCompile(`\{"id":"[0-9a-f-]{36}","title":`).FindAll(page, -1)
	if len(want) == 0 || len(res.Links) != len(want) || len(res.ItemIDs) != len(want) {
		t.Fatalf("%d links, %d ids; want %d (job objects on the page)", len(res.Links), len(res.ItemIDs), len(want))
	}
	linkRe := regexp.MustCompile(`^https://jobs\.ashbyhq\.com/openai/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	for i, l := range res.Links {
		if !linkRe.MatchString(l) || !strings.HasSuffix(l, "/"+res.ItemIDs[i]) {
			t.Errorf("link %q (id %q)", l, res.ItemIDs[i])
		}
	}
	// The saved job pages are postings of this board.
	links := map[string]bool{}
	for _, l := range res.Links {
		links[l] = true
	}
	entries, _ := os.ReadDir(filepath.Dir(filepath.Join(corpusDir(t), "pages", "ashby", "x")))
	onBoard := 0
	for _, e := range entries {
		if m := ashbyPageRe.FindStringSubmatch(e.Name()); m != nil && links["https://jobs.ashbyhq.com/openai/"+m[2]] {
			onBoard++
		}
	}
	t.Logf("%d links; %d of the saved job pages are on the board", len(res.Links), onBoard)
	if onBoard == 0 {
		t.Error("none of the saved job pages is among the board's links")
	}
}

func TestAshbyBoard(t *testing.T) {
	const id1, id2 = "52263a22-1621-4dbb-9a11-ae4490f2acc8", "0b57e309-426d-4f5c-a28c-6dd941b84703"
	tests := []struct {
		name, url, page string
		links           []string
		field           string
	}{
		{"slug from the app data", "https://jobs.ashbyhq.com/OpenAI",
			`<script>window.__appData = {"organization":{"hostedJobsPageSlug":"openai"},"jobBoard":{"jobPostings":[{"id":"` + id1 + `","isListed":true},{"id":"` + id2 + `"}]}};</script>`,
			[]string{"https://jobs.ashbyhq.com/openai/" + id1, "https://jobs.ashbyhq.com/openai/" + id2}, ""},
		{"slug from the URL, unlisted and repeated skipped", "https://jobs.ashbyhq.com/acme?utm_source=x",
			`<script>window.__appData={"jobBoard":{"jobPostings":[{"id":"` + id1 + `","isListed":false},{"id":"` + id2 + `"},{"id":"` + id2 + `"}]}}</script>`,
			[]string{"https://jobs.ashbyhq.com/acme/" + id2}, ""},
		{"empty board", "https://jobs.ashbyhq.com/acme", `<script>window.__appData = {"jobBoard":{"jobPostings":[]}};</script>`, nil, ""},
		{"no app data", "https://jobs.ashbyhq.com/acme", `<html><body>Jobs</body></html>`, nil, "window.__appData"},
		{"app data without board", "https://jobs.ashbyhq.com/acme", `<script>window.__appData = {"organization":{}};</script>`, nil, "window.__appData.jobBoard"},
		{"invalid app data", "https://jobs.ashbyhq.com/acme", `<script>window.__appData = {"jobBoard":[1,;</script>`, nil, "window.__appData"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(tt.url, []byte(tt.page), ldFetched)
			if tt.field != "" {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Field != tt.field || pe.URL != tt.url || pe.Source != KindAshbyBoard {
					t.Fatalf("err = %v, want a ParseError for %s naming the URL", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(res.Links, " ") != strings.Join(tt.links, " ") {
				t.Errorf("links %q, want %q", res.Links, tt.links)
			}
		})
	}
}

func FuzzAshbyBoard(f *testing.F) {
	f.Add(`{"organization":{"hostedJobsPageSlug":"a b/c"},"jobBoard":{"jobPostings":[{"id":"x","isListed":true}]}}`)
	f.Add(`{"jobBoard":{"jobPostings":[{"id":1}]}}`)
	f.Fuzz(func(t *testing.T, data string) {
		page := "<script>window.__appData = " + data + ";</script>"
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			return
		}
		res, err := AshbyBoard(doc, "https://jobs.ashbyhq.com/acme")
		if res == nil {
			t.Fatalf("nil result (err %v)", err)
		}
		for _, l := range res.Links {
			if !strings.HasPrefix(l, "https://jobs.ashbyhq.com/") {
				t.Errorf("link %q", l)
			}
		}
	})
}
