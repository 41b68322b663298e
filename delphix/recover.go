package delphix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// engineClock is the engine's clock as its last answer's Date header gave
// it, so that "since just before the request" is measured on the engine's
// clock, not this agent's.
type engineClock struct {
	mu     sync.Mutex
	engine time.Time // the Date header
	local  time.Time // when it arrived
}

func (k *engineClock) note(date string) {
	t, err := http.ParseTime(date)
	if err != nil {
		return
	}
	k.mu.Lock()
	k.engine, k.local = t, time.Now()
	k.mu.Unlock()
}

// now estimates the engine's time now; ok is false before any answer.
func (k *engineClock) now() (time.Time, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.engine.IsZero() {
		return time.Time{}, false
	}
	return k.engine.Add(time.Since(k.local)), true
}

// clockSlack covers the Date header's one-second resolution and the time an
// answer takes to arrive.
const clockSlack = 2 * time.Second

// maxStartSends bounds how often a job-starting POST is sent when each time
// its answer is lost and the engine shows nothing it started: as often as a
// read is sent (--retry-max plus one), at least twice. Each time the engine
// provably did not act, so each send is as safe as resending a read.
func (c *Client) maxStartSends() int {
	return max(2, c.http.RetryMax+1)
}

// recovery says how to find what a job-starting POST started when its answer
// was lost: a job of ActionType (any, when empty) on Target started by this
// user since just before the request, or the object Created finds (by the
// name the request gave it) and the job on it.
type recovery struct {
	Target     string
	ActionType string
	// Created finds the object the request creates, "" while there is none.
	Created func(ctx context.Context) (string, error)
	// JobOnTarget says the created object's job runs on Target, not on the
	// object itself (a new branch's job runs on its data pod).
	JobOnTarget bool
}

// MayHaveActedError is a request whose answer was lost and whose effect the
// engine could not be asked about before the deadline (or cannot show): it
// may have acted, so it was not sent again.
type MayHaveActedError = httpapi.MayHaveActedError

// startRecoverable POSTs an operation like start. When the answer is lost
// (no Delphix answer came back), it asks the engine what it started and
// follows that, with Operation.Recovered set; it sends the request again only
// when the engine shows that nothing started, at most maxStartSends times.
// Look-ups that fail are tried again until ctx's deadline.
func (c *Client) startRecoverable(ctx context.Context, path string, body any, rec recovery) (Operation, error) {
	return c.sendRecoverable(ctx, path, body, func(ctx context.Context, since time.Time, known bool) (*Operation, error) {
		return c.findStarted(ctx, rec, since.Add(-clockSlack), known)
	})
}

// sendRecoverable POSTs body to path. When the answer is lost, it asks find
// (with the engine's time just before the request, when known), a few
// times with pauses, what the request did: find returns the operation when
// it took effect, nil when the engine shows it has not. Only when every
// look shows nothing is the request sent again, at most maxStartSends
// times; look-ups that fail because the engine is unreachable are tried
// again, with backoff, until ctx's deadline. When it cannot tell, the
// error is a *MayHaveActedError.
func (c *Client) sendRecoverable(ctx context.Context, path string, body any, find func(ctx context.Context, since time.Time, known bool) (*Operation, error)) (Operation, error) {
	for sends := 1; ; sends++ {
		since, known := c.seen.now()
		op, err := c.start(ctx, path, body)
		var lost *UnreachableError
		if err == nil || !errors.As(err, &lost) || ctx.Err() != nil {
			return op, err
		}
		found, ferr := c.lookAgain(ctx, func(ctx context.Context) (*Operation, error) { return find(ctx, since, known) })
		switch {
		case ferr != nil && ctx.Err() != nil:
			return Operation{}, &MayHaveActedError{Look: "the engine", Method: "POST", Path: path, Err: err,
				Why: fmt.Sprintf("the deadline passed while asking the engine what it did (%v)", ferr)}
		case ferr != nil:
			return Operation{}, &MayHaveActedError{Look: "the engine", Method: "POST", Path: path, Err: err,
				Why: fmt.Sprintf("the engine cannot show what it did (%v)", ferr)}
		case found != nil:
			return *found, nil
		case sends >= c.maxStartSends():
			return Operation{}, fmt.Errorf("%w; the engine shows nothing done after %d tries, so nothing runs: run the step again when the engine answers", err, sends)
		}
	}
}

