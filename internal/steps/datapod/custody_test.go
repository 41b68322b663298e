package datapod_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastBody is the body of the last request of method whose path ends in suffix.
func lastBody(t *testing.T, e *engine.Engine, method, suffix string) map[string]any {
	t.Helper()
	var found map[string]any
	for _, r := range e.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			found = map[string]any{}
			require.NoError(t, json.Unmarshal(r.Body, &found))
		}
	}
	require.NotNil(t, found, "no %s request to ...%s", method, suffix)
	return found
}

// snapshotMaster snapshots the masked master as a snapshot policy would, and returns it.
func snapshotMaster(t *testing.T, c *delphix.Client) *delphix.Snapshot {
	t.Helper()
	ctx := t.Context()
	master, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	op, err := c.Databases.Sync(ctx, master)
	require.NoError(t, err)
	_, err = c.Jobs.Wait(ctx, op.Job, nil)
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(ctx, master.Reference)
	require.NoError(t, err)
	return &snaps[0]
}

// The refresh's masked snapshot is what the pod gets, exactly: the restore names the
// template's branch at that snapshot's data time, and the engine records the pod's data
// as coming from there.
func TestOnTheEngineAPodGetsExactlyTheSnapshotTheRefreshProved(t *testing.T) {
	e := st.Engine(t)
	c := st.EngineClient(t, e)
	require.NoError(t, e.ChangeProd("Patients Prod"))
	st.OK(t, dbsync.Step, e, "--database", "Patients Prod")
	masked := st.OK(t, refresh.Step, e, "--vdb", "Patients Masked Master", "--require-masked")["maskedSnapshot"].(string)
	require.NotEmpty(t, masked)
	later := snapshotMaster(t, c) // a newer point exists; the pod must still get the proven one

	out := st.OK(t, datapod.Step, e, "--template", "Patients", "--container", "prep1", "--snapshot", masked)
	assert.Equal(t, masked, out["snapshot"])
	snap, err := c.Snapshots.Get(t.Context(), masked)
	require.NoError(t, err)
	tmpl, err := c.Templates.FindByName(t.Context(), "Patients")
	require.NoError(t, err)
	point := lastBody(t, e, "POST", "/container/"+out["containerReference"].(string)+"/restore")["timelinePointParameters"].(map[string]any)
	assert.Equal(t, map[string]any{"type": "JSTimelinePointTimeInput", "branch": tmpl.ActiveBranch, "time": snap.LatestChangePoint.Timestamp}, point)
	ops, err := c.Operations.List(t.Context(), out["containerReference"].(string))
	require.NoError(t, err)
	require.NotNil(t, ops[0].DataParent)
	assert.Equal(t, delphix.DataParent{Type: "JSTimestampDataParent", Branch: tmpl.ActiveBranch, BranchName: ops[0].DataParent.BranchName,
		Time: snap.LatestChangePoint.Timestamp}, *ops[0].DataParent)
	pod, _ := e.Dataset("prep1")
	master, _ := e.Dataset("Patients Masked Master")
	assert.True(t, pod.Contents.Masked)
	assert.Equal(t, master.Contents.DataVersion, pod.Contents.DataVersion)
	assert.NotEqual(t, later.Reference, masked)

	// Without --snapshot: the master's newest snapshot, proven
	out = st.OK(t, datapod.Step, e, "--template", "Patients", "--container", "prep2")
	assert.Equal(t, later.Reference, out["snapshot"])
}

// After the masking inside the master's refresh failed, the master holds production data;
// once a snapshot of it exists, no pod is refreshed or created from it: exit 1 naming
// masking, nothing changed. The point proven before the failure still fans out.
func TestOnTheEngineAMaskingFailureOnTheMasterFansNothingOut(t *testing.T) {
	e := st.Engine(t)
	c := st.EngineClient(t, e)
	proven := snapshotMaster(t, c)
	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "Masking job 12 failed: table PATIENTS is locked."})
	r := st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Masked Master")
	require.Equal(t, 1, r.Code, r.Stderr)
	master, _ := e.Dataset("Patients Masked Master")
	require.False(t, master.Contents.Masked, "the failed refresh left production data on the master")
	unmasked := snapshotMaster(t, c)
	before, _ := e.Dataset("prep1")

	for _, args := range [][]string{
		{"--template", "Patients", "--container", "prep1"},
		{"--container", "prep1", "--snapshot", unmasked.Reference},
		{"--template", "Patients", "--container", "prep7", "--create", "--vdb", "prep7 DB"},
	} {
		r := st.Run(t, datapod.Step, e, nil, args...)
		assert.Equal(t, 1, r.Code, "%v: %s", args, r.Stderr)
		assert.Contains(t, r.Stderr, "not proven masked, nothing was changed: snapshot "+unmasked.Reference)
		assert.Contains(t, r.Stderr, "which is FAILED")
		assert.Contains(t, r.Stderr, "--allow-unmasked")
	}
	after, _ := e.Dataset("prep1")
	assert.Equal(t, before.Contents, after.Contents, "the pod keeps its masked data")
	_, created := e.Dataset("prep7")
	assert.False(t, created, "no pod was created")

	out := st.OK(t, datapod.Step, e, "--container", "prep1", "--snapshot", proven.Reference)
	assert.Equal(t, proven.Reference, out["snapshot"])
	after, _ = e.Dataset("prep1")
	assert.True(t, after.Contents.Masked)

	// the opt-out, for estates without masking, does what it says
	st.OK(t, datapod.Step, e, "--container", "prep1", "--allow-unmasked")
	after, _ = e.Dataset("prep1")
	assert.False(t, after.Contents.Masked)
}

