package scraper

import "errors"

// Errors a page or a request can fail with. They are wrapped with the URL
// and the cause; test for them with errors.Is.
var (
	// ErrRobotsBlocked: robots.txt disallows the URL for our agent, or the
	// host's robots.txt was unreachable (5xx, 429, timeout, network error),
	// which disallows the whole host for the run.
	ErrRobotsBlocked = errors.New("blocked by robots.txt")
	// ErrHostSkipped: the host takes no more requests in this run (its
	// Crawl-delay is over the cap, a Retry-After deferred it to the next
	// run, or it failed too many times in a row).
	ErrHostSkipped = errors.New("host skipped for this run")
	// ErrBodyTooLarge: the body, after decompression, is over the size
	// limit. The page fails; it is never truncated.
	ErrBodyTooLarge = errors.New("body over the size limit")
	// ErrForbiddenURL: the URL's scheme is not http(s) or its host:port is
	// not one of the source's hosts.
	ErrForbiddenURL = errors.New("url not allowed")
	// ErrForbiddenAddress: the host resolved to a loopback, private,
	// link-local, metadata or otherwise non-public address.
	ErrForbiddenAddress = errors.New("address not allowed")
	// ErrTooManyRedirects: more than 5 redirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrUndecodable: the body could not be decoded to text, or its
	// encoding is not supported.
	ErrUndecodable = errors.New("undecodable body")
	// ErrBadStatus: the final response had a status that carries no page.
	ErrBadStatus = errors.New("bad status")
	// ErrNotHTML: the response is not an HTML page.
	ErrNotHTML = errors.New("not an html page")
	// ErrNotJSON: the response of a JSON API source is not JSON text.
	ErrNotJSON = errors.New("not a json response")
)
