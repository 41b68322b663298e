package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// as runs a binary with a self-service user's credentials.
func as(t *testing.T, e *engine.Engine, user, bin string, args ...string) result {
	return step{t: t, e: e, bin: bin, args: args, env: []string{"DELPHIX_USER=" + user, "DELPHIX_PASSWORD=" + user + "-local-pw"}}.run()
}

// testAPI stands in for the application: it changes a dataset's rows.
func testAPI(t *testing.T, e *engine.Engine, method, path string, body any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, e.TestAPIURL()+path, rd)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Less(t, resp.StatusCode, 300, "%s %s", method, path)
}

func rows(t *testing.T, e *engine.Engine, name string) []engine.Row {
	t.Helper()
	d, ok := e.Dataset(name)
	require.True(t, ok, name)
	return d.Contents.Rows
}

func ok(t *testing.T, r result) map[string]any {
	t.Helper()
	require.Equal(t, 0, r.code, r.stderr)
	return r.json(t)
}

var edgeCases = []engine.Row{{ID: 9001, Name: "-1"}, {ID: 9002, Name: "deleted"}, {ID: 9003, Name: "''''"}}

// TestSelfServiceStory is the Jet Stream story of the workshop, through the
// binaries, as the QA user and the developer.
func TestSelfServiceStory(t *testing.T) {
	e := enginetest.Start(t)

	// Part I: QA adds edge-case rows, bookmarks them, destroys everything,
	// restores the bookmark and has exactly the edge cases back.
	testAPI(t, e, "POST", "/datasets/qa-pod/rows", edgeCases)
	withEdgeCases := rows(t, e, "qa-pod")
	ok(t, as(t, e, "qa", "dx-bookmark", "create", "--container", "qa-pod", "--name", "after the edge case data"))
	testAPI(t, e, "DELETE", "/datasets/qa-pod/rows", nil)
	require.Empty(t, rows(t, e, "qa-pod"))
	ok(t, as(t, e, "qa", "dx-datapod", "restore", "--container", "qa-pod", "--bookmark", "after the edge case data"))
	assert.Equal(t, withEdgeCases, rows(t, e, "qa-pod"))
	assert.Contains(t, rows(t, e, "qa-pod"), engine.Row{ID: 9003, Name: "''''"})

	// Part II: QA shares "Bug 1234 data" and keeps another bookmark private.
	ok(t, as(t, e, "qa", "dx-bookmark", "create", "--container", "qa-pod", "--name", "Bug 1234 data", "--tag", "bug-1234", "--shared"))
	ok(t, as(t, e, "qa", "dx-bookmark", "create", "--container", "qa-pod", "--name", "QA private"))
	devBefore := rows(t, e, "dev-pod")

	// The developer sees the shared bookmark only.
	seen := ok(t, as(t, e, "dev", "dx-bookmark", "list"))["bookmarks"].([]any)
	var names []string
	for _, b := range seen {
		names = append(names, b.(map[string]any)["bookmark"].(string))
	}
	assert.Contains(t, names, "Bug 1234 data")
	assert.NotContains(t, names, "QA private")
	assert.NotContains(t, names, "after the edge case data")

	// What the engine forbids fails and changes nothing.
	e.ClearRequests()
	r := as(t, e, "dev", "dx-branch", "create", "--container", "dev-pod", "--name", "peek", "--from-bookmark", "QA private")
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, `no bookmark is named "QA private"`)
	r = as(t, e, "dev", "dx-datapod", "refresh", "--container", "qa-pod")
	assert.Equal(t, 2, r.code, r.stderr)
	r = as(t, e, "dev", "dx-sync", "--database", "Patients Prod")
	assert.Equal(t, 3, r.code, r.stderr)
	for _, req := range e.Requests() {
		if req.Method == "POST" {
			assert.Contains(t, []string{"/resources/json/delphix/session", "/resources/json/delphix/login", "/resources/json/delphix/logout"}, req.Path)
		}
	}
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))

	// The developer branches from the shared bookmark: their pod holds
	// exactly QA's bookmarked rows.
	out := ok(t, as(t, e, "dev", "dx-branch", "create", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data"))
	assert.Equal(t, true, out["active"])
	qaRows := rows(t, e, "qa-pod")
	assert.Equal(t, qaRows, rows(t, e, "dev-pod"))

	// The developer's changes stay on their pod.
	changed := rows(t, e, "dev-pod")[1:]
	testAPI(t, e, "PUT", "/datasets/dev-pod/contents", map[string]any{"rows": changed})
	assert.Equal(t, qaRows, rows(t, e, "qa-pod"))

	branches := ok(t, as(t, e, "dev", "dx-branch", "list", "--container", "dev-pod"))["branches"].([]any)
	assert.Len(t, branches, 2)

	// Back to the default branch: the developer's own data again.
	ok(t, as(t, e, "dev", "dx-branch", "activate", "--container", "dev-pod", "--name", "default"))
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))
	// And to the bug branch: their change is still there.
	ok(t, as(t, e, "dev", "dx-branch", "activate", "--container", "dev-pod", "--name", "bug-1234"))
	assert.Equal(t, changed, rows(t, e, "dev-pod"))

	// Deleting: an active branch is refused, an inactive one goes.
	r = as(t, e, "dev", "dx-branch", "delete", "--container", "dev-pod", "--name", "bug-1234")
	assert.Equal(t, 2, r.code)
	ok(t, as(t, e, "dev", "dx-branch", "activate", "--container", "dev-pod", "--name", "default"))
	ok(t, as(t, e, "dev", "dx-branch", "delete", "--container", "dev-pod", "--name", "bug-1234"))

	// QA unshares: the developer no longer sees it.
	ok(t, as(t, e, "qa", "dx-bookmark", "unshare", "--container", "qa-pod", "--name", "Bug 1234 data"))
	seen = ok(t, as(t, e, "dev", "dx-bookmark", "list", "--name", url.PathEscape("Bug 1234")))["bookmarks"].([]any)
	assert.Empty(t, seen)
}
