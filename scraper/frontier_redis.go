package scraper

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2/queue"
	"github.com/gocolly/colly/v2/storage"
	"github.com/redis/go-redis/v9"
)

// Defaults of RedisOptions.
const (
	DefaultRedisPrefix       = "jobtrends:"
	DefaultVisibilityTimeout = 2 * time.Minute
	DefaultLeaseTTL          = 2 * time.Minute
)

// RedisOptions configures a RedisFrontier. A zero field means its default.
type RedisOptions struct {
	// Prefix starts every key the frontier uses (default "jobtrends:").
	// Tests give each its own.
	Prefix string
	// VisibilityTimeout is how long a taken entry stays with its taker
	// without being acknowledged or touched before it is handed to
	// another (default 2 min). Crawler.Work touches the entry it works on
	// every third of it, so only a dead or cut-off worker loses its
	// entries.
	VisibilityTimeout time.Duration
	// LeaseTTL is how long a host's lease (its one request in flight)
	// lives when its holder never releases it (default 2 min); it must be
	// longer than one attempt (Options.Timeout).
	LeaseTTL time.Duration
	// Logger receives the frontier's warnings; nil discards them.
	Logger *slog.Logger
}

// RedisFrontier is a Frontier shared by every process that opens the same
// Redis database with the same prefix: one queue, one seen set and one
// page budget per source, and the in-flight entries with their deadlines.
// Every operation that reads and writes is one Lua script, so two workers
// never take the same entry and never both admit a URL.
//
// A crawl is one generation of keys, started by Seed; Take reads the
// generation Seed made current when the frontier was opened.
//
// It is also a HostGate (per-host politeness shared by all processes),
// and Colly's storage.Storage (visited request ids, cookies) and
// queue.Storage (a request queue), so a plain Colly collector or queue can
// share its state through the same Redis.
//
// Keys, under the prefix P: P+"crawl" (current generation number),
// P+"gen" (counter), P+"c<gen>:q:<host:port>" (list of entries, one per
// host), P+"c<gen>:hosts" and P+"c<gen>:hostset" (the hosts with entries
// queued, as a ring and a set), P+"c<gen>:queued" (count of entries
// queued), P+"c<gen>:inflight" (sorted set of entries by deadline), P+"c<gen>:seen:<source>",
// P+"c<gen>:items:<source>" (sets), P+"c<gen>:admitted:<source>" (counter);
// P+"host:<host:port>:lease" and P+"host:<host:port>:next" (politeness,
// across generations); P+"colly:visited", P+"colly:cookies",
// P+"colly:queue" (Colly's storage).
type RedisFrontier struct {
	rdb    *redis.Client
	prefix string
	vt     time.Duration
	lease  time.Duration
	log    *slog.Logger

	mu     sync.Mutex
	gen    string            // generation of the crawl Take works on
	tokens map[string]string // host → token of the lease this process holds
}

var (
	_ Frontier        = (*RedisFrontier)(nil)
	_ HostGate        = (*RedisFrontier)(nil)
	_ storage.Storage = (*RedisFrontier)(nil)
	_ queue.Storage   = (*RedisFrontier)(nil)
)

// OpenRedisFrontier connects to the Redis database of a redis:// or
// rediss:// URL (redis://[user:password@]host:port/db) and checks that it
// answers.
func OpenRedisFrontier(ctx context.Context, rawURL string, o RedisOptions) (*RedisFrontier, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return nil, fmt.Errorf("frontier %s: not a redis:// or rediss:// URL", redactURL(rawURL))
	}
	ro, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("frontier %s: %w", redactURL(rawURL), err)
	}
	rdb := redis.NewClient(ro)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("frontier %s: %w", redactURL(rawURL), err)
	}
	f := &RedisFrontier{rdb: rdb, prefix: o.Prefix, vt: o.VisibilityTimeout, lease: o.LeaseTTL, log: o.Logger, tokens: map[string]string{}}
	if f.prefix == "" {
		f.prefix = DefaultRedisPrefix
	}
	if f.vt <= 0 {
		f.vt = DefaultVisibilityTimeout
	}
	if f.lease <= 0 {
		f.lease = DefaultLeaseTTL
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	gen, err := rdb.Get(ctx, f.prefix+"crawl").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		rdb.Close()
		return nil, fmt.Errorf("frontier %s: %w", redactURL(rawURL), err)
	}
	f.gen = gen
	return f, nil
}

