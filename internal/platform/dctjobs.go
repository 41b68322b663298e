package platform

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// dctPlatform is Data Control Tower.
type dctPlatform struct{ s *cli.Session }

func (dctPlatform) Name() string { return cli.PlatformDCT }

func (dctPlatform) Words() Words { return Words{Name: "DCT", Where: "in DCT", Ref: "id"} }

// WaitIdle waits, at most max, for the jobs DCT shows running on targets
// (dSource, VDB or group ids) to end. Jobs of other accounts that the API
// key cannot see are not waited for; DCT refuses the operation then (409),
// which the step reports.
func (d dctPlatform) WaitIdle(ctx context.Context, label string, max time.Duration, targets ...string) error {
	if d.s.DryRun() {
		running, err := d.s.DCT.Jobs.Active(ctx, targets...)
		if err != nil || len(running) == 0 {
			return err
		}
		return planWait(d.s, label, running[0].ID, strings.TrimSpace(running[0].LocalizedType), max)
	}
	return WaitIdleDCT(ctx, d.s, label, time.Now().Add(max), max, targets...)
}

// Run runs the job j describes on DCT (Jobs.Run).
func (d dctPlatform) Run(ctx context.Context, j JobSpec) (Job, error) {
	s := d.s
	if s.DryRun() {
		s.Plan(j.Action)
		return Job{Planned: true}, nil
	}
	what := j.what()
	start := func() (*dct.Job, error) {
		if j.Look == nil && len(j.Targets) == 0 {
			return j.DCT()
		}
		look := NewJobOn(ctx, s, j.Targets...)
		if j.Look != nil {
			look = j.Look(ctx)
		}
		return StartDCTLooking(ctx, s, what, look, j.DCT)
	}
	if j.BusyWait > 0 {
		plain := start
		start = func() (*dct.Job, error) { return StartAfterAbandonedDCT(ctx, s, j.Label, j.BusyWait, j.Targets, plain) }
	}
	done, err := s.DoDCT(ctx, what, start)
	if done == nil {
		return Job{Recovered: s.Recovered()}, err
	}
	return Job{ID: done.ID, State: done.Status, Recovered: s.Recovered()}, err
}

// WaitIdleDCT waits until deadline for the jobs DCT shows running on any of
// targets to end; name is the object for people, max the wait the user
// set, for the message.
func WaitIdleDCT(ctx context.Context, s *cli.Session, name string, deadline time.Time, max time.Duration, targets ...string) error {
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

// Look finds what a start whose answer was lost made (dct.Look).
type Look = dct.Look

// NewJobOn is the Look for a start whose job has one of targets as its
// target: the one job new among theirs (dct.JobsService.NewOn).
func NewJobOn(ctx context.Context, s *cli.Session, targets ...string) Look {
	return s.DCT.Jobs.NewOn(ctx, targets...)
}

// FirstJobOn is the job that made target, an object a start has just
// made (dct.JobsService.First).
func FirstJobOn(ctx context.Context, s *cli.Session, target string) (*dct.Job, error) {
	return s.DCT.Jobs.First(ctx, target)
}

// NewVDBNamed is the Look for a start that provisions a VDB named name
// (dct.VDBsService.NewNamed).
func NewVDBNamed(s *cli.Session, name string, match func(*dct.VDB) bool, id *string) Look {
	return s.DCT.VDBs.NewNamed(name, match, id)
}

// StartDCTLooking calls start, which starts one DCT job, and returns that
// job, recovered by the client when its answer is lost
// (dct.Client.StartRecoverable): what the start made is looked for until
// the deadline, and the start sent again only when DCT shows that nothing
// started. It says what it did, and marks the session recovered
// (Session.Recovered) when it follows what a lost start made.
func StartDCTLooking(ctx context.Context, s *cli.Session, what string, look Look, start func() (*dct.Job, error)) (*dct.Job, error) {
	job, rec, err := s.DCT.StartRecoverable(ctx, look, start)
	if rec.Sends > 1 {
		s.Log.Printf("%s: DCT's answer to the start was lost and DCT showed nothing started; sent it again (%d sends)", what, rec.Sends)
	}
	if err != nil || !rec.Found {
		return job, err
	}
	s.SetRecovered()
	if job == nil {
		s.Log.Printf("%s: DCT's answer to the start was lost; found what it made, with no job left to follow; not starting it again", what)
		return nil, nil
	}
	s.Log.Printf("%s: DCT's answer to the start was lost; found the job it started (%s) and following it, not starting it again", what, job.ID)
	return job, nil
}
