package datapod_test

import (
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// side is dx-datapod on one platform of a local engine, run as the admin
// or as QA.
type side struct {
	name string
	e    *engine.Engine
	d    *onDCT // nil on the engine API
}

// onBoth runs f on the engine API and on DCT, each on a new local engine
// started with opts.
func onBoth(t *testing.T, opts engine.Options, f func(t *testing.T, p side)) {
	for _, name := range []string{"engine", "dct"} {
		t.Run(name, func(t *testing.T) {
			e := enginetest.Start(t, opts)
			p := side{name: name, e: e}
			if name == "dct" {
				p.d = newDCT(t, e)
			}
			f(t, p)
		})
	}
}

func (p side) run(t *testing.T, args ...string) st.Result {
	t.Helper()
	if p.d != nil {
		p.d.t = t
		return p.d.run(st.DCTAdmin, args...)
	}
	return st.Run(t, datapod.Step, p.e, nil, args...)
}

func (p side) runQA(t *testing.T, args ...string) st.Result {
	t.Helper()
	if p.d != nil {
		p.d.t = t
		return p.d.run(st.DCTQA, args...)
	}
	return st.Run(t, datapod.Step, p.e, []string{"DELPHIX_USER=qa", "DELPHIX_PASSWORD=qa-local-pw"}, args...)
}

// provenMasterData gives the master a snapshot the masking rule proves, as
// dx-refresh --require-masked does.
func (p side) provenMasterData(t *testing.T) {
	t.Helper()
	if p.d != nil {
		p.d.t = t
		p.d.newMasterData()
	}
}

// plan runs dx-datapod --dry-run and requires that it sent nothing that
// changes anything; it returns the run and the plan's actions.
func (p side) plan(t *testing.T, code int, run func(*testing.T, ...string) st.Result, args ...string) (st.Result, []map[string]any) {
	t.Helper()
	p.e.ClearRequests()
	r := run(t, append(args, "--dry-run")...)
	require.Equal(t, code, r.Code, r.Stderr)
	assert.Empty(t, changes(p.e), "a plan sends nothing that changes anything")
	if code != 0 && r.Stdout == "" {
		return r, nil
	}
	out := r.JSON(t)
	assert.Equal(t, true, out["dryRun"])
	var acts []map[string]any
	for _, a := range out["plan"].([]any) {
		acts = append(acts, a.(map[string]any))
	}
	return r, acts
}

// changes are the requests in e's log that may change something (steptest.Changes).
func changes(e *engine.Engine) []string { return st.Changes(e) }

// sends is the request each planned action is on each platform.
var sends = map[string]map[string]string{
	"engine": {"refresh": "/restore", "reset": "/reset", "restore": "/restore", "enable": "/enable", "disable": "/disable",
		"lock": "/lock", "unlock": "/unlock", "recover": "/recover", "create": "/selfservice/container"},
	"dct": {"refresh": "/refresh_by_snapshot", "reset": "/refresh_by_snapshot", "restore": "/refresh_from_bookmark",
		"enable": "/enable", "disable": "/disable", "lock": "/lock", "unlock": "/unlock", "provision": "/vdbs/provision_by_snapshot"},
}

// realRunDoesThePlan runs the step for real and requires that it sent the
// changes the plan listed, in order, each to the object the plan named.
func (p side) realRunDoesThePlan(t *testing.T, plan []map[string]any, args ...string) map[string]any {
	t.Helper()
	p.e.ClearRequests()
	r := p.run(t, args...)
	require.Equal(t, 0, r.Code, r.Stderr)
	done := changes(p.e)
	var want []map[string]any
	for _, a := range plan {
		if a["action"] != "wait" {
			want = append(want, a)
		}
	}
	require.Len(t, done, len(want), "plan %v, real run %v", plan, done)
	for i, a := range want {
		suffix := sends[p.name][a["action"].(string)]
		require.NotEmpty(t, suffix, "action %v", a)
		assert.True(t, strings.HasPrefix(done[i], "POST ") && strings.HasSuffix(done[i], suffix), "%v is %s", a, done[i])
		if ref, _ := a["reference"].(string); ref != "" {
			assert.Contains(t, done[i], "/"+ref+"/", "%v", a)
		}
	}
	return r.JSON(t)
}

func actions(plan []map[string]any) []string {
	var out []string
	for _, a := range plan {
		out = append(out, a["action"].(string))
	}
	return out
}

// Every operation plans: the plan sends nothing that changes anything, and
// the real run after it sends exactly the changes it listed, to the pod it
// named; a disabled pod is enabled first in both.
func TestAPlanNamesWhatTheRealRunThenDoes(t *testing.T) {
	onBoth(t, engine.Options{}, func(t *testing.T, p side) {
		p.provenMasterData(t)
		if p.d != nil {
			admin := p.d.client(st.DCTAdmin, "delphix_admin")
			g, err := admin.VDBGroups.FindByName(t.Context(), "prep1")
			require.NoError(t, err)
			_, j, err := admin.Bookmarks.Create(t.Context(), dct.BookmarkCreate{Name: "before", VDBGroupID: g.ID})
			p.d.wait(admin)(j, err)
		} else {
			st.OK(t, bookmark.Step, p.e, "--container", "prep1", "--name", "before")
		}
		for _, tc := range []struct {
			args []string
			want []string
		}{
			{[]string{"refresh", "--template", "Patients"}, []string{"refresh"}},
			{[]string{"reset"}, []string{"reset"}},
			{[]string{"restore", "--bookmark", "before"}, []string{"restore"}},
			{[]string{"disable"}, []string{"disable"}},
			{[]string{"refresh"}, []string{"enable", "refresh"}},
			{[]string{"lock"}, []string{"lock"}},
			{[]string{"unlock"}, []string{"unlock"}},
			{[]string{"disable"}, []string{"disable"}},
			{[]string{"enable"}, []string{"enable"}},
		} {
			args := append(tc.args, "--container", "prep1")
			r, plan := p.plan(t, 0, p.run, args...)
			require.Equal(t, tc.want, actions(plan), "%v: %s", args, r.Stderr)
			planned := r.JSON(t)
			assert.Equal(t, "prep1", planned["container"])
			assert.NotEmpty(t, planned["containerReference"])
			assert.Empty(t, planned["job"], "a plan starts no job")
			out := p.realRunDoesThePlan(t, plan, args...)
			assert.Equal(t, planned["containerReference"], out["containerReference"])
			if tc.args[0] == "refresh" {
				assert.Equal(t, out["snapshot"], plan[len(plan)-1]["parameters"].(map[string]any)["snapshot"], "the plan names the point")
				assert.Equal(t, out["snapshot"], planned["snapshot"])
			}
		}
	})
}

// --create in a plan lists the creation with the pod's name and the point,
// and no reference; nothing is created, and the real run creates it at
// that point.
func TestAPlanOfCreateNamesThePodAndThePoint(t *testing.T) {
	onBoth(t, engine.Options{}, func(t *testing.T, p side) {
		p.provenMasterData(t)
		args := []string{"refresh", "--template", "Patients", "--container", "prep7", "--create"}
		if p.d == nil {
			freeVDB(t, p.e, "prep7 DB")
			args = append(args, "--vdb", "prep7 DB")
		}
		r, plan := p.plan(t, 0, p.run, args...)
		require.Len(t, plan, 1, r.Stderr)
		a := plan[0]
		assert.Equal(t, map[string]string{"engine": "create", "dct": "provision"}[p.name], a["action"])
		assert.Equal(t, "prep7", a["name"])
		assert.Nil(t, a["reference"], "no reference: the pod does not exist yet")
		point := a["parameters"].(map[string]any)["snapshot"]
		require.NotEmpty(t, point)
		planned := r.JSON(t)
		assert.Equal(t, true, planned["created"])
		assert.Equal(t, point, planned["snapshot"])
		if p.d != nil {
			_, there := p.e.Dataset("prep7")
			assert.False(t, there, "nothing was provisioned")
		}
		out := p.realRunDoesThePlan(t, plan, args...)
		assert.Equal(t, true, out["created"])
		assert.Equal(t, point, out["snapshot"])
	})
}

// freeVDB provisions a VDB of the masked master that no data pod uses, for
// an engine pod to adopt (through e's DCT API, which shares its state).
func freeVDB(t *testing.T, e *engine.Engine, name string) {
	t.Helper()
	d := newDCT(t, e)
	admin := d.client(st.DCTAdmin, "delphix_admin")
	master, err := admin.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	snap, err := admin.Snapshots.Latest(t.Context(), master.ID)
	require.NoError(t, err)
	_, j, err := admin.VDBs.ProvisionBySnapshot(t.Context(), dct.ProvisionBySnapshot{SnapshotID: snap.ID, Name: name, AutoSelectRepository: true})
	d.wait(admin)(j, err)
}

// A point not proven masked refuses the plan as the real run (exit 1),
// for a refresh and for a create, and the plan changes nothing.
func TestAPlanOfAnUnmaskedPointExits1AsTheRealRun(t *testing.T) {
	onBoth(t, engine.Options{}, func(t *testing.T, p side) {
		p.e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "Masking job 12 failed."})
		if p.d != nil {
			r := st.RunDCT(t, refresh.Step, p.e, st.DCTAdmin, []string{"DELPHIX_ENGINE=" + p.d.url}, "--vdb", "Patients Masked Master")
			require.Equal(t, 1, r.Code, r.Stderr)
		} else {
			r := st.Run(t, refresh.Step, p.e, nil, "--vdb", "Patients Masked Master")
			require.Equal(t, 1, r.Code, r.Stderr)
			snapshotMaster(t, st.EngineClient(t, p.e))
		}
		create := []string{"refresh", "--template", "Patients", "--container", "prep7", "--create"}
		if p.d == nil {
			create = append(create, "--vdb", "prep7 DB")
		}
		for _, args := range [][]string{{"refresh", "--template", "Patients", "--container", "prep1"}, create} {
			r, _ := p.plan(t, 1, p.run, args...)
			assert.Contains(t, r.Stderr, "not proven masked, nothing was changed")
			real := p.run(t, args...)
			assert.Equal(t, 1, real.Code, real.Stderr)
		}
	})
}

