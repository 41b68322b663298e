package engine

import (
	"encoding/json"
	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"net/http"
	"strings"
	"time"
)

// maxRequests bounds the request log so that a long-running engine's memory stays flat: at
// the bound the oldest half is forgotten.
const maxRequests = 50000

type faultState struct {
	jobs []model.JobFault
	http []*model.HTTPFault
}

// FailNextJob arranges for the next matching job to fail.
func (e *State) FailNextJob(f model.JobFault) {
	e.mu.Lock()
	defer e.mu.Unlock()
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
	e.mu.Lock()
	defer e.mu.Unlock()
	e.addHTTPFault(f)
}

func (e *State) addHTTPFault(f model.HTTPFault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	if f.Status == 0 {
		f.Status = http.StatusBadGateway
	}
	e.faults.http = append(e.faults.http, &f)
}

// takeJobFault consumes the first job fault matching j and returns its message.
func (e *State) takeJobFault(j *job) string {
	for i, f := range e.faults.jobs {
		if (f.Target == "" || f.Target == j.target || f.Target == j.targetName) &&
			(f.ActionType == "" || f.ActionType == j.actionType) {
			e.faults.jobs = append(e.faults.jobs[:i:i], e.faults.jobs[i+1:]...)
			return f.Message
		}
	}
	return ""
}

// matchFault consumes one use of the first HTTP fault matching r.
func (e *State) matchFault(r *http.Request) *model.HTTPFault {
	for i, f := range e.faults.http {
		if (f.Method == "" || strings.EqualFold(f.Method, r.Method)) && strings.HasSuffix(r.URL.Path, f.PathSuffix) {
			if f.Count--; f.Count <= 0 {
				e.faults.http = append(e.faults.http[:i:i], e.faults.http[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// logRequest appends a record (status filled in later by the caller).
func (e *State) logRequest(r *http.Request, body []byte) *model.RequestRecord {
	rec := &model.RequestRecord{Time: stamp(time.Now()), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Body: redact(body)}
	if len(e.requests) >= maxRequests {
		e.requests = append([]*model.RequestRecord(nil), e.requests[maxRequests/2:]...)
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
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]model.RequestRecord, 0, len(e.requests))
	for _, r := range e.requests {
		out = append(out, *r)
	}
	return out
}

// ClearRequests forgets the request log.
func (e *State) ClearRequests() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests = nil
}
