package delphix

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sent records every request body the client sends to engines at the
// schema's version, so TestMain can check them against the schema.
var sent struct {
	sync.Mutex
	bodies []sentBody
	paused bool // while a test sends an invalid body on purpose
}

type sentBody struct {
	path string
	body []byte
}

type recorder struct {
	next   http.RoundTripper
	record bool
}

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.record && req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		sent.Lock()
		if !sent.paused {
			sent.bodies = append(sent.bodies, sentBody{req.URL.Path, b})
		}
		sent.Unlock()
	}
	return r.next.RoundTrip(req)
}

// setup starts a local engine with opts (fast jobs by default) and a client
// for it that is not logged in yet.
func setup(t *testing.T, opts engine.Options, copts ...Option) (*Client, *engine.Engine) {
	t.Helper()
	e := enginetest.Start(t, opts)
	record := opts.APIVersion == "" || opts.APIVersion == "1.11.9"
	hc := &http.Client{Transport: recorder{next: http.DefaultTransport, record: record}, Timeout: 30 * time.Second}
	base := []Option{WithHTTPClient(hc), WithBackoff(time.Millisecond, 5*time.Millisecond), WithWaitIntervals(5*time.Millisecond, 50*time.Millisecond, 5*time.Second)}
	c, err := NewClient(e.URL(), append(base, copts...)...)
	require.NoError(t, err)
	return c, e
}

// loggedIn is setup plus a login as the workshop admin.
func loggedIn(t *testing.T, opts engine.Options, copts ...Option) (*Client, *engine.Engine) {
	t.Helper()
	c, e := setup(t, opts, copts...)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", "landshark"))
	return c, e
}

func requestLines(e *engine.Engine) []string {
	var out []string
	for _, r := range e.Requests() {
		out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, BasePath))
	}
	return out
}

func TestLoginNegotiatesTheEnginesVersionOnEverySupportedRelease(t *testing.T) {
	for _, v := range []string{"1.8.0", "1.9.0", "1.10.6", "1.11.9", "1.11.11"} {
		t.Run(v, func(t *testing.T) {
			c, e := loggedIn(t, engine.Options{APIVersion: v})
			assert.Equal(t, v, c.APIVersion().String())
			assert.Equal(t, []string{"POST /session", "GET /about", "POST /session", "POST /login"}, requestLines(e)[:4])
			first, second := e.Requests()[0].Body, e.Requests()[2].Body
			assert.Contains(t, string(first), `"minor":3`)
			assert.Contains(t, string(second), fmt.Sprintf(`"micro":%d`, c.APIVersion().Micro))
			tmpls, err := c.Templates.List(t.Context())
			require.NoError(t, err)
			require.NotEmpty(t, tmpls)
			prefix := "/jetstream/"
			if c.APIVersion().AtLeast(1, 10, 0) {
				prefix = "/selfservice/"
			}
			lines := requestLines(e)
			assert.Equal(t, "GET "+prefix+"template", lines[len(lines)-1])
		})
	}
}

func TestLoginAtAPinnedVersion(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{}, WithAPIVersion(APIVersion{1, 9, 0}))
	assert.Equal(t, "1.9.0", c.APIVersion().String())
	_, err := c.Containers.List(t.Context(), "")
	require.NoError(t, err)

	c2, _ := setup(t, engine.Options{APIVersion: "1.10.6"}, WithAPIVersion(APIVersion{1, 11, 0}))
	err = c2.Login(t.Context(), "delphix_admin", "delphix")
	assert.ErrorContains(t, err, "API version 1.11.0 was asked for, but the engine speaks at most 1.10.6")
}

func TestWrongPasswordIsUnauthorized(t *testing.T) {
	c, _ := setup(t, engine.Options{})
	err := c.Login(t.Context(), "delphix_admin", "wrong")
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong")
}

func TestLostSessionIsReestablishedOnceAndTheRequestRepeated(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	e.ExpireSessions()
	e.ClearRequests()
	dbs, err := c.Databases.List(t.Context())
	require.NoError(t, err)
	assert.NotEmpty(t, dbs)
	assert.Equal(t, []string{"GET /database", "POST /session", "POST /login", "GET /database"}, requestLines(e))
	assert.Equal(t, http.StatusForbidden, e.Requests()[0].Status)
}

