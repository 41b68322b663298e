package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
)

// The wait benchmark: the same jobs watched at once by dxsteps (Jobs.Wait) and by peer-style
// pollers (GET /job/{ref} every N seconds). Jobs run fast on the engine (--speed) and every
// waiter's clock is scaled the same way, so a data pod refresh stands for a 60 s job and a
// bookmark for a 10-minute job that logs nothing until it ends. Pollers' detection scales
// with their interval and is given in engine time; dxsteps' is the latency of one long poll's
// wake-up and one read, which does not scale, and is given as measured.
const (
	waitSpeed   = 0.25           // engine speed for the 60 s jobs: a data pod refresh takes 0.5 s
	quietSpeed  = 2.5            // engine speed for the quiet jobs: a bookmark takes 2.5 s
	refreshReal = 2 * waitSpeed  // seconds a refresh takes (JSDuration 2 s)
	quietReal   = 1 * quietSpeed // seconds a bookmark takes (QuickDuration 1 s)
	jobSeconds  = 60.0           // what a refresh stands for, in engine time
	quietSecs   = 600.0          // what a bookmark stands for
	kRefresh    = jobSeconds / refreshReal
	kQuiet      = quietSecs / quietReal
	defaultMin  = time.Second      // dxsteps' default wait intervals, scaled like the jobs
	defaultMax  = 10 * time.Second //
	defaultLP   = 50 * time.Second //
)

var pollers = []float64{1, 4, 10, 20}

// waitResult is one waiter's figures over all jobs.
type waitResult struct {
	detect   []float64 // ms after the engine marked the job done (engine time for pollers)
	requests []float64 // per job
}

func benchWaits(cfg config) error {
	e, err := startEngine("--speed", fmt.Sprint(waitSpeed))
	if err != nil {
		return err
	}
	defer e.stop()
	ctx := context.Background()
	busy, err := watch(ctx, e, cfg.jobs, kRefresh, func(admin *delphix.Client, i int) (string, error) {
		pod, err := admin.Containers.FindByName(ctx, "", fmt.Sprintf("prep%d", i%6+1))
		if err != nil {
			return "", err
		}
		op, err := admin.Containers.Refresh(ctx, pod.Reference)
		return op.Job, err
	})
	if err != nil {
		return err
	}
	eq, err := startEngine("--speed", fmt.Sprint(quietSpeed))
	if err != nil {
		return err
	}
	defer eq.stop()
	quiet, err := watch(ctx, eq, cfg.quiet, kQuiet, func(admin *delphix.Client, i int) (string, error) {
		pod, err := admin.Containers.FindByName(ctx, "", fmt.Sprintf("prep%d", i%6+1))
		if err != nil {
			return "", err
		}
		op, err := admin.Bookmarks.Create(ctx, delphix.BookmarkCreate{Name: fmt.Sprintf("bench-quiet-%d", i), Layout: pod.Reference, Branch: pod.ActiveBranch})
		return op.Job, err
	})
	if err != nil {
		return err
	}
	fmt.Printf("Waiting for a job: %d data pod refreshes standing for 60 s jobs (3 events), %d bookmarks standing for 10-minute jobs that log nothing until they end, each watched by all at once\n\n", cfg.jobs, cfg.quiet)
	rows := [][]string{{"waiter", "detection median", "detection p99", "requests per 60 s job", "requests per quiet minute"}}
	for i, name := range append([]string{"dxsteps (notification long poll)"}, pollerNames()...) {
		unit := ""
		if i == 0 {
			unit = " (measured)"
		}
		rows = append(rows, []string{name, ms(median(busy[i].detect)) + unit, ms(quantile(busy[i].detect, 0.99)) + unit,
			fmt.Sprintf("%.1f", median(busy[i].requests)), fmt.Sprintf("%.2f", median(quiet[i].requests)/(quietSecs/60))})
	}
	table(rows)
	return nil
}

func pollerNames() []string {
	var out []string
	for _, p := range pollers {
		out = append(out, fmt.Sprintf("poller every %g s", p))
	}
	return out
}

// watch starts n jobs one after another and has dxsteps and each poller wait for every one,
// k engine seconds to the real second.
func watch(ctx context.Context, e *engineProc, n int, k float64, start func(*delphix.Client, int) (string, error)) ([]waitResult, error) {
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) / k) }
	admin, _, err := e.client(ctx)
	if err != nil {
		return nil, err
	}
	waiters := make([]*delphix.Client, 1+len(pollers))
	counters := make([]*counter, len(waiters))
	for i := range waiters {
		if waiters[i], counters[i], err = e.client(ctx, delphix.WithWaitIntervals(scale(defaultMin), scale(defaultMax), scale(defaultLP))); err != nil {
			return nil, err
		}
	}
	res := make([]waitResult, len(waiters))
	for j := range n {
		ref, err := start(admin, j)
		if err != nil {
			return nil, err
		}
		seen := make([]time.Time, len(waiters))
		errs := make([]error, len(waiters))
		before := make([]int64, len(waiters))
		var wg sync.WaitGroup
		for i, c := range waiters {
			before[i] = counters[i].n.Load()
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == 0 {
					_, errs[i] = c.Jobs.Wait(ctx, ref, nil)
					seen[i] = time.Now()
					return
				}
				seen[i], errs[i] = poll(ctx, c, ref, scale(time.Duration(pollers[i-1]*float64(time.Second))))
			}()
		}
		wg.Wait()
		job, err := admin.Jobs.Get(ctx, ref)
		if err != nil {
			return nil, err
		}
		done := stamp(job.UpdateTime)
		for i := range waiters {
			if errs[i] != nil {
				return nil, fmt.Errorf("waiter %d on %s: %w", i, ref, errs[i])
			}
			d := float64(seen[i].Sub(done)) / float64(time.Millisecond)
			if i > 0 {
				d *= k
			}
			if os.Getenv("BENCH_DEBUG") != "" && i == 0 {
				fmt.Fprintln(os.Stderr, ref, job.StartTime, job.UpdateTime, d, seen[i].Format("15:04:05.000"))
			}
			res[i].detect = append(res[i].detect, d)
			res[i].requests = append(res[i].requests, float64(counters[i].n.Load()-before[i]))
		}
	}
	return res, nil
}

// poll is a peer-style wait: read the job, then again every interval until it ends. The
// reads after the first start at a random phase: a poller's clock owes nothing to the job's.
func poll(ctx context.Context, c *delphix.Client, ref string, every time.Duration) (time.Time, error) {
	t0 := time.Now().Add(time.Duration(rand.Int64N(int64(every))))
	for i := 0; ; i++ {
		j, err := c.Jobs.Get(ctx, ref)
		if err != nil {
			return time.Time{}, err
		}
		switch j.JobState {
		case delphix.JobCompleted, delphix.JobFailed, delphix.JobCanceled:
			return time.Now(), nil
		}
		time.Sleep(time.Until(t0.Add(time.Duration(i) * every)))
	}
}
