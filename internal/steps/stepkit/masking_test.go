package stepkit_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newestEngineSnapshot(t *testing.T, c *delphix.Client, db *delphix.Database) *delphix.Snapshot {
	t.Helper()
	snaps, err := c.Snapshots.List(t.Context(), db.Reference)
	require.NoError(t, err)
	return &snaps[0]
}

func syncAndWait(t *testing.T, c *delphix.Client, db *delphix.Database) {
	t.Helper()
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	_, err = c.Jobs.Wait(t.Context(), op.Job, nil)
	require.NoError(t, err)
}

// The engine's rule: evidence on the VDB, and the job that made the snapshot's data COMPLETED.
func TestOnTheEngineASnapshotIsProvenMaskedOnlyWhenTheRefreshBeforeItCompleted(t *testing.T) {
	e := st.Engine(t)
	c := st.EngineClient(t, e)
	ctx := t.Context()
	master, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	evidence, why, err := stepkit.ProveMasked(ctx, c, master, newestEngineSnapshot(t, c, master))
	require.NoError(t, err)
	assert.Empty(t, why)
	assert.Contains(t, evidence, `masking job "Patients masking" is attached`)

	pod, err := c.Databases.FindByName(ctx, "prep1 DB")
	require.NoError(t, err)
	_, why, err = stepkit.ProveMasked(ctx, c, pod, newestEngineSnapshot(t, c, pod))
	require.NoError(t, err)
	assert.Contains(t, why, `the engine shows no masking on VDB "prep1 DB"`)

	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "masking failed"})
	require.Equal(t, 1, st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Masked Master").Code)
	syncAndWait(t, c, master)
	_, why, err = stepkit.ProveMasked(ctx, c, master, newestEngineSnapshot(t, c, master))
	require.NoError(t, err)
	assert.Regexp(t, `its data comes from DB_REFRESH job JOB-\d+ on VDB "Patients Masked Master", which is FAILED`, why)

	out := st.OK(t, refresh.Step, e, "--vdb", "Patients Masked Master")
	evidence, why, err = stepkit.ProveMasked(ctx, c, master, newestEngineSnapshot(t, c, master))
	require.NoError(t, err)
	assert.Empty(t, why)
	assert.Contains(t, evidence, "DB_REFRESH job "+out["job"].(string)+" that made the data COMPLETED")
	assert.Equal(t, newestEngineSnapshot(t, c, master).Reference, out["maskedSnapshot"])
}

// A pod's own data is proven through the data parents of its operations: restored from a
// proven snapshot it is; from one that is not (with the opt-out), it is not.
func TestOnTheEngineAPodsDataIsProvenThroughItsDataParents(t *testing.T) {
	e := st.Engine(t)
	c := st.EngineClient(t, e)
	ctx := t.Context()
	pod, err := c.Containers.FindByName(ctx, "", "prep1")
	require.NoError(t, err)
	_, why, err := stepkit.ProveBranchData(ctx, c, pod.ActiveBranch, "")
	require.NoError(t, err)
	assert.Empty(t, why, "a seeded pod descends from its template's snapshot")

	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "masking failed"})
	require.Equal(t, 1, st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Masked Master").Code)
	master, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	syncAndWait(t, c, master)
	st.OK(t, datapod.Step, e, "--container", "prep1", "--allow-unmasked")
	_, why, err = stepkit.ProveBranchData(ctx, c, pod.ActiveBranch, "")
	require.NoError(t, err)
	assert.Contains(t, why, "it descends from snapshot "+newestEngineSnapshot(t, c, master).Reference)
	assert.Contains(t, why, "which is FAILED")
}

// DCT's rule: the masking job must have COMPLETED after the refresh and before the snapshot:
// the refresh's own snapshot, taken before the masking, is not proven even once masking ran.
func TestOnDCTOnlyASnapshotTakenAfterACompletedMaskingJobIsProven(t *testing.T) {
	e := st.Engine(t)
	c := st.DCTClient(t, e, st.DCTAdmin)
	ctx := t.Context()
	master, err := c.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	seeded, err := c.Snapshots.Latest(ctx, master.ID)
	require.NoError(t, err)
	evidence, why, err := stepkit.ProveMaskedDCT(ctx, c, master, seeded)
	require.NoError(t, err)
	assert.Empty(t, why)
	assert.NotEmpty(t, evidence, "a masked VDB with no refresh since its provision")

	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "masking failed"})
	require.Equal(t, 1, st.RunDCT(t, refresh.Step, e, st.DCTAdmin, nil, "--vdb", "Patients Masked Master").Code)
	unmasked, err := c.Snapshots.Latest(ctx, master.ID)
	require.NoError(t, err)
	_, why, err = stepkit.ProveMaskedDCT(ctx, c, master, unmasked)
	require.NoError(t, err)
	assert.Contains(t, why, `no masking job on VDB "Patients Masked Master" COMPLETED between its DB_REFRESH job`)

	out := st.OKDCT(t, refresh.Step, e, "--vdb", "Patients Masked Master")
	masked, err := c.Snapshots.Get(ctx, out["maskedSnapshot"].(string))
	require.NoError(t, err)
	evidence, why, err = stepkit.ProveMaskedDCT(ctx, c, master, masked)
	require.NoError(t, err)
	assert.Empty(t, why)
	assert.Contains(t, evidence[0], "ran after the data's refresh and COMPLETED before the snapshot")
	// the refresh's own snapshot of the VDB, taken before the masking job ran
	snaps, err := st.EngineClient(t, e).Snapshots.List(ctx, master.ID)
	require.NoError(t, err)
	require.Equal(t, masked.ID, snaps[0].Reference)
	own, err := c.Snapshots.Get(ctx, snaps[1].Reference)
	require.NoError(t, err)
	_, why, err = stepkit.ProveMaskedDCT(ctx, c, master, own)
	require.NoError(t, err)
	assert.Contains(t, why, "no masking job on VDB \"Patients Masked Master\" COMPLETED between its DB_REFRESH job")
}
