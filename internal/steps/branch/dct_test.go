package branch_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/steps/branch"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkedDCT serves e with every DCT request and answer checked against the
// OpenAPI file; the env points a step at it.
func checkedDCT(t *testing.T, e *engine.Engine) []string {
	t.Helper()
	return []string{"DELPHIX_ENGINE=" + dctspec.Serve(t, "/dct/v3", e.Handler())}
}

// qaShares makes QA's bookmarks on its pod: one PUBLIC, one PRIVATE.
func qaShares(t *testing.T, e *engine.Engine, shared, private string) {
	t.Helper()
	c, err := dct.NewClient(e.URL(), dct.WithAPIKey(engine.DCTKey(st.DCTQA, "qa")), dct.WithWaitIntervals(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	ctx := t.Context()
	pod, err := c.VDBs.FindByName(ctx, "qa-pod DB")
	require.NoError(t, err)
	for name, typ := range map[string]string{shared: dct.BookmarkPublic, private: dct.BookmarkPrivate} {
		_, j, err := c.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: name, VDBIDs: []string{pod.ID}, Type: typ})
		require.NoError(t, err)
		_, err = c.Jobs.Wait(ctx, j.ID, nil)
		require.NoError(t, err)
	}
}

func rowsOf(t *testing.T, e *engine.Engine, name string) []engine.Row {
	t.Helper()
	d, ok := e.Dataset(name)
	require.True(t, ok, name)
	return d.Contents.Rows
}

func dev(t *testing.T, e *engine.Engine, env []string, args ...string) map[string]any {
	t.Helper()
	r := st.RunDCT(t, branch.Step, e, st.DCTDev, env, args...)
	require.Equal(t, 0, r.Code, r.Stderr)
	return r.JSON(t)
}

