package scraper

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"
)

// redisEnv names the Redis the frontier tests use, e.g.
// redis://127.0.0.1:6379/0. Unset: they are skipped.
const redisEnv = "JOBTRENDS_TEST_REDIS"

// testPrefix returns a key prefix of the test's own.
func testPrefix(t testing.TB) string {
	b := make([]byte, 6)
	rand.Read(b)
	name := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name())
	return "jobtrends-test:" + name + ":" + hex.EncodeToString(b) + ":"
}

// openTestFrontier opens a frontier on the test Redis under prefix;
// several opened with one prefix are like several worker processes. The
// first one opened for a prefix deletes every key of the prefix at the
// end of the test.
func openTestFrontier(t testing.TB, prefix string, o RedisOptions) *RedisFrontier {
	t.Helper()
	addr := os.Getenv(redisEnv)
	if addr == "" {
		t.Skipf("%s is not set (e.g. %s=redis://127.0.0.1:6379/0): no Redis to test the frontier against", redisEnv, redisEnv)
	}
	o.Prefix = prefix
	f, err := OpenRedisFrontier(context.Background(), addr, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.DeleteAll(context.Background())
		f.Close()
	})
	return f
}

func entries(urls ...string) []Entry {
	es := make([]Entry, len(urls))
	for i, u := range urls {
		es[i] = Entry{URL: u, Role: int(roleJob)}
	}
	return es
}

