package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// Exit codes, the same for every step binary.
const (
	ExitOK          = 0   // success
	ExitFailed      = 1   // the engine operation failed, or a check did
	ExitUsage       = 2   // flags, config or a name that matches nothing or several objects
	ExitAuth        = 3   // login or permission refused
	ExitTimeout     = 4   // the --timeout deadline passed
	ExitUnreachable = 5   // no answer from the engine after retries
	ExitTLS         = 6   // the server's TLS certificate failed verification
	ExitSIGINT      = 130 // aborted by SIGINT
	ExitSIGTERM     = 143 // aborted by SIGTERM
)

// UsageError is bad input the user can fix: a flag, the config, a policy file.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// CheckError is a check the step makes after the engine's work, such as
// --require-masked, that failed.
type CheckError struct{ Msg string }

func (e *CheckError) Error() string { return e.Msg }

// AbortError is a SIGINT or SIGTERM received while the step ran.
type AbortError struct {
	Signal syscall.Signal
	// At is when the signal came; the abort budget counts from it (zero:
	// from when the step sees the abort).
	At time.Time
	// Jobs says what became of each job the step had running: cancelled
	// and CANCELED, still running, or abandoned on DCT.
	Jobs []string
}

func (e *AbortError) Error() string {
	msg := fmt.Sprintf("aborted by %s", signalName(e.Signal))
	if len(e.Jobs) > 0 {
		msg += "; " + strings.Join(e.Jobs, "; ")
	}
	return msg
}

// DeadlineError is the --timeout deadline passing.
type DeadlineError struct {
	Timeout string
	Jobs    []string // as in AbortError
	// Lost is the request ("POST /path") whose answer was lost and whose
	// effect was still being looked for when the deadline passed.
	Lost string
}

func (e *DeadlineError) Error() string {
	msg := "the --timeout of " + e.Timeout + " passed"
	if e.Lost != "" {
		msg += " while asking what " + e.Lost + " did after its answer was lost: a job it started may be running, unwatched"
	}
	if len(e.Jobs) > 0 {
		msg += "; " + strings.Join(e.Jobs, "; ")
	}
	return msg + "; raise --timeout or look at the job on the engine"
}

// lostRequest names the request whose effect err says is unknown, if any.
func lostRequest(err error) string {
	var lost *httpapi.MayHaveActedError
	if errors.As(err, &lost) {
		return lost.Method + " " + lost.Path
	}
	return ""
}

func signalName(s syscall.Signal) string {
	if s == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// classify decides, in one place, the exit code and category of an error.
func classify(err error) (code int, category string) {
	var (
		usage    *UsageError
		abort    *AbortError
		deadline *DeadlineError
		name     *httpapi.NameError
		down     httpapi.Unreachable
	)
	switch {
	case errors.As(err, &abort):
		if abort.Signal == syscall.SIGTERM {
			return ExitSIGTERM, "aborted"
		}
		return ExitSIGINT, "aborted"
	case errors.As(err, &deadline), errors.Is(err, context.DeadlineExceeded):
		return ExitTimeout, "timeout"
	case errors.As(err, &usage), errors.As(err, &name), errors.Is(err, httpapi.ErrNotFound):
		return ExitUsage, "usage"
	case errors.Is(err, httpapi.ErrUnauthorized), errors.Is(err, httpapi.ErrForbidden):
		return ExitAuth, "auth"
	case isCertError(err):
		return ExitTLS, "tls"
	case errors.As(err, &down):
		return ExitUnreachable, "unreachable"
	}
	return ExitFailed, "engine"
}

// ExitCode is one exit code of the contract.
type ExitCode struct {
	Code     int    `json:"code"`
	Category string `json:"category,omitempty"` // as in the error file
	Meaning  string `json:"meaning"`
}

// ExitCodes are every exit code a step binary returns, with what it means:
// the one list the contract, the Jenkins library and the docs show.
var ExitCodes = []ExitCode{
	{ExitOK, "", "success"},
	{ExitFailed, "engine", "the engine operation failed (job FAILED or CANCELED) or a check the step makes failed"},
	{ExitUsage, "usage", "usage or bad input: a flag or key refused, or a name that matches no object or several"},
	{ExitAuth, "auth", "authentication or permission refused"},
	{ExitTimeout, "timeout", "the timeout passed (the job the step started is cancelled; on DCT, abandoned)"},
	{ExitUnreachable, "unreachable", "engine unreachable after retries"},
	{ExitTLS, "tls", "the TLS certificate failed verification: unknown CA, expired, or another host (not retried; see caCert)"},
	{ExitSIGINT, "aborted", "aborted by SIGINT (the job the step started is cancelled; on DCT, abandoned)"},
	{ExitSIGTERM, "aborted", "aborted by SIGTERM, e.g. the build was aborted (the job is cancelled; on DCT, abandoned)"},
}

// hint is what to do, by category, appended when the message lacks advice.
var hint = map[string]string{
	"auth":        "check DELPHIX_USER and the password (DELPHIX_PASSWORD or --password-file), and the user's rights on that object",
	"unreachable": "check --engine, that the server is up and reachable from this agent, and HTTPS_PROXY and NO_PROXY if the agent goes through a proxy",
	"usage":       "see --help",
}

// jenkinsHint is hint inside Jenkins, where there are keys, not flags.
var jenkinsHint = map[string]string{
	"auth":        "check the user and password of credentialsId, and the user's rights on that object",
	"unreachable": "check the engine key or DELPHIX_ENGINE, that the server is up and reachable from this agent, and HTTPS_PROXY and NO_PROXY if the agent goes through a proxy",
}

// errorRecord is the --error-file content.
type errorRecord struct {
	Step          string `json:"step"`
	Category      string `json:"category"`
	ExitCode      int    `json:"exitCode"`
	Message       string `json:"message"`
	EngineErrorID string `json:"engineErrorId,omitempty"`
}

func engineErrorID(err error) string {
	var api *delphix.APIError
	if errors.As(err, &api) {
		return api.ID
	}
	var job *delphix.JobError
	if errors.As(err, &job) && job.Event != nil {
		return job.Event.MessageCode
	}
	var dctJob *dct.JobError
	if errors.As(err, &dctJob) && dctJob.Job != nil {
		return dctJob.Job.ID
	}
	return ""
}

func writeErrorFile(path string, rec errorRecord) error {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
