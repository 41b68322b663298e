package datapod_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onDCT runs dx-datapod on e's DCT API through a server that checks every
// request and answer against the OpenAPI file.
type onDCT struct {
	t   *testing.T
	e   *engine.Engine
	url string
}

func newDCT(t *testing.T, e *engine.Engine) *onDCT {
	t.Helper()
	return &onDCT{t: t, e: e, url: dctspec.Serve(t, "/dct/v3", e.Handler())}
}

func (d *onDCT) run(account int, args ...string) st.Result {
	d.t.Helper()
	return st.RunDCT(d.t, datapod.Step, d.e, account, []string{"DELPHIX_ENGINE=" + d.url}, args...)
}

func (d *onDCT) ok(account int, args ...string) map[string]any {
	d.t.Helper()
	r := d.run(account, args...)
	require.Equal(d.t, 0, r.Code, r.Stderr)
	return r.JSON(d.t)
}

// client is a DCT client of the account, for setting up and reading state.
func (d *onDCT) client(account int, user string) *dct.Client {
	d.t.Helper()
	c, err := dct.NewClient(d.url, dct.WithAPIKey(engine.DCTKey(account, user)),
		dct.WithWaitIntervals(time.Millisecond, 5*time.Millisecond), dct.WithRetryMax(0))
	require.NoError(d.t, err)
	return c
}

func (d *onDCT) wait(c *dct.Client) func(*dct.Job, error) {
	return func(j *dct.Job, err error) {
		d.t.Helper()
		require.NoError(d.t, err)
		_, err = c.Jobs.Wait(d.t.Context(), j.ID, nil)
		require.NoError(d.t, err)
	}
}

// newMasterData puts a new production version into the masked master and
// returns the master's newest snapshot.
func (d *onDCT) newMasterData() *dct.Snapshot {
	d.t.Helper()
	ctx, admin := d.t.Context(), d.client(st.DCTAdmin, "delphix_admin")
	require.NoError(d.t, d.e.ChangeProd("Patients Prod"))
	prod, err := admin.DSources.FindByName(ctx, "Patients Prod")
	require.NoError(d.t, err)
	d.wait(admin)(admin.DSources.Snapshot(ctx, prod.ID, dct.DSourceSnapshotParameters{}))
	master, err := admin.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(d.t, err)
	d.wait(admin)(admin.VDBs.RefreshBySnapshot(ctx, master.ID, ""))
	// as dx-refresh does on DCT: the masking job, then a snapshot of the masked data
	masking, err := admin.ComplianceJobs.ForDataset(ctx, master.ID)
	require.NoError(d.t, err)
	require.Len(d.t, masking, 1)
	d.wait(admin)(admin.ComplianceJobs.Execute(ctx, masking[0].ID))
	d.wait(admin)(admin.VDBs.Snapshot(ctx, master.ID))
	sn, err := admin.Snapshots.Latest(ctx, master.ID)
	require.NoError(d.t, err)
	return sn
}

func dataVersion(t *testing.T, e *engine.Engine, name string) int {
	t.Helper()
	d, ok := e.Dataset(name)
	require.True(t, ok, name)
	return d.Contents.DataVersion
}

// sent is the body of the last request whose path ends in suffix.
func sent(t *testing.T, e *engine.Engine, method, suffix string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, r := range e.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			var m map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &m))
			found = append(found, m)
		}
	}
	require.NotEmpty(t, found, "%s ...%s", method, suffix)
	return found[len(found)-1]
}

func TestOnDCTRefreshFromTheTemplateGivesThePodTheMastersNewestSnapshot(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	snap := d.newMasterData()
	require.Equal(t, 1, dataVersion(t, e, "prep1"))

	out := d.ok(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep1")
	assert.Equal(t, 2, dataVersion(t, e, "prep1"), "the pod holds the master's new data")
	body := sent(t, e, "POST", "/vdb-groups/"+out["containerReference"].(string)+"/refresh_by_snapshot")
	prep1, err := d.client(st.DCTAdmin, "delphix_admin").VDBs.FindByName(t.Context(), "prep1 DB")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"vdb_snapshot_mappings": []any{map[string]any{"vdb_id": prep1.ID, "snapshot_id": snap.ID}}}, body,
		"the master's snapshot by id, not {}")
	assert.Equal(t, "refresh", out["operation"])
	assert.Equal(t, "prep1", out["container"])
	assert.Equal(t, "Patients", out["template"])
	assert.Equal(t, "ONLINE", out["state"])
	assert.Equal(t, false, out["created"])
	assert.NotEmpty(t, out["job"])
	assert.NotEmpty(t, out["dataTime"])
	assert.Equal(t, prep1.CurrentTimeflowID, out["activeBranchReference"], "the branch is the VDB's current timeflow")
}

