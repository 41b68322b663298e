package delphix

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

type clientOptions struct {
	httpapi.Transport
	version    APIVersion
	hint       APIVersion
	clientName string
	wait       waitSettings
}

// Option configures a Client.
type Option func(*clientOptions) error

// WithHTTPClient uses a copy of hc as the transport base (its Transport,
// Timeout). Its cookie jar is replaced by the client's own.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetHTTPClient(hc))
	}
}

// WithCACertPEM trusts the CA certificates in pem in addition to none other:
// the engine's certificate must chain to one of them.
func WithCACertPEM(pem []byte) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetCACertPEM(pem))
	}
}

// WithInsecureSkipVerify turns off TLS certificate verification. Callers
// should warn their users when they use it.
func WithInsecureSkipVerify() Option {
	return func(o *clientOptions) error {
		o.SetInsecureSkipVerify()
		return nil
	}
}

// WithNotify tells notify, in one line for people each, of every retry
// (what failed, when the next try comes) and of a request that has had no
// answer for slowAfter, and again after each as long (0: 15 s). The caller
// decides where the lines go; the client prints nothing itself.
func WithNotify(notify func(line string), slowAfter time.Duration) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetNotify(notify, slowAfter))
	}
}

// WithRetryMax sets how many times a safe request is retried (default 4).
func WithRetryMax(n int) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetRetryMax(n))
	}
}

// WithBackoff sets the minimum and maximum wait between retries
// (default 1s and 30s).
func WithBackoff(min, max time.Duration) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetBackoff(min, max))
	}
}

// WithAPIVersion pins the session's API version instead of negotiating the
// highest one both sides speak.
func WithAPIVersion(v APIVersion) Option {
	return func(o *clientOptions) error {
		if v.Less(MinAPIVersion) {
			return fmt.Errorf("delphix: API version %s is older than the oldest supported, %s", v, MinAPIVersion)
		}
		o.version = v
		return nil
	}
}

// WithAPIVersionHint opens the session at v first: a version this engine
// accepted before (an earlier step of the same build learned it), which
// saves asking the engine its version. It is only a first try: an engine
// that refuses v, or answers at another version, is negotiated with as
// without the hint. A version dxsteps does not speak is an error.
func WithAPIVersionHint(v APIVersion) Option {
	return func(o *clientOptions) error {
		if v.Less(MinAPIVersion) || MaxAPIVersion.Less(v) {
			return fmt.Errorf("delphix: API version hint %s is not between %s and %s", v, MinAPIVersion, MaxAPIVersion)
		}
		o.hint = v
		return nil
	}
}

// WithClientName sets the APISession client name the engine records.
func WithClientName(name string) Option {
	return func(o *clientOptions) error {
		if len(name) > 64 {
			return errors.New("delphix: client name longer than 64 characters")
		}
		o.clientName = name
		return nil
	}
}

// waitSettings paces Wait; see WithWaitIntervals.
type waitSettings struct {
	min, max      time.Duration
	notifyTimeout time.Duration
	noNotify      bool
}

// WithWaitIntervals sets how Wait paces itself: polling starts at min and
// backs off to max; each notification long-poll lasts at most notify
// (0 turns notifications off and polls only), and reads that notifications
// cause come one per min after a short burst. Defaults: 1s, 10s, 50s (a
// long poll stays under the 60 s idle timeout common proxies apply).
func WithWaitIntervals(min, max, notify time.Duration) Option {
	return func(o *clientOptions) error {
		if min <= 0 || max < min || notify < 0 {
			return errors.New("delphix: wait intervals must be positive with min <= max")
		}
		o.wait = waitSettings{min: min, max: max, notifyTimeout: notify, noNotify: notify == 0}
		return nil
	}
}

// prefixed names this package in a shared transport setting's error.
func prefixed(err error) error {
	if err != nil {
		return fmt.Errorf("delphix: %w", err)
	}
	return nil
}

// WithRequestGuard asks guard before every request: a non-empty answer
// (why) refuses the request, which then fails without being sent, and
// without a retry (httpapi.RefusedError). dxsteps refuses every request
// that would change something on the engine this way in a plan (--dry-run).
func WithRequestGuard(guard func(method, path string) string) Option {
	return func(o *clientOptions) error {
		o.SetGuard(guard)
		return nil
	}
}
