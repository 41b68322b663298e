package httpapi

import "fmt"

// MayHaveActedError is a request whose answer was lost and whose effect the
// server could not be asked about before the deadline (or cannot show): it
// may have acted, so it was not sent again. Err is the lost answer's error.
// Both clients return it (delphix.MayHaveActedError and
// dct.MayHaveActedError name this type), so a caller checks one kind.
type MayHaveActedError struct {
	Method, Path string
	Err          error
	Why          string // why it cannot be told
	Look         string // what to look at before running the step again, e.g. "the engine"
}

func (e *MayHaveActedError) Error() string {
	return fmt.Sprintf("%v; %s, so %s %s may have taken effect (a job may be running): look at %s before running the step again",
		e.Err, e.Why, e.Method, e.Path, e.Look)
}

func (e *MayHaveActedError) Unwrap() error { return e.Err }
