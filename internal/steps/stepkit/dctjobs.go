package stepkit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// WaitIdleDCT is WaitIdle on DCT: it waits, at most max, for the jobs
// DCT shows running on target (a dSource, VDB or group id) to end. Jobs
// of other accounts that the API key cannot see are not waited for; DCT
// refuses the operation then (409), which the step reports.
func WaitIdleDCT(ctx context.Context, s *cli.Session, target, name string, max time.Duration) error {
	deadline := time.Now().Add(max)
	for {
		running, err := s.DCT.Jobs.Active(ctx, target)
		if err != nil || len(running) == 0 {
			return err
		}
		j := running[0]
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("%s is still busy with job %s (%s) after waiting %v; try again later or raise the busy wait", name, j.ID, j.LocalizedType, max)
		}
		s.Log.Printf("%s is busy with job %s (%s); waiting for it to end", name, j.ID, j.LocalizedType)
		wctx, cancel := context.WithTimeout(ctx, left)
		_, err = s.DCT.Jobs.Wait(wctx, j.ID, nil)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = err // the other job's outcome is not ours to report; look again
	}
}

// recentJobs is how many of a target's newest jobs StartDCT compares.
const recentJobs = 100

// StartDCT calls start, which starts one DCT job on target, and returns
// that job. When the answer to the start is lost after it may have
// reached DCT, it does not start again: it looks for the one job that
// appeared on target since just before the start and returns it with
// recovered set. Anything else (no new job, or several) returns the
// start's error, which says the operation may have started.
func StartDCT(ctx context.Context, s *cli.Session, target, what string, start func() (*dct.Job, error)) (job *dct.Job, recovered bool, err error) {
	before, listErr := s.DCT.Jobs.Recent(ctx, target, recentJobs)
	job, err = start()
	var down *dct.UnreachableError
	if err == nil || listErr != nil || !errors.As(err, &down) || !down.MayHaveStarted {
		return job, false, err
	}
	seen := map[string]bool{}
	for _, j := range before {
		seen[j.ID] = true
	}
	after, listErr := s.DCT.Jobs.Recent(ctx, target, recentJobs)
	if listErr != nil {
		return nil, false, err
	}
	var fresh []dct.Job
	for _, j := range after {
		if !seen[j.ID] {
			fresh = append(fresh, j)
		}
	}
	if len(fresh) != 1 {
		return nil, false, err
	}
	s.Log.Printf("%s: DCT's answer to the start was lost; found the job it started (%s) and following it, not starting it again", what, fresh[0].ID)
	return &fresh[0], true, nil
}
