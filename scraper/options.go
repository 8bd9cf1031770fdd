package scraper

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Defaults of Options. A zero field means its default.
const (
	DefaultDelay           = 1 * time.Second
	DefaultMinDelay        = 1 * time.Second
	DefaultJitter          = 0.1
	DefaultTimeout         = 30 * time.Second
	DefaultConnectTimeout  = 10 * time.Second
	DefaultHeaderTimeout   = 15 * time.Second
	DefaultMaxBody         = 5 << 20
	DefaultMaxAPIBody      = 32 << 20
	DefaultCrawlDelayCap   = 30 * time.Second
	DefaultMaxRetries      = 2
	DefaultBackoffBase     = 1 * time.Second
	DefaultBackoffMax      = 60 * time.Second
	DefaultRetryAfterCap   = 120 * time.Second
	DefaultMaxHostFailures = 5
	DefaultMaxPages        = 500
	// DefaultMaxOutlinks is the most links one page adds to the crawl
	// frontier (Source.MaxOutlinks). Nutch caps outlinks at 100 per page,
	// which would cut real job boards: the largest listing measured, the
	// Ashby board of OpenAI in the test corpus, links to 502 job pages,
	// and a board page lists every job of the company. 1,000 is twice
	// that. Nothing else comes near it: an HN thread page leads to 1 page
	// (its "More" link; its thousands of links are comments and their
	// links, not followed), an HN submissions page to at most 30 threads,
	// the corpus's other saved pages have at most 200 links in all, and
	// the ATS API sources (greenhouse, lever, ashby-api) read one document
	// per board and follow no link.
	DefaultMaxOutlinks = 1000

	// maxRedirects is the most redirects followed for one page or one
	// robots.txt (RFC 9309 asks for at least 5).
	maxRedirects = 5
	// maxRobotsBody is how much of a robots.txt is read (RFC 9309: at
	// least 500 KiB); the rest is ignored.
	maxRobotsBody = 512 << 10
)

// Options configures a Crawler. Every field has a documented default that a
// zero value selects; only UserAgent is required.
type Options struct {
	// UserAgent is sent with every request. It must name jobtrends and give
	// a contact URL (or e-mail address), e.g.
	// "jobtrends/0.1 (+https://github.com/jobtrends/jobtrends)". Its first
	// token ("jobtrends") selects the robots.txt group.
	UserAgent string
	// Delay is the per-host spacing between request starts (default 1 s).
	// A larger robots.txt Crawl-delay wins.
	Delay time.Duration
	// MinDelay is the floor under Delay (default 1 s), so that a config
	// cannot make jobtrends impolite by accident. Tests lower it, e.g. to
	// time.Millisecond. With a replay transport (NewReplay) nothing leaves
	// the process, so neither the floor nor the default delay applies
	// there: a zero Delay means no spacing.
	MinDelay time.Duration
	// Jitter is the random upward jitter added to each spacing, as a
	// fraction of it (default 0.1, i.e. up to +10%); negative means none.
	Jitter float64
	// Timeout bounds one attempt of one request: connect, headers and the
	// whole body (default 30 s).
	Timeout time.Duration
	// ConnectTimeout bounds the TCP connect and TLS handshake of the real
	// network transport (default 10 s).
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for the response headers on the real
	// network transport (default 15 s).
	HeaderTimeout time.Duration
	// MaxBody is the most bytes a body may have after decompression
	// (default 5 MiB). A larger body fails the page; it is never truncated.
	MaxBody int64
	// MaxAPIBody is MaxBody for the JSON API sources (greenhouse, lever,
	// ashby-api), where one response is a whole job board with every
	// description (default 32 MiB).
	MaxAPIBody int64
	// AllowPrivate permits dialing loopback and private (RFC 1918, unique
	// local, CGNAT) addresses. Link-local, cloud metadata, unspecified,
	// multicast and reserved addresses are refused even then. Only the real
	// network transport (Transport nil) dials; a caller-supplied Transport
	// is responsible for its own connections.
	AllowPrivate bool
	// CrawlDelayCap is the largest robots.txt Crawl-delay honoured (default
	// 30 s); a host asking for more is skipped for the run.
	CrawlDelayCap time.Duration
	// Transport replaces the network: nil means the real network through a
	// guarded http.Transport; tests and the demo pass a replay transport
	// (NewReplay) or an httptest client's transport. The politeness layer
	// (robots, spacing, caps, redirects, retries) applies either way.
	Transport http.RoundTripper
	// Logger receives the crawl's log; nil discards it.
	Logger *slog.Logger
	// Now stamps fetched pages (default time.Now). Spacing and timeouts use
	// the monotonic clock regardless.
	Now func() time.Time
	// Header holds extra request headers (e.g. Accept-Language or an API
	// key). Credential headers are removed when a redirect changes origin.
	Header http.Header

	// MaxRetries is how many times a request is retried after a 408, 429,
	// 5xx or network error (default 2, i.e. 3 attempts; negative means no
	// retry).
	MaxRetries int
	// BackoffBase and BackoffMax shape the exponential back-off with full
	// jitter between attempts: a random wait in [0, min(BackoffMax,
	// BackoffBase·2ⁿ)) on top of the host spacing (defaults 1 s and 60 s).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// RetryAfterCap is the longest Retry-After honoured (default 120 s); a
	// longer one defers the host to the next run.
	RetryAfterCap time.Duration
	// MaxHostFailures is how many failed attempts in a row end a host for
	// the run (default 5).
	MaxHostFailures int
	// MaxRunPages is the most page requests a Crawler makes over all the
	// sources of its run (0: no limit beyond each source's MaxPages).
	MaxRunPages int
	// RunBudget is the wall-clock budget of a Crawler's run, counted from
	// New (0: none; the caller's context may still set a deadline). A
	// page is not started once it is spent; the page in flight finishes.
	// Pages left over by either budget are counted in Stats.Unvisited and
	// make the crawl incomplete; they are not errors.
	RunBudget time.Duration

	// HostGate, when set, shares the per-host politeness with other
	// processes (a RedisFrontier): one request in flight per host and the
	// start-to-start spacing hold across all of them. nil: this process
	// alone.
	HostGate HostGate

	// RobotsCache, when set, shares the robots.txt answers of a crawl
	// with other processes (a RedisFrontier): the first worker to reach
	// a host fetches its robots.txt, the others read that answer. nil:
	// each process fetches its own.
	RobotsCache RobotsCache

	// Revalidate, when set, is asked before each page request what the
	// caller already holds of that URL. With a body and a validator, the
	// request is conditional (If-None-Match / If-Modified-Since); a 304
	// answer counts as unchanged and the held body is parsed in its place.
	Revalidate func(url string) (Cached, bool)
}

