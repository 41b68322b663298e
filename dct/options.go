package dct

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

type clientOptions struct {
	httpapi.Transport
	basePath     string
	auth, secret string
	clientName   string
	wait         waitSettings
}

// Option configures a Client.
type Option func(*clientOptions) error

// WithAPIKey authenticates every request with the DCT API key key
// ("1.0p9P..."), sent as "Authorization: apk <key>". A key that already
// starts with "apk " is taken as is. The key is never logged nor put in an
// error message.
func WithAPIKey(key string) Option {
	return func(o *clientOptions) error {
		key = strings.TrimSpace(key)
		if f := strings.Fields(key); len(f) > 0 && strings.EqualFold(f[0], "apk") {
			key = strings.TrimSpace(key[3:])
		}
		if key == "" {
			return errors.New("dct: the API key is empty")
		}
		if strings.ContainsFunc(key, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
			return errors.New("dct: the API key contains spaces or control characters")
		}
		o.auth, o.secret = "apk "+key, key
		return nil
	}
}

// WithBasePath sets where DCT serves API v3: DefaultBasePath ("/dct/v3")
// unless told otherwise; older installations use "/v3".
func WithBasePath(p string) Option {
	return func(o *clientOptions) error {
		p = strings.TrimRight(p, "/")
		if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "?#") {
			return fmt.Errorf("dct: base path %q must start with / (for example /dct/v3 or /v3)", p)
		}
		o.basePath = p
		return nil
	}
}

// WithHTTPClient uses a copy of hc as the transport base (its Transport,
// Timeout).
func WithHTTPClient(hc *http.Client) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetHTTPClient(hc))
	}
}

// WithCACertPEM trusts the CA certificates in pem and no other: the DCT
// certificate must chain to one of them.
func WithCACertPEM(pem []byte) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetCACertPEM(pem))
	}
}

// WithInsecureSkipVerify turns off TLS certificate verification (DCT often
// runs with a self-signed certificate). Callers should warn their users.
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

// WithBackoff sets the minimum and maximum wait between retries (default
// 1s and 30s). A Retry-After header on a 429 or 503 is honoured, up to 5 minutes.
func WithBackoff(min, max time.Duration) Option {
	return func(o *clientOptions) error {
		return prefixed(o.SetBackoff(min, max))
	}
}

// WithClientName sets the x-dct-client-name header, which DCT's API usage
// report filters on (default "dxsteps"; "" sends none).
func WithClientName(name string) Option {
	return func(o *clientOptions) error {
		if len(name) > 64 || strings.ContainsAny(name, "\r\n") {
			return errors.New("dct: client name must be one line of at most 64 characters")
		}
		o.clientName = name
		return nil
	}
}

// waitSettings paces Jobs.Wait; see WithWaitIntervals. clock is nil but in
// this package's tests.
type waitSettings struct {
	min, max time.Duration
	clock    clock
}

// WithWaitIntervals sets how Jobs.Wait reads a job (defaults 1s and 10s): a
// job that tells nothing of its progress after min, then at intervals
// doubling to max; one whose percent rises at half of min around its
// expected end; never more than max apart.
func WithWaitIntervals(min, max time.Duration) Option {
	return func(o *clientOptions) error {
		if min <= 0 || max < min {
			return errors.New("dct: wait intervals must be positive with min <= max")
		}
		o.wait.min, o.wait.max = min, max
		return nil
	}
}

// prefixed names this package in a shared transport setting's error.
func prefixed(err error) error {
	if err != nil {
		return fmt.Errorf("dct: %w", err)
	}
	return nil
}

// WithRequestGuard asks guard before every request: a non-empty answer
// (why) refuses the request, which then fails without being sent, and
// without a retry (httpapi.RefusedError). dxsteps refuses every request
// that would change something on the DCT this way in a plan (--dry-run).
func WithRequestGuard(guard func(method, path string) string) Option {
	return func(o *clientOptions) error {
		o.SetGuard(guard)
		return nil
	}
}
