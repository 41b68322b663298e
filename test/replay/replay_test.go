package replay

import (
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClientReadsARecordedEngine logs the client in to a recorded 5.2
// engine: a session at the newest version, answered at the recorded
// 1.3.0, so /about and a session at 1.9.0, then login and reads its objects: one by
// reference, lists filtered as the engine filters them, and what was never
// recorded as not found.
func TestClientReadsARecordedEngine(t *testing.T) {
	s := serve(t, Options{Dirs: []string{fixtures(t, "test_dsource_mssql_52_1")}})
	c, err := delphix.NewClient(s.URL(), delphix.WithRetryMax(0), delphix.WithWaitIntervals(time.Millisecond, time.Millisecond, 0))
	require.NoError(t, err)
	ctx := t.Context()
	require.NoError(t, c.Login(ctx, "delphix_admin", "delphix"))
	assert.Equal(t, "1.9.0", c.APIVersion().String())
	assert.Equal(t, []string{"POST /session", "GET /about", "POST /session", "POST /login"}, s.Requests(),
		"the newest version first, answered at 1.3.0 as recorded; then /about and the session at 1.9.0")

	vdb, err := c.Databases.FindByName(ctx, "sybase1mask")
	require.NoError(t, err)
	assert.Equal(t, "ASEDBContainer", vdb.Type)
	parent, err := c.Databases.Get(ctx, vdb.ProvisionContainer)
	require.NoError(t, err)
	assert.Equal(t, "piorotest", parent.Name)

	snaps, err := c.Snapshots.List(ctx, parent.Reference)
	require.NoError(t, err)
	require.Len(t, snaps, 2)
	assert.Equal(t, "ASE_SNAPSHOT-266924", snaps[0].Reference, "newest first")

	sources, err := c.Sources.ListForDatabase(ctx, vdb.Reference)
	require.NoError(t, err)
	require.Len(t, sources, 1)
	assert.Equal(t, "ASEVirtualSource", sources[0].Type)
	assert.Contains(t, string(sources[0].Operations["configureClone"]), "RunMaskingJobOnSourceOperation")

	jobs, err := c.MaskingJobs.ListForContainer(ctx, vdb.Reference)
	require.NoError(t, err)
	assert.Empty(t, jobs, "none recorded")
	_, err = c.Jobs.Get(ctx, "JOB-1")
	assert.ErrorIs(t, err, delphix.ErrNotFound)
}
