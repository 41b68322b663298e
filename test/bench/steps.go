package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/test/engine"
)

// The step benchmark: each binary run one after another on an engine whose jobs take a few
// milliseconds, so what is measured is the step itself: start to exit, its CPU and peak memory,
// the requests it made, and how long after the engine marked its job done it exited.

// stepCase is one binary's call; i makes names unique across runs.
type stepCase struct {
	bin  string
	args func(i int) []string
}

var stepCases = []stepCase{
	{"dx-sync", func(int) []string { return []string{"--database", "Patients Prod"} }},
	{"dx-refresh", func(int) []string { return []string{"--vdb", "Patients Masked Master"} }},
	{"dx-datapod", func(int) []string { return []string{"refresh", "--container", "prep1"} }},
	{"dx-bookmark", func(i int) []string {
		return []string{"create", "--container", "prep2", "--name", fmt.Sprintf("bench-%d", i)}
	}},
	{"dx-branch", func(i int) []string {
		return []string{"create", "--container", "prep2", "--name", fmt.Sprintf("bench-%d", i), "--from-bookmark", fmt.Sprintf("bench-%d", i)}
	}},
	{"dx-subset", func(int) []string { return []string{"--container", "prep4", "--percent", "10", "--exec", "true"} }},
	{"dx-credentials", func(int) []string { return []string{"--vdb", "prep5 DB", "--policy", policyFile, "--exec", "true"} }},
}

var policyFile string

// stepRun is one run's figures.
type stepRun struct {
	wall, cpu, exitAfterDone float64 // ms
	rss                      float64 // MiB
	requests                 int
}

func benchSteps(cfg config) error {
	dir, err := os.MkdirTemp("", "dxsteps-bench-steps")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	policyFile = filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(policyFile, []byte("accounts:\n  - {name: report_ro, action: lock}\n"), 0o600); err != nil {
		return err
	}
	fmt.Printf("Step cost: each binary run %d times against an engine whose jobs take milliseconds (--speed 0.001) on the engine API (at 1.11.9), %d times on its DCT API; medians\n\n",
		cfg.stepRuns, max(min(3, cfg.stepRuns), cfg.stepRuns/2))
	byVersion := map[string]map[string][]stepRun{}
	for _, v := range []string{"1.11.9", "1.11.11", "dct"} {
		runs := cfg.stepRuns
		switch v {
		case "1.11.11":
			runs = max(min(3, runs), runs/3) // for the request count
		case "dct":
			runs = max(min(3, runs), runs/2)
		}
		res, err := runSteps(v, runs)
		if err != nil {
			return err
		}
		byVersion[v] = res
	}
	rows := [][]string{{"binary", "size", "start to exit (engine / DCT)", "exit after job done (engine / DCT)", "CPU (engine / DCT)", "peak RSS", "requests (1.11.9 / 1.11.11 engine / DCT)"}}
	for _, sc := range stepCases {
		pick := func(v string, f func(stepRun) float64) float64 {
			rs := byVersion[v][sc.bin]
			xs := make([]float64, len(rs))
			for i, r := range rs {
				xs[i] = f(r)
			}
			return median(xs)
		}
		both := func(f func(stepRun) float64) string {
			return ms(pick("1.11.9", f)) + " / " + ms(pick("dct", f))
		}
		size := "?"
		if st, err := os.Stat(filepath.Join(binDir, sc.bin)); err == nil {
			size = fmt.Sprintf("%.1f MiB", float64(st.Size())/(1<<20))
		}
		after := "no job"
		if x := pick("1.11.9", func(r stepRun) float64 { return r.exitAfterDone }); x > 0 {
			after = both(func(r stepRun) float64 { return r.exitAfterDone })
		}
		rows = append(rows, []string{sc.bin, size, both(func(r stepRun) float64 { return r.wall }), after,
			both(func(r stepRun) float64 { return r.cpu }), fmt.Sprintf("%.1f MiB", pick("1.11.9", func(r stepRun) float64 { return r.rss })),
			fmt.Sprintf("%.0f / %.0f / %.0f", pick("1.11.9", func(r stepRun) float64 { return float64(r.requests) }),
				medianRequests(byVersion["1.11.11"][sc.bin]), medianRequests(byVersion["dct"][sc.bin]))})
	}
	table(rows)
	return nil
}

