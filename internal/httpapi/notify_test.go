package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lines collects what a transport notifies.
type lines struct {
	mu  sync.Mutex
	got []string
}

func (l *lines) add(s string) { l.mu.Lock(); l.got = append(l.got, s); l.mu.Unlock() }
func (l *lines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string{}, l.got...)
}

func TestEachRetryIsOneLineSayingWhatFailedAndWhenTheNextTryComes(t *testing.T) {
	var n int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n++; n < 3 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	var got lines
	tr := NewTransport()
	require.NoError(t, tr.SetNotify(got.add, time.Minute))
	resp, err := get(t, tr, srv.URL+"/things?limit=1")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, []string{
		"GET " + srv.URL + "/things?limit=1 answered HTTP 503 Service Unavailable; try 2 of 5 in 0s",
		"GET " + srv.URL + "/things?limit=1 answered HTTP 503 Service Unavailable; try 3 of 5 in 0s",
	}, got.all())
}

func TestARequestWithoutAnAnswerIsReportedButALongPollIsNot(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		<-release
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	defer close(release)
	var got lines
	tr := NewTransport()
	require.NoError(t, tr.SetNotify(got.add, 100*time.Millisecond))
	policy := RetryPolicy{LongPoll: func(path string) bool { return strings.HasPrefix(path, "/notification") }}
	c := tr.Client(policy)
	do := func(path string, wait time.Duration) {
		ctx := policy.WithRetrySafety(t.Context(), "GET", path)
		req, err := retryablehttp.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
		require.NoError(t, err)
		done := make(chan struct{})
		go func() {
			defer close(done)
			if resp, err := c.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		time.Sleep(wait)
		release <- struct{}{}
		<-done
	}
	do("/notification?timeout=50000", 350*time.Millisecond)
	assert.Empty(t, got.all(), "a long poll waits by design")
	do("/job/JOB-1", 350*time.Millisecond)
	require.NotEmpty(t, got.all())
	assert.Equal(t, "GET "+srv.URL+"/job/JOB-1: no answer yet after 100ms; still waiting", got.all()[0])
}