// TestRedisFrontierQueue: Add admits each URL of a source once, within
// its budget, at the back or the front; Take hands entries out in order;
// Busy while one is in flight, Done once all are acknowledged.
func TestRedisFrontierQueue(t *testing.T) {
	ctx := context.Background()
	f := openTestFrontier(t, testPrefix(t), RedisOptions{})
	if _, err := f.Take(ctx); err == nil || !strings.Contains(err.Error(), "seed") {
		t.Fatalf("Take before any crawl: %v, want an error saying to seed", err)
	}
	if err := f.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	added, over, err := f.Add(ctx, "a", 4, false, entries("u1", "u2", "u1", "u3"))
	if err != nil || added != 3 || over != 0 {
		t.Fatalf("Add = %d, %d, %v; want 3 added", added, over, err)
	}
	// u2 seen: skipped; u4 admitted (4th page); u5, u6 over the budget.
	added, over, err = f.Add(ctx, "a", 4, true, entries("u2", "u4", "u5", "u6"))
	if err != nil || added != 1 || over != 2 {
		t.Fatalf("Add = %d, %d, %v; want 1 added, 2 over", added, over, err)
	}
	// Another source has a seen set and budget of its own.
	if added, _, _ := f.Add(ctx, "b", 10, false, entries("u1")); added != 1 {
		t.Fatalf("source b: %d added, want 1", added)
	}
	if err := f.See(ctx, "b", "u9"); err != nil {
		t.Fatal(err)
	}
	if added, _, _ := f.Add(ctx, "b", 10, false, entries("u9")); added != 0 {
		t.Fatalf("a URL seen by See was added again")
	}
	if n, _ := f.NewItems(ctx, "a", []string{"1", "2"}); n != 2 {
		t.Fatalf("NewItems = %d, want 2", n)
	}
	if n, _ := f.NewItems(ctx, "a", []string{"2", "3"}); n != 1 {
		t.Fatalf("NewItems = %d, want 1", n)
	}
	if n, _ := f.Len(ctx); n != 5 {
		t.Fatalf("Len = %d, want 5", n)
	}
	var got []string
	var taken []Entry
	for {
		e, err := f.Take(ctx)
		if errors.Is(err, ErrFrontierBusy) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.Source+":"+e.URL)
		taken = append(taken, e)
	}
	if want := "a:u4 a:u1 a:u2 a:u3 b:u1"; strings.Join(got, " ") != want {
		t.Fatalf("taken %v, want %s", got, want)
	}
	if taken[0].Role != int(roleJob) {
		t.Errorf("role %d, want %d", taken[0].Role, roleJob)
	}
	if n, _ := f.InFlight(ctx); n != 5 {
		t.Fatalf("InFlight = %d, want 5", n)
	}
	for _, e := range taken {
		if _, err := f.Take(ctx); !errors.Is(err, ErrFrontierBusy) {
			t.Fatalf("Take with pages in flight: %v, want ErrFrontierBusy", err)
		}
		if err := f.Ack(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Take(ctx); !errors.Is(err, ErrFrontierDone) {
		t.Fatalf("Take after every ack: %v, want ErrFrontierDone", err)
	}
}

// TestRedisFrontierVisibilityTimeout: an entry taken and never
// acknowledged goes to another taker after the visibility timeout, and
// before the queue; one that is touched stays with its taker.
func TestRedisFrontierVisibilityTimeout(t *testing.T) {
	ctx := context.Background()
	prefix := testPrefix(t)
	vt := 300 * time.Millisecond
	dead := openTestFrontier(t, prefix, RedisOptions{VisibilityTimeout: vt})
	if err := dead.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	alive := openTestFrontier(t, prefix, RedisOptions{VisibilityTimeout: vt})
	dead.Add(ctx, "s", 10, false, entries("lost", "slow", "next"))
	lost, err := dead.Take(ctx)
	if err != nil || lost.URL != "lost" {
		t.Fatalf("Take = %v, %v", lost, err)
	}
	slow, err := alive.Take(ctx)
	if err != nil || slow.URL != "slow" {
		t.Fatalf("Take = %v, %v", slow, err)
	}
	start := time.Now()
	for time.Since(start) < 2*vt {
		if ok, err := alive.Touch(ctx, slow); err != nil || !ok {
			t.Fatalf("Touch = %v, %v", ok, err)
		}
		time.Sleep(vt / 4)
	}
	// "lost" has expired, "slow" was touched: the expired one first.
	e, err := alive.Take(ctx)
	if err != nil || e.URL != "lost" {
		t.Fatalf("Take after the timeout = %+v, %v; want the expired entry", e, err)
	}
	if err := alive.Ack(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := alive.Ack(ctx, slow); err != nil {
		t.Fatal(err)
	}
	e, err = alive.Take(ctx)
	if err != nil || e.URL != "next" {
		t.Fatalf("Take = %+v, %v; want next", e, err)
	}
	// The dead taker's late ack of an entry another took is harmless.
	if err := dead.Ack(ctx, lost); err != nil {
		t.Fatal(err)
	}
	alive.Ack(ctx, e)
	if _, err := alive.Take(ctx); !errors.Is(err, ErrFrontierDone) {
		t.Fatalf("Take = %v, want done", err)
	}
}

// TestRedisFrontierConcurrentTake: goroutines on separate connections
// take and acknowledge 300 entries; each is taken exactly once.
func TestRedisFrontierConcurrentTake(t *testing.T) {
	ctx := context.Background()
	prefix := testPrefix(t)
	first := openTestFrontier(t, prefix, RedisOptions{})
	if err := first.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for i := range 300 {
		urls = append(urls, fmt.Sprintf("https://x.example/%d", i))
	}
	var (
		mu   sync.Mutex
		seen = map[string]int{}
		wg   sync.WaitGroup
	)
	for w := range 6 {
		f := first
		if w > 0 {
			f = openTestFrontier(t, prefix, RedisOptions{})
		}
		wg.Go(func() {
			// Each adds every URL too: the seen set admits each once.
			if _, _, err := f.Add(ctx, "s", 1000, false, entries(urls...)); err != nil {
				t.Error(err)
				return
			}
			for {
				e, err := f.Take(ctx)
				if errors.Is(err, ErrFrontierDone) {
					return
				}
				if errors.Is(err, ErrFrontierBusy) {
					time.Sleep(time.Millisecond)
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[e.URL]++
				mu.Unlock()
				if err := f.Ack(ctx, e); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != len(urls) {
		t.Errorf("%d URLs taken, want %d", len(seen), len(urls))
	}
	for u, n := range seen {
		if n != 1 {
			t.Errorf("%s taken %d times", u, n)
		}
	}
}

// TestRedisFrontierNewCrawl: a new crawl is refused while the current one
// has pages queued or in flight; once it is done, the new crawl starts
// with an empty seen set, and frontiers opened later work on it.
func TestRedisFrontierNewCrawl(t *testing.T) {
	ctx := context.Background()
	prefix := testPrefix(t)
	f := openTestFrontier(t, prefix, RedisOptions{})
	if err := f.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	first := f.Crawl()
	f.Add(ctx, "s", 10, false, entries("u1"))
	if err := f.NewCrawl(ctx); !errors.Is(err, ErrCrawlRunning) {
		t.Fatalf("NewCrawl while queued: %v, want ErrCrawlRunning", err)
	}
	e, _ := f.Take(ctx)
	if err := f.NewCrawl(ctx); !errors.Is(err, ErrCrawlRunning) {
		t.Fatalf("NewCrawl while in flight: %v, want ErrCrawlRunning", err)
	}
	f.Ack(ctx, e)
	if err := f.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	if f.Crawl() == first {
		t.Fatalf("crawl %s did not change", first)
	}
	late := openTestFrontier(t, prefix, RedisOptions{})
	if late.Crawl() != f.Crawl() {
		t.Fatalf("frontier opened later works on crawl %q, want %q", late.Crawl(), f.Crawl())
	}
	if added, _, _ := late.Add(ctx, "s", 10, false, entries("u1")); added != 1 {
		t.Fatalf("u1 not admitted again in the new crawl")
	}
	n, err := f.rdb.Exists(ctx, prefix+"c"+first+":seen:s").Result()
	if err != nil || n != 0 {
		t.Errorf("seen set of the old crawl still there (%d, %v)", n, err)
	}
}

// TestRedisFrontierCollyStorage: the frontier is a Colly storage.Storage
// (two collectors sharing it never visit a URL twice) and a
// queue.Storage (a plain Colly queue on it fetches every URL once).
func TestRedisFrontierCollyStorage(t *testing.T) {
	srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "k", Value: "v"})
		w.Write([]byte("<p>ok</p>"))
	}))
	prefix := testPrefix(t)
	f1 := openTestFrontier(t, prefix, RedisOptions{})
	f2 := openTestFrontier(t, prefix, RedisOptions{})
	c1, c2 := colly.NewCollector(), colly.NewCollector()
	if err := c1.SetStorage(f1); err != nil {
		t.Fatal(err)
	}
	if err := c2.SetStorage(f2); err != nil {
		t.Fatal(err)
	}
	if err := c1.Visit(srv.URL + "/a"); err != nil {
		t.Fatal(err)
	}
	var visited *colly.AlreadyVisitedError
	if err := c2.Visit(srv.URL + "/a"); !errors.As(err, &visited) {
		t.Fatalf("second collector's Visit: %v, want AlreadyVisitedError", err)
	}
	if n := rec.count("/a"); n != 1 {
		t.Errorf("/a requested %d times, want 1", n)
	}
	if got := f2.Cookies(mustParse(t, srv.URL)); !strings.Contains(got, "k=v") {
		t.Errorf("cookies shared through Redis = %q, want k=v", got)
	}

	q, err := queue.New(3, f1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := q.AddURL(fmt.Sprintf("%s/q/%d", srv.URL, i)); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := f2.QueueSize(); n != 50 {
		t.Fatalf("QueueSize seen by another connection = %d, want 50", n)
	}
	var fetched atomic.Int32
	c3 := colly.NewCollector(colly.Async(false))
	c3.OnResponse(func(*colly.Response) { fetched.Add(1) })
	if err := q.Run(c3); err != nil {
		t.Fatal(err)
	}
	if fetched.Load() != 50 {
		t.Errorf("queue fetched %d pages, want 50", fetched.Load())
	}
	for i := range 50 {
		if n := rec.count(fmt.Sprintf("/q/%d", i)); n != 1 {
			t.Errorf("/q/%d requested %d times", i, n)
		}
	}
	if n, _ := f1.QueueSize(); n != 0 {
		t.Errorf("QueueSize after the run = %d", n)
	}
	if _, err := f1.GetRequest(); err == nil {
		t.Errorf("GetRequest of an empty queue: no error")
	}
}

// TestRedisHostGate: goroutines on separate connections (as separate
// processes would be) share one host: never two hold it at once, and
// each start is at least the spacing after the previous release.
func TestRedisHostGate(t *testing.T) {
	prefix := testPrefix(t)
	const spacing = 25 * time.Millisecond
	var (
		holders atomic.Int32
		mu      sync.Mutex
		starts  []time.Time
		ends    []time.Time
		wg      sync.WaitGroup
	)
	for range 3 {
		g := openTestFrontier(t, prefix, RedisOptions{LeaseTTL: 5 * time.Second})
		wg.Go(func() {
			for range 8 {
				if err := g.Acquire(context.Background(), "h.example:443"); err != nil {
					t.Error(err)
					return
				}
				if n := holders.Add(1); n != 1 {
					t.Errorf("%d holders of the host at once", n)
				}
				mu.Lock()
				starts = append(starts, time.Now())
				mu.Unlock()
				time.Sleep(2 * time.Millisecond) // the request
				holders.Add(-1)
				mu.Lock()
				ends = append(ends, time.Now())
				mu.Unlock()
				g.Release("h.example:443", spacing, 0)
			}
		})
	}
	wg.Wait()
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	sort.Slice(ends, func(i, j int) bool { return ends[i].Before(ends[j]) })
	if len(starts) != 24 {
		t.Fatalf("%d acquisitions, want 24", len(starts))
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(ends[i-1]); gap < spacing {
			t.Errorf("start %d came %v after the previous answer, want ≥ %v", i, gap, spacing)
		}
	}
}

// TestRedisHostGateLeaseExpires: a lease its holder never releases (a
// killed worker) frees the host after its TTL.
func TestRedisHostGateLeaseExpires(t *testing.T) {
	prefix := testPrefix(t)
	ttl := 200 * time.Millisecond
	dead := openTestFrontier(t, prefix, RedisOptions{LeaseTTL: ttl})
	other := openTestFrontier(t, prefix, RedisOptions{LeaseTTL: ttl})
	ctx := context.Background()
	if err := dead.Acquire(ctx, "h:80"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := other.Acquire(ctx, "h:80"); err != nil {
		t.Fatal(err)
	}
	if w := time.Since(start); w < ttl*3/4 || w > ttl+time.Second {
		t.Errorf("second holder waited %v, want about the lease TTL %v", w, ttl)
	}
	other.Release("h:80", 0, 0)
}

// TestWorkShared: three Crawlers (as three worker processes) share one
// Redis frontier, host gate and robots.txt answers over a site of 3 hosts
// × 40 job pages: every page is fetched exactly once, robots.txt once per
// host in all, every posting handed on once, each host never has two
// requests at once and its spacing holds across the workers, the
// robots.txt Crawl-delay of the first host included (the workers that did
// not fetch that file keep it too).
func TestWorkShared(t *testing.T) {
	ctx := context.Background()
	prefix := testPrefix(t)
	const perHost = 40
	const spacing = 15 * time.Millisecond
	const crawlDelay = 30 * time.Millisecond // host 0's robots.txt
	src, recs := jobHosts(t, 3, perHost, func(i int, w http.ResponseWriter, r *http.Request) {
		if i == 0 {
			fmt.Fprintf(w, "User-agent: *\nCrawl-delay: %g\nDisallow: /private/\n", crawlDelay.Seconds())
			return
		}
		http.NotFound(w, r)
	}, nil)
	seeder := openTestFrontier(t, prefix, RedisOptions{})
	if err := seeder.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	o.Delay, o.MinDelay = spacing, spacing
	if n, err := newCrawler(t, o).Seed(ctx, seeder, []Source{src}); err != nil || n != 3 {
		t.Fatalf("Seed = %d, %v; want 3", n, err)
	}
	sink := &memSink{}
	var wg sync.WaitGroup
	pages := make([]int, 3)
	for w := range 3 {
		f := openTestFrontier(t, prefix, RedisOptions{})
		wo := o
		wo.HostGate = f
		wo.RobotsCache = f
		c := newCrawler(t, wo)
		wg.Go(func() {
			stats, err := c.Work(ctx, f, []Source{src}, sink, WorkOptions{Poll: 10 * time.Millisecond})
			if err != nil {
				t.Error(err)
			}
			pages[w] = stats["site"].PagesFetched
		})
	}
	wg.Wait()
	if got, want := len(sink.pages), 3*(perHost+1); got != want {
		t.Errorf("%d pages handed on, want %d", got, want)
	}
	postings := map[string]int{}
	for _, r := range sink.results {
		for _, p := range r.Postings {
			postings[p.Title]++
		}
	}
	if len(postings) != 3*perHost {
		t.Errorf("%d distinct postings, want %d", len(postings), 3*perHost)
	}
	for title, n := range postings {
		if n != 1 {
			t.Errorf("posting %q handed on %d times", title, n)
		}
	}
	if pages[0]+pages[1]+pages[2] != 3*(perHost+1) {
		t.Errorf("pages per worker %v do not add up to %d", pages, 3*(perHost+1))
	}
	for i, rec := range recs {
		for _, h := range rec.all() {
			if rec.count(h.path) != 1 {
				t.Errorf("host %d: %s requested %d times", i, h.path, rec.count(h.path))
			}
		}
		if rec.count("/robots.txt") != 1 {
			t.Errorf("host %d: robots.txt requested %d times by the three workers, want once", i, rec.count("/robots.txt"))
		}
		if m := rec.max.Load(); m != 1 {
			t.Errorf("host %d had %d requests in flight at once", i, m)
		}
		want := spacing
		if i == 0 {
			want = crawlDelay
		}
		if g := minGap(rec.gaps()); g < want {
			t.Errorf("host %d: smallest start-to-start gap %v, want ≥ %v", i, g, want)
		}
	}
	t.Logf("pages per worker: %v", pages)
}

func mustParse(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestRedisFrontierTakeFreeHost: Take hands out a page of a host no
// worker holds and whose spacing has passed before the next page of a
// busy host; when every host is busy it hands out a page anyway (its
// taker waits at the host's gate).
func TestRedisFrontierTakeFreeHost(t *testing.T) {
	ctx := context.Background()
	prefix := testPrefix(t)
	f := openTestFrontier(t, prefix, RedisOptions{})
	other := openTestFrontier(t, prefix, RedisOptions{})
	if err := f.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	f.Add(ctx, "s", 100, false, entries("http://a.example/1", "http://a.example/2", "http://b.example/1", "http://c.example/1"))
	// Another worker holds a.example; c.example must wait out its spacing.
	if err := other.Acquire(ctx, "a.example:80"); err != nil {
		t.Fatal(err)
	}
	if err := other.Acquire(ctx, "c.example:80"); err != nil {
		t.Fatal(err)
	}
	other.Release("c.example:80", time.Hour, 0)
	var got []string
	for range 4 {
		e, err := f.Take(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e.URL)
	}
	// b is free; then every host is busy and the hosts take turns: c
	// (next after b in the ring), a, a.
	want := "http://b.example/1 http://c.example/1 http://a.example/1 http://a.example/2"
	if strings.Join(got, " ") != want {
		t.Errorf("taken %v, want %s (the free host first, then the busy ones in turn)", got, want)
	}
	if n, _ := f.Len(ctx); n != 0 {
		t.Errorf("Len = %d after taking all", n)
	}
	other.Release("a.example:80", 0, 0)
}

// TestRedisFrontierKeys: the seen set holds page keys, not the URLs as
// requested: two URLs of one key are one page; Seen reports keys.
func TestRedisFrontierKeys(t *testing.T) {
	ctx := context.Background()
	f := openTestFrontier(t, testPrefix(t), RedisOptions{})
	if err := f.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	es := []Entry{{URL: "http://h.example/jobs/1", Key: "http://h.example/jobs/1"}, {URL: "http://h.example/jobs/1/", Key: "http://h.example/jobs/1"}}
	if added, _, err := f.Add(ctx, "s", 10, false, es); err != nil || added != 1 {
		t.Fatalf("Add = %d, %v; want 1 (one key)", added, err)
	}
	seen, err := f.Seen(ctx, "s", []string{"http://h.example/jobs/1", "http://h.example/jobs/2"})
	if err != nil || len(seen) != 2 || !seen[0] || seen[1] {
		t.Fatalf("Seen = %v, %v; want [true false]", seen, err)
	}
	e, err := f.Take(ctx)
	if err != nil || e.URL != "http://h.example/jobs/1" || e.Key != "http://h.example/jobs/1" {
		t.Fatalf("Take = %+v, %v", e, err)
	}
}

// TestWorkSharedHostEnd: a host that one worker ends for the crawl (too
// many failures in a row) is ended for every worker: three workers make
// MaxHostFailures failed requests to it in all, not three times that, and
// every job page of it is counted skipped, none fetched twice. The other
// host is crawled whole.
func TestWorkSharedHostEnd(t *testing.T) {
	ctx := context.Background()
	prefix := testPrefix(t)
	const perHost = 30
	src, recs := jobHosts(t, 2, perHost, nil, func(i int, w http.ResponseWriter, r *http.Request) {
		if i == 0 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(jobPage("ML Engineer " + r.Host + r.URL.Path)))
	})
	seeder := openTestFrontier(t, prefix, RedisOptions{})
	if err := seeder.NewCrawl(ctx); err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	o.MaxHostFailures, o.MaxRetries, o.BackoffBase = 4, 1, time.Millisecond
	if _, err := newCrawler(t, o).Seed(ctx, seeder, []Source{src}); err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		skipped int
	)
	for range 3 {
		f := openTestFrontier(t, prefix, RedisOptions{})
		wo := o
		wo.HostGate, wo.RobotsCache = f, f
		c := newCrawler(t, wo)
		wg.Go(func() {
			stats, err := c.Work(ctx, f, []Source{src}, sink, WorkOptions{Poll: 10 * time.Millisecond})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			skipped += stats["site"].PagesSkipped
			mu.Unlock()
		})
	}
	wg.Wait()
	failed := 0
	for _, h := range recs[0].all() {
		if strings.HasPrefix(h.path, "/jobs/") && h.path != "/jobs/" {
			failed++
		}
	}
	if failed != o.MaxHostFailures {
		t.Errorf("the failing host got %d job page requests from three workers, want %d (MaxHostFailures once for the crawl)", failed, o.MaxHostFailures)
	}
	for _, h := range recs[1].all() {
		if n := recs[1].count(h.path); n != 1 {
			t.Errorf("healthy host: %s requested %d times", h.path, n)
		}
	}
	if got := len(recs[1].all()); got != perHost+2 { // robots.txt, the listing, the jobs
		t.Errorf("healthy host: %d requests, want %d", got, perHost+2)
	}
	if skipped < perHost-o.MaxHostFailures {
		t.Errorf("%d pages counted skipped, want at least the %d job pages never requested", skipped, perHost-o.MaxHostFailures)
	}
}

// jobHosts starts n hosts of one site: each serves /jobs/, a listing of
// perHost links to its /jobs/N pages. robots answers /robots.txt of host
// i (nil: 404) and job its job pages (nil: a JSON-LD posting named after
// the URL). It returns a JSON-LD source starting at every listing, and
// each host's recorder.
func jobHosts(t *testing.T, n, perHost int, robots, job func(i int, w http.ResponseWriter, r *http.Request)) (Source, []*recorder) {
	t.Helper()
	src := Source{Name: "site", Type: "jsonld", MaxPages: 1000,
		Follow: []*regexp.Regexp{regexp.MustCompile(`/jobs/[0-9]+$`)}}
	var recs []*recorder
	for i := range n {
		var base string
		srv, rec := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.URL.Path == "/robots.txt" && robots != nil:
				robots(i, w, r)
			case r.URL.Path == "/robots.txt":
				http.NotFound(w, r)
			case r.URL.Path == "/jobs/":
				var b strings.Builder
				b.WriteString("<html><body>")
				for j := range perHost {
					fmt.Fprintf(&b, `<a href="%s/jobs/%d">job</a>`, base, j)
				}
				b.WriteString("</body></html>")
				w.Write([]byte(b.String()))
			case job != nil:
				job(i, w, r)
			default:
				w.Write([]byte(jobPage("ML Engineer " + r.Host + r.URL.Path)))
			}
		}))
		base = srv.URL
		src.StartURLs = append(src.StartURLs, srv.URL+"/jobs/")
		recs = append(recs, rec)
	}
	return src, recs
}
