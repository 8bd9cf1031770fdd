package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runConfig is the flags of jtbench run.
type runConfig struct {
	corpus     string
	rounds     int
	budget     time.Duration
	workers    int
	pages      int
	hosts      int
	workloads  []string
	crawlee    bool
	noEnrich   bool
	parallel   bool
	rssPages   []int
	reportSize []int
	profile    string
	node       string
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// cmdRun is the benchmark script: the replay server, the contenders
// alternating round after round, the memory of crawls of growing size and
// the report step at growing numbers of postings; then the tables.
func cmdRun(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var c runConfig
	fs.StringVar(&c.corpus, "corpus", os.Getenv("JOBTRENDS_CORPUS"), "the shared corpus folder (default $JOBTRENDS_CORPUS)")
	fs.IntVar(&c.rounds, "rounds", 5, "rounds of the crawl contenders (each round runs every contender once)")
	fs.DurationVar(&c.budget, "budget", 8*time.Second, "time each contender crawls per round (it stops starting pages then)")
	fs.IntVar(&c.workers, "workers", 8, "concurrent requests of net/http and Crawlee")
	fs.IntVar(&c.pages, "pages", 5000, "URLs on the listing of each workload")
	fs.IntVar(&c.hosts, "hosts", 4, "127.0.0.1 ports the replay server serves on")
	workloads := fs.String("workloads", "hn,ashby", "workloads of the crawl table: hn, ashby, small, all")
	fs.BoolVar(&c.crawlee, "crawlee", true, "run Crawlee (needs node and `npm ci` in bench/)")
	fs.BoolVar(&c.noEnrich, "noenrich", true, "also run jobtrends without enrichment")
	fs.BoolVar(&c.parallel, "parallel", false, "also run jobtrends with each host's sources crawled at once")
	rss := fs.String("rss-pages", "1000,10000,50000", "page counts of the crawl-memory measurement (workload small; empty: skip)")
	rep := fs.String("report-postings", "10000,100000,1000000", "posting counts of the report measurement (empty: skip)")
	fs.StringVar(&c.profile, "profile", "", "write a CPU profile of one extra jobtrends crawl (first workload) to this file and print its top")
	fs.StringVar(&c.node, "node", "node", "the node executable")
	quick := fs.Bool("quick", false, "a quick run: 2 rounds of 5 s, 2000 URLs, memory at 1000 and 5000 pages, report up to 100k postings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		def := func(name string, apply func()) {
			if !set[name] {
				apply()
			}
		}
		def("rounds", func() { c.rounds = 2 })
		def("budget", func() { c.budget = 5 * time.Second })
		def("pages", func() { c.pages = 2000 })
		def("rss-pages", func() { *rss = "1000,5000" })
		def("report-postings", func() { *rep = "10000,100000" })
	}
	c.workloads = strings.Split(*workloads, ",")
	var err error
	if c.rssPages, err = intList(*rss); err != nil {
		return fmt.Errorf("-rss-pages: %w", err)
	}
	if c.reportSize, err = intList(*rep); err != nil {
		return fmt.Errorf("-report-postings: %w", err)
	}
	if c.corpus == "" {
		return errors.New("no corpus: set JOBTRENDS_CORPUS (e.g. ../shared/corpus) or -corpus")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	script := filepath.Join(filepath.Dir(self), "..", "crawlee.mjs")
	if c.crawlee {
		if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "crawlee")); err != nil {
			return fmt.Errorf("crawlee is not installed: run `npm ci` in bench/ (or pass -crawlee=false): %w", err)
		}
	}

	srv, info, err := startServer(self, c.corpus, c.hosts)
	if err != nil {
		return err
	}
	defer srv.stop()

	fmt.Printf("jtbench: %s, %d CPUs (GOMAXPROCS %d), %s; go %s\n", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), memTotal(), runtime.Version())
	fmt.Printf("replay server: %d hosts on 127.0.0.1 (its own process); pages per copy: %v; mean page bytes: %v\n\n", len(info.Bases), info.PerCopy, info.AvgBytes)

	for _, w := range c.workloads {
		if info.PerCopy[w] == 0 {
			fmt.Printf("workload %s: no pages in the corpus, skipped\n\n", w)
			continue
		}
		if err := runWorkload(self, script, c, info, w); err != nil {
			return err
		}
	}
	if c.profile != "" {
		if err := runProfile(self, c, info); err != nil {
			return err
		}
	}
	if len(c.rssPages) > 0 {
		if err := runRSS(self, c, info); err != nil {
			return err
		}
	}
	if len(c.reportSize) > 0 {
		if err := runReport(self, c); err != nil {
			return err
		}
	}
	return nil
}

