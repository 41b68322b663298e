package dct

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVDBOperationsSendTheSpecsBodies(t *testing.T) {
	c, l := setup(t)
	ctx := t.Context()
	master, pod := l.vdb("Patients Masked Master"), l.vdb("prep1 DB")
	snap, err := c.Snapshots.Latest(ctx, master.ID)
	require.NoError(t, err)
	bm := bookmarkOn(t, c, master.ID, "masked build 7", BookmarkPublic)
	copyID, j, err := c.VDBs.ProvisionBySnapshot(ctx, ProvisionBySnapshot{SnapshotID: snap.ID, Name: "private copy"})
	done(t, c)(j, err)
	first := pod.CurrentTimeflowID
	l.forget()
	for _, tc := range []struct {
		call func() (*Job, error)
		line string
		body map[string]any
	}{
		{func() (*Job, error) { return c.VDBs.RefreshBySnapshot(ctx, pod.ID, snap.ID) },
			"POST /vdbs/" + pod.ID + "/refresh_by_snapshot", map[string]any{"snapshot_id": snap.ID}},
		{func() (*Job, error) { return c.VDBs.RefreshBySnapshot(ctx, pod.ID, "") },
			"POST /vdbs/" + pod.ID + "/refresh_by_snapshot", map[string]any{}},
		{func() (*Job, error) { return c.VDBs.RefreshFromBookmark(ctx, pod.ID, bm.ID) },
			"POST /vdbs/" + pod.ID + "/refresh_from_bookmark", map[string]any{"bookmark_id": bm.ID}},
		{func() (*Job, error) { return c.VDBs.Enable(ctx, pod.ID, true) },
			"POST /vdbs/" + pod.ID + "/enable", map[string]any{"attempt_start": true}},
		{func() (*Job, error) { return c.VDBs.Disable(ctx, pod.ID, false) },
			"POST /vdbs/" + pod.ID + "/disable", map[string]any{"attempt_cleanup": false}},
		{func() (*Job, error) { return c.VDBs.Delete(ctx, copyID, false) },
			"POST /vdbs/" + copyID + "/delete", map[string]any{"force": false}},
		{func() (*Job, error) { return c.VDBs.Snapshot(ctx, pod.ID) },
			"POST /vdbs/" + pod.ID + "/snapshots", nil},
		{func() (*Job, error) { return c.VDBs.SwitchTimeflow(ctx, pod.ID, first) },
			"POST /vdbs/" + pod.ID + "/switch_timeflow", map[string]any{"timeflow_id": first}},
	} {
		j, err := tc.call()
		require.NoError(t, err, tc.line)
		rs := l.reqs()
		assert.Equal(t, tc.line, rs[len(rs)-1].Line())
		assert.Equal(t, tc.body, l.lastBody(), tc.line)
		end := done(t, c)(j, err)
		assert.Equal(t, JobCompleted, end.Status, tc.line)
	}
	_, err = c.VDBs.Get(ctx, copyID)
	require.ErrorIs(t, err, ErrNotFound, "the copy is deleted")
	pod, err = c.VDBs.Get(ctx, pod.ID)
	require.NoError(t, err)
	assert.Equal(t, first, pod.CurrentTimeflowID, "switched back to its first timeflow")
	assert.False(t, pod.Enabled, "disabled last")
}

func TestMissingIdsAreRefusedBeforeAnyRequest(t *testing.T) {
	c, l := setup(t)
	_, err := c.VDBs.RefreshFromBookmark(t.Context(), "vdb-1", "")
	require.Error(t, err)
	_, err = c.VDBs.SwitchTimeflow(t.Context(), "vdb-1", "")
	require.Error(t, err)
	_, _, err = c.VDBs.ProvisionFromBookmark(t.Context(), ProvisionFromBookmark{Name: "dev"})
	require.Error(t, err)
	assert.Empty(t, l.reqs())
}

func TestLockAndUnlockReturnTheVDB(t *testing.T) {
	l := newLocal(t, DefaultBasePath)
	qa := l.clientOf(2, "qa")
	pod, err := qa.VDBs.FindByName(t.Context(), "qa-pod DB")
	require.NoError(t, err)
	l.forget()
	v, err := qa.VDBs.Lock(t.Context(), pod.ID)
	require.NoError(t, err)
	assert.True(t, v.IsLocked)
	assert.Equal(t, "qa", v.LockedByName)
	assert.Equal(t, map[string]any{}, l.lastBody(), "lock needs a body, even empty")
	v, err = qa.VDBs.Unlock(t.Context(), pod.ID)
	require.NoError(t, err)
	assert.False(t, v.IsLocked)
	assert.Empty(t, l.reqs()[1].Body, "unlock has no body")
}

