package platform

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// abandonedLook is how many of a target's newest jobs AbandonedJob reads.
const abandonedLook = 10

// AbandonedJob is the newest job on any of targets that DCT shows
// ABANDONED, when it is newer than every job that ended otherwise: DCT no
// longer follows it, but the engine work behind it may go on (DCT 3.18
// cannot cancel a job; an aborted step abandons it). Nil when there is none
// or DCT cannot be asked.
func AbandonedJob(ctx context.Context, s *cli.Session, targets ...string) *dct.Job {
	var newest *dct.Job
	for _, t := range targets {
		jobs, err := s.DCT.Jobs.Recent(ctx, t, abandonedLook)
		if err != nil || len(jobs) == 0 || jobs[0].Status != dct.JobAbandoned {
			continue
		}
		if newest == nil || jobs[0].StartTime > newest.StartTime {
			newest = &jobs[0]
		}
	}
	return newest
}

// StartAfterAbandonedDCT calls start, which starts a job on one of targets,
// named name in the log. When DCT refuses it as busy (409, or 400 on some
// installations) and the newest job on the targets is ABANDONED, the engine
// is still doing that job's work, which DCT no longer shows running: it
// waits for it as for any running job, until max after it was first
// refused, trying again with backoff and naming the job it waits for. A job
// DCT shows running is waited for as WaitIdleDCT does. The refused start
// changed nothing, so trying it again is safe.
func StartAfterAbandonedDCT(ctx context.Context, s *cli.Session, name string, max time.Duration, targets []string,
	start func() (*dct.Job, error)) (*dct.Job, error) {
	deadline := time.Now().Add(max)
	for pause := time.Second; ; pause = min(2*pause, 10*time.Second) {
		job, err := start()
		var api *dct.APIError
		if err == nil || !errors.As(err, &api) || (api.HTTPStatus != http.StatusConflict && api.HTTPStatus != http.StatusBadRequest) ||
			strings.Contains(strings.ToLower(api.Message), "lock") { // a lock is not engine work: waiting does not end it
			return job, err
		}
		if running, rerr := s.DCT.Jobs.Active(ctx, targets...); rerr == nil && len(running) > 0 {
			if werr := WaitIdleDCT(ctx, s, name, deadline, max, targets...); werr != nil {
				return nil, werr
			}
			continue
		}
		j := AbandonedJob(ctx, s, targets...)
		if j == nil {
			return job, err
		}
		what := strings.TrimSpace(j.LocalizedType)
		if time.Until(deadline) <= 0 {
			return nil, fmt.Errorf("%s is still busy with the engine work of job %s (%s), which DCT abandoned, after waiting %v; "+
				"try again later or raise the busy wait: %w", name, j.ID, what, max, err)
		}
		s.Log.Printf("%s is busy with the engine work of job %s (%s), which DCT abandoned and no longer follows; "+
			"waiting for the engine to end it (trying again in %v)", name, j.ID, what, pause)
		t := time.NewTimer(min(pause, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
