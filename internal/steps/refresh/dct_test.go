package refresh_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The master is refreshed from exactly the snapshot dx-sync printed, and its compliance
// job masks it afterwards: the engine holds production's new data, masked.
func TestOnDCTRefreshFromTheSnapshotSyncPrintedThenMask(t *testing.T) {
	e := st.Engine(t)
	spec := st.DCTSpecEnv(t, e)
	require.NoError(t, e.ChangeProd("Patients Prod"))
	synced := st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, spec, "--database", "Patients Prod")
	require.Equal(t, 0, synced.Code, synced.Stderr)
	snap := synced.JSON(t)["snapshot"].(string)
	require.NoError(t, e.ChangeProd("Patients Prod"), "production moves on: only the snapshot's data may reach the master")

	r := st.RunDCT(t, refresh.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Masked Master", "--snapshot", snap, "--require-masked")
	require.Equal(t, 0, r.Code, r.Stderr)
	out := r.JSON(t)
	assert.Equal(t, snap, out["snapshot"])
	assert.Equal(t, "Patients Prod", out["source"])
	assert.Equal(t, true, out["masked"])
	assert.Equal(t, "Patients masking", out["maskingJob"])
	assert.Contains(t, out["maskingEvidence"], "DCT marks the VDB masked")
	assert.Contains(t, r.Stderr, `masking job "Patients masking" on VDB "Patients Masked Master": job`)

	m, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, 2, m.Contents.DataVersion, "the master holds the snapshot's data, not production's newest")
	assert.True(t, m.Contents.Masked)
	c := st.DCTClient(t, e, st.DCTAdmin)
	jobs, err := c.Jobs.Recent(t.Context(), out["vdbReference"].(string), 3)
	require.NoError(t, err)
	require.Len(t, jobs, 3)
	assert.Equal(t, out["job"], jobs[2].ID, "the refresh ran first")
	assert.Equal(t, "COMPLETED", jobs[1].Status)
	assert.Contains(t, out["maskingEvidence"], `compliance job "Patients masking" ran after the refresh and COMPLETED (job `+jobs[1].ID+`)`)
	latest, err := c.Snapshots.Latest(t.Context(), out["vdbReference"].(string))
	require.NoError(t, err)
	assert.Equal(t, latest.ID, out["maskedSnapshot"], "the masked data is snapshotted last")

	pod := st.RunDCT(t, datapod.Step, e, st.DCTAdmin, spec, "--template", "Patients", "--container", "prep1")
	require.Equal(t, 0, pod.Code, pod.Stderr)
	p, _ := e.Dataset("prep1")
	assert.Equal(t, 2, p.Contents.DataVersion)
	assert.True(t, p.Contents.Masked, "a pod refreshed from the template gets the masked data, not the refresh's unmasked snapshot")
}

func TestOnDCTRequireMaskedFailsWhenNoMaskingIsConfiguredButStillPrintsTheResult(t *testing.T) {
	seed := engine.WorkshopSeed()
	for i := range seed.VDBs {
		if seed.VDBs[i].Name == "Patients Masked Master" {
			seed.VDBs[i].MaskingJob = ""
		}
	}
	e := enginetest.Start(t, engine.Options{Seed: seed})
	r := st.RunDCT(t, refresh.Step, e, st.DCTAdmin, st.DCTSpecEnv(t, e), "--vdb", "Patients Masked Master", "--require-masked")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.Stderr, "without masking applied")
	out := r.JSON(t)
	assert.Equal(t, false, out["masked"])
	assert.Equal(t, []any{}, out["maskingEvidence"])
	assert.Nil(t, out["maskingJob"])
	m, _ := e.Dataset("Patients Masked Master")
	assert.False(t, m.Contents.Masked, "nothing masked it")
}

func TestOnDCTAForeignOrUnknownSnapshotOrADSourceIsRefused(t *testing.T) {
	e := st.Engine(t)
	spec := st.DCTSpecEnv(t, e)
	prodSnap := st.OKDCT(t, dbsync.Step, e, "--database", "Patients Prod")["snapshot"].(string)
	before, _ := e.Dataset("prep1 DB")
	r := st.RunDCT(t, refresh.Step, e, st.DCTAdmin, spec, "--vdb", "prep1 DB", "--snapshot", prodSnap)
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "refusing to refresh from it")
	after, _ := e.Dataset("prep1 DB")
	assert.Equal(t, before.Contents, after.Contents, "prep1 DB is untouched")

	r = st.RunDCT(t, refresh.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Masked Master", "--snapshot", "NO-SUCH-SNAPSHOT")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no snapshot "NO-SUCH-SNAPSHOT"`)
	r = st.RunDCT(t, refresh.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Prod")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "is a dSource, not a VDB")
}

func TestOnDCTWrongNamesExit2WithTheClosestNames(t *testing.T) {
	e := st.Engine(t)
	spec := st.DCTSpecEnv(t, e)
	r := st.RunDCT(t, refresh.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Masked Mastr")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no VDB is named "Patients Masked Mastr"; closest: "Patients Masked Master"`)
	r = st.RunDCT(t, refresh.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Masked Master", "--masking-job", "Patients maskng")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no compliance job is named "Patients maskng"; closest: "Patients masking"`)
	assert.Empty(t, r.Stdout, "nothing was refreshed")
}

func TestTheMaskingJobKeyIsDCTOnly(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Masked Master", "--masking-job", "Patients masking")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "--masking-job applies to --platform dct only")
	out := st.OKDCT(t, refresh.Step, e, "--vdb", "Patients Masked Master", "--masking-job", "Patients masking")
	assert.Equal(t, "Patients masking", out["maskingJob"])
}

// A job already running on the VDB is waited for: without the wait DCT would refuse the
// refresh (409).
func TestOnDCTTheRefreshWaitsForAJobRunningOnTheVDB(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.2})
	c := st.DCTClient(t, e, st.DCTAdmin)
	master, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	running, err := c.VDBs.RefreshBySnapshot(t.Context(), master.ID, "") // 1 s at this speed
	require.NoError(t, err)
	r := st.RunDCT(t, refresh.Step, e, st.DCTAdmin, nil, "--vdb", "Patients Masked Master")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "is busy with job "+running.ID)
	done, err := c.Jobs.Get(t.Context(), running.ID)
	require.NoError(t, err)
	assert.Equal(t, "COMPLETED", done.Status)
}
