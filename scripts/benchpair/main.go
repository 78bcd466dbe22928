// Command benchpair runs the client and its raw net/http baseline in
// paired rounds and prints every round of every implementation in `go test
// -bench` format, for scripts/benchratio (ratios and targets) and
// benchstat:
//
//	go run ./scripts/benchpair [-rounds 10] [-procs 5] [-batch 25ms] > paired.out
//
// Within a round, the implementations of a benchmark take turns, A B A B
// (-turns batches each), and the first to go is rotated from round to
// round, so that a slow moment of a shared machine weighs on all of them;
// a round's ratio compares times measured within the same fraction of a
// second. The rounds are spread over -procs processes (see spread). What
// is measured (internal/perf holds the implementations):
//
//   - PairedCall: a whole call over loopback to a local server answering
//     a realistic 3.7 KB payment source, largest and minimal request, with
//     a control: a second copy of the baseline, whose ratio to the
//     baseline is the noise floor;
//   - PairedClient: the same calls through a transport that answers in
//     process with the smallest payment source: the client side alone;
//   - PairedTimeout: what bounding a call through its context costs,
//     on the baseline (the client bounds each attempt so);
//   - PairedThroughput: calls per second at 1, 8 and 64 goroutines, and
//     new connections per 1,000 calls, with each implementation's default
//     HTTP client (rawdefault: http.DefaultClient);
//   - PairedColdStart: a new process per sample, which makes its client
//     and its first call (the time of both, the live heap they add).
//
// Allocations and CPU time (cpu-ns/op: user and system time of the
// process, which time stolen by other jobs on a shared machine does not
// inflate) count every goroutine of the process, the local server's
// included in PairedCall and PairedThroughput (the same for each
// implementation); PairedClient counts the client side alone.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/internal/perf"
)

func main() {
	rounds := flag.Int("rounds", 10, "rounds of every benchmark")
	turns := flag.Int("turns", 4, "turns of each implementation within a round")
	batch := flag.Duration("batch", 25*time.Millisecond, "length of one turn of a per-call benchmark")
	procs := flag.Int("procs", 5, "processes the rounds of each per-call and throughput benchmark are spread over")
	only := flag.String("only", "", "run one group: call, client, timeout, throughput or coldstart")
	group := flag.String("group", "", "internal: run the rounds of one group in this process")
	offset := flag.Int("offset", 0, "internal: index of the first round of -group, for the rotation")
	child := flag.String("child", "", "internal: measure one cold start (client or raw) against -url, print it as JSON")
	url := flag.String("url", "", "internal: the server of -child")
	flag.Parse()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "benchpair:", err)
		os.Exit(1)
	}
	if *child != "" {
		if err := coldChild(*child, *url); err != nil {
			fail(err)
		}
		return
	}
	b := &bench{rounds: *rounds, turns: *turns, batch: *batch, offset: *offset}
	groups := map[string]func() error{"call": b.calls, "client": b.client, "timeout": b.timeout, "throughput": b.throughput, "coldstart": b.coldStart}
	if *group != "" {
		run := groups[*group]
		if run == nil {
			fail(fmt.Errorf("-group %q: no such group", *group))
		}
		if err := run(); err != nil {
			fail(fmt.Errorf("%s: %w", *group, err))
		}
		return
	}
	fmt.Printf("goos: %s\ngoarch: %s\npkg: github.com/cbpay/cbpay/scripts/benchpair\n", runtime.GOOS, runtime.GOARCH)
	fmt.Printf("cpu: %d logical CPUs, GOMAXPROCS %d\n", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	for _, name := range []string{"call", "client", "timeout", "throughput", "coldstart"} {
		if *only != "" && *only != name {
			continue
		}
		var err error
		if name == "coldstart" {
			err = b.coldStart() // a new process per sample already
		} else {
			err = b.spread(name, *procs)
		}
		if err != nil {
			fail(fmt.Errorf("%s: %w", name, err))
		}
	}
}

