package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"go.yaml.in/yaml/v3"

	"github.com/jobtrends/jobtrends/parse"
	"github.com/jobtrends/jobtrends/scraper"
	"github.com/jobtrends/jobtrends/store"
)

// Config is the whole of config.yaml. Every key is documented in the
// shipped config.yaml at the project root, which is also the embedded
// default.
type Config struct {
	Database  string          `yaml:"database"`
	Frontier  string          `yaml:"frontier"`
	Report    ReportConfig    `yaml:"report"`
	Crawl     CrawlConfig     `yaml:"crawl"`
	Salary    SalaryConfig    `yaml:"salary"`
	Lifecycle LifecycleConfig `yaml:"lifecycle"`
	Classify  ClassifyConfig  `yaml:"classify"`
	Sources   []SourceConfig  `yaml:"sources"`

	// file is the name errors are reported against.
	file string
	// classifier is the compiled classify: rules (Validate builds it).
	classifier *parse.Classifier
	// lines maps a key path ("crawl.delay", "sources[0].type") to its line.
	lines map[string]int
}

// ReportConfig configures the HTML report.
type ReportConfig struct {
	Out              string `yaml:"out"`
	Title            string `yaml:"title"`
	GrowthBase       int    `yaml:"growth_base"`
	IncludeEstimates bool   `yaml:"include_estimates"`
}

// CrawlConfig holds the politeness and safety settings shared by every
// source.
type CrawlConfig struct {
	UserAgent     string   `yaml:"user_agent"`
	Delay         Duration `yaml:"delay"`
	Timeout       Duration `yaml:"timeout"`
	MaxBody       ByteSize `yaml:"max_body"`
	MaxAPIBody    ByteSize `yaml:"max_api_body"`
	AllowPrivate  bool     `yaml:"allow_private"`
	CrawlDelayCap Duration `yaml:"crawl_delay_cap"`
}

// SalaryConfig holds the normalization constants.
type SalaryConfig struct {
	// Multipliers annualize an amount quoted per hour, day, week or month.
	Multipliers map[string]float64 `yaml:"multipliers"`
	// RatesDate is the date of the exchange-rate table.
	RatesDate string `yaml:"rates_date"`
	// USDRates gives, per ISO 4217 code, the USD value of one unit.
	USDRates map[string]float64 `yaml:"usd_rates"`
}

// ClassifyConfig extends or replaces the built-in classification rules
// (parse/rules/*.yaml): a rule with the name of a built-in one overrides
// it, others are added (role and seniority rules before the built-in
// ones); with replace: true, each list given replaces the built-in list.
type ClassifyConfig struct {
	Replace    bool                  `yaml:"replace"`
	Roles      []parse.RoleRule      `yaml:"roles"`
	Seniority  []parse.SeniorityRule `yaml:"seniority"`
	Skills     []parse.SkillRule     `yaml:"skills"`
	Industries []parse.IndustryRule  `yaml:"industries"`
}

// rules returns the classification rules the config asks for.
func (c ClassifyConfig) rules() parse.Rules {
	extra := parse.Rules{Roles: c.Roles, Seniority: c.Seniority, Skills: c.Skills, Industries: c.Industries}
	return parse.MergeRules(parse.DefaultRules(), extra, c.Replace)
}

// LifecycleConfig says when a posting counts as closed.
type LifecycleConfig struct {
	// CloseAfter: a posting missing from this many consecutive complete
	// crawls of its source is closed (a failed, partial or empty crawl
	// closes nothing).
	CloseAfter int `yaml:"close_after"`
}

// SourceConfig is one entry of sources:.
type SourceConfig struct {
	Name      string   `yaml:"name"`
	Type      string   `yaml:"type"`
	StartURLs []string `yaml:"start_urls"`
	Follow    []Regexp `yaml:"follow"`
	MaxPages  int      `yaml:"max_pages"`
	// MaxOutlinks is the most links one page adds to the crawl
	// (scraper.Source.MaxOutlinks).
	MaxOutlinks int `yaml:"max_outlinks"`
	// Boards are the board tokens of greenhouse, lever and ashby-api
	// sources.
	Boards []string `yaml:"boards"`
	// Selectors say where the fields are, for html sources.
	Selectors *parse.SelectorRules `yaml:"selectors"`
	// Since (YYYY-MM) bounds HN thread discovery; Discover turns it on.
	Since    string `yaml:"since"`
	Discover bool   `yaml:"discover"`
}

