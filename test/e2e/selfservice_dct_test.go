package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dctAccounts are the local engine's DCT accounts by user.
var dctAccounts = map[string]int{"delphix_admin": 1, "qa": 2, "dev": 3}

// dctStory is the local engine's DCT API behind a server that checks every
// request and answer against the OpenAPI file.
type dctStory struct {
	t   *testing.T
	e   *engine.Engine
	url string
}

func newDCTStory(t *testing.T) dctStory {
	e := enginetest.Start(t)
	return dctStory{t: t, e: e, url: dctspec.Serve(t, "/dct/v3", e.Handler())}
}

// as runs a binary on DCT with a user's API key.
func (d dctStory) as(user, bin string, args ...string) result {
	return step{t: d.t, e: d.e, bin: bin, args: args, env: []string{"DELPHIX_PLATFORM=dct", "DELPHIX_ENGINE=" + d.url,
		"DELPHIX_API_KEY=" + engine.DCTKey(dctAccounts[user], user)}}.run()
}

// client is a dct client with a user's API key, to look at what each
// account sees and to try what DCT itself must refuse.
func (d dctStory) client(user string) *dct.Client {
	c, err := dct.NewClient(d.url, dct.WithAPIKey(engine.DCTKey(dctAccounts[user], user)),
		dct.WithWaitIntervals(time.Millisecond, 5*time.Millisecond), dct.WithRetryMax(0))
	require.NoError(d.t, err)
	return c
}

// bookmark has QA bookmark its pod with dx-bookmark, shared or not, and
// returns the bookmark's name.
func (d dctStory) bookmark(name string, shared bool, tags ...string) string {
	d.t.Helper()
	args := []string{"create", "--container", "qa-pod", "--name", name}
	for _, tag := range tags {
		args = append(args, "--tag", tag)
	}
	if shared {
		args = append(args, "--shared")
	}
	out := ok(d.t, d.as("qa", "dx-bookmark", args...))
	require.Equal(d.t, true, out["created"])
	return name
}

func (d dctStory) visibleTo(user string) []string {
	d.t.Helper()
	bs, err := d.client(user).Bookmarks.Find(d.t.Context(), dct.BookmarkQuery{})
	require.NoError(d.t, err)
	var names []string
	for _, b := range bs {
		names = append(names, b.Name)
	}
	return names
}

