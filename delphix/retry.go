package delphix

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

type retrySafeKey struct{}

// safePOSTs are POSTs the engine may see twice without harm: they start no
// job and change no data. /login is not one of them: the engine renews the
// session at login, so a login re-sent after a lost answer carries a
// session that no longer exists; Login starts a new session instead.
var safePOSTs = map[string]bool{"/session": true, "/logout": true}

// withRetrySafety records in ctx whether the request may be sent again
// after the engine might have seen it.
func withRetrySafety(ctx context.Context, method, path string) context.Context {
	safe := method == http.MethodGet || method == http.MethodHead || (method == http.MethodPost && safePOSTs[path])
	return context.WithValue(ctx, retrySafeKey{}, safe)
}

func retrySafe(ctx context.Context) bool {
	safe, _ := ctx.Value(retrySafeKey{}).(bool)
	return safe
}

// checkRetry is the client's retry policy. Reads are retried on connection
// errors, 429 and 502-504. A POST that may start a job is retried only when
// the engine provably did not receive it (the connection was never made)
// or refused it with 429: re-sending it after a lost answer could start a
// second refresh.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if isPermanentTransportError(err) {
			return false, nil
		}
		return retrySafe(ctx) || isDialError(err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true, nil
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return retrySafe(ctx), nil
	}
	return false, nil
}

// isDialError reports whether err happened before the request left this
// machine, so the engine cannot have acted on it.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// isPermanentTransportError reports TLS failures (a certificate that does
// not verify, a server that does not speak TLS): retrying them only delays
// the one clear message the user needs.
func isPermanentTransportError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	return errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		errors.As(err, &verify) || errors.As(err, &record) || errors.Is(err, http.ErrSchemeMismatch)
}

// plainHTTP reports whether an https:// request reached a server that
// answered in plain HTTP.
func plainHTTP(err error) bool {
	var record tls.RecordHeaderError
	return errors.Is(err, http.ErrSchemeMismatch) || (errors.As(err, &record) && string(record.RecordHeader[:]) == "HTTP/")
}

// maxRetryAfter bounds how long one Retry-After may hold a request; the
// step's own deadline (the request's context) bounds the whole.
const maxRetryAfter = 5 * time.Minute

// backoff is the wait before retry attemptNum: what the engine or proxy
// asked for in Retry-After (on 429 and 503), else an exponential step from
// min to max with full jitter, so that many agents that lost the engine at
// the same moment do not come back at the same moment.
func backoff(min, max time.Duration, attemptNum int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	step := min
	for i := 0; i < attemptNum && step < max; i++ {
		step *= 2
	}
	if step > max || step <= 0 {
		step = max
	}
	if step <= min {
		return min
	}
	return min + rand.N(step-min+1)
}

// retryAfter parses a Retry-After value: seconds or an HTTP date. A value
// in the past is zero; a value beyond maxRetryAfter is maxRetryAfter.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), maxRetryAfter), true
}
