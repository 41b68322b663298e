package cli_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each test here checks the exact line a person reads: what happened and
// what to do about it.

func bothPlatforms() *cli.Step { return platformStep(cli.PlatformEngine, cli.PlatformDCT) }

func adminKey() string { return "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin") }

func TestAnAPIKeyWithoutAPlatformPointsToPlatformDCT(t *testing.T) {
	e := enginetest.Start(t)
	code, out, errs := runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=" + e.URL(), adminKey()})
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, "dx-try: error: no user: DELPHIX_API_KEY is set, which only Data Control Tower reads: to drive DCT, "+
		"set --platform dct (or DELPHIX_PLATFORM=dct); to drive the engine, set --user and DELPHIX_PASSWORD\n", errs)
	assert.NotContains(t, errs, engine.DCTKey(1, "delphix_admin"))
}

func TestAConnectionKeyOfTheOtherPlatformIsRefusedNamingWhereItCameFrom(t *testing.T) {
	e := enginetest.Start(t)
	dct := []string{"DELPHIX_ENGINE=" + e.URL(), adminKey()}
	eng := []string{"DELPHIX_ENGINE=" + e.URL(), "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"}
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("user: admin\n"), 0o600))
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{dct, []string{"--platform", "dct", "--user", "admin"},
			"dx-try: error: --user applies to --platform engine only, not dct: leave it out (see --help)\n"},
		{append(dct, "DELPHIX_USER=admin"), []string{"--platform", "dct"},
			"dx-try: error: DELPHIX_USER is set, but it applies to --platform engine only, not dct: unset DELPHIX_USER (see --help)\n"},
		{dct, []string{"--platform", "dct", "--config", cfg},
			"dx-try: error: --config " + cfg + " key user sets --user, which applies to --platform engine only, not dct: remove the key (see --help)\n"},
		{append(dct, "DELPHIX_PLATFORM=dct", "DELPHIX_API_VERSION=1.11.9"), nil,
			"dx-try: error: DELPHIX_API_VERSION is set, but it applies to --platform engine only, not dct: unset DELPHIX_API_VERSION (see --help)\n"},
		{append(eng, "DELPHIX_DCT_BASE_PATH=/v3"), nil,
			"dx-try: error: DELPHIX_DCT_BASE_PATH is set, but it applies to --platform dct only, not engine: unset DELPHIX_DCT_BASE_PATH (see --help)\n"},
		{eng, []string{"--api-key-file", cfg},
			"dx-try: error: --api-key-file applies to --platform dct only, not engine: leave it out (see --help)\n"},
		// In Jenkins, where the library binds only the platform's own
		// credentials, one left in the agent's environment is named so.
		{append(dct, "DXSTEPS_CALLER=jenkins", "DELPHIX_PLATFORM=dct", "DELPHIX_USER=admin"), nil,
			"dx-try: error: DELPHIX_USER is set, but it applies to key 'platform' engine only, not dct: unset DELPHIX_USER\n"},
	} {
		code, out, errs := runStep(bothPlatforms(), c.env, c.args...)
		assert.Equal(t, 2, code, c.want)
		assert.Empty(t, out)
		assert.Equal(t, c.want, errs)
	}
}

func TestAMistypedPlatformSuggestsTheOneMeant(t *testing.T) {
	env := []string{"DELPHIX_ENGINE=http://127.0.0.1:1"}
	code, _, errs := runStep(bothPlatforms(), append(env, "DELPHIX_PLATFORM=dtc"))
	assert.Equal(t, 2, code)
	assert.Equal(t, "dx-try: error: DELPHIX_PLATFORM \"dtc\" is not a platform; did you mean dct? (see --help)\n", errs)
	code, _, errs = runStep(bothPlatforms(), env, "--platform", "engin")
	assert.Equal(t, 2, code)
	assert.Equal(t, "dx-try: error: --platform \"engin\" is not a platform; did you mean engine? (see --help)\n", errs)
}

