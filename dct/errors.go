package dct

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// Sentinel errors for errors.Is. An *APIError matches the one its HTTP
// status stands for; a *NameError with no match is ErrNotFound.
var (
	// ErrNotFound: the object named or referenced does not exist.
	ErrNotFound error = &httpapi.Sentinel{Msg: "dct: not found", Kind: httpapi.ErrNotFound}
	// ErrUnauthorized: DCT refused the API key.
	ErrUnauthorized error = &httpapi.Sentinel{Msg: "dct: unauthorized", Kind: httpapi.ErrUnauthorized}
	// ErrForbidden: the key's account may not see or change that object.
	ErrForbidden error = &httpapi.Sentinel{Msg: "dct: permission denied", Kind: httpapi.ErrForbidden}
	// ErrConflict: the object is locked, busy, or in a state that forbids
	// the operation.
	ErrConflict error = &httpapi.Sentinel{Msg: "dct: conflict", Kind: httpapi.ErrConflict}
)

// ErrPlainHTTP is in an *UnreachableError when an https:// URL reached a
// server that answered in plain HTTP.
var ErrPlainHTTP = errors.New("DCT answered plain HTTP on an https:// URL")

// APIError is an answer DCT gave with a status of 300 or more. The spec
// declares error bodies only as ErrorResponse {error, error_description}
// and Error {message, object_name}; Message is taken from whichever of
// those (or "message"/"errors") the body has, else the body's text.
type APIError struct {
	Method     string
	Path       string
	HTTPStatus int
	// Code is the body's "error" (for example "invalid_token"), if any.
	Code string
	// Message is DCT's explanation, on one line.
	Message string
	// Objects names the objects the message is about, if DCT said.
	Objects []string
}

// Error is one line: call, status, DCT's message and what to do.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.HTTPStatus)
	if t := http.StatusText(e.HTTPStatus); t != "" {
		b.WriteString(" " + t)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " [%s]", e.Code)
	}
	if len(e.Objects) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Objects, ", "))
	}
	if a := e.advice(); a != "" {
		b.WriteString(" (" + a + ")")
	}
	return b.String()
}

func (e *APIError) advice() string {
	switch e.HTTPStatus {
	case http.StatusUnauthorized:
		return "check the DCT API key: it must be a current key of an active account"
	case http.StatusForbidden:
		return "the API key's account lacks the permission for this object or action"
	case http.StatusNotFound:
		return "check the name or id and that the account can see it"
	case http.StatusConflict:
		return "the object is locked or busy: wait for its running job, or unlock it"
	}
	return ""
}

// Is lets errors.Is match an APIError against the sentinels.
func (e *APIError) Is(target error) bool {
	switch httpapi.KindOf(target) {
	case httpapi.ErrNotFound:
		return e.HTTPStatus == http.StatusNotFound
	case httpapi.ErrUnauthorized:
		return e.HTTPStatus == http.StatusUnauthorized
	case httpapi.ErrForbidden:
		return e.HTTPStatus == http.StatusForbidden
	case httpapi.ErrConflict:
		return e.HTTPStatus == http.StatusConflict
	}
	return false
}

// redact removes the API key from everything the error prints, in case
// DCT echoed it.
func (e *APIError) redact(secret string) {
	if secret == "" {
		return
	}
	e.Message = strings.ReplaceAll(e.Message, secret, "[redacted]")
	e.Code = strings.ReplaceAll(e.Code, secret, "[redacted]")
	for i := range e.Objects {
		e.Objects[i] = strings.ReplaceAll(e.Objects[i], secret, "[redacted]")
	}
}

// errorBody is every error shape DCT is known to send: ErrorResponse,
// Error, and lists or objects of Error under "errors".
type errorBody struct {
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Message          string          `json:"message"`
	ObjectName       string          `json:"object_name"`
	Errors           json.RawMessage `json:"errors"`
}

type errorItem struct {
	Message    string `json:"message"`
	ObjectName string `json:"object_name"`
}

// parseError reads a DCT error body; nil when raw is not one.
func parseError(raw []byte) *APIError {
	var b errorBody
	if json.Unmarshal(raw, &b) != nil {
		return nil
	}
	e := &APIError{Code: oneLine(b.Error)}
	var msgs []string
	add := func(m, obj string) {
		if m = oneLine(m); m != "" {
			msgs = append(msgs, m)
		}
		if obj = oneLine(obj); obj != "" {
			e.Objects = append(e.Objects, obj)
		}
	}
	add(b.ErrorDescription, "")
	add(b.Message, b.ObjectName)
	var items []errorItem
	var item errorItem
	if json.Unmarshal(b.Errors, &items) == nil {
		for _, it := range items {
			add(it.Message, it.ObjectName)
		}
	} else if json.Unmarshal(b.Errors, &item) == nil {
		add(item.Message, item.ObjectName)
	}
	e.Message = strings.Join(msgs, "; ")
	if e.Message == "" && e.Code == "" {
		return nil
	}
	return e
}

// rawText is an error body that is not DCT's JSON, cut to one short line.
// htmlTag is one tag of an HTML page.
var htmlTag = regexp.MustCompile(`<[^>]*>`)

// htmlTitle is an HTML page's title.
var htmlTitle = regexp.MustCompile(`(?i)<title[^>]*>(.*?)</title>`)

func rawText(raw []byte) string {
	s := oneLine(string(raw))
	if html := strings.ToLower(s); strings.HasPrefix(html, "<!doctype html") || strings.HasPrefix(html, "<html") {
		// A web server's error page, not DCT: its title, else its text, without markup.
		if m := htmlTitle.FindStringSubmatch(s); m != nil {
			s = m[1]
		}
		if s = oneLine(htmlTag.ReplaceAllString(s, " ")); s == "" {
			return "an HTML page, not DCT's JSON"
		}
		return rawText([]byte("an HTML page, not DCT's JSON: " + s))
	}
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// UnreachableError means no DCT answer came back: the connection failed, or
// a proxy answered 429 or 502-504, after the retries the request allowed.
type UnreachableError struct {
	Method, Path string
	Status       int   // HTTP status of the last answer, 0 when there was none
	Err          error // the transport error, if any
	// MayHaveStarted: the request could start a job and may have reached
	// DCT before its answer was lost, so it was not sent again.
	MayHaveStarted bool
}

func (e *UnreachableError) Error() string {
	if errors.Is(e.Err, ErrPlainHTTP) {
		return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	}
	msg := fmt.Sprintf("DCT unreachable: %s %s: HTTP %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Err != nil {
		msg = fmt.Sprintf("DCT unreachable: %s %s: %v", e.Method, e.Path, e.Err)
	}
	if e.MayHaveStarted {
		msg += " (the operation may have started: check the object's jobs in DCT before running it again)"
	}
	return msg
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// NoAnswer makes it an httpapi.Unreachable.
func (e *UnreachableError) NoAnswer() {}

// MayHaveActedError is a request whose answer was lost and whose effect
// DCT could not be asked about before the deadline (or cannot show): it
// may have acted, so it was not sent again.
type MayHaveActedError = httpapi.MayHaveActedError
