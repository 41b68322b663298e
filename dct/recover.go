package dct

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Look finds what a start whose answer was lost made: the job to follow
// (nil when what it made has no job left to follow) with found true;
// found false when DCT shows nothing made (yet); an error when it cannot
// tell: an *UnreachableError can be asked again, any other never will.
type Look func(ctx context.Context) (job *Job, found bool, err error)

// Recovery says how StartRecoverable got its job.
type Recovery struct {
	// Found: the start's answer was lost and Look found what it made.
	Found bool
	// Sends is how often the start was sent: more than once only when each
	// lost answer was followed by looks that showed nothing started.
	Sends int
}

// maxSends bounds how often a start is sent when each time its answer is
// lost and DCT shows that nothing started: each time DCT provably did not
// act, so each send is as safe as a read.
const maxSends = 3

// emptyLooks is how many looks, with pauses between them, must all show
// nothing before a start is taken not to have reached DCT (DCT may still
// be acting on it).
const emptyLooks = 3

// lookPause is the first pause between looks; it doubles up to
// lookPauseMax.
var lookPause, lookPauseMax = time.Second, 10 * time.Second

// recentJobs is how many of a target's newest jobs a Look compares.
const recentJobs = 100

// StartRecoverable calls start, which starts one DCT job, and returns that
// job. When the answer to the start is lost after it may have reached DCT,
// it does not start again blindly: it asks look, with pauses, what the
// start made, and returns its job (nil when it has none left to follow)
// with Recovery.Found. Look-ups that fail because DCT is unreachable are
// tried again, with backoff, until ctx's deadline (the step's). Only when
// several looks show that nothing started is the start sent again, at
// most maxSends times in all. When look can never tell, or the deadline
// passes, the error is a *MayHaveActedError naming the request.
func (c *Client) StartRecoverable(ctx context.Context, look Look, start func() (*Job, error)) (*Job, Recovery, error) {
	for sends := 1; ; sends++ {
		rec := Recovery{Sends: sends}
		job, err := start()
		var down *UnreachableError
		if err == nil || !errors.As(err, &down) || !down.MayHaveStarted || ctx.Err() != nil {
			return job, rec, err
		}
		found, ok, lerr := lookFor(ctx, look)
		switch {
		case lerr != nil && ctx.Err() != nil:
			return nil, rec, &MayHaveActedError{Look: "the jobs in DCT", Method: down.Method, Path: down.Path, Err: err,
				Why: fmt.Sprintf("the deadline passed while asking DCT what it did (%v)", lerr)}
		case lerr != nil:
			return nil, rec, &MayHaveActedError{Look: "the jobs in DCT", Method: down.Method, Path: down.Path, Err: err,
				Why: fmt.Sprintf("DCT cannot show what it did (%v)", lerr)}
		case ok:
			rec.Found = true
			return found, rec, nil
		case sends >= maxSends:
			return nil, rec, fmt.Errorf("%s %s: DCT's answer was lost %d times and each time DCT showed nothing started, so nothing runs: run the step again when DCT answers: %w",
				down.Method, down.Path, sends, err)
		}
	}
}

// lookFor asks look until it finds what the start made, or emptyLooks
// looks in a row show nothing (found false, no error), or it fails for
// good: a look that fails because DCT is unreachable is asked again, with
// backoff, until ctx ends.
func lookFor(ctx context.Context, look Look) (*Job, bool, error) {
	pause, empty := lookPause, 0
	for {
		job, found, err := look(ctx)
		var down *UnreachableError
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
		if serr := sleep(ctx, pause); serr != nil {
			if err == nil {
				err = errors.New("DCT showed nothing started yet")
			}
			return nil, false, err
		}
		pause = min(2*pause, lookPauseMax)
	}
}

// NewOn is the Look for a start whose job has one of targets as its
// target (a VDB group's job may name the group or its VDBs): it lists
// their jobs now, before the start, and finds the one job that is new
// among them after it.
func (s *JobsService) NewOn(ctx context.Context, targets ...string) Look {
	seen := map[string]bool{}
	for _, t := range targets {
		before, err := s.Recent(ctx, t, recentJobs)
		if err != nil {
			return func(context.Context) (*Job, bool, error) {
				return nil, false, fmt.Errorf("the jobs on %s could not be listed before the start: %w", t, err)
			}
		}
		for _, j := range before {
			seen[j.ID] = true
		}
	}
	return func(ctx context.Context) (*Job, bool, error) {
		var fresh []Job
		for _, t := range targets {
			after, err := s.Recent(ctx, t, recentJobs)
			if err != nil {
				return nil, false, err
			}
			for _, j := range after {
				if !seen[j.ID] && !slices.ContainsFunc(fresh, func(f Job) bool { return f.ID == j.ID }) {
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
		ids := make([]string, len(fresh))
		for i, j := range fresh {
			ids[i] = j.ID
		}
		return nil, false, fmt.Errorf("DCT shows %d new jobs on %s (%s), and cannot tell which is this start's",
			len(fresh), strings.Join(targets, ", "), strings.Join(ids, ", "))
	}
}

// First is the oldest of the jobs DCT shows on target, an object a start
// has just made (a VDB, a bookmark): the job that made it. Nil when DCT
// shows none.
func (s *JobsService) First(ctx context.Context, target string) (*Job, error) {
	jobs, err := s.Recent(ctx, target, recentJobs)
	if err != nil || len(jobs) == 0 {
		return nil, err
	}
	return &jobs[len(jobs)-1], nil
}

// NewNamed is the Look for a start that provisions a VDB named name, when
// none had that name before: the VDB of that name (and for which match,
// if given, holds) is the one it made, and its first job the provision.
// It sets *id to the VDB's id when it finds it.
func (s *VDBsService) NewNamed(name string, match func(*VDB) bool, id *string) Look {
	return func(ctx context.Context) (*Job, bool, error) {
		v, err := s.FindByName(ctx, name)
		switch {
		case errors.Is(err, ErrNotFound):
			return nil, false, nil
		case err != nil:
			return nil, false, err
		case match != nil && !match(v):
			return nil, false, fmt.Errorf("a VDB named %q that this start did not make is there now", name)
		}
		j, err := s.client.Jobs.First(ctx, v.ID)
		if err != nil {
			return nil, false, err
		}
		*id = v.ID
		return j, true, nil
	}
}
