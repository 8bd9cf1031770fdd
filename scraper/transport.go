package scraper

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fetcher is the fetch layer of one run: the robots.txt cache and the host
// schedulers, shared by the collectors of every source the run crawls.
type fetcher struct {
	opt   Options // normalized
	agent string  // robots.txt product token
	base  http.RoundTripper
	log   *slog.Logger

	mu     sync.Mutex
	hosts  map[string]*hostState   // by host:port
	robots map[string]*robotsEntry // by scheme://host:port
}

func newFetcher(o Options) *fetcher {
	base := o.Transport
	if base == nil {
		base = newNetTransport(o)
	}
	return &fetcher{
		opt:    o,
		agent:  agentToken(o.UserAgent),
		base:   base,
		log:    o.Logger,
		hosts:  make(map[string]*hostState),
		robots: make(map[string]*robotsEntry),
	}
}

// host returns the scheduler of a host:port, creating it on first use.
func (f *fetcher) host(key string) *hostState {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.hosts[key]
	if !ok {
		h = newHostState(key, f.opt.Delay)
		h.gate = f.opt.HostGate
		f.hosts[key] = h
	}
	return h
}

// counters are what the fetch layer counts for one source.
type counters struct {
	retries atomic.Int64
	// encodingFallbacks counts pages whose text decoding fell back
	// (decoded.fallback), once per page, on the attempt handed on.
	encodingFallbacks atomic.Int64
}

// sourceTransport is the http.RoundTripper of one source's collector: the
// source's exact host:port allow-list in front of the shared fetch layer.
type sourceTransport struct {
	f       *fetcher
	allow   map[string]bool // host:port
	n       *counters
	maxBody int64 // most bytes of a body after decompression
}

// RoundTrip implements http.RoundTripper.
func (t *sourceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.f.roundTrip(req, t.allow, t.n, t.maxBody)
}

// checkRedirect is the redirect policy of a source's client: at most 5
// redirects, no loops, http(s) only, only to the source's hosts, and every
// credential header dropped when the origin changes.
func (t *sourceTransport) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, maxRedirects)
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("%w: redirect loop back to %s", ErrTooManyRedirects, req.URL)
		}
	}
	if _, err := allowedKey(req.URL, t.allow); err != nil {
		return fmt.Errorf("redirect refused: %w", err)
	}
	if n := len(req.URL.String()); n > MaxURLBytes {
		return fmt.Errorf("redirect refused: %w: a URL of %d bytes (at most %d)", ErrForbiddenURL, n, MaxURLBytes)
	}
	if origin(via[len(via)-1].URL) != origin(req.URL) {
		stripCredentials(req.Header)
	}
	return nil
}

// hostKey returns the canonical host:port of an http(s) URL.
func hostKey(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%w: scheme %q is not http(s)", ErrForbiddenURL, u.Scheme)
	}
	if u.User != nil {
		return "", fmt.Errorf("%w: credentials in the URL", ErrForbiddenURL)
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "" {
		return "", fmt.Errorf("%w: no host", ErrForbiddenURL)
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(host, port), nil
}

// allowedKey is hostKey, refusing a host:port that is not in allow.
func allowedKey(u *url.URL, allow map[string]bool) (string, error) {
	key, err := hostKey(u)
	if err != nil {
		return "", err
	}
	if !allow[key] {
		return "", fmt.Errorf("%w: host %s is not one of the source's hosts", ErrForbiddenURL, key)
	}
	return key, nil
}

// origin returns scheme://host:port.
func origin(u *url.URL) string {
	key, err := hostKey(u)
	if err != nil {
		return u.Scheme + "://" + u.Host
	}
	return strings.ToLower(u.Scheme) + "://" + key
}

// stripCredentials removes every header that may carry a credential (and
// the Referer, which leaks the page we came from).
func stripCredentials(h http.Header) {
	for name := range h {
		if isCredentialHeader(name) {
			h.Del(name)
		}
	}
}

func isCredentialHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "cookie2", "referer":
		return true
	}
	for _, s := range []string{"auth", "token", "secret", "key", "session", "password", "credential", "cookie"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// roundTrip sends one page request through the politeness layer: the
// allow-list, the host's end-of-run state, robots.txt, then attempts on
// the host's schedule with retries. A body over maxBody bytes fails.
func (f *fetcher) roundTrip(req *http.Request, allow map[string]bool, n *counters, maxBody int64) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	key, err := allowedKey(req.URL, allow)
	if err != nil {
		return nil, err
	}
	h := f.host(key)
	if err := h.endedErr(); err != nil {
		return nil, err
	}
	if err := f.checkRobots(req.Context(), req.URL, allow); err != nil {
		return nil, err
	}
	return f.fetchRetrying(req, h, n, maxBody)
}

