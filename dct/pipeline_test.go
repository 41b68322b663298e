package dct

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheWorkshopPipelineRunsOnDCT runs the pipeline's calls in order against the local
// engine and checks where every dataset's data came from: production changes, its new
// snapshot refreshes the master, the compliance job masks it, a PUBLIC bookmark of the
// master refreshes a locked pod, and the pod's bookmark holds the masked build.
func TestTheWorkshopPipelineRunsOnDCT(t *testing.T) {
	c, l := setup(t)
	ctx := t.Context()
	wait := done(t, c)

	require.NoError(t, l.e.ChangeProd("Patients Prod"))
	prod, err := c.DSources.FindByName(ctx, "Patients Prod")
	require.NoError(t, err)
	before, err := c.Snapshots.Latest(ctx, prod.ID)
	require.NoError(t, err)
	wait(c.DSources.Snapshot(ctx, prod.ID, DSourceSnapshotParameters{}))
	snap, err := c.Snapshots.Latest(ctx, prod.ID)
	require.NoError(t, err)
	assert.NotEqual(t, before.ID, snap.ID, "the snapshot just taken, not the older one")

	master, err := c.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	wait(c.VDBs.RefreshBySnapshot(ctx, master.ID, snap.ID))
	mask, err := c.ComplianceJobs.FindByName(ctx, "Patients masking")
	require.NoError(t, err)
	wait(c.ComplianceJobs.Execute(ctx, mask.ID))
	master, err = c.VDBs.Get(ctx, master.ID)
	require.NoError(t, err)
	assert.True(t, master.Masked)

	expires := time.Now().UTC().AddDate(0, 0, 7).Truncate(24 * time.Hour)
	bm, j, err := c.Bookmarks.Create(ctx, BookmarkCreate{Name: "masked build 7", VDBIDs: []string{master.ID},
		Type: BookmarkPublic, Expiration: expires, Tags: []Tag{{"build", "7"}}})
	wait(j, err)

	pod, err := c.VDBs.FindByName(ctx, "prep1 DB")
	require.NoError(t, err)
	pod, err = c.VDBs.Lock(ctx, pod.ID)
	require.NoError(t, err)
	assert.True(t, pod.IsLocked)
	_, err = l.clientOf(2, "qa").VDBs.RefreshFromBookmark(ctx, pod.ID, bm.ID)
	require.ErrorIs(t, err, ErrNotFound, "another account neither sees nor refreshes the pod")
	wait(c.VDBs.RefreshFromBookmark(ctx, pod.ID, bm.ID))
	podBM, j, err := c.Bookmarks.Create(ctx, BookmarkCreate{Name: "prep1 build 7", VDBIDs: []string{pod.ID}, Type: BookmarkPublic})
	wait(j, err)
	pod, err = c.VDBs.Unlock(ctx, pod.ID)
	require.NoError(t, err)
	assert.False(t, pod.IsLocked)

	m, _ := l.e.Dataset("Patients Masked Master")
	p, _ := l.e.Dataset("prep1")
	assert.Equal(t, 2, m.Contents.DataVersion, "the master holds production's new snapshot")
	assert.Equal(t, 2, p.Contents.DataVersion, "the pod holds the master's bookmark")
	assert.True(t, m.Contents.Masked)
	assert.True(t, p.Contents.Masked)
	got, err := c.Bookmarks.Get(ctx, bm.ID)
	require.NoError(t, err)
	assert.Equal(t, expires.Format(time.DateOnly), got.Expiration)
	assert.Equal(t, []Tag{{"build", "7"}}, got.Tags)
	held := map[string]bool{}
	for _, e := range l.e.Catalog() {
		held[e.Bookmark] = e.DataVersion == 2 && e.Masked
	}
	assert.True(t, held[podBM.Name], "the pod's bookmark holds the masked build")
}
