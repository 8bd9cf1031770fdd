# jobtrends — build, demo and test entry points. See README.md.
#
#   make demo   build (ECharts from the pinned npm package embedded) and run the offline demo
#   make test   everything CI runs: gofmt, go vet, staticcheck, go test -race ./...
#               (with PostgreSQL and Redis on 127.0.0.1: scripts/test-services.sh)
#   make bench  benchmarks (see README "Performance")

GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         := bin/jobtrends
DEMO_OUT    ?= demo-output

.PHONY: all build demo test check vet lint gotest bench clean

all: build

# ECharts comes from the npm registry at the version pinned in
# package-lock.json; it is never committed.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

charts/assets/echarts.min.js: node_modules/.installed
	$(GO) generate ./charts

build: charts/assets/echarts.min.js
	$(GO) build -tags embedecharts -o $(BIN) ./cmd/jobtrends

demo: build
	./$(BIN) demo --out $(DEMO_OUT)

test: check gotest

check: charts/assets/echarts.min.js
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet -tags embedecharts ./...
	$(GO) run $(STATICCHECK) -tags embedecharts ./...

# Tests that parse thousands of real postings are ~20x slower under the race
# detector; they skip themselves under -race and run in a second pass.
HEAVY_TESTS := ^(TestDemoEndToEnd|TestExtractHN|TestHNDumpMonth|TestCrawlHNFullThread|TestWordReMatchesRegexp|TestWordIndexChangesNothing|TestCollapseSpace|TestHNWordCount|TestStripURLs|TestEduSplit|TestCorpusHNThreads|TestHNHeaderSameAsRef|TestHNRePrefilter|TestParseSalarySameAsRef)$$

# scripts/test-services.sh starts PostgreSQL and Redis (Debian packages) on
# 127.0.0.1 for the scale-out tests and exports where they are.
gotest: charts/assets/echarts.min.js
	eval "$$(scripts/test-services.sh)" && \
	$(GO) test -race -tags embedecharts -timeout 20m ./... && \
	$(GO) test -tags embedecharts -timeout 20m -run '$(HEAVY_TESTS)' ./cmd/... ./parse/... ./scraper/...

bench: charts/assets/echarts.min.js
	$(GO) test -tags embedecharts -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin $(DEMO_OUT) charts/assets/echarts.min.js node_modules