func TestOnDCTABranchIsAPrivateCopyOfTheSharedBookmarkByDefault(t *testing.T) {
	e := st.Engine(t)
	env := checkedDCT(t, e)
	require.NoError(t, e.ChangeProd("Patients Prod"))
	qaShares(t, e, "Bug 1234 data", "QA private")
	devBefore := rowsOf(t, e, "dev-pod")

	out := dev(t, e, env, "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	assert.Equal(t, true, out["created"])
	assert.Equal(t, "copy", out["mode"])
	assert.Equal(t, "dev-pod-bug-1234", out["copy"])
	assert.Equal(t, "Bug 1234 data", out["fromBookmark"])
	assert.Equal(t, rowsOf(t, e, "qa-pod"), rowsOf(t, e, "dev-pod-bug-1234"), "the copy holds QA's bookmarked data")
	assert.Equal(t, devBefore, rowsOf(t, e, "dev-pod"), "the pod is untouched")

	again := dev(t, e, env, "create", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	assert.Equal(t, false, again["created"])
	assert.Equal(t, out["branchReference"], again["branchReference"])

	list := dev(t, e, env, "list", "--container", "dev-pod")["branches"].([]any)
	require.Len(t, list, 2, "the pod's timeflow and the copy")
	assert.Equal(t, "in-place", list[0].(map[string]any)["mode"])
	assert.Equal(t, true, list[0].(map[string]any)["active"])
	assert.Equal(t, "bug-1234", list[1].(map[string]any)["branch"])

	r := st.RunDCT(t, branch.Step, e, st.DCTDev, env, "activate", "--container", "dev-pod", "--name", "bug-1234")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `is the private copy "dev-pod-bug-1234", a VDB of its own`)
	r = st.RunDCT(t, branch.Step, e, st.DCTDev, env, "create", "--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "create it with --mode copy")

	gone := dev(t, e, env, "delete", "--container", "dev-pod", "--name", "bug-1234")
	assert.Equal(t, true, gone["deleted"])
	_, ok := e.Dataset("dev-pod-bug-1234")
	assert.False(t, ok, "the private copy is deleted")
	assert.Equal(t, devBefore, rowsOf(t, e, "dev-pod"))
	assert.Len(t, dev(t, e, env, "list", "--container", "dev-pod")["branches"], 1)
}

func TestOnDCTInPlaceRestoresThePodAsANamedTimeflowAndSwitchesBack(t *testing.T) {
	e := st.Engine(t)
	env := checkedDCT(t, e)
	require.NoError(t, e.ChangeProd("Patients Prod"))
	qaShares(t, e, "Bug 1234 data", "QA private")
	devBefore := rowsOf(t, e, "dev-pod")

	out := dev(t, e, env, "--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	assert.Equal(t, true, out["created"])
	assert.Equal(t, true, out["active"])
	assert.Equal(t, "in-place", out["mode"])
	assert.Nil(t, out["copy"])
	assert.Equal(t, rowsOf(t, e, "qa-pod"), rowsOf(t, e, "dev-pod"))

	changed := rowsOf(t, e, "dev-pod")[1:]
	_, err := e.ChangeDataset("dev-pod", func(c *engine.Contents) error { c.Rows = changed; return nil })
	require.NoError(t, err)

	list := dev(t, e, env, "list", "--container", "dev-pod")["branches"].([]any)
	require.Len(t, list, 2)
	first := list[0].(map[string]any)
	assert.Equal(t, false, first["active"])
	assert.Equal(t, map[string]any{"container": "dev-pod", "branch": "bug-1234", "branchReference": out["branchReference"], "active": true, "mode": "in-place"}, list[1])

	r := st.RunDCT(t, branch.Step, e, st.DCTDev, env, "delete", "--container", "dev-pod", "--name", "bug-1234")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "is active: activate another branch first")

	back := dev(t, e, env, "activate", "--container", "dev-pod", "--name", first["branch"].(string))
	assert.Equal(t, true, back["active"])
	assert.Equal(t, devBefore, rowsOf(t, e, "dev-pod"), "the pod's own data again")
	dev(t, e, env, "activate", "--container", "dev-pod", "--name", "bug-1234")
	assert.Equal(t, changed, rowsOf(t, e, "dev-pod"), "the work on the branch was kept")

	again := dev(t, e, env, "create", "--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	assert.Equal(t, false, again["created"])
	assert.Equal(t, changed, rowsOf(t, e, "dev-pod"), "a rerun activates the branch, it does not restore again")

	dev(t, e, env, "activate", "--container", "dev-pod", "--name", first["branch"].(string))
	assert.Equal(t, true, dev(t, e, env, "delete", "--container", "dev-pod", "--name", "bug-1234")["deleted"])
	assert.Len(t, dev(t, e, env, "list", "--container", "dev-pod")["branches"], 1)
	assert.Equal(t, devBefore, rowsOf(t, e, "dev-pod"))
}

func TestOnDCTTheDeveloperCannotUseOrTouchWhatIsQAs(t *testing.T) {
	e := st.Engine(t)
	env := checkedDCT(t, e)
	qaShares(t, e, "Bug 1234 data", "QA private")
	qaBefore, devBefore := rowsOf(t, e, "qa-pod"), rowsOf(t, e, "dev-pod")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--container", "dev-pod", "--name", "peek", "--from-bookmark", "QA private"}, `no bookmark is named "QA private"`},
		{[]string{"--mode", "in-place", "--container", "dev-pod", "--name", "peek", "--from-bookmark", "QA private"}, `no bookmark is named "QA private"`},
		{[]string{"list", "--container", "qa-pod"}, `no VDB group or VDB is named "qa-pod"`},
		{[]string{"delete", "--container", "qa-pod", "--name", "anything"}, `no VDB group or VDB is named "qa-pod"`},
		{[]string{"delete", "--container", "dev-pod", "--name", "qa-pod DB"}, `no branch of data pod "dev-pod" is named "qa-pod DB"`},
		{[]string{"delete", "--container", "dev-pod", "--name", "dev-pod DB"}, `no branch of data pod "dev-pod" is named "dev-pod DB"`},
	} {
		r := st.RunDCT(t, branch.Step, e, st.DCTDev, env, tc.args...)
		assert.Equal(t, 2, r.Code, "%v: %s", tc.args, r.Stderr)
		assert.Contains(t, r.Stderr, tc.want)
	}
	assert.Equal(t, qaBefore, rowsOf(t, e, "qa-pod"))
	assert.Equal(t, devBefore, rowsOf(t, e, "dev-pod"))
	_, ok := e.Dataset("dev-pod-peek")
	assert.False(t, ok)
}

func TestModeIsADCTKeyOfCreate(t *testing.T) {
	e := st.Engine(t)
	for _, tc := range []struct {
		dct  bool
		args []string
		want string
	}{
		{false, []string{"--mode", "copy", "--container", "p", "--name", "b", "--from-bookmark", "x"}, "--mode applies to --platform dct only"},
		{true, []string{"--mode", "branch", "--container", "p", "--name", "b", "--from-bookmark", "x"}, `--mode "branch" must be copy or in-place`},
		{true, []string{"activate", "--mode", "copy", "--container", "p", "--name", "b"}, "--mode goes with create only"},
	} {
		var r st.Result
		if tc.dct {
			r = st.RunDCT(t, branch.Step, e, st.DCTDev, nil, tc.args...)
		} else {
			r = st.Run(t, branch.Step, e, nil, tc.args...)
		}
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want)
	}
}

// loseAnswer makes the engine answer the next POST to a path ending in suffix 502 after it
// has done it, as a proxy that lost DCT's answer.
func loseAnswer(t *testing.T, e *engine.Engine, suffix string) {
	t.Helper()
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Method: "POST", PathSuffix: suffix,
		Status: http.StatusBadGateway, AfterProcessing: true}))
}