// fetchRetrying makes attempts on the host's schedule until one succeeds,
// fails for good, or the retries run out. Retries happen here, below
// Colly, because Colly marks a URL visited before fetching it.
func (f *fetcher) fetchRetrying(req *http.Request, h *hostState, n *counters, maxBody int64) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		if err := h.acquire(ctx); err != nil {
			return nil, err
		}
		resp, at, fallback, err := f.attempt(req, maxBody, false)
		if err != nil && ctx.Err() != nil {
			h.release(at, 0, f.opt.Jitter)
			return nil, ctx.Err()
		}
		failed := (err != nil && retryableErr(err)) || (err == nil && retryableStatus(resp.StatusCode))
		if !failed {
			h.succeeded()
			h.release(at, 0, f.opt.Jitter)
			if err == nil && fallback != "" {
				n.encodingFallbacks.Add(1)
				f.log.Debug("encoding fallback", "url", req.URL.String(), "detail", fallback)
			}
			return resp, err
		}

		var pause time.Duration
		deferred := false
		if err == nil {
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				if ra > f.opt.RetryAfterCap {
					deferred = true
					h.end(fmt.Errorf("%w: %s asked to retry after %v (over the cap %v); deferred to the next run",
						ErrHostSkipped, h.key, ra, f.opt.RetryAfterCap))
					f.log.Warn("host deferred to the next run", "host", h.key, "url", req.URL.String(),
						"status", resp.StatusCode, "retry_after", ra.String())
				} else {
					pause = ra
				}
			}
		}
		h.mu.Lock()
		fails := h.failures
		h.mu.Unlock()
		if pause == 0 && !deferred {
			pause = backoff(f.opt.BackoffBase, f.opt.BackoffMax, fails)
		}
		if h.failed(f.opt.MaxHostFailures) {
			h.end(fmt.Errorf("%w: %s failed %d times in a row", ErrHostSkipped, h.key, f.opt.MaxHostFailures))
			f.log.Warn("host ended for this run", "host", h.key, "failures", f.opt.MaxHostFailures)
		}
		h.release(at, pause, f.opt.Jitter)

		if deferred {
			return nil, h.endedErr()
		}
		if attempt >= f.opt.MaxRetries || h.endedErr() != nil {
			if err == nil {
				err = fmt.Errorf("%w: %s", ErrBadStatus, statusText(resp.StatusCode))
			}
			if attempt == 0 {
				return nil, err
			}
			return nil, fmt.Errorf("%w (after %d attempts)", err, attempt+1)
		}
		n.retries.Add(1)
		cause := ""
		if err != nil {
			cause = err.Error()
		} else {
			cause = resp.Status
		}
		f.log.Debug("retrying", "url", req.URL.String(), "attempt", attempt+2, "cause", cause, "pause", pause.String())
	}
}

// attempt makes one request on the underlying transport, bounded by the
// attempt timeout, and returns when the answer (or the failure) came: the
// reference of the host's spacing. It reads the whole body into memory
// through the decompression and size cap (truncate: read at most limit
// bytes and drop the rest, used only for robots.txt). A 2xx text body is decoded to UTF-8
// and its Content-Type rewritten to say so, so that Colly's own charset
// and gzip handling never touch it again; fallback says how that decoding
// fell back ("" when it did not).
func (f *fetcher) attempt(req *http.Request, limit int64, truncate bool) (resp *http.Response, at time.Time, fallback string, err error) {
	parent := req.Context()
	ctx, cancel := context.WithTimeout(parent, f.opt.Timeout)
	defer cancel()
	r := req.Clone(ctx)
	if r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", f.opt.UserAgent)
	}
	resp, err = f.base.RoundTrip(r)
	at = time.Now()
	if err == nil {
		unframed := closeDelimited(resp)
		var body []byte
		body, err = readBody(resp, limit, truncate)
		resp.Body.Close()
		if err == nil {
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Del("Content-Encoding")
			resp.Header.Del("Content-Length")
			resp.Uncompressed = true
			resp.Request = req
			if resp.StatusCode >= 200 && resp.StatusCode < 300 && !truncate {
				fallback, err = decodeResponse(resp, body)
				if err == nil && unframed {
					err = checkHTMLEnd(resp)
				}
			}
		}
	}
	if err != nil {
		if parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("timeout after %v: %w", f.opt.Timeout, err)
		}
		return nil, at, "", unwrapURLError(err)
	}
	return resp, at, fallback, nil
}

// closeDelimited reports whether a response's body is delimited only by
// the server closing the connection: HTTP/1.x without a Content-Length,
// not chunked, not compressed (a compressed stream has an end of its own).
// Such a body, cut short, looks complete at the HTTP level.
func closeDelimited(resp *http.Response) bool {
	enc := strings.TrimSpace(resp.Header.Get("Content-Encoding"))
	return resp.ProtoMajor == 1 && resp.ContentLength < 0 && len(resp.TransferEncoding) == 0 &&
		!resp.Uncompressed && (enc == "" || strings.EqualFold(enc, "identity"))
}

