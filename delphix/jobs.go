package delphix

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
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

// JobError is a job that ended FAILED or CANCELED.
type JobError struct {
	Job *Job
	// Event is the job's last ERROR event (or its last event), nil if it had none.
	Event *JobEvent
}

func (e *JobError) Error() string {
	j := e.Job
	msg := fmt.Sprintf("job %s (%s", j.Reference, j.ActionType)
	if j.TargetName != "" {
		msg += fmt.Sprintf(" of %q", j.TargetName)
	}
	msg += ") " + j.JobState
	if e.Event != nil {
		if d := oneLine(e.Event.MessageDetails); d != "" {
			msg += ": " + d
		}
		if a := oneLine(e.Event.MessageAction); a != "" {
			msg += " (" + a + ")"
		}
	}
	if j.JobState == JobCanceled && j.CancelReason != "" {
		msg += ": " + oneLine(j.CancelReason)
	}
	return msg
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
	State      string // e.g. JobRunning
	Target     string // object reference
	ActionType string // e.g. "DB_SYNC"
	PageSize   int    // 0: the engine's default (25)
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
	if opts.ActionType != "" {
		q.Set("jobType", opts.ActionType)
	}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
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
// returns ctx.Err() when ctx ends. A read that finds the engine unreachable
// (after the retries a read allows) is tried again with backoff until then:
// the job runs on whether or not it is watched.
//
// A quiet job costs one long poll per notify timeout and no read. Reads
// that notifications cause come at most one per minimum wait interval over
// time, however many events the job logs, with a burst of readBurst so that
// a completion right after a progress event is still read at once (see
// WithWaitIntervals).
func (s *JobsService) Wait(ctx context.Context, ref string, progress func(Progress)) (*Job, error) {
	w := s.client.wait
	channel := newChannel()
	notify, seen, lastPct := !w.noNotify, 0, -1.0
	var opened uint64 // the login the channel was opened in
	if notify {
		// Open the channel before the first read, so no change between that
		// read and the first long-poll goes unnoticed.
		var err error
		if opened, notify, err = s.open(ctx, channel); err != nil {
			return nil, err
		}
	}
	interval := w.min
	reads := &readLimiter{every: w.min, tokens: readBurst, at: time.Now()}
	for {
		job, err := s.Get(ctx, ref)
		if unreachable(err) {
			// The job runs on; leaving it unwatched is worse than waiting for
			// the engine: read it again, with backoff, until ctx ends.
			if err := sleep(ctx, interval); err != nil {
				return nil, err
			}
			interval = min(interval*2, w.max)
			continue
		}
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
		if notify && s.client.loginCount() != opened {
			// Logged in again since the channel was opened: a channel lives
			// in its session, and the job may have ended while logged out.
			// Open the channel in this session, then read the job again.
			var err error
			if opened, notify, err = s.open(ctx, channel); err != nil {
				return nil, err
			}
			continue
		}
		if notify {
			err := s.waitFor(ctx, channel, ref)
			if err == nil {
				err = reads.wait(ctx)
			}
			if err == nil {
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

// open opens channel in the current session and returns the login it was
// opened in; notify is false when the engine offers no notifications.
func (s *JobsService) open(ctx context.Context, channel string) (login uint64, notify bool, err error) {
	if _, err := s.client.Notifications.Poll(ctx, channel, 0); err != nil {
		if ctx.Err() != nil {
			return 0, false, ctx.Err()
		}
		return 0, false, nil
	}
	return s.client.loginCount(), true, nil
}

// waitFor returns when the job should be read again: after a notification
// that may concern object ref (one about it, or a drop: notifications were
// lost), or after quietReads long polls that brought nothing, in case the
// engine forgot the channel.
func (s *JobsService) waitFor(ctx context.Context, channel, ref string) error {
	w := s.client.wait
	for quiet := 0; quiet < quietReads; {
		notes, err := s.client.Notifications.Poll(ctx, channel, w.notifyTimeout)
		if err != nil {
			return err
		}
		if len(notes) == 0 {
			quiet++
			continue
		}
		for _, n := range notes {
			if n.Object == ref || n.Type == "NotificationDrop" {
				return nil
			}
		}
	}
	return nil
}

// quietReads is how many empty long polls in a row Wait makes before it
// reads the job anyway (about 4 minutes at the default notify timeout).
const quietReads = 5

// readBurst is how many reads notifications may cause at once.
const readBurst = 5

// readLimiter is a token bucket: one read per every, up to readBurst saved.
type readLimiter struct {
	every  time.Duration
	tokens float64
	at     time.Time
}

// wait returns when a read may be made, and takes it.
func (l *readLimiter) wait(ctx context.Context) error {
	now := time.Now()
	l.tokens = min(readBurst, l.tokens+float64(now.Sub(l.at))/float64(l.every))
	l.at = now
	if l.tokens < 1 {
		d := time.Duration((1 - l.tokens) * float64(l.every))
		if err := sleep(ctx, d); err != nil {
			return err
		}
		l.tokens, l.at = 1, now.Add(d)
	}
	l.tokens--
	return nil
}

func newChannel() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "dxsteps-" + hex.EncodeToString(b[:])
}

// unreachable reports whether err is the engine not answering, which may
// pass (not a plain-HTTP answer on an https:// URL, which will not).
func unreachable(err error) bool {
	var lost *UnreachableError
	return errors.As(err, &lost) && !errors.Is(err, ErrPlainHTTP)
}
