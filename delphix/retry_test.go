package delphix

import (
	"context"
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

func TestOnlyReadsSessionAndLogoutAreResentAfterTheEngineMayHaveSeenThem(t *testing.T) {
	lost := &http.Response{StatusCode: http.StatusBadGateway} // the engine may have acted
	for _, tc := range []struct {
		method, path string
		resend       bool
	}{
		{"GET", "/database", true},
		{"HEAD", "/about", true},
		{"POST", "/session", true},
		{"POST", "/logout", true},
		{"POST", "/login", false}, // a new session, not a resent login
		{"POST", "/database/X/refresh", false},
		{"POST", "/database/X/sync", false},
		{"DELETE", "/database/X", false},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			retry, _ := httpapi.CheckRetry(retryPolicy.WithRetrySafety(context.Background(), tc.method, tc.path), lost, nil)
			assert.Equal(t, tc.resend, retry)
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