// server is the replay server's process.
type serverProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func (s *serverProc) stop() {
	s.stdin.Close()
	s.cmd.Wait()
}

func startServer(self, corpus string, hosts int) (*serverProc, serverInfo, error) {
	var info serverInfo
	cmd := exec.Command(self, "serve", "-corpus", corpus, "-hosts", strconv.Itoa(hosts))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, info, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, info, err
	}
	if err := cmd.Start(); err != nil {
		return nil, info, err
	}
	s := &serverProc{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &info)
	}
	if err != nil {
		s.stop()
		return nil, info, fmt.Errorf("replay server: %w", err)
	}
	return s, info, nil
}

// runChild runs one contender process and returns the result it printed,
// with its peak RSS.
func runChild(name string, argv []string) (result, error) {
	var r result
	cmd := exec.Command(argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return r, fmt.Errorf("%s: %v\n%s", name, err, tail(stderr.String(), 2000))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		return r, fmt.Errorf("%s: bad output %q: %v\n%s", name, tail(stdout.String(), 500), err, tail(stderr.String(), 2000))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSSKB = ru.Maxrss
	}
	if s := strings.TrimSpace(stderr.String()); s != "" && r.Failed > 0 {
		fmt.Fprintf(os.Stderr, "%s: %s\n", name, tail(s, 1000))
	}
	return r, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

type contender struct {
	name string
	argv func(listing string) []string
}

func contenders(self, script string, c runConfig) []contender {
	budget := c.budget.String()
	out := []contender{
		{"net/http", func(l string) []string {
			return []string{self, "fetch", "-listing", l, "-workers", strconv.Itoa(c.workers), "-budget", budget}
		}},
		{"net/http+html.Parse", func(l string) []string {
			return []string{self, "fetch", "-listing", l, "-workers", strconv.Itoa(c.workers), "-budget", budget, "-parse"}
		}},
		{"jobtrends", func(l string) []string { return []string{self, "crawl", "-listing", l, "-budget", budget} }},
	}
	if c.noEnrich {
		out = append(out, contender{"jobtrends (no enrich)", func(l string) []string {
			return []string{self, "crawl", "-listing", l, "-budget", budget, "-noenrich"}
		}})
	}
	if c.parallel {
		out = append(out, contender{"jobtrends ×hosts", func(l string) []string {
			return []string{self, "crawl", "-listing", l, "-budget", budget, "-parallel"}
		}})
	}
	if c.crawlee {
		out = append(out, contender{"crawlee", func(l string) []string {
			return []string{c.node, script, "--listing", l, "--concurrency", strconv.Itoa(c.workers), "--budget", strconv.FormatFloat(c.budget.Seconds(), 'f', -1, 64)}
		}})
	}
	return out
}

func listingURL(info serverInfo, workload string, n int) string {
	return fmt.Sprintf("%s/list?w=%s&n=%d", info.Bases[0], workload, n)
}

// runWorkload runs the crawl contenders on one workload, alternating
// (round r starts with contender r mod n and goes round), and prints the
// table and the ratios.
func runWorkload(self, script string, c runConfig, info serverInfo, w string) error {
	cs := contenders(self, script, c)
	listing := listingURL(info, w, c.pages)
	res := make([][]result, len(cs)) // [contender][round]
	fmt.Printf("== workload %s: %s\n", w, listing)
	for r := range c.rounds {
		fmt.Printf("round %d:", r+1)
		for k := range cs {
			i := (r + k) % len(cs)
			x, err := runChild(cs[i].name, cs[i].argv(listing))
			if err != nil {
				return err
			}
			res[i] = append(res[i], x)
			fmt.Printf("  %s %.0f p/s", cs[i].name, rate(x))
		}
		fmt.Println()
	}
	per := info.PerCopy[w]
	fmt.Printf("\nworkload %s: %d URLs listed (copies of %d pages, mean %.0f KB); %d rounds, %v per contender per round, %d workers (net/http) / concurrency (Crawlee); jobtrends one request at a time per source, the next made while a page is parsed (not for HN, depth-first), sources in turn as `jobtrends scrape`\n",
		w, res[0][0].Listed, per, float64(info.AvgBytes[w])/1024, c.rounds, c.budget, c.workers)
	fmt.Printf("%-22s %22s %18s %8s %12s %14s %10s %12s\n", "contender", "pages/s", "MB/s", "CPU s", "CPU ms/page", "peak RSS MB", "pages", "postings/s")
	for i, ct := range cs {
		rs := res[i]
		fmt.Printf("%-22s %22s %18s %8.1f %12.2f %14.0f %10.0f %12s\n", ct.name,
			spread(rs, rate, "%.0f"), spread(rs, mbps, "%.1f"),
			median(rs, func(x result) float64 { return x.CPU }),
			median(rs, func(x result) float64 { return 1000 * x.CPU / math.Max(1, float64(x.Pages)) }),
			median(rs, func(x result) float64 { return float64(x.MaxRSSKB) / 1024 }),
			median(rs, func(x result) float64 { return float64(x.Pages) }),
			postingRate(rs))
	}
	find := func(name string) int {
		return slices.IndexFunc(cs, func(x contender) bool { return x.name == name })
	}
	fmt.Println("\nratios of pages/s, each the median of the rounds' own ratios [min–max]:")
	for _, num := range []string{"jobtrends", "jobtrends (no enrich)", "jobtrends ×hosts"} {
		a := find(num)
		if a < 0 {
			continue
		}
		for _, den := range []string{"net/http+html.Parse", "net/http", "crawlee"} {
			b := find(den)
			if b < 0 {
				continue
			}
			var rs []float64
			for r := range c.rounds {
				rs = append(rs, rate(res[a][r])/rate(res[b][r]))
			}
			label := den
			if den == "net/http+html.Parse" {
				label += " (limit)"
			}
			fmt.Printf("  %-22s / %-30s %s\n", num, label, spreadF(rs, "%.3f"))
		}
	}
	fmt.Println()
	return nil
}

func rate(x result) float64 { return float64(x.Pages) / x.Wall }
func mbps(x result) float64 { return float64(x.Bytes) / x.Wall / 1e6 }

func postingRate(rs []result) string {
	if rs[0].Postings == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", median(rs, func(x result) float64 { return float64(x.Postings) / x.Wall }))
}

func median(rs []result, f func(result) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	return med(v)
}

func med(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func spread(rs []result, f func(result) float64, format string) string {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	return spreadF(v, format)
}

func spreadF(v []float64, format string) string {
	if len(v) == 1 {
		return fmt.Sprintf(format, v[0])
	}
	return fmt.Sprintf(format+" ["+format+"–"+format+"]", med(v), slices.Min(v), slices.Max(v))
}

// runRSS measures the peak RSS of jobtrends crawls of growing size (the
// small workload: the cost per page, not per byte), to show that memory
// is bounded by the work in flight, not by the pages crawled.
func runRSS(self string, c runConfig, info serverInfo) error {
	fmt.Println("== crawl memory: jobtrends full pipeline, workload small (schema.org JSON-LD job pages), one run per size")
	fmt.Printf("%10s %10s %12s %14s %18s %10s\n", "pages", "fetched", "pages/s", "peak RSS MB", "Go heap at end MB", "failed")
	var rss []float64
	for _, n := range c.rssPages {
		x, err := runChild("jobtrends", []string{self, "crawl", "-listing", listingURL(info, "small", n)})
		if err != nil {
			return err
		}
		rss = append(rss, float64(x.MaxRSSKB)/1024)
		fmt.Printf("%10d %10d %12.0f %14.1f %18.1f %10d\n", x.Listed, x.Pages, rate(x), float64(x.MaxRSSKB)/1024, float64(x.HeapKB)/1024, x.Failed)
	}
	if len(rss) > 1 {
		growth := rss[len(rss)-1] / rss[0]
		verdict := "bounded"
		if growth > 1.5 {
			verdict = "GROWS with the pages crawled"
		}
		fmt.Printf("peak RSS %.0f MB at %d pages → %.0f MB at %d pages (×%.2f): %s\n", rss[0], c.rssPages[0], rss[len(rss)-1], c.rssPages[len(c.rssPages)-1], growth, verdict)
	}
	fmt.Println()
	return nil
}

// runReport measures analysis + report at growing numbers of synthetic
// postings, each in its own process, and checks that the report's size
// does not grow with them.
func runReport(self string, c runConfig) error {
	fmt.Println("== report: analyze.Builder (synthetic postings of bench/synth streamed twice, never held) + charts.Write, one process per size")
	fmt.Printf("%10s %9s %9s %9s %11s %14s %16s\n", "postings", "Build s", "Write s", "total s", "report KB", "peak RSS MB", "RSS before MB")
	var sizes []int64
	for _, n := range c.reportSize {
		cmd := exec.Command(self, "report", "-postings", strconv.Itoa(n))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("report %d: %v\n%s", n, err, tail(stderr.String(), 2000))
		}
		var x reportResult
		if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &x); err != nil {
			return fmt.Errorf("report %d: %v", n, err)
		}
		sizes = append(sizes, x.ReportBytes)
		total := x.Build + x.Write
		fmt.Printf("%10d %9.2f %9.2f %9.2f %11.1f %14.0f %16.0f", n, x.Build, x.Write, total, float64(x.ReportBytes)/1024, float64(x.MaxRSSKB)/1024, float64(x.HeldRSSKB)/1024)
		if n >= 1_000_000 {
			fmt.Printf("   target ≤10 s: %s, ≤1 GB: %s", verdict(total <= 10), verdict(x.MaxRSSKB <= 1<<20))
		}
		fmt.Println()
	}
	if len(sizes) > 1 {
		// Aggregates only: the size may still creep (counts gain digits,
		// sparse months fill in, most of it below 100k postings) but must
		// not follow the postings (k = 1); the exponent of size ∝
		// postings^k says which.
		first, last := float64(sizes[0]), float64(sizes[len(sizes)-1])
		k := math.Log(last/first) / math.Log(float64(c.reportSize[len(c.reportSize)-1])/float64(c.reportSize[0]))
		fmt.Printf("report size %.1f KB at %d postings → %.1f KB at %d (×%.2f, size ∝ postings^%.2f): %s\n",
			first/1024, c.reportSize[0], last/1024, c.reportSize[len(c.reportSize)-1], last/first, k,
			map[bool]string{true: "does not grow with the postings (aggregates only)", false: "GROWS with the postings"}[k < 0.5])
	}
	fmt.Println()
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// runProfile runs one more jobtrends crawl of the first workload with a
// CPU profile and prints its top entries.
func runProfile(self string, c runConfig, info serverInfo) error {
	w := c.workloads[0]
	x, err := runChild("jobtrends", []string{self, "crawl", "-listing", listingURL(info, w, c.pages), "-budget", c.budget.String(), "-cpuprofile", c.profile})
	if err != nil {
		return err
	}
	fmt.Printf("== CPU profile of a jobtrends crawl (workload %s, %d pages in %.1f s) written to %s\n", w, x.Pages, x.Wall, c.profile)
	out, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=40", self, c.profile).CombinedOutput()
	if err != nil {
		fmt.Printf("(go tool pprof -top -cum %s %s: %v)\n", self, c.profile, err)
	}
	fmt.Println(string(out))
	return nil
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "memory unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return fmt.Sprintf("%.1f GB RAM", float64(kb)/(1<<20))
		}
	}
	return "memory unknown"
}
