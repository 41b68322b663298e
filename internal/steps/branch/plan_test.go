package branch_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/branch"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runner runs dx-branch with args on one platform, as one account.
type runner func(args ...string) st.Result

func onEngine(t *testing.T, e *engine.Engine) runner {
	return func(args ...string) st.Result { return st.Run(t, branch.Step, e, nil, args...) }
}

func onDCT(t *testing.T, e *engine.Engine, account int) runner {
	env := checkedDCT(t, e)
	return func(args ...string) st.Result { return st.RunDCT(t, branch.Step, e, account, env, args...) }
}

// changes are the requests in e's log that may change something
// (steptest.Changes), each "METHOD path" without the API's base path.
func changes(e *engine.Engine) []string {
	out := []string{}
	for _, c := range st.Changes(e) {
		method, path, _ := strings.Cut(c, " ")
		out = append(out, method+" "+strings.TrimPrefix(strings.TrimPrefix(path, "/resources/json/delphix"), "/dct/v3"))
	}
	return out
}

// request is the request a real run sends for a planned action; created
// is the reference the real run reports, for the rename of the timeflow a
// restore makes.
func request(t *testing.T, a cli.Action, created string) string {
	t.Helper()
	ref := a.Reference
	switch a.Object + " " + a.Action {
	case "branch create":
		return "POST /selfservice/branch"
	case "branch activate":
		return "POST /selfservice/branch/" + ref + "/activate"
	case "branch delete":
		return "POST /selfservice/branch/" + ref + "/delete"
	case "VDB snapshot":
		return "POST /vdbs/" + ref + "/snapshots"
	case "VDB restore":
		return "POST /vdbs/" + ref + "/refresh_from_bookmark"
	case "timeflow rename":
		assert.Empty(t, ref, "the restore's timeflow has no id before the restore")
		return "PATCH /timeflows/" + created
	case "VDB switch":
		return "POST /vdbs/" + ref + "/switch_timeflow"
	case "VDB provision":
		return "POST /vdbs/provision_from_bookmark"
	case "timeflow delete":
		return "DELETE /timeflows/" + ref
	case "VDB delete":
		return "POST /vdbs/" + ref + "/delete"
	}
	t.Fatalf("unexpected action %s", a)
	return ""
}

// planThenRun runs args as a plan, which must succeed and send nothing
// that changes anything, then for real; the real run's changes must be
// the plan's actions, in order. It returns the plan, the plan's output
// and the real run's.
func planThenRun(t *testing.T, e *engine.Engine, run runner, args ...string) ([]cli.Action, map[string]any, map[string]any) {
	t.Helper()
	e.ClearRequests()
	r := run(append(args, "--dry-run")...)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Empty(t, changes(e), "a plan sends nothing that changes anything")
	planOut := r.JSON(t)
	assert.Equal(t, true, planOut["dryRun"])
	var plan []cli.Action
	b, err := json.Marshal(planOut["plan"])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &plan))

	e.ClearRequests()
	r = run(args...)
	require.Equal(t, 0, r.Code, r.Stderr)
	out := r.JSON(t)
	created, _ := out["branchReference"].(string)
	want := []string{}
	for _, a := range plan {
		want = append(want, request(t, a, created))
	}
	assert.Equal(t, want, changes(e), "the real run does what the plan says, in order")
	for _, k := range []string{"container", "branch", "active", "created", "deleted", "fromBookmark", "mode", "copy"} {
		assert.Equal(t, out[k], planOut[k], "%s: the plan's output is the real run's", k)
	}
	return plan, planOut, out
}

