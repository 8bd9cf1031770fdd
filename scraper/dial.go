package scraper

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Address classes refused at dial time. Checking the resolved address on
// every dial (net.Dialer.Control) also defeats DNS rebinding.
var (
	// alwaysRefused holds ranges no crawl may reach, AllowPrivate or not.
	alwaysRefused = prefixes(
		"0.0.0.0/8",          // "this network", unspecified
		"169.254.0.0/16",     // IPv4 link-local, incl. cloud metadata 169.254.169.254
		"192.0.0.0/24",       // IETF protocol assignments
		"192.0.2.0/24",       // documentation
		"198.18.0.0/15",      // benchmarking
		"198.51.100.0/24",    // documentation
		"203.0.113.0/24",     // documentation
		"224.0.0.0/4",        // multicast
		"240.0.0.0/4",        // reserved, incl. broadcast
		"::/128",             // unspecified
		"fe80::/10",          // IPv6 link-local
		"ff00::/8",           // IPv6 multicast
		"2001:db8::/32",      // documentation
		"fd00:ec2::254/128",  // AWS metadata (IPv6)
		"100.100.100.200/32", // Alibaba Cloud metadata
	)
	// privateRanges are refused unless Options.AllowPrivate.
	privateRanges = prefixes(
		"127.0.0.0/8",    // loopback
		"10.0.0.0/8",     // RFC 1918
		"172.16.0.0/12",  // RFC 1918
		"192.168.0.0/16", // RFC 1918
		"100.64.0.0/10",  // CGNAT
		"::1/128",        // loopback
		"fc00::/7",       // unique local
	)
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// checkAddr reports whether a resolved IP may be dialed.
func checkAddr(ip netip.Addr, allowPrivate bool) error {
	ip = ip.Unmap()
	for _, p := range alwaysRefused {
		if p.Contains(ip) {
			return fmt.Errorf("%w: %s is in %s", ErrForbiddenAddress, ip, p)
		}
	}
	if !allowPrivate {
		for _, p := range privateRanges {
			if p.Contains(ip) {
				return fmt.Errorf("%w: %s is in %s (crawl.allow_private is off)", ErrForbiddenAddress, ip, p)
			}
		}
	}
	return nil
}

// dialGuard returns a net.Dialer.Control function that refuses, before the
// connection is attempted, any address checkAddr rejects.
func dialGuard(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return fmt.Errorf("%w: %q: %v", ErrForbiddenAddress, address, err)
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("%w: %q is not an IP address", ErrForbiddenAddress, host)
		}
		return checkAddr(ip, allowPrivate)
	}
}

// newNetTransport is the real network transport: guarded dials, connect
// and header timeouts, no proxy (a proxy would hide the destination from
// the dial guard), and Go's own gzip negotiation left on (the fetch layer
// caps the decompressed bytes).
func newNetTransport(o Options) *http.Transport {
	d := &net.Dialer{
		Timeout:   o.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   dialGuard(o.AllowPrivate),
	}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		TLSHandshakeTimeout:    o.ConnectTimeout,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           16,
		MaxIdleConnsPerHost:    1,
		MaxConnsPerHost:        2,
		MaxResponseHeaderBytes: 1 << 20,
		ForceAttemptHTTP2:      true,
	}
}
