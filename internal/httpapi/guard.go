package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ChangesNothing reports whether a request only reads, on either platform:
// a GET or HEAD, the engine's session, login and logout, and DCT's searches
// (POST .../search). A plan lets only these through, and the tests that
// check a plan count every other request as a change.
func ChangesNothing(method, path string) bool {
	switch method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodPost:
		for _, suffix := range []string{"/search", "/delphix/session", "/delphix/login", "/delphix/logout"} {
			if strings.HasSuffix(path, suffix) {
				return true
			}
		}
	}
	return false
}

// RefusedError is a request the client's guard refused: it was never sent.
type RefusedError struct {
	Method, Path, Why string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s %s was not sent: %s", e.Method, e.Path, e.Why)
}

// IsRefused reports whether err is (or wraps) a request the guard refused.
func IsRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}

// SetGuard makes the client ask guard before it sends any request: a
// non-nil answer refuses it, and the request fails with a *RefusedError
// without reaching the network and without a retry. A plan (--dry-run)
// refuses every request that would change something this way, so a step
// that forgot to plan a change fails instead of acting.
func (t *Transport) SetGuard(guard func(method, path string) string) {
	t.guard = guard
}

// guardTripper refuses what the guard refuses, before next sees it.
type guardTripper struct {
	next  http.RoundTripper
	guard func(method, path string) string
}

func (g guardTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	if why := g.guard(r.Method, r.URL.Path); why != "" {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, &RefusedError{Method: r.Method, Path: r.URL.Path, Why: why}
	}
	return g.next.RoundTrip(r)
}