func TestHelpOrVersionGivenAsAWordPointsToTheFlag(t *testing.T) {
	step := bothPlatforms()
	step.Operations = []string{"create", "list"}
	code, _, errs := runStep(step, nil, "help")
	assert.Equal(t, 2, code)
	assert.Equal(t, "dx-try: error: unknown operation \"help\": the operations of dx-try are create and list; for the help, use --help (see --help)\n", errs)
	code, _, errs = runStep(step, nil, "version")
	assert.Equal(t, 2, code)
	assert.Equal(t, "dx-try: error: unknown operation \"version\": the operations of dx-try are create and list; for the version, use --version (see --help)\n", errs)
	code, _, errs = runStep(bothPlatforms(), nil, "version")
	assert.Equal(t, 2, code)
	assert.Equal(t, "dx-try: error: unexpected argument \"version\": dx-try takes no operation, only flags; did you mean --version? (see --help)\n", errs)
}

func TestADurationWithoutAUnitSaysAUnitIsNeeded(t *testing.T) {
	env := []string{"DELPHIX_ENGINE=http://127.0.0.1:1"}
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("timeout: 5\n"), 0o600))
	unit := "has no unit: write 5s, 5m or 5h"
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{env, []string{"--config", cfg}, "dx-try: error: --config " + cfg + ": line 1: timeout: 5 " + unit + " (see --help)\n"},
		{env, []string{"--timeout", "soon"}, "dx-try: error: --timeout \"soon\" is not a duration: give a number with a unit, e.g. 90s, 5m or 2h (see --help)\n"},
		{env, []string{"--insecure=maybe"}, "dx-try: error: --insecure \"maybe\" is not true or false (see --help)\n"},
		{env, []string{"--timeout", "5"}, "dx-try: error: --timeout \"5\" " + unit + " (see --help)\n"},
		{append(env, "DELPHIX_TIMEOUT=5"), nil, "dx-try: error: DELPHIX_TIMEOUT=\"5\" (for --timeout) " + unit + "\n"},
		{env, []string{"--retry-max", "two"}, "dx-try: error: --retry-max \"two\" is not a whole number (see --help)\n"},
		// The library passes its timeout key as --timeout: the line names the key.
		{append(env, "DXSTEPS_CALLER=jenkins"), []string{"--timeout", "5"}, "dx-try: error: key 'timeout' \"5\" " + unit + "\n"},
	} {
		code, _, errs := runStep(bothPlatforms(), c.env, c.args...)
		assert.Equal(t, 2, code, c.want)
		assert.Equal(t, c.want, errs)
		assert.NotContains(t, errs, "parse error")
		assert.NotContains(t, errs, "flag -timeout")
	}
}

func TestAWrongDCTBasePathNamesTheFlagAndShowsNoHTML(t *testing.T) {
	// A web server in front of DCT that answers a path it does not know
	// with its own HTML error page.
	page := `<html><head><title>Error report</title></head><body><h1>HTTP Status 404 - The requested resource is not available.</h1></body></html>`
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(page))
	}))
	defer html.Close()
	code, _, errs := runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=" + html.URL, adminKey()}, "--platform", "dct", "--dct-base-path", "/foo")
	assert.Equal(t, 2, code)
	assert.Equal(t, "dx-try: error: no DCT API at "+html.URL+"/foo (GET /vdbs answered HTTP 404 Not Found: an HTML page, not DCT's JSON: Error report): "+
		"check --dct-base-path (DCT serves API v3 under /dct/v3; older installations under /v3) and --engine\n", errs)

	e := enginetest.Start(t)
	code, _, errs = runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=" + e.URL(), adminKey()}, "--platform", "dct", "--dct-base-path", "/dct/v4")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "dx-try: error: no DCT API at "+e.URL()+"/dct/v4 (GET /vdbs answered HTTP 404 Not Found: ")
	assert.Contains(t, errs, "check --dct-base-path")
	assert.NotContains(t, errs, "name or id")
}

func TestACACertFileWithoutACertificateNamesWhoseCertificateItMustSign(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(bad, []byte("not a certificate\n"), 0o600))
	code, _, errs := runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=https://127.0.0.1:1", adminKey()}, "--platform", "dct", "--ca-cert", bad)
	assert.Equal(t, 2, code)
	assert.Equal(t, "dx-try: error: --ca-cert "+bad+" holds no PEM certificate (a -----BEGIN CERTIFICATE----- block): "+
		"give the PEM file of the CA certificate that signed DCT's TLS certificate\n", errs)
	code, _, errs = runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=https://127.0.0.1:1", "DELPHIX_USER=u", "DELPHIX_PASSWORD=p"}, "--ca-cert", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "signed the engine's TLS certificate\n")
}

