package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsEntry is the robots.txt of one origin for one run.
type robotsEntry struct {
	done chan struct{} // closed once loaded
	// data is the parsed file; nil means the whole host is disallowed
	// for this run (robots.txt unreachable).
	data   *robotstxt.RobotsData
	reason string // how the file was obtained, for logs and errors
	cause  error  // why it is unreachable, when it is
	// retry is set when loading was interrupted by the caller's context;
	// the entry is dropped and the next caller loads it again.
	retry bool
}

// RobotsCache keeps the robots.txt answers of one crawl for every process
// of it (Options.RobotsCache). Only the answers that settle the rules are
// kept: a 2xx file and a 4xx (no rules). A 5xx, 429 or a network error
// disallows the host for the process that met it only, and redirects are
// followed by each process.
type RobotsCache interface {
	// GetRobots returns the answer kept for origin (scheme://host:port);
	// ok is false when there is none.
	GetRobots(ctx context.Context, origin string) (status int, body []byte, ok bool, err error)
	// PutRobots keeps an answer for origin.
	PutRobots(ctx context.Context, origin string, status int, body []byte) error
}

// checkRobots returns nil if robots.txt lets our agent fetch u, or an
// error wrapping ErrRobotsBlocked.
func (f *fetcher) checkRobots(ctx context.Context, u *url.URL, allow map[string]bool) error {
	e, err := f.robotsFor(ctx, u, allow)
	if err != nil {
		return err
	}
	if e.data == nil {
		if e.cause != nil {
			return fmt.Errorf("%w: robots.txt of %s is unreachable; the host is disallowed for this run: %w", ErrRobotsBlocked, origin(u), e.cause)
		}
		return fmt.Errorf("%w: robots.txt of %s %s; the host is disallowed for this run", ErrRobotsBlocked, origin(u), e.reason)
	}
	if !e.data.TestAgent(robotsPath(u), f.agent) {
		return fmt.Errorf("%w: disallowed for %q", ErrRobotsBlocked, f.agent)
	}
	return nil
}

// robotsPath is the path and query robots.txt rules are matched against.
func robotsPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// robotsFor returns the robots.txt entry of u's origin, loading it once
// per run; concurrent callers wait for the one load.
func (f *fetcher) robotsFor(ctx context.Context, u *url.URL, allow map[string]bool) (*robotsEntry, error) {
	o := origin(u)
	for {
		f.mu.Lock()
		e, ok := f.robots[o]
		if !ok {
			e = &robotsEntry{done: make(chan struct{})}
			f.robots[o] = e
			f.mu.Unlock()
			f.loadRobots(ctx, e, u, allow)
			if e.retry {
				f.mu.Lock()
				delete(f.robots, o)
				f.mu.Unlock()
			}
			close(e.done)
			if e.retry {
				return nil, ctx.Err()
			}
			return e, nil
		}
		f.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if !e.retry {
			return e, nil
		}
	}
}

