package state

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// MaxRequests bounds the request log so that a long-running engine's memory stays flat: at
// the bound the oldest half is forgotten.
const MaxRequests = 50000

type faultState struct {
	jobs []model.JobFault
	http []*model.HTTPFault
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
	e.faults.jobs = append(e.faults.jobs, f)
}

// InjectHTTPError arranges for matching API requests to be answered with an HTTP error.
func (e *State) InjectHTTPError(f model.HTTPFault) {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	e.addHTTPFault(f)
}

func (e *State) addHTTPFault(f model.HTTPFault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	if f.Status == 0 {
		f.Status = 502 // Bad Gateway
	}
	e.faults.http = append(e.faults.http, &f)
}

// takeJobFault consumes the first job fault matching j and returns its message.
func (e *State) takeJobFault(j *Job) string {
	for i, f := range e.faults.jobs {
		if (f.Target == "" || f.Target == j.Target || f.Target == j.TargetName ||
			strings.HasSuffix(j.TargetName, "/"+f.Target)) &&
			(f.ActionType == "" || f.ActionType == j.ActionType) {
			e.faults.jobs = append(e.faults.jobs[:i:i], e.faults.jobs[i+1:]...)
			return f.Message
		}
	}
	return ""
}

// MatchFault consumes one use of the first HTTP fault matching r.
func (e *State) MatchFault(method, path string) *model.HTTPFault {
	for i, f := range e.faults.http {
		if (f.Method == "" || strings.EqualFold(f.Method, method)) && strings.HasSuffix(path, f.PathSuffix) {
			if f.Count--; f.Count <= 0 {
				e.faults.http = append(e.faults.http[:i:i], e.faults.http[i+1:]...)
			}
			return f
		}
	}
	return nil
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
