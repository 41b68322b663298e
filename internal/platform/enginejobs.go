package platform

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// engine is the platform of the engine API.
type engine struct{ s *cli.Session }

func (engine) Name() string { return cli.PlatformEngine }

func (engine) Words() Words {
	return Words{Name: "the engine", Where: "on the engine", Ref: "reference"}
}

// WaitIdle waits, at most max, for the jobs running on targets to end
// (Jobs.WaitIdle).
func (e engine) WaitIdle(ctx context.Context, label string, max time.Duration, targets ...string) error {
	for _, t := range targets {
		if e.s.DryRun() {
			running, err := e.s.Client.Jobs.List(ctx, delphix.JobListOptions{State: delphix.JobRunning, Target: t})
			if err != nil || len(running) == 0 {
				if err != nil {
					return err
				}
				continue
			}
			return planWait(e.s, label, running[0].Reference, running[0].ActionType, max)
		}
		if err := WaitIdle(ctx, e.s, t, label, max); err != nil {
			return err
		}
	}
	return nil
}

// Run runs the job j describes on the engine (Jobs.Run). The engine
// client recovers a start whose answer was lost itself.
func (e engine) Run(ctx context.Context, j JobSpec) (Job, error) {
	s := e.s
	if s.DryRun() {
		s.Plan(j.Action)
		return Job{Planned: true}, nil
	}
	start := j.Engine
	if j.BusyWait > 0 && len(j.Targets) > 0 {
		start = RetryBusy(ctx, s, j.Targets[0], j.Label, j.BusyWait, start)
	}
	op, err := s.Do(ctx, j.what(), start)
	return Job{ID: op.Job, Reference: op.Reference, State: completedIf(err), Recovered: op.Recovered}, err
}

func completedIf(err error) string {
	if err != nil {
		return ""
	}
	return delphix.JobCompleted
}

// planWait is a busy target in a plan: noted in the log and the plan, not
// waited for.
func planWait(s *cli.Session, label, job, what string, max time.Duration) error {
	s.Log.Printf("plan: %s is busy with job %s (%s); a real run waits for it to end, at most %v", label, job, what, max)
	s.Plan(cli.Action{Action: "wait", Object: "job", Name: strings.TrimSpace(what), Reference: job,
		Parameters: map[string]string{"on": label, "atMost": max.String()}})
	return nil
}

// WaitIdle waits, at most max, for the jobs running on target to end, so
// a step never starts a second job on a busy object.
func WaitIdle(ctx context.Context, s *cli.Session, target, name string, max time.Duration) error {
	deadline := time.Now().Add(max)
	for {
		running, err := s.Client.Jobs.List(ctx, delphix.JobListOptions{State: delphix.JobRunning, Target: target})
		if err != nil || len(running) == 0 {
			return err
		}
		j := running[0]
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("%s is still busy with job %s (%s) after waiting %v; try again later or raise the busy wait", name, j.Reference, j.ActionType, max)
		}
		s.Log.Printf("%s is busy with job %s (%s); waiting for it to end", name, j.Reference, j.ActionType)
		wctx, cancel := context.WithTimeout(ctx, left)
		_, err = s.Client.Jobs.Wait(wctx, j.Reference, nil)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = err // the other job's outcome is not ours to report; look again
	}
}

// RetryBusy returns start made to survive someone else's job starting on
// target between WaitIdle and the start: when the engine refuses the start
// because target is busy (it did not act), it waits for target to be idle
// again, at most max in all, and starts again, a few times at most.
func RetryBusy(ctx context.Context, s *cli.Session, target, name string, max time.Duration, start func() (delphix.Operation, error)) func() (delphix.Operation, error) {
	return func() (delphix.Operation, error) {
		deadline := time.Now().Add(max)
		for tries := 1; ; tries++ {
			op, err := start()
			var busy *delphix.APIError
			if err == nil || !errors.As(err, &busy) || !strings.Contains(busy.ID, ".busy") ||
				tries >= maxBusyTries || time.Until(deadline) <= 0 {
				return op, err
			}
			if err := WaitIdle(ctx, s, target, name, time.Until(deadline)); err != nil {
				return op, err
			}
		}
	}
}

// maxBusyTries bounds how often RetryBusy starts an operation that the
// engine keeps refusing as busy.
const maxBusyTries = 5
