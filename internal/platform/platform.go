// Package platform is what the steps need of a Delphix platform, one
// interface per concept, each with an implementation on the engine API
// (delphix) and one on Data Control Tower (dct). A step writes its logic
// once against these; what stays per platform in a step is only what the
// platforms really do differently (which API call starts a refresh, how a
// data pod is laid out).
//
// Jobs is the first concept: every change a step makes that the platform
// runs as a job goes through Jobs.Run, which also makes it a plan in a dry
// run (cli.DryRun): the action is recorded and nothing is sent.
package platform

import (
	"context"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
)

// Platform is one platform a session drives.
type Platform interface {
	// Name is cli.PlatformEngine or cli.PlatformDCT.
	Name() string
	// Words are how messages name the platform and its references.
	Words() Words
	Jobs
	Datasets
}

// Words are how messages name a platform for people.
type Words struct {
	Name  string // "the engine", "DCT"
	Where string // "on the engine", "in DCT": where to look
	Ref   string // what it calls a reference: "reference", "id"
}

// Of is the session's platform. It is the one place that looks at which
// client the session holds.
func Of(s *cli.Session) Platform {
	if s.DCT != nil {
		return dctPlatform{s}
	}
	return engine{s}
}

// Pick returns onEngine or onDCT, whichever is the session's platform's
// implementation of a concept a step defines itself.
func Pick[T any](s *cli.Session, onEngine, onDCT T) T {
	if Of(s).Name() == cli.PlatformDCT {
		return onDCT
	}
	return onEngine
}

// Jobs runs jobs on a platform for a step.
type Jobs interface {
	// WaitIdle waits, at most max, until no job runs on any of targets
	// (on DCT: nor the engine work behind a job DCT abandoned), saying in
	// the log what it waits for; label names the object for people
	// (`VDB "x"`). In a plan it looks once: a busy target is noted in the
	// log and the plan ("wait"), not waited for.
	WaitIdle(ctx context.Context, label string, max time.Duration, targets ...string) error
	// Run starts the job j describes and follows it to its end, with
	// progress in the log; an abort or the deadline cancels it (DCT:
	// abandons it). A start refused because a target is busy waits for
	// the target (at most j.BusyWait) and starts again; a start whose
	// answer was lost is found on the platform and followed, and sent
	// again only when the platform shows nothing started. In a plan it
	// records j.Action and starts nothing: the Job is Planned.
	Run(ctx context.Context, j JobSpec) (Job, error)
}

// JobSpec is one job a step runs.
type JobSpec struct {
	// Action is what the job does, for the plan.
	Action cli.Action
	// What says it for people in the log and in errors ("refresh of VDB
	// \"x\" from SNAP-1"); empty: Action's own words.
	What string
	// Label names the busy object for people (`VDB "x"`), Targets are the
	// references or ids the job runs on: what a busy start waits for and
	// where a lost start's job is looked for.
	Label   string
	Targets []string
	// BusyWait is how long a start refused as busy waits for its targets
	// in all; 0: such a refusal is the step's error.
	BusyWait time.Duration
	// Engine starts the job on the engine, DCT on Data Control Tower; a
	// step sets the one of each platform it runs on (both, mostly).
	Engine func() (delphix.Operation, error)
	DCT    func() (*dct.Job, error)
	// Look, on DCT, is how to find what a start whose answer was lost
	// made, asked just before each start; nil: the one job new on Targets
	// since just before the start.
	Look func(ctx context.Context) dct.Look
}

func (j JobSpec) what() string {
	if j.What != "" {
		return j.What
	}
	return j.Action.String()
}

// Job is a job a step ran, or in a plan would run.
type Job struct {
	// ID is the engine's job reference or DCT's job id; empty when the
	// platform did the work at once, without a job.
	ID string
	// Reference is, on the engine, the reference of what the start made
	// or acted on, as the engine answered it.
	Reference string
	// State is how the job ended, as the platform names it (COMPLETED).
	State string
	// Recovered: the start's answer was lost, and the job was found and
	// followed instead of starting it again.
	Recovered bool
	// Planned: a plan; nothing was started.
	Planned bool
}
