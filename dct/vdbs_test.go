package dct

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVDBOperationsSendTheSpecsBodies(t *testing.T) {
	c, f := setup(t)
	for _, op := range []string{"refresh_by_snapshot", "refresh_from_bookmark", "enable", "disable", "delete", "snapshots", "switch_timeflow"} {
		f.answer("POST /vdbs/{id}/"+op, http.StatusOK, jobAnswer("job-"+op))
	}
	ctx := t.Context()
	for _, tc := range []struct {
		call func() (*Job, error)
		line string
		body map[string]any
	}{
		{func() (*Job, error) { return c.VDBs.RefreshBySnapshot(ctx, "vdb-1", "snap-1") },
			"POST /vdbs/vdb-1/refresh_by_snapshot", map[string]any{"snapshot_id": "snap-1"}},
		{func() (*Job, error) { return c.VDBs.RefreshBySnapshot(ctx, "vdb-1", "") },
			"POST /vdbs/vdb-1/refresh_by_snapshot", map[string]any{}},
		{func() (*Job, error) { return c.VDBs.RefreshFromBookmark(ctx, "vdb-1", "bm-1") },
			"POST /vdbs/vdb-1/refresh_from_bookmark", map[string]any{"bookmark_id": "bm-1"}},
		{func() (*Job, error) { return c.VDBs.Enable(ctx, "vdb-1", true) },
			"POST /vdbs/vdb-1/enable", map[string]any{"attempt_start": true}},
		{func() (*Job, error) { return c.VDBs.Disable(ctx, "vdb-1", false) },
			"POST /vdbs/vdb-1/disable", map[string]any{"attempt_cleanup": false}},
		{func() (*Job, error) { return c.VDBs.Delete(ctx, "vdb-1", false) },
			"POST /vdbs/vdb-1/delete", map[string]any{"force": false}},
		{func() (*Job, error) { return c.VDBs.Snapshot(ctx, "vdb-1") },
			"POST /vdbs/vdb-1/snapshots", nil},
		{func() (*Job, error) { return c.VDBs.SwitchTimeflow(ctx, "vdb-1", "tf-2") },
			"POST /vdbs/vdb-1/switch_timeflow", map[string]any{"timeflow_id": "tf-2"}},
	} {
		j, err := tc.call()
		require.NoError(t, err, tc.line)
		assert.NotEmpty(t, j.ID)
		rs := f.reqs()
		assert.Equal(t, tc.line, rs[len(rs)-1].Line())
		assert.Equal(t, tc.body, f.lastBody(), tc.line)
	}
}

func TestMissingIdsAreRefusedBeforeAnyRequest(t *testing.T) {
	c, f := setup(t)
	_, err := c.VDBs.RefreshFromBookmark(t.Context(), "vdb-1", "")
	require.Error(t, err)
	_, err = c.VDBs.SwitchTimeflow(t.Context(), "vdb-1", "")
	require.Error(t, err)
	_, _, err = c.VDBs.ProvisionFromBookmark(t.Context(), ProvisionFromBookmark{Name: "dev"})
	require.Error(t, err)
	assert.Empty(t, f.reqs())
}

func TestLockAndUnlockReturnTheVDB(t *testing.T) {
	c, f := setup(t)
	f.on("POST /vdbs/{id}/lock", func(w http.ResponseWriter, r *http.Request) {
		v := vdb(r.PathValue("id"), "pod-1")
		v["is_locked"], v["locked_by"], v["locked_by_name"] = true, 7, "qa"
		writeJSON(w, http.StatusOK, v)
	})
	f.answer("POST /vdbs/{id}/unlock", http.StatusOK, vdb("vdb-2", "pod-1"))
	v, err := c.VDBs.Lock(t.Context(), "vdb-2")
	require.NoError(t, err)
	assert.True(t, v.IsLocked)
	assert.Equal(t, "qa", v.LockedByName)
	assert.Equal(t, map[string]any{}, f.lastBody(), "lock needs a body, even empty")
	v, err = c.VDBs.Unlock(t.Context(), "vdb-2")
	require.NoError(t, err)
	assert.False(t, v.IsLocked)
	assert.Empty(t, f.reqs()[1].Body, "unlock has no body")
}

func TestProvisionFromBookmarkReturnsTheNewVDBAndItsJob(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /vdbs/provision_from_bookmark", http.StatusOK, obj{"vdb_id": "vdb-9", "job": job("job-9", JobPending)})
	no := false
	id, j, err := c.VDBs.ProvisionFromBookmark(t.Context(), ProvisionFromBookmark{BookmarkID: "bm-1", Name: "dev-alice",
		AutoSelectRepository: true, Tags: []Tag{{"owner", "alice"}}, MakeCurrentAccountOwner: &no})
	require.NoError(t, err)
	assert.Equal(t, "vdb-9", id)
	assert.Equal(t, "job-9", j.ID)
	assert.Equal(t, map[string]any{"bookmark_id": "bm-1", "name": "dev-alice", "auto_select_repository": true,
		"tags": []any{map[string]any{"key": "owner", "value": "alice"}}, "make_current_account_owner": false}, f.lastBody())
}