// lookAgain asks find until it finds something, or three looks with
// pauses (the engine may still be acting on the request) show nothing
// (nil, nil). A look that fails because the engine is unreachable, or
// because it keeps ending the sessions the look logs in with, does not
// count: it is asked again, with backoff, until ctx ends, since a job the
// request may have started would otherwise run unwatched.
func (c *Client) lookAgain(ctx context.Context, find func(ctx context.Context) (*Operation, error)) (*Operation, error) {
	pause := max(c.http.RetryWaitMin, 100*time.Millisecond)
	for empty := 0; ; {
		op, err := find(ctx)
		var (
			lost  *UnreachableError
			ended *SessionLostError
		)
		switch {
		case err == nil && op != nil:
			return op, nil
		case err == nil:
			if empty++; empty >= 3 {
				return nil, nil
			}
		case (!errors.As(err, &lost) && !errors.As(err, &ended)) || ctx.Err() != nil:
			return nil, err
		}
		if serr := sleep(ctx, pause); serr != nil {
			if err == nil {
				err = serr
			}
			return nil, err
		}
		pause = min(pause*2, max(c.http.RetryWaitMax, pause))
	}
}

func (c *Client) findStarted(ctx context.Context, rec recovery, since time.Time, sinceKnown bool) (*Operation, error) {
	target, created := rec.Target, ""
	if rec.Created != nil {
		ref, err := rec.Created(ctx)
		if err != nil || ref == "" {
			return nil, err
		}
		created = ref
		if !rec.JobOnTarget {
			target = ref
		}
	}
	// The jobs on an object the request created are all its own; on an
	// object that existed, only those started since the request.
	recent := created == "" || rec.JobOnTarget
	var from time.Time
	if recent && sinceKnown {
		from = since
	}
	jobs, err := c.jobsOn(ctx, target, rec.ActionType, from)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	me := c.userRef
	c.mu.Unlock()
	for i := len(jobs) - 1; i >= 0; i-- {
		j := jobs[i]
		if me != "" && j.User != "" && j.User != me {
			continue
		}
		if recent && !startedSince(j, since, sinceKnown) {
			continue
		}
		return &Operation{Reference: created, Job: j.Reference, Action: j.ParentAction, Recovered: true}, nil
	}
	if created != "" { // the object exists and no job of it shows: it is done
		return &Operation{Reference: created, Recovered: true}, nil
	}
	return nil, nil
}

// startedSince reports whether job j started at or after since on the
// engine's clock. Without a known clock only a running job counts.
func startedSince(j Job, since time.Time, known bool) bool {
	if !known {
		return j.JobState == JobRunning
	}
	t, err := time.Parse(time.RFC3339Nano, j.StartTime)
	return err == nil && !t.Before(since)
}

// jobsOn lists the jobs on target of actionType (any when empty) updated
// since from (when set), every page (the engine lists them oldest first).
func (c *Client) jobsOn(ctx context.Context, target, actionType string, from time.Time) ([]Job, error) {
	const pageSize = 100
	var all []Job
	for offset := 0; ; offset++ {
		q := url.Values{"target": {target}, "pageSize": {fmt.Sprint(pageSize)}, "pageOffset": {fmt.Sprint(offset)}}
		if actionType != "" {
			q.Set("jobType", actionType)
		}
		if !from.IsZero() {
			q.Set("fromDate", from.UTC().Format("2006-01-02T15:04:05.000Z"))
		}
		var page []Job
		if _, err := c.call(ctx, "GET", withQuery("/job", q), nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < pageSize || offset >= 50 {
			return all, nil
		}
	}
}