// A snapshot of another dataset is refused before anything is done, naming both.
func TestOnTheEngineASnapshotOfAnotherDatasetIsRefused(t *testing.T) {
	e := st.Engine(t)
	c := st.EngineClient(t, e)
	prod, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(t.Context(), prod.Reference)
	require.NoError(t, err)
	r := st.Run(t, datapod.Step, e, nil, "--template", "Patients", "--container", "prep1", "--snapshot", snaps[0].Reference)
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `is of "Patients Prod", not of "Patients Masked Master", the master VDB of template "Patients"`)
}

// On DCT the same: a failed masking job leaves the refresh's unmasked snapshot as the
// master's newest; no pod is refreshed or created from it, and dx-refresh's maskedSnapshot
// is exactly what the pod gets once masking works again.
func TestOnDCTAMaskingFailureOnTheMasterFansNothingOutAndTheMaskedSnapshotDoes(t *testing.T) {
	e := st.Engine(t)
	d := newDCT(t, e)
	env := []string{"DELPHIX_ENGINE=" + d.url}
	admin := d.client(st.DCTAdmin, "delphix_admin")
	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "Masking job 12 failed: table PATIENTS is locked."})
	r := st.RunDCT(t, refresh.Step, e, st.DCTAdmin, env, "--vdb", "Patients Masked Master")
	require.Equal(t, 1, r.Code, r.Stderr)
	master, err := admin.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	unmasked, err := admin.Snapshots.Latest(t.Context(), master.ID)
	require.NoError(t, err)
	before, _ := e.Dataset("prep1")
	for _, args := range [][]string{
		{"refresh", "--template", "Patients", "--container", "prep1"},
		{"refresh", "--container", "prep1", "--snapshot", unmasked.ID},
		{"refresh", "--template", "Patients", "--container", "prep7", "--create"},
	} {
		r := d.run(st.DCTAdmin, args...)
		assert.Equal(t, 1, r.Code, "%v: %s", args, r.Stderr)
		assert.Contains(t, r.Stderr, "not proven masked, nothing was changed: snapshot "+unmasked.ID)
		assert.Contains(t, r.Stderr, "no masking job on VDB \"Patients Masked Master\" COMPLETED")
	}
	after, _ := e.Dataset("prep1")
	assert.Equal(t, before.Contents, after.Contents, "the pod keeps its masked data")
	_, created := e.Dataset("prep7")
	assert.False(t, created, "no pod was created")

	out := st.OKDCT(t, refresh.Step, e, "--vdb", "Patients Masked Master", "--require-masked")
	masked := out["maskedSnapshot"].(string)
	require.NotEmpty(t, masked)
	pod := d.ok(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep1", "--snapshot", masked)
	assert.Equal(t, masked, pod["snapshot"])
	sentBody := sent(t, e, "POST", "/vdb-groups/"+pod["containerReference"].(string)+"/refresh_by_snapshot")
	assert.Equal(t, masked, sentBody["vdb_snapshot_mappings"].([]any)[0].(map[string]any)["snapshot_id"])
	after, _ = e.Dataset("prep1")
	assert.True(t, after.Contents.Masked)
	created7 := d.ok(st.DCTAdmin, "refresh", "--template", "Patients", "--container", "prep7", "--create")
	assert.Equal(t, masked, created7["snapshot"])
	assert.Equal(t, masked, sent(t, e, "POST", "/vdbs/provision_by_snapshot")["snapshot_id"])
}
