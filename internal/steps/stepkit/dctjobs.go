package stepkit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// WaitIdleDCT is WaitIdle on DCT: it waits, at most max, for the jobs
// DCT shows running on target (a dSource, VDB or group id) to end. Jobs
// of other accounts that the API key cannot see are not waited for; DCT
// refuses the operation then (409), which the step reports.
func WaitIdleDCT(ctx context.Context, s *cli.Session, target, name string, max time.Duration) error {
	return waitIdleDCT(ctx, s, name, time.Now().Add(max), max, target)
}

// waitIdleDCT waits until deadline for the jobs DCT shows running on any of
// targets to end; max is the wait the user set, for the message.
func waitIdleDCT(ctx context.Context, s *cli.Session, name string, deadline time.Time, max time.Duration, targets ...string) error {
	for {
		running, err := s.DCT.Jobs.Active(ctx, targets...)
		if err != nil || len(running) == 0 {
			return err
		}
		j := running[0]
		what := strings.TrimSpace(j.LocalizedType)
		if time.Until(deadline) <= 0 {
			return fmt.Errorf("%s is still busy with job %s (%s) after waiting %v; try again later or raise the busy wait", name, j.ID, what, max)
		}
		s.Log.Printf("%s is busy with job %s (%s); waiting for it to end", name, j.ID, what)
		wctx, cancel := context.WithDeadline(ctx, deadline)
		_, _ = s.DCT.Jobs.Wait(wctx, j.ID, nil) // the other job's outcome is not ours to report; look again
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// recentJobs is how many of a target's newest jobs StartDCT compares.
const recentJobs = 100

// Look finds, once the answer to a start was lost after it may have
// reached DCT, what that start made: found false when it cannot tell
// (the start's error stands), job nil when what it made has no job left
// to follow.
type Look func(ctx context.Context) (job *dct.Job, found bool)

// StartDCT calls start, which starts one DCT job on target, and returns
// that job. When the answer to the start is lost after it may have
// reached DCT, it does not start again: it looks for the one job that
// appeared on target since just before the start and returns it with
// recovered set. Anything else (no new job, or several) returns the
// start's error, which says the operation may have started.
func StartDCT(ctx context.Context, s *cli.Session, target, what string, start func() (*dct.Job, error)) (*dct.Job, error) {
	return StartDCTLooking(ctx, s, what, NewJobOn(ctx, s, target), start)
}

// NewJobOn is the Look for a start whose job has one of targets as its
// target (a VDB group's job may name the group or its VDBs): it lists
// their jobs now, before the start, and finds the one job that is new
// among them after it.
func NewJobOn(ctx context.Context, s *cli.Session, targets ...string) Look {
	seen := map[string]bool{}
	for _, t := range targets {
		before, err := s.DCT.Jobs.Recent(ctx, t, recentJobs)
		if err != nil {
			return func(context.Context) (*dct.Job, bool) { return nil, false }
		}
		for _, j := range before {
			seen[j.ID] = true
		}
	}
	return func(ctx context.Context) (*dct.Job, bool) {
		var fresh []dct.Job
		for _, t := range targets {
			after, err := s.DCT.Jobs.Recent(ctx, t, recentJobs)
			if err != nil {
				return nil, false
			}
			for _, j := range after {
				if !seen[j.ID] {
					seen[j.ID] = true
					fresh = append(fresh, j)
				}
			}
		}
		if len(fresh) != 1 {
			return nil, false
		}
		return &fresh[0], true
	}
}

// FirstJobOn is the oldest of the jobs DCT shows on target, an object a
// start has just made (a VDB, a bookmark): the job that made it. Nil when
// DCT shows none.
func FirstJobOn(ctx context.Context, s *cli.Session, target string) (*dct.Job, error) {
	jobs, err := s.DCT.Jobs.Recent(ctx, target, recentJobs)
	if err != nil || len(jobs) == 0 {
		return nil, err
	}
	return &jobs[len(jobs)-1], nil
}

// NewVDBNamed is the Look for a start that provisions a VDB named name,
// when none had that name before: the VDB of that name (and for which
// match, if given, holds) is the one it made, and its first job the
// provision. It sets *id to the VDB's id when it finds it.
func NewVDBNamed(s *cli.Session, name string, match func(*dct.VDB) bool, id *string) Look {
	return func(ctx context.Context) (*dct.Job, bool) {
		v, err := s.DCT.VDBs.FindByName(ctx, name)
		if err != nil || (match != nil && !match(v)) {
			return nil, false
		}
		j, err := FirstJobOn(ctx, s, v.ID)
		if err != nil {
			return nil, false
		}
		*id = v.ID
		return j, true
	}
}

// StartDCTLooking calls start, which starts one DCT job, and returns that
// job. When the answer to the start is lost after it may have reached
// DCT, it does not start again: it asks look for what the start made and
// returns its job (nil when it has none left to follow), and marks the
// session recovered (Session.Recovered). When look cannot tell, the
// start's error stands; it says the operation may have started.
func StartDCTLooking(ctx context.Context, s *cli.Session, what string, look Look, start func() (*dct.Job, error)) (*dct.Job, error) {
	job, err := start()
	var down *dct.UnreachableError
	if err == nil || !errors.As(err, &down) || !down.MayHaveStarted {
		return job, err
	}
	found, ok := look(ctx)
	if !ok {
		return nil, err
	}
	s.SetRecovered()
	if found == nil {
		s.Log.Printf("%s: DCT's answer to the start was lost; found what it made, with no job left to follow; not starting it again", what)
		return nil, nil
	}
	s.Log.Printf("%s: DCT's answer to the start was lost; found the job it started (%s) and following it, not starting it again", what, found.ID)
	return found, nil
}
