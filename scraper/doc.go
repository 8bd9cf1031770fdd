// Package scraper is the fetch step of the jobtrends pipeline: it crawls the
// configured sources and hands every fetched page, decoded to UTF-8 and
// parsed by package parse, to a Sink (the store, in the CLI).
//
// It owns all Colly set-up. Colly v2.3.0 is used as the request engine, but
// its defaults are not safe for an unattended cron job (see
// ../shared/docs/RELIABILITY.md), so every collector is configured in code
// and every request goes through a fetch layer of our own:
//
//   - robots.go: robots.txt per RFC 9309, fetched once per host per run
//     (2xx parsed, 4xx allow all, 5xx/429/timeout/network error disallow
//     the host, at most 5 redirects, at most 512 KiB read), Crawl-delay of
//     our agent group honoured, a Crawl-delay over the cap skips the host.
//     Colly's own robots path is switched off on purpose (IgnoreRobotsTxt):
//     it treats a 5xx robots.txt as allow-all and ignores Crawl-delay.
//   - limiter.go: a scheduler per host:port: one request in flight,
//     start-to-start spacing of max(delay, Crawl-delay) plus upward jitter,
//     the first request to a host not delayed, back-off pauses the host.
//   - transport.go: the http.RoundTripper every collector uses: exact
//     host:port allow-list, http(s) only, per-attempt timeout, retries with
//     back-off and Retry-After, decompression and a body cap that fails the
//     page (never truncates), redirect policy (at most 5, credentials
//     stripped across origins); an HTML body delimited only by the
//     connection's end and lacking </html> is cut short, retried, never
//     parsed.
//   - dial.go: refusal of loopback, private, link-local and metadata
//     addresses at dial time of the real network transport.
//   - decode.go: BOM, Content-Type charset, <meta charset>, then detection;
//     the result is always valid UTF-8 (JSON: BOM, charset, else UTF-8).
//   - retry.go: which failures are retried, back-off and Retry-After.
//   - options.go: Options and their defaults; errors.go: the sentinel
//     errors pages fail with.
//   - collector.go: Crawler (one per run: the shared politeness state) and
//     the Colly collector of a source, every setting made in code.
//   - crawl.go: Crawl, Sink and Stats: the frontier of one source (our
//     own, so no page is fetched twice and retries never need a Colly
//     re-visit), one goquery document per page, the run's page and time
//     budgets, conditional requests, postings handed to the Sink.
//   - frontier.go: Frontier, the queue and seen set of a crawl, and
//     MemFrontier, the in-memory one Crawl uses. frontier_redis.go:
//     RedisFrontier, one frontier shared by worker processes (queue per
//     host, seen sets, page budgets, in-flight set with a visibility
//     timeout, crawl generations; Lua scripts for atomicity), also the
//     HostGate that makes the per-host lease and spacing hold across
//     processes, and Colly's storage.Storage and queue.Storage. work.go:
//     Crawler.Seed and Crawler.Work, the loop of one worker
//     (docs/SCALE_OUT.md).
//   - sources.go: Source (with Validate, errors naming source and field)
//     and the table of source types, each one file of rules as data:
//     hn.go (threads; discovery on the whoishiring submissions list with a
//     since bound and a backfill estimate), jsonld.go (any JSON-LD site),
//     ashby.go (Ashby HTML board and job pages), html.go (CSS selectors:
//     listing, next page, followed item links), and the ATS job-board APIs
//     greenhouse.go, lever.go, ashbyapi.go (one JSON request per board,
//     shared rules in api.go, their own body cap Options.MaxAPIBody).
//   - replay.go: an http.RoundTripper serving saved real pages by URL, for
//     tests and the offline demo.
//
// Package scraper imports package parse and the shared vocabulary
// (package jobtrends). It must not import store, analyze or charts.
package scraper