// scraperSource turns a source entry into the scraper's form.
func (sc SourceConfig) scraperSource() scraper.Source {
	src := scraper.Source{Name: sc.Name, Type: sc.Type, StartURLs: sc.StartURLs, MaxPages: sc.MaxPages,
		MaxOutlinks: sc.MaxOutlinks, Boards: sc.Boards, Selectors: sc.Selectors, Since: sc.Since, Discover: sc.Discover}
	for _, f := range sc.Follow {
		src.Follow = append(src.Follow, f.Regexp)
	}
	return src
}

// Duration is a time.Duration written as "2s", "1m30s".
type Duration struct{ time.Duration }

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("want a duration such as 2s or 1m30s")
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("invalid duration %q (want e.g. 2s, 500ms, 1m)", n.Value)
	}
	if v < 0 {
		return fmt.Errorf("negative duration %q", n.Value)
	}
	d.Duration = v
	return nil
}

// ByteSize is a size written as "5MiB", "512KiB", "1000000".
type ByteSize int64

var byteUnits = map[string]int64{
	"": 1, "b": 1,
	"kb": 1000, "mb": 1000 * 1000, "gb": 1000 * 1000 * 1000,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
	"k": 1 << 10, "m": 1 << 20, "g": 1 << 30,
}

var byteSizeRE = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$`)

// UnmarshalYAML reads a byte size.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	m := byteSizeRE.FindStringSubmatch(n.Value)
	if n.Kind != yaml.ScalarNode || m == nil {
		return fmt.Errorf("invalid size %q (want e.g. 5MiB, 512KiB)", n.Value)
	}
	unit, ok := byteUnits[strings.ToLower(m[2])]
	if !ok {
		return fmt.Errorf("invalid size unit %q in %q (want B, KiB, MiB, GiB, kB, MB, GB)", m[2], n.Value)
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil || f*float64(unit) > 1<<40 {
		return fmt.Errorf("invalid size %q", n.Value)
	}
	*b = ByteSize(f * float64(unit))
	return nil
}

// Regexp is a compiled regular expression from the config.
type Regexp struct{ *regexp.Regexp }

// UnmarshalYAML compiles the expression.
func (r *Regexp) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("want a regular expression string")
	}
	re, err := regexp.Compile(n.Value)
	if err != nil {
		return fmt.Errorf("invalid regular expression %q: %v", n.Value, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	r.Regexp = re
	return nil
}

// ConfigError is a config problem at a place in the file.
type ConfigError struct {
	File string
	Line int    // 0 when the problem has no single line
	Key  string // key path such as crawl.delay or sources[1].type
	Msg  string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ParseConfig decodes and validates a config strictly: an unknown key, a
// wrong type or an invalid value is an error naming file, line and key.
func ParseConfig(file string, data []byte) (*Config, error) {
	cfg := &Config{file: file, lines: map[string]int{}}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ConfigError{File: file, Msg: "empty config"}
		}
		return nil, yamlSyntaxError(file, err)
	}
	if len(root.Content) == 0 {
		return nil, &ConfigError{File: file, Msg: "empty config"}
	}
	if err := decodeNode(cfg, root.Content[0], reflect.ValueOf(cfg).Elem(), ""); err != nil {
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &ConfigError{File: file, Line: extra.Line, Msg: "more than one YAML document"}
	}
	cfg.applyDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlSyntaxError(file string, err error) error {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ConfigError{File: file, Line: line, Msg: "syntax error: " + m[2]}
	}
	return &ConfigError{File: file, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// decodeNode decodes n into v, walking structs field by field so that each
// error knows its key path and line.
func decodeNode(cfg *Config, n *yaml.Node, v reflect.Value, path string) error {
	if path != "" {
		cfg.lines[path] = n.Line
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	fail := func(msg string) error {
		return &ConfigError{File: cfg.file, Line: n.Line, Key: path, Msg: msg}
	}
	if v.CanAddr() && v.Addr().Type().Implements(unmarshalerType) {
		if err := v.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			return fail(err.Error())
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			v.Set(reflect.Zero(v.Type()))
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := decodeNode(cfg, n, p.Elem(), path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return fail("want a mapping of keys, got " + describe(n))
		}
		fields := map[string]int{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" && tag != "-" {
				fields[tag] = i
			}
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			sub := join(path, k.Value)
			idx, ok := fields[k.Value]
			if !ok {
				return &ConfigError{File: cfg.file, Line: k.Line, Key: sub, Msg: "unknown key" + suggest(k.Value, fields)}
			}
			if seen[k.Value] {
				return &ConfigError{File: cfg.file, Line: k.Line, Key: sub, Msg: "key given twice"}
			}
			seen[k.Value] = true
			if err := decodeNode(cfg, val, v.Field(idx), sub); err != nil {
				return err
			}
			cfg.lines[sub] = k.Line
		}
		return nil
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			v.Set(reflect.Zero(v.Type()))
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			return fail("want a list, got " + describe(n))
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := decodeNode(cfg, item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return fail("want a mapping, got " + describe(n))
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := decodeNode(cfg, val, ev, join(path, k.Value)); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k.Value), ev)
		}
		v.Set(m)
		return nil
	default:
		if n.Kind != yaml.ScalarNode {
			return fail(fmt.Sprintf("want a %s, got %s", kindName(v.Kind()), describe(n)))
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			return fail(fmt.Sprintf("want a %s, got %q", kindName(v.Kind()), n.Value))
		}
		return nil
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "whole number"
	case reflect.Float64, reflect.Float32:
		return "number"
	case reflect.String:
		return "string"
	}
	return k.String()
}

// suggest names the closest known key, for typos.
func suggest(key string, fields map[string]int) string {
	best, bestD := "", 3
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		if d := editDistance(key, f); d < bestD {
			best, bestD = f, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return " (known keys: " + strings.Join(names, ", ") + ")"
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours cost 1.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func (c *Config) applyDefaults() {
	if c.Database == "" {
		c.Database = "jobtrends.db"
	}
	if c.Report.Out == "" {
		c.Report.Out = "report"
	}
	if c.Report.Title == "" {
		c.Report.Title = "Machine-learning engineer job market"
	}
	if c.Report.GrowthBase == 0 {
		c.Report.GrowthBase = 2015
	}
	if c.Crawl.UserAgent == "" {
		c.Crawl.UserAgent = defaultUserAgent
	}
	if _, set := c.lines["crawl.delay"]; !set {
		c.Crawl.Delay.Duration = 2 * time.Second
	}
	if c.Crawl.Timeout.Duration == 0 {
		c.Crawl.Timeout.Duration = 30 * time.Second
	}
	if c.Crawl.MaxBody == 0 {
		c.Crawl.MaxBody = 5 << 20
	}
	if c.Crawl.MaxAPIBody == 0 {
		c.Crawl.MaxAPIBody = scraper.DefaultMaxAPIBody
	}
	if c.Crawl.CrawlDelayCap.Duration == 0 {
		c.Crawl.CrawlDelayCap.Duration = 30 * time.Second
	}
	if c.Lifecycle.CloseAfter == 0 {
		c.Lifecycle.CloseAfter = 3
	}
	for i := range c.Sources {
		if c.Sources[i].MaxPages == 0 {
			c.Sources[i].MaxPages = 500
		}
		if c.Sources[i].MaxOutlinks == 0 {
			c.Sources[i].MaxOutlinks = scraper.DefaultMaxOutlinks
		}
	}
}

// redactErr is err's text with the database URL's password, if any, cut
// out.
func redactErr(err error, target string) string {
	msg := err.Error()
	if u, perr := url.Parse(target); perr == nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

func (c *Config) errAt(key, msg string) error {
	return &ConfigError{File: c.file, Line: c.lines[key], Key: key, Msg: msg}
}

var sourceNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// Validate checks values the types alone cannot; errors name file, line
// and key.
func (c *Config) Validate() error {
	if store.IsPostgres(c.Database) {
		if _, err := pgconn.ParseConfig(c.Database); err != nil {
			return c.errAt("database", "not a usable PostgreSQL URL: "+redactErr(err, c.Database))
		}
	}
	if err := validateFrontier(c.Frontier); err != nil {
		return c.errAt("frontier", err.Error())
	}
	if !strings.Contains(c.Crawl.UserAgent, "jobtrends") {
		return c.errAt("crawl.user_agent", "must name jobtrends (sites need to know who crawls them)")
	}
	if !strings.Contains(c.Crawl.UserAgent, "http") && !strings.Contains(c.Crawl.UserAgent, "@") {
		return c.errAt("crawl.user_agent", "must include a contact URL or e-mail, e.g. \"jobtrends/1.0 (+https://example.org/jobtrends)\"")
	}
	if c.Crawl.Delay.Duration < time.Second && !c.Crawl.AllowPrivate {
		return c.errAt("crawl.delay", fmt.Sprintf("%s is too short: at least 1s between requests to one host (shorter delays are only for local servers, with allow_private: true)", c.Crawl.Delay.Duration))
	}
	if c.Crawl.Timeout.Duration < time.Second || c.Crawl.Timeout.Duration > 10*time.Minute {
		return c.errAt("crawl.timeout", fmt.Sprintf("%s is out of range (1s to 10m)", c.Crawl.Timeout.Duration))
	}
	if c.Crawl.MaxBody < 1<<10 || c.Crawl.MaxBody > 1<<30 {
		return c.errAt("crawl.max_body", "out of range (1KiB to 1GiB)")
	}
	if c.Crawl.MaxAPIBody < 1<<10 || c.Crawl.MaxAPIBody > 1<<30 {
		return c.errAt("crawl.max_api_body", "out of range (1KiB to 1GiB)")
	}
	if c.Report.GrowthBase < 1995 || c.Report.GrowthBase > 2100 {
		return c.errAt("report.growth_base", fmt.Sprintf("year %d is out of range", c.Report.GrowthBase))
	}
	for k, v := range c.Salary.Multipliers {
		switch k {
		case "hour", "day", "week", "month":
		default:
			return c.errAt("salary.multipliers."+k, "unknown period (want hour, day, week or month)")
		}
		if v <= 0 || v > 10000 {
			return c.errAt("salary.multipliers."+k, fmt.Sprintf("%v is out of range", v))
		}
	}
	if c.Salary.RatesDate != "" {
		if _, err := time.Parse("2006-01-02", c.Salary.RatesDate); err != nil {
			return c.errAt("salary.rates_date", fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", c.Salary.RatesDate))
		}
	}
	for k, v := range c.Salary.USDRates {
		if len(k) != 3 || strings.ToUpper(k) != k {
			return c.errAt("salary.usd_rates."+k, "not an ISO 4217 code (three capital letters)")
		}
		if v <= 0 {
			return c.errAt("salary.usd_rates."+k, "rate must be positive")
		}
	}
	if c.Lifecycle.CloseAfter < 1 || c.Lifecycle.CloseAfter > 1000 {
		return c.errAt("lifecycle.close_after", fmt.Sprintf("%d is out of range (1 to 1000)", c.Lifecycle.CloseAfter))
	}
	cl, err := parse.NewClassifier(c.Classify.rules())
	if err != nil {
		return c.errAt("classify", err.Error())
	}
	c.classifier = cl
	if len(c.Sources) == 0 {
		return c.errAt("sources", "no sources configured")
	}
	names := map[string]bool{}
	for i, s := range c.Sources {
		p := fmt.Sprintf("sources[%d]", i)
		if s.Name == "" {
			return c.errAt(p, "name is required")
		}
		if !sourceNameRE.MatchString(s.Name) {
			return c.errAt(p+".name", fmt.Sprintf("%q: use lower-case letters, digits, - and _", s.Name))
		}
		if names[s.Name] {
			return c.errAt(p+".name", fmt.Sprintf("%q is used by two sources", s.Name))
		}
		names[s.Name] = true
		types := scraper.SourceTypes()
		if s.Type == "" {
			return c.errAt(p, "type is required (one of "+strings.Join(types, ", ")+")")
		}
		if !contains(types, s.Type) {
			return c.errAt(p+".type", fmt.Sprintf("unknown source type %q (want one of %s)", s.Type, strings.Join(types, ", ")))
		}
		for j, u := range s.StartURLs {
			pu, err := url.Parse(u)
			if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
				return c.errAt(fmt.Sprintf("%s.start_urls[%d]", p, j), fmt.Sprintf("%q is not an http(s) URL", u))
			}
		}
		if s.Since != "" {
			if _, err := time.Parse("2006-01", s.Since); err != nil {
				return c.errAt(p+".since", fmt.Sprintf("%q is not a month (want YYYY-MM)", s.Since))
			}
		}
		if s.MaxPages < 1 || s.MaxPages > 1_000_000 {
			return c.errAt(p+".max_pages", fmt.Sprintf("%d is out of range (1 to 1000000)", s.MaxPages))
		}
		if s.MaxOutlinks < 1 || s.MaxOutlinks > 1_000_000 {
			return c.errAt(p+".max_outlinks", fmt.Sprintf("%d is out of range (1 to 1000000)", s.MaxOutlinks))
		}
		if err := s.scraperSource().Validate(); err != nil {
			return c.errAt(p, err.Error())
		}
	}
	return nil
}

// validateFrontier checks the frontier: key: empty, or the URL of a Redis
// database (redis://[user:password@]host:port/db, rediss:// for TLS).
func validateFrontier(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL (want redis://host:6379/0 or rediss://…)")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return fmt.Errorf("scheme %q is not redis or rediss (want redis://host:6379/0)", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("no host (want redis://host:6379/0)")
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		if n, err := strconv.Atoi(db); err != nil || n < 0 {
			return fmt.Errorf("database %q is not a number (want redis://host:6379/0)", db)
		}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return errors.New("query and fragment are not supported (want redis://host:6379/0)")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