// TestSelfServiceStoryOnDCT is TestSelfServiceStory on Data Control Tower,
// with the QA and developer API keys: QA restores its own bookmark in place
// and shares another; the developer branches from it as a private copy and
// in place, works, switches back and deletes; what is QA's stays QA's.
func TestSelfServiceStoryOnDCT(t *testing.T) {
	d := newDCTStory(t)
	e := d.e

	// Part I: QA adds edge-case rows, bookmarks them, destroys everything,
	// restores the bookmark in place and has exactly the edge cases back.
	testAPI(t, e, "POST", "/datasets/qa-pod/rows", edgeCases)
	withEdgeCases := rows(t, e, "qa-pod")
	d.bookmark("after the edge case data", false)
	testAPI(t, e, "DELETE", "/datasets/qa-pod/rows", nil)
	require.Empty(t, rows(t, e, "qa-pod"))
	ok(t, d.as("qa", "dx-datapod", "restore", "--container", "qa-pod", "--bookmark", "after the edge case data"))
	assert.Equal(t, withEdgeCases, rows(t, e, "qa-pod"))
	assert.Contains(t, rows(t, e, "qa-pod"), engine.Row{ID: 9003, Name: "''''"})

	// Part II: QA shares "Bug 1234 data" and keeps another bookmark private.
	d.bookmark("Bug 1234 data", true, "bug=1234")
	qaPrivate := d.bookmark("QA private", false)
	devBefore, qaRows := rows(t, e, "dev-pod"), rows(t, e, "qa-pod")

	// The developer sees the shared bookmark only.
	names := d.visibleTo("dev")
	assert.Contains(t, names, "Bug 1234 data")
	assert.NotContains(t, names, "QA private")
	assert.NotContains(t, names, "after the edge case data")

	// What DCT forbids fails and changes nothing.
	e.ClearRequests()
	r := d.as("dev", "dx-branch", "create", "--container", "dev-pod", "--name", "peek", "--from-bookmark", "QA private")
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, `no bookmark is named "QA private"`)
	r = d.as("dev", "dx-branch", "delete", "--container", "qa-pod", "--name", "edge cases")
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, `no VDB group or VDB is named "qa-pod"`)
	for _, req := range e.Requests() {
		if req.Method != "GET" {
			assert.True(t, strings.HasSuffix(req.Path, "/search"), "%s %s changes nothing", req.Method, req.Path)
		}
	}
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))
	assert.Equal(t, qaRows, rows(t, e, "qa-pod"))

	// The developer branches from the shared bookmark: a private copy that
	// holds exactly QA's bookmarked rows; their pod is untouched.
	out := ok(t, d.as("dev", "dx-branch", "create", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data"))
	assert.Equal(t, "copy", out["mode"])
	copyName := out["copy"].(string)
	assert.Equal(t, qaRows, rows(t, e, copyName))
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))

	// The developer's changes stay on their copy.
	changed := rows(t, e, copyName)[1:]
	testAPI(t, e, "PUT", "/datasets/"+copyName+"/contents", map[string]any{"rows": changed})
	assert.Equal(t, qaRows, rows(t, e, "qa-pod"))

	// And in place: the pod itself takes the shared data on a new timeflow,
	// the developer works there, switches back to the pod's own timeflow
	// (their data again) and forth (their work still there).
	ok(t, d.as("dev", "dx-branch", "create", "--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234 here", "--from-bookmark", "Bug 1234 data"))
	assert.Equal(t, qaRows, rows(t, e, "dev-pod"))
	here := rows(t, e, "dev-pod")[2:]
	testAPI(t, e, "PUT", "/datasets/dev-pod/contents", map[string]any{"rows": here})
	branches := ok(t, d.as("dev", "dx-branch", "list", "--container", "dev-pod"))["branches"].([]any)
	require.Len(t, branches, 3, "the pod's two timeflows and the private copy")
	own := branches[0].(map[string]any)["branch"].(string)
	ok(t, d.as("dev", "dx-branch", "activate", "--container", "dev-pod", "--name", own))
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))
	ok(t, d.as("dev", "dx-branch", "activate", "--container", "dev-pod", "--name", "bug-1234 here"))
	assert.Equal(t, here, rows(t, e, "dev-pod"))
	assert.Equal(t, changed, rows(t, e, copyName), "the copy is apart from the pod")

	// Deleting: the active timeflow is refused, an inactive one and the
	// private copy go; the pod stays.
	r = d.as("dev", "dx-branch", "delete", "--container", "dev-pod", "--name", "bug-1234 here")
	assert.Equal(t, 2, r.code)
	ok(t, d.as("dev", "dx-branch", "activate", "--container", "dev-pod", "--name", own))
	ok(t, d.as("dev", "dx-branch", "delete", "--container", "dev-pod", "--name", "bug-1234 here"))
	ok(t, d.as("dev", "dx-branch", "delete", "--container", "dev-pod", "--name", "bug-1234"))
	_, exists := e.Dataset(copyName)
	assert.False(t, exists, "the private copy is deleted")
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))
	assert.Len(t, ok(t, d.as("dev", "dx-branch", "list", "--container", "dev-pod"))["branches"], 1)

	// QA's own private copy and pod are QA's: the developer cannot delete them.
	qaCopy := ok(t, d.as("qa", "dx-branch", "create", "--container", "qa-pod", "--name", "qa-copy", "--from-bookmark", qaPrivate))
	r = d.as("dev", "dx-branch", "delete", "--container", "dev-pod", "--name", "qa-copy")
	assert.Equal(t, 2, r.code, r.stderr)
	devClient, ctx := d.client("dev"), t.Context()
	qaPod, err := d.client("qa").VDBs.FindByName(ctx, "qa-pod DB")
	require.NoError(t, err)
	for _, id := range []string{qaCopy["branchReference"].(string), qaPod.ID} {
		_, err := devClient.VDBs.Delete(ctx, id, false)
		require.ErrorIs(t, err, dct.ErrNotFound, id)
	}
	assert.Equal(t, qaRows, rows(t, e, qaCopy["copy"].(string)))
	assert.Equal(t, qaRows, rows(t, e, "qa-pod"))

	// QA unshares: the developer no longer sees it.
	ok(t, d.as("qa", "dx-bookmark", "unshare", "--container", "qa-pod", "--name", "Bug 1234 data"))
	assert.NotContains(t, d.visibleTo("dev"), "Bug 1234 data")
}