type bench struct {
	rounds, turns int
	batch         time.Duration
	offset        int // index of the first round, for the rotation
}

// spread runs the rounds of a group in procs new processes of this
// program, one after the other, and passes their output on. The same code
// measured in two processes can differ by several per cent, steadily
// within each (how its goroutines, connections and memory happen to be
// placed); spreading the rounds over processes lets the medians average
// that out, as interleaving averages out a busy moment.
func (b *bench) spread(group string, procs int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	procs = max(1, min(procs, b.rounds))
	done := 0
	for p := range procs {
		n := b.rounds / procs
		if p < b.rounds%procs {
			n++
		}
		cmd := exec.Command(self, "-group", group, "-rounds", fmt.Sprint(n), "-offset", fmt.Sprint(done),
			"-turns", fmt.Sprint(b.turns), "-batch", b.batch.String())
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("process %d: %w", p+1, err)
		}
		done += n
	}
	return nil
}

// impl is one implementation of a benchmark: call makes one call.
type impl struct {
	name string
	call func() error
}

// sample is what one implementation did in one round.
type sample struct {
	calls  int64
	ns     int64
	cpu    int64 // CPU time of the whole process: -1 when unknown
	allocs uint64
	bytes  uint64
	conns  int64
}

func (s *sample) add(o sample) {
	s.calls += o.calls
	s.ns += o.ns
	if s.cpu >= 0 && o.cpu >= 0 {
		s.cpu += o.cpu
	} else {
		s.cpu = -1
	}
	s.allocs += o.allocs
	s.bytes += o.bytes
	s.conns += o.conns
}

// calls is PairedCall: loopback, the realistic answer.
func (b *bench) calls() error {
	cases, err := perf.Cases()
	if err != nil {
		return err
	}
	srv := perf.NewServer(perf.LargeAnswer, nil)
	defer srv.Close()
	client, err := perf.NewClient(srv.URL, nil)
	if err != nil {
		return err
	}
	rawHC := &http.Client{Transport: perf.TunedTransport()}
	controlHC := &http.Client{Transport: perf.TunedTransport()}
	for _, c := range cases {
		control := perf.NewRaw(controlHC, srv.URL, c)
		if err := b.perCall("PairedCall/req="+c.Name, client, perf.NewRaw(rawHC, srv.URL, c), c, control); err != nil {
			return err
		}
	}
	return nil
}

// client is PairedClient: the in-process transport, the small answer.
func (b *bench) client() error {
	cases, err := perf.Cases()
	if err != nil {
		return err
	}
	hc := &http.Client{Transport: perf.Canned{Answer: perf.SmallAnswer}}
	const base = "http://127.0.0.1:1"
	client, err := perf.NewClient(base, hc)
	if err != nil {
		return err
	}
	for _, c := range cases {
		if err := b.perCall("PairedClient/req="+c.Name, client, perf.NewRaw(hc, base, c), c, nil); err != nil {
			return err
		}
	}
	return nil
}

// perCall runs the client and the baseline in turns, one call at a time,
// each turn about b.batch long. control, when not nil, is a second copy of
// the baseline, with its own connection: what it measures against the
// baseline is the noise floor of the comparison.
func (b *bench) perCall(name string, client *cbpay.Client, raw *perf.Raw, c perf.Case, control *perf.Raw) error {
	ctx := context.Background()
	impls := []impl{
		{"facade", func() error { _, err := c.Call(ctx, client); return err }},
		{"raw", func() error { _, err := raw.Call(ctx); return err }},
	}
	if control != nil {
		impls = append(impls, impl{"control", func() error { _, err := control.Call(ctx); return err }})
	}
	return b.perCallImpls(name, impls)
}

