package store

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
)

func TestRoundTrip(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		nilSalary := fullPosting(1)
		nilSalary.Salary = nil
		zeroAmounts := fullPosting(2)
		zeroAmounts.Salary.Min, zeroAmounts.Salary.Max = ptr(0), nil
		zeroAmounts.Salary.AnnualMin, zeroAmounts.Salary.AnnualMax = nil, ptr(0)
		zeroAmounts.Salary.AnnualMinUSD, zeroAmounts.Salary.AnnualMaxUSD = ptr(0), nil
		zeroAmounts.Salary.Ranges = []jobtrends.Range{{Min: ptr(0), Max: nil}}
		emptySalary := fullPosting(3)
		emptySalary.Salary = &jobtrends.Salary{}
		emptyLists := fullPosting(4)
		emptyLists.Roles, emptyLists.Skills, emptyLists.Education = []string{}, []string{}, []string{}
		emptyLists.Salary.Ranges, emptyLists.Salary.Flags = []jobtrends.Range{}, []string{}
		nilLists := fullPosting(5)
		nilLists.Roles, nilLists.Skills, nilLists.Education = nil, nil, nil
		nilLists.Salary.Ranges, nilLists.Salary.Flags = nil, nil
		hostile := fullPosting(6)
		hostile.Title = "'; DROP TABLE postings; --"
		hostile.Company = `Robert"); DELETE FROM runs; --`
		hostile.ExternalID = "x' OR '1'='1"
		hostile.Description = "</script><script>alert(1)</script> \\x00 \\u0000 and ünïcödé ✓ 🙂"
		hostile.Skills = []string{`"quoted"`, `back\slash`, "new\nline"}
		nonUTC := fullPosting(7)
		nonUTC.DatePosted = time.Date(2026, 2, 20, 9, 30, 0, 123456789, time.FixedZone("PST", -8*3600))
		noDate := fullPosting(8)
		noDate.DatePosted = time.Time{}
		noDate.DateApprox = false
		huge := fullPosting(9)
		huge.Salary.Min, huge.Salary.Max = ptr(math.MaxFloat64), ptr(-math.SmallestNonzeroFloat64)
		huge.Salary.Multiplier = 2080.5

		tests := []struct {
			name string
			p    jobtrends.Posting
		}{
			{"every field set", fullPosting(0)},
			{"nil salary", nilSalary},
			{"zero amounts stay zero, nil stays nil", zeroAmounts},
			{"empty salary", emptySalary},
			{"empty lists stay empty", emptyLists},
			{"nil lists stay nil", nilLists},
			{"SQL and markup round-trip literally", hostile},
			{"date in another zone comes back as the same instant in UTC", nonUTC},
			{"unknown date", noDate},
			{"extreme amounts", huge},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := b.open(t, defaultOptions())
				fetched := time.Date(2026, 3, 1, 12, 0, 0, 987654321, time.FixedZone("CET", 3600))
				run := startRun(t, s, fetched)
				c := savePage(t, s, run, page("https://boards.example.com/acme", fetched, "<html>"), []jobtrends.Posting{tt.p})
				if c != (PageCounts{New: 1}) {
					t.Errorf("counts = %+v, want 1 new", c)
				}
				got := allPostings(t, s)
				if len(got) != 1 {
					t.Fatalf("got %d postings, want 1", len(got))
				}
				want := tt.p
				if !want.DatePosted.IsZero() {
					want.DatePosted = want.DatePosted.UTC()
				}
				want.FirstSeen, want.LastSeen = fetched.UTC(), fetched.UTC()
				if !reflect.DeepEqual(got[0], want) {
					t.Errorf("round trip differs:\n got %+v\nwant %+v", got[0], want)
					if got[0].Salary != nil && want.Salary != nil {
						t.Errorf("salary:\n got %+v\nwant %+v", *got[0].Salary, *want.Salary)
					}
				}
				for _, tm := range []time.Time{got[0].DatePosted, got[0].FirstSeen, got[0].LastSeen} {
					if !tm.IsZero() && tm.Location() != time.UTC {
						t.Errorf("time %v is not UTC", tm)
					}
				}
				if n := queryInt(t, s.db, "SELECT (SELECT count(*) FROM postings) + (SELECT count(*) FROM runs)"); n != 2 {
					t.Errorf("postings + runs = %d, want 2 (1 + 1)", n)
				}
			})
		}
	})
}

func TestSaveCleansInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		bad := fullPosting(1)
		bad.Title = "ML \xff\xfe Engineer"
		bad.Skills = []string{"py\xc3torch"}
		bad.Company = "Acme\x00 AI"
		bad.Salary.Min = ptr(math.NaN())
		bad.Salary.Max = ptr(math.Inf(1))
		bad.Salary.USDRate = math.NaN()
		bad.Salary.Ranges = []jobtrends.Range{{Min: ptr(math.Inf(-1)), Max: ptr(5)}}
		bad.FirstSeen = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC) // ignored
		bad.Closed = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)    // ignored
		noSource := fullPosting(2)
		noSource.Source = ""

		s := b.open(t, defaultOptions())
		savePage(t, s, 0, page("https://example.com/\xffjobs", t0, "body"), []jobtrends.Posting{bad, noSource})
		got := allPostings(t, s)
		if len(got) != 2 {
			t.Fatalf("got %d postings, want 2", len(got))
		}
		p := got[0]
		tests := []struct {
			name      string
			got, want any
		}{
			{"invalid UTF-8 in title replaced", p.Title, "ML \uFFFD Engineer"},
			{"invalid UTF-8 in a list replaced", p.Skills, []string{"py\uFFFDtorch"}},
			{"NUL replaced (PostgreSQL text cannot hold it)", p.Company, "Acme\uFFFD AI"},
			{"NaN amount is nil", p.Salary.Min, (*float64)(nil)},
			{"Inf amount is nil", p.Salary.Max, (*float64)(nil)},
			{"NaN rate is 0", p.Salary.USDRate, 0.0},
			{"Inf in a range is nil", p.Salary.Ranges[0].Min, (*float64)(nil)},
			{"given FirstSeen ignored", p.FirstSeen, t0},
			{"given Closed ignored", p.Closed, time.Time{}},
			{"missing source taken from the page", got[1].Source, "greenhouse-acme"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if !reflect.DeepEqual(tt.got, tt.want) {
					t.Errorf("got %#v, want %#v", tt.got, tt.want)
				}
			})
		}
		var url string
		if err := s.db.QueryRow("SELECT url FROM raw_pages").Scan(&url); err != nil {
			t.Fatal(err)
		}
		if url != "https://example.com/\uFFFDjobs" {
			t.Errorf("page URL stored as %q", url)
		}
	})
}

func TestSavePageRejects(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		noID := fullPosting(1)
		noID.ExternalID = ""
		tests := []struct {
			name  string
			run   int64
			page  jobtrends.Page
			posts []jobtrends.Posting
			want  string
		}{
			{"no URL", 0, page("", t0, "x"), nil, "no URL"},
			{"no fetch time", 0, page("https://example.com/", time.Time{}, "x"), nil, "no fetch time"},
			{"posting without external ID", 0, page("https://example.com/", t0, "x"), []jobtrends.Posting{fullPosting(0), noID}, "no source or external ID"},
			{"unknown run", 99, page("https://example.com/", t0, "x"), nil, "run 99 does not exist"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := b.open(t, defaultOptions())
				_, err := s.SavePage(context.Background(), tt.run, tt.page, tt.posts)
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), s.Path()) {
					t.Fatalf("err = %v, want it to name %s and say %q", err, s.Path(), tt.want)
				}
				if ps, pages, _ := counts(t, s); ps != 0 || pages != 0 {
					t.Errorf("stored %d postings, %d pages after a rejected save", ps, pages)
				}
			})
		}
	})
}

func TestSavePageFinishedRun(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		run := startRun(t, s, t0)
		if err := s.FinishRun(ctx, run, t0.Add(time.Minute), StatusOK, "", nil); err != nil {
			t.Fatal(err)
		}
		_, err := s.SavePage(ctx, run, page("https://example.com/", t0, "x"), postings(0, 1))
		if err == nil || !strings.Contains(err.Error(), "not running") {
			t.Fatalf("SavePage into a finished run: err = %v", err)
		}
	})
}

