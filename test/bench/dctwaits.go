package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
)

// The DCT wait benchmark: the same DCT jobs (dSource snapshots, DB_SYNC) watched at once by
// dxsteps (dct Jobs.Wait) and by peer-style pollers reading GET /jobs/{id} every 10 s (the
// Terraform provider) and 20 s (the Delphix Jenkins plugin 3.x). DCT has no notification:
// every waiter polls, so every waiter's clock is scaled by the same k and every detection is
// given in engine time (measured x k, which scales the request's own latency too). Jobs that
// report progress: the local engine's percent_complete rises with the share of the job's work
// done. Quiet jobs: the same jobs, with percent_complete and the task log hidden from the
// waiters by their transport until the job ends, so they tell nothing.
const (
	dctSyncSecs   = 3.0                        // state.SyncDuration at speed 1
	dctBusyReal   = 0.5                        // seconds a sync takes in the benchmark
	dctQuietReal  = 2.5                        // seconds a quiet sync takes
	dctBusySpeed  = dctBusyReal / dctSyncSecs  // engine --speed for the busy jobs
	dctQuietSpeed = dctQuietReal / dctSyncSecs //
	kDCTBusy      = jobSeconds / dctBusyReal   // engine seconds per real second
	kDCTQuiet     = quietSecs / dctQuietReal   //
	dctMin        = time.Second                // dxsteps' default DCT wait intervals
	dctMax        = 10 * time.Second           //
	dctMaxQuieter = 20 * time.Second           // the Jenkins plugin's interval, as the maximum: under 4 reads a quiet minute
	dctAdmin      = "delphix_admin"            //
	dctDSource    = "Patients Prod"            //
	dctKeyAccount = 1                          //
)

// dctWaiter is one way of waiting for a DCT job.
type dctWaiter struct {
	name  string
	every float64       // a poller's interval in seconds; 0 for dxsteps
	max   time.Duration // dxsteps' maximum interval
}

var dctWaiters = []dctWaiter{
	{name: "dxsteps (percent-paced, 10 s maximum)", max: dctMax},
	{name: "dxsteps with a 20 s maximum", max: dctMaxQuieter},
	{name: "poller every 10 s (Terraform provider)", every: 10},
	{name: "poller every 20 s (Jenkins plugin 3.x)", every: 20},
}

func benchDCTWaits(cfg config) error {
	busy, err := watchDCT(cfg.jobs, dctBusySpeed, kDCTBusy, false)
	if err != nil {
		return err
	}
	quiet, err := watchDCT(cfg.quiet, dctQuietSpeed, kDCTQuiet, true)
	if err != nil {
		return err
	}
	fmt.Printf("Waiting for a DCT job: %d dSource syncs standing for 60 s jobs whose percent_complete rises, %d standing for 10-minute jobs that tell nothing until they end, each watched by all at once; engine time\n\n", cfg.jobs, cfg.quiet)
	rows := [][]string{{"waiter", "detection median", "detection p99", "requests per 60 s job", "requests per quiet minute", "quiet detection median"}}
	for i, w := range dctWaiters {
		rows = append(rows, []string{w.name, ms(median(busy[i].detect)), ms(quantile(busy[i].detect, 0.99)),
			fmt.Sprintf("%.1f", median(busy[i].requests)), fmt.Sprintf("%.2f", median(quiet[i].requests)/(quietSecs/60)),
			ms(median(quiet[i].detect))})
	}
	table(rows)
	return nil
}