// redactURL drops the password of a URL for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Close closes the connection.
func (f *RedisFrontier) Close() error { return f.rdb.Close() }

// Crawl returns the generation of the crawl the frontier works on; "" when
// none was ever seeded.
func (f *RedisFrontier) Crawl() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gen
}

func (f *RedisFrontier) key(parts ...string) string {
	f.mu.Lock()
	gen := f.gen
	f.mu.Unlock()
	return f.prefix + "c" + gen + ":" + strings.Join(parts, ":")
}

// errNotSeeded is returned by the operations of a frontier that has no
// crawl.
func (f *RedisFrontier) checkSeeded() error {
	if f.Crawl() == "" {
		return fmt.Errorf("frontier (prefix %q) has no crawl: seed one first (jobtrends scrape --seed)", f.prefix)
	}
	return nil
}

// ErrCrawlRunning is returned by NewCrawl while the current crawl still
// has pages queued or in flight.
var ErrCrawlRunning = errors.New("frontier: the current crawl is still running")

// newCrawlScript makes generation ARGV[1] current if the generation that
// is current has nothing queued or in flight and is still ARGV[2].
var newCrawlScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1]) or ''
if cur ~= ARGV[2] then return -1 end
if cur ~= '' then
  local q = tonumber(redis.call('GET', ARGV[3] .. 'c' .. cur .. ':queued') or '0')
  local f = redis.call('ZCARD', ARGV[3] .. 'c' .. cur .. ':inflight')
  if q + f > 0 then return q + f end