func TestSetHooksSendsOnlyTheHookPointsGiven(t *testing.T) {
	c, f := setup(t)
	f.answer("PATCH /vdbs/{id}", http.StatusOK, jobAnswer("job-h"))
	_, err := c.VDBs.SetHooks(t.Context(), "vdb-1", Hooks{
		ConfigureClone: []Hook{{Name: "reset-users", Command: "reset_users.sh", Shell: "bash"}},
		PostRefresh:    []Hook{},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"hooks": map[string]any{
		"configure_clone": []any{map[string]any{"name": "reset-users", "command": "reset_users.sh", "shell": "bash"}},
		"post_refresh":    []any{},
	}}, f.lastBody())
	_, err = c.VDBs.SetHooks(t.Context(), "vdb-1", Hooks{PreRefresh: []Hook{{Name: "no command"}}})
	require.ErrorContains(t, err, "a hook needs a command")
	assert.Len(t, f.reqs(), 1)
}

func TestAVDBsHooksAreRead(t *testing.T) {
	var v VDB
	require.NoError(t, json.Unmarshal([]byte(`{"id":"vdb-1","hooks":{"configure_clone":[{"command":"x.sh","shell":"bash"}],
		"pre_rollback":[{"command":"old"}]}}`), &v))
	require.NotNil(t, v.Hooks)
	assert.Equal(t, []Hook{{Command: "x.sh", Shell: "bash"}}, v.Hooks.ConfigureClone)
	assert.Nil(t, v.Hooks.PreRefresh)
}

func TestFindAVDBByName(t *testing.T) {
	c, _, filters := searchFake(t, "/vdbs", vdb("vdb-1", "mm-master"), vdb("vdb-2", "mm-master-old"))
	v, err := c.VDBs.FindByName(t.Context(), "mm-master")
	require.NoError(t, err)
	assert.Equal(t, "vdb-1", v.ID)
	assert.Equal(t, []string{"name EQ 'mm-master'"}, *filters)
}

func TestCompatibleBookmarksOfAVDBAndAGroupFollowPages(t *testing.T) {
	c, f := setup(t)
	f.on("GET /vdbs/{id}/bookmarks", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			writeJSON(w, http.StatusOK, items("next", obj{"id": "bm-1", "name": "mine"}))
			return
		}
		writeJSON(w, http.StatusOK, items("", obj{"id": "bm-2", "name": "shared", "bookmark_type": "PUBLIC"}))
	})
	f.answer("GET /vdb-groups/{id}/bookmarks", http.StatusOK, items("", obj{"id": "bm-3", "name": "group", "vdb_group_id": "g-1"}))
	bms, err := c.VDBs.Bookmarks(t.Context(), "vdb-1")
	require.NoError(t, err)
	require.Len(t, bms, 2)
	assert.Equal(t, "shared", bms[1].Name)
	bms, err = c.VDBGroups.Bookmarks(t.Context(), "g-1")
	require.NoError(t, err)
	require.Len(t, bms, 1)
	assert.Equal(t, "g-1", bms[0].VDBGroupID)
	assert.Equal(t, []string{"GET /vdbs/vdb-1/bookmarks", "GET /vdbs/vdb-1/bookmarks", "GET /vdb-groups/g-1/bookmarks"}, f.lines())
}

func TestAVDBsConnectionDetailsAreRead(t *testing.T) {
	var v VDB
	require.NoError(t, json.Unmarshal([]byte(`{"id":"vdb-1","database_name":"pod1","database_type":"postgres",
		"database_version":"15.4","fqdn":"db1.example.com","ip_address":"10.0.0.5","instance_name":"i1",
		"jdbc_connection_string":"jdbc:postgresql://db1.example.com:5434/pod1","mount_point":"/mnt/provision/pod1"}`), &v))
	assert.Equal(t, VDB{ID: "vdb-1", DatabaseName: "pod1", DatabaseType: "postgres", DatabaseVersion: "15.4", FQDN: "db1.example.com",
		IPAddress: "10.0.0.5", InstanceName: "i1", JDBCConnectionString: "jdbc:postgresql://db1.example.com:5434/pod1",
		MountPoint: "/mnt/provision/pod1"}, v)
}

func TestProvisionBySnapshotSendsTheSnapshotAndReturnsTheNewVDB(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /vdbs/provision_by_snapshot", http.StatusOK, obj{"vdb_id": "vdb-8", "job": job("job-8", JobPending)})
	id, j, err := c.VDBs.ProvisionBySnapshot(t.Context(), ProvisionBySnapshot{SnapshotID: "snap-1", Name: "prep7", AutoSelectRepository: true})
	require.NoError(t, err)
	assert.Equal(t, "vdb-8", id)
	assert.Equal(t, "job-8", j.ID)
	assert.Equal(t, map[string]any{"snapshot_id": "snap-1", "name": "prep7", "auto_select_repository": true}, f.lastBody())
	_, _, err = c.VDBs.ProvisionBySnapshot(t.Context(), ProvisionBySnapshot{Name: "nothing to provision from"})
	require.Error(t, err)
	assert.Len(t, f.reqs(), 1)
}
