// Package httpapi holds the HTTP transport policy shared by the engine
// client (package delphix) and the DCT client (package dct): when a request
// may be sent again, how long to wait before it is, and which transport
// errors are worth a retry at all. Each client keeps its own differences
// explicit in a RetryPolicy: which POSTs are safe to resend and whether the
// wait is jittered.
package httpapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter bounds how long one Retry-After may hold a request; the
// caller's own deadline (the request's context) bounds the whole.
const MaxRetryAfter = 5 * time.Minute

// RetryPolicy is what differs between the clients' retry policies.
type RetryPolicy struct {
	// SafePOST reports whether a POST to path may be sent again after the
	// server might have seen it: it starts no job and changes no data.
	// Nil means no POST is safe.
	SafePOST func(path string) bool
	// UnsafeGET reports whether a GET to path must not be sent again after
	// the server might have seen it, because reading takes something away
	// (a long poll takes the notifications it answers with). Nil means
	// every GET may be sent again.
	UnsafeGET func(path string) bool
	// Jitter spreads the exponential wait uniformly between the minimum
	// and the step, so that many callers that lost the server at the same
	// moment do not come back at the same moment.
	Jitter bool
	// LongPoll reports whether a GET to path waits for its answer by
	// design, so that waiting is no news for people. Nil means none does.
	LongPoll func(path string) bool
}

type retrySafeKey struct{}

// WithRetrySafety records in ctx whether the request may be sent again
// after the server might have seen it: reads (GET, HEAD) but the GETs the
// policy names unsafe, and the POSTs the policy names safe.
func (p RetryPolicy) WithRetrySafety(ctx context.Context, method, path string) context.Context {
	safe := (method == http.MethodGet && (p.UnsafeGET == nil || !p.UnsafeGET(path))) || method == http.MethodHead ||
		(method == http.MethodPost && p.SafePOST != nil && p.SafePOST(path))
	if method == http.MethodGet && p.LongPoll != nil && p.LongPoll(path) {
		ctx = context.WithValue(ctx, quietKey{}, true)
	}
	return context.WithValue(ctx, retrySafeKey{}, safe)
}

// RetrySafe reports what WithRetrySafety recorded in ctx; false if nothing.
func RetrySafe(ctx context.Context) bool {
	safe, _ := ctx.Value(retrySafeKey{}).(bool)
	return safe
}

// CheckRetry is the retry decision, in the shape retryablehttp.CheckRetry
// wants. Requests that are safe to resend (see WithRetrySafety) are retried
// on connection errors, 429 and 502-504. Any other request is retried only
// when the server provably did not receive it (the connection was never
// made) or refused it with 429: re-sending it after a lost answer could
// start a second job. TLS failures are never retried.
func CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if IsPermanentTransportError(err) {
			return false, nil
		}
		return RetrySafe(ctx) || IsDialError(err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true, nil
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return RetrySafe(ctx), nil
	}
	return false, nil
}

// Backoff is the wait before retry attemptNum, in the shape
// retryablehttp.Backoff wants: what the server or proxy asked for in
// Retry-After (on 429 and 503), else an exponential step doubling from min
// up to max; with Jitter, a uniform wait between min and that step.
func (p RetryPolicy) Backoff(min, max time.Duration, attemptNum int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := RetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
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
	if !p.Jitter {
		return step
	}
	if step <= min {
		return min
	}
	return min + rand.N(step-min+1)
}

// RetryAfter parses a Retry-After value relative to now: seconds or an
// HTTP date. A date in the past is zero; a wait beyond MaxRetryAfter is
// MaxRetryAfter; anything else (empty, negative, garbage) is not ok.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), MaxRetryAfter), true
}

// IsDialError reports whether err happened before the request left this
// machine, so the server cannot have acted on it.
func IsDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// IsPermanentTransportError reports TLS failures (a certificate that does
// not verify, a server that does not speak TLS): retrying them only delays
// the one clear message the user needs.
func IsPermanentTransportError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	return errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		errors.As(err, &verify) || errors.As(err, &record) || errors.Is(err, http.ErrSchemeMismatch) || IsRefused(err)
}

// PlainHTTP reports whether an https:// request reached a server that
// answered in plain HTTP.
func PlainHTTP(err error) bool {
	var record tls.RecordHeaderError
	return errors.Is(err, http.ErrSchemeMismatch) || (errors.As(err, &record) && string(record.RecordHeader[:]) == "HTTP/")
}
