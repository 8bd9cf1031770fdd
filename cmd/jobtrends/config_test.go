package main

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jobtrends/jobtrends"
	"github.com/jobtrends/jobtrends/scraper"
)

func TestDefaultConfigParses(t *testing.T) {
	cfg, err := ParseConfig("config.yaml", jobtrends.DefaultConfig)
	if err != nil {
		t.Fatalf("the shipped config.yaml does not parse: %v", err)
	}
	if cfg.Crawl.Delay.Duration < time.Second {
		t.Errorf("default delay %v is below 1s", cfg.Crawl.Delay)
	}
	if cfg.Crawl.AllowPrivate {
		t.Error("default config allows private addresses")
	}
	if len(cfg.Sources) == 0 {
		t.Error("default config has no sources")
	}
	if cfg.Crawl.MaxBody != 5<<20 {
		t.Errorf("max_body = %d, want 5MiB", cfg.Crawl.MaxBody)
	}
}

const goodConfig = `database: x.db
crawl:
  user_agent: "jobtrends/1 (+https://example.org)"
  delay: 2s
sources:
  - name: a
    type: jsonld
    start_urls: ["https://example.com/careers"]
    follow: ["^https://example\\.com/careers/"]
`

func TestGoodConfig(t *testing.T) {
	cfg, err := ParseConfig("c.yaml", []byte(goodConfig))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database != "x.db" || cfg.Report.Out != "report" || cfg.Crawl.Timeout.Duration != 30*time.Second {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	if s := cfg.Sources[0]; s.MaxPages != 500 || s.MaxOutlinks != scraper.DefaultMaxOutlinks || !s.Follow[0].MatchString("https://example.com/careers/1") {
		t.Errorf("source = %+v", s)
	}
	if src := cfg.Sources[0].scraperSource(); src.MaxOutlinks != scraper.DefaultMaxOutlinks {
		t.Errorf("scraper source max outlinks %d, want %d", src.MaxOutlinks, scraper.DefaultMaxOutlinks)
	}
	set, err := ParseConfig("c.yaml", []byte(goodConfig+"    max_outlinks: 2000\n"))
	if err != nil {
		t.Fatal(err)
	}
	if src := set.Sources[0].scraperSource(); src.MaxOutlinks != 2000 {
		t.Errorf("max_outlinks: 2000 gave %d", src.MaxOutlinks)
	}
}

// TestBadConfigs lists broken configs and the exact error each must give:
// file, line, key and what is wrong.
func TestBadConfigs(t *testing.T) {
	src := func(extra string) string {
		return "sources:\n  - name: a\n    type: jsonld\n    start_urls: [\"https://example.com/\"]\n" + extra
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", `c.yaml: empty config`},
		{"syntax", "database: [x\n", `c.yaml:1: syntax error: did not find expected ',' or ']'`},
		{"unknown top key", "databse: x.db\n" + src(""), `c.yaml:1: databse: unknown key (did you mean "database"?)`},
		{"unknown nested key", "crawl:\n  dealy: 2s\n" + src(""), `c.yaml:2: crawl.dealy: unknown key (did you mean "delay"?)`},
		{"unknown key far off", "crawl:\n  colour: blue\n" + src(""), `c.yaml:2: crawl.colour: unknown key (known keys: allow_private, crawl_delay_cap, delay, max_api_body, max_body, timeout, user_agent)`},
		{"unknown source key", src("    max_page: 3\n"), `c.yaml:5: sources[0].max_page: unknown key (did you mean "max_pages"?)`},
		{"duplicate key", "database: a\ndatabase: b\n" + src(""), `c.yaml:2: database: key given twice`},
		{"bad duration", "crawl:\n  delay: 2x\n" + src(""), `c.yaml:2: crawl.delay: invalid duration "2x" (want e.g. 2s, 500ms, 1m)`},
		{"negative duration", "crawl:\n  timeout: -5s\n" + src(""), `c.yaml:2: crawl.timeout: negative duration "-5s"`},
		{"bad size", "crawl:\n  max_body: lots\n" + src(""), `c.yaml:2: crawl.max_body: invalid size "lots" (want e.g. 5MiB, 512KiB)`},
		{"bad size unit", "crawl:\n  max_body: 5XB\n" + src(""), `c.yaml:2: crawl.max_body: invalid size unit "XB" in "5XB" (want B, KiB, MiB, GiB, kB, MB, GB)`},
		{"wrong type bool", "crawl:\n  allow_private: yes please\n" + src(""), `c.yaml:2: crawl.allow_private: want a boolean (true or false), got "yes please"`},
		{"wrong type int", src("    max_pages: many\n"), `c.yaml:5: sources[0].max_pages: want a whole number, got "many"`},
		{"wrong type list", "sources: hn\n", `c.yaml:1: sources: want a list, got "hn"`},
		{"wrong type mapping", "crawl: fast\n" + src(""), `c.yaml:1: crawl: want a mapping of keys, got "fast"`},
		{"bad regexp", src("    follow: [\"(\"]\n"), `c.yaml:5: sources[0].follow[0]: invalid regular expression "(": missing closing ): ` + "`(`"},
		{"delay too short", "crawl:\n  delay: 100ms\n" + src(""), `c.yaml:2: crawl.delay: 100ms is too short: at least 1s between requests to one host (shorter delays are only for local servers, with allow_private: true)`},
		{"user agent without name", "crawl:\n  user_agent: Mozilla/5.0\n" + src(""), `c.yaml:2: crawl.user_agent: must name jobtrends (sites need to know who crawls them)`},
		{"user agent without contact", "crawl:\n  user_agent: jobtrends/1\n" + src(""), `c.yaml:2: crawl.user_agent: must include a contact URL or e-mail, e.g. "jobtrends/1.0 (+https://example.org/jobtrends)"`},
		{"no sources", "database: x.db\n", `c.yaml: sources: no sources configured`},
		{"unknown type", "sources:\n  - name: a\n    type: rss\n    start_urls: [\"https://x.org/\"]\n", `c.yaml:3: sources[0].type: unknown source type "rss" (want one of ashby, ashby-api, greenhouse, hn, html, jsonld, lever)`},
		{"missing type", "sources:\n  - name: a\n    start_urls: [\"https://x.org/\"]\n", `c.yaml:2: sources[0]: type is required (one of ashby, ashby-api, greenhouse, hn, html, jsonld, lever)`},
		{"bad start url", "sources:\n  - name: a\n    type: hn\n    start_urls: [\"ftp://x.org/\"]\n", `c.yaml:4: sources[0].start_urls[0]: "ftp://x.org/" is not an http(s) URL`},
		{"duplicate name", src("  - name: a\n    type: hn\n    start_urls: [\"https://x.org/\"]\n"), `c.yaml:5: sources[1].name: "a" is used by two sources`},
		{"bad name", "sources:\n  - name: My Source\n    type: hn\n    start_urls: [\"https://x.org/\"]\n", `c.yaml:2: sources[0].name: "My Source": use lower-case letters, digits, - and _`},
		{"max pages range", src("    max_pages: -1\n"), `c.yaml:5: sources[0].max_pages: -1 is out of range (1 to 1000000)`},
		{"max outlinks negative", src("    max_outlinks: -1\n"), `c.yaml:5: sources[0].max_outlinks: -1 is out of range (1 to 1000000)`},
		{"max outlinks too large", src("    max_outlinks: 2000000\n"), `c.yaml:5: sources[0].max_outlinks: 2000000 is out of range (1 to 1000000)`},
		{"max outlinks not a number", src("    max_outlinks: all\n"), `c.yaml:5: sources[0].max_outlinks: want a whole number, got "all"`},
		{"greenhouse without boards", "sources:\n  - name: ats\n    type: greenhouse\n", `c.yaml:2: sources[0]: source ats: type greenhouse needs boards or start_urls`},
		{"boards on hn", "sources:\n  - name: h\n    type: hn\n    boards: [x]\n    start_urls: [\"https://news.ycombinator.com/item?id=1\"]\n", `c.yaml:2: sources[0]: source h: boards is only for types ashby-api, greenhouse, lever, not hn`},
		{"bad since", "sources:\n  - name: h\n    type: hn\n    discover: true\n    since: 2019\n", `c.yaml:5: sources[0].since: "2019" is not a month (want YYYY-MM)`},
		{"unknown selector key", "sources:\n  - name: s\n    type: html\n    start_urls: [\"https://x.org/\"]\n    selectors:\n      item: li\n      titel: h2\n", `c.yaml:7: sources[0].selectors.titel: unknown key (did you mean "title"?)`},
		{"bad selector", "sources:\n  - name: s\n    type: html\n    start_urls: [\"https://x.org/\"]\n    selectors:\n      item: li\n      title: \"h2[\"\n", `c.yaml:2: sources[0]: source s: selectors: selector title "h2[": `},
		{"bad classify rule", "classify:\n  roles:\n    - name: mine\n      role: ml_engineer\n      include: [\"(\"]\n" + src(""), `c.yaml:1: classify: `},
		{"unknown classify key", "classify:\n  skils: []\n" + src(""), `c.yaml:2: classify.skils: unknown key (did you mean "skills"?)`},
		{"bad multiplier period", "salary:\n  multipliers:\n    fortnight: 26\n" + src(""), `c.yaml:3: salary.multipliers.fortnight: unknown period (want hour, day, week or month)`},
		{"bad rate code", "salary:\n  usd_rates:\n    euro: 1.1\n" + src(""), `c.yaml:3: salary.usd_rates.euro: not an ISO 4217 code (three capital letters)`},
		{"bad rates date", "salary:\n  rates_date: yesterday\n" + src(""), `c.yaml:2: salary.rates_date: "yesterday" is not a date (want YYYY-MM-DD)`},
		{"growth base", "report:\n  growth_base: 15\n" + src(""), `c.yaml:2: report.growth_base: year 15 is out of range`},
		{"two documents", src("---\ndatabase: y\n"), `c.yaml:5: more than one YAML document`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig("c.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if got := err.Error(); got != tc.want && !(strings.HasSuffix(tc.want, ": ") && strings.HasPrefix(got, tc.want)) {
				t.Errorf("error\n got: %s\nwant: %s", got, tc.want)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "c.yaml") {
				t.Errorf("error %T does not name the file", err)
			}
		})
	}
}

