// Command benchratio reads `go test -bench` output and prints, from that one
// run, each benchmark's median figures, the ratios of every implementation
// to its same-run baseline, and the performance targets met or missed.
//
//	go run ./scripts/benchratio [-strict] bench.out
//
// Benchmark names carry benchstat keys (BenchmarkPairedCall/req=largest/impl=raw):
// two results whose names differ only in impl= are compared, the k-th
// result of one with the k-th of the other. scripts/benchpair prints them
// so that the k-th results come from the same round, in which the
// implementations took turns; a ratio is the median of the per-round
// ratios, so that a slow moment of the machine weighs on both sides of
// it. Nothing here is a measured figure: every number printed comes from
// the input. Each target is one line:
//
//	target NAME: measured X (limit Y) met|missed
//
// -strict exits with status 1 when a target is missed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// measure is how a target reads its benchmark.
type measure int

const (
	value measure = iota // the median of the unit
	ratio                // impl=facade / impl=raw: the median of the per-round ratios
	extra                // impl=facade − impl=raw: the median of the per-round differences
)

// target is a limit on one figure of one benchmark, from the project's
// issues 6 (encoding, validation) and 12 (start, connections, calls).
type target struct {
	name    string
	bench   string // name without the Benchmark prefix and -N suffix; without impl= for ratio and extra
	unit    string
	measure measure
	max     float64
}

var targets = []target{
	// The encoder the client uses: generated for the model (internal/rules).
	{"encode-largest-time", "Encode/req=largest/impl=generated", "ns/op", value, 3000},
	{"encode-largest-allocs", "Encode/req=largest/impl=generated", "allocs/op", value, 20},
	{"validate-largest-time", "Check/req=largest", "ns/op", value, 5000},
	{"cold-start-time", "PairedColdStart", "ns/op", ratio, 2},
	{"cold-start-heap", "PairedColdStart/impl=facade", "B/new", value, 50 << 10},
	{"reuse-64-goroutines", "PairedThroughput/g=64/impl=facade", "newconns/kcall", value, 5},
	{"call-largest", "PairedCall/req=largest", "ns/op", ratio, 1.08},
	{"call-minimal", "PairedCall/req=minimal", "ns/op", ratio, 1.08},
	{"client-largest-time", "PairedClient/req=largest", "ns/op", extra, 3000},
	{"client-largest-allocs", "PairedClient/req=largest", "allocs/op", extra, 10},
	{"client-minimal-time", "PairedClient/req=minimal", "ns/op", extra, 3000},
	{"client-minimal-allocs", "PairedClient/req=minimal", "allocs/op", extra, 10},
}

// result is every sample of one benchmark, by unit, in input order.
type result struct {
	name    string
	samples map[string][]float64
}

func main() {
	strict := flag.Bool("strict", false, "exit with status 1 when a target is missed")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: benchratio [-strict] [bench.out]  (stdin without a file)")
		flag.PrintDefaults()
	}
	flag.Parse()
	in := io.Reader(os.Stdin)
	switch flag.NArg() {
	case 0:
	case 1:
		f, err := os.Open(flag.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchratio:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	default:
		flag.Usage()
		os.Exit(2)
	}
	results, err := parse(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(2)
	}
	if len(results) == 0 {
		fmt.Fprintln(os.Stderr, "benchratio: no benchmark results in the input")
		os.Exit(2)
	}
	missed := report(os.Stdout, results)
	if *strict && missed > 0 {
		os.Exit(1)
	}
}

// A result line: name, iterations, then value-unit pairs.
var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) ([]*result, error) {
	byName := map[string]*result{}
	var order []*result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		res := byName[m[1]]
		if res == nil {
			res = &result{name: m[1], samples: map[string][]float64{}}
			byName[m[1]] = res
			order = append(order, res)
		}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: value %q: %v", m[1], f[i], err)
			}
			res.samples[f[i+1]] = append(res.samples[f[i+1]], v)
		}
	}
	return order, sc.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// pairRatio is the median of the per-round ratios a[i]/b[i], with their
// range; the ratio of the medians when the rounds do not pair up.
func pairRatio(a, b []float64) (med, lo, hi float64) {
	if len(a) == 0 || len(a) != len(b) {
		m := median(a) / median(b)
		return m, m, m
	}
	rs := make([]float64, len(a))
	for i := range a {
		rs[i] = a[i] / b[i]
	}
	return median(rs), slices.Min(rs), slices.Max(rs)
}

// spread is the half-range of xs around its median, in percent.
func spread(xs []float64) float64 {
	m := median(xs)
	if len(xs) < 2 || m == 0 {
		return 0
	}
	return 100 * (slices.Max(xs) - slices.Min(xs)) / 2 / m
}

// group splits name/impl=x/more into the name without the impl part and x.
func group(name string) (base, impl string) {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		if v, ok := strings.CutPrefix(p, "impl="); ok {
			return strings.Join(slices.Delete(slices.Clone(parts), i, i+1), "/"), v
		}
	}
	return name, ""
}

