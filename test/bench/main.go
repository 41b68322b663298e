// Command bench measures dxsteps against the local engine and prints one table: how soon a
// wait notices a job's end and what it costs beside peer-style pollers, what each step binary
// costs, the engine's cost per lane at 6 to 600 concurrent lanes, and the whole Data Pipeline
// through the runner. `make bench` runs the quick mode; `make bench MODE=full` the full one;
// `make bench MODE=ci` runs every part once, small and fast, so CI notices a part that broke.
// It needs the binaries in bin/ (make build) and runs from the repository's root.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// binDir holds the step binaries the step benchmark runs.
var binDir string

// config is what a mode measures.
type config struct {
	jobs     int   // jobs watched by every waiter
	quiet    int   // quiet jobs watched
	stepRuns int   // runs of each step binary
	lanes    []int // lane counts
	pipeline bool
	speed    string // the engine's --speed for the pipeline
}

var modes = map[string]config{
	// ci measures nothing worth quoting: it runs every part once, in seconds, and fails when one fails.
	"ci":    {jobs: 3, quiet: 1, stepRuns: 1, lanes: []int{3}, pipeline: true, speed: "0.01"},
	"quick": {jobs: 20, quiet: 3, stepRuns: 7, lanes: []int{6, 60}, pipeline: true, speed: "0.1"},
	"full":  {jobs: 100, quiet: 5, stepRuns: 21, lanes: []int{6, 60, 600}, pipeline: true, speed: "1"},
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == measureArg {
		os.Exit(measure(os.Args[2:]))
	}
	mode := flag.String("mode", "quick", "quick, full or ci")
	flag.StringVar(&binDir, "bin", "bin", "directory of the step binaries measured")
	lanes := flag.String("lanes", "", "comma-separated lane counts instead of the mode's")
	only := flag.String("only", "", "comma-separated sections to run: waits, dct-waits, steps, lanes, pipeline (default all)")
	flag.Parse()
	cfg, ok := modes[*mode]
	if !ok {
		fmt.Fprintf(os.Stderr, "bench: unknown mode %q (quick, full or ci)\n", *mode)
		os.Exit(2)
	}
	if *lanes != "" {
		cfg.lanes = nil
		for _, f := range strings.Split(*lanes, ",") {
			var n int
			if _, err := fmt.Sscan(f, &n); err != nil || n < 1 {
				fmt.Fprintf(os.Stderr, "bench: bad -lanes %q\n", *lanes)
				os.Exit(2)
			}
			cfg.lanes = append(cfg.lanes, n)
		}
	}
	want := func(s string) bool { return *only == "" || strings.Contains(","+*only+",", ","+s+",") }
	if _, err := os.Stat(filepath.Join("bin", "dx-engine")); err != nil {
		fmt.Fprintln(os.Stderr, "bench: run from the repository root after make build")
		os.Exit(2)
	}
	start := time.Now()
	fmt.Printf("dxsteps bench, %s mode, %s\n\n", *mode, machine())
	var failed []string
	run := func(name string, f func(config) error) {
		if !want(name) {
			return
		}
		if err := f(cfg); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", name, err)
			failed = append(failed, name) // the other parts still run
		}
	}
	run("waits", benchWaits)
	run("dct-waits", benchDCTWaits)
	run("steps", benchSteps)
	run("lanes", benchLanes)
	if cfg.pipeline {
		run("pipeline", benchPipeline)
	}
	fmt.Printf("\nbench took %s\n", time.Since(start).Round(time.Second))
	if len(failed) > 0 {
		fmt.Fprintf(os.Stderr, "bench: failed: %s\n", strings.Join(failed, ", "))
		os.Exit(1)
	}
}

// machine says where the figures come from.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				model = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	return fmt.Sprintf("%d cores (%s), %s", numCPU(), model, goVersion())
}

// quantile returns the q-quantile (0..1) of xs, nearest rank.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func median(xs []float64) float64 { return quantile(xs, 0.5) }

// table prints rows with aligned columns, the first row as header.
func table(rows [][]string) {
	w := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			w[i] = max(w[i], len(c))
		}
	}
	for n, r := range rows {
		var b strings.Builder
		b.WriteString("|")
		for i, c := range r {
			fmt.Fprintf(&b, " %-*s |", w[i], c)
		}
		fmt.Println(b.String())
		if n == 0 {
			b.Reset()
			b.WriteString("|")
			for i := range r {
				b.WriteString(" " + strings.Repeat("-", w[i]) + " |")
			}
			fmt.Println(b.String())
		}
	}
	fmt.Println()
}

func ms(d float64) string {
	switch {
	case d >= 10000:
		return fmt.Sprintf("%.0f s", d/1000)
	case d >= 100:
		return fmt.Sprintf("%.0f ms", d)
	}
	return fmt.Sprintf("%.1f ms", d)
}
