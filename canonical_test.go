package jobtrends

import (
	"net/url"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"trailing slash of a path dropped", "https://example.com/jobs/1/", "https://example.com/jobs/1"},
		{"without one: unchanged", "https://example.com/jobs/1", "https://example.com/jobs/1"},
		{"several trailing slashes", "https://example.com/jobs/1//", "https://example.com/jobs/1"},
		{"root path stays /", "https://example.com/", "https://example.com/"},
		{"empty path is /", "https://example.com", "https://example.com/"},
		{"root with a query", "https://example.com/?page=2", "https://example.com/?page=2"},
		{"empty path with a query", "https://example.com?page=2", "https://example.com/?page=2"},
		{"slash before the query dropped", "https://example.com/jobs/?page=2", "https://example.com/jobs?page=2"},
		{"slash inside the query kept", "https://example.com/jobs?next=/a/", "https://example.com/jobs?next=%2Fa%2F"},
		{"inner slashes kept", "https://example.com/a/b/c", "https://example.com/a/b/c"},
		{"encoded slash at the end is not a trailing slash", "https://example.com/a%2F", "https://example.com/a%2F"},
		{"fragment dropped, slash too", "https://example.com/jobs/1/#apply", "https://example.com/jobs/1"},
		{"scheme and host lower-cased, path case kept", "HTTPS://Example.COM/Jobs/ML/", "https://example.com/Jobs/ML"},
		{"default https port dropped", "https://example.com:443/a", "https://example.com/a"},
		{"default http port dropped", "http://example.com:80/a", "http://example.com/a"},
		{"other port kept", "http://example.com:8080/a/", "http://example.com:8080/a"},
		{"https on port 80 kept", "https://example.com:80/a", "https://example.com:80/a"},
		{"IPv6 host with a port", "http://[::1]:8080/a/", "http://[::1]:8080/a"},
		{"IPv6 host, default port", "http://[::1]:80/", "http://[::1]/"},
		{"user information dropped", "https://user:secret@example.com/a", "https://example.com/a"},
		{"tracking parameters dropped", "https://example.com/j/1/?utm_source=hn&UTM_Medium=x&gclid=z&fbclid=y&ref=feed", "https://example.com/j/1"},
		{"query sorted, ids kept", "https://example.com/j?id=7&gclid=z&b=2", "https://example.com/j?b=2&id=7"},
		{"a repeated parameter keeps its order", "https://example.com/j?t=b&a=1&t=a", "https://example.com/j?a=1&t=b&t=a"},
		{"escapes normalized", "https://example.com/j?q=a%2cb&r=c d", "https://example.com/j?q=a%2Cb&r=c+d"},
		{"a query that does not parse is kept as it is", "https://example.com/item?id=1;p=2", "https://example.com/item?id=1;p=2"},
		{"an empty query is dropped", "https://example.com/a?", "https://example.com/a"},
		{"greenhouse job id kept", "https://boards.greenhouse.io/acme/jobs/123?gh_jid=123&utm_source=x", "https://boards.greenhouse.io/acme/jobs/123?gh_jid=123"},
		{"relative URL: only the fragment dropped", "/jobs/1/#x", "/jobs/1/"},
		{"scheme-relative URL: only the fragment dropped", "//example.com/a/#x", "//example.com/a/"},
		{"opaque URL: only the fragment dropped", "mailto:jobs@example.com#x", "mailto:jobs@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			before := u.String()
			got := CanonicalURL(u)
			if got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if u.String() != before {
				t.Errorf("CanonicalURL modified its argument: %q, was %q", u, before)
			}
			// Canonical is a fixed point.
			back, err := url.Parse(got)
			if err != nil {
				t.Fatalf("canonical %q does not parse: %v", got, err)
			}
			if again := CanonicalURL(back); again != got {
				t.Errorf("CanonicalURL(%q) = %q: not idempotent", got, again)
			}
		})
	}
}

// FuzzCanonicalURL: the canonical form of any absolute URL parses, names
// the same host, and is its own canonical form.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://example.com/jobs/1/?utm_source=x#y", "http://[::1]:80/", "https://a.b/?a=1;b", "https://a.b//", "A://::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || u.Opaque != "" {
			return
		}
		got := CanonicalURL(u)
		back, err := url.Parse(got)
		if err != nil {
			t.Fatalf("CanonicalURL(%q) = %q, which does not parse: %v", raw, got, err)
		}
		if again := CanonicalURL(back); again != got {
			t.Fatalf("CanonicalURL(%q) = %q, but CanonicalURL(%q) = %q", raw, got, got, again)
		}
	})
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://jobtrends:s3cret@127.0.0.1:5432/jobs?sslmode=disable": "postgres://jobtrends:xxxxx@127.0.0.1:5432/jobs?sslmode=disable",
		"redis://:s3cret@127.0.0.1:6379/0":                                "redis://:xxxxx@127.0.0.1:6379/0",
		"redis://127.0.0.1:6379/0":                                        "redis://127.0.0.1:6379/0",
		"postgres://u:p@host:bad port/x":                                  "(unparsable URL)",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