func TestProvisionFromBookmarkReturnsTheNewVDBAndItsJob(t *testing.T) {
	c, l := setup(t)
	bm := bookmarkOn(t, c, l.vdb("Patients Masked Master").ID, "masked build 7", BookmarkPublic)
	l.forget()
	no := false
	id, j, err := c.VDBs.ProvisionFromBookmark(t.Context(), ProvisionFromBookmark{BookmarkID: bm.ID, Name: "dev-alice",
		AutoSelectRepository: true, Tags: []Tag{{"owner", "alice"}}, MakeCurrentAccountOwner: &no})
	require.NoError(t, err)
	assert.NotEmpty(t, id)
	assert.Equal(t, map[string]any{"bookmark_id": bm.ID, "name": "dev-alice", "auto_select_repository": true,
		"tags": []any{map[string]any{"key": "owner", "value": "alice"}}, "make_current_account_owner": false}, l.lastBody())
	done(t, c)(j, err)
	v, err := c.VDBs.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, "dev-alice", v.Name)
	assert.Equal(t, []Tag{{"owner", "alice"}}, v.Tags)
	_, ok := l.e.Dataset("dev-alice")
	assert.True(t, ok, "the engine holds the new VDB")
}

func TestSetHooksSendsOnlyTheHookPointsGiven(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	l.forget()
	j, err := c.VDBs.SetHooks(t.Context(), pod.ID, Hooks{
		ConfigureClone: []Hook{{Name: "reset-users", Command: "reset_users.sh", Shell: "bash"}},
		PostRefresh:    []Hook{},
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"hooks": map[string]any{
		"configure_clone": []any{map[string]any{"name": "reset-users", "command": "reset_users.sh", "shell": "bash"}},
		"post_refresh":    []any{},
	}}, l.lastBody())
	done(t, c)(j, err)
	v, err := c.VDBs.Get(t.Context(), pod.ID)
	require.NoError(t, err)
	require.NotNil(t, v.Hooks)
	require.Len(t, v.Hooks.ConfigureClone, 1)
	assert.Equal(t, "reset_users.sh", v.Hooks.ConfigureClone[0].Command)
	assert.Empty(t, v.Hooks.PostRefresh)

	l.forget()
	_, err = c.VDBs.SetHooks(t.Context(), pod.ID, Hooks{PreRefresh: []Hook{{Name: "no command"}}})
	require.ErrorContains(t, err, "a hook needs a command")
	assert.Empty(t, l.reqs())
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
	c, l := setup(t)
	v, err := c.VDBs.FindByName(t.Context(), "prep1 DB")
	require.NoError(t, err)
	assert.Equal(t, "prep1 DB", v.Name)
	assert.Equal(t, []string{"name EQ 'prep1 DB'"}, searchFilters(t, l.recorder))
	assert.Equal(t, "prep1", v.DatabaseName)
}

func TestCompatibleBookmarksOfAVDBAndAGroupFollowPages(t *testing.T) {
	c, l := setup(t)
	g := l.group("prep1")
	shared := bookmarkOn(t, c, l.vdb("Patients Masked Master").ID, "shared", BookmarkPublic)
	b, j, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "group", VDBGroupID: g.ID})
	done(t, c)(j, err)
	smallPages(t, 1)
	l.forget()
	bms, err := c.VDBs.Bookmarks(t.Context(), g.VDBIDs[0])
	require.NoError(t, err)
	require.Len(t, bms, 2)
	assert.ElementsMatch(t, []string{shared.ID, b.ID}, []string{bms[0].ID, bms[1].ID})
	bms, err = c.VDBGroups.Bookmarks(t.Context(), g.ID)
	require.NoError(t, err)
	require.Len(t, bms, 2)
	for _, bm := range bms {
		if bm.ID == b.ID {
			assert.Equal(t, g.ID, bm.VDBGroupID)
		}
	}
	p := "GET /vdbs/" + g.VDBIDs[0] + "/bookmarks"
	q := "GET /vdb-groups/" + g.ID + "/bookmarks"
	assert.Equal(t, []string{p, p, q, q}, l.lines(), "two pages each")
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
	c, l := setup(t)
	snap, err := c.Snapshots.Latest(t.Context(), l.vdb("Patients Masked Master").ID)
	require.NoError(t, err)
	l.forget()
	id, j, err := c.VDBs.ProvisionBySnapshot(t.Context(), ProvisionBySnapshot{SnapshotID: snap.ID, Name: "prep7", AutoSelectRepository: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"snapshot_id": snap.ID, "name": "prep7", "auto_select_repository": true}, l.lastBody())
	done(t, c)(j, err)
	v, err := c.VDBs.Get(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, "prep7", v.Name)
	l.forget()
	_, _, err = c.VDBs.ProvisionBySnapshot(t.Context(), ProvisionBySnapshot{Name: "nothing to provision from"})
	require.Error(t, err)
	assert.Empty(t, l.reqs())
}