// watchDCT starts n dSource syncs one after another on an engine at speed and has every
// waiter wait for each, k engine seconds to the real second.
func watchDCT(n int, speed, k float64, quiet bool) ([]waitResult, error) {
	e, err := startEngine("--speed", fmt.Sprint(speed))
	if err != nil {
		return nil, err
	}
	defer e.stop()
	ctx := context.Background()
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) / k) }
	admin, _, err := e.dctClient(false)
	if err != nil {
		return nil, err
	}
	src, err := admin.DSources.FindByName(ctx, dctDSource)
	if err != nil {
		return nil, err
	}
	clients := make([]*dct.Client, len(dctWaiters))
	counters := make([]*counter, len(dctWaiters))
	for i, w := range dctWaiters {
		mx := w.max
		if mx == 0 {
			mx = dctMax
		}
		if clients[i], counters[i], err = e.dctClient(quiet, dct.WithWaitIntervals(scale(dctMin), scale(mx))); err != nil {
			return nil, err
		}
	}
	res := make([]waitResult, len(dctWaiters))
	for range n {
		j, err := admin.DSources.Snapshot(ctx, src.ID, dct.DSourceSnapshotParameters{})
		if err != nil {
			return nil, err
		}
		seen := make([]time.Time, len(dctWaiters))
		errs := make([]error, len(dctWaiters))
		before := make([]int64, len(dctWaiters))
		var wg sync.WaitGroup
		for i, w := range dctWaiters {
			before[i] = counters[i].n.Load()
			wg.Add(1)
			go func() {
				defer wg.Done()
				if w.every == 0 {
					_, errs[i] = clients[i].Jobs.Wait(ctx, j.ID, nil)
					seen[i] = time.Now()
					return
				}
				seen[i], errs[i] = pollDCT(ctx, clients[i], j.ID, scale(time.Duration(w.every*float64(time.Second))))
			}()
		}
		wg.Wait()
		done, err := admin.Jobs.Get(ctx, j.ID)
		if err != nil {
			return nil, err
		}
		end := stamp(done.UpdateTime)
		for i := range dctWaiters {
			if errs[i] != nil {
				return nil, fmt.Errorf("%s on %s: %w", dctWaiters[i].name, j.ID, errs[i])
			}
			d := float64(seen[i].Sub(end)) / float64(time.Millisecond) * k
			if os.Getenv("BENCH_DEBUG") != "" {
				fmt.Fprintln(os.Stderr, "dct", j.ID, dctWaiters[i].name, d, counters[i].n.Load()-before[i])
			}
			res[i].detect = append(res[i].detect, d)
			res[i].requests = append(res[i].requests, float64(counters[i].n.Load()-before[i]))
		}
	}
	return res, nil
}

// pollDCT is a peer-style wait on DCT: read the job, then again every interval (at a random
// phase) until it ends.
func pollDCT(ctx context.Context, c *dct.Client, id string, every time.Duration) (time.Time, error) {
	t0 := time.Now().Add(time.Duration(rand.Int64N(int64(every))))
	for i := 0; ; i++ {
		j, err := c.Jobs.Get(ctx, id)
		if err != nil {
			return time.Time{}, err
		}
		switch j.Status {
		case dct.JobCompleted, dct.JobFailed, dct.JobTimedOut, dct.JobCanceled, dct.JobAbandoned:
			return time.Now(), nil
		}
		time.Sleep(time.Until(t0.Add(time.Duration(i) * every)))
	}
}

// dctClient is a DCT client of the engine with the admin's API key whose requests are
// counted; quiet hides every unended job's progress from it.
func (e *engineProc) dctClient(quiet bool, opts ...dct.Option) (*dct.Client, *counter, error) {
	var next http.RoundTripper = http.DefaultTransport
	if quiet {
		next = hideProgress{http.DefaultTransport}
	}
	cnt := &counter{next: next}
	c, err := dct.NewClient(e.url, append([]dct.Option{dct.WithAPIKey(engine.DCTKey(dctKeyAccount, dctAdmin)),
		dct.WithHTTPClient(&http.Client{Transport: cnt, Timeout: 2 * time.Minute})}, opts...)...)
	return c, cnt, err
}

// hideProgress makes a job that has not ended tell nothing: percent_complete 0 and no task
// log, in every GET /jobs/{id} answer.
type hideProgress struct{ next http.RoundTripper }

func (h hideProgress) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.next.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/jobs/") || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var j map[string]any
	if json.Unmarshal(body, &j) == nil {
		switch j["status"] {
		case dct.JobCompleted, dct.JobFailed, dct.JobTimedOut, dct.JobCanceled, dct.JobAbandoned:
		default:
			j["percent_complete"], j["tasks"] = 0, []any{}
			body, _ = json.Marshal(j)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}
