package jobtrends

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that only say how a visitor arrived;
// CanonicalURL drops them, and every parameter starting with utm_.
var trackingParams = map[string]bool{
	"gclid": true, "dclid": true, "fbclid": true, "msclkid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true, "igshid": true,
	"ref": true, "ref_src": true, "trk": true, "trackingid": true,
}

// CanonicalURL returns the canonical form of an absolute URL: the one key
// under which the crawl visits a page (its seen-set) and under which a
// posting known by its URL is stored, so that the same job reached under
// two spellings of its URL is fetched once and stored once.
//
//   - scheme and host in lower case, the default port (80 for http, 443
//     for https) dropped;
//   - no fragment, no user information;
//   - the trailing slash of a non-root path dropped: /jobs/1/ is /jobs/1
//     (RELIABILITY.md row C10). The root path stays "/", and an empty path
//     becomes "/";
//   - tracking parameters (utm_*, gclid, fbclid, ref, …) dropped and the
//     other query parameters sorted by name, keeping the order of a
//     repeated one. A query that does not parse as name=value pairs (a
//     ';' separator, a bad escape) is kept as it is, so that two pages
//     never collapse into one key by what the parser could not read.
//
// u is not modified. A URL that is not absolute with a host (relative,
// scheme-relative, or opaque such as mailto:) is returned as u.String()
// without its fragment.
func CanonicalURL(u *url.URL) string {
	if u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		c := *u
		c.Fragment, c.RawFragment = "", ""
		return c.String()
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if port := u.Port(); (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		host = strings.TrimSuffix(host, ":"+port)
	}
	path := u.EscapedPath()
	if trimmed := strings.TrimRight(path, "/"); trimmed != "" {
		path = trimmed
	} else {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(path)
	if q := canonicalQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String()
}

// canonicalQuery drops the tracking parameters of a raw query and sorts
// the others (url.Values.Encode); a query that does not parse is returned
// as it is.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return raw
	}
	for k := range q {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			delete(q, k)
		}
	}
	return q.Encode()
}

// RedactURL returns raw with the password of its user info replaced by
// "xxxxx", for logs, errors and reports; a URL that does not parse is
// named only as such, since it may hold a password in any part.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