func TestOnTheEngineAPlanOfEachOperationIsWhatTheRunDoes(t *testing.T) {
	e := st.Engine(t)
	run := onEngine(t, e)
	bm := st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "start here")["bookmarkReference"].(string)
	list := st.OK(t, branch.Step, e, "list", "--container", "prep1")["branches"].([]any)
	def := list[0].(map[string]any)

	plan, planOut, out := planThenRun(t, e, run, "--container", "prep1", "--name", "bug-1", "--from-bookmark", "start here")
	pod := podRef(t, e, "prep1")
	assert.Equal(t, []cli.Action{{Action: "create", Object: "branch", Name: "bug-1",
		Parameters: map[string]string{"dataPod": pod, "bookmark": bm}}}, plan)
	assert.Equal(t, "", planOut["branchReference"], "the branch does not exist yet")
	assert.Equal(t, "bug-1", active(t, st.OK(t, branch.Step, e, "list", "--container", "prep1")))

	plan, _, _ = planThenRun(t, e, run, "activate", "--container", "prep1", "--name", def["branch"].(string))
	assert.Equal(t, []cli.Action{{Action: "activate", Object: "branch", Name: def["branch"].(string), Reference: def["branchReference"].(string),
		Parameters: map[string]string{"dataPod": pod}}}, plan)

	// create of an existing, inactive branch activates it
	plan, _, _ = planThenRun(t, e, run, "--container", "prep1", "--name", "bug-1", "--from-bookmark", "start here")
	assert.Equal(t, []cli.Action{{Action: "activate", Object: "branch", Name: "bug-1", Reference: out["branchReference"].(string),
		Parameters: map[string]string{"dataPod": pod}}}, plan)
	plan, _, _ = planThenRun(t, e, run, "activate", "--container", "prep1", "--name", "bug-1")
	assert.Empty(t, plan, "the active branch is activated by nothing")

	planThenRun(t, e, run, "activate", "--container", "prep1", "--name", def["branch"].(string))
	plan, _, _ = planThenRun(t, e, run, "delete", "--container", "prep1", "--name", "bug-1")
	assert.Equal(t, []cli.Action{{Action: "delete", Object: "branch", Name: "bug-1", Reference: out["branchReference"].(string),
		Parameters: map[string]string{"dataPod": pod}}}, plan)
	assert.Len(t, st.OK(t, branch.Step, e, "list", "--container", "prep1")["branches"], 1)
}

func podRef(t *testing.T, e *engine.Engine, name string) string {
	t.Helper()
	c, err := st.EngineClient(t, e).Containers.FindByName(t.Context(), "", name)
	require.NoError(t, err)
	return c.Reference
}

// On DCT in place: the snapshot that keeps the pod's data, the restore from the bookmark and
// the rename of the new timeflow, in that order; activate: the snapshot and the switch; delete:
// the timeflow.
func TestOnDCTAPlanInPlaceIsWhatTheRunDoes(t *testing.T) {
	e := st.Engine(t)
	qaShares(t, e, "Bug 1234 data", "QA private")
	run := onDCT(t, e, st.DCTDev)
	vdb, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.FindByName(t.Context(), "dev-pod DB")
	require.NoError(t, err)
	bm, err := st.DCTClient(t, e, st.DCTDev).Bookmarks.CompatibleWith(t.Context(), vdb.ID, "Bug 1234 data")
	require.NoError(t, err)
	require.Len(t, bm, 1)
	first := dev(t, e, nil, "list", "--container", "dev-pod")["branches"].([]any)[0].(map[string]any)

	plan, planOut, out := planThenRun(t, e, run, "--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	assert.Equal(t, []cli.Action{
		{Action: "snapshot", Object: "VDB", Name: "dev-pod DB", Reference: vdb.ID},
		{Action: "restore", Object: "VDB", Name: "dev-pod DB", Reference: vdb.ID, Parameters: map[string]string{"bookmark": bm[0].ID}},
		{Action: "rename", Object: "timeflow", Name: "bug-1234", Parameters: map[string]string{"vdb": vdb.ID}},
	}, plan)
	assert.Equal(t, "", planOut["branchReference"], "the timeflow does not exist yet")
	assert.Equal(t, rowsOf(t, e, "qa-pod"), rowsOf(t, e, "dev-pod"))

	plan, _, _ = planThenRun(t, e, run, "activate", "--container", "dev-pod", "--name", first["branch"].(string))
	assert.Equal(t, []cli.Action{
		{Action: "snapshot", Object: "VDB", Name: "dev-pod DB", Reference: vdb.ID},
		{Action: "switch", Object: "VDB", Name: "dev-pod DB", Reference: vdb.ID, Parameters: map[string]string{"timeflow": first["branchReference"].(string)}},
	}, plan)

	plan, _, _ = planThenRun(t, e, run, "delete", "--container", "dev-pod", "--name", "bug-1234")
	assert.Equal(t, []cli.Action{{Action: "delete", Object: "timeflow", Name: "bug-1234", Reference: out["branchReference"].(string),
		Parameters: map[string]string{"vdb": vdb.ID}}}, plan)
	assert.Len(t, dev(t, e, nil, "list", "--container", "dev-pod")["branches"], 1)
}

