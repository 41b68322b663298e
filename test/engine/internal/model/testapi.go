package model

import (
	"encoding/json"
	"fmt"
)

// The value types of the test API, and its errors.

// DatasetRef names a dataset in the test API's list.
type DatasetRef struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Reference string `json:"reference"`
}

// JobFault makes the next job that matches fail with Message. Empty fields match anything;
// Target matches a job's target reference or name. Percent is where the job fails (1 to 99,
// default 50). ActionType MASKING_JOB_EXECUTE fails the next masking of Target: on DCT its
// masking job, on the engine API the masking step inside its next refresh, which then fails
// with the data copied and not masked.
type JobFault struct {
	Target     string `json:"target,omitempty"`
	ActionType string `json:"actionType,omitempty"`
	Message    string `json:"message,omitempty"`
	Percent    int    `json:"percent,omitempty"`
}

// The kinds of HTTP fault: what the engine does to a matching request.
const (
	// FaultStatus answers Status (default 502) with an HTML body, as a proxy would; with
	// AfterProcessing the engine acts first. A 429 carries Retry-After (RetryAfter seconds).
	FaultStatus = "status"
	// FaultDelay answers after Delay milliseconds (default 2000), then as usual.
	FaultDelay = "delay"
	// FaultDropBefore closes the connection without an answer before the engine acts.
	FaultDropBefore = "dropBefore"
	// FaultDropAfter lets the engine act, then closes the connection: the answer is lost.
	FaultDropAfter = "dropAfter"
	// FaultExpireSessions ends every session just before the request is served.
	FaultExpireSessions = "expireSessions"
	// FaultRestart is an engine restart: every session ends, running jobs go on, and the
	// request's connection is closed unanswered.
	FaultRestart = "restart"
	// FaultBusy starts someone else's job on the request's target (the path segment before the
	// last, e.g. the container of POST .../container/REF/refresh), running for Delay
	// milliseconds (default 3000 at speed 1, scaled), then serves the request.
	FaultBusy = "busy"
	// FaultJobFail makes the next job started fail at Percent (default 50).
	FaultJobFail = "jobFail"
)

// FaultKinds are the kinds of HTTP fault, in the order random faults draw from.
var FaultKinds = []string{FaultStatus, FaultDelay, FaultDropBefore, FaultDropAfter,
	FaultExpireSessions, FaultRestart, FaultBusy, FaultJobFail}

// HTTPFault is done to Count matching API requests (default 1), after skipping the first
// Skip matching ones. A request matches when Method (empty: any) matches and its path ends
// with PathSuffix and matches PathRegexp (both empty: any). Kind (default status) says what
// is done; see the Fault* kinds. With AfterProcessing the engine performs the operation
// first, so a client that re-sends a job-starting POST would start a second job.
type HTTPFault struct {
	Kind            string `json:"kind,omitempty"`
	Method          string `json:"method,omitempty"`
	PathSuffix      string `json:"pathSuffix,omitempty"`
	PathRegexp      string `json:"pathRegexp,omitempty"`
	Status          int    `json:"status,omitempty"`
	RetryAfter      int    `json:"retryAfter,omitempty"`
	Delay           int    `json:"delayMs,omitempty"`
	Percent         int    `json:"percent,omitempty"`
	AfterProcessing bool   `json:"afterProcessing,omitempty"`
	Skip            int    `json:"skip,omitempty"`
	Count           int    `json:"count,omitempty"`
}

// RandomFaults does a fault to each matching API request with probability Rate (0 to 1),
// drawn from a generator seeded with Seed, so that the same requests in the same order meet
// the same faults. The kind is drawn from Kinds (default: every kind but jobFail); the
// status of a status fault from Statuses (default 429, 502, 503, 504); AfterProcessing
// half the time, except for a 429 (a rate limiter's answer: the engine never saw the request). Method, PathSuffix and PathRegexp narrow the requests as for HTTPFault. A
// Rate of 0 turns random faults off.
type RandomFaults struct {
	Rate       float64  `json:"rate"`
	Seed       int64    `json:"seed"`
	Kinds      []string `json:"kinds,omitempty"`
	Statuses   []int    `json:"statuses,omitempty"`
	Method     string   `json:"method,omitempty"`
	PathSuffix string   `json:"pathSuffix,omitempty"`
	PathRegexp string   `json:"pathRegexp,omitempty"`
	RetryAfter int      `json:"retryAfter,omitempty"`
	Delay      int      `json:"delayMs,omitempty"`
}

// FaultRecord is one fault the engine did: to which request, and what.
type FaultRecord struct {
	Time   string    `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Fault  HTTPFault `json:"fault"`
	Random bool      `json:"random,omitempty"`
}

// RequestRecord is one API request as the engine received it, password fields redacted.
type RequestRecord struct {
	Time   string          `json:"time"`
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Query  string          `json:"query,omitempty"`
	Body   json.RawMessage `json:"body,omitempty"`
	Status int             `json:"status"`
}

// CatalogEntry is one bookmark with what its data holds: the self-service
// catalog as a person would check it.
type CatalogEntry struct {
	Bookmark      string   `json:"bookmark"`
	Reference     string   `json:"reference"`
	On            string   `json:"on"`   // the template or data pod it was taken on
	Kind          string   `json:"kind"` // "template" or "container"
	Owner         string   `json:"owner"`
	Shared        bool     `json:"shared"`
	Tags          []string `json:"tags"`
	DataVersion   int      `json:"dataVersion"`
	Masked        bool     `json:"masked"`
	SubsetPercent int      `json:"subsetPercent"`
	Rows          int      `json:"rows"`
}

// ContainerStateFault puts a container in a state (e.g. INCONSISTENT, as after a failure).
type ContainerStateFault struct {
	Container string `json:"container"`
	State     string `json:"state"`
}

// Error is a test API failure: something not found, or a request that cannot be done.
type Error struct {
	NotFound bool
	Msg      string
}

func (e *Error) Error() string { return e.Msg }

// NotFound is an Error about something that does not exist.
func NotFound(format string, a ...any) error {
	return &Error{NotFound: true, Msg: fmt.Sprintf(format, a...)}
}

// Invalid is an Error about a request that cannot be done.
func Invalid(format string, a ...any) error { return &Error{Msg: fmt.Sprintf(format, a...)} }
