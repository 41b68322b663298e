package delphix

import (
	"net/url"
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// safePOSTs are POSTs the engine may see twice without harm: they start no
// job and change no data. /login is not one of them: the engine renews the
// session at login, so a login re-sent after a lost answer carries a
// session that no longer exists; Login starts a new session instead.
var safePOSTs = map[string]bool{"/session": true, "/logout": true}

// retryPolicy is the engine client's retry policy: reads and safePOSTs may
// be resent, but a long poll; waits are jittered because many pipeline
// agents talk to one engine and would otherwise come back from an outage in
// step.
var retryPolicy = httpapi.RetryPolicy{
	SafePOST:  func(path string) bool { return safePOSTs[path] },
	UnsafeGET: longPoll,
	LongPoll:  longPoll,
	Jitter:    true,
}

// longPoll reports whether path is a notification long poll (a timeout
// other than 0). The engine takes the notifications it answers with off the
// channel: a long poll resent after its answer was lost would never see
// them, so it is not resent (Poll reports a NotificationDrop instead).
func longPoll(path string) bool {
	p, query, _ := strings.Cut(path, "?")
	if p != "/notification" {
		return false
	}
	q, err := url.ParseQuery(query)
	return err != nil || q.Get("timeout") != "0"
}
