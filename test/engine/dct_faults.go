package engine

import (
	"net/http"
	"strconv"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// The DCT API meets every fault kind the engine API does, done the same way (see
// model.HTTPFault), so that a DCT client is tried as hard as an engine API client:
//
//   - status: the error answer, with an HTML body as a proxy sends it, before DCT acts or,
//     with AfterProcessing, after it acted; a 429 carries Retry-After.
//   - delay: the answer comes Delay milliseconds (default 2000) late.
//   - dropBefore, dropAfter: the connection is closed unanswered, before DCT acts or after.
//   - restart: DCT and the engine behind it restart: the engine API's sessions end, running
//     jobs go on, the request's connection is closed unanswered before DCT acts.
//   - expireSessions: DCT has no sessions (every request carries its API key, and a key does
//     not expire), so its equivalent is the engine API's sessions ending while the DCT
//     request is served as usual.
//   - busy: someone else's job on the request's target, the id before the last path segment
//     (the VDB of POST /vdbs/{id}/refresh_by_snapshot, the container behind the VDB group of
//     POST /vdb-groups/{id}/...), started when the fault is drawn (state.MatchFault).
//   - jobFail: the next job started fails (state.MatchFault arranges it).

// dctFaultBefore draws the fault a DCT request meets and does what comes before the
// handler. The caller holds the lock. When the request is answered (an error status before
// processing, a dropped connection) it returns answered, with the lock released; otherwise
// the fault left for after the handler (nil: none), to hand to dctFaultAfter.
func (e *Engine) dctFaultBefore(w http.ResponseWriter, r *http.Request, rec *model.RequestRecord) (after *HTTPFault, answered bool) {
	f := e.MatchFault(r.Method, r.URL.Path)
	if f == nil {
		return nil, false
	}
	switch f.Kind {
	case faultStatus:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		if f.AfterProcessing {
			return f, false
		}
		rec.Status = f.Status
		e.Mu.Unlock()
		writeHTML(w, f.Status, http.StatusText(f.Status))
		return nil, true
	case faultDelay:
		e.Mu.Unlock()
		e.sleep(r, f.Delay)
		e.Mu.Lock()
	case faultExpireSessions:
		clear(e.sessions)
	case faultRestart, faultDropBefore:
		if f.Kind == faultRestart {
			clear(e.sessions)
		}
		e.Mu.Unlock()
		dropConnection(w)
		return nil, true
	case faultDropAfter:
		return f, false
	}
	return nil, false
}

// dctFaultAfter does, in place of the handler's answer, the fault dctFaultBefore left for
// after it (an error status, a dropped connection). The caller holds the lock; it is
// released.
func (e *Engine) dctFaultAfter(w http.ResponseWriter, rec *model.RequestRecord, f *HTTPFault) {
	e.Mu.Unlock()
	if f.Kind == faultDropAfter {
		dropConnection(w)
		return
	}
	rec.Status = f.Status
	writeHTML(w, f.Status, http.StatusText(f.Status))
}