// closedURL is the URL of a port nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

func TestEveryRetryOfAnUnreachableServerIsLoggedWithWhatFailedAndWhenTheNextTryComes(t *testing.T) {
	u := closedURL(t)
	host := strings.TrimPrefix(u, "http://")
	refused := "failed: dial tcp " + host + ": connect: connection refused; try 2 of 2 in 1s\n"

	code, out, errs := runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=" + u, "DELPHIX_USER=u", "DELPHIX_PASSWORD=p", "DELPHIX_RETRY_MAX=1"})
	assert.Equal(t, 5, code)
	assert.Empty(t, out)
	lines := strings.SplitAfter(errs, "\n")
	require.Len(t, lines, 3, errs) // the retry, the error, ""
	assert.Equal(t, "dx-try: POST "+u+"/resources/json/delphix/session "+refused, lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "dx-try: error: engine unreachable: "), lines[1])
	assert.True(t, strings.HasSuffix(lines[1], "connection refused (check --engine, that the server is up and reachable from this agent, and HTTPS_PROXY and NO_PROXY if the agent goes through a proxy)\n"), lines[1])

	code, out, errs = runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=" + u, adminKey(), "DELPHIX_RETRY_MAX=1"}, "--platform", "dct")
	assert.Equal(t, 5, code)
	assert.Empty(t, out)
	lines = strings.SplitAfter(errs, "\n")
	require.Len(t, lines, 3, errs)
	assert.Equal(t, "dx-try: GET "+u+"/dct/v3/vdbs?limit=1 "+refused, lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "dx-try: error: DCT unreachable: "), lines[1])
}

// unavailableOnce is the local engine behind a proxy that answers the
// first request to path with 503 and Retry-After: 0, as a load balancer
// does while the engine restarts.
func unavailableOnce(t *testing.T, e *engine.Engine, path string) string {
	target, err := url.Parse(e.URL())
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var once atomic.Bool
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path && once.CompareAndSwap(false, true) {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

func TestARetried503IsLoggedAndStdoutStaysOneJSONObject(t *testing.T) {
	e := enginetest.Start(t)
	u := unavailableOnce(t, e, "/resources/json/delphix/session")
	code, out, errs := runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=" + u, "DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark", "DELPHIX_RETRY_MAX=2"})
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, "dx-try: POST "+u+"/resources/json/delphix/session answered HTTP 503 Service Unavailable; try 2 of 3 in 0s\n", errs)
	var v map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &v), out)
	assert.Equal(t, "engine", v["platform"])

	u = unavailableOnce(t, e, "/dct/v3/vdbs")
	code, out, errs = runStep(bothPlatforms(), []string{"DELPHIX_ENGINE=" + u, adminKey(), "DELPHIX_RETRY_MAX=2"}, "--platform", "dct")
	assert.Equal(t, 0, code, errs)
	assert.Equal(t, "dx-try: GET "+u+"/dct/v3/vdbs?limit=1 answered HTTP 503 Service Unavailable; try 2 of 3 in 0s\n", errs)
	require.NoError(t, json.Unmarshal([]byte(out), &v), out)
	assert.Equal(t, "dct", v["platform"])
}

func TestAServerThatDoesNotAnswerIsLoggedWhileTheStepWaits(t *testing.T) {
	defer cli.SetSlowAnswerAfter(200 * time.Millisecond)()
	// A server that accepts connections and never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	u := "http://" + l.Addr().String()
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{"DELPHIX_USER=u", "DELPHIX_PASSWORD=p"}, nil, "dx-try: POST " + u + "/resources/json/delphix/session: no answer yet after 200ms; still waiting\n"},
		{[]string{adminKey()}, []string{"--platform", "dct"}, "dx-try: GET " + u + "/dct/v3/vdbs?limit=1: no answer yet after 200ms; still waiting\n"},
	} {
		code, out, errs := runStep(bothPlatforms(), append(c.env, "DELPHIX_ENGINE="+u), append(c.args, "--timeout", "1s")...)
		assert.Equal(t, 4, code, errs)
		assert.Empty(t, out)
		assert.True(t, strings.HasPrefix(errs, c.want), errs)
		assert.Contains(t, errs, "no answer yet after 400ms; still waiting\n")
	}
}