// loadRobots fetches and interprets robots.txt per RFC 9309: 2xx is
// parsed; 4xx (but 429) means no rules; 5xx, 429, a timeout or a network
// error means the host is disallowed for the run; more than 5 redirects
// means no rules; a redirect off the source's hosts is treated as
// unreachable. At most 512 KiB is read. The host's spacing is raised to
// the Crawl-delay of our group, and a Crawl-delay over the cap ends the
// host for the run.
func (f *fetcher) loadRobots(ctx context.Context, e *robotsEntry, u *url.URL, allow map[string]bool) {
	target := &url.URL{Scheme: strings.ToLower(u.Scheme), Host: u.Host, Path: "/robots.txt"}
	originHost, _ := hostKey(u)
	log := f.log.With("host", originHost)
	for hop := 0; ; hop++ {
		key, err := hostKey(target)
		if err == nil && hop > 0 && !allow[key] {
			err = fmt.Errorf("%w: redirect to %s", ErrForbiddenURL, target)
		}
		if err != nil {
			e.reason, e.cause = "is unreachable", err
			log.Warn("robots.txt unreachable; host disallowed for this run", "err", err)
			return
		}
		h := f.host(key)
		if err := h.acquire(ctx); err != nil {
			if ctx.Err() != nil {
				e.retry = true
				return
			}
			e.reason, e.cause = "is unreachable", err
			return
		}
		// Asked with the host's lease held, so that of several processes
		// reaching the host at once only the first fetches.
		if hop == 0 && f.sharedRobots(ctx, e, h, origin(u), log) {
			return
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
		req.Header.Set("User-Agent", f.opt.UserAgent)
		req.Header.Set("Accept", "text/plain, */*;q=0.5")
		resp, at, _, err := f.attempt(req, maxRobotsBody, true)
		if err != nil {
			h.release(at, 0, f.opt.Jitter)
			if ctx.Err() != nil {
				e.retry = true
				return
			}
			e.reason, e.cause = "is unreachable", err
			log.Warn("robots.txt unreachable; host disallowed for this run", "err", err)
			return
		}
		body, _ := readAllBytes(resp)
		status := resp.StatusCode
		switch {
		case status >= 200 && status < 300:
			if hop == 0 {
				f.putRobots(ctx, origin(u), status, body, log)
			}
			e.data = parseRobots(body, log)
			e.reason = fmt.Sprintf("answered %d", status)
			f.applyCrawlDelay(e, h, log)
			h.release(at, 0, f.opt.Jitter)
			log.Debug("robots.txt loaded", "status", status, "bytes", len(body))
			return
		case status >= 300 && status < 400 && resp.Header.Get("Location") != "":
			h.release(at, 0, f.opt.Jitter)
			if hop >= maxRedirects {
				e.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
				e.reason = fmt.Sprintf("redirected more than %d times (no rules)", maxRedirects)
				log.Warn("robots.txt redirected too often; treated as absent", "redirects", hop+1)
				return
			}
			next, err := target.Parse(resp.Header.Get("Location"))
			if err != nil {
				e.reason, e.cause = "is unreachable", fmt.Errorf("bad redirect: %w", err)
				log.Warn("robots.txt unreachable; host disallowed for this run", "err", err)
				return
			}
			target = next
			continue
		case status == http.StatusTooManyRequests || status >= 500:
			h.release(at, 0, f.opt.Jitter)
			e.reason = fmt.Sprintf("answered %d", status)
			log.Warn("robots.txt unreachable; host disallowed for this run", "status", status)
			return
		case status >= 400:
			if hop == 0 {
				f.putRobots(ctx, origin(u), status, nil, log)
			}
			h.release(at, 0, f.opt.Jitter)
			e.data, _ = robotstxt.FromStatusAndBytes(status, nil)
			e.reason = fmt.Sprintf("answered %d (no rules)", status)
			log.Debug("robots.txt absent", "status", status)
			return
		default:
			h.release(at, 0, f.opt.Jitter)
			e.reason = fmt.Sprintf("answered unexpected status %d", status)
			log.Warn("robots.txt unreachable; host disallowed for this run", "status", status)
			return
		}
	}
}

// sharedRobots reads the answer another process kept for origin
// (Options.RobotsCache) into e; h is the origin host's state, its lease
// held, and is freed when there is an answer. It reports whether there
// was one. A cache that cannot be read is logged and fetched around.
func (f *fetcher) sharedRobots(ctx context.Context, e *robotsEntry, h *hostState, origin string, log *slog.Logger) bool {
	if f.opt.RobotsCache == nil {
		return false
	}
	status, body, ok, err := f.opt.RobotsCache.GetRobots(ctx, origin)
	if err != nil {
		log.Warn("shared robots.txt not read; fetching it", "err", err)
		return false
	}
	if !ok {
		return false
	}
	if status >= 200 && status < 300 {
		e.data = parseRobots(body, log)
		f.applyCrawlDelay(e, h, log)
	} else {
		e.data, _ = robotstxt.FromStatusAndBytes(status, nil)
	}
	e.reason = fmt.Sprintf("answered %d (to another worker of the crawl)", status)
	h.unused()
	log.Debug("robots.txt read from the crawl's shared answers", "status", status, "bytes", len(body))
	return true
}

// putRobots keeps a settled answer for the other processes of the crawl.
func (f *fetcher) putRobots(ctx context.Context, origin string, status int, body []byte, log *slog.Logger) {
	if f.opt.RobotsCache == nil {
		return
	}
	if err := f.opt.RobotsCache.PutRobots(ctx, origin, status, body); err != nil {
		log.Warn("robots.txt not shared with the other workers", "err", err)
	}
}

// applyCrawlDelay raises the host's spacing to our group's Crawl-delay, or
// ends the host for the run when the Crawl-delay is over the cap.
func (f *fetcher) applyCrawlDelay(e *robotsEntry, h *hostState, log *slog.Logger) {
	cd := e.data.FindGroup(f.agent).CrawlDelay
	if cd <= 0 {
		return
	}
	if cd > f.opt.CrawlDelayCap {
		h.end(fmt.Errorf("%w: robots.txt Crawl-delay %v of %s is over the cap %v", ErrHostSkipped, cd, h.key, f.opt.CrawlDelayCap))
		log.Warn("host skipped for this run: Crawl-delay over the cap", "crawl_delay", cd.String(), "cap", f.opt.CrawlDelayCap.String())
		return
	}
	h.setSpacing(cd)
}

func readAllBytes(resp *http.Response) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(resp.Body)
	resp.Body.Close()
	return buf.Bytes(), err
}

