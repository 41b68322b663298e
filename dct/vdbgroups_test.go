package dct

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVDBGroupRefreshes(t *testing.T) {
	c, l := setup(t)
	ctx := t.Context()
	g := l.group("prep1")
	master := l.vdb("Patients Masked Master")
	bm := bookmarkOn(t, c, master.ID, "masked build 7", BookmarkPublic)
	snap, err := c.Snapshots.Latest(ctx, master.ID)
	require.NoError(t, err)
	l.forget()
	j, err := c.VDBGroups.RefreshFromBookmark(ctx, g.ID, bm.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"bookmark_id": bm.ID}, l.lastBody())
	done(t, c)(j, err)
	got, err := c.VDBGroups.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, bm.ID, got.LastSuccessfulRefreshToBookmarkID)

	j, err = c.VDBGroups.RefreshBySnapshot(ctx, g.ID, []VDBSnapshot{{g.VDBIDs[0], snap.ID}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"vdb_snapshot_mappings": []any{
		map[string]any{"vdb_id": g.VDBIDs[0], "snapshot_id": snap.ID}}}, l.lastBody())
	done(t, c)(j, err)
	j, err = c.VDBGroups.RefreshBySnapshot(ctx, g.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{}, l.lastBody(), "no mappings: every VDB to its parent's latest")
	done(t, c)(j, err)
	pod, err := c.VDBs.Get(ctx, g.VDBIDs[0])
	require.NoError(t, err)
	assert.NotEmpty(t, pod.LastRefreshedDate)

	l.forget()
	_, err = c.VDBGroups.RefreshFromBookmark(ctx, g.ID, "")
	require.Error(t, err)
	assert.Empty(t, l.reqs())
}

func TestVDBGroupLockUnlockEnableDisable(t *testing.T) {
	l := newLocal(t, DefaultBasePath)
	dev := l.clientOf(3, "dev")
	g, err := dev.VDBGroups.FindByName(t.Context(), "dev-pod")
	require.NoError(t, err)
	l.forget()
	g, err = dev.VDBGroups.Lock(t.Context(), g.ID)
	require.NoError(t, err)
	assert.True(t, g.IsLocked)
	assert.Equal(t, "dev", g.LockedByName)
	g, err = dev.VDBGroups.Unlock(t.Context(), g.ID)
	require.NoError(t, err)
	assert.False(t, g.IsLocked)
	done(t, dev)(dev.VDBGroups.Disable(t.Context(), g.ID))
	v, err := dev.VDBs.Get(t.Context(), g.VDBIDs[0])
	require.NoError(t, err)
	assert.False(t, v.Enabled)
	done(t, dev)(dev.VDBGroups.Enable(t.Context(), g.ID))
	v, err = dev.VDBs.Get(t.Context(), g.VDBIDs[0])
	require.NoError(t, err)
	assert.True(t, v.Enabled)
	var ops []string
	for _, line := range l.lines() {
		if strings.HasPrefix(line, "POST /vdb-groups/") {
			ops = append(ops, line)
		}
	}
	assert.Equal(t, []string{"POST /vdb-groups/" + g.ID + "/lock", "POST /vdb-groups/" + g.ID + "/unlock",
		"POST /vdb-groups/" + g.ID + "/disable", "POST /vdb-groups/" + g.ID + "/enable"}, ops)
}

func TestFindAndGetAVDBGroup(t *testing.T) {
	c, l := setup(t)
	g, err := c.VDBGroups.FindByName(t.Context(), "prep1")
	require.NoError(t, err)
	pod := l.vdb("prep1 DB")
	assert.Equal(t, []string{pod.ID}, g.VDBIDs)
	got, err := c.VDBGroups.Get(t.Context(), g.ID)
	require.NoError(t, err)
	assert.Equal(t, "prep1", got.Name)
}

func TestTheGroupsHoldingAVDBAreSearchedByItsID(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	l.forget()
	gs, err := c.VDBGroups.Holding(t.Context(), pod.ID)
	require.NoError(t, err)
	require.Len(t, gs, 1, "the answer is matched exactly too")
	assert.Equal(t, "prep1", gs[0].Name)
	assert.Equal(t, []string{"vdb_ids CONTAINS '" + pod.ID + "'"}, searchFilters(t, l.recorder))
	_, err = c.VDBGroups.Holding(t.Context(), "")
	require.Error(t, err)
	assert.Len(t, l.reqs(), 1)
}
