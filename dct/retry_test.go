package dct

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

func TestOnlyReadsSearchesAndLocksAreResentAfterDCTMayHaveSeenThem(t *testing.T) {
	lost := &http.Response{StatusCode: http.StatusBadGateway} // DCT may have acted
	for _, tc := range []struct {
		method, path string
		resend       bool
	}{
		{"GET", "/jobs/job-1", true},
		{"HEAD", "/vdbs", true},
		{"POST", "/vdbs/search", true},
		{"POST", "/bookmarks/search", true},
		{"POST", "/vdbs/vdb-1/lock", true},
		{"POST", "/vdb-groups/group-1/unlock", true},
		{"POST", "/vdbs/vdb-1/refresh_by_snapshot", false},
		{"POST", "/compliance-jobs/cj-1/execute", false},
		{"PATCH", "/vdbs/vdb-1", false},
		{"DELETE", "/bookmarks/b-1", false},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			retry, _ := httpapi.CheckRetry(retryPolicy.WithRetrySafety(context.Background(), tc.method, tc.path), lost, nil)
			assert.Equal(t, tc.resend, retry)
		})
	}
}

// inject makes the local engine meet a fault, as a proxy in front of DCT would.
func (l *localDCT) inject(f engine.HTTPFault) {
	l.t.Helper()
	require.NoError(l.t, l.e.InjectHTTPError(f))
}

func TestJobStartingPOSTIsNotResentWhenItsAnswerIsLost(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	// The refresh starts behind the proxy, which answers 502.
	l.inject(engine.HTTPFault{Method: "POST", PathSuffix: "/refresh_by_snapshot", Status: http.StatusBadGateway, AfterProcessing: true})
	l.forget()
	_, err := c.VDBs.RefreshBySnapshot(t.Context(), pod.ID, "")
	var unreachable *UnreachableError
	require.ErrorAs(t, err, &unreachable)
	assert.Equal(t, "DCT unreachable: POST /vdbs/"+pod.ID+"/refresh_by_snapshot: HTTP 502 Bad Gateway (the operation may have started: "+
		"check the object's jobs in DCT before running it again)", err.Error())
	assert.Equal(t, []string{"POST /vdbs/" + pod.ID + "/refresh_by_snapshot"}, l.lines())
	jobs, err := c.Jobs.Recent(t.Context(), pod.ID, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1, "one refresh started, none sent again")
	assert.Equal(t, "DB_REFRESH", jobs[0].Type)
}

func TestARefusedJobStartingPOSTIsSentAgain(t *testing.T) {
	c, l := setup(t)
	mask, err := c.ComplianceJobs.FindByName(t.Context(), "Patients masking")
	require.NoError(t, err)
	// A rate limiter in front of DCT refuses the first execute (429, Retry-After: 1).
	l.inject(engine.HTTPFault{Method: "POST", PathSuffix: "/execute", Status: http.StatusTooManyRequests})
	l.forget()
	j, err := c.ComplianceJobs.Execute(t.Context(), mask.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, j.ID)
	assert.Len(t, l.reqs(), 2)
	jobs, err := c.Jobs.Recent(t.Context(), mask.DatasetID, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1, "the masking job ran once")
	assert.Equal(t, j.ID, jobs[0].ID)
}

func TestSearchesAreRetriedOnProxyErrors(t *testing.T) {
	c, l := setup(t)
	l.inject(engine.HTTPFault{Method: "POST", PathSuffix: "/vdbs/search", Status: http.StatusServiceUnavailable, Count: 2})
	v, err := c.VDBs.FindByName(t.Context(), "prep1 DB")
	require.NoError(t, err)
	assert.Equal(t, "prep1 DB", v.Name)
	assert.Equal(t, []string{"POST /vdbs/search", "POST /vdbs/search", "POST /vdbs/search"}, l.lines())
}

func TestHTTPSToAPlainHTTPServerSaysSoAtOnce(t *testing.T) {
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
	c, err := NewClient("https://"+host, WithAPIKey(testKey), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.Jobs.Get(t.Context(), "job-1")
	require.ErrorIs(t, err, ErrPlainHTTP)
	assert.Equal(t, "GET /jobs/job-1: DCT answered plain HTTP on an https:// URL: use http://"+host, err.Error())
	assert.Equal(t, int32(1), conns.Load(), "not retried")
}

func TestAJobStartingPOSTThatNeverReachedDCTSaysNothingStarted(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now: every dial is refused
	c, err := NewClient(url, WithAPIKey(testKey), WithRetryMax(1), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.VDBs.RefreshBySnapshot(t.Context(), "vdb-1", "snap-1")
	var unreachable *UnreachableError
	require.ErrorAs(t, err, &unreachable)
	assert.False(t, unreachable.MayHaveStarted)
	assert.NotContains(t, err.Error(), "may have started")
}
