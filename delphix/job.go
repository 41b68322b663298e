package delphix

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"time"
)

// Job states. COMPLETED, FAILED and CANCELED are final; SUSPENDED is not.
const (
	JobRunning   = "RUNNING"
	JobSuspended = "SUSPENDED"
	JobCompleted = "COMPLETED"
	JobFailed    = "FAILED"
	JobCanceled  = "CANCELED"
)

// Job is an engine job: long-running work such as a sync or a refresh.
type Job struct {
	Type             string     `json:"type"`
	Reference        string     `json:"reference"`
	ActionType       string     `json:"actionType"`
	Title            string     `json:"title"`
	Target           string     `json:"target"`
	TargetName       string     `json:"targetName"`
	TargetObjectType string     `json:"targetObjectType"`
	JobState         string     `json:"jobState"`
	PercentComplete  float64    `json:"percentComplete"`
	StartTime        string     `json:"startTime"`
	UpdateTime       string     `json:"updateTime"`
	User             string     `json:"user"`
	Cancelable       bool       `json:"cancelable"`
	CancelReason     string     `json:"cancelReason"`
	ParentAction     string     `json:"parentAction"`
	Events           []JobEvent `json:"events"`
}

// JobEvent is one entry of a job's log.
type JobEvent struct {
	Type                 string  `json:"type"`
	Timestamp            string  `json:"timestamp"`
	EventType            string  `json:"eventType"` // INFO, WARNING or ERROR
	State                string  `json:"state"`
	PercentComplete      float64 `json:"percentComplete"`
	MessageCode          string  `json:"messageCode"`
	MessageDetails       string  `json:"messageDetails"`
	MessageAction        string  `json:"messageAction"`
	MessageCommandOutput string  `json:"messageCommandOutput"`
}

// Done reports whether the job reached a final state.
func (j *Job) Done() bool {
	return j.JobState == JobCompleted || j.JobState == JobFailed || j.JobState == JobCanceled
}

// lastError returns the last ERROR event, else the last event, else nil.
func (j *Job) lastError() *JobEvent {
	for i := len(j.Events) - 1; i >= 0; i-- {
		if j.Events[i].EventType == "ERROR" {
			return &j.Events[i]
		}
	}
	if n := len(j.Events); n > 0 {
		return &j.Events[n-1]
	}
	return nil
}

// Operation is what an engine call that starts work returns: the reference
// of a created object (if any), the job, and the action.
type Operation struct {
	Reference string
	Job       string
	Action    string
}

// JobsService reads, cancels and waits for jobs.
type JobsService service

// Get returns GET /job/{ref}.
func (s *JobsService) Get(ctx context.Context, ref string) (*Job, error) {
	var j Job
	if _, err := s.client.call(ctx, "GET", "/job/"+url.PathEscape(ref), nil, &j); err != nil {
		return nil, err
	}
	return &j, nil
}

// JobListOptions filters List.
type JobListOptions struct {
	State  string // e.g. JobRunning
	Target string // object reference
}

// List returns the jobs matching opts (GET /job?jobState=&target=).
func (s *JobsService) List(ctx context.Context, opts JobListOptions) ([]Job, error) {
	q := url.Values{}
	if opts.State != "" {
		q.Set("jobState", opts.State)
	}
	if opts.Target != "" {
		q.Set("target", opts.Target)
	}
	var jobs []Job
	_, err := s.client.call(ctx, "GET", withQuery("/job", q), nil, &jobs)
	return jobs, err
}

// Cancel asks the engine to cancel a running or suspended job.
func (s *JobsService) Cancel(ctx context.Context, ref string) error {
	_, err := s.client.call(ctx, "POST", "/job/"+url.PathEscape(ref)+"/cancel", struct{}{}, nil)
	return err
}

// Progress is what Wait reports: the job as just read, and the events
// added since the previous report.
type Progress struct {
	Job       *Job
	NewEvents []JobEvent
}

// Wait blocks until the job ends and returns it. COMPLETED returns a nil
// error; FAILED or CANCELED return a *JobError carrying the job's last
// error event. It long-polls /notification and re-reads the job when the
// engine says it changed, and falls back to polling with backoff when the
// engine offers no notifications. progress, if not nil, is called after
// every read that brought something new. The caller owns the deadline: Wait
// returns ctx.Err() when ctx ends.
func (s *JobsService) Wait(ctx context.Context, ref string, progress func(Progress)) (*Job, error) {
	w := s.client.wait
	channel := newChannel()
	notify, seen, lastPct := !w.noNotify, 0, -1.0
	if notify {
		// Open the channel before the first read, so no change between that
		// read and the first long-poll goes unnoticed.
		if _, err := s.client.Notifications.Poll(ctx, channel, 0); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			notify = false
		}
	}
	interval := w.min
	for {
		job, err := s.Get(ctx, ref)
		if err != nil {
			return nil, err
		}
		if progress != nil && (len(job.Events) > seen || job.PercentComplete != lastPct) {
			var fresh []JobEvent
			if len(job.Events) > seen {
				fresh = job.Events[seen:]
			}
			progress(Progress{Job: job, NewEvents: fresh})
		}
		seen, lastPct = max(seen, len(job.Events)), job.PercentComplete
		switch job.JobState {
		case JobCompleted:
			return job, nil
		case JobFailed, JobCanceled:
			return job, &JobError{Job: job, Event: job.lastError()}
		}
		if notify {
			if err := s.client.Notifications.waitFor(ctx, channel, ref, w.notifyTimeout); err == nil {
				continue
			} else if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			notify = false // no notifications here: poll instead
		}
		if err := sleep(ctx, interval); err != nil {
			return nil, err
		}
		interval = min(interval*2, w.max)
	}
}

// waitSettings paces Wait; see WithWaitIntervals.
type waitSettings struct {
	min, max      time.Duration
	notifyTimeout time.Duration
	noNotify      bool
}

// WithWaitIntervals sets how Wait paces itself: polling starts at min and
// backs off to max; each notification long-poll lasts at most notify
// (0 turns notifications off and polls only). Defaults: 1s, 10s, 10s.
func WithWaitIntervals(min, max, notify time.Duration) Option {
	return func(o *clientOptions) error {
		if min <= 0 || max < min || notify < 0 {
			return errors.New("delphix: wait intervals must be positive with min <= max")
		}
		o.wait = waitSettings{min: min, max: max, notifyTimeout: notify, noNotify: notify == 0}
		return nil
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func newChannel() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "dxsteps-" + hex.EncodeToString(b[:])
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