func TestOnDCTRefreshWithoutATemplateTakesTheParentsNewest(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	d.newMasterData()
	out := d.ok(st.DCTAdmin, "--container", "prep2")
	assert.Equal(t, "refresh", out["operation"])
	assert.Equal(t, "Patients", out["template"], "the one group holding the pod's parent")
	assert.Equal(t, 2, dataVersion(t, e, "prep2"))

	// QA may not read the master's snapshots, so masking cannot be proven: refused, the pod
	// unchanged; with --allow-unmasked DCT picks the parent's newest.
	r := d.run(st.DCTQA, "refresh", "--container", "qa-pod")
	require.Equal(t, 1, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "not proven masked, nothing was changed")
	assert.Equal(t, 1, dataVersion(t, e, "qa-pod"))
	r = d.run(st.DCTQA, "refresh", "--container", "qa-pod", "--allow-unmasked")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "DCT refreshes it from its parent's latest")
	assert.Equal(t, "", r.JSON(t)["template"], "QA does not see the template's group")
	assert.Equal(t, 2, dataVersion(t, e, "qa-pod"))

	// A pod that is one VDB, not a group, is refreshed as a VDB.
	out = d.ok(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep5 DB")
	assert.Equal(t, 2, dataVersion(t, e, "prep5"))
	assert.NotEmpty(t, sent(t, e, "POST", "/vdbs/"+out["containerReference"].(string)+"/refresh_by_snapshot")["snapshot_id"])
}

func TestOnDCTAPodNotFromTheTemplateIsRefused(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	for _, args := range [][]string{{"refresh"}, {"restore", "--bookmark", "b"}, {"lock"}} {
		r := d.run(st.DCTAdmin, append(args, "--template", "prep2", "--container", "prep1")...)
		assert.Equal(t, 2, r.Code, r.Stderr)
		assert.Contains(t, r.Stderr, `data pod "prep1": VDB "prep1 DB" was not provisioned from a VDB of the template's VDB group "prep2"`)
	}
	g, err := d.client(st.DCTAdmin, "delphix_admin").VDBGroups.FindByName(t.Context(), "prep1")
	require.NoError(t, err)
	assert.False(t, g.IsLocked)
	r := d.run(st.DCTAdmin, "refresh", "--template", "Patientz", "--container", "prep1")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `template: no VDB group is named "Patientz"; closest: "Patients"`)
}

func TestOnDCTRestoreGoesToABookmarkCompatibleWithThePod(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	ctx, admin := t.Context(), d.client(st.DCTAdmin, "delphix_admin")
	g, err := admin.VDBGroups.FindByName(ctx, "prep3")
	require.NoError(t, err)
	_, j, err := admin.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "before", VDBGroupID: g.ID})
	d.wait(admin)(j, err)
	before, _ := e.Dataset("prep3")
	_, err = e.ChangeDataset("prep3", func(c *engine.Contents) error { c.Rows = c.Rows[:3]; return nil })
	require.NoError(t, err)

	out := d.ok(st.DCTAdmin, "restore", "--container", "prep3", "--bookmark", "before")
	assert.Equal(t, "restore", out["operation"])
	after, _ := e.Dataset("prep3")
	assert.Equal(t, before.Contents.Rows, after.Contents.Rows)
	assert.NotEmpty(t, sent(t, e, "POST", "/vdb-groups/"+g.ID+"/refresh_from_bookmark")["bookmark_id"])

	r := d.run(st.DCTAdmin, "restore", "--container", "prep3", "--bookmark", "befor")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `is named "befor"; closest: "before"`)
	// The admin's PRIVATE bookmark is not QA's to use.
	r = d.run(st.DCTQA, "restore", "--container", "qa-pod", "--bookmark", "before")
	assert.Equal(t, 2, r.Code, r.Stderr)
}

