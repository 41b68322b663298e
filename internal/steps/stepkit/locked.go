package stepkit

import (
	"fmt"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// LockedError is a change refused because another user (on DCT, another
// account) holds the data pod's lock: a permission refused (exit 3) on
// both platforms, as the engine refuses it.
type LockedError struct {
	Pod, By string // the pod's name, and the name of the lock's holder
	Holder  string // what holds it: "user" or "account"
	Err     error  // the platform's own refusal, when it gave one
}

func (e LockedError) Error() string {
	msg := fmt.Sprintf("data pod %q is locked by %s %q; that %s (or an admin) can unlock it", e.Pod, e.Holder, e.By, e.Holder)
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg + " (dx-datapod unlock)"
}

// Is makes it a forbidden error, whichever platform refused.
func (e LockedError) Is(target error) bool { return httpapi.KindOf(target) == httpapi.ErrForbidden }

func (e LockedError) Unwrap() error { return e.Err }
