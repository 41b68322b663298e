package dctapi_test

import (
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/require"
)

// The DCT API's tests run it as users do, in a whole local engine, through the dct client
// or plain HTTP; the engine's tests check what both APIs see of the same state.

// start runs a local engine for one test.
func start(t *testing.T, opts engine.Options) *engine.Engine {
	t.Helper()
	if opts.Speed == 0 {
		opts.Speed = 0.005 // a 5 s refresh takes 25 ms
	}
	return enginetest.Start(t, opts)
}

// dataset is a dataset of the engine, which must exist.
func dataset(t *testing.T, e *engine.Engine, name string) engine.Dataset {
	t.Helper()
	d, ok := e.Dataset(name)
	require.True(t, ok, name)
	return d
}

// dctServer serves the engine's handler with every DCT request and answer under base
// checked against the OpenAPI file (a problem fails the test).
func dctServer(t *testing.T, e *engine.Engine, base string) string {
	t.Helper()
	return dctspec.Serve(t, base, e.Handler())
}

// dctClient is a dct client of the engine for one of the workshop's accounts.
func dctClient(t *testing.T, url, base string, account int, user string) *dct.Client {
	t.Helper()
	c, err := dct.NewClient(url, dct.WithAPIKey(engine.DCTKey(account, user)), dct.WithBasePath(base),
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