func TestCallsWithoutLoginFailAsUnauthorized(t *testing.T) {
	c, _ := setup(t, engine.Options{})
	_, err := c.Databases.List(t.Context())
	assert.ErrorIs(t, err, ErrUnauthorized)
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

func TestUnknownReferenceIsNotFound(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	_, err := c.Databases.Get(t.Context(), "APPDATA_CONTAINER-999")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestFindByNameNamesTheClosestDatabases(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	_, err := c.Databases.FindByName(t.Context(), "Patients Mask Master")
	assert.ErrorContains(t, err, `no database is named "Patients Mask Master"; closest: "Patients Masked Master"`)
}

func TestJobStartingPOSTIsNotResentWhenItsAnswerIsLost(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	e.InjectHTTPError(engine.HTTPFault{Method: "POST", PathSuffix: "/sync", Status: http.StatusBadGateway, AfterProcessing: true})
	e.ClearRequests()
	_, err = c.Databases.Sync(t.Context(), db)
	var unreachable *UnreachableError
	require.ErrorAs(t, err, &unreachable)
	assert.Equal(t, []string{"POST /database/" + db.Reference + "/sync"}, requestLines(e))
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

func syncProd(t *testing.T, c *Client) (*Database, Operation) {
	t.Helper()
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	require.NotEmpty(t, op.Job)
	return db, op
}

func TestWaitFollowsTheJobThroughNotifications(t *testing.T) {
	c, e := loggedIn(t, engine.Options{Speed: 0.02})
	_, op := syncProd(t, c)
	var percents []float64
	events := 0
	job, err := c.Jobs.Wait(t.Context(), op.Job, func(p Progress) {
		percents = append(percents, p.Job.PercentComplete)
		events += len(p.NewEvents)
	})
	require.NoError(t, err)
	assert.Equal(t, JobCompleted, job.JobState)
	assert.True(t, sort.Float64sAreSorted(percents), "%v", percents)
	assert.Equal(t, 100.0, percents[len(percents)-1])
	assert.Equal(t, len(job.Events), events, "every event reported once")
	assert.Contains(t, requestLines(e), "GET /notification")
}

func TestWaitPollsWhenTheEngineHasNoNotifications(t *testing.T) {
	c, e := loggedIn(t, engine.Options{DisableNotifications: true})
	_, op := syncProd(t, c)
	job, err := c.Jobs.Wait(t.Context(), op.Job, nil)
	require.NoError(t, err)
	assert.Equal(t, JobCompleted, job.JobState)
	jobReads := 0
	for _, l := range requestLines(e) {
		if l == "GET /job/"+op.Job {
			jobReads++
		}
	}
	assert.Greater(t, jobReads, 1)
}

func TestFailedJobReturnsItsLastErrorEvent(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	e.FailNextJob(engine.JobFault{Target: "Patients Prod", Message: "Could not connect to the staging database."})
	_, op := syncProd(t, c)
	_, err := c.Jobs.Wait(t.Context(), op.Job, nil)
	var jobErr *JobError
	require.ErrorAs(t, err, &jobErr)
	assert.Equal(t, JobFailed, jobErr.Job.JobState)
	assert.Contains(t, jobErr.Error(), "Could not connect to the staging database.")
	assert.Contains(t, jobErr.Error(), "FAILED")
}

func TestWaitStopsWhenTheContextEnds(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{Speed: 1})
	_, op := syncProd(t, c)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Jobs.Wait(ctx, op.Job, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	require.NoError(t, c.Jobs.Cancel(t.Context(), op.Job))
	job, err := c.Jobs.Wait(t.Context(), op.Job, nil)
	var jobErr *JobError
	require.ErrorAs(t, err, &jobErr)
	assert.Equal(t, JobCanceled, job.JobState)
}

// TestMain checks, after the tests, that every request body the client
// sent to a 1.11.9 engine names a concrete type of the 1.11.9 schema, with
// only that type's fields and all of its required ones.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if problems := checkSentBodies(); len(problems) > 0 {
			fmt.Fprintln(os.Stderr, "request bodies that do not match schema 1.11.9:")
			for _, p := range problems {
				fmt.Fprintln(os.Stderr, "  "+p)
			}
			code = 1
		}
	}
	os.Exit(code)
}

func checkSentBodies() []string {
	raw, err := os.ReadFile("../../shared/reference/engine/schema-1.11.9.json")
	if err != nil {
		if os.Getenv("CI") == "true" {
			return []string{"schema missing: " + err.Error()}
		}
		fmt.Fprintln(os.Stderr, "schema not found beside the repository; request bodies not checked")
		return nil
	}
	var s struct{ Types map[string]schemaType }
	if err := json.Unmarshal(raw, &s); err != nil {
		return []string{err.Error()}
	}
	sent.Lock()
	defer sent.Unlock()
	var problems []string
	seen := map[string]bool{}
	for _, b := range sent.bodies {
		var v any
		if json.Unmarshal(b.body, &v) != nil {
			problems = append(problems, b.path+": not JSON")
			continue
		}
		for _, p := range checkObject(s.Types, b.path, v) {
			if !seen[p] {
				seen[p] = true
				problems = append(problems, p)
			}
		}
	}
	return problems
}

// checkObject checks v and every typed object nested in it.
func checkObject(types map[string]schemaType, where string, v any) []string {
	var problems []string
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			problems = append(problems, checkObject(types, where, item)...)
		}
	case map[string]any:
		name, typedObj := v["type"].(string)
		if typedObj {
			st, ok := types[name]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: type %s is not in the schema", where, name))
			case st.Abstract:
				problems = append(problems, fmt.Sprintf("%s: type %s is abstract", where, name))
			default:
				for field := range v {
					if _, ok := st.Fields[field]; !ok {
						problems = append(problems, fmt.Sprintf("%s: %s has no field %q", where, name, field))
					}
				}
				for field, f := range st.Fields {
					if _, ok := v[field]; !ok && (f.Required || f.Create == "required") && field != "type" {
						problems = append(problems, fmt.Sprintf("%s: %s lacks required field %q", where, name, field))
					}
				}
			}
		}
		for k, item := range v {
			if typedObj || k != "" {
				problems = append(problems, checkObject(types, where+"."+k, item)...)
			}
		}
	}
	return problems
}
