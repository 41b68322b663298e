package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultSlowAnswer is how long a request waits for its answer before the
// caller hears that it is still waiting, and again after each as long.
const DefaultSlowAnswer = 15 * time.Second

// retryLog is the retrying client's logger (a retryablehttp.LeveledLogger)
// that turns the client's own events into one line for people per retry:
// what failed, and when the next try comes. Everything else stays quiet.
type retryLog struct {
	notify func(string)
	max    int

	mu     sync.Mutex
	failed map[string]string // "METHOD URL" -> the transport error of its last try
}

func (l *retryLog) Error(msg string, kv ...any) {
	if msg != "request failed" {
		return
	}
	v := values(kv)
	err, _ := v["error"].(error)
	if err == nil {
		return
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failed == nil {
		l.failed = map[string]string{}
	}
	l.failed[fmt.Sprintf("%v %v", v["method"], v["url"])] = err.Error()
}

func (l *retryLog) Debug(msg string, kv ...any) {
	if msg != "retrying request" {
		return
	}
	v := values(kv)
	desc, _ := v["request"].(string)
	wait, _ := v["timeout"].(time.Duration)
	remain, _ := v["remaining"].(int)
	req, status, answered := strings.Cut(desc, " (status: ")
	var what string
	if answered {
		code := strings.TrimSuffix(status, ")")
		var n int
		_, _ = fmt.Sscan(code, &n)
		what = fmt.Sprintf("answered HTTP %s %s", code, http.StatusText(n))
	} else {
		l.mu.Lock()
		what = l.failed[req]
		delete(l.failed, req)
		l.mu.Unlock()
		if what == "" {
			what = "failed"
		} else {
			what = "failed: " + what
		}
	}
	try := l.max - remain + 2
	l.notify(fmt.Sprintf("%s %s; try %d of %d in %s", req, what, try, l.max+1, roundWait(wait)))
}

func (l *retryLog) Info(string, ...any) {}
func (l *retryLog) Warn(string, ...any) {}

// values reads retryablehttp's key-value pairs.
func values(kv []any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}

// roundWait is a wait as people read it: tenths of a second under a minute.
func roundWait(d time.Duration) time.Duration {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

type quietKey struct{}

// slowTripper says, through notify, every after that a request goes on
// without an answer: an engine that accepts connections but does not answer
// otherwise leaves the log silent until the try's timeout.
type slowTripper struct {
	next   http.RoundTripper
	after  time.Duration
	notify func(string)
}

func (s slowTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if quiet, _ := req.Context().Value(quietKey{}).(bool); quiet {
		return s.next.RoundTrip(req)
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.after)
		defer t.Stop()
		waited := time.Duration(0)
		for {
			select {
			case <-done:
				return
			case <-req.Context().Done():
				return
			case <-t.C:
				waited += s.after
				s.notify(fmt.Sprintf("%s %s: no answer yet after %s; still waiting", req.Method, redact(req.URL), roundWait(waited)))
			}
		}
	}()
	resp, err := s.next.RoundTrip(req)
	close(done)
	return resp, err
}

// redact is u without a password in it.
func redact(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Redacted()
}