// A pod another account locked: the plan refuses as the real run does
// (exit 3); the lock holder's own plan goes on, and an admin's plan of an
// unlock too.
func TestAPlanOfAPodAnotherAccountLockedExits3AsTheRealRun(t *testing.T) {
	onBoth(t, engine.Options{}, func(t *testing.T, p side) {
		p.provenMasterData(t)
		require.Equal(t, 0, p.runQA(t, "lock", "--container", "qa-pod").Code)
		for _, op := range []string{"refresh", "disable", "lock"} {
			r, _ := p.plan(t, 3, p.run, op, "--container", "qa-pod")
			assert.Contains(t, r.Stderr, `data pod "qa-pod" is locked by account "qa"`)
			real := p.run(t, op, "--container", "qa-pod")
			assert.Equal(t, 3, real.Code, real.Stderr)
		}
		_, plan := p.plan(t, 0, p.runQA, "disable", "--container", "qa-pod")
		assert.Equal(t, []string{"disable"}, actions(plan), "QA's own lock")
		_, plan = p.plan(t, 0, p.run, "unlock", "--container", "qa-pod")
		assert.Equal(t, []string{"unlock"}, actions(plan))
	})
}

// A busy pod is noted in the plan ("wait", the job), not waited for: the
// other job still runs when the plan is done. The real run waits for it
// and does what the plan listed.
func TestAPlanNotesABusyPodWithoutWaiting(t *testing.T) {
	onBoth(t, engine.Options{Speed: 0.5}, func(t *testing.T, p side) {
		job, done := startRefreshOn(t, p, "prep4")
		r, plan := p.plan(t, 0, p.run, "disable", "--container", "prep4")
		require.Equal(t, []string{"wait", "disable"}, actions(plan), r.Stderr)
		assert.Equal(t, job, plan[0]["reference"])
		assert.False(t, done(), "the plan did not wait for the other job")
		assert.Contains(t, r.Stderr, "a real run waits for it to end")
		p.realRunDoesThePlan(t, plan, "disable", "--container", "prep4")
		assert.True(t, done())
	})
}

