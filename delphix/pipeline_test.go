package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSyncThenRefreshGivesTheMasterProdsNewDataMasked is the workshop's
// first two stages through the client: prod changes, a sync snapshots it,
// and the masked master refreshed from exactly that snapshot holds prod's
// new data version, masked.
func TestSyncThenRefreshGivesTheMasterProdsNewDataMasked(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	ctx := t.Context()
	require.NoError(t, e.ChangeProd("Patients Prod"))
	prod, _ := e.Dataset("Patients Prod")

	db, op := syncProd(t, c)
	_, err := c.Jobs.Wait(ctx, op.Job, nil)
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(ctx, db.Reference)
	require.NoError(t, err)
	require.NotEmpty(t, snaps)
	newest := snaps[0]

	require.NoError(t, e.ChangeProd("Patients Prod")) // after the snapshot: must not reach the master
	master, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	assert.Equal(t, db.Reference, master.ProvisionContainer)
	op, err = c.Databases.Refresh(ctx, master, RefreshPoint{Snapshot: newest.Reference})
	require.NoError(t, err)
	job, err := c.Jobs.Wait(ctx, op.Job, nil)
	require.NoError(t, err)
	assert.Equal(t, "DB_REFRESH", job.ActionType)

	got, ok := e.Dataset("Patients Masked Master")
	require.True(t, ok)
	assert.Equal(t, prod.Contents.DataVersion, got.Contents.DataVersion)
	assert.True(t, got.Contents.Masked)
	require.Len(t, got.Contents.Rows, len(prod.Contents.Rows))
	assert.NotEqual(t, prod.Contents.Rows[0].Name, got.Contents.Rows[0].Name, "names are masked")
	after, err := c.Databases.Get(ctx, master.Reference)
	require.NoError(t, err)
	assert.True(t, after.Masked)
}
