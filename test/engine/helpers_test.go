package engine

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/stretchr/testify/require"
)

// testSpeed makes a 5 s refresh take 25 ms.
const testSpeed = 0.005

// start runs an engine for one test. Tests of other packages use enginetest.Start, which
// this package cannot import.
func start(t *testing.T, opts Options) *Engine {
	t.Helper()
	if opts.Speed == 0 {
		opts.Speed = testSpeed
	}
	e, err := New(opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, e.Close()) })
	return e
}

// client is a plain net/http API client with a cookie jar that reaches the engine in memory.
type client struct {
	t    *testing.T
	e    *Engine
	hc   *http.Client
	js   string
	user string
}

func newClient(t *testing.T, e *Engine) *client {
	hc := e.Client()
	hc.Timeout = 30 * time.Second
	return &client{t: t, e: e, hc: hc}
}

// login opens a session at version ver and logs in.
func login(t *testing.T, e *Engine, user, ver string) *client {
	t.Helper()
	c := newClient(t, e)
	c.session(ver)
	st, res := c.call("POST", "/login", obj{"type": "LoginRequest", "username": user, "password": passwords[user]})
	require.Equal(t, http.StatusOK, st, "login: %v", res)
	c.user = user
	return c
}

var passwords = map[string]string{"delphix_admin": "landshark", "qa": "qa-local-pw", "dev": "dev-local-pw"}

func (c *client) session(ver string) {
	c.t.Helper()
	v := mustVersion(ver)
	st, res := c.call("POST", "/session", obj{"type": "APISession", "version": v.object()})
	require.Equal(c.t, http.StatusOK, st)
	require.Equal(c.t, "OKResult", res["type"], "session: %v", res)
	c.js = "/" + v.jsPrefix()
}

// raw sends a request below the API base and returns status and body.
func (c *client) raw(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(c.t, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.e.URL()+apiBase+path, rd)
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, out
}

// call sends a request and decodes the JSON envelope.
func (c *client) call(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	st, b := c.raw(method, path, body)
	var m map[string]any
	require.NoError(c.t, json.Unmarshal(b, &m), "not JSON (%d): %s", st, b)
	return st, m
}

// ok sends a request that must succeed and returns its result.
func (c *client) ok(method, path string, body any) map[string]any {
	c.t.Helper()
	st, m := c.call(method, path, body)
	require.Equal(c.t, http.StatusOK, st, "%s %s: %v", method, path, m)
	require.Equal(c.t, "OK", m["status"], "%s %s: %v", method, path, m)
	return m
}

// apiErr sends a request that must fail and returns the HTTP status and error object.
func (c *client) apiErr(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	st, m := c.call(method, path, body)
	require.Equal(c.t, "ErrorResult", m["type"], "%s %s: %v", method, path, m)
	return st, m["error"].(map[string]any)
}

func (c *client) get(path string) map[string]any {
	return c.ok("GET", path, nil)["result"].(map[string]any)
}

func (c *client) list(path string) []map[string]any {
	var out []map[string]any
	for _, x := range c.ok("GET", path, nil)["result"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// wait polls a job until it is no longer RUNNING and returns it.
func (c *client) wait(ref string) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		j := c.get("/job/" + ref)
		if j["jobState"] != "RUNNING" {
			return j
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.t.Fatalf("job %s still running", ref)
	return nil
}

// run posts a job-starting operation and waits for the job to complete.
func (c *client) run(path string, body any) map[string]any {
	c.t.Helper()
	res := c.ok("POST", path, body)
	require.NotNil(c.t, res["job"], "no job: %v", res)
	j := c.wait(res["job"].(string))
	require.Equal(c.t, "COMPLETED", j["jobState"], "job: %v", j["events"])
	return res
}

// byName finds an object by name in a list.
func byName(t *testing.T, list []map[string]any, name string) map[string]any {
	t.Helper()
	for _, o := range list {
		if o["name"] == name {
			return o
		}
	}
	t.Fatalf("no %q in list", name)
	return nil
}

func dataset(t *testing.T, e *Engine, name string) Dataset {
	t.Helper()
	d, ok := e.Dataset(name)
	require.True(t, ok, name)
	return d
}

func jsonBody(t *testing.T, v any) io.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return bytes.NewReader(b)
}

// dctServer serves the engine's handler with every DCT request and answer under base
// checked against the OpenAPI file (a problem fails the test).
func dctServer(t *testing.T, e *Engine, base string) string {
	t.Helper()
	return dctspec.Serve(t, base, e.Handler())
}

// dctClient is a dct client of the engine for one of the workshop's accounts.
func dctClient(t *testing.T, url, base string, account int, user string) *dct.Client {
	t.Helper()
	c, err := dct.NewClient(url, dct.WithAPIKey(DCTKey(account, user)), dct.WithBasePath(base),
		dct.WithWaitIntervals(time.Millisecond, 5*time.Millisecond), dct.WithRetryMax(0))
	require.NoError(t, err)
	return c
}

// waitOn returns a function that waits for the job a client call started.
func waitOn(t *testing.T, c *dct.Client) func(*dct.Job, error) *dct.Job {
	return func(j *dct.Job, err error) *dct.Job {
		t.Helper()
		require.NoError(t, err)
		done, err := c.Jobs.Wait(t.Context(), j.ID, nil)
		require.NoError(t, err)
		return done
	}
}