func TestOnDCTResetGoesBackToThePodsOwnNewestSnapshot(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	d.newMasterData()
	d.ok(st.DCTAdmin, "refresh", "--container", "prep4")
	refreshed, _ := e.Dataset("prep4")
	_, err := e.ChangeDataset("prep4", func(c *engine.Contents) error { c.Rows = nil; return nil })
	require.NoError(t, err)

	out := d.ok(st.DCTAdmin, "reset", "--container", "prep4")
	assert.Equal(t, "reset", out["operation"])
	after, _ := e.Dataset("prep4")
	assert.Equal(t, refreshed.Contents.Rows, after.Contents.Rows)
	assert.Equal(t, 2, after.Contents.DataVersion)
	admin := d.client(st.DCTAdmin, "delphix_admin")
	mapping := sent(t, e, "POST", "/vdb-groups/"+out["containerReference"].(string)+"/refresh_by_snapshot")["vdb_snapshot_mappings"].([]any)
	require.Len(t, mapping, 1)
	own, err := admin.Snapshots.Get(t.Context(), mapping[0].(map[string]any)["snapshot_id"].(string))
	require.NoError(t, err)
	vdb, err := admin.VDBs.FindByName(t.Context(), "prep4 DB")
	require.NoError(t, err)
	assert.Equal(t, vdb.ID, own.DatasetID, "a snapshot of the pod's own VDB")
}

// A pod QA locked is QA's: the admin's refresh is refused as on the
// engine (exit 3, permission) and changes nothing, whether DCT answers the
// refused operation 409 or 400; once QA unlocks it the same refresh runs.
func TestOnDCTAPodLockedByQAIsRefusedToTheAdminAsOnTheEngine(t *testing.T) {
	for _, status := range []int{http.StatusConflict, http.StatusBadRequest} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			lockedPodIsRefused(t, enginetest.Start(t, engine.Options{DCT: engine.DCTOptions{BusyStatus: status}}))
		})
	}
}

func lockedPodIsRefused(t *testing.T, e *engine.Engine) {
	d := newDCT(t, e)
	d.newMasterData()
	assert.Equal(t, "lock", d.ok(st.DCTQA, "lock", "--container", "qa-pod")["operation"])
	g, err := d.client(st.DCTAdmin, "delphix_admin").VDBGroups.FindByName(t.Context(), "qa-pod")
	require.NoError(t, err)
	assert.Equal(t, "qa", g.LockedByName)

	r := d.run(st.DCTAdmin, "refresh", "--container", "qa-pod")
	assert.Equal(t, 3, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `data pod "qa-pod" is locked by account "qa"; that account (or an admin) can unlock it`)
	assert.Equal(t, 1, dataVersion(t, e, "qa-pod"))
	engineRun := st.Run(t, datapod.Step, e, nil, "refresh", "--container", "qa-pod")
	assert.Equal(t, 3, engineRun.Code, "the engine refuses it alike: %s", engineRun.Stderr)

	d.ok(st.DCTQA, "unlock", "--container", "qa-pod")
	d.ok(st.DCTAdmin, "refresh", "--container", "qa-pod")
	assert.Equal(t, 2, dataVersion(t, e, "qa-pod"))
}

func TestOnDCTAJobAlreadyRunningOnThePodIsWaitedFor(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.2})
	d := newDCT(t, e)
	ctx, admin := t.Context(), d.client(st.DCTAdmin, "delphix_admin")
	g, err := admin.VDBGroups.FindByName(ctx, "prep4")
	require.NoError(t, err)
	running, err := admin.VDBGroups.RefreshBySnapshot(ctx, g.ID, nil)
	require.NoError(t, err)

	r := d.run(st.DCTAdmin, "disable", "--container", "prep4")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `data pod "prep4" is busy with job `+running.ID)
	done, err := admin.Jobs.Get(ctx, running.ID)
	require.NoError(t, err)
	assert.Equal(t, dct.JobCompleted, done.Status, "the other job was not disturbed")
	assert.Equal(t, "OFFLINE", r.JSON(t)["state"])
}

func TestOnDCTDisableAndEnableAndADisabledPodIsEnabledBeforeARefresh(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	admin := d.client(st.DCTAdmin, "delphix_admin")
	assert.Equal(t, "OFFLINE", d.ok(st.DCTAdmin, "disable", "--container", "prep6")["state"])
	v, err := admin.VDBs.FindByName(t.Context(), "prep6 DB")
	require.NoError(t, err)
	assert.False(t, v.Enabled)
	assert.Equal(t, "ONLINE", d.ok(st.DCTAdmin, "enable", "--container", "prep6")["state"])
	v, err = admin.VDBs.Get(t.Context(), v.ID)
	require.NoError(t, err)
	assert.True(t, v.Enabled)

	d.ok(st.DCTAdmin, "disable", "--container", "prep6")
	r := d.run(st.DCTAdmin, "refresh", "--container", "prep6")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `data pod "prep6" is disabled; enabling it first`)
	assert.Equal(t, "ONLINE", r.JSON(t)["state"])
}