// TestClassifyConfig: rules in the config extend the built-in ones.
func TestClassifyConfig(t *testing.T) {
	cfg, err := ParseConfig("c.yaml", []byte(goodConfig+`classify:
  roles:
    - name: robot-whisperer
      role: ml_engineer
      include: ["robot whisperer"]
  skills:
    - name: Mojo
      aliases: [mojo]
`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := newEnricher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Classifier.Role("Senior Robot Whisperer"); got != jobtrends.RoleMLEngineer {
		t.Errorf("config role rule not applied: %q", got)
	}
	if got := e.Classifier.Skills("We write Mojo and Python"); !slices.Contains(got, "Mojo") || !slices.Contains(got, "Python") {
		t.Errorf("config skill not added to the built-in ones: %v", got)
	}
	def, _ := newEnricher(mustConfig(t, goodConfig))
	if got := def.Classifier.Role("Senior Robot Whisperer"); got == jobtrends.RoleMLEngineer {
		t.Error("the test is void: the built-in rules already classify it")
	}
}

func mustConfig(t testing.TB, s string) *Config {
	t.Helper()
	cfg, err := ParseConfig("c.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Add(jobtrends.DefaultConfig)
	f.Add([]byte("sources: [{name: a, type: hn, start_urls: [\"https://x\"]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("f.yaml", data)
		if err == nil && (len(cfg.Sources) == 0 || cfg.Crawl.Timeout.Duration == 0) {
			t.Fatalf("accepted an invalid config: %+v", cfg)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