func TestUpsert(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		const url = "https://boards.example.com/acme"
		t1, t2 := t0.Add(24*time.Hour), t0.Add(48*time.Hour)
		changed := postings(0, 3)
		changed[1].Title = "Staff ML Engineer"
		changed[2].Salary = nil
		added := append(postings(0, 3), fullPosting(3))
		dup := append(postings(0, 3), fullPosting(0))

		tests := []struct {
			name       string
			second     []jobtrends.Posting
			secondBody string
			at         time.Time
			want       PageCounts
			wantRows   int
			wantPages  int
			lastSeen   time.Time
		}{
			{"same page again", postings(0, 3), "v1", t1, PageCounts{Unchanged: 3}, 3, 1, t1},
			{"same postings, new body", postings(0, 3), "v2", t1, PageCounts{Unchanged: 3}, 3, 2, t1},
			{"two postings changed", changed, "v2", t1, PageCounts{Updated: 2, Unchanged: 1}, 3, 2, t1},
			{"one added", added, "v2", t1, PageCounts{New: 1, Unchanged: 3}, 4, 2, t1},
			{"duplicate in one page", dup, "v1", t1, PageCounts{Unchanged: 4}, 3, 1, t1},
			{"older page does not move last_seen back", postings(0, 3), "v0", t0.Add(-time.Hour), PageCounts{Unchanged: 3}, 3, 2, t0},
			{"much later", postings(0, 3), "v1", t2, PageCounts{Unchanged: 3}, 3, 1, t2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := b.open(t, defaultOptions())
				run := startRun(t, s, t0)
				if c := savePage(t, s, run, page(url, t0, "v1"), postings(0, 3)); c != (PageCounts{New: 3}) {
					t.Fatalf("first save: %+v, want 3 new", c)
				}
				got := savePage(t, s, run, page(url, tt.at, tt.secondBody), tt.second)
				if got != tt.want {
					t.Errorf("second save: %+v, want %+v", got, tt.want)
				}
				ps, pages, _ := counts(t, s)
				if ps != tt.wantRows || pages != tt.wantPages {
					t.Errorf("rows: %d postings, %d pages; want %d, %d", ps, pages, tt.wantRows, tt.wantPages)
				}
				first := t0
				if tt.at.Before(t0) {
					first = tt.at
				}
				for _, p := range allPostings(t, s) {
					if p.ExternalID == "job-0003" {
						continue
					}
					if !p.FirstSeen.Equal(first) || !p.LastSeen.Equal(tt.lastSeen) {
						t.Errorf("%s: first/last seen %v/%v, want %v/%v", p.ExternalID, p.FirstSeen, p.LastSeen, first, tt.lastSeen)
					}
				}
				if n := queryInt(t, s.db, "SELECT count(*) FROM bodies"); n != tt.wantPages {
					t.Errorf("%d bodies, want %d", n, tt.wantPages)
				}
			})
		}
	})
}

func TestUpsertWritesChangedFields(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		const url = "https://boards.example.com/acme"
		savePage(t, s, 0, page(url, t0, "v1"), postings(0, 2))
		ch := postings(0, 2)
		ch[0].Title = "Principal ML Engineer"
		ch[0].Salary.Min = nil
		ch[1].Salary = nil
		savePage(t, s, 0, page(url, t0.Add(time.Hour), "v2"), ch)
		got := allPostings(t, s)
		for i := range ch {
			want := ch[i]
			want.FirstSeen, want.LastSeen = t0, t0.Add(time.Hour)
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("posting %d:\n got %+v\nwant %+v", i, got[i], want)
			}
		}
	})
}

func TestRawPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		big := bytes.Repeat([]byte("<li>Machine Learning Engineer</li>\n"), 10000)
		binary := []byte{0, 0xff, 0xfe, 'P', 'K', 3, 4}
		savePage(t, s, 0, page("https://a.example/list", t0, "old"), nil)
		savePage(t, s, 0, page("https://a.example/list", t0.Add(time.Hour), string(big)), nil)
		savePage(t, s, 0, page("https://b.example/file", t0, string(binary)), nil)
		savePage(t, s, 0, page("https://c.example/empty", t0, ""), nil)
		// Going back to the old body makes it the latest again.
		savePage(t, s, 0, page("https://d.example/flip", t0, "A"), nil)
		savePage(t, s, 0, page("https://d.example/flip", t0.Add(time.Hour), "B"), nil)
		savePage(t, s, 0, page("https://d.example/flip", t0.Add(2*time.Hour), "A"), nil)

		var got []jobtrends.Page
		if err := s.RawPages(ctx, func(p jobtrends.Page) error { got = append(got, p); return nil }); err != nil {
			t.Fatal(err)
		}
		want := []struct {
			url     string
			body    []byte
			fetched time.Time
		}{
			{"https://a.example/list", big, t0.Add(time.Hour)},
			{"https://b.example/file", binary, t0},
			{"https://c.example/empty", []byte{}, t0},
			{"https://d.example/flip", []byte("A"), t0.Add(2 * time.Hour)},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d pages, want %d", len(got), len(want))
		}
		for i, w := range want {
			t.Run(w.url, func(t *testing.T) {
				g := got[i]
				if g.URL != w.url || !bytes.Equal(g.Body, w.body) || !g.Fetched.Equal(w.fetched) ||
					g.Status != 200 || g.Source != "greenhouse-acme" || g.ContentType != "text/html; charset=utf-8" {
					t.Errorf("got %s %d %q fetched %v (%d bytes), want %s fetched %v (%d bytes)",
						g.URL, g.Status, g.ContentType, g.Fetched, len(g.Body), w.url, w.fetched, len(w.body))
				}
				lp, ok, err := s.LatestPage(ctx, w.url)
				if err != nil || !ok || !bytes.Equal(lp.Body, w.body) {
					t.Errorf("LatestPage: ok=%v err=%v, %d bytes", ok, err, len(lp.Body))
				}
			})
		}
		var stored int
		if err := s.db.QueryRow("SELECT sum(length(data)) FROM bodies").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored > len(big)/20 {
			t.Errorf("bodies take %d bytes for %d bytes of repetitive HTML: not compressed?", stored, len(big))
		}
		if _, ok, err := s.LatestPage(ctx, "https://nowhere.example/"); ok || err != nil {
			t.Errorf("LatestPage of an unknown URL: ok=%v err=%v", ok, err)
		}
		stop := errors.New("stop")
		n := 0
		err := s.RawPages(ctx, func(jobtrends.Page) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("error from fn: got %v after %d calls", err, n)
		}
	})
}

