package dct

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps how long a Retry-After header may make the client wait.
const maxRetryAfter = 5 * time.Minute

type retrySafeKey struct{}

// withRetrySafety records in ctx whether the request may be sent again
// after DCT might have seen it: reads (GET, HEAD) and searches (a POST to
// .../search starts nothing).
func withRetrySafety(ctx context.Context, method, path string) context.Context {
	safe := method == http.MethodGet || method == http.MethodHead ||
		(method == http.MethodPost && strings.HasSuffix(path, "/search"))
	return context.WithValue(ctx, retrySafeKey{}, safe)
}

func retrySafe(ctx context.Context) bool {
	safe, _ := ctx.Value(retrySafeKey{}).(bool)
	return safe
}

// checkRetry is the client's retry policy. Reads are retried on connection
// errors, 429 and 502-504. A request that may start a job is retried only
// when DCT provably did not receive it (the connection was never made) or
// refused it with 429: re-sending it after a lost answer could start a
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

// backoff waits what a 429 or 503 answer's Retry-After asks (seconds or an
// HTTP date, at most maxRetryAfter), else doubles from lo up to hi.
func backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	d := lo << min(attempt, 30)
	if d > hi || d <= 0 {
		d = hi
	}
	return d
}

// retryAfter parses a Retry-After value relative to now.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = max(at.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

// isDialError reports whether err happened before the request left this
// machine, so DCT cannot have acted on it.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// isPermanentTransportError reports TLS failures: retrying them only delays
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
