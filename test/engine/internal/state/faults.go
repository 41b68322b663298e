package state

import (
	"encoding/json"
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// MaxRequests bounds the request log so that a long-running engine's memory stays flat: at
// the bound the oldest half is forgotten.
const MaxRequests = 50000

type faultState struct {
	jobs    []model.JobFault
	http    []*httpFault
	random  *randomFaults
	records []model.FaultRecord
}

// httpFault is an HTTPFault with its regexp compiled and its skips and uses counted.
type httpFault struct {
	model.HTTPFault
	re *regexp.Regexp
}

type randomFaults struct {
	model.RandomFaults
	re  *regexp.Regexp
	rng *rand.Rand
}

// FailNextJob arranges for the next matching job to fail.
func (e *State) FailNextJob(f model.JobFault) {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	e.addJobFault(f)
}

func (e *State) addJobFault(f model.JobFault) {
	if f.Message == "" {
		f.Message = "Injected failure."
	}
	if f.Percent <= 0 || f.Percent >= 100 {
		f.Percent = 50
	}
	e.faults.jobs = append(e.faults.jobs, f)
}

// InjectHTTPError arranges for matching API requests to meet a fault (an HTTP error by
// default). It refuses an unknown kind or a bad regexp.
func (e *State) InjectHTTPError(f model.HTTPFault) error {
	hf, err := compileFault(f)
	if err != nil {
		return err
	}
	e.Mu.Lock()
	defer e.Mu.Unlock()
	e.faults.http = append(e.faults.http, hf)
	return nil
}

func compileFault(f model.HTTPFault) (*httpFault, error) {
	if f.Kind == "" {
		f.Kind = model.FaultStatus
	}
	if !slices.Contains(model.FaultKinds, f.Kind) {
		return nil, model.Invalid("unknown fault kind %q (want one of %s)", f.Kind, strings.Join(model.FaultKinds, ", "))
	}
	if f.Count <= 0 {
		f.Count = 1
	}
	if f.Status == 0 {
		f.Status = 502 // Bad Gateway
	}
	if f.Status == 429 {
		// A 429 comes from a rate limiter in front of the engine: the engine never saw
		// the request, so a client may send it again. Never one after processing.
		f.AfterProcessing = false
		if f.RetryAfter <= 0 {
			f.RetryAfter = 1
		}
	}
	hf := &httpFault{HTTPFault: f}
	if f.PathRegexp != "" {
		re, err := regexp.Compile(f.PathRegexp)
		if err != nil {
			return nil, model.Invalid("pathRegexp: %v", err)
		}
		hf.re = re
	}
	return hf, nil
}

// SetRandomFaults does faults to API requests at random from now on (a Rate of 0: never).
func (e *State) SetRandomFaults(f model.RandomFaults) error {
	if f.Rate < 0 || f.Rate > 1 {
		return model.Invalid("rate %v is not between 0 and 1", f.Rate)
	}
	for _, k := range f.Kinds {
		if !slices.Contains(model.FaultKinds, k) {
			return model.Invalid("unknown fault kind %q (want one of %s)", k, strings.Join(model.FaultKinds, ", "))
		}
	}
	rf := &randomFaults{RandomFaults: f, rng: rand.New(rand.NewSource(f.Seed))}
	if len(rf.Kinds) == 0 {
		rf.Kinds = slices.DeleteFunc(slices.Clone(model.FaultKinds), func(k string) bool { return k == model.FaultJobFail })
	}
	if len(rf.Statuses) == 0 {
		rf.Statuses = []int{429, 502, 503, 504}
	}
	if f.PathRegexp != "" {
		re, err := regexp.Compile(f.PathRegexp)
		if err != nil {
			return model.Invalid("pathRegexp: %v", err)
		}
		rf.re = re
	}
	e.Mu.Lock()
	defer e.Mu.Unlock()
	e.faults.random = rf
	if f.Rate == 0 {
		e.faults.random = nil
	}
	return nil
}

// Faults returns the faults done so far, oldest first.
func (e *State) Faults() []model.FaultRecord {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	return slices.Clone(e.faults.records)
}

// takeJobFault consumes the first job fault matching j.
func (e *State) takeJobFault(j *Job) (model.JobFault, bool) {
	for i, f := range e.faults.jobs {
		if (f.Target == "" || f.Target == j.Target || f.Target == j.TargetName ||
			strings.HasSuffix(j.TargetName, "/"+f.Target)) &&
			(f.ActionType == "" || f.ActionType == j.ActionType) {
			e.faults.jobs = append(e.faults.jobs[:i:i], e.faults.jobs[i+1:]...)
			return f, true
		}
	}
	return model.JobFault{}, false
}

func matches(method, path, wantMethod, suffix string, re *regexp.Regexp) bool {
	return (wantMethod == "" || strings.EqualFold(wantMethod, method)) && strings.HasSuffix(path, suffix) &&
		(re == nil || re.MatchString(path))
}

// MatchFault consumes one use of the first injected HTTP fault matching the request, or
// else draws a random one; it records the fault done. The caller holds the lock.
func (e *State) MatchFault(method, path string) *model.HTTPFault {
	for i, f := range e.faults.http {
		if !matches(method, path, f.Method, f.PathSuffix, f.re) {
			continue
		}
		if f.Skip > 0 {
			f.Skip--
			continue
		}
		if f.Count--; f.Count <= 0 {
			e.faults.http = append(e.faults.http[:i:i], e.faults.http[i+1:]...)
		}
		out := f.HTTPFault
		e.record(method, path, out, false)
		e.applyStateFault(method, path, out)
		return &out
	}
	r := e.faults.random
	if r == nil || !matches(method, path, r.Method, r.PathSuffix, r.re) || r.rng.Float64() >= r.Rate {
		return nil
	}
	f := model.HTTPFault{Kind: r.Kinds[r.rng.Intn(len(r.Kinds))], Count: 1, RetryAfter: r.RetryAfter,
		Delay: r.Delay, Status: r.Statuses[r.rng.Intn(len(r.Statuses))], AfterProcessing: r.rng.Intn(2) == 0}
	if f.Status == 429 {
		// A 429 comes from a rate limiter in front of the engine: the engine never saw
		// the request, so a client may send it again. Never one after processing.
		f.AfterProcessing = false
		if f.RetryAfter <= 0 {
			f.RetryAfter = 1
		}
	}
	if f.Kind == model.FaultJobFail {
		f.Percent = 1 + r.rng.Intn(99)
	}
	e.record(method, path, f, true)
	e.applyStateFault(method, path, f)
	return &f
}

// applyStateFault does what a busy or jobFail fault changes in the estate; busy only on a
// POST (an operation on the object).
func (e *State) applyStateFault(method, path string, f model.HTTPFault) {
	switch f.Kind {
	case model.FaultJobFail:
		e.addJobFault(model.JobFault{Percent: f.Percent, Message: "Injected failure."})
	case model.FaultBusy:
		if method != "POST" {
			return
		}
		parts := strings.Split(strings.Trim(path, "/"), "/")
		if len(parts) >= 2 {
			dur := 3 * time.Second
			if f.Delay > 0 {
				dur = time.Duration(f.Delay) * time.Millisecond
			}
			e.StartForeignJob(parts[len(parts)-2], dur)
		}
	}
}

func (e *State) record(method, path string, f model.HTTPFault, random bool) {
	if len(e.faults.records) >= MaxRequests {
		e.faults.records = slices.Clone(e.faults.records[MaxRequests/2:])
	}
	e.faults.records = append(e.faults.records, model.FaultRecord{Time: Stamp(time.Now()), Method: method,
		Path: path, Fault: f, Random: random})
}

// StartForeignJob starts someone else's job on target, holding it busy for dur (at speed
// 1, scaled like every job). The caller holds the lock. It does nothing when target is
// unknown or already busy.
func (e *State) StartForeignJob(target string, dur time.Duration) {
	if _, ok := e.ByRef[target]; !ok || e.busy[target] != nil {
		return
	}
	u := &User{Ref: "USER-someone-else", Name: "someone_else", Admin: true}
	_, _ = e.StartJob(u, JobSpec{ActionType: "DB_SYNC", Title: "Someone else's job.", Target: target,
		TargetName: target, Duration: dur, Run: func(r *JobRun) error { return r.Step(1, 100, "event.job.progress", "Done.") }})
}

// LogRequest appends a record (status filled in later by the caller).
func (e *State) LogRequest(method, path, query string, body []byte) *model.RequestRecord {
	rec := &model.RequestRecord{Time: Stamp(time.Now()), Method: method, Path: path, Query: query,
		Body: redact(body)}
	if len(e.requests) >= MaxRequests {
		e.requests = append([]*model.RequestRecord(nil), e.requests[MaxRequests/2:]...)
	}
	e.requests = append(e.requests, rec)
	return rec
}

// redact replaces the value of every JSON field whose name contains "password".
func redact(body []byte) json.RawMessage {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		b, _ := json.Marshal(string(body))
		return b
	}
	b, _ := json.Marshal(redactValue(v))
	return b
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if strings.Contains(strings.ToLower(k), "password") {
				x[k] = "********"
			} else {
				x[k] = redactValue(val)
			}
		}
	case []any:
		for i := range x {
			x[i] = redactValue(x[i])
		}
	}
	return v
}

// Requests returns the API requests received so far, the newest maxRequests at most.
func (e *State) Requests() []model.RequestRecord {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	out := make([]model.RequestRecord, 0, len(e.requests))
	for _, r := range e.requests {
		out = append(out, *r)
	}
	return out
}

// ClearRequests forgets the request log.
func (e *State) ClearRequests() {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	e.requests = nil
}
