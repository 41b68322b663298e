package delphix

import "github.com/dxsteps/dxsteps/internal/httpapi"

// safePOSTs are POSTs the engine may see twice without harm: they start no
// job and change no data. /login is not one of them: the engine renews the
// session at login, so a login re-sent after a lost answer carries a
// session that no longer exists; Login starts a new session instead.
var safePOSTs = map[string]bool{"/session": true, "/logout": true}

// retryPolicy is the engine client's retry policy: reads and safePOSTs may
// be resent; waits are jittered because many pipeline agents talk to one
// engine and would otherwise come back from an outage in step.
var retryPolicy = httpapi.RetryPolicy{
	SafePOST: func(path string) bool { return safePOSTs[path] },
	Jitter:   true,
}
