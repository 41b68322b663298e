package dctapi_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestATimeflowIsABranchThatCanBeNamedSwitchedAndDeleted: the developer restores QA's
// shared bookmark in place (a new timeflow), names it, switches back to the first one and
// deletes the named one; the current timeflow and one a bookmark holds stay.
func TestATimeflowIsABranchThatCanBeNamedSwitchedAndDeleted(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	qa := dctClient(t, url, "/dct/v3", 2, "qa")
	dev := dctClient(t, url, "/dct/v3", 3, "dev")
	ctx := t.Context()
	qaPod, err := qa.VDBs.FindByName(ctx, "qa-pod DB")
	require.NoError(t, err)
	shared, j, err := qa.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "shared", VDBIDs: []string{qaPod.ID}, Type: dct.BookmarkPublic})
	waitOn(t, qa)(j, err)

	pod, err := dev.VDBs.FindByName(ctx, "dev-pod DB")
	require.NoError(t, err)
	before := dataset(t, e, "dev-pod").Contents
	first, err := dev.Timeflows.OfDataset(ctx, pod.ID)
	require.NoError(t, err)
	require.Len(t, first, 1)
	assert.True(t, first[0].IsActive)
	assert.Equal(t, "INITIAL", first[0].CreationType)

	waitOn(t, dev)(dev.VDBs.RefreshFromBookmark(ctx, pod.ID, shared.ID))
	tfs, err := dev.Timeflows.OfDataset(ctx, pod.ID)
	require.NoError(t, err)
	require.Len(t, tfs, 2)
	assert.False(t, tfs[0].IsActive)
	assert.True(t, tfs[1].IsActive, "the refresh started the current timeflow")
	waitOn(t, dev)(dev.Timeflows.Rename(ctx, tfs[1].ID, "bug-1"))
	got, err := dev.Timeflows.Get(ctx, tfs[1].ID)
	require.NoError(t, err)
	assert.Equal(t, "bug-1", got.Name)
	assert.Equal(t, dataset(t, e, "qa-pod").Contents.Rows, dataset(t, e, "dev-pod").Contents.Rows)

	_, err = dev.Timeflows.Delete(ctx, tfs[1].ID)
	require.Error(t, err, "the current timeflow")
	_, err = qa.Timeflows.Get(ctx, tfs[1].ID)
	require.ErrorIs(t, err, dct.ErrNotFound, "QA does not see the developer's pod")
	_, err = qa.Timeflows.Rename(ctx, tfs[1].ID, "mine")
	require.ErrorIs(t, err, dct.ErrNotFound)

	waitOn(t, dev)(dev.VDBs.SwitchTimeflow(ctx, pod.ID, tfs[0].ID))
	assert.Equal(t, before.Rows, dataset(t, e, "dev-pod").Contents.Rows)
	waitOn(t, dev)(dev.Timeflows.Delete(ctx, tfs[1].ID))
	tfs, err = dev.Timeflows.OfDataset(ctx, pod.ID)
	require.NoError(t, err)
	assert.Len(t, tfs, 1)

	qaTfs, err := qa.Timeflows.OfDataset(ctx, qaPod.ID)
	require.NoError(t, err)
	waitOn(t, qa)(qa.VDBs.RefreshFromBookmark(ctx, qaPod.ID, shared.ID))
	_, err = qa.Timeflows.Delete(ctx, qaTfs[0].ID)
	var apiErr *dct.APIError
	require.ErrorAs(t, err, &apiErr, "the shared bookmark holds a snapshot of it")
	assert.Contains(t, apiErr.Message, `bookmark "shared" depends on it`)
}

func TestAPrivateCopyIsOwnedByItsProvisionerAndKeepsItsTags(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	qa := dctClient(t, url, "/dct/v3", 2, "qa")
	dev := dctClient(t, url, "/dct/v3", 3, "dev")
	ctx := t.Context()
	qaPod, err := qa.VDBs.FindByName(ctx, "qa-pod DB")
	require.NoError(t, err)
	shared, j, err := qa.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "shared", VDBIDs: []string{qaPod.ID}, Type: dct.BookmarkPublic})
	waitOn(t, qa)(j, err)

	id, j, err := dev.VDBs.ProvisionFromBookmark(ctx, dct.ProvisionFromBookmark{BookmarkID: shared.ID, Name: "bug-1 copy",
		AutoSelectRepository: true, Tags: []dct.Tag{{Key: "branch", Value: "bug-1"}}})
	waitOn(t, dev)(j, err)
	v, err := dev.VDBs.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []dct.Tag{{Key: "branch", Value: "bug-1"}}, v.Tags)
	assert.Equal(t, qaPod.ID, v.ParentID)
	assert.Equal(t, dataset(t, e, "qa-pod").Contents.Rows, dataset(t, e, "bug-1 copy").Contents.Rows)
	_, err = qa.VDBs.Get(ctx, id)
	require.ErrorIs(t, err, dct.ErrNotFound, "the copy is the developer's")
	_, err = qa.VDBs.Delete(ctx, id, false)
	require.ErrorIs(t, err, dct.ErrNotFound)

	no := false
	id, j, err = dev.VDBs.ProvisionFromBookmark(ctx, dct.ProvisionFromBookmark{BookmarkID: shared.ID, Name: "unowned",
		AutoSelectRepository: true, MakeCurrentAccountOwner: &no})
	waitOn(t, dev)(j, err)
	_, err = dev.VDBs.Get(ctx, id)
	require.ErrorIs(t, err, dct.ErrNotFound, "not made its owner, the developer does not see it")
}
