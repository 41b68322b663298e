package steptest

import (
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
)

// DCTSpecEnv serves e's DCT API, for one test, behind a check of every
// request and answer against the OpenAPI file (a problem fails the test),
// and returns the environment that points RunDCT at it.
func DCTSpecEnv(t *testing.T, e *engine.Engine) []string {
	t.Helper()
	return []string{"DELPHIX_ENGINE=" + dctspec.Serve(t, dct.DefaultBasePath, e.Handler())}
}

// DCTClient is a client of e's DCT API with the account's key (DCTAdmin,
// DCTQA, DCTDev), for tests to read what a step did.
func DCTClient(t *testing.T, e *engine.Engine, account int) *dct.Client {
	t.Helper()
	users := map[int]string{DCTAdmin: "delphix_admin", DCTQA: "qa", DCTDev: "dev"}
	c, err := dct.NewClient(e.URL(), dct.WithAPIKey(engine.DCTKey(account, users[account])), dct.WithRetryMax(0),
		dct.WithWaitIntervals(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
