package engine

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// obj is a JSON object as the engine emits it.
type obj = map[string]any

// Error ids the engine answers with (see the package documentation for HTTP codes).
const (
	idNotFound        = "exception.executor.object.missing"
	idFieldUnknown    = "exception.validation.field.unknown"
	idFieldRequired   = "exception.validation.field.required"
	idTypeAbstract    = "exception.validation.object.type.abstract"
	idTypeUnknown     = "exception.validation.object.type.unknown"
	idTypeMismatch    = "exception.validation.object.type.mismatch"
	idFieldValue      = "exception.validation.field.value"
	idLoginFailed     = "exception.webservices.login.failed"
	idPermission      = "exception.security.permission.denied"
	idBusy            = "exception.executor.object.busy"
	idVersionUnsup    = "exception.webservices.session.version.unsupported"
	validationAction  = "Check your input parameters and try again."
	notLoggedInReason = "Use /resources/json/delphix/login to log in first"
)

// apiError is an ErrorResult the handler answers with, and its HTTP status.
type apiError struct {
	status  int
	id      string
	details any // string, or a map field name -> nested APIError object for validation
	action  any
}

func (e *apiError) Error() string { return fmt.Sprintf("%s: %v", e.id, e.details) }

func (e *apiError) object() obj {
	return obj{"type": "ErrorResult", "status": "ERROR", "error": obj{
		"type": "APIError", "id": e.id, "details": e.details, "action": e.action,
		"commandOutput": nil, "diagnoses": []any{},
	}}
}

func errNotFound(ref string) *apiError {
	return &apiError{status: http.StatusNotFound, id: idNotFound,
		details: fmt.Sprintf("The object %q does not exist.", ref),
		action:  "Refresh the view and try again, or verify the object reference."}
}

func errPermission(format string, a ...any) *apiError {
	return &apiError{status: http.StatusForbidden, id: idPermission,
		details: fmt.Sprintf(format, a...), action: "Contact an administrator for access."}
}

func errBusy(target string, j *state.Job) *apiError {
	return &apiError{status: http.StatusConflict, id: idBusy,
		details: fmt.Sprintf("The object %q is busy: job %q (%s) is running on it.", target, j.Ref, j.ActionType),
		action:  "Wait for the running job to finish, or cancel it, and try again."}
}

// errValue is a validation error about one field's value.
func errValue(field, format string, a ...any) *apiError {
	return errValidation(field, idFieldValue, fmt.Sprintf(format, a...))
}

// errValidation builds the validation ErrorResult: HTTP 200, details keyed by field name.
func errValidation(field, id, msg string) *apiError {
	return &apiError{status: http.StatusOK, id: id, action: validationAction,
		details: obj{field: obj{"details": msg, "action": nil, "id": id, "commandOutput": nil, "diagnoses": nil}}}
}

// htmlError is answered with an HTML page instead of a JSON envelope, as the engine's web
// container does for requests without a session.
type htmlError struct {
	status int
	msg    string
}

func (h *htmlError) Error() string { return h.msg }

var errNoSession = &htmlError{status: http.StatusForbidden, msg: notLoggedInReason}

// okResult builds an OKResult envelope.
func okResult(result any, job, action string) obj {
	return obj{"type": "OKResult", "status": "OK", "result": result, "job": nullable(job), "action": nullable(action)}
}

// listResult builds a ListResult envelope.
func listResult(items []obj) obj {
	if items == nil {
		items = []obj{}
	}
	return obj{"type": "ListResult", "status": "OK", "result": items, "job": nil, "action": nil,
		"total": len(items), "overflow": false}
}

// nullable turns "" into JSON null.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