func TestOnDCTAWrongPodNameExits2WithTheClosestNames(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	r := d.run(st.DCTAdmin, "refresh", "--container", "prep9")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `no VDB group or VDB is named "prep9"; closest: "prep1", "prep2", "prep3"`)
	assert.Empty(t, r.Stdout)
}

// QA does not see the developer's pod on either platform: the same exit 2,
// and the pod is unchanged.
func TestOnDCTQACannotActOnTheDevelopersPod(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	d.newMasterData()
	for _, op := range []string{"refresh", "lock", "disable"} {
		r := d.run(st.DCTQA, op, "--container", "dev-pod")
		assert.Equal(t, 2, r.Code, r.Stderr)
		assert.Contains(t, r.Stderr, `no VDB group or VDB is named "dev-pod"`)
		engineRun := st.Run(t, datapod.Step, e, []string{"DELPHIX_USER=qa", "DELPHIX_PASSWORD=qa-local-pw"}, op, "--container", "dev-pod")
		assert.Equal(t, 2, engineRun.Code, engineRun.Stderr)
	}
	assert.Equal(t, 1, dataVersion(t, e, "dev-pod"))
	g, err := d.client(st.DCTAdmin, "delphix_admin").VDBGroups.FindByName(t.Context(), "dev-pod")
	require.NoError(t, err)
	assert.False(t, g.IsLocked)
}

// --create provisions the missing pod as a VDB from the template's master
// snapshot; a rerun refreshes the pod it made, as on the engine.
func TestOnDCTCreateProvisionsAMissingPodFromTheMastersSnapshot(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	snap := d.newMasterData()
	out := d.ok(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep7", "--create")
	assert.Equal(t, true, out["created"])
	assert.Equal(t, "prep7", out["container"])
	assert.Equal(t, "ONLINE", out["state"])
	assert.NotEmpty(t, out["job"])
	assert.Equal(t, snap.ID, sent(t, e, "POST", "/vdbs/provision_by_snapshot")["snapshot_id"])
	pod, _ := e.Dataset("prep7")
	master, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, master.Contents, pod.Contents, "the pod holds the master's data")

	_, err := e.ChangeDataset("prep7", func(c *engine.Contents) error { c.Rows = nil; return nil })
	require.NoError(t, err)
	out = d.ok(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep7", "--create")
	assert.Equal(t, false, out["created"], "a rerun refreshes the pod it created")
	pod, _ = e.Dataset("prep7")
	assert.Equal(t, master.Contents.Rows, pod.Contents.Rows)

	r := d.run(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep8", "--create", "--vdb", "prep8 DB")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "--vdb applies to --platform engine only, not dct")
	r = d.run(st.DCTQA, "refresh", "--template", "Patients", "--container", "qa-pod-2", "--create")
	assert.Equal(t, 2, r.Code, "QA does not see the template's group: %s", r.Stderr)
	_, ok := e.Dataset("qa-pod-2")
	assert.False(t, ok)
}

// A job DCT does not show this account (the admin's, to QA) still makes
// DCT refuse the operation as busy: the step tries again until it runs.
func TestOnDCTABusyAnswerIsTriedAgainWhenDCTShowsNoJob(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.2})
	d := newDCT(t, e)
	ctx, admin := t.Context(), d.client(st.DCTAdmin, "delphix_admin")
	g, err := admin.VDBGroups.FindByName(ctx, "qa-pod")
	require.NoError(t, err)
	running, err := admin.VDBGroups.RefreshBySnapshot(ctx, g.ID, nil)
	require.NoError(t, err)

	r := d.run(st.DCTQA, "disable", "--container", "qa-pod")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `data pod "qa-pod" is busy (a job (`+running.ID+`) is running on`)
	assert.Contains(t, r.Stderr, "trying again in 1s")
	assert.Equal(t, "OFFLINE", r.JSON(t)["state"])
	done, err := admin.Jobs.Get(ctx, running.ID)
	require.NoError(t, err)
	assert.Equal(t, dct.JobCompleted, done.Status)
}

// loseAnswer makes the engine answer the next method request to a path ending in suffix
// 502 after it has done it, as a proxy that lost DCT's answer.
func loseAnswer(t *testing.T, e *engine.Engine, method, suffix string) {
	t.Helper()
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Method: method, PathSuffix: suffix,
		Status: http.StatusBadGateway, AfterProcessing: true}))
}