func report(w io.Writer, results []*result) (missed int) {
	byName := map[string]*result{}
	fmt.Fprintf(w, "\n== medians (n = rounds; ± = half the range, in %% of the median)\n")
	fmt.Fprintf(w, "%-44s %3s %14s %12s %10s\n", "benchmark", "n", "time/op", "B/op", "allocs/op")
	for _, r := range results {
		byName[r.name] = r
		ns := r.samples["ns/op"]
		fmt.Fprintf(w, "%-44s %3d %14s %12s %10s\n", r.name, len(ns),
			fmt.Sprintf("%s ±%.0f%%", dur(median(ns)), spread(ns)),
			num(median(r.samples["B/op"])), num(median(r.samples["allocs/op"])))
		for _, unit := range slices.Sorted(maps.Keys(r.samples)) {
			if xs := r.samples[unit]; !slices.Contains([]string{"ns/op", "B/op", "allocs/op"}, unit) {
				fmt.Fprintf(w, "%-44s %3d %14s %s\n", "", len(xs), num(median(xs)), unit)
			}
		}
	}

	// Every implementation against the baseline of its group.
	type grp struct {
		base  string
		impls map[string]*result
		order []string
	}
	var groups []*grp
	byBase := map[string]*grp{}
	for _, r := range results {
		base, impl := group(r.name)
		if impl == "" {
			continue
		}
		g := byBase[base]
		if g == nil {
			g = &grp{base: base, impls: map[string]*result{}}
			byBase[base] = g
			groups = append(groups, g)
		}
		g.impls[impl] = r
		g.order = append(g.order, impl)
	}
	printed := false
	for _, g := range groups {
		// The baseline of a group: net/http by hand, else the generated
		// client's own path.
		var baseline string
		for _, b := range []string{"raw", "genform", "marshalform"} {
			if g.impls[b] != nil {
				baseline = b
				break
			}
		}
		if baseline == "" {
			continue
		}
		if !printed {
			fmt.Fprintf(w, "\n== same-run ratios (median of per-round ratios, [min, max] over rounds)\n")
			printed = true
		}
		b := g.impls[baseline]
		for _, impl := range g.order {
			if impl == baseline {
				continue
			}
			a := g.impls[impl]
			t, tlo, thi := pairRatio(a.samples["ns/op"], b.samples["ns/op"])
			al, _, _ := pairRatio(a.samples["allocs/op"], b.samples["allocs/op"])
			by, _, _ := pairRatio(a.samples["B/op"], b.samples["B/op"])
			more := pairDiff(a.samples["ns/op"], b.samples["ns/op"])
			cpu := ""
			if ca, cb := a.samples["cpu-ns/op"], b.samples["cpu-ns/op"]; len(ca) > 0 && len(cb) > 0 {
				c, _, _ := pairRatio(ca, cb)
				cpu = fmt.Sprintf("  cpu %.3f", c)
			}
			mem := ""
			if len(a.samples["allocs/op"]) > 0 && len(b.samples["allocs/op"]) > 0 {
				mem = fmt.Sprintf("  allocs %.2f (%+.1f)  bytes %.2f", al, pairDiff(a.samples["allocs/op"], b.samples["allocs/op"]), by)
			}
			fmt.Fprintf(w, "%-26s %-10s / %-4s time %.3f [%.3f, %.3f] (%s/op)%s%s\n",
				g.base, impl, baseline, t, tlo, thi, signed(dur(more), more), cpu, mem)
		}
	}

	fmt.Fprintf(w, "\n== targets (same-run figures: see docs/PERFORMANCE.md)\n")
	for _, t := range targets {
		got, ok := t.read(byName)
		if !ok {
			fmt.Fprintf(w, "target %s: not measured (no %s results in the input)\n", t.name, t.bench)
			continue
		}
		status := "met"
		if got > t.max {
			status = "missed"
			missed++
		}
		fmt.Fprintf(w, "target %s: measured %s (limit %s) %s\n", t.name, t.show(got), t.show(t.max), status)
	}
	return missed
}

// read returns the target's figure from the results.
func (t target) read(byName map[string]*result) (float64, bool) {
	if t.measure == value {
		r := byName[t.bench]
		if r == nil || len(r.samples[t.unit]) == 0 {
			return 0, false
		}
		return median(r.samples[t.unit]), true
	}
	a, b := byName[t.bench+"/impl=facade"], byName[t.bench+"/impl=raw"]
	if a == nil || b == nil || len(a.samples[t.unit]) == 0 || len(b.samples[t.unit]) == 0 {
		return 0, false
	}
	if t.measure == ratio {
		m, _, _ := pairRatio(a.samples[t.unit], b.samples[t.unit])
		return m, true
	}
	return pairDiff(a.samples[t.unit], b.samples[t.unit]), true
}

// show prints a figure of the target's kind.
func (t target) show(v float64) string {
	switch {
	case t.measure == ratio:
		return fmt.Sprintf("%.3fx", v)
	case t.measure == extra && t.unit == "ns/op":
		return signed(dur(v), v)
	case t.measure == extra:
		return fmt.Sprintf("%+.1f %s", v, strings.TrimSuffix(t.unit, "/op"))
	case t.unit == "B/new":
		return fmt.Sprintf("%.1f KiB", v/1024)
	case t.unit == "newconns/kcall":
		return fmt.Sprintf("%.1f per 1,000 calls", v)
	}
	return show(v, t.unit)
}

// pairDiff is the median of the per-round differences a[i]-b[i]; the
// difference of the medians when the rounds do not pair up.
func pairDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return median(a) - median(b)
	}
	ds := make([]float64, len(a))
	for i := range a {
		ds[i] = a[i] - b[i]
	}
	return median(ds)
}

func show(v float64, unit string) string {
	switch unit {
	case "ns/op":
		return dur(v)
	case "x":
		return fmt.Sprintf("%.3fx", v)
	}
	return num(v) + " " + strings.TrimSuffix(unit, "/op")
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func signed(s string, v float64) string {
	if v >= 0 {
		return "+" + s
	}
	return s
}

// dur prints nanoseconds in the unit that suits them.
func dur(ns float64) string {
	a := math.Abs(ns)
	switch {
	case math.IsNaN(ns):
		return "-"
	case a >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case a >= 1e3:
		return fmt.Sprintf("%.2fµs", ns/1e3)
	}
	return fmt.Sprintf("%.0fns", ns)
}