func TestRawPagesReparse(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		// RawPages feeding SavePage must not deadlock and must not grow the db.
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		for i := range 5 {
			savePage(t, s, 0, page("https://example.com/"+string(rune('a'+i)), t0, "body"), postings(i, i+1))
		}
		_, before, _ := counts(t, s)
		err := s.RawPages(ctx, func(p jobtrends.Page) error {
			_, err := s.SavePage(ctx, 0, p, postings(0, 1))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if ps, after, _ := counts(t, s); after != before || ps != 5 {
			t.Errorf("after reparse: %d pages (was %d), %d postings", after, before, ps)
		}
	})
}

func TestValidators(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ctx := context.Background()
		const url = "https://example.com/jobs"
		check := func(t *testing.T, wantETag, wantLM string) {
			t.Helper()
			etag, lm, err := s.Validators(ctx, url)
			if err != nil || etag != wantETag || lm != wantLM {
				t.Errorf("Validators = %q, %q, %v; want %q, %q", etag, lm, err, wantETag, wantLM)
			}
		}
		t.Run("unknown URL", func(t *testing.T) { check(t, "", "") })
		t.Run("set after save", func(t *testing.T) {
			savePage(t, s, 0, page(url, t0, "v1"), nil)
			if err := s.SetValidators(ctx, url, `W/"abc"`, "Sun, 01 Mar 2026 12:00:00 GMT"); err != nil {
				t.Fatal(err)
			}
			check(t, `W/"abc"`, "Sun, 01 Mar 2026 12:00:00 GMT")
		})
		t.Run("new body has none until set", func(t *testing.T) {
			savePage(t, s, 0, page(url, t0.Add(time.Hour), "v2"), nil)
			check(t, "", "")
		})
		t.Run("same body again keeps them", func(t *testing.T) {
			if err := s.SetValidators(ctx, url, `"v2"`, ""); err != nil {
				t.Fatal(err)
			}
			savePage(t, s, 0, page(url, t0.Add(2*time.Hour), "v2"), nil)
			check(t, `"v2"`, "")
		})
	})
}

func TestDedupeKey(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		tests := []struct {
			name string
			p    jobtrends.Posting
			want string
		}{
			{"city wins over text", jobtrends.Posting{Company: "Acme, Inc.", Title: "Sr. ML  Engineer",
				Location: jobtrends.Location{Text: "SF, CA", City: "San Francisco"}}, "acme inc|sr ml engineer|san francisco"},
			{"text without a city", jobtrends.Posting{Company: "ACME", Title: "ML Engineer (Remote)",
				Location: jobtrends.Location{Text: "Remote — EU"}}, "acme|ml engineer remote|remote eu"},
			{"unicode folded", jobtrends.Posting{Company: "Ünïcorn GmbH", Title: "KI-Ingenieur"}, "ünïcorn gmbh|ki ingenieur|"},
			{"empty: no key", jobtrends.Posting{}, ""},
			{"no title: no key", jobtrends.Posting{Company: "Acme"}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := DedupeKey(&tt.p); got != tt.want {
					t.Errorf("DedupeKey = %q, want %q", got, tt.want)
				}
			})
		}
		s := b.open(t, defaultOptions())
		p := fullPosting(0)
		savePage(t, s, 0, page("https://example.com/", t0, ""), []jobtrends.Posting{p})
		var key string
		if err := s.db.QueryRow("SELECT dedupe_key FROM postings").Scan(&key); err != nil {
			t.Fatal(err)
		}
		if key != DedupeKey(&p) {
			t.Errorf("stored dedupe_key %q, want %q", key, DedupeKey(&p))
		}
	})
}

