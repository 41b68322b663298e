package httpapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The kinds of error both clients give, which the steps and the exit codes
// tell apart the same way on either platform. Each client's own sentinel
// (delphix.ErrNotFound, dct.ErrNotFound) is of its kind, and so is every
// error that matches that sentinel: errors.Is(err, httpapi.ErrNotFound)
// holds for a missing object on either platform.
var (
	// ErrNotFound: the object named or referenced does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: the credentials were refused.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the account may not see or change that object.
	ErrForbidden = errors.New("permission denied")
	// ErrConflict: the object is busy, locked, or in a state that forbids
	// the operation.
	ErrConflict = errors.New("conflict")
)

// Sentinel is a client's own sentinel error ("delphix: not found"), of one
// of the shared kinds.
type Sentinel struct {
	Msg  string
	Kind error
}

func (e *Sentinel) Error() string { return e.Msg }

// Is makes the sentinel its kind.
func (e *Sentinel) Is(target error) bool { return KindOf(target) == e.Kind }

// KindOf is the shared kind target stands for: a client's sentinel stands
// for its kind, a kind for itself. An error type's Is method switches on it,
// so that it matches both the client's sentinel and the shared kind.
func KindOf(target error) error {
	if s, ok := target.(*Sentinel); ok {
		return s.Kind
	}
	return target
}

// NameError is a name that matched no object, or several, on either
// platform.
type NameError struct {
	Kind        string   // "database", "VDB group or VDB", ...
	Name        string   // the name asked for
	Matches     []string // references or ids of the objects with that name, when more than one
	Suggestions []string // the closest existing names, when none matched
	// Precisely says how else to name an object when several have the
	// name ("by id"); empty: "more precisely".
	Precisely string
}

func (e *NameError) Error() string {
	if len(e.Matches) > 1 {
		how := e.Precisely
		if how == "" {
			how = "more precisely"
		}
		return fmt.Sprintf("%d %ss are named %q (%s): rename one, or name the object %s",
			len(e.Matches), e.Kind, e.Name, strings.Join(e.Matches, ", "), how)
	}
	msg := fmt.Sprintf("no %s is named %q", e.Kind, e.Name)
	if len(e.Suggestions) > 0 {
		quoted := make([]string, len(e.Suggestions))
		for i, s := range e.Suggestions {
			quoted[i] = strconv.Quote(s)
		}
		msg += "; closest: " + strings.Join(quoted, ", ")
	}
	return msg
}

// Is makes a NameError with no match a not-found error, of the shared kind
// and of each client's sentinel.
func (e *NameError) Is(target error) bool {
	return KindOf(target) == ErrNotFound && len(e.Matches) == 0
}

// Unreachable is what both clients' UnreachableError have in common: no
// answer came back after the retries the request allowed.
type Unreachable interface {
	error
	// NoAnswer marks the type; it does nothing.
	NoAnswer()
}
