package delphix

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"

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

func TestNameErrorListsClosestNames(t *testing.T) {
	items := []string{"Patients Prod", "Patients Masked Master", "Billing"}
	_, err := FindByName("database", "Patients Mask Master", items, func(s *string) string { return *s }, func(s *string) string { return *s })
	assert.EqualError(t, err, `no database is named "Patients Mask Master"; closest: "Patients Masked Master", "Patients Prod", "Billing"`)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestNameErrorRefusesTwoObjectsWithOneName(t *testing.T) {
	items := []Database{{Name: "x", Reference: "A-1"}, {Name: "x", Reference: "A-2"}}
	_, err := FindByName("database", "x", items, func(d *Database) string { return d.Name }, func(d *Database) string { return d.Reference })
	var ne *NameError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, []string{"A-1", "A-2"}, ne.Matches)
	assert.NotErrorIs(t, err, ErrNotFound)
}

func TestRetryPolicyNeverResendsAJobStartingPOSTAfterTheEngineMayHaveSeenIt(t *testing.T) {
	post := withRetrySafety(context.Background(), "POST", "/database/X/refresh")
	get := withRetrySafety(context.Background(), "GET", "/database")
	login := withRetrySafety(context.Background(), "POST", "/login")
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
		{"login 503", login, &http.Response{StatusCode: 503}, nil, true},
		{"GET 500", get, &http.Response{StatusCode: 500}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			retry, _ := checkRetry(tc.ctx, tc.resp, tc.err)
			assert.Equal(t, tc.retry, retry)
		})
	}
}

func TestChooseVersion(t *testing.T) {
	c := &Client{}
	v, err := c.chooseVersion(APIVersion{1, 10, 6})
	require.NoError(t, err)
	assert.Equal(t, APIVersion{1, 10, 6}, v)
	v, _ = c.chooseVersion(APIVersion{1, 12, 0})
	assert.Equal(t, MaxAPIVersion, v)
	_, err = c.chooseVersion(APIVersion{1, 7, 1})
	assert.ErrorContains(t, err, "needs 1.8.0 or newer")
	c.pinned = APIVersion{1, 11, 0}
	_, err = c.chooseVersion(APIVersion{1, 10, 6})
	assert.ErrorContains(t, err, "the engine speaks at most 1.10.6")
}
