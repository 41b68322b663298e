package engine

import (
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/notify"
)

// Job durations at Speed 1; Options.Speed scales them.
const (
	syncDuration    = 3 * time.Second
	refreshDuration = 5 * time.Second
	jsDuration      = 2 * time.Second
	quickDuration   = 1 * time.Second
)

// job is an engine Job: it runs on its own goroutine and advances its events over time.
type job struct {
	ref, actionType, title       string
	target, targetName, targetTy string
	user                         *user
	state                        string
	percent                      int
	start, update                time.Time
	events                       []obj
	act                          *action
	busy                         []string
	cancel                       chan struct{}
	cancelReason                 string
	failMsg                      string
	onFail                       func()
}

// action is an engine Action; every operation records one.
type action struct {
	ref, actionType, title, details, state string
	user                                   *user
	start, end                             time.Time
	failDesc, failAction, failCode         string
}

// jobSpec describes a job to start. run does the work: it advances with r.step and changes
// state with r.locked; it returns a *jobFailure (or errCanceled) to end the job otherwise.
type jobSpec struct {
	actionType, title            string
	target, targetName, targetTy string
	busy                         []string
	duration                     time.Duration
	run                          func(r *jobRun) error
	onFail                       func()
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
	Job    *job
}

func (b *BusyError) Error() string { return fmt.Sprintf("%s is busy: job %s", b.Target, b.Job.ref) }

// checkBusy refuses an operation on an object that has a RUNNING job.
func (e *State) checkBusy(refs ...string) error {
	for _, r := range refs {
		if j := e.busy[r]; j != nil {
			return &BusyError{Target: r, Job: j}
		}
	}
	return nil
}

// newAction records a completed, action-only operation (no job).
func (e *State) newAction(u *user, actionType, title string) *action {
	t := e.now()
	a := &action{ref: e.nextRef("ACTION"), actionType: actionType, title: title, details: title,
		state: "COMPLETED", user: u, start: t, end: t}
	e.register(a.ref, a)
	return a
}

// startJob creates the action and job, marks the objects busy and runs the job. The caller
// holds the lock.
func (e *State) startJob(u *user, s jobSpec) (*job, error) {
	if len(s.busy) == 0 {
		s.busy = []string{s.target}
	}
	if err := e.checkBusy(s.busy...); err != nil {
		return nil, err
	}
	a := e.newAction(u, s.actionType, s.title)
	a.state, a.end = "EXECUTING", time.Time{}
	t := e.now()
	j := &job{ref: e.nextRef("JOB"), actionType: s.actionType, title: s.title, target: s.target,
		targetName: s.targetName, targetTy: s.targetTy, user: u, state: "RUNNING", start: t, update: t,
		act: a, busy: s.busy, cancel: make(chan struct{}), onFail: s.onFail}
	j.failMsg = e.takeJobFault(j)
	e.jobs = append(e.jobs, j)
	e.register(j.ref, j)
	for _, b := range s.busy {
		e.busy[b] = j
	}
	e.addEvent(j, "INFO", 0, "event.job.started", fmt.Sprintf("%s job started for %q.", j.actionType, j.targetName), "", "")
	r := &jobRun{e: e, j: j, dur: time.Duration(float64(s.duration) * e.speed)}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		var err error
		if j.failMsg != "" {
			err = r.step(0.5, 50, "event.job.progress", "Running "+j.actionType+".")
			if err == nil {
				err = &jobFailure{code: "exception.job.failed", details: j.failMsg,
					action: "Resolve the problem and run the operation again."}
			}
		} else {
			err = s.run(r)
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		e.finish(j, err)
	}()
	return j, nil
}

// finish ends a job: final event, action state, busy released, notification sent.
func (e *State) finish(j *job, err error) {
	var f *jobFailure
	switch {
	case err == nil:
		j.state, j.act.state = "COMPLETED", "COMPLETED"
		e.addEvent(j, "INFO", 100, "event.job.completed",
			fmt.Sprintf("%s job for %q completed successfully.", j.actionType, j.targetName), "", "")
	case errors.Is(err, errCanceled):
		j.state, j.act.state = "CANCELED", "CANCELED"
		e.addEvent(j, "INFO", j.percent, "event.job.canceled",
			fmt.Sprintf("%s job for %q was canceled.", j.actionType, j.targetName), "", "")
	case errors.As(err, &f):
		j.state, j.act.state = "FAILED", "FAILED"
		j.act.failDesc, j.act.failAction, j.act.failCode = f.details, f.action, f.code
		e.addEvent(j, "ERROR", j.percent, f.code, f.details, f.action, f.output)
	default:
		j.state, j.act.state = "FAILED", "FAILED"
		e.addEvent(j, "ERROR", j.percent, "exception.job.failed", err.Error(), "", "")
	}
	if j.state != "COMPLETED" && j.onFail != nil {
		j.onFail()
	}
	j.act.end = j.update
	for _, b := range j.busy {
		if e.busy[b] == j {
			delete(e.busy, b)
		}
	}
}

// addEvent appends a JobEvent and wakes notification long-polls.
func (e *State) addEvent(j *job, typ string, pct int, code, details, act, output string) {
	j.update = e.now()
	j.percent = pct
	j.events = append(j.events, obj{"type": "JobEvent", "timestamp": stamp(j.update), "eventType": typ,
		"state": nil, "percentComplete": pct, "messageCode": code, "messageDetails": details,
		"messageAction": orNull(act), "messageCommandOutput": orNull(output), "diagnoses": []any{}})
	e.notes.Publish(notify.Note{Object: j.ref, ObjectType: "Job", EventType: "UPDATE"})
}

// jobRun is what a running job's work function uses.
type jobRun struct {
	e   *State
	j   *job
	dur time.Duration
}

// step waits frac of the job's duration, then records an INFO progress event. It returns
// errCanceled when the job was canceled or the engine is closing.
func (r *jobRun) step(frac float64, pct int, code, details string) error {
	select {
	case <-time.After(time.Duration(frac * float64(r.dur))):
	case <-r.j.cancel:
		return errCanceled
	case <-r.e.closing:
		return errCanceled
	}
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	select {
	case <-r.j.cancel:
		return errCanceled
	default:
	}
	r.e.addEvent(r.j, "INFO", pct, code, details, "", "")
	return nil
}

// locked runs f with the engine's lock held.
func (r *jobRun) locked(f func() error) error {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	return f()
}

// orNull turns "" into JSON null.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
