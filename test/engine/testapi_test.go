package engine

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/dxsteps/dxsteps/test/engine/internal/state"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testAPI calls the test API and decodes the JSON answer into out (if not nil).
func testAPI(t *testing.T, e *Engine, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = jsonBody(t, body)
	}
	req, err := http.NewRequest(method, e.TestAPIURL()+path, rd)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

func TestTestAPIListsAndReadsDatasets(t *testing.T) {
	e := start(t, Options{})
	var list []map[string]string
	require.Equal(t, http.StatusOK, testAPI(t, e, "GET", "/datasets", nil, &list))
	kinds := map[string]string{}
	for _, d := range list {
		kinds[d["name"]] = d["kind"]
	}
	assert.Equal(t, "dsource", kinds["Patients Prod"])
	assert.Equal(t, "vdb", kinds["Patients Masked Master"])
	assert.Equal(t, "template", kinds["Patients"])
	assert.Equal(t, "container", kinds["qa-pod"])

	var d Dataset
	require.Equal(t, http.StatusOK, testAPI(t, e, "GET", "/datasets/"+url.PathEscape("Patients Masked Master"), nil, &d))
	assert.Equal(t, "APPDATA_CONTAINER-2", d.Reference)
	assert.True(t, d.Contents.Masked)
	assert.Equal(t, 100, d.Contents.SubsetPercent)
	assert.Equal(t, Connection{Host: "target-db.workshop.local", Port: 5433, Database: "patients_master", User: "postgres"}, d.Connection)
	assert.Equal(t, http.StatusNotFound, testAPI(t, e, "GET", "/datasets/nope", nil, nil))
}

func TestTestAPIChangesRowsAccountsAndProd(t *testing.T) {
	e := start(t, Options{})
	var d Dataset
	testAPI(t, e, "DELETE", "/datasets/prep1/rows", nil, nil)
	testAPI(t, e, "POST", "/datasets/prep1/rows", []Row{{ID: 7, Name: "x"}}, &d)
	assert.Equal(t, []Row{{ID: 7, Name: "x"}}, d.Contents.Rows)
	testAPI(t, e, "PUT", "/datasets/prep1/contents", obj{"subsetPercent": 50}, &d)
	assert.Equal(t, 50, d.Contents.SubsetPercent)
	assert.Equal(t, []Row{{ID: 7, Name: "x"}}, d.Contents.Rows, "partial update keeps rows")

	testAPI(t, e, "POST", "/datasets/prep1/accounts/app_user", obj{"action": "reset", "password": "n3w"}, &d)
	assert.Equal(t, Account{Name: "app_user", State: "active", PasswordSha256: model.PasswordHash("n3w")}, d.Contents.Accounts[0])
	testAPI(t, e, "POST", "/datasets/prep1/accounts/dba_alice", obj{"action": "drop"}, &d)
	assert.Equal(t, "dropped", d.Contents.Accounts[2].State)
	assert.Equal(t, http.StatusNotFound, testAPI(t, e, "POST", "/datasets/prep1/accounts/ghost", obj{"action": "lock"}, nil))
	assert.Equal(t, "active", dataset(t, e, "prep2").Contents.Accounts[2].State, "pods do not share accounts")

	before := dataset(t, e, "Patients Prod")
	testAPI(t, e, "POST", "/prod/change", obj{"database": "Patients Prod"}, &d)
	assert.Equal(t, 2, d.Contents.DataVersion)
	assert.Len(t, d.Contents.Rows, len(before.Contents.Rows)+5)
	assert.NotEqual(t, before.Contents.Rows, d.Contents.Rows[:len(before.Contents.Rows)])
}

func TestAfterProcessingFaultPerformsTheOperationThenAnswers502(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	testAPI(t, e, "POST", "/faults", obj{"httpError": obj{"method": "POST", "pathSuffix": "/sync", "status": 502, "afterProcessing": true}}, nil)
	st, body := c.raw("POST", "/database/"+prodRef+"/sync", nil)
	assert.Equal(t, http.StatusBadGateway, st)
	assert.Contains(t, string(body), "Bad Gateway")
	jobs := c.list("/job?target=" + prodRef)
	require.Len(t, jobs, 1, "the sync ran once")
	c.wait(jobs[0]["reference"].(string))
	c.run("/database/"+prodRef+"/sync", nil)
}

func TestRequestLogRedactsPasswords(t *testing.T) {
	e := start(t, Options{})
	login(t, e, "delphix_admin", "1.11.9")
	var reqs []RequestRecord
	testAPI(t, e, "GET", "/requests", nil, &reqs)
	require.Len(t, reqs, 2)
	assert.Equal(t, "/resources/json/delphix/login", reqs[1].Path)
	assert.NotContains(t, string(reqs[1].Body), "delphix\"")
	assert.Contains(t, string(reqs[1].Body), `"password":"********"`)
	assert.Equal(t, http.StatusOK, reqs[1].Status)
	testAPI(t, e, "DELETE", "/requests", nil, nil)
	assert.Empty(t, e.Requests())
}

func TestNotificationLongPollWakesOnJobUpdatesAndTimesOutEmpty(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	empty := c.list("/notification?channel=ch1&timeout=20")
	assert.Empty(t, empty)

	var wg sync.WaitGroup
	var got []map[string]any
	wg.Add(1)
	go func() {
		defer wg.Done()
		got = c.list("/notification?channel=ch1&timeout=10000")
	}()
	time.Sleep(20 * time.Millisecond)
	res := c.ok("POST", "/database/"+prodRef+"/sync", nil)
	wg.Wait()
	require.NotEmpty(t, got)
	assert.Equal(t, map[string]any{"type": "ObjectNotification", "object": res["job"], "objectType": "Job", "eventType": "UPDATE"}, got[0])
	c.wait(res["job"].(string))
}

func TestDisabledNotificationsAnswer404(t *testing.T) {
	e := start(t, Options{DisableNotifications: true})
	c := login(t, e, "delphix_admin", "1.11.9")
	st, body := c.raw("GET", "/notification?channel=x&timeout=10", nil)
	assert.Equal(t, http.StatusNotFound, st)
	assert.True(t, strings.HasPrefix(string(body), "<html>"))
}

func TestCloseEndsRunningJobsAndLongPolls(t *testing.T) {
	e, err := New(Options{Speed: 1})
	require.NoError(t, err)
	c := login(t, e, "delphix_admin", "1.11.9")
	c.ok("POST", "/database/"+prodRef+"/sync", nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequest("GET", e.URL()+apiBase+"/notification?channel=z&timeout=60000", nil)
		resp, err := c.hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, e.Close())
	<-done
}

func TestTheRequestLogForgetsItsOldestHalfAtTheBound(t *testing.T) {
	e := start(t, Options{})
	e.Mu.Lock()
	for range state.MaxRequests + 1 {
		e.LogRequest("GET", apiBase+"/about", "", nil)
	}
	e.Mu.Unlock()
	n := len(e.Requests())
	assert.Equal(t, state.MaxRequests/2+1, n, "the log is bounded, so a long run's memory stays flat")
}
