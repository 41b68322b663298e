package state

import (
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/notify"
)

// Job durations at Speed 1; Options.Speed scales them.
const (
	SyncDuration    = 3 * time.Second
	RefreshDuration = 5 * time.Second
	JSDuration      = 2 * time.Second
	QuickDuration   = 1 * time.Second
)

// Job is an engine Job: it runs on its own goroutine and advances its events over time.
type Job struct {
	Ref, ActionType, Title       string
	Target, TargetName, TargetTy string
	User                         *User
	State                        string
	Percent                      int // as the last event set it
	Start, Update                time.Time
	planned                      time.Duration // the duration its work takes at the engine's speed
	Events                       []map[string]any
	Act                          *Action
	busy                         []string
	Cancel                       chan struct{}
	CancelReason                 string
	failMsg                      string
	failPct                      int
	onFail                       func()
}

// PercentAt is the job's completion percentage at now, as DCT reports it: while the job
// runs, the share of its planned duration gone (its work is time), never below what its last
// event said and below 100 until it ends; once it ended, what its last event said.
func (j *Job) PercentAt(now time.Time) int {
	if j.State != "RUNNING" || j.planned <= 0 {
		return j.Percent
	}
	share := int(100 * now.Sub(j.Start) / j.planned)
	return min(max(share, j.Percent), 99)
}

// Action is an engine Action; every operation records one.
type Action struct {
	Ref, ActionType, Title, Details, State string
	User                                   *User
	Start, End                             time.Time
	FailDesc, FailAction, FailCode         string
}

// JobSpec describes a job to start. run does the work: it advances with r.step and changes
// state with r.locked; it returns a *jobFailure (or errCanceled) to end the job otherwise.
type JobSpec struct {
	ActionType, Title            string
	Target, TargetName, TargetTy string
	Busy                         []string
	Duration                     time.Duration
	Run                          func(r *JobRun) error
	OnFail                       func()
}

// jobFailure ends a job FAILED with an ERROR event.
type jobFailure struct {
	code, details, action, output string
}

func (f *jobFailure) Error() string { return f.details }

var errCanceled = errors.New("canceled")

// BusyError refuses an operation on an object that a running job holds; the engine API
// answers it as exception.executor.object.busy.
type BusyError struct {
	Target string
	Job    *Job
}

// Error says which object is busy with which job.
func (b *BusyError) Error() string { return fmt.Sprintf("%s is busy: job %s", b.Target, b.Job.Ref) }

// CheckBusy refuses an operation on an object that has a RUNNING job.
func (e *State) CheckBusy(refs ...string) error {
	for _, r := range refs {
		if j := e.busy[r]; j != nil {
			return &BusyError{Target: r, Job: j}
		}
	}
	return nil
}

// NewAction records a completed, action-only operation (no job).
func (e *State) NewAction(u *User, actionType, title string) *Action {
	t := e.Now()
	a := &Action{Ref: e.NextRef("ACTION"), ActionType: actionType, Title: title, Details: title,
		State: "COMPLETED", User: u, Start: t, End: t}
	e.Register(a.Ref, a)
	return a
}

// StartJob creates the action and job, marks the objects busy and runs the job. The caller
// holds the lock.
func (e *State) StartJob(u *User, s JobSpec) (*Job, error) {
	if len(s.Busy) == 0 {
		s.Busy = []string{s.Target}
	}
	if err := e.CheckBusy(s.Busy...); err != nil {
		return nil, err
	}
	a := e.NewAction(u, s.ActionType, s.Title)
	a.State, a.End = "EXECUTING", time.Time{}
	t := e.Now()
	j := &Job{Ref: e.NextRef("JOB"), ActionType: s.ActionType, Title: s.Title, Target: s.Target,
		TargetName: s.TargetName, TargetTy: s.TargetTy, User: u, State: "RUNNING", Start: t, Update: t,
		Act: a, busy: s.Busy, Cancel: make(chan struct{}), onFail: s.OnFail}
	if f, ok := e.takeJobFault(j); ok {
		j.failMsg, j.failPct = f.Message, f.Percent
	}
	e.Jobs = append(e.Jobs, j)
	e.Register(j.Ref, j)
	for _, b := range s.Busy {
		e.busy[b] = j
	}
	e.addEvent(j, "INFO", 0, "event.job.started", fmt.Sprintf("%s job started for %q.", j.ActionType, j.TargetName), "", "")
	r := &JobRun{e: e, j: j, dur: time.Duration(float64(s.Duration) * e.speed)}
	j.planned = r.dur
	e.WG.Add(1)
	go func() {
		defer e.WG.Done()
		var err error
		if j.failMsg != "" {
			err = r.Step(float64(j.failPct)/100, j.failPct, "event.job.progress", "Running "+j.ActionType+".")
			if err == nil {
				err = &jobFailure{code: "exception.job.failed", details: j.failMsg,
					action: "Resolve the problem and run the operation again."}
			}
		} else {
			err = s.Run(r)
		}
		e.Mu.Lock()
		defer e.Mu.Unlock()
		e.finish(j, err)
	}()
	return j, nil
}