// jobsOfType counts the jobs DCT shows on target of the localized type.
func jobsOfType(t *testing.T, e *engine.Engine, target, typ string) int {
	t.Helper()
	jobs, err := st.DCTClient(t, e, st.DCTAdmin).Jobs.Recent(t.Context(), target, 100)
	require.NoError(t, err)
	n := 0
	for _, j := range jobs {
		if j.LocalizedType == typ {
			n++
		}
	}
	return n
}

func sentCount(e *engine.Engine, suffix string) int {
	n := 0
	for _, r := range e.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// A lost answer to the copy's provision finds the VDB of the copy's name and tags and
// follows its job: one copy, one provision.
func TestOnDCTALostAnswerToTheCopysProvisionFindsTheCopy(t *testing.T) {
	e := st.Engine(t)
	env := checkedDCT(t, e)
	qaShares(t, e, "Bug 1234 data", "QA private")
	loseAnswer(t, e, "/vdbs/provision_from_bookmark")
	r := st.RunDCT(t, branch.Step, e, st.DCTDev, env, "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "answer to the start was lost")
	out := r.JSON(t)
	assert.Equal(t, true, out["recovered"])
	assert.Equal(t, "dev-pod-bug-1234", out["copy"])
	v, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.FindByName(t.Context(), "dev-pod-bug-1234")
	require.NoError(t, err, "one copy")
	assert.Equal(t, v.ID, out["branchReference"])
	assert.Equal(t, 1, jobsOfType(t, e, v.ID, "DB Provision"))
	assert.Equal(t, 1, sentCount(e, "/vdbs/provision_from_bookmark"), "the provision was sent once")
	assert.Equal(t, rowsOf(t, e, "qa-pod"), rowsOf(t, e, "dev-pod-bug-1234"))
}

// In place, a lost answer to the snapshot that keeps the pod's data, to the restore, or to
// the switch back is not sent again: the one new job on the pod's VDB is followed.
func TestOnDCTALostAnswerInPlaceIsFoundNotStartedTwice(t *testing.T) {
	for _, tc := range []struct{ path, typ string }{
		{"/snapshots", "DB Snapshot"},
		{"/refresh_from_bookmark", "DB Refresh"},
		{"/switch_timeflow", "DB Switch Timeflow"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			e := st.Engine(t)
			env := checkedDCT(t, e)
			qaShares(t, e, "Bug 1234 data", "QA private")
			vdb, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.FindByName(t.Context(), "dev-pod DB")
			require.NoError(t, err)
			create := []string{"--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data"}
			args := create
			if tc.path == "/switch_timeflow" {
				first := dev(t, e, env, "list", "--container", "dev-pod")["branches"].([]any)[0].(map[string]any)["branch"].(string)
				dev(t, e, env, create...)
				args = []string{"activate", "--container", "dev-pod", "--name", first}
			}
			before, sends := jobsOfType(t, e, vdb.ID, tc.typ), sentCount(e, tc.path)
			loseAnswer(t, e, "/vdbs/"+vdb.ID+tc.path)
			r := st.RunDCT(t, branch.Step, e, st.DCTDev, env, args...)
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Contains(t, r.Stderr, "answer to the start was lost")
			out := r.JSON(t)
			assert.Equal(t, true, out["recovered"])
			assert.Equal(t, true, out["active"])
			assert.Equal(t, before+1, jobsOfType(t, e, vdb.ID, tc.typ), "one %s job", tc.typ)
			assert.Equal(t, sends+1, sentCount(e, tc.path), "sent once")
			if tc.path == "/switch_timeflow" {
				now, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.Get(t.Context(), vdb.ID)
				require.NoError(t, err)
				assert.Equal(t, now.CurrentTimeflowID, out["branchReference"])
			} else {
				assert.Equal(t, rowsOf(t, e, "qa-pod"), rowsOf(t, e, "dev-pod"))
			}
		})
	}
}

// A copy's provision answered 503 before DCT acted (or dropped before it) is sent again once
// the looks show nothing made: one copy, one provision, two sends.
func TestOnDCTACopysProvisionThatNeverReachedDCTIsSentAgain(t *testing.T) {
	for _, f := range []engine.HTTPFault{{Kind: "status", Status: http.StatusServiceUnavailable}, {Kind: "dropBefore"}} {
		t.Run(f.Kind, func(t *testing.T) {
			e := st.Engine(t)
			env := checkedDCT(t, e)
			qaShares(t, e, "Bug 1234 data", "QA private")
			f.Method, f.PathSuffix = "POST", "/vdbs/provision_from_bookmark"
			require.NoError(t, e.InjectHTTPError(f))
			r := st.RunDCT(t, branch.Step, e, st.DCTDev, env, "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Nil(t, r.JSON(t)["recovered"])
			v, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.FindByName(t.Context(), "dev-pod-bug-1234")
			require.NoError(t, err, "one copy")
			assert.Equal(t, 1, jobsOfType(t, e, v.ID, "DB Provision"))
			assert.Equal(t, 2, sentCount(e, "/vdbs/provision_from_bookmark"), "sent again once")
		})
	}
}

// Naming the in-place branch's timeflow, deleting it, and deleting a private copy: a lost
// answer, before or after DCT acted, ends as asked with the request done once.
func TestOnDCTTimeflowRenameAndBranchDeletesWhoseAnswerIsLostAreDoneOnce(t *testing.T) {
	for _, f := range []engine.HTTPFault{
		{Kind: "status", Status: http.StatusServiceUnavailable},
		{Kind: "status", Status: http.StatusBadGateway, AfterProcessing: true},
		{Kind: "dropAfter"},
	} {
		t.Run(fmt.Sprintf("%s %d after=%v", f.Kind, f.Status, f.AfterProcessing), func(t *testing.T) {
			e := st.Engine(t)
			env := checkedDCT(t, e)
			qaShares(t, e, "Bug 1234 data", "QA private")
			first := dev(t, e, env, "list", "--container", "dev-pod")["branches"].([]any)[0].(map[string]any)["branch"].(string)

			rename := f
			rename.Method, rename.PathRegexp = "PATCH", `/timeflows/[^/]+$`
			require.NoError(t, e.InjectHTTPError(rename))
			out := dev(t, e, env, "--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
			list := dev(t, e, env, "list", "--container", "dev-pod")["branches"].([]any)
			require.Len(t, list, 2)
			assert.Equal(t, "bug-1234", list[1].(map[string]any)["branch"], "the timeflow is named")
			tf := out["branchReference"].(string)
			assert.Equal(t, 1, jobsOfType(t, e, tf, "Timeflow Update"), "renamed once")

			dev(t, e, env, "activate", "--container", "dev-pod", "--name", first)
			del := f
			del.Method, del.PathRegexp = "DELETE", `/timeflows/[^/]+$`
			require.NoError(t, e.InjectHTTPError(del))
			assert.Equal(t, true, dev(t, e, env, "delete", "--container", "dev-pod", "--name", "bug-1234")["deleted"])
			assert.Len(t, dev(t, e, env, "list", "--container", "dev-pod")["branches"], 1)

			dev(t, e, env, "--container", "dev-pod", "--name", "bug-9", "--from-bookmark", "Bug 1234 data")
			cp := f
			cp.Method, cp.PathSuffix = "POST", "/delete"
			require.NoError(t, e.InjectHTTPError(cp))
			assert.Equal(t, true, dev(t, e, env, "delete", "--container", "dev-pod", "--name", "bug-9")["deleted"])
			_, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.FindByName(t.Context(), "dev-pod-bug-9")
			assert.ErrorIs(t, err, dct.ErrNotFound, "the copy is gone")
			assert.Len(t, e.Faults(), 3)
		})
	}
}
