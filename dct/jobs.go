package dct

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Job statuses (the spec's enum, shared by Job and JobTask). PENDING,
// STARTED, RUNNING, WAITING and SUSPENDED go on; COMPLETED succeeds;
// FAILED, TIMEDOUT, CANCELED and ABANDONED fail.
const (
	JobPending   = "PENDING"
	JobStarted   = "STARTED"
	JobRunning   = "RUNNING"
	JobWaiting   = "WAITING"
	JobSuspended = "SUSPENDED"
	JobCompleted = "COMPLETED"
	JobFailed    = "FAILED"
	JobTimedOut  = "TIMEDOUT"
	JobCanceled  = "CANCELED"
	JobAbandoned = "ABANDONED"
)

// Job is DCT's record of asynchronous work (a refresh, a snapshot, a
// masking run) on an engine.
type Job struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// Type is the kind of job, e.g. "DB_REFRESH" (deprecated in the spec, still answered;
	// LocalizedType is its translation, for people).
	Type            string    `json:"type"`
	LocalizedType   string    `json:"localized_type"`
	TargetID        string    `json:"target_id"`
	TargetName      string    `json:"target_name"`
	ErrorDetails    string    `json:"error_details"`
	WarningMessage  string    `json:"warning_message"`
	PercentComplete int       `json:"percent_complete"`
	StartTime       string    `json:"start_time"`
	UpdateTime      string    `json:"update_time"`
	AccountName     string    `json:"account_name"`
	ExecutionID     string    `json:"execution_id"`
	Tasks           []JobTask `json:"tasks"`
	// WaitingForTelemetry: the work is done but DCT's copy of the objects
	// is not updated yet (only while STARTED).
	WaitingForTelemetry bool `json:"is_waiting_for_telemetry"`
}

// JobTask is one step of a job.
type JobTask struct {
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	Status          string         `json:"status"`
	PercentComplete int            `json:"percent_complete"`
	Events          []JobTaskEvent `json:"events"`
}

// JobTaskEvent is one message of a task's log.
type JobTaskEvent struct {
	MessageDetails string `json:"message_details"`
}

// JobError is a job that ended FAILED, TIMEDOUT, CANCELED or ABANDONED.
type JobError struct{ Job *Job }

// Error is one line: the job, its status, DCT's error details and the
// failed task with its last message.
func (e *JobError) Error() string {
	j := e.Job
	msg := "job " + j.ID
	if what := strings.TrimSpace(j.LocalizedType); what != "" || j.TargetName != "" {
		msg += " ("
		if what != "" {
			msg += what
		}
		if j.TargetName != "" {
			if what != "" {
				msg += " of "
			}
			msg += fmt.Sprintf("%q", j.TargetName)
		}
		msg += ")"
	}
	msg += " " + j.Status
	if d := oneLine(j.ErrorDetails); d != "" {
		msg += ": " + d
	}
	for _, t := range j.Tasks {
		if t.Status == JobFailed || t.Status == JobTimedOut || t.Status == JobCanceled {
			msg += "; task " + fmt.Sprintf("%q", t.Title) + " " + t.Status
			if n := len(t.Events); n > 0 {
				if m := oneLine(t.Events[n-1].MessageDetails); m != "" && m != oneLine(j.ErrorDetails) {
					msg += ": " + m
				}
			}
			break
		}
	}
	if j.Status == JobAbandoned {
		msg += " (DCT stopped following it; the engine may still be running it)"
	}
	return msg
}

// JobsService reads, waits for and abandons jobs.
type JobsService service

// Get returns GET /jobs/{id}.
func (s *JobsService) Get(ctx context.Context, id string) (*Job, error) {
	var j Job
	if err := s.client.get(ctx, pathOf("jobs", id), &j); err != nil {
		return nil, err
	}
	return &j, nil
}

// Active returns the jobs not yet ended (PENDING, STARTED, RUNNING, WAITING
// or SUSPENDED) whose target is one of targetIDs (VDB, VDB group or dSource
// ids), oldest first, through POST /jobs/search. An id that cannot be put in a filter is
// an error: the answer would not be about it.
func (s *JobsService) Active(ctx context.Context, targetIDs ...string) ([]Job, error) {
	if len(targetIDs) == 0 {
		return nil, nil
	}
	lits := make([]string, len(targetIDs))
	for i, id := range targetIDs {
		lit, ok := quote(id)
		if !ok || id == "" {
			return nil, fmt.Errorf("dct: target id %q cannot be searched for", id)
		}
		lits[i] = lit
	}
	filter := "target_id IN [" + strings.Join(lits, ", ") + "] AND status IN ['" +
		strings.Join([]string{JobPending, JobStarted, JobRunning, JobWaiting, JobSuspended}, "', '") + "']"
	all, err := collect[Job](ctx, s.client, "/jobs", filter, "start_time")
	if err != nil {
		return nil, err
	}
	var out []Job
	for _, j := range all {
		if slices.Contains(targetIDs, j.TargetID) && !j.ended() {
			out = append(out, j)
		}
	}
	return out, nil
}

