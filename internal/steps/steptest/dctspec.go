package steptest

import (
	"net/http/httptest"
	"os"
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
	spec, err := dctspec.Default()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("DCT OpenAPI file needed in CI: %v", err)
		}
		t.Logf("requests not checked against the spec: %v", err)
		return nil
	}
	srv := httptest.NewServer(spec.Handler(dct.DefaultBasePath, e.Handler(), t.Errorf))
	t.Cleanup(srv.Close)
	return []string{"DELPHIX_ENGINE=" + srv.URL}
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