end
redis.call('SET', KEYS[1], ARGV[1])
return 0
`)

// NewCrawl starts a new crawl: a new generation of queue, in-flight and
// seen keys becomes current, empty, for this frontier and every process
// that opens the frontier afterwards. It fails with ErrCrawlRunning while
// the current crawl has pages queued or in flight. The keys of the
// previous crawl are deleted.
func (f *RedisFrontier) NewCrawl(ctx context.Context) error {
	old, err := f.rdb.Get(ctx, f.prefix+"crawl").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("frontier: new crawl: %w", err)
	}
	n, err := f.rdb.Incr(ctx, f.prefix+"gen").Result()
	if err != nil {
		return fmt.Errorf("frontier: new crawl: %w", err)
	}
	gen := strconv.FormatInt(n, 10)
	r, err := newCrawlScript.Run(ctx, f.rdb, []string{f.prefix + "crawl"}, gen, old, f.prefix).Int()
	switch {
	case err != nil:
		return fmt.Errorf("frontier: new crawl: %w", err)
	case r < 0:
		return fmt.Errorf("%w: another process started a crawl at the same time", ErrCrawlRunning)
	case r > 0:
		return fmt.Errorf("%w: crawl %s has %d pages queued or in flight", ErrCrawlRunning, old, r)
	}
	f.mu.Lock()
	f.gen = gen
	f.mu.Unlock()
	if old != "" {
		f.deleteKeys(ctx, f.prefix+"c"+old+":*")
	}
	return nil
}

// deleteKeys deletes the keys matching pattern, best effort.
func (f *RedisFrontier) deleteKeys(ctx context.Context, pattern string) {
	iter := f.rdb.Scan(ctx, 0, pattern, 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		f.log.Warn("frontier: old keys not deleted", "pattern", pattern, "err", err)
		return
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := f.rdb.Unlink(ctx, keys[:n]...).Err(); err != nil {
			f.log.Warn("frontier: old keys not deleted", "pattern", pattern, "err", err)
			return
		}
		keys = keys[n:]
	}
}

// DeleteAll deletes every key under the frontier's prefix (tests, and an
// operator's reset).
func (f *RedisFrontier) DeleteAll(ctx context.Context) {
	f.deleteKeys(ctx, f.prefix+"*")
}

// addScript: KEYS seen, admitted, queued, hosts ring, hosts set; ARGV
// max, front, prefix of the host queues, then key, host and entry
// triples. Each host has a queue of its own, so that Take can hand out a
// page of a host that is free rather than the next page of a busy one.
var addScript = redis.NewScript(`
local max = tonumber(ARGV[1])
local adm = tonumber(redis.call('GET', KEYS[2]) or '0')
local added, over = {}, 0
for i = 4, #ARGV, 3 do
  if redis.call('SADD', KEYS[1], ARGV[i]) == 1 then
    if adm >= max then
      over = over + 1
    else
      adm = adm + 1
      added[#added + 1] = {ARGV[i + 1], ARGV[i + 2]}
    end
  end
end
redis.call('SET', KEYS[2], adm)
local function push(h, e, front)
  if front then redis.call('LPUSH', ARGV[3] .. h, e) else redis.call('RPUSH', ARGV[3] .. h, e) end
  if redis.call('SADD', KEYS[5], h) == 1 then redis.call('RPUSH', KEYS[4], h) end
end
if ARGV[2] == '1' then
  for i = #added, 1, -1 do push(added[i][1], added[i][2], true) end
else
  for i = 1, #added do push(added[i][1], added[i][2], false) end
end
redis.call('INCRBY', KEYS[3], #added)
return {#added, over}
`)

// Add implements Frontier.
func (f *RedisFrontier) Add(ctx context.Context, source string, max int, front bool, es []Entry) (added, over int, err error) {
	if err := f.checkSeeded(); err != nil {
		return 0, 0, err
	}
	if len(es) == 0 {
		return 0, 0, nil
	}
	fr := "0"
	if front {
		fr = "1"
	}
	args := make([]any, 0, 3+3*len(es))
	args = append(args, max, fr, f.key("q", ""))
	for _, e := range es {
		e.Source = source
		b, err := json.Marshal(e)
		if err != nil {
			return 0, 0, fmt.Errorf("frontier: add %s: %w", e.URL, err)
		}
		args = append(args, e.key(), entryHost(e.URL), string(b))
	}
	keys := []string{f.key("seen", source), f.key("admitted", source), f.key("queued"), f.key("hosts"), f.key("hostset")}
	r, err := addScript.Run(ctx, f.rdb, keys, args...).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("frontier: add %d URLs of %s: %w", len(es), source, err)
	}
	return int(r[0]), int(r[1]), nil
}

// entryHost is the host:port whose queue holds a URL ("" for one that has
// none, which the crawl never adds).
func entryHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	h, err := hostKey(u)
	if err != nil {
		return ""
	}
	return h
}

// Seen implements Frontier.
func (f *RedisFrontier) Seen(ctx context.Context, source string, keys []string) ([]bool, error) {
	if err := f.checkSeeded(); err != nil {
		return nil, err
	}
	m := make([]any, len(keys))
	for i, k := range keys {
		m[i] = k
	}
	r, err := f.rdb.SMIsMember(ctx, f.key("seen", source), m...).Result()
	if err != nil {
		return nil, fmt.Errorf("frontier: seen %d URLs of %s: %w", len(keys), source, err)
	}
	return r, nil
}

// See implements Frontier.
func (f *RedisFrontier) See(ctx context.Context, source, key string) error {
	if err := f.checkSeeded(); err != nil {
		return err
	}
	if err := f.rdb.SAdd(ctx, f.key("seen", source), key).Err(); err != nil {
		return fmt.Errorf("frontier: see %s: %w", key, err)
	}
	return nil
}

// NewItems implements Frontier.
func (f *RedisFrontier) NewItems(ctx context.Context, source string, ids []string) (int, error) {
	if err := f.checkSeeded(); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	m := make([]any, len(ids))
	for i, id := range ids {
		m[i] = id
	}
	n, err := f.rdb.SAdd(ctx, f.key("items", source), m...).Result()
	if err != nil {
		return 0, fmt.Errorf("frontier: items of %s: %w", source, err)
	}
	return int(n), nil
}

// redisNowMS is the Lua of the Redis server's clock in milliseconds (every
// deadline is on that one clock, whichever machine a worker runs on).
const redisNowMS = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

// takeScript: KEYS inflight, queued, hosts ring, hosts set; ARGV
// visibility timeout (ms), prefix of the host queues, prefix of the host
// politeness keys. An expired in-flight entry is handed out first. Else
// the hosts with queued entries are tried in turn (the ring rotates, so
// the workers spread over the hosts): the first host that no worker holds
// (no lease) and whose next allowed start has come gives its head; when
// every host is busy, the first host with an entry gives it (its taker
// then waits at the host's gate). The entry gets a deadline. Returns
// {entry, redelivered} or {false, in-flight count}.
var takeScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nowus = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function hand(e, again)
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), e)
  return {e, again}
end
local e = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)[1]
if e then return hand(e, 1) end
local fallback = nil
local n = redis.call('LLEN', KEYS[3])
for i = 1, n do
  local h = redis.call('LMOVE', KEYS[3], KEYS[3], 'LEFT', 'RIGHT')
  if redis.call('LLEN', ARGV[2] .. h) == 0 then
    redis.call('LREM', KEYS[3], -1, h)
    redis.call('SREM', KEYS[4], h)
  else
    local busy = redis.call('PTTL', ARGV[3] .. h .. ':lease') > 0 or
      tonumber(redis.call('GET', ARGV[3] .. h .. ':next') or '0') > nowus
    if not busy then
      redis.call('DECR', KEYS[2])
      return hand(redis.call('LPOP', ARGV[2] .. h), 0)
    end
    if not fallback then fallback = h end
  end
end
if fallback then
  redis.call('DECR', KEYS[2])
  return hand(redis.call('LPOP', ARGV[2] .. fallback), 0)
end
return {false, redis.call('ZCARD', KEYS[1])}
`)

// Take implements Frontier. An entry whose taker did not acknowledge it
// within the visibility timeout is handed out again before the queue.
func (f *RedisFrontier) Take(ctx context.Context) (Entry, error) {
	if err := f.checkSeeded(); err != nil {
		return Entry{}, err
	}
	keys := []string{f.key("inflight"), f.key("queued"), f.key("hosts"), f.key("hostset")}
	r, err := takeScript.Run(ctx, f.rdb, keys, f.vt.Milliseconds(), f.key("q", ""), f.prefix+"host:").Slice()
	if err != nil {
		return Entry{}, fmt.Errorf("frontier: take: %w", err)
	}
	raw, ok := r[0].(string)
	if !ok {
		if n, _ := r[1].(int64); n > 0 {
			return Entry{}, ErrFrontierBusy
		}
		return Entry{}, ErrFrontierDone
	}
	var e Entry
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		return Entry{}, fmt.Errorf("frontier: take: entry %q: %w", raw, err)
	}
	e.raw = raw
	if again, _ := r[1].(int64); again == 1 {
		f.log.Info("frontier: page handed out again after its visibility timeout", "source", e.Source, "url", e.URL)
	}
	return e, nil
}

// touchScript: KEYS inflight; ARGV entry, visibility timeout (ms).
var touchScript = redis.NewScript(redisNowMS + `
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
`)

// Touch extends the deadline of a taken entry by the visibility timeout
// from now, so that a slow page is not handed to another worker. It
// reports whether the entry was still in flight.
func (f *RedisFrontier) Touch(ctx context.Context, e Entry) (bool, error) {
	n, err := touchScript.Run(ctx, f.rdb, []string{f.key("inflight")}, e.raw, f.vt.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("frontier: touch %s: %w", e.URL, err)
	}
	return n == 1, nil
}

// Ack implements Frontier.
func (f *RedisFrontier) Ack(ctx context.Context, e Entry) error {
	if e.raw == "" {
		return fmt.Errorf("frontier: ack %s: not an entry taken from this frontier", e.URL)
	}
	if err := f.rdb.ZRem(ctx, f.key("inflight"), e.raw).Err(); err != nil {
		return fmt.Errorf("frontier: ack %s: %w", e.URL, err)
	}
	return nil
}

// Len implements Frontier.
func (f *RedisFrontier) Len(ctx context.Context) (int, error) {
	n, err := f.rdb.Get(ctx, f.key("queued")).Int()
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("frontier: queue length: %w", err)
	}
	return int(n), nil
}