// On DCT a copy: the provision of the private VDB with its name; delete: that VDB.
func TestOnDCTAPlanOfAPrivateCopyIsWhatTheRunDoes(t *testing.T) {
	e := st.Engine(t)
	qaShares(t, e, "Bug 1234 data", "QA private")
	run := onDCT(t, e, st.DCTDev)
	vdb, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.FindByName(t.Context(), "dev-pod DB")
	require.NoError(t, err)
	bm, err := st.DCTClient(t, e, st.DCTDev).Bookmarks.CompatibleWith(t.Context(), vdb.ID, "Bug 1234 data")
	require.NoError(t, err)
	require.Len(t, bm, 1)

	plan, planOut, out := planThenRun(t, e, run, "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	require.Len(t, plan, 1)
	assert.Equal(t, cli.Action{Action: "provision", Object: "VDB", Name: "dev-pod-bug-1234"}, cli.Action{Action: plan[0].Action, Object: plan[0].Object, Name: plan[0].Name})
	assert.Equal(t, bm[0].ID, plan[0].Parameters["bookmark"])
	assert.Equal(t, "dev-pod-bug-1234", planOut["copy"])
	_, ok := e.Dataset("dev-pod-bug-1234")
	assert.True(t, ok, "the real run made the copy")

	plan, _, _ = planThenRun(t, e, run, "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")
	assert.Empty(t, plan, "an existing copy is reused")

	plan, _, _ = planThenRun(t, e, run, "delete", "--container", "dev-pod", "--name", "bug-1234")
	assert.Equal(t, []cli.Action{{Action: "delete", Object: "VDB", Name: "dev-pod-bug-1234", Reference: out["branchReference"].(string)}}, plan)
	_, ok = e.Dataset("dev-pod-bug-1234")
	assert.False(t, ok)
}

// sameRefusal runs args as a plan and for real: both exit code, saying
// want, and neither changes anything.
func sameRefusal(t *testing.T, e *engine.Engine, run runner, code int, want string, args ...string) {
	t.Helper()
	for _, dry := range []bool{true, false} {
		a := args
		if dry {
			a = append(append([]string{}, args...), "--dry-run")
		}
		e.ClearRequests()
		r := run(a...)
		assert.Equal(t, code, r.Code, "%v: %s", a, r.Stderr)
		assert.Contains(t, r.Stderr, want, "%v", a)
		assert.Empty(t, changes(e), "%v changes nothing", a)
	}
}

// unmaskedBookmark makes the master's masking fail, restores prep1 from the master's
// unmasked data with the opt-out, and bookmarks it (DCT when dct).
func unmaskedBookmark(t *testing.T, e *engine.Engine, dct bool) {
	t.Helper()
	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "masking failed"})
	if dct {
		require.Equal(t, 1, st.RunDCT(t, refresh.Step, e, st.DCTAdmin, nil, "--vdb", "Patients Masked Master").Code)
		st.OKDCT(t, datapod.Step, e, "refresh", "--container", "prep1", "--allow-unmasked")
		st.OKDCT(t, bookmark.Step, e, "--container", "prep1", "--name", "unmasked")
		return
	}
	require.Equal(t, 1, st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Masked Master").Code)
	c := st.EngineClient(t, e)
	master, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	op, err := c.Databases.Sync(t.Context(), master) // a snapshot of the unmasked data
	require.NoError(t, err)
	_, err = c.Jobs.Wait(t.Context(), op.Job, nil)
	require.NoError(t, err)
	st.OK(t, datapod.Step, e, "--container", "prep1", "--allow-unmasked")
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "unmasked")
}

