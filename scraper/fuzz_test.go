package scraper

import (
	"log/slog"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/temoto/robotstxt"
)

// FuzzRobots: any robots.txt body is read without panic into rules, and
// what the sanitizer keeps always parses (so one bad line never throws
// away the whole file).
func FuzzRobots(f *testing.F) {
	for _, s := range []string{
		"User-agent: *\nDisallow: /private\nCrawl-delay: 2\n",
		"Disallow: /orphan\nUser-agent: jobtrends\nAllow: /jobs\nDisallow: /\n",
		"User-agent: *\nCrawl-delay: soon\nDisallow: /*?sort=$\n",
		"\x00\xff<html>garbage</html>",
		"User-agent: * Disallow: /x Crawl-delay: 1e400",
		"Sitemap: https://x.example/s.xml\r\nUser-agent:*\r\nDisallow:/a b\r\n",
	} {
		f.Add([]byte(s))
	}
	log := slog.New(slog.DiscardHandler)
	f.Fuzz(func(t *testing.T, body []byte) {
		data := parseRobots(body, log)
		if data == nil {
			t.Fatal("nil rules")
		}
		data.TestAgent("/jobs/1?x=2", "jobtrends")
		_ = data.FindGroup("jobtrends").CrawlDelay
		clean, _ := sanitizeRobots(body)
		if _, err := robotstxt.FromBytes(clean); err != nil {
			t.Fatalf("sanitized robots.txt %q does not parse: %v", clean, err)
		}
	})
}

// FuzzDecodeText: any body with any declared charset decodes to valid
// UTF-8 without a BOM.
func FuzzDecodeText(f *testing.F) {
	f.Add([]byte("<meta charset=windows-1252>Caf\xe9"), "text/html")
	f.Add([]byte("\xff\xfeh\x00i\x00"), "")
	f.Add([]byte("plain"), "text/html; charset=utf-8")
	f.Add([]byte("\x83\x5c"), "text/html; charset=shift_jis")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		d, err := decodeText(body, contentType)
		if err != nil {
			return
		}
		out := d.text
		if !utf8.Valid(out) {
			t.Fatalf("decodeText(%q, %q) = %q: invalid UTF-8", body, contentType, out)
		}
	})
}

// FuzzCanonicalURL: links from pages never become a non-http(s) URL or a
// URL with credentials.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"/careers/1#x", "javascript:alert(1)", "//evil.example/x", " https://A.example:443/x?y=1 ", "http://u:p@x.example/", "data:text/html,x", "%zz"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://jobs.example.com/careers/")
	f.Fuzz(func(t *testing.T, ref string) {
		s, ok := canonicalURL(base, ref)
		if !ok {
			return
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Host == "" || u.Fragment != "" {
			t.Fatalf("canonicalURL(%q) = %q", ref, s)
		}
	})
}
