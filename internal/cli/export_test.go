package cli

import "time"

// SetSlowAnswerAfter shortens the wait before the log says a request still
// waits for its answer, and returns the func that restores it.
func SetSlowAnswerAfter(d time.Duration) func() {
	old := slowAnswerAfter
	slowAnswerAfter = d
	return func() { slowAnswerAfter = old }
}