// jobsOfType counts the jobs DCT shows on target of the localized type.
func jobsOfType(t *testing.T, c *dct.Client, target, typ string) int {
	t.Helper()
	jobs, err := c.Jobs.Recent(t.Context(), target, 100)
	require.NoError(t, err)
	n := 0
	for _, j := range jobs {
		if j.LocalizedType == typ {
			n++
		}
	}
	return n
}

// A start whose answer is lost after DCT did it is not sent again: the step finds the one
// new job on the pod, follows it and says so; the pod ends as asked, with one job of that
// kind. Lock and unlock start no job: the client resends them itself.
func TestOnDCTALostStartAnswerIsFoundNotStartedTwice(t *testing.T) {
	for _, tc := range []struct {
		op, path, typ string
		setup         func(d *onDCT, c *dct.Client, g *dct.VDBGroup) []string
	}{
		{op: "refresh", path: "/refresh_by_snapshot", typ: "DB Refresh"},
		{op: "reset", path: "/refresh_by_snapshot", typ: "DB Refresh",
			setup: func(d *onDCT, c *dct.Client, g *dct.VDBGroup) []string {
				d.wait(c)(c.VDBs.Snapshot(d.t.Context(), g.VDBIDs[0]))
				return nil
			}},
		{op: "restore", path: "/refresh_from_bookmark", typ: "DB Refresh",
			setup: func(d *onDCT, c *dct.Client, g *dct.VDBGroup) []string {
				_, j, err := c.Bookmarks.Create(d.t.Context(), dct.BookmarkCreate{Name: "before", VDBGroupID: g.ID})
				d.wait(c)(j, err)
				return []string{"--bookmark", "before"}
			}},
		{op: "disable", path: "/disable", typ: "DB Disable"},
		{op: "enable", path: "/enable", typ: "DB Enable",
			setup: func(d *onDCT, c *dct.Client, g *dct.VDBGroup) []string {
				d.wait(c)(c.VDBGroups.Disable(d.t.Context(), g.ID))
				return nil
			}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			e := st.Engine(t)
			d := newDCT(t, e)
			ctx, admin := t.Context(), d.client(st.DCTAdmin, "delphix_admin")
			g, err := admin.VDBGroups.FindByName(ctx, "prep3")
			require.NoError(t, err)
			var extra []string
			if tc.setup != nil {
				extra = tc.setup(d, admin, g)
			}
			vdb := g.VDBIDs[0]
			before := jobsOfType(t, admin, vdb, tc.typ)
			loseAnswer(t, e, "POST", "/vdb-groups/"+g.ID+tc.path)
			r := d.run(st.DCTAdmin, append([]string{tc.op, "--container", "prep3"}, extra...)...)
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Contains(t, r.Stderr, "answer to the start was lost")
			out := r.JSON(t)
			assert.Equal(t, true, out["recovered"])
			assert.Equal(t, before+1, jobsOfType(t, admin, vdb, tc.typ), "one %s job", tc.typ)
			jobs, err := admin.Jobs.Recent(ctx, vdb, 1)
			require.NoError(t, err)
			assert.Equal(t, jobs[0].ID, out["job"], "the job followed is the one the start made")
			assert.Equal(t, map[bool]string{true: "OFFLINE", false: "ONLINE"}[tc.op == "disable"], out["state"])
		})
	}
}

// A lost answer to the provision of --create finds the VDB of the pod's name and follows its
// job: one pod, one provision.
func TestOnDCTALostAnswerToCreateFindsTheNewPod(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	admin := d.client(st.DCTAdmin, "delphix_admin")
	d.newMasterData()
	loseAnswer(t, e, "POST", "/vdbs/provision_by_snapshot")
	r := d.run(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep7", "--create")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "answer to the start was lost")
	out := r.JSON(t)
	assert.Equal(t, true, out["recovered"])
	assert.Equal(t, true, out["created"])
	v, err := admin.VDBs.FindByName(t.Context(), "prep7")
	require.NoError(t, err, "one VDB named prep7")
	assert.Equal(t, v.ID, out["containerReference"])
	assert.Equal(t, 1, jobsOfType(t, admin, v.ID, "DB Provision"))
	n := 0
	for _, r := range e.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/vdbs/provision_by_snapshot") {
			n++
		}
	}
	assert.Equal(t, 1, n, "the provision was sent once")
	pod, _ := e.Dataset("prep7")
	master, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, master.Contents, pod.Contents)
}