// checkHTMLEnd fails an HTML page whose close-delimited body has no
// </html> end tag: the connection was most likely cut before the end of
// the page, whose postings would be read as a complete listing. The error
// wraps io.ErrUnexpectedEOF, so the attempt is retried like any body cut
// by the network.
func checkHTMLEnd(resp *http.Response) error {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "text/html" && mt != "application/xhtml+xml" {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	for rest := body; ; {
		i := bytes.Index(rest, []byte("</"))
		if i < 0 {
			return fmt.Errorf("body cut short: %d bytes delimited only by the connection's end, and no </html> end tag: %w",
				len(body), io.ErrUnexpectedEOF)
		}
		rest = rest[i+2:]
		if len(rest) >= 4 && bytes.EqualFold(rest[:4], []byte("html")) {
			return nil
		}
	}
}

// decodeResponse converts a text body to UTF-8 in place. It returns how
// decoding fell back (decoded.fallback), or "".
func decodeResponse(resp *http.Response, body []byte) (fallback string, err error) {
	ct := resp.Header.Get("Content-Type")
	mediaType := ""
	if ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err == nil {
			mediaType = strings.ToLower(mt)
		}
	}
	if mediaType == "" {
		// Missing or malformed: sniff the type, but never trust the
		// sniffer's charset.
		mediaType, _, _ = strings.Cut(http.DetectContentType(body), ";")
		ct = ""
	}
	if !isTextType(mediaType) {
		return "", nil
	}
	var d decoded
	if isJSONType(mediaType) {
		d, err = decodeJSON(body, ct)
	} else {
		d, err = decodeText(body, ct)
	}
	if err != nil {
		return "", err
	}
	resp.Body = io.NopCloser(bytes.NewReader(d.text))
	resp.ContentLength = int64(len(d.text))
	resp.Header.Set("Content-Type", mediaType+"; charset=utf-8")
	return d.fallback, nil
}

// readBody reads a whole body, undoing its Content-Encoding, and fails
// with ErrBodyTooLarge as soon as the decoded bytes (or the raw bytes)
// pass limit — never allocating more than limit+1 bytes — unless truncate
// is set, in which case the rest is silently dropped (robots.txt only).
func readBody(resp *http.Response, limit int64, truncate bool) ([]byte, error) {
	tooLarge := func() error {
		return fmt.Errorf("%w: more than %d bytes after decompression", ErrBodyTooLarge, limit)
	}
	if !truncate && resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d is over %d", ErrBodyTooLarge, resp.ContentLength, limit)
	}
	var r io.Reader = resp.Body
	if !resp.Uncompressed {
		encs := strings.Split(resp.Header.Get("Content-Encoding"), ",")
		if len(encs) > 3 {
			return nil, fmt.Errorf("%w: %d content encodings", ErrUndecodable, len(encs))
		}
		// The raw bytes are capped too: a compressed stream larger than
		// the cap is no page we want.
		r = &capReader{r: r, left: limit}
		for i := len(encs) - 1; i >= 0; i-- {
			switch enc := strings.ToLower(strings.TrimSpace(encs[i])); enc {
			case "", "identity":
			case "gzip", "x-gzip":
				zr, err := gzip.NewReader(r)
				if err != nil {
					return nil, fmt.Errorf("%w: gzip: %v", ErrUndecodable, err)
				}
				r = zr
			case "deflate":
				r = newDeflateReader(r)
			default:
				return nil, fmt.Errorf("%w: unsupported content-encoding %q", ErrUndecodable, enc)
			}
		}
	}
	// Size the buffer from Content-Length when the server sent one (the
	// exact size of an unencoded body, a floor for an encoded one; Go
	// drops it when it decompresses for us), plus room for the last read,
	// which must see bytes.MinRead free bytes to return EOF without
	// regrowing: a page is then read with one allocation and no copy.
	size := int64(bytes.MinRead)
	if resp.ContentLength > 0 {
		size = min(resp.ContentLength, limit) + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if errors.Is(err, errCapped) {
		if truncate {
			err = nil
		} else {
			return nil, tooLarge()
		}
	}
	if err != nil {
		return nil, err
	}
	if n > limit {
		if !truncate {
			return nil, tooLarge()
		}
		buf.Truncate(int(limit))
	}
	return buf.Bytes(), nil
}

var errCapped = errors.New("raw body over the size limit")

// capReader fails with errCapped once more than left bytes were read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errCapped
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errCapped
	}
	return n, err
}

// newDeflateReader reads HTTP "deflate", which servers send either as zlib
// (RFC 1950, correct) or as a raw deflate stream.
func newDeflateReader(r io.Reader) io.Reader {
	var head [2]byte
	n, _ := io.ReadFull(r, head[:])
	mr := io.MultiReader(bytes.NewReader(head[:n]), r)
	if n == 2 && head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		zr, err := zlib.NewReader(mr)
		if err == nil {
			return zr
		}
		return errReader{fmt.Errorf("%w: zlib: %v", ErrUndecodable, err)}
	}
	return flate.NewReader(mr)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// unwrapURLError drops net/http's *url.Error wrapper ("Get \"…\": …"):
// callers name the URL themselves.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}