// TestSavePageRepeatsAndChunks: a posting listed twice on one page is
// inserted once and then handled as stored (touched, or updated when the
// second copy differs); a page of more postings than one INSERT takes is
// stored whole.
func TestSavePageRepeatsAndChunks(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		p := fullPosting(1)
		changed := p
		changed.Title = "Staff Machine Learning Engineer"
		c := savePage(t, s, 0, page("https://a.example/", t0, "a"), []jobtrends.Posting{p, p, changed})
		if c != (PageCounts{New: 1, Unchanged: 1, Updated: 1}) {
			t.Errorf("counts = %+v, want 1 new, 1 unchanged, 1 updated", c)
		}
		got := allPostings(t, s)
		if len(got) != 1 || got[0].Title != changed.Title {
			t.Fatalf("stored %d postings (%+v), want the one, as last listed", len(got), got)
		}

		many := postings(100, 100+2*insertChunk+37) // other IDs than p
		c = savePage(t, s, 0, page("https://b.example/", t0, "b"), many)
		if c.New != len(many) {
			t.Errorf("counts = %+v, want %d new", c, len(many))
		}
		if n := queryInt(t, s.db, "SELECT count(DISTINCT id) FROM postings WHERE raw_page_id IS NOT NULL"); n != len(many)+1 {
			t.Errorf("%d postings linked to their page, want %d", n, len(many)+1)
		}
		c = savePage(t, s, 0, page("https://b.example/", t0.Add(time.Hour), "b"), many)
		if c.Unchanged != len(many) {
			t.Errorf("again: counts = %+v, want %d unchanged", c, len(many))
		}
	})
}

// TestSavePageHostileLengths: a page whose posting has an external id, a
// title, a company and a place of kilobytes of incompressible text (what a
// hostile server can send) is stored on both backends, although
// PostgreSQL's B-tree entries hold about 2.7 KB: the external id and the
// dedupe key over maxKeyBytes are stored as their SHA-256, the same for the
// same text, so that the posting is found again on the next crawl and two
// such postings of one job are still one dedupe key.
func TestSavePageHostileLengths(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	junk := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[r.IntN(36)]
		}
		return string(b)
	}
	eachBackend(t, func(t *testing.T, b backend) {
		s := b.open(t, defaultOptions())
		ps := postings(0, 3)
		id := junk(6000)
		ps[0].ExternalID, ps[0].Title, ps[0].Company, ps[0].Location.City = id, junk(6000), junk(6000), junk(3000)
		ps[1].ExternalID = junk(maxKeyBytes) // at the bound: kept as it is
		ps[2].Title, ps[2].Company, ps[2].Location.City = ps[0].Title, ps[0].Company, ps[0].Location.City
		ps[2].Source = "other"
		url := "https://boards.example.com/" + junk(1900)
		c := savePage(t, s, 0, page(url, t0, "x"), ps)
		if c.New != 3 {
			t.Fatalf("first save: %+v, want 3 new", c)
		}
		c = savePage(t, s, 0, page(url, t0.Add(time.Hour), "x"), ps)
		if c.Unchanged != 3 || c.New != 0 {
			t.Errorf("second save: %+v, want the 3 postings found again unchanged", c)
		}
		got := allPostings(t, s)
		ids := map[string]bool{}
		for _, p := range got {
			ids[p.ExternalID] = true
		}
		if want := boundKey(id); !ids[want] || !strings.HasPrefix(want, "sha256:") || len(want) != 71 {
			t.Errorf("long external id stored as %v, want %s", ids, want)
		}
		if !ids[ps[1].ExternalID] {
			t.Errorf("an external id of %d bytes was changed", maxKeyBytes)
		}
		var keys int
		if err := s.db.QueryRowContext(t.Context(), s.q("SELECT count(DISTINCT dedupe_key) FROM postings WHERE dedupe_key LIKE 'sha256:%'")).Scan(&keys); err != nil || keys != 1 {
			t.Errorf("%d distinct long dedupe keys (%v), want 1 shared by the two copies of the job", keys, err)
		}
	})
}