// ended says whether the job's status is final.
func (j *Job) ended() bool {
	switch j.Status {
	case JobCompleted, JobFailed, JobTimedOut, JobCanceled, JobAbandoned:
		return true
	}
	return false
}

// Recent returns the newest n (1 to 1000) jobs on the object targetID,
// newest first, ended or not. Comparing them before and after a start
// whose answer was lost finds the job it started.
func (s *JobsService) Recent(ctx context.Context, targetID string, n int) ([]Job, error) {
	lit, ok := quote(targetID)
	if !ok || targetID == "" {
		return nil, fmt.Errorf("dct: target id %q cannot be searched for", targetID)
	}
	q := url.Values{"limit": {strconv.Itoa(min(max(n, 1), pageLimit))}, "sort": {"-start_time"}}
	var p page[Job]
	if err := s.client.do(ctx, http.MethodPost, "/jobs/search", q, searchBody{"target_id EQ " + lit}, &p); err != nil {
		return nil, err
	}
	return p.Items, nil
}

// Abandon makes DCT stop following the job and mark it ABANDONED. It does
// not stop the work on the engine.
func (s *JobsService) Abandon(ctx context.Context, id string) error {
	return s.client.do(ctx, http.MethodPost, pathOf("jobs", id, "abandon"), nil, noBody, nil)
}

// Progress is what Wait reports: the job as just read, the task messages
// added since the previous report, and when the job should end.
type Progress struct {
	Job       *Job
	NewEvents []TaskMessage
	// ExpectedEnd is when the job should end if its percent goes on rising
	// as it did since the wait began; zero while that cannot be told.
	ExpectedEnd time.Time
}

// TaskMessage is one task log message with the title of its task.
type TaskMessage struct {
	Task    string
	Message string
}

// Wait reads the job until it ends and returns it. COMPLETED returns a nil
// error; FAILED, TIMEDOUT, CANCELED and ABANDONED return a *JobError. A
// SUSPENDED job is waited for (it may need an operator; progress shows
// it). progress, if not nil, is called after every read that brought a new
// status, percentage or message.
//
// When to read again comes from what the reads tell: a job whose percent
// rises is read again close to its expected end, and one whose percent
// stands still at intervals that double from the client's minimum to its
// maximum (WithWaitIntervals); no interval is longer than the maximum. The
// caller owns the deadline: Wait returns ctx.Err() when ctx ends, and does
// not abandon the job. A read that finds DCT unreachable (after the retries
// a read allows) is tried again with backoff until then: the job runs on
// whether or not it is watched.
func (s *JobsService) Wait(ctx context.Context, id string, progress func(Progress)) (*Job, error) {
	clk := s.client.wait.clock
	if clk == nil {
		clk = realClock{}
	}
	pace := newPacer(s.client.wait)
	seen := map[string]int{} // task id (or index) -> messages reported
	lastStatus, lastPct := "", -1
	down := s.client.wait.min // the pause while DCT does not answer
	for {
		job, err := s.Get(ctx, id)
		if unreachable(err) {
			// The job runs on; leaving it unwatched is worse than waiting for
			// DCT: read it again, with backoff, until ctx ends.
			if err := clk.Sleep(ctx, down); err != nil {
				return nil, err
			}
			down = min(down*2, s.client.wait.max)
			continue
		}
		if err != nil {
			return nil, err
		}
		down = s.client.wait.min
		interval, end := pace.next(clk.Now(), job)
		var fresh []TaskMessage
		for i, t := range job.Tasks {
			key := t.ID
			if key == "" {
				key = fmt.Sprint(i)
			}
			for _, ev := range t.Events[min(seen[key], len(t.Events)):] {
				fresh = append(fresh, TaskMessage{Task: t.Title, Message: ev.MessageDetails})
			}
			seen[key] = max(seen[key], len(t.Events))
		}
		if progress != nil && (len(fresh) > 0 || job.Status != lastStatus || job.PercentComplete != lastPct) {
			progress(Progress{Job: job, NewEvents: fresh, ExpectedEnd: end})
		}
		lastStatus, lastPct = job.Status, job.PercentComplete
		switch job.Status {
		case JobCompleted:
			return job, nil
		case JobFailed, JobTimedOut, JobCanceled, JobAbandoned:
			return job, &JobError{Job: job}
		}
		if err := clk.Sleep(ctx, interval); err != nil {
			return nil, err
		}
	}
}

// unreachable reports whether err is DCT not answering, which may pass
// (not a plain-HTTP answer on an https:// URL, which will not).
func unreachable(err error) bool {
	var down *UnreachableError
	return errors.As(err, &down) && !errors.Is(err, ErrPlainHTTP)
}
