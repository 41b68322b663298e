package engine

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tcpLogin logs in with a client that reaches the engine over its socket, so that a dropped
// connection is a real one.
func tcpLogin(t *testing.T, e *Engine) *client {
	t.Helper()
	c := newClient(t, e)
	jar, _ := cookiejar.New(nil)
	c.hc = &http.Client{Jar: jar, Timeout: 30 * time.Second}
	c.session("1.11.9")
	st, res := c.call("POST", "/login", obj{"type": "LoginRequest", "username": "delphix_admin", "password": passwords["delphix_admin"]})
	require.Equal(t, http.StatusOK, st, "login: %v", res)
	return c
}

// try sends a request that may meet a dropped connection: it returns the answer or the error.
func (c *client) try(method, path string) (*http.Response, error) {
	req, err := http.NewRequest(method, c.e.URL()+apiBase+path, http.NoBody)
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func inject(t *testing.T, e *Engine, f obj) {
	t.Helper()
	var out map[string]any
	require.Equal(t, http.StatusOK, testAPI(t, e, "POST", "/faults", obj{"httpError": f}, &out), "%v", out)
}

func syncJobs(c *client) []map[string]any { return c.list("/job?target=" + prodRef) }

func TestFault429CarriesRetryAfterAndTheEngineDoesNothing(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	inject(t, e, obj{"method": "POST", "pathSuffix": "/sync", "status": 429, "retryAfter": 7})
	resp, err := c.try("POST", "/database/"+prodRef+"/sync")
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "7", resp.Header.Get("Retry-After"))
	assert.Empty(t, syncJobs(c), "no job started")
	c.run("/database/"+prodRef+"/sync", nil)
}

func TestFaultHitsTheNthMatchingRequestByRegexp(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	// The second POST whose path matches: the first is served, the second meets a 504.
	inject(t, e, obj{"method": "POST", "pathRegexp": `/database/[^/]+/sync$`, "status": 504, "skip": 1})
	c.run("/database/"+prodRef+"/sync", nil)
	resp, err := c.try("POST", "/database/"+prodRef+"/sync")
	require.NoError(t, err)
	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	assert.Len(t, syncJobs(c), 1)
	c.run("/database/"+prodRef+"/sync", nil)
	assert.Len(t, syncJobs(c), 2)
	var done []FaultRecord
	testAPI(t, e, "GET", "/faults", nil, &done)
	require.Len(t, done, 1)
	assert.Equal(t, "/resources/json/delphix/database/"+prodRef+"/sync", done[0].Path)
	assert.Equal(t, 504, done[0].Fault.Status)
}

func TestUnknownFaultKindIsRefused(t *testing.T) {
	e := start(t, Options{})
	var out map[string]any
	assert.Equal(t, http.StatusBadRequest, testAPI(t, e, "POST", "/faults", obj{"httpError": obj{"kind": "explode"}}, &out))
	assert.Contains(t, out["error"], "explode")
	assert.Equal(t, http.StatusBadRequest, testAPI(t, e, "POST", "/faults", obj{"random": obj{"rate": 2}}, &out))
}

func TestDelayFaultAnswersLateButAnswers(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	inject(t, e, obj{"kind": "delay", "method": "GET", "pathSuffix": "/database", "delayMs": 300})
	t0 := time.Now()
	dbs := c.list("/database")
	assert.GreaterOrEqual(t, time.Since(t0), 300*time.Millisecond)
	assert.NotEmpty(t, dbs)
}

func TestDropBeforeClosesTheConnectionAndTheEngineDoesNothing(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	inject(t, e, obj{"kind": "dropBefore", "method": "POST", "pathSuffix": "/sync"})
	_, err := c.try("POST", "/database/"+prodRef+"/sync")
	require.Error(t, err, "no answer")
	assert.Empty(t, syncJobs(c), "no job started")
	c.run("/database/"+prodRef+"/sync", nil) // the session is still there
}

func TestDropAfterLosesTheAnswerOfAJobTheEngineStarted(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	inject(t, e, obj{"kind": "dropAfter", "method": "POST", "pathSuffix": "/sync"})
	_, err := c.try("POST", "/database/"+prodRef+"/sync")
	require.Error(t, err, "no answer")
	jobs := syncJobs(c)
	require.Len(t, jobs, 1, "the engine started the job")
	assert.Equal(t, "COMPLETED", c.wait(jobs[0]["reference"].(string))["jobState"])
}

func TestDropAfterReachesAnInMemoryClientAsAnError(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	inject(t, e, obj{"kind": "dropAfter", "method": "POST", "pathSuffix": "/sync"})
	_, err := c.try("POST", "/database/"+prodRef+"/sync")
	require.Error(t, err)
	assert.Len(t, syncJobs(c), 1)
}

