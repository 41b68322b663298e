package dct

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func group(id, name string) obj {
	return obj{"id": id, "name": name, "vdb_ids": []string{"vdb-a", "vdb-b"}, "is_locked": false}
}

func TestVDBGroupRefreshes(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /vdb-groups/{id}/refresh_from_bookmark", http.StatusOK, jobAnswer("job-1"))
	f.answer("POST /vdb-groups/{id}/refresh_by_snapshot", http.StatusOK, jobAnswer("job-2"))
	_, err := c.VDBGroups.RefreshFromBookmark(t.Context(), "g-1", "bm-1")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"bookmark_id": "bm-1"}, f.lastBody())
	_, err = c.VDBGroups.RefreshBySnapshot(t.Context(), "g-1", []VDBSnapshot{{"vdb-a", "snap-a"}, {"vdb-b", "snap-b"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"vdb_snapshot_mappings": []any{
		map[string]any{"vdb_id": "vdb-a", "snapshot_id": "snap-a"}, map[string]any{"vdb_id": "vdb-b", "snapshot_id": "snap-b"}}}, f.lastBody())
	_, err = c.VDBGroups.RefreshBySnapshot(t.Context(), "g-1", nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{}, f.lastBody(), "no mappings: every VDB to its parent's latest")
	_, err = c.VDBGroups.RefreshFromBookmark(t.Context(), "g-1", "")
	require.Error(t, err)
	assert.Len(t, f.reqs(), 3)
}

func TestVDBGroupLockUnlockEnableDisable(t *testing.T) {
	c, f := setup(t)
	f.on("POST /vdb-groups/{id}/lock", func(w http.ResponseWriter, r *http.Request) {
		g := group(r.PathValue("id"), "pod-1")
		g["is_locked"], g["locked_by_name"] = true, "dev"
		writeJSON(w, http.StatusOK, g)
	})
	f.answer("POST /vdb-groups/{id}/unlock", http.StatusOK, group("g-1", "pod-1"))
	f.answer("POST /vdb-groups/{id}/enable", http.StatusOK, jobAnswer("job-e"))
	f.answer("POST /vdb-groups/{id}/disable", http.StatusOK, jobAnswer("job-d"))
	g, err := c.VDBGroups.Lock(t.Context(), "g-1")
	require.NoError(t, err)
	assert.True(t, g.IsLocked)
	g, err = c.VDBGroups.Unlock(t.Context(), "g-1")
	require.NoError(t, err)
	assert.False(t, g.IsLocked)
	j, err := c.VDBGroups.Enable(t.Context(), "g-1")
	require.NoError(t, err)
	assert.Equal(t, "job-e", j.ID)
	j, err = c.VDBGroups.Disable(t.Context(), "g-1")
	require.NoError(t, err)
	assert.Equal(t, "job-d", j.ID)
	assert.Equal(t, []string{"POST /vdb-groups/g-1/lock", "POST /vdb-groups/g-1/unlock", "POST /vdb-groups/g-1/enable",
		"POST /vdb-groups/g-1/disable"}, f.lines())
}

func TestFindAndGetAVDBGroup(t *testing.T) {
	c, f, _ := searchFake(t, "/vdb-groups", group("g-1", "pod-1"), group("g-2", "pod-10"))
	f.answer("GET /vdb-groups/{id}", http.StatusOK, group("g-1", "pod-1"))
	g, err := c.VDBGroups.FindByName(t.Context(), "pod-1")
	require.NoError(t, err)
	assert.Equal(t, []string{"vdb-a", "vdb-b"}, g.VDBIDs)
	g, err = c.VDBGroups.Get(t.Context(), "g-1")
	require.NoError(t, err)
	assert.Equal(t, "pod-1", g.Name)
}

func TestTheGroupsHoldingAVDBAreSearchedByItsID(t *testing.T) {
	other := group("g-2", "pod-2")
	other["vdb_ids"] = []string{"vdb-c"}
	c, f, filters := searchFake(t, "/vdb-groups", group("g-1", "Patients"), other)
	gs, err := c.VDBGroups.Holding(t.Context(), "vdb-a")
	require.NoError(t, err)
	require.Len(t, gs, 1, "the answer is matched exactly too")
	assert.Equal(t, "Patients", gs[0].Name)
	assert.Equal(t, []string{"vdb_ids CONTAINS 'vdb-a'"}, *filters)
	_, err = c.VDBGroups.Holding(t.Context(), "")
	require.Error(t, err)
	assert.Len(t, f.reqs(), 1)
}
