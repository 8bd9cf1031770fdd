package scraper

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryableStatus reports whether a response status is worth another
// attempt: 408, 429 and every 5xx.
func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests ||
		(code >= 500 && code <= 599)
}

// retryableErr reports whether a failed attempt is worth another one:
// network errors and timeouts are; our own refusals, TLS certificate
// failures and the caller's cancellation are not.
func retryableErr(err error) bool {
	if err == nil {
		return false
	}
	for _, permanent := range []error{
		ErrForbiddenAddress, ErrForbiddenURL, ErrBodyTooLarge, ErrUndecodable,
		ErrRobotsBlocked, ErrHostSkipped, ErrTooManyRedirects, context.Canceled,
	} {
		if errors.Is(err, permanent) {
			return false
		}
	}
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	if errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr) {
		return false
	}
	return true
}

// parseRetryAfter returns the wait a Retry-After value asks for: delta
// seconds or an HTTP date. ok is false for a missing or malformed value
// (negative numbers, garbage), which the caller replaces by back-off.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(365*24*time.Hour/time.Second) {
			n = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d = t.Sub(now); d < 0 {
		d = 0
	}
	return d, true
}

// backoff returns the full-jitter wait before retry number n (0 for the
// first retry): uniform in [0, min(max, base·2ⁿ)).
func backoff(base, max time.Duration, n int) time.Duration {
	d := max
	if n < 32 {
		if b := base << n; b > 0 && b < max {
			d = b
		}
	}
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}