func TestExpireSessionsFaultEndsEverySessionBeforeTheRequest(t *testing.T) {
	e := start(t, Options{})
	c, other := tcpLogin(t, e), tcpLogin(t, e)
	inject(t, e, obj{"kind": "expireSessions", "method": "GET", "pathSuffix": "/database"})
	resp, err := c.try("GET", "/database")
	require.NoError(t, err)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "not logged in")
	resp, err = other.try("GET", "/source")
	require.NoError(t, err)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "every session ended")
	assert.NotEmpty(t, tcpLogin(t, e).list("/database"), "a new login works")
}

func TestRestartFaultEndsSessionsAndLetsRunningJobsGoOn(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	res := c.ok("POST", "/database/"+prodRef+"/sync", nil)
	// A POST: Go's transport resends an idempotent request whose reused connection dropped.
	inject(t, e, obj{"kind": "restart", "method": "POST", "pathSuffix": "/logout"})
	_, err := c.try("POST", "/logout")
	require.Error(t, err, "the engine went away mid-request")
	resp, err := c.try("GET", "/database")
	require.NoError(t, err)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "the session is gone")
	c2 := tcpLogin(t, e)
	assert.Equal(t, "COMPLETED", c2.wait(res["job"].(string))["jobState"], "the job went on")
}

func TestBusyFaultStartsSomeoneElsesJobOnTheTarget(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	inject(t, e, obj{"kind": "busy", "method": "POST", "pathSuffix": "/sync", "delayMs": 2000})
	st, apiErr := c.apiErr("POST", "/database/"+prodRef+"/sync", nil)
	assert.Equal(t, http.StatusConflict, st)
	assert.Equal(t, "exception.executor.object.busy", apiErr["id"])
	jobs := syncJobs(c)
	require.Len(t, jobs, 1)
	assert.Equal(t, "USER-someone-else", jobs[0]["user"])
	assert.Equal(t, "COMPLETED", c.wait(jobs[0]["reference"].(string))["jobState"])
	c.run("/database/"+prodRef+"/sync", nil)
}

func TestJobFailFaultFailsTheNextJobAtItsPercent(t *testing.T) {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	inject(t, e, obj{"kind": "jobFail", "method": "POST", "pathSuffix": "/sync", "percent": 30})
	res := c.ok("POST", "/database/"+prodRef+"/sync", nil)
	j := c.wait(res["job"].(string))
	assert.Equal(t, "FAILED", j["jobState"])
	events := j["events"].([]any)
	last := events[len(events)-1].(map[string]any)
	assert.Equal(t, "ERROR", last["eventType"])
	assert.EqualValues(t, 30, last["percentComplete"])
}

// randomRun sends the same requests to a fresh engine with random faults and returns the
// faults done.
func randomRun(t *testing.T, seed int64) []FaultRecord {
	e := start(t, Options{})
	c := tcpLogin(t, e)
	var out map[string]any
	require.Equal(t, http.StatusOK, testAPI(t, e, "POST", "/faults",
		obj{"random": obj{"rate": 0.3, "seed": seed, "method": "GET", "kinds": []string{"status", "delay", "dropBefore"}, "delayMs": 1}}, &out))
	for range 60 {
		_, _ = c.try("GET", "/database")
	}
	var done []FaultRecord
	testAPI(t, e, "GET", "/faults", nil, &done)
	return done
}

func TestRandomFaultsWithTheSameSeedHitTheSameRequests(t *testing.T) {
	a, b, other := randomRun(t, 7), randomRun(t, 7), randomRun(t, 8)
	require.NotEmpty(t, a)
	assert.Less(t, len(a), 60, "not every request")
	key := func(rs []FaultRecord) string {
		for i := range rs {
			rs[i].Time = ""
		}
		j, _ := json.Marshal(rs)
		return string(j)
	}
	assert.Equal(t, key(a), key(b))
	assert.NotEqual(t, key(a), key(other))
	for _, r := range a {
		assert.True(t, r.Random)
		assert.Contains(t, []string{"status", "delay", "dropBefore"}, r.Fault.Kind)
	}
}

// The answer to a cancel can be lost both ways, as the abort tests need: after the engine
// acted (the job ends CANCELED) and before (the job goes on until a cancel gets through).
func TestTheAnswerToACancelCanBeDroppedAfterOrBeforeTheEngineActs(t *testing.T) {
	for kind, want := range map[string]string{"dropAfter": "CANCELED", "dropBefore": "RUNNING"} {
		t.Run(kind, func(t *testing.T) {
			e := start(t, Options{Speed: 1}) // a sync runs for seconds
			c := tcpLogin(t, e)
			job := c.ok("POST", "/database/"+prodRef+"/sync", nil)["job"].(string)
			inject(t, e, obj{"kind": kind, "method": "POST", "pathSuffix": "/cancel"})
			_, err := c.try("POST", "/job/"+job+"/cancel")
			require.Error(t, err, "no answer")
			if want == "CANCELED" {
				assert.Equal(t, want, c.wait(job)["jobState"])
				return
			}
			assert.Equal(t, want, c.get("/job/" + job)["jobState"], "the cancel never reached the engine")
			c.ok("POST", "/job/"+job+"/cancel", nil)
			assert.Equal(t, "CANCELED", c.wait(job)["jobState"])
		})
	}
}
