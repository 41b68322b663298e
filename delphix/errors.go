package delphix

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// Sentinel errors for errors.Is. An *APIError matches the one its HTTP
// status or engine error id stands for.
var (
	// ErrNotFound: the object named or referenced does not exist.
	ErrNotFound error = &httpapi.Sentinel{Msg: "delphix: not found", Kind: httpapi.ErrNotFound}
	// ErrUnauthorized: the login was refused or the session is gone.
	ErrUnauthorized error = &httpapi.Sentinel{Msg: "delphix: unauthorized", Kind: httpapi.ErrUnauthorized}
	// ErrForbidden: the user may not see or change that object.
	ErrForbidden error = &httpapi.Sentinel{Msg: "delphix: permission denied", Kind: httpapi.ErrForbidden}
	// ErrConflict: the object is busy (a job runs on it) or in a state that
	// forbids the operation.
	ErrConflict error = &httpapi.Sentinel{Msg: "delphix: conflict", Kind: httpapi.ErrConflict}
)

// ErrPlainHTTP is in an *UnreachableError when an https:// URL reached an
// engine that answered in plain HTTP: the URL should start with http://.
var ErrPlainHTTP = errors.New("the engine answered plain HTTP on an https:// URL")

// errSessionLost is an HTTP 401/403 without a Delphix body: the engine's
// "log in first" page.
var errSessionLost = errors.New("delphix: session lost")

// APIError is an error the engine reported (an ErrorResult), or an answer
// that was not a Delphix result at all.
type APIError struct {
	// ID is the engine's stable error class, e.g. "exception.executor.object.missing".
	ID string `json:"id"`
	// Details is a string, or for validation errors an object mapping field
	// names to nested errors; String renders either.
	Details json.RawMessage `json:"details"`
	// Action is what the engine suggests the user do.
	Action string `json:"action"`
	// CommandOutput carries hook or script output, when there is some.
	CommandOutput string `json:"commandOutput"`

	Method     string `json:"-"`
	Path       string `json:"-"`
	HTTPStatus int    `json:"-"`
}

// Error is one line: call, error id, details and the engine's advice.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	if d := e.Message(); d != "" {
		b.WriteString(d)
	} else {
		b.WriteString("engine error")
	}
	if e.ID != "" {
		fmt.Fprintf(&b, " [%s]", e.ID)
	}
	if e.Action != "" {
		fmt.Fprintf(&b, " (%s)", strings.TrimSpace(e.Action))
	}
	return b.String()
}

// Message renders Details as one line: a string as is, a field map as
// "field: message; field: message".
func (e *APIError) Message() string {
	return renderDetails(e.Details)
}

func renderDetails(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return oneLine(s)
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return oneLine(string(raw))
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, k := range names {
		var nested APIError
		msg := oneLine(string(fields[k]))
		if json.Unmarshal(fields[k], &nested) == nil && len(nested.Details) > 0 {
			msg = nested.Message()
		}
		parts = append(parts, k+": "+msg)
	}
	return strings.Join(parts, "; ")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Is lets errors.Is match an APIError against the sentinels.
func (e *APIError) Is(target error) bool {
	id := strings.ToLower(e.ID)
	switch httpapi.KindOf(target) {
	case httpapi.ErrNotFound:
		return e.HTTPStatus == http.StatusNotFound || strings.Contains(id, "object.missing") || strings.Contains(id, "notfound")
	case httpapi.ErrUnauthorized:
		return e.HTTPStatus == http.StatusUnauthorized || strings.Contains(id, "login") || id == "session.lost"
	case httpapi.ErrForbidden:
		return (e.HTTPStatus == http.StatusForbidden && id != "session.lost") || strings.Contains(id, "permission")
	case httpapi.ErrConflict:
		return e.HTTPStatus == http.StatusConflict || strings.Contains(id, "busy") || strings.Contains(id, "conflict")
	}
	return false
}

// UnreachableError means no Delphix answer came back: the connection
// failed, or a proxy answered 5xx/429, after the retries the request allowed.
type UnreachableError struct {
	Method, Path string
	Status       int   // HTTP status of the last answer, 0 when there was none
	Err          error // the transport error, if any
}

func (e *UnreachableError) Error() string {
	if errors.Is(e.Err, ErrPlainHTTP) {
		return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	}
	if e.Err != nil {
		return fmt.Sprintf("engine unreachable: %s %s: %v", e.Method, e.Path, e.Err)
	}
	return fmt.Sprintf("engine unreachable: %s %s: HTTP %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// NoAnswer makes it an httpapi.Unreachable.
func (e *UnreachableError) NoAnswer() {}

// SessionLostError is the engine ending the session again and again: the
// client opened a new session and logged in each time (the engine accepted
// the credentials, or never got to judge them), and the session was gone
// again. It is not a password problem.
type SessionLostError struct {
	Method, Path string
	Times        int // sessions lost in a row
}

func (e *SessionLostError) Error() string {
	return fmt.Sprintf("%s %s: the engine ended the session %d times in a row, each time right after dxsteps logged in again; "+
		"the credentials are not the problem: check whether the engine is restarting or something ends its sessions, then run the step again",
		e.Method, e.Path, e.Times)
}