// Cached is what the caller already holds of a page, for a conditional
// request (see Options.Revalidate).
type Cached struct {
	ETag         string // validator from the earlier response's ETag
	LastModified string // validator from the earlier response's Last-Modified
	ContentType  string
	Body         []byte // the earlier body, decoded to UTF-8
}

// normalized returns o with defaults filled in, or an error naming the
// first invalid field.
func (o Options) normalized() (Options, error) {
	ua := strings.TrimSpace(o.UserAgent)
	if ua == "" {
		return o, errors.New("scraper options: user agent is required")
	}
	if !strings.Contains(strings.ToLower(ua), "jobtrends") || !(strings.Contains(ua, "://") || strings.Contains(ua, "@")) {
		return o, fmt.Errorf("scraper options: user agent %q must name jobtrends and give a contact URL", ua)
	}
	if strings.ContainsAny(ua, "\r\n") {
		return o, fmt.Errorf("scraper options: user agent %q contains a line break", ua)
	}
	o.UserAgent = ua
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"delay", o.Delay}, {"min delay", o.MinDelay}, {"timeout", o.Timeout},
		{"connect timeout", o.ConnectTimeout}, {"header timeout", o.HeaderTimeout},
		{"crawl delay cap", o.CrawlDelayCap}, {"backoff base", o.BackoffBase},
		{"backoff max", o.BackoffMax}, {"retry-after cap", o.RetryAfterCap},
	} {
		if d.v < 0 {
			return o, fmt.Errorf("scraper options: %s %v is negative", d.name, d.v)
		}
	}
	if o.MaxRunPages < 0 {
		return o, fmt.Errorf("scraper options: max run pages %d is negative", o.MaxRunPages)
	}
	if o.RunBudget < 0 {
		return o, fmt.Errorf("scraper options: run budget %v is negative", o.RunBudget)
	}
	if o.MaxBody < 0 {
		return o, fmt.Errorf("scraper options: max body %d is negative", o.MaxBody)
	}
	if o.MaxAPIBody < 0 {
		return o, fmt.Errorf("scraper options: max API body %d is negative", o.MaxAPIBody)
	}
	if _, offline := o.Transport.(*replay); !offline {
		if o.MinDelay == 0 {
			o.MinDelay = DefaultMinDelay
		}
		if o.Delay == 0 {
			o.Delay = DefaultDelay
		}
	}
	if o.Delay < o.MinDelay {
		o.Delay = o.MinDelay
	}
	if o.Jitter == 0 {
		o.Jitter = DefaultJitter
	} else if o.Jitter < 0 {
		o.Jitter = 0
	}
	def := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	def(&o.Timeout, DefaultTimeout)
	def(&o.ConnectTimeout, DefaultConnectTimeout)
	def(&o.HeaderTimeout, DefaultHeaderTimeout)
	def(&o.CrawlDelayCap, DefaultCrawlDelayCap)
	def(&o.BackoffBase, DefaultBackoffBase)
	def(&o.BackoffMax, DefaultBackoffMax)
	def(&o.RetryAfterCap, DefaultRetryAfterCap)
	if o.MaxBody == 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxAPIBody == 0 {
		o.MaxAPIBody = DefaultMaxAPIBody
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.MaxHostFailures <= 0 {
		o.MaxHostFailures = DefaultMaxHostFailures
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Header = o.Header.Clone()
	// The Host header would send requests for another virtual host to an
	// allowed address; the URL alone names the host.
	o.Header.Del("Host")
	return o, nil
}

// agentToken is the product token of a User-Agent ("jobtrends" for
// "jobtrends/0.1 (+https://…)"), lower case, for robots.txt group matching.
func agentToken(ua string) string {
	tok := ua
	if i := strings.IndexAny(tok, "/ \t("); i >= 0 {
		tok = tok[:i]
	}
	return strings.ToLower(tok)
}