// runSteps runs every step case runs times on a fresh engine that speaks API version v, or,
// when v is "dct", on the engine's DCT API.
func runSteps(v string, runs int) (map[string][]stepRun, error) {
	args := []string{"--speed", "0.001"}
	env := []string{"DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"}
	if v == "dct" {
		env = []string{"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(dctKeyAccount, dctAdmin)}
	} else {
		args = append(args, "--api-version", v)
	}
	e, err := startEngine(args...)
	if err != nil {
		return nil, err
	}
	defer e.stop()
	ctx := context.Background()
	admin, _, err := e.client(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]stepRun{}
	for i := range runs {
		for _, sc := range stepCases {
			r, err := runStep(ctx, e, admin, sc.bin, sc.args(i), env, false)
			if err != nil {
				return nil, err
			}
			if v != "1.11.9" {
				out[sc.bin] = append(out[sc.bin], r) // its peak memory is measured on the engine API
				continue
			}
			p, err := runStep(ctx, e, admin, sc.bin, sc.args(runs+i), env, true)
			if err != nil {
				return nil, err
			}
			r.rss = p.rss
			if os.Getenv("BENCH_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "%s %v %+v\n", sc.bin, v, r)
			}
			out[sc.bin] = append(out[sc.bin], r)
		}
	}
	return out, nil
}

// runStep runs one step process and measures it.
// With peak, it runs the step under a measuring parent and only its peak RSS counts.
func runStep(ctx context.Context, e *engineProc, admin *delphix.Client, bin string, args, env []string, peak bool) (stepRun, error) {
	if err := e.testAPI("DELETE", "/requests", "", nil); err != nil {
		return stepRun{}, err
	}
	cmd := exec.Command(filepath.Join(binDir, bin), args...)
	if peak {
		self, err := os.Executable()
		if err != nil {
			return stepRun{}, err
		}
		cmd = exec.Command(self, append([]string{measureArg, filepath.Join(binDir, bin)}, args...)...)
	}
	cmd.Env = append(append(os.Environ(), "DELPHIX_ENGINE="+e.url), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	outb, err := cmd.Output()
	exit := time.Now()
	if err != nil {
		return stepRun{}, fmt.Errorf("%s %v: %v: %s%s", bin, args, err, outb, stderr.String())
	}
	r := stepRun{wall: msOf(exit.Sub(start)), cpu: msOf(cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()),
		requests: e.requests()}
	if m := peakLine.FindStringSubmatch(stderr.String()); m != nil {
		kib, _ := strconv.Atoi(m[1])
		r.rss = float64(kib) / 1024
	}
	// The step names each job it starts on stderr; the last one ends last.
	if m := jobRef.FindAllString(stderr.String(), -1); len(m) > 0 {
		j, err := admin.Jobs.Get(ctx, m[len(m)-1])
		if err != nil {
			return stepRun{}, err
		}
		r.exitAfterDone = msOf(exit.Sub(stamp(j.UpdateTime)))
	}
	return r, nil
}

var jobRef = regexp.MustCompile(`JOB-[0-9]+`)

func medianRequests(rs []stepRun) float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = float64(r.requests)
	}
	return median(xs)
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// A child's peak memory as rusage reports it is at least its parent's when it was started
// (Go starts children sharing the parent's memory until exec), so the harness, bigger than a
// step, would hide the step's own. measureArg makes the bench re-run itself, a small fresh
// process, to start the step and print its peak RSS in KiB.
const measureArg = "-measure-peak-rss"

// measure runs the step and returns the exit code main should end with.
func measure(args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "\npeak-rss-kib %d\n", cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	if err != nil {
		return 1
	}
	return 0
}

var peakLine = regexp.MustCompile(`\npeak-rss-kib ([0-9]+)\n`)