// A bookmark not proven masked, an active branch, a name that is no branch: the plan
// refuses as the real run does, with the same exit code, and neither changes anything.
func TestAPlanRefusesWhatTheRunRefusesWithTheSameExitCode(t *testing.T) {
	for _, dct := range []bool{false, true} {
		t.Run(map[bool]string{false: "engine", true: "dct"}[dct], func(t *testing.T) {
			e := st.Engine(t)
			run := onEngine(t, e)
			if dct {
				run = onDCT(t, e, st.DCTAdmin)
			}
			unmaskedBookmark(t, e, dct)
			before := rowsOf(t, e, "prep1")
			create := []string{"--container", "prep1", "--name", "bug-1", "--from-bookmark", "unmasked"}
			sameRefusal(t, e, run, 1, `not proven masked, nothing was changed: bookmark "unmasked" of data pod "prep1"`, create...)
			if dct {
				sameRefusal(t, e, run, 1, "not proven masked", append(create, "--mode", "in-place")...)
			}
			assert.Equal(t, before, rowsOf(t, e, "prep1"))

			r := run("list", "--container", "prep1")
			require.Equal(t, 0, r.Code, r.Stderr)
			current := active(t, r.JSON(t))
			sameRefusal(t, e, run, 2, "is active: activate another branch first", "delete", "--container", "prep1", "--name", current)
			sameRefusal(t, e, run, 2, `no branch of data pod "prep1" is named "nope"`, "activate", "--container", "prep1", "--name", "nope")
			sameRefusal(t, e, run, 2, `no bookmark is named "nope"`, "--container", "prep1", "--name", "b", "--from-bookmark", "nope")
			if dct {
				sameRefusal(t, e, run, 2, `no branch of data pod "prep1" is named "prep1 DB"`, "delete", "--container", "prep1", "--name", "prep1 DB")
			}
		})
	}
}

// A pod another user locked: the engine refuses every change to it; the plan says so before
// it lists anything, with the same exit code (3).
func TestOnTheEngineAPlanRefusesAPodAnotherUserLockedAsTheRunDoes(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "start here")
	st.OK(t, branch.Step, e, "--container", "prep1", "--name", "bug-1", "--from-bookmark", "start here")
	def := st.OK(t, branch.Step, e, "list", "--container", "prep1")["branches"].([]any)[0].(map[string]any)["branch"].(string)

	qa, err := delphix.NewClient(e.URL(), delphix.WithRetryMax(0))
	require.NoError(t, err)
	require.NoError(t, qa.Login(t.Context(), "qa", "qa-local-pw"))
	me, err := qa.Users.Current(t.Context())
	require.NoError(t, err)
	_, err = st.EngineClient(t, e).Containers.Lock(t.Context(), podRef(t, e, "prep1"), me.Reference)
	require.NoError(t, err)

	run := onEngine(t, e)
	sameRefusal(t, e, run, 3, `data pod "prep1" is locked by user "qa"`, "--container", "prep1", "--name", "bug-2", "--from-bookmark", "start here")
	sameRefusal(t, e, run, 3, `data pod "prep1" is locked by user "qa"`, "activate", "--container", "prep1", "--name", def)
	sameRefusal(t, e, run, 3, `data pod "prep1" is locked by user "qa"`, "delete", "--container", "prep1", "--name", def)
	assert.Equal(t, "bug-1", active(t, st.OK(t, branch.Step, e, "list", "--container", "prep1")))
}

// On DCT too, a pod another account locked is refused before any change, in the plan and in
// the real run alike (exit 3): DCT names the lock's account, and the API key starts with its own.
func TestOnDCTAPlanRefusesAPodAnotherAccountLockedAsTheRunDoes(t *testing.T) {
	e := st.Engine(t)
	qaShares(t, e, "Bug 1234 data", "QA private")
	g, err := st.DCTClient(t, e, st.DCTAdmin).VDBGroups.FindByName(t.Context(), "dev-pod")
	require.NoError(t, err)
	_, err = st.DCTClient(t, e, st.DCTAdmin).VDBGroups.Lock(t.Context(), g.ID)
	require.NoError(t, err)
	run := onDCT(t, e, st.DCTDev)
	want := `data pod "dev-pod" is locked by account "delphix_admin"`
	sameRefusal(t, e, run, 3, want, "--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data")

	// The lock's own account goes on.
	admin := onDCT(t, e, st.DCTAdmin)("--mode", "in-place", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", "Bug 1234 data", "--dry-run")
	assert.Equal(t, 0, admin.Code, admin.Stderr)
}
