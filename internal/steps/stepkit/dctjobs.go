package stepkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// Look finds what a start whose answer was lost made: the job to follow
// (nil when what it made has no job left to follow) with found true;
// found false when DCT shows nothing made (yet); an error when it cannot
// tell: a *dct.UnreachableError can be asked again, any other never will.
type Look func(ctx context.Context) (job *dct.Job, found bool, err error)

// StartDCT calls start, which starts one DCT job on target, and returns
// that job, recovered as StartDCTLooking says: after a lost answer, the
// one job that appeared on target since just before the start is its job.
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
			return func(context.Context) (*dct.Job, bool, error) {
				return nil, false, fmt.Errorf("the jobs on %s could not be listed before the start: %w", t, err)
			}
		}
		for _, j := range before {
			seen[j.ID] = true
		}
	}
	return func(ctx context.Context) (*dct.Job, bool, error) {
		var fresh []dct.Job
		for _, t := range targets {
			after, err := s.DCT.Jobs.Recent(ctx, t, recentJobs)
			if err != nil {
				return nil, false, err
			}
			for _, j := range after {
				if !seen[j.ID] && !slices.ContainsFunc(fresh, func(f dct.Job) bool { return f.ID == j.ID }) {
					fresh = append(fresh, j)
				}
			}
		}
		switch len(fresh) {
		case 0:
			return nil, false, nil
		case 1:
			return &fresh[0], true, nil
		}
		return nil, false, fmt.Errorf("DCT shows %d new jobs on %s (%s), and cannot tell which is this start's", len(fresh), strings.Join(targets, ", "), jobIDs(fresh))
	}
}

func jobIDs(jobs []dct.Job) string {
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	return strings.Join(ids, ", ")
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
	return func(ctx context.Context) (*dct.Job, bool, error) {
		v, err := s.DCT.VDBs.FindByName(ctx, name)
		switch {
		case errors.Is(err, dct.ErrNotFound):
			return nil, false, nil
		case err != nil:
			return nil, false, err
		case match != nil && !match(v):
			return nil, false, fmt.Errorf("a VDB named %q that this start did not make is there now", name)
		}
		j, err := FirstJobOn(ctx, s, v.ID)
		if err != nil {
			return nil, false, err
		}
		*id = v.ID
		return j, true, nil
	}
}

// maxDCTSends bounds how often a start is sent when each time its answer
// is lost and DCT shows that nothing started: each time DCT provably did
// not act, so each send is as safe as a read.
const maxDCTSends = 3

// emptyLooks is how many looks, with pauses between them, must all show
// nothing before a start is taken not to have reached DCT (DCT may still
// be acting on it).
const emptyLooks = 3

// lookPause is the first pause between looks; it doubles up to
// lookPauseMax.
var lookPause, lookPauseMax = time.Second, 10 * time.Second

// StartDCTLooking calls start, which starts one DCT job, and returns that
// job. When the answer to the start is lost after it may have reached
// DCT, it does not start again blindly: it asks look, with pauses, what
// the start made, and returns its job (nil when it has none left to
// follow), marking the session recovered (Session.Recovered). Look-ups
// that fail are tried again, with backoff, until ctx's deadline (the
// step's --timeout). Only when several looks show that nothing started is
// the start sent again, at most maxDCTSends times in all. When look can
// never tell, or the deadline passes, the error names the request and
// says the job may be running.
func StartDCTLooking(ctx context.Context, s *cli.Session, what string, look Look, start func() (*dct.Job, error)) (*dct.Job, error) {
	for sends := 1; ; sends++ {
		job, err := start()
		var down *dct.UnreachableError
		if err == nil || !errors.As(err, &down) || !down.MayHaveStarted || ctx.Err() != nil {
			return job, err
		}
		found, ok, lerr := lookFor(ctx, look)
		switch {
		case lerr != nil && ctx.Err() != nil:
			return nil, &dct.MayHaveActedError{Method: down.Method, Path: down.Path, Err: err,
				Why: fmt.Sprintf("the deadline passed while asking DCT what it did (%v)", lerr)}
		case lerr != nil:
			return nil, &dct.MayHaveActedError{Method: down.Method, Path: down.Path, Err: err,
				Why: fmt.Sprintf("DCT cannot show what it did (%v)", lerr)}
		case ok:
			s.SetRecovered()
			if found == nil {
				s.Log.Printf("%s: DCT's answer to the start was lost; found what it made, with no job left to follow; not starting it again", what)
				return nil, nil
			}
			s.Log.Printf("%s: DCT's answer to the start was lost; found the job it started (%s) and following it, not starting it again", what, found.ID)
			return found, nil
		case sends >= maxDCTSends:
			return nil, fmt.Errorf("%s %s: DCT's answer was lost %d times and each time DCT showed nothing started, so nothing runs: run the step again when DCT answers: %w",
				down.Method, down.Path, sends, err)
		}
		s.Log.Printf("%s: DCT's answer to the start was lost and DCT shows nothing started; sending it again", what)
	}
}

// lookFor asks look until it finds what the start made, or emptyLooks
// looks in a row show nothing (found false, no error), or it fails for
// good: a look that fails because DCT is unreachable is asked again, with
// backoff, until ctx ends.
func lookFor(ctx context.Context, look Look) (*dct.Job, bool, error) {
	pause, empty := lookPause, 0
	for {
		job, found, err := look(ctx)
		var down *dct.UnreachableError
		switch {
		case err == nil && found:
			return job, true, nil
		case err == nil:
			if empty++; empty >= emptyLooks {
				return nil, false, nil
			}
		case !errors.As(err, &down) || ctx.Err() != nil:
			return nil, false, err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			if err == nil {
				err = errors.New("DCT showed nothing started yet")
			}
			return nil, false, err
		case <-t.C:
		}
		pause = min(2*pause, lookPauseMax)
	}
}
