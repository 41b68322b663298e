package dct

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDCTErrorBodiesBecomeOneLineErrorsThatMatchTheSentinels(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		sentinel error
		want     string
	}{
		{"ErrorResponse", 401, `{"error":"invalid_token","error_description":"The API key is not valid."}`, ErrUnauthorized,
			"GET /vdbs/vdb-1: HTTP 401 Unauthorized: The API key is not valid. [invalid_token] (check the DCT API key: it must be a current key of an active account)"},
		{"errors list", 404, `{"errors":[{"message":"VDB not\nfound","object_name":"vdb-1"}]}`, ErrNotFound,
			"GET /vdbs/vdb-1: HTTP 404 Not Found: VDB not found (vdb-1) (check the name or id and that the account can see it)"},
		{"errors object", 403, `{"errors":{"message":"Insufficient permissions"}}`, ErrForbidden,
			"GET /vdbs/vdb-1: HTTP 403 Forbidden: Insufficient permissions (the API key's account lacks the permission for this object or action)"},
		{"message", 409, `{"message":"VDB is locked by qa"}`, ErrConflict,
			"GET /vdbs/vdb-1: HTTP 409 Conflict: VDB is locked by qa (the object is locked or busy: wait for its running job, or unlock it)"},
		{"not JSON", 500, "<html><body>\n  Internal   error\n</body></html>", nil,
			"GET /vdbs/vdb-1: HTTP 500 Internal Server Error: an HTML page, not DCT's JSON: Internal error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, f := setup(t)
			f.on("GET /vdbs/{id}", func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			_, err := c.VDBs.Get(t.Context(), "vdb-1")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.want, err.Error())
			assert.Equal(t, tc.status, apiErr.HTTPStatus)
			for _, s := range []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict} {
				assert.Equal(t, s == tc.sentinel, errors.Is(err, s), "errors.Is %v", s)
			}
		})
	}
}

func TestTheAPIKeyNeverAppearsInAnErrorEvenWhenDCTEchoesIt(t *testing.T) {
	c, f := setup(t)
	f.on("POST /vdbs/{id}/refresh_by_snapshot", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, obj{"error": "invalid_token " + r.Header.Get("Authorization"),
			"error_description": "key " + r.Header.Get("Authorization") + " rejected"})
	})
	_, err := c.VDBs.RefreshBySnapshot(t.Context(), "vdb-1", "snap-1")
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), testKey)
	assert.NotContains(t, err.Error(), testKey[:12])
	assert.Contains(t, err.Error(), "[redacted]")
}

func TestAProxyErrorWithoutADCTBodyIsUnreachable(t *testing.T) {
	c, f := setup(t)
	f.on("GET /jobs/{id}", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>Bad Gateway</html>"))
	})
	_, err := c.Jobs.Get(t.Context(), "job-1")
	var unreachable *UnreachableError
	require.ErrorAs(t, err, &unreachable)
	assert.Equal(t, "DCT unreachable: GET /jobs/job-1: HTTP 502 Bad Gateway", err.Error())
	assert.Len(t, f.reqs(), 5, "a read is retried 4 times")
	assert.False(t, strings.Contains(err.Error(), testKey))
}