// finish ends a job: final event, action state, busy released, notification sent.
func (e *State) finish(j *Job, err error) {
	var f *jobFailure
	switch {
	case err == nil:
		j.State, j.Act.State = "COMPLETED", "COMPLETED"
		e.addEvent(j, "INFO", 100, "event.job.completed",
			fmt.Sprintf("%s job for %q completed successfully.", j.ActionType, j.TargetName), "", "")
	case errors.Is(err, errCanceled):
		j.State, j.Act.State = "CANCELED", "CANCELED"
		e.addEvent(j, "INFO", j.Percent, "event.job.canceled",
			fmt.Sprintf("%s job for %q was canceled.", j.ActionType, j.TargetName), "", "")
	case errors.As(err, &f):
		j.State, j.Act.State = "FAILED", "FAILED"
		j.Act.FailDesc, j.Act.FailAction, j.Act.FailCode = f.details, f.action, f.code
		e.addEvent(j, "ERROR", j.Percent, f.code, f.details, f.action, f.output)
	default:
		j.State, j.Act.State = "FAILED", "FAILED"
		e.addEvent(j, "ERROR", j.Percent, "exception.job.failed", err.Error(), "", "")
	}
	if j.State != "COMPLETED" && j.onFail != nil {
		j.onFail()
	}
	j.Act.End = j.Update
	for _, b := range j.busy {
		if e.busy[b] == j {
			delete(e.busy, b)
		}
	}
}

// addEvent appends a JobEvent and wakes notification long-polls.
func (e *State) addEvent(j *Job, typ string, pct int, code, details, act, output string) {
	j.Update = e.Now()
	j.Percent = pct
	j.Events = append(j.Events, map[string]any{"type": "JobEvent", "timestamp": Stamp(j.Update), "eventType": typ,
		"state": nil, "percentComplete": pct, "messageCode": code, "messageDetails": details,
		"messageAction": orNull(act), "messageCommandOutput": orNull(output), "diagnoses": []any{}})
	e.Notes.Publish(notify.Note{Object: j.Ref, ObjectType: "Job", EventType: "UPDATE"})
}

// JobRun is what a running job's work function uses.
type JobRun struct {
	e   *State
	j   *Job
	dur time.Duration
}

// Step waits frac of the job's duration, then records an INFO progress event. It returns
// errCanceled when the job was canceled or the engine is closing.
func (r *JobRun) Step(frac float64, pct int, code, details string) error {
	select {
	case <-time.After(time.Duration(frac * float64(r.dur))):
	case <-r.j.Cancel:
		return errCanceled
	case <-r.e.Closing:
		return errCanceled
	}
	r.e.Mu.Lock()
	defer r.e.Mu.Unlock()
	select {
	case <-r.j.Cancel:
		return errCanceled
	default:
	}
	r.e.addEvent(r.j, "INFO", pct, code, details, "", "")
	return nil
}

// Locked runs f with the engine's lock held.
func (r *JobRun) Locked(f func() error) error {
	r.e.Mu.Lock()
	defer r.e.Mu.Unlock()
	return f()
}

// orNull turns "" into JSON null.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
