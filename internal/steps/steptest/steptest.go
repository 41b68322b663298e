// Package steptest runs a step in process, through cli.Run with its
// arguments, environment and output injected, against the local engine:
// each step's operations and error paths are tested fast, without
// building a binary.
package steptest

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/require"
)

// Engine starts a local engine with fast jobs for one test.
func Engine(t *testing.T) *engine.Engine {
	t.Helper()
	return enginetest.Start(t)
}

// Result is what one run of a step did.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// JSON is the step's result.
func (r Result) JSON(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.Stdout), &v), "stdout: %s\nstderr: %s", r.Stdout, r.Stderr)
	return v
}

// Run runs step with args as the admin user of e (nil: no engine), with
// env added to the environment; the process's own environment is never read.
func Run(t *testing.T, step *cli.Step, e *engine.Engine, env []string, args ...string) Result {
	t.Helper()
	environ := []string{"PATH=/usr/bin:/bin", "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark", "DELPHIX_RETRY_MAX=0"}
	if e != nil {
		environ = append(environ, "DELPHIX_ENGINE="+e.URL())
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), step, append([]string{step.Name}, args...), &stdout, &stderr, append(environ, env...))
	return Result{Code: code, Stdout: stdout.String(), Stderr: stderr.String()}
}

// DCT accounts of the local engine: the engine users in seed order.
const (
	DCTAdmin = 1 // delphix_admin
	DCTQA    = 2 // qa
	DCTDev   = 3 // dev
)

// RunDCT runs step with --platform dct against e's Data Control Tower API,
// with the API key of the account (DCTAdmin, DCTQA, DCTDev) in
// DELPHIX_API_KEY, and env added to the environment.
func RunDCT(t *testing.T, step *cli.Step, e *engine.Engine, account int, env []string, args ...string) Result {
	t.Helper()
	users := map[int]string{DCTAdmin: "delphix_admin", DCTQA: "qa", DCTDev: "dev"}
	environ := []string{"PATH=/usr/bin:/bin", "DELPHIX_PLATFORM=dct", "DELPHIX_RETRY_MAX=0",
		"DELPHIX_API_KEY=" + engine.DCTKey(account, users[account]), "DELPHIX_ENGINE=" + e.URL()}
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), step, append([]string{step.Name}, args...), &stdout, &stderr, append(environ, env...))
	return Result{Code: code, Stdout: stdout.String(), Stderr: stderr.String()}
}

// OKDCT runs step on DCT as the admin account and requires it to succeed.
func OKDCT(t *testing.T, step *cli.Step, e *engine.Engine, args ...string) map[string]any {
	t.Helper()
	r := RunDCT(t, step, e, DCTAdmin, nil, args...)
	require.Equal(t, 0, r.Code, r.Stderr)
	return r.JSON(t)
}

// OK runs step and requires it to succeed, returning its result.
func OK(t *testing.T, step *cli.Step, e *engine.Engine, args ...string) map[string]any {
	t.Helper()
	r := Run(t, step, e, nil, args...)
	require.Equal(t, 0, r.Code, r.Stderr)
	return r.JSON(t)
}

// EngineClient is a client of e's engine API logged in as the admin, for
// tests to set up and read what a step did.
func EngineClient(t *testing.T, e *engine.Engine) *delphix.Client {
	t.Helper()
	c, err := delphix.NewClient(e.URL(), delphix.WithRetryMax(0))
	require.NoError(t, err)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", "landshark"))
	return c
}

// Changes are the requests in the local engine's log (both APIs) that may
// change something (all but what httpapi.ChangesNothing lets through in a
// plan). A plan (--dry-run) must leave it empty.
func Changes(e *engine.Engine) []string {
	var out []string
	for _, r := range e.Requests() {
		if !httpapi.ChangesNothing(r.Method, r.Path) {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}
