package dct

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDCTErrorBodiesBecomeOneLineErrorsThatMatchTheSentinels(t *testing.T) {
	for _, tc := range []struct {
		name     string
		call     func(t *testing.T) (error, string) // the error and what its path holds
		status   int
		sentinel error
		want     string // %s: what the path holds
	}{
		{"ErrorResponse", func(t *testing.T) (error, string) {
			l := newLocal(t, DefaultBasePath)
			_, err := l.client(WithAPIKey(testKey)).VDBs.Get(t.Context(), "vdb-1")
			return err, "vdb-1"
		}, 401, ErrUnauthorized,
			`GET /vdbs/%s: HTTP 401 Unauthorized: Missing or unknown API key: send "Authorization: apk <key>". [invalid_token] ` +
				"(check the DCT API key: it must be a current key of an active account)"},
		{"errors list", func(t *testing.T) (error, string) {
			c, _ := setup(t)
			_, err := c.VDBs.Get(t.Context(), "vdb-1")
			return err, "vdb-1"
		}, 404, ErrNotFound,
			`GET /vdbs/%s: HTTP 404 Not Found: VDB "vdb-1" does not exist (check the name or id and that the account can see it)`},
		{"object name, and a message on lines", func(t *testing.T) (error, string) {
			c, _ := odd(t, func(w http.ResponseWriter, _ *http.Request) { // DCT may name the object; the local engine does not
				writeJSON(w, http.StatusNotFound, obj{"errors": []obj{{"message": "VDB not\nfound", "object_name": "vdb-1"}}})
			})
			_, err := c.VDBs.Get(t.Context(), "vdb-1")
			return err, "vdb-1"
		}, 404, ErrNotFound,
			"GET /vdbs/%s: HTTP 404 Not Found: VDB not found (vdb-1) (check the name or id and that the account can see it)"},
		{"errors object", func(t *testing.T) (error, string) {
			c, _ := odd(t, func(w http.ResponseWriter, _ *http.Request) { // errors as one object: the local engine sends a list
				writeJSON(w, http.StatusForbidden, obj{"errors": obj{"message": "Insufficient permissions"}})
			})
			_, err := c.VDBs.Get(t.Context(), "vdb-1")
			return err, "vdb-1"
		}, 403, ErrForbidden,
			"GET /vdbs/%s: HTTP 403 Forbidden: Insufficient permissions (the API key's account lacks the permission for this object or action)"},
		{"message", func(t *testing.T) (error, string) {
			l := newLocal(t, DefaultBasePath, engine.Options{DCT: engine.DCTOptions{ErrorBody: "message"}})
			qa := l.clientOf(2, "qa")
			pod, err := qa.VDBs.FindByName(t.Context(), "qa-pod DB")
			require.NoError(t, err)
			_, err = qa.VDBs.Lock(t.Context(), pod.ID)
			require.NoError(t, err)
			_, err = l.client().VDBs.RefreshBySnapshot(t.Context(), pod.ID, "")
			return err, pod.ID
		}, 409, ErrConflict,
			`POST /vdbs/%s/refresh_by_snapshot: HTTP 409 Conflict: VDB "qa-pod DB" is locked by account "qa" ` +
				"(the object is locked or busy: wait for its running job, or unlock it)"},
		{"not JSON", func(t *testing.T) (error, string) {
			c, l := setup(t)
			l.inject(engine.HTTPFault{PathSuffix: "/vdbs/vdb-1", Status: http.StatusInternalServerError})
			_, err := c.VDBs.Get(t.Context(), "vdb-1")
			return err, "vdb-1"
		}, 500, nil,
			"GET /vdbs/%s: HTTP 500 Internal Server Error: an HTML page, not DCT's JSON: Error report"},
		{"not JSON, on lines", func(t *testing.T) (error, string) {
			c, _ := odd(t, func(w http.ResponseWriter, _ *http.Request) { // the local engine's pages are one line
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte("<html><body>\n  Internal   error\n</body></html>"))
			})
			_, err := c.VDBs.Get(t.Context(), "vdb-1")
			return err, "vdb-1"
		}, 500, nil,
			"GET /vdbs/%s: HTTP 500 Internal Server Error: an HTML page, not DCT's JSON: Internal error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err, id := tc.call(t)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, strings.Replace(tc.want, "%s", id, 1), err.Error())
			assert.Equal(t, tc.status, apiErr.HTTPStatus)
			for _, s := range []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict} {
				assert.Equal(t, s == tc.sentinel, errors.Is(err, s), "errors.Is %v", s)
			}
		})
	}
}

// A DCT that echoes the key it refuses is an answer the local engine never gives.
func TestTheAPIKeyNeverAppearsInAnErrorEvenWhenDCTEchoesIt(t *testing.T) {
	c, _ := odd(t, func(w http.ResponseWriter, r *http.Request) {
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
	c, l := setup(t)
	l.inject(engine.HTTPFault{Method: "GET", PathSuffix: "/jobs/job-1", Status: http.StatusBadGateway, Count: 10})
	_, err := c.Jobs.Get(t.Context(), "job-1")
	var unreachable *UnreachableError
	require.ErrorAs(t, err, &unreachable)
	assert.Equal(t, "DCT unreachable: GET /jobs/job-1: HTTP 502 Bad Gateway", err.Error())
	assert.Len(t, l.reqs(), 5, "a read is retried 4 times")
	assert.False(t, strings.Contains(err.Error(), engine.DCTKey(1, "delphix_admin")))
}
