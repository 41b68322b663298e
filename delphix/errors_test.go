package delphix

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorResultIsAnErrorWhateverTheHTTPStatus(t *testing.T) {
	body := `{"type":"ErrorResult","status":"ERROR","error":{"type":"APIError","id":"exception.validation.object.type.abstract",
	 "details":{"type":{"details":"Object type \"OracleSyncParameters\" is an abstract type.","id":"x"}},
	 "action":"Check your input parameters and try again.","commandOutput":null}}`
	_, err := decodeResponse("POST", "/database/X/sync", http.StatusOK, []byte(body), nil)
	var api *APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusOK, api.HTTPStatus)
	assert.Equal(t, `POST /database/X/sync: type: Object type "OracleSyncParameters" is an abstract type. [exception.validation.object.type.abstract] (Check your input parameters and try again.)`, api.Error())
}

func TestEngineValidationErrorArrivesWithHTTP200AndIsAnError(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	sent.Lock()
	sent.paused = true
	sent.Unlock()
	_, err = c.call(t.Context(), "POST", "/database/"+db.Reference+"/sync", typed{"type": "OracleSyncParameters"}, nil)
	sent.Lock()
	sent.paused = false
	sent.Unlock()
	var api *APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, http.StatusOK, api.HTTPStatus)
	assert.True(t, strings.HasPrefix(api.ID, "exception.validation."), api.ID)
	assert.NotContains(t, api.Error(), "\n")
}

func TestHTMLForbiddenMeansTheSessionIsLost(t *testing.T) {
	_, err := decodeResponse("GET", "/database", http.StatusForbidden, []byte("<html><body>Use /resources/json/delphix/login to log in first</body></html>"), nil)
	assert.ErrorIs(t, err, errSessionLost)
}

func TestJSONForbiddenIsAPermissionError(t *testing.T) {
	body := `{"type":"ErrorResult","status":"ERROR","error":{"type":"APIError","id":"exception.security.permission.denied","details":"no"}}`
	_, err := decodeResponse("GET", "/database", http.StatusForbidden, []byte(body), nil)
	assert.ErrorIs(t, err, ErrForbidden)
	assert.NotErrorIs(t, err, errSessionLost)
	assert.NotErrorIs(t, err, ErrUnauthorized)
}

func TestRawTabsInsideStringsDecode(t *testing.T) {
	body := "{\"type\":\"OKResult\",\"status\":\"OK\",\"result\":{\"type\":\"Job\",\"title\":\"a\tb\"},\t\"job\":null}"
	var j Job
	_, err := decodeResponse("GET", "/job/JOB-1", 200, []byte(body), &j)
	require.NoError(t, err)
	assert.Equal(t, "a\tb", j.Title)
}