// InFlight returns how many entries are taken and not acknowledged.
func (f *RedisFrontier) InFlight(ctx context.Context) (int, error) {
	n, err := f.rdb.ZCard(ctx, f.key("inflight")).Result()
	if err != nil {
		return 0, fmt.Errorf("frontier: in flight: %w", err)
	}
	return int(n), nil
}

// HostGate shares the per-host politeness of a Crawler with other
// processes (Options.HostGate): Acquire is called once the process's own
// scheduler for the host let a request go, and returns when no other
// process has a request to the host in flight and the host's next allowed
// start has come; Release is called when the answer came, with the
// spacing until the next start (jitter included) and any longer pause
// (back-off, Retry-After).
//
// Failed counts the host's failed attempts in a row across every process
// (failed false: an attempt succeeded, the count starts again) and
// returns the count. End ends the host for the rest of the crawl in every
// process (too many failures, a Retry-After or Crawl-delay over the cap):
// Acquire then returns an error wrapping ErrHostSkipped with reason.
type HostGate interface {
	Acquire(ctx context.Context, host string) error
	Release(host string, spacing, pause time.Duration)
	Failed(host string, failed bool) int
	End(host string, reason error)
}

// acquireScript: KEYS lease, next, ended; ARGV token, lease TTL (ms).
// Returns 0 when the lease was taken, else how many µs to wait at most
// (negative: the lease is held by another), or the reason the host was
// ended for the crawl (a string).
var acquireScript = redis.NewScript(`
local why = redis.call('GET', KEYS[3])
if why then return why end
local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then return -ttl * 1000 end
local nx = tonumber(redis.call('GET', KEYS[2]) or '0')
if nx > now then return nx - now end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 0
`)

