package dctapi_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAJobRunningOnAPodShowsInAJobSearchUntilItEnds: POST /jobs/search finds the running
// refresh by its target and status, and no longer once it completed; another account does
// not see the admin's job.
func TestAJobRunningOnAPodShowsInAJobSearchUntilItEnds(t *testing.T) {
	e := start(t, engine.Options{Speed: 0.2})
	url := dctServer(t, e, "/dct/v3")
	admin := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	qa := dctClient(t, url, "/dct/v3", 2, "qa")
	ctx := t.Context()
	v, err := admin.VDBs.FindByName(ctx, "prep3 DB")
	require.NoError(t, err)
	j, err := admin.VDBs.RefreshBySnapshot(ctx, v.ID, "")
	require.NoError(t, err)
	active, err := admin.Jobs.Active(ctx, "prep3", v.ID)
	require.NoError(t, err)
	require.Len(t, active, 1)
	assert.Equal(t, j.ID, active[0].ID)
	assert.Equal(t, v.ID, active[0].TargetID)
	none, err := qa.Jobs.Active(ctx, v.ID)
	require.NoError(t, err)
	assert.Empty(t, none, "QA sees its own jobs only")
	waitOn(t, admin)(j, nil)
	active, err = admin.Jobs.Active(ctx, v.ID)
	require.NoError(t, err)
	assert.Empty(t, active)
}

func TestAVDBShowsItsHostAndJDBCURL(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	v, err := c.VDBs.FindByName(t.Context(), "qa-pod DB")
	require.NoError(t, err)
	assert.Equal(t, "target-db.workshop.local", v.FQDN)
	assert.Equal(t, "qa_pod", v.DatabaseName)
	assert.Equal(t, "jdbc:postgresql://target-db.workshop.local:5440/qa_pod", v.JDBCConnectionString)
}

// TestProvisionBySnapshotMakesAVDBOfTheCallersFromThatSnapshot: the new VDB holds the
// snapshot's data and is the caller's; QA cannot provision from the master it does not see.
func TestProvisionBySnapshotMakesAVDBOfTheCallersFromThatSnapshot(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	admin := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	qa := dctClient(t, url, "/dct/v3", 2, "qa")
	ctx := t.Context()
	master, err := admin.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	snap, err := admin.Snapshots.Latest(ctx, master.ID)
	require.NoError(t, err)
	id, j, err := admin.VDBs.ProvisionBySnapshot(ctx, dct.ProvisionBySnapshot{SnapshotID: snap.ID, Name: "prep7", AutoSelectRepository: true})
	waitOn(t, admin)(j, err)
	v, err := admin.VDBs.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "prep7", v.Name)
	assert.Equal(t, master.ID, v.ParentID)
	got, ok := e.Dataset("prep7")
	require.True(t, ok)
	m, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, m.Contents.Rows, got.Contents.Rows)

	_, _, err = qa.VDBs.ProvisionBySnapshot(ctx, dct.ProvisionBySnapshot{SnapshotID: snap.ID, Name: "qa copy", AutoSelectRepository: true})
	require.Error(t, err)
	_, ok = e.Dataset("qa copy")
	assert.False(t, ok)
}
