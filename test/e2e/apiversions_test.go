package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requestLines is what e was asked since the last ClearRequests, as
// "METHOD /path" below the API's base path.
func requestLines(e *engine.Engine) []string {
	var out []string
	for _, r := range e.Requests() {
		out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, "/resources/json/delphix"))
	}
	return out
}

// bookmarkCreate runs one dx-bookmark create on prep1 handing over the
// API versions in dir, and returns the requests it made.
func bookmarkCreate(t *testing.T, e *engine.Engine, dir, name string) []string {
	t.Helper()
	e.ClearRequests()
	r := step{t: t, e: e, bin: "dx-bookmark", args: []string{"create", "--container", "prep1", "--name", name},
		env: []string{"DXSTEPS_API_VERSIONS=" + dir}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	return requestLines(e)
}

// withoutWaitReads drops the reads that follow a job (its notifications and the job itself):
// how many there are depends on when the engine's job goroutine ends, not on the version.
func withoutWaitReads(requests []string) []string {
	var out []string
	for _, r := range requests {
		if strings.HasPrefix(r, "GET /notification") || strings.HasPrefix(r, "GET /job/") {
			continue
		}
		out = append(out, r)
	}
	return out
}

// TestTheBuildsSecondStepReusesTheNegotiatedAPIVersion: the first step of a
// build negotiates with the engine, the next ones open their session at the
// version it settled on: no refused session, no /about, at every API version
// the local engine serves.
func TestTheBuildsSecondStepReusesTheNegotiatedAPIVersion(t *testing.T) {
	for _, v := range []string{"1.8.0", "1.9.0", "1.10.6", "1.11.9", "1.11.11"} {
		t.Run(v, func(t *testing.T) {
			e := enginetest.Start(t, engine.Options{APIVersion: v})
			dir := filepath.Join(t.TempDir(), ".dxsteps", "7", "api-versions")
			first := withoutWaitReads(bookmarkCreate(t, e, dir, "first"))
			second := withoutWaitReads(bookmarkCreate(t, e, dir, "second"))
			t.Logf("API %s: first step %d requests, second %d", v, len(first), len(second))
			assert.Equal(t, []string{"POST /session", "POST /login"}, second[:2], "the second step opens its session at once")
			assert.NotContains(t, second, "GET /about")
			if v == "1.11.11" {
				assert.Equal(t, len(first), len(second), "the newest version needs no negotiation anyway")
			} else {
				assert.Contains(t, first, "GET /about", "the first step negotiates")
				assert.Equal(t, len(first)-2, len(second), "a refused session and /about fewer")
			}
		})
	}
}

// TestAnInstantBookmarkFromTheBuildsSecondCallMakesAtMostNineRequests: with the version handed
// over, an instant dx-bookmark create (its job done when first read) is a session and a login,
// the data pod and its bookmarks, the start, the wait (open the notification channel, read the
// job), the bookmark's read and the logout, at every API version the local engine serves. The
// engine runs jobs at once (speed 1e-6), but in a goroutine of their own: on a busy machine the
// first read can still find one running, so the fewest of three calls counts.
func TestAnInstantBookmarkFromTheBuildsSecondCallMakesAtMostNineRequests(t *testing.T) {
	for _, v := range []string{"1.8.0", "1.9.0", "1.10.6", "1.11.9", "1.11.11"} {
		t.Run(v, func(t *testing.T) {
			e := enginetest.Start(t, engine.Options{APIVersion: v, Speed: 1e-6})
			dir := filepath.Join(t.TempDir(), "api-versions")
			bookmarkCreate(t, e, dir, "first")
			fewest := []string(nil)
			for i := range 3 {
				got := bookmarkCreate(t, e, dir, fmt.Sprintf("instant %d", i))
				if fewest == nil || len(got) < len(fewest) {
					fewest = got
				}
			}
			t.Logf("API %s: %d requests: %v", v, len(fewest), fewest)
			assert.LessOrEqual(t, len(fewest), 9, "%v", fewest)
		})
	}
}

// TestARefusedHandedOverVersionFallsBackToNegotiating: a handed-over version
// the engine refuses (a file from another engine at the same address) costs
// the negotiation, not the step, and is replaced with the engine's own.
func TestARefusedHandedOverVersionFallsBackToNegotiating(t *testing.T) {
	e := enginetest.Start(t, engine.Options{APIVersion: "1.10.6"})
	dir := t.TempDir()
	first := bookmarkCreate(t, e, dir, "first")
	files, err := filepath.Glob(filepath.Join(dir, "engine-*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	require.NoError(t, os.WriteFile(files[0], fmt.Appendf(nil, `{"engine":%q,"apiVersion":"1.11.9"}`, e.URL()), 0o600))

	again := bookmarkCreate(t, e, dir, "again")
	assert.Equal(t, first[:4], again[:4], "refused at 1.11.9: negotiated as the first step did")
	assert.Len(t, withoutWaitReads(again), len(withoutWaitReads(first)))
	raw, err := os.ReadFile(files[0])
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"apiVersion":"1.10.6"`, "the engine's own version replaces the refused one")
	assert.NotContains(t, bookmarkCreate(t, e, dir, "third"), "GET /about")

	// A file naming another engine, or no version dxsteps speaks, is no hint.
	for _, content := range []string{`{"engine":"https://other.example.com","apiVersion":"1.10.6"}`,
		fmt.Sprintf(`{"engine":%q,"apiVersion":"9.9.9"}`, e.URL()), `not json`} {
		require.NoError(t, os.WriteFile(files[0], []byte(content), 0o600))
		assert.Contains(t, bookmarkCreate(t, e, dir, "n"+fmt.Sprint(len(content))), "GET /about", content)
	}
}