// startRefreshOn starts a refresh of the pod as the admin and returns its
// job and whether it has ended.
func startRefreshOn(t *testing.T, p side, pod string) (string, func() bool) {
	t.Helper()
	if p.d != nil {
		admin := p.d.client(st.DCTAdmin, "delphix_admin")
		g, err := admin.VDBGroups.FindByName(t.Context(), pod)
		require.NoError(t, err)
		j, err := admin.VDBGroups.RefreshBySnapshot(t.Context(), g.ID, nil)
		require.NoError(t, err)
		return j.ID, func() bool {
			now, err := admin.Jobs.Get(t.Context(), j.ID)
			require.NoError(t, err)
			return now.Status == dct.JobCompleted
		}
	}
	c := st.EngineClient(t, p.e)
	ct, err := c.Containers.FindByName(t.Context(), "", pod)
	require.NoError(t, err)
	op, err := c.Containers.Refresh(t.Context(), ct.Reference)
	require.NoError(t, err)
	return op.Job, func() bool {
		j, err := c.Jobs.Get(t.Context(), op.Job)
		require.NoError(t, err)
		return j.JobState != delphix.JobRunning
	}
}

// A name that matches nothing exits 2 in the plan as in the real run.
func TestAPlanOfAWrongNameExits2(t *testing.T) {
	onBoth(t, engine.Options{}, func(t *testing.T, p side) {
		p.plan(t, 2, p.run, "refresh", "--container", "prep9")
		p.plan(t, 2, p.run, "restore", "--container", "prep1", "--bookmark", "no such")
		assert.Equal(t, 2, p.run(t, "refresh", "--container", "prep9").Code)
	})
}