// parseRobots parses a 2xx robots.txt body leniently, as RFC 9309 asks:
// lines the parser would reject (rules before any User-agent, a malformed
// Crawl-delay) are dropped and the rest is used. A body cut at the size
// limit loses its last partial line. A file that still cannot be parsed
// has no valid rules, which allows everything.
func parseRobots(body []byte, log *slog.Logger) *robotstxt.RobotsData {
	if len(body) >= maxRobotsBody {
		if i := bytes.LastIndexAny(body, "\r\n"); i >= 0 {
			body = body[:i+1]
		}
	}
	clean, dropped := sanitizeRobots(body)
	if dropped > 0 {
		log.Warn("robots.txt has invalid lines; ignored", "lines", dropped)
	}
	data, err := robotstxt.FromBytes(clean)
	if err != nil {
		var pe *robotstxt.ParseError
		if !errors.As(err, &pe) {
			log.Warn("robots.txt unparseable; treated as no rules", "err", err)
		} else {
			log.Warn("robots.txt unparseable; treated as no rules", "errors", len(pe.Errs))
		}
		data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	return data
}

// sanitizeRobots rewrites a robots.txt into lines of exactly "key:
// value" — the form temoto/robotstxt, which pairs whitespace-separated
// tokens across a line, reads unambiguously — and drops the lines it would
// fail the whole file for: rules before any User-agent, a malformed
// Crawl-delay, a line without a value. It returns the rewritten file and
// how many lines it dropped.
func sanitizeRobots(body []byte) ([]byte, int) {
	var out bytes.Buffer
	out.Grow(len(body))
	seenAgent := false
	dropped := 0
	for _, line := range bytes.FieldsFunc(body, func(r rune) bool { return r == '\n' || r == '\r' }) {
		text := string(line)
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		key, rest := text, ""
		if i := strings.IndexAny(text, ": \t\v"); i >= 0 {
			key, rest = text[:i], text[i:]
		}
		value := ""
		if f := strings.Fields(strings.TrimLeft(rest, ": \t\v")); len(f) > 0 {
			value = f[0]
		}
		if strings.ContainsAny(key, "\f\u0085\u00a0") || key == "" || value == "" {
			dropped++
			continue
		}
		switch strings.ToLower(key) {
		case "user-agent", "useragent":
			seenAgent = true
		case "allow", "disallow":
			if !seenAgent {
				dropped++
				continue
			}
		case "crawl-delay", "crawldelay":
			v, err := strconv.ParseFloat(value, 64)
			if !seenAgent || err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || v > float64(math.MaxInt64/int64(time.Second)) {
				dropped++
				continue
			}
		}
		out.WriteString(key)
		out.WriteString(": ")
		out.WriteString(value)
		out.WriteByte('\n')
	}
	return out.Bytes(), dropped
}