// perCallImpls runs impls in turns, one call at a time, each turn about
// b.batch long.
func (b *bench) perCallImpls(name string, impls []impl) error {
	// Warm up, then size the turns: about b.batch each.
	n := make([]int64, len(impls))
	for i, im := range impls {
		if _, err := run(im, 1, 100, nil); err != nil {
			return fmt.Errorf("%s/impl=%s: %w", name, im.name, err)
		}
		s, err := run(im, 1, 200, nil)
		if err != nil {
			return fmt.Errorf("%s/impl=%s: %w", name, im.name, err)
		}
		n[i] = max(1, int64(b.batch)*s.calls/max(1, s.ns))
	}
	return b.inRounds(name, impls, func(i int) (sample, error) { return run(impls[i], 1, n[i], nil) }, nil)
}

// inRounds runs b.rounds rounds of b.turns turns of each implementation,
// the first rotated each round, and prints each round's totals.
func (b *bench) inRounds(name string, impls []impl, turn func(i int) (sample, error), extra func(s sample) string) error {
	for r := 0; r < b.rounds; r++ {
		tot := make([]sample, len(impls))
		for t := 0; t < b.turns; t++ {
			for k := range impls {
				i := (k + r + b.offset) % len(impls)
				s, err := turn(i)
				if err != nil {
					return fmt.Errorf("%s/impl=%s: %w", name, impls[i].name, err)
				}
				tot[i].add(s)
			}
		}
		for i, im := range impls {
			s := tot[i]
			calls := float64(s.calls)
			line := fmt.Sprintf("Benchmark%s/impl=%s-%d\t%d\t%.1f ns/op", name, im.name, runtime.GOMAXPROCS(0), s.calls, float64(s.ns)/calls)
			if s.cpu >= 0 {
				line += fmt.Sprintf("\t%.1f cpu-ns/op", float64(s.cpu)/calls)
			}
			if extra != nil {
				line += extra(s)
			}
			line += fmt.Sprintf("\t%.0f B/op\t%.1f allocs/op", float64(s.bytes)/calls, float64(s.allocs)/calls)
			fmt.Println(line)
		}
	}
	return nil
}

