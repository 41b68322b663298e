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
// Target matches a job's target reference or name.
type JobFault struct {
	Target     string `json:"target,omitempty"`
	ActionType string `json:"actionType,omitempty"`
	Message    string `json:"message,omitempty"`
}

// HTTPFault answers Count matching API requests (default 1) with Status and an HTML body,
// like a proxy would. With AfterProcessing the engine performs the operation first, so a
// client that re-sends a job-starting POST would start a second job.
type HTTPFault struct {
	Method          string `json:"method,omitempty"`
	PathSuffix      string `json:"pathSuffix,omitempty"`
	Status          int    `json:"status"`
	AfterProcessing bool   `json:"afterProcessing,omitempty"`
	Count           int    `json:"count,omitempty"`
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