// releaseScript: KEYS lease, next; ARGV token, spacing (µs), pause (µs).
// The next start is no earlier than now (the answer) plus the spacing,
// nor than now plus the pause; it never moves earlier.
var releaseScript = redis.NewScript(`
local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local nx = now + math.max(tonumber(ARGV[2]), tonumber(ARGV[3]))
local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
if nx > cur then
  redis.call('SET', KEYS[2], string.format('%d', nx), 'PX', math.floor((nx - now) / 1000) + 1000)
end
return 1
`)

// leaseWaitMax is the longest sleep between two tries of a lease another
// process holds (it may be released early).
const leaseWaitMax = 20 * time.Millisecond

// Acquire implements HostGate: it takes the host's lease, one holder at a
// time across every process, once the host's next allowed start has come.
func (f *RedisFrontier) Acquire(ctx context.Context, host string) error {
	tok := make([]byte, 12)
	rand.Read(tok)
	token := hex.EncodeToString(tok)
	keys := []string{f.prefix + "host:" + host + ":lease", f.prefix + "host:" + host + ":next", f.key("ended", host)}
	for {
		res, err := acquireScript.Run(ctx, f.rdb, keys, token, f.lease.Milliseconds()).Result()
		if err != nil {
			return fmt.Errorf("frontier: lease of %s: %w", host, err)
		}
		wait, ok := res.(int64)
		if !ok {
			return fmt.Errorf("%w: %v (another worker of the crawl ended it)", ErrHostSkipped, res)
		}
		if wait == 0 {
			f.mu.Lock()
			f.tokens[host] = token
			f.mu.Unlock()
			return nil
		}
		d := time.Duration(wait) * time.Microsecond
		if wait < 0 {
			d = min(-d, leaseWaitMax)
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// Release implements HostGate.
func (f *RedisFrontier) Release(host string, spacing, pause time.Duration) {
	f.mu.Lock()
	token := f.tokens[host]
	delete(f.tokens, host)
	f.mu.Unlock()
	keys := []string{f.prefix + "host:" + host + ":lease", f.prefix + "host:" + host + ":next"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := releaseScript.Run(ctx, f.rdb, keys, token, spacing.Microseconds(), pause.Microseconds()).Err()
	if err != nil {
		f.log.Warn("frontier: host lease not released; it expires by itself", "host", host, "ttl", f.lease.String(), "err", err)
	}
}

// Failed implements HostGate. When Redis cannot be reached the count is
// 0: the process's own count still ends the host.
func (f *RedisFrontier) Failed(host string, failed bool) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	k := f.key("failures", host)
	if !failed {
		if err := f.rdb.Del(ctx, k).Err(); err != nil {
			f.log.Warn("frontier: host failures not reset", "host", host, "err", err)
		}
		return 0
	}
	var n *redis.IntCmd
	_, err := f.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Incr(ctx, k)
		p.Expire(ctx, k, robotsTTL)
		return nil
	})
	if err != nil {
		f.log.Warn("frontier: host failure not counted", "host", host, "err", err)
		return 0
	}
	return int(n.Val())
}

// End implements HostGate: it ends host for the rest of the crawl, in
// every worker. The first reason sticks.
func (f *RedisFrontier) End(host string, reason error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.rdb.SetNX(ctx, f.key("ended", host), strings.TrimPrefix(reason.Error(), ErrHostSkipped.Error()+": "), robotsTTL).Err(); err != nil {
		f.log.Warn("frontier: host not ended for the other workers", "host", host, "err", err)
	}
}

// robotsTTL is how long a crawl keeps a robots.txt answer: RFC 9309 asks
// crawlers not to use a cached robots.txt for more than 24 hours.
const robotsTTL = 24 * time.Hour

// GetRobots implements RobotsCache: the robots.txt answer a worker of this
// crawl kept for origin.
func (f *RedisFrontier) GetRobots(ctx context.Context, origin string) (int, []byte, bool, error) {
	if err := f.checkSeeded(); err != nil {
		return 0, nil, false, err
	}
	v, err := f.rdb.HMGet(ctx, f.key("robots", origin), "status", "body").Result()
	if err != nil {
		return 0, nil, false, fmt.Errorf("frontier: robots.txt of %s: %w", origin, err)
	}
	st, ok := v[0].(string)
	if !ok {
		return 0, nil, false, nil
	}
	status, err := strconv.Atoi(st)
	if err != nil {
		return 0, nil, false, fmt.Errorf("frontier: robots.txt of %s: status %q", origin, st)
	}
	body, _ := v[1].(string)
	return status, []byte(body), true, nil
}

// PutRobots implements RobotsCache.
func (f *RedisFrontier) PutRobots(ctx context.Context, origin string, status int, body []byte) error {
	if err := f.checkSeeded(); err != nil {
		return err
	}
	k := f.key("robots", origin)
	_, err := f.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, k, "status", status, "body", body)
		p.Expire(ctx, k, robotsTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("frontier: robots.txt of %s: %w", origin, err)
	}
	return nil
}

