package httpapi

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryPolicyNeverResendsAnUnsafeRequestAfterTheServerMayHaveSeenIt(t *testing.T) {
	p := RetryPolicy{SafePOST: func(path string) bool { return path == "/safe" },
		UnsafeGET: func(path string) bool { return path == "/poll" }}
	post := p.WithRetrySafety(context.Background(), "POST", "/refresh")
	safePost := p.WithRetrySafety(context.Background(), "POST", "/safe")
	patch := p.WithRetrySafety(context.Background(), "PATCH", "/safe")
	get := p.WithRetrySafety(context.Background(), "GET", "/x")
	head := p.WithRetrySafety(context.Background(), "HEAD", "/x")
	poll := p.WithRetrySafety(context.Background(), "GET", "/poll")
	nilPolicy := RetryPolicy{}.WithRetrySafety(context.Background(), "POST", "/safe")
	bad := &http.Response{StatusCode: http.StatusBadGateway}
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	refused := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	badCert := &wrapped{err: x509.UnknownAuthorityError{}}

	for _, tc := range []struct {
		name  string
		ctx   context.Context
		resp  *http.Response
		err   error
		retry bool
	}{
		{"POST 502", post, bad, nil, false},
		{"POST 504", post, &http.Response{StatusCode: 504}, nil, false},
		{"POST reset after sending", post, nil, reset, false},
		{"POST refused before sending", post, nil, refused, true},
		{"POST name not resolved", post, nil, &net.DNSError{Err: "no such host"}, true},
		{"POST 429", post, &http.Response{StatusCode: http.StatusTooManyRequests}, nil, true},
		{"safe POST 503", safePost, &http.Response{StatusCode: 503}, nil, true},
		{"safe POST reset", safePost, nil, reset, true},
		{"PATCH to a safe POST's path 503", patch, &http.Response{StatusCode: 503}, nil, false},
		{"no SafePOST: no POST is safe", nilPolicy, bad, nil, false},
		{"GET 502", get, bad, nil, true},
		{"HEAD 504", head, &http.Response{StatusCode: 504}, nil, true},
		{"GET reset", get, nil, reset, true},
		{"GET bad certificate", get, nil, badCert, false},
		{"unsafe GET 502", poll, bad, nil, false},
		{"unsafe GET reset", poll, nil, reset, false},
		{"unsafe GET 429", poll, &http.Response{StatusCode: http.StatusTooManyRequests}, nil, true},
		{"GET 500", get, &http.Response{StatusCode: 500}, nil, false},
		{"GET 404", get, &http.Response{StatusCode: 404}, nil, false},
		{"no safety recorded", context.Background(), bad, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			retry, _ := CheckRetry(tc.ctx, tc.resp, tc.err)
			assert.Equal(t, tc.retry, retry)
		})
	}
}

// wrapped wraps an error as net/http does, so errors.As must look inside.
type wrapped struct{ err error }

func (u *wrapped) Error() string { return "Get: " + u.err.Error() }
func (u *wrapped) Unwrap() error { return u.err }

func TestACanceledRequestIsNotRetried(t *testing.T) {
	ctx, cancel := context.WithCancel(RetryPolicy{}.WithRetrySafety(context.Background(), "GET", "/x"))
	cancel()
	retry, err := CheckRetry(ctx, &http.Response{StatusCode: http.StatusBadGateway}, nil)
	assert.False(t, retry)
	assert.ErrorIs(t, err, context.Canceled)
}

func resp(status int, after string) *http.Response {
	r := &http.Response{StatusCode: status, Header: http.Header{}}
	if after != "" {
		r.Header.Set("Retry-After", after)
	}
	return r
}

func TestBackoffHonoursRetryAfter(t *testing.T) {
	for _, p := range []RetryPolicy{{}, {Jitter: true}} {
		assert.Equal(t, 7*time.Second, p.Backoff(time.Second, 30*time.Second, 0, resp(429, "7")))
		assert.Equal(t, 7*time.Second, p.Backoff(time.Second, 30*time.Second, 3, resp(503, "7")))
		assert.Equal(t, MaxRetryAfter, p.Backoff(time.Second, 30*time.Second, 0, resp(429, "86400")))
		assert.Equal(t, MaxRetryAfter, p.Backoff(time.Second, 30*time.Second, 0, resp(429, "99999999999999999")), "no overflow")
		past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
		assert.Equal(t, time.Duration(0), p.Backoff(time.Second, 30*time.Second, 0, resp(429, past)))
	}
	now := time.Now()
	d, ok := RetryAfter(now.Add(90*time.Second).UTC().Format(http.TimeFormat), now)
	require.True(t, ok)
	assert.InDelta(t, 90, d.Seconds(), 1)
	for _, v := range []string{"", "-1", "soon"} {
		_, ok := RetryAfter(v, now)
		assert.False(t, ok, v)
	}
}

func TestBackoffWithoutJitterDoublesUpToTheMaximum(t *testing.T) {
	p := RetryPolicy{}
	assert.Equal(t, time.Second, p.Backoff(time.Second, 30*time.Second, 0, nil))
	assert.Equal(t, 2*time.Second, p.Backoff(time.Second, 30*time.Second, 1, resp(502, "7")), "only 429 and 503 carry Retry-After")
	assert.Equal(t, 8*time.Second, p.Backoff(time.Second, 30*time.Second, 3, nil))
	assert.Equal(t, 30*time.Second, p.Backoff(time.Second, 30*time.Second, 9, resp(429, "soon")), "unparseable: back off")
	assert.Equal(t, 30*time.Second, p.Backoff(time.Second, 30*time.Second, 200, nil))
}

func TestBackoffWithJitterStaysWithinItsBounds(t *testing.T) {
	p := RetryPolicy{Jitter: true}
	seen := map[time.Duration]bool{}
	for i := 0; i < 200; i++ {
		d := p.Backoff(time.Second, 30*time.Second, 3, nil)
		require.GreaterOrEqual(t, d, time.Second)
		require.LessOrEqual(t, d, 8*time.Second)
		seen[d] = true
	}
	assert.Greater(t, len(seen), 1, "jittered")
	assert.Equal(t, time.Second, p.Backoff(time.Second, 30*time.Second, 0, nil))
	assert.LessOrEqual(t, p.Backoff(time.Second, 30*time.Second, 40, nil), 30*time.Second)
}
