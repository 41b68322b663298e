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

func TestJobStartingPOSTIsNotResentWhenItsAnswerIsLost(t *testing.T) {
	c, f := setup(t)
	f.on("POST /vdbs/{id}/refresh_by_snapshot", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway) // the refresh may have started behind the proxy
	})
	_, err := c.VDBs.RefreshBySnapshot(t.Context(), "vdb-1", "snap-1")
	var unreachable *UnreachableError
	require.ErrorAs(t, err, &unreachable)
	assert.Equal(t, "DCT unreachable: POST /vdbs/vdb-1/refresh_by_snapshot: HTTP 502 Bad Gateway (the operation may have started: "+
		"check the object's jobs in DCT before running it again)", err.Error())
	assert.Equal(t, []string{"POST /vdbs/vdb-1/refresh_by_snapshot"}, f.lines())
}

func TestARefusedJobStartingPOSTIsSentAgain(t *testing.T) {
	c, f := setup(t)
	var n atomic.Int32
	f.on("POST /compliance-jobs/{id}/execute", func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		writeJSON(w, http.StatusOK, jobAnswer("job-9"))
	})
	j, err := c.ComplianceJobs.Execute(t.Context(), "cj-1")
	require.NoError(t, err)
	assert.Equal(t, "job-9", j.ID)
	assert.Len(t, f.reqs(), 2)
}

func TestSearchesAreRetriedOnProxyErrors(t *testing.T) {
	c, f := setup(t)
	var n atomic.Int32
	f.on("POST /vdbs/search", func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, http.StatusOK, items("", vdb("vdb-1", "mm-master")))
	})
	v, err := c.VDBs.FindByName(t.Context(), "mm-master")
	require.NoError(t, err)
	assert.Equal(t, "vdb-1", v.ID)
	assert.Equal(t, []string{"POST /vdbs/search", "POST /vdbs/search", "POST /vdbs/search"}, f.lines())
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
