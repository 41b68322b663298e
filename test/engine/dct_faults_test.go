package engine

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dctRefreshOf sends POST /vdbs/{id}/refresh_by_snapshot for prep2 DB over the engine's
// socket (so that a dropped connection is a real one) and returns the answer or the error,
// with how many refresh jobs of prep2 DB the engine then shows.
func dctRefreshOf(t *testing.T, e *Engine, id string) (*http.Response, error, int) {
	t.Helper()
	req, err := http.NewRequest("POST", e.DCTURL()+"/vdbs/"+id+"/refresh_by_snapshot", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "apk "+DCTKey(1, "delphix_admin"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	classic := login(t, e, "delphix_admin", "1.11.9")
	return resp, err, len(classic.list("/job?target=" + id + "&jobType=DB_REFRESH"))
}

// TestTheDCTAPIDoesEveryFaultKind: each kind the engine API does, done to a DCT start, with
// the effect on the engine the kind promises (see dct_faults.go).
func TestTheDCTAPIDoesEveryFaultKind(t *testing.T) {
	for _, tc := range []struct {
		fault      HTTPFault
		dropped    bool
		status     int
		jobs       int
		foreignJob bool
	}{
		{fault: HTTPFault{Kind: "status", Status: 429}, status: 429},
		{fault: HTTPFault{Kind: "status", Status: 503}, status: 503},
		{fault: HTTPFault{Kind: "status", Status: 504, AfterProcessing: true}, status: 504, jobs: 1},
		{fault: HTTPFault{Kind: "delay", Delay: 50}, status: 200, jobs: 1},
		{fault: HTTPFault{Kind: "dropBefore"}, dropped: true},
		{fault: HTTPFault{Kind: "dropAfter"}, dropped: true, jobs: 1},
		{fault: HTTPFault{Kind: "restart"}, dropped: true},
		{fault: HTTPFault{Kind: "expireSessions"}, status: 200, jobs: 1},
		{fault: HTTPFault{Kind: "busy"}, status: http.StatusConflict, foreignJob: true},
	} {
		t.Run(tc.fault.Kind+"/"+http.StatusText(tc.status), func(t *testing.T) {
			e := start(t, Options{})
			v, err := dctClient(t, e.URL(), "/dct/v3", 1, "delphix_admin").VDBs.FindByName(t.Context(), "prep2 DB")
			require.NoError(t, err)
			id := v.ID
			tc.fault.Method, tc.fault.PathSuffix = "POST", "/refresh_by_snapshot"
			require.NoError(t, e.InjectHTTPError(tc.fault))
			resp, err, jobs := dctRefreshOf(t, e, id)
			if tc.dropped {
				require.Error(t, err, "the connection is closed unanswered")
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.status, resp.StatusCode)
				if tc.status == 429 {
					assert.Equal(t, "1", resp.Header.Get("Retry-After"))
				}
			}
			assert.Equal(t, tc.jobs, jobs, "refresh jobs of ours")
			if tc.foreignJob {
				classic := login(t, e, "delphix_admin", "1.11.9")
				assert.Len(t, classic.list("/job?target="+id+"&jobType=DB_SYNC"), 1, "someone else's job holds the VDB")
			}
			done := e.Faults()
			require.Len(t, done, 1)
			assert.Equal(t, tc.fault.Kind, done[0].Fault.Kind)
		})
	}
}

// TestARestartOnTheDCTAPIEndsTheEngineAPIsSessions: DCT's API keys outlive a restart, the
// engine API's sessions do not.
func TestARestartOnTheDCTAPIEndsTheEngineAPIsSessions(t *testing.T) {
	e := start(t, Options{})
	classic := login(t, e, "delphix_admin", "1.11.9")
	require.NoError(t, e.InjectHTTPError(HTTPFault{Kind: "restart", PathRegexp: "^/dct/v3/vdbs"}))
	c := dctClient(t, e.URL(), "/dct/v3", 1, "delphix_admin")
	_, err := c.VDBs.FindByName(t.Context(), "prep2 DB")
	var ue *dct.UnreachableError
	assert.ErrorAs(t, err, &ue, "the restart closed the connection")
	st, _ := classic.raw("GET", "/database", nil)
	assert.Equal(t, http.StatusForbidden, st, "the engine API's session ended")
	_, err = c.VDBs.FindByName(t.Context(), "prep2 DB")
	assert.NoError(t, err, "the API key still works")
}

// TestABusyFaultOnAVDBGroupHoldsItsDataPod: someone else's job on the container behind a VDB
// group makes DCT refuse the group's refresh as busy, and the engine runs none.
func TestABusyFaultOnAVDBGroupHoldsItsDataPod(t *testing.T) {
	e := start(t, Options{})
	c := dctClient(t, e.URL(), "/dct/v3", 1, "delphix_admin")
	g, err := c.VDBGroups.FindByName(t.Context(), "prep3")
	require.NoError(t, err)
	require.NoError(t, e.InjectHTTPError(HTTPFault{Kind: "busy", Method: "POST", PathSuffix: "/refresh_by_snapshot"}))
	_, err = c.VDBGroups.RefreshBySnapshot(t.Context(), g.ID, nil)
	var ae *dct.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusConflict, ae.HTTPStatus)
	classic := login(t, e, "delphix_admin", "1.11.9")
	assert.Len(t, classic.list("/job?target="+g.ID+"&jobType=DB_SYNC"), 1, "someone else's job holds the data pod")
}
