package delphix

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryPolicyNeverResendsAJobStartingPOSTAfterTheEngineMayHaveSeenIt(t *testing.T) {
	post := retryPolicy.WithRetrySafety(context.Background(), "POST", "/database/X/refresh")
	get := retryPolicy.WithRetrySafety(context.Background(), "GET", "/database")
	login := retryPolicy.WithRetrySafety(context.Background(), "POST", "/login")
	bad := &http.Response{StatusCode: http.StatusBadGateway}
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	refused := &net.OpError{Op: "dial", Err: errors.New("connection refused")}

	for _, tc := range []struct {
		name  string
		ctx   context.Context
		resp  *http.Response
		err   error
		retry bool
	}{
		{"POST 502", post, bad, nil, false},
		{"POST reset after sending", post, nil, reset, false},
		{"POST refused before sending", post, nil, refused, true},
		{"POST 429", post, &http.Response{StatusCode: http.StatusTooManyRequests}, nil, true},
		{"GET 502", get, bad, nil, true},
		{"GET reset", get, nil, reset, true},
		{"login 503: a new session, not a resent login", login, &http.Response{StatusCode: 503}, nil, false},
		{"GET 500", get, &http.Response{StatusCode: 500}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			retry, _ := httpapi.CheckRetry(tc.ctx, tc.resp, tc.err)
			assert.Equal(t, tc.retry, retry)
		})
	}
}

func TestJobStartingPOSTWhoseAnswerIsLostIsFoundOnTheEngineNotResent(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	e.InjectHTTPError(engine.HTTPFault{Method: "POST", PathSuffix: "/sync", Status: http.StatusBadGateway, AfterProcessing: true})
	e.ClearRequests()
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	assert.True(t, op.Recovered)
	require.NotEmpty(t, op.Job)
	_, err = c.Wait(t.Context(), op, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, countLines(requestLines(e), "POST /database/"+db.Reference+"/sync"))
	jobs, err := c.Jobs.List(t.Context(), JobListOptions{Target: db.Reference})
	require.NoError(t, err)
	assert.Len(t, jobs, 1, "exactly one sync job")
}

func countLines(lines []string, want string) int {
	n := 0
	for _, l := range lines {
		if l == want {
			n++
		}
	}
	return n
}

func TestReadsAreRetriedOnProxyErrors(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	e.InjectHTTPError(engine.HTTPFault{Method: "GET", PathSuffix: "/database", Status: http.StatusBadGateway, Count: 2})
	e.ClearRequests()
	dbs, err := c.Databases.List(t.Context())
	require.NoError(t, err)
	assert.NotEmpty(t, dbs)
	assert.Equal(t, []string{"GET /database", "GET /database", "GET /database"}, requestLines(e))
}

func TestHTTPSToAPlainHTTPEngineSaysSoAtOnce(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	c, err := NewClient("https://"+host, WithRetryMax(4), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)

	_, err = c.About.Get(t.Context())
	require.ErrorIs(t, err, ErrPlainHTTP)
	var unreachable *UnreachableError
	require.ErrorAs(t, err, &unreachable)
	assert.Equal(t, "GET /about: the engine answered plain HTTP on an https:// URL: use http://"+host, err.Error())
	assert.Equal(t, int32(1), conns.Load(), "not retried")
}