// Init implements storage.Storage and queue.Storage: it checks the
// connection.
func (f *RedisFrontier) Init() error {
	return f.rdb.Ping(context.Background()).Err()
}

// Visited implements storage.Storage.
func (f *RedisFrontier) Visited(requestID uint64) error {
	return f.rdb.SAdd(context.Background(), f.prefix+"colly:visited", strconv.FormatUint(requestID, 10)).Err()
}

// IsVisited implements storage.Storage.
func (f *RedisFrontier) IsVisited(requestID uint64) (bool, error) {
	return f.rdb.SIsMember(context.Background(), f.prefix+"colly:visited", strconv.FormatUint(requestID, 10)).Result()
}

// Cookies implements storage.Storage. (Crawler itself sends no cookies.)
func (f *RedisFrontier) Cookies(u *url.URL) string {
	s, err := f.rdb.HGet(context.Background(), f.prefix+"colly:cookies", u.Host).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		f.log.Warn("frontier: cookies not read", "host", u.Host, "err", err)
	}
	return s
}

// SetCookies implements storage.Storage.
func (f *RedisFrontier) SetCookies(u *url.URL, cookies string) {
	if err := f.rdb.HSet(context.Background(), f.prefix+"colly:cookies", u.Host, cookies).Err(); err != nil {
		f.log.Warn("frontier: cookies not stored", "host", u.Host, "err", err)
	}
}

// AddRequest implements queue.Storage.
func (f *RedisFrontier) AddRequest(r []byte) error {
	return f.rdb.RPush(context.Background(), f.prefix+"colly:queue", r).Err()
}

// GetRequest implements queue.Storage: it pops the oldest request, or
// fails when the queue is empty.
func (f *RedisFrontier) GetRequest() ([]byte, error) {
	b, err := f.rdb.LPop(context.Background(), f.prefix+"colly:queue").Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, errors.New("frontier: colly queue is empty")
	}
	return b, err
}

// QueueSize implements queue.Storage.
func (f *RedisFrontier) QueueSize() (int, error) {
	n, err := f.rdb.LLen(context.Background(), f.prefix+"colly:queue").Result()
	return int(n), err
}
