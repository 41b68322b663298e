package credentials_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With --exec the accounts change inside the VDB after its last snapshot: the step snapshots
// it and prints that snapshot, the point the data pods are to get, on both platforms.
func TestExecSnapshotsTheVDBAfterTheAccountsChanged(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	c := st.EngineClient(t, e)
	master, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	before, err := c.Snapshots.List(t.Context(), master.Reference)
	require.NoError(t, err)
	out := st.OK(t, credentials.Step, e, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true")
	after, err := c.Snapshots.List(t.Context(), master.Reference)
	require.NoError(t, err)
	require.Len(t, after, len(before)+1)
	assert.Equal(t, after[0].Reference, out["snapshot"])
	assert.Equal(t, after[0].CreationTime, out["snapshotTime"])

	d := st.DCTClient(t, e, st.DCTAdmin)
	vdb, err := d.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	out = st.OKDCT(t, credentials.Step, e, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true")
	latest, err := d.Snapshots.Latest(t.Context(), vdb.ID)
	require.NoError(t, err)
	assert.Equal(t, latest.ID, out["snapshot"])
	assert.NotEqual(t, after[0].Reference, out["snapshot"])
	assert.Equal(t, latest.CreationTime, out["snapshotTime"])
}

// Someone else's job on the VDB between the account changes and the snapshot (DCT answers the
// snapshot 409): the step waits for that job and snapshots after it, as dx-refresh does.
func TestOnDCTTheSnapshotAfterTheAccountsWaitsForSomeoneElsesJob(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "busy", Method: "POST", PathSuffix: "/snapshots"}))
	out := st.OKDCT(t, credentials.Step, e, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true")
	d := st.DCTClient(t, e, st.DCTAdmin)
	vdb, err := d.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	latest, err := d.Snapshots.Latest(t.Context(), vdb.ID)
	require.NoError(t, err)
	assert.Equal(t, latest.ID, out["snapshot"], "the snapshot taken once the other job ended")
}

// The same on the engine API: the sync after the account changes meets someone else's job on the
// VDB (the engine refuses it as busy), waits for it and snapshots after it.
func TestTheSnapshotAfterTheAccountsWaitsForSomeoneElsesJob(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "busy", Method: "POST", PathSuffix: "/sync"}))
	out := st.OK(t, credentials.Step, e, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true")
	c := st.EngineClient(t, e)
	master, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(t.Context(), master.Reference)
	require.NoError(t, err)
	assert.Equal(t, snaps[0].Reference, out["snapshot"], "the snapshot taken once the other job ended")
}