// run makes calls calls with g goroutines and measures them; srv, when not
// nil, counts the connections they open.
func run(im impl, g int, calls int64, srv *perf.Server) (sample, error) {
	var m0, m1 runtime.MemStats
	var conns0 int64
	if srv != nil {
		conns0 = srv.NewConns()
	}
	runtime.ReadMemStats(&m0)
	cpu0 := cpuNs()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	var first atomic.Pointer[error]
	for range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= calls {
				if err := im.call(); err != nil {
					first.CompareAndSwap(nil, &err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ns := time.Since(start).Nanoseconds()
	cpu := cpuNs()
	if cpu < 0 || cpu0 < 0 {
		cpu = -1
	} else {
		cpu -= cpu0
	}
	runtime.ReadMemStats(&m1)
	if p := first.Load(); p != nil {
		return sample{}, *p
	}
	s := sample{calls: calls, ns: ns, cpu: cpu, allocs: m1.Mallocs - m0.Mallocs, bytes: m1.TotalAlloc - m0.TotalAlloc}
	if srv != nil {
		s.conns = srv.NewConns() - conns0
	}
	return s, nil
}

// timeout is PairedTimeout: what bounding each call costs, measured on the
// baseline over loopback (largest request): raw with no bound, with
// context.WithTimeout (what the client does for each attempt when the
// caller's context has no earlier deadline), with context.WithCancel and a
// time.AfterFunc timer, and with context.WithCancel alone (no timer: the
// least any bound through the context can cost).
func (b *bench) timeout() error {
	cases, err := perf.Cases()
	if err != nil {
		return err
	}
	c := cases[0]
	srv := perf.NewServer(perf.LargeAnswer, nil)
	defer srv.Close()
	raw := func() *perf.Raw { return perf.NewRaw(&http.Client{Transport: perf.TunedTransport()}, srv.URL, c) }
	plain, withTimeout, withTimer, withCancel := raw(), raw(), raw(), raw()
	bg := context.Background()
	impls := []impl{
		{"raw", func() error { _, err := plain.Call(bg); return err }},
		{"timeout", func() error {
			ctx, cancel := context.WithTimeout(bg, 30*time.Second)
			defer cancel()
			_, err := withTimeout.Call(ctx)
			return err
		}},
		{"afterfunc", func() error {
			ctx, cancel := context.WithCancel(bg)
			defer cancel()
			t := time.AfterFunc(30*time.Second, cancel)
			defer t.Stop()
			_, err := withTimer.Call(ctx)
			return err
		}},
		{"cancel", func() error {
			ctx, cancel := context.WithCancel(bg)
			defer cancel()
			_, err := withCancel.Call(ctx)
			return err
		}},
	}
	return b.perCallImpls("PairedTimeout/req="+c.Name, impls)
}

// throughput is PairedThroughput: each implementation with its default
// HTTP client (the raw baseline also with the client's transport
// settings), minimal request, realistic answer.
func (b *bench) throughput() error {
	cases, err := perf.Cases()
	if err != nil {
		return err
	}
	c := cases[1] // minimal
	srv := perf.NewServer(perf.LargeAnswer, nil)
	defer srv.Close()
	client, err := perf.NewClient(srv.URL, nil)
	if err != nil {
		return err
	}
	raw := perf.NewRaw(&http.Client{Transport: perf.TunedTransport()}, srv.URL, c)
	rawDefault := perf.NewRaw(http.DefaultClient, srv.URL, c)
	ctx := context.Background()
	impls := []impl{
		{"facade", func() error { _, err := c.Call(ctx, client); return err }},
		{"raw", func() error { _, err := raw.Call(ctx); return err }},
		{"rawdefault", func() error { _, err := rawDefault.Call(ctx); return err }},
	}
	for _, g := range []int{1, 8, 64} {
		calls := int64(1000) // per round and implementation, in b.turns turns
		if g == 1 {
			calls = 400
		}
		per := max(1, calls/int64(b.turns))
		for _, im := range impls { // warm up: the pools fill
			if _, err := run(im, g, 2*int64(g), srv); err != nil {
				return fmt.Errorf("g=%d/impl=%s: %w", g, im.name, err)
			}
		}
		err := b.inRounds(fmt.Sprintf("PairedThroughput/g=%d", g), impls,
			func(i int) (sample, error) { return run(impls[i], g, per, srv) },
			func(s sample) string {
				return fmt.Sprintf("\t%.0f calls/s\t%.1f newconns/kcall", float64(s.calls)/(float64(s.ns)/1e9), 1000*float64(s.conns)/float64(s.calls))
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// coldStart is PairedColdStart: every sample is a new process (this
// program with -child), the client's and the baseline's in turns.
func (b *bench) coldStart() error {
	srv := perf.NewServer(perf.LargeAnswer, nil)
	defer srv.Close()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	impls := []string{"facade", "raw"}
	for r := 0; r < b.rounds; r++ {
		got := make([]perf.ColdStart, len(impls))
		for k := range impls {
			i := (k + r + b.offset) % len(impls)
			out, err := exec.Command(self, "-child", impls[i], "-url", srv.URL).Output()
			if err != nil {
				return fmt.Errorf("child %s: %w", impls[i], err)
			}
			if err := json.Unmarshal(out, &got[i]); err != nil {
				return fmt.Errorf("child %s: %w: %s", impls[i], err, out)
			}
		}
		for i, name := range impls {
			g := got[i]
			fmt.Printf("BenchmarkPairedColdStart/impl=%s-%d\t1\t%d ns/op\t%d ns/new\t%d B/new\t%d B/first\n",
				name, runtime.GOMAXPROCS(0), g.TotalNs, g.NewNs, g.NewBytes, g.TotalBytes)
		}
	}
	return nil
}

// coldChild measures one cold start in this process and prints it.
func coldChild(which, url string) error {
	cases, err := perf.Cases()
	if err != nil {
		return err
	}
	var cs perf.ColdStart
	switch which {
	case "facade":
		cs, err = perf.ColdClient(url, cases[0])
	case "raw":
		cs, err = perf.ColdRaw(url, cases[0])
	default:
		return fmt.Errorf("-child %q: want facade or raw", which)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(cs)
}
