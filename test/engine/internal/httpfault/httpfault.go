// Package httpfault does the HTTP side of the faults an API request meets (model.HTTPFault),
// the same way for every API the local engine serves (the engine API and DCT), so that a
// client of either is tried as hard as the other:
//
//   - status: the error answer, with an HTML body as a proxy sends it, before the API acts
//     or, with AfterProcessing, after it acted; a 429 carries Retry-After.
//   - delay: the answer comes Delay milliseconds (default 2000) late.
//   - dropBefore, dropAfter: the connection is closed unanswered, before the API acts or
//     after.
//   - restart: the engine restarts: the engine API's sessions end, running jobs go on, the
//     request's connection is closed unanswered before the API acts.
//   - expireSessions: the engine API's sessions end, then the request is served as usual.
//     DCT has no sessions (every request carries its API key, and a key does not expire),
//     so for a DCT request this is the engine API's sessions ending meanwhile.
//   - busy: someone else's job on the request's target, the id before the last path
//     segment, started when the fault is drawn (state.MatchFault).
//   - jobFail: the next job started fails (state.MatchFault arranges it).
package httpfault

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Before draws the fault a request meets and does what comes before the API acts. The
// caller holds the state's lock. When the request is answered (an error status before
// processing, a dropped connection) it returns answered, with the lock released; otherwise
// the fault left for after the API acted (nil: none), to hand to After.
func Before(st *state.State, w http.ResponseWriter, r *http.Request, rec *model.RequestRecord) (after *model.HTTPFault, answered bool) {
	f := st.MatchFault(r.Method, r.URL.Path)
	if f == nil {
		return nil, false
	}
	switch f.Kind {
	case model.FaultStatus:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		if f.AfterProcessing {
			return f, false
		}
		rec.Status = f.Status
		st.Mu.Unlock()
		WriteHTML(w, f.Status, http.StatusText(f.Status))
		return nil, true
	case model.FaultDelay:
		st.Mu.Unlock()
		sleep(st, r, f.Delay)
		st.Mu.Lock()
	case model.FaultExpireSessions:
		st.EndSessions()
	case model.FaultRestart, model.FaultDropBefore:
		if f.Kind == model.FaultRestart {
			st.EndSessions()
		}
		st.Mu.Unlock()
		Drop(w)
		return nil, true
	case model.FaultDropAfter:
		return f, false
	}
	return nil, false
}

// After does, in place of the API's answer, the fault Before left for after it (an error
// status, a dropped connection). The caller holds the state's lock; After releases it.
func After(st *state.State, w http.ResponseWriter, rec *model.RequestRecord, f *model.HTTPFault) {
	if f.Kind == model.FaultDropAfter {
		st.Mu.Unlock()
		Drop(w)
		return
	}
	rec.Status = f.Status
	st.Mu.Unlock()
	WriteHTML(w, f.Status, http.StatusText(f.Status))
}

// sleep waits a delay fault's milliseconds (default 2000), less if the request or the
// engine ends first.
func sleep(st *state.State, r *http.Request, ms int) {
	if ms <= 0 {
		ms = 2000
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	case <-st.Closing:
	}
}

// Drop closes the request's connection without an answer, as a network that loses it
// would: the client sees the connection reset or an unexpected EOF.
func Drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // a reset, not an orderly close
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// WriteHTML answers like the engine's Tomcat, or a proxy in front of it, does for requests
// refused before the API.
func WriteHTML(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html;charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html><head><title>Error report</title></head><body><h1>HTTP Status %d - %s</h1>"+
		"<p><b>type</b> Status report</p><p><b>message</b> <u>%s</u></p></body></html>", status, msg, msg)
}
