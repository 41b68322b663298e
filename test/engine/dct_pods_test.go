package engine

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPodIsAVDBGroupThatTheEngineAPISeesLockedAndRefreshed drives QA's pod as a VDB group:
// lock it (another account's operation on it is refused), refresh it from the master's
// PUBLIC bookmark, bookmark the group, unlock; the engine API shows the same container.
func TestAPodIsAVDBGroupThatTheEngineAPISeesLockedAndRefreshed(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	admin := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	qa := dctClient(t, url, "/dct/v3", 2, "qa")
	ctx := t.Context()
	require.NoError(t, e.ChangeProd("Patients Prod"))
	master, err := admin.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	prod, err := admin.DSources.FindByName(ctx, "Patients Prod")
	require.NoError(t, err)
	waitOn(t, admin)(admin.DSources.Snapshot(ctx, prod.ID, dct.DSourceSnapshotParameters{}))
	waitOn(t, admin)(admin.VDBs.RefreshBySnapshot(ctx, master.ID, ""))
	bm, j, err := admin.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "master", VDBIDs: []string{master.ID}, Type: dct.BookmarkPublic})
	waitOn(t, admin)(j, err)

	g, err := qa.VDBGroups.FindByName(ctx, "qa-pod")
	require.NoError(t, err)
	_, err = admin.VDBGroups.FindByName(ctx, "dev-pod")
	require.NoError(t, err, "the admin sees every pod")
	_, err = qa.VDBGroups.FindByName(ctx, "dev-pod")
	require.ErrorIs(t, err, dct.ErrNotFound, "QA sees only its pods")
	g, err = qa.VDBGroups.Lock(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(2), g.LockedBy)
	classic := login(t, e, "delphix_admin", "1.11.9")
	assert.Equal(t, "qa", classic.get(classic.js + "/container/" + g.ID)["lockUserName"])

	_, err = admin.VDBs.RefreshFromBookmark(ctx, g.VDBIDs[0], bm.ID)
	require.ErrorIs(t, err, dct.ErrConflict, "the pod is locked by QA")
	done := waitOn(t, qa)(qa.VDBGroups.RefreshFromBookmark(ctx, g.ID, bm.ID))
	job := classic.get("/job/" + done.ID)
	assert.Equal(t, "DB_REFRESH", job["actionType"], "the DCT job is an engine job")
	assert.Equal(t, "COMPLETED", job["jobState"])
	pod, _ := e.Dataset("qa-pod")
	assert.Equal(t, 2, pod.Contents.DataVersion)

	gb, j, err := qa.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "qa-pod build", VDBGroupID: g.ID, Tags: []dct.Tag{{Key: "build", Value: "8"}}})
	waitOn(t, qa)(j, err)
	found, err := qa.Bookmarks.Find(ctx, dct.BookmarkQuery{VDBGroupID: g.ID})
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, gb.ID, found[0].ID)
	assert.Equal(t, []dct.Tag{{Key: "build", Value: "8"}}, found[0].Tags)
	bms := classic.list(classic.js + "/bookmark?container=" + g.ID)
	require.Len(t, bms, 1, "the engine API lists the group's bookmark on the container")
	assert.Equal(t, "qa-pod build", bms[0]["name"])

	_, err = qa.VDBGroups.Unlock(ctx, g.ID)
	require.NoError(t, err)
	assert.Nil(t, classic.get(classic.js + "/container/" + g.ID)["lockUserName"])
	dj, err := qa.Bookmarks.Delete(ctx, gb.ID)
	require.NoError(t, err)
	assert.Nil(t, dj, "DCT 3.18 deletes a bookmark at once (204)")
	assert.Empty(t, classic.list(classic.js+"/bookmark?container="+g.ID))
}

func TestDisablingAPodVDBTakesItsContainerOffline(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	ctx := t.Context()
	v, err := c.VDBs.FindByName(ctx, "prep6 DB")
	require.NoError(t, err)
	waitOn(t, c)(c.VDBs.Disable(ctx, v.ID, true))
	v, err = c.VDBs.Get(ctx, v.ID)
	require.NoError(t, err)
	assert.False(t, v.Enabled)
	classic := login(t, e, "delphix_admin", "1.11.9")
	var ref string
	for _, jc := range classic.list(classic.js + "/container") {
		if jc["name"] == "prep6" {
			ref = jc["reference"].(string)
			assert.Equal(t, "OFFLINE", jc["state"])
		}
	}
	require.NotEmpty(t, ref)
	waitOn(t, c)(c.VDBs.Enable(ctx, v.ID, true))
	assert.Equal(t, "ONLINE", classic.get(classic.js + "/container/" + ref)["state"])
}

func TestAFailedEngineJobIsAFailedDCTJobWithItsError(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	ctx := t.Context()
	v, err := c.VDBs.FindByName(ctx, "prep1 DB")
	require.NoError(t, err)
	e.FailNextJob(JobFault{Target: v.ID, ActionType: "DB_REFRESH", Message: "The target host is unreachable."})
	j, err := c.VDBs.RefreshBySnapshot(ctx, v.ID, "")
	require.NoError(t, err)
	_, err = c.Jobs.Wait(ctx, j.ID, nil)
	var je *dct.JobError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, dct.JobFailed, je.Job.Status)
	assert.Equal(t, "The target host is unreachable.", je.Job.ErrorDetails)
	require.Len(t, je.Job.Tasks, 1)
	assert.Equal(t, dct.JobFailed, je.Job.Tasks[0].Status)
}

func TestALostAnswerToARefreshStillStartedTheJob(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	ctx := t.Context()
	v, err := c.VDBs.FindByName(ctx, "prep2 DB")
	require.NoError(t, err)
	e.InjectHTTPError(HTTPFault{Method: "POST", PathSuffix: "/refresh_by_snapshot", Status: http.StatusBadGateway, AfterProcessing: true})
	_, err = c.VDBs.RefreshBySnapshot(ctx, v.ID, "")
	var ue *dct.UnreachableError
	require.True(t, errors.As(err, &ue), "%v", err)
	assert.True(t, ue.MayHaveStarted)
	classic := login(t, e, "delphix_admin", "1.11.9")
	assert.Len(t, classic.list("/job?target="+v.ID+"&jobType=DB_REFRESH"), 1, "the engine ran the refresh once")
}

// TestRestoringAPodToItsOwnBookmarkRunsTheSelfRefreshHooks: a self-refresh runs
// pre_self_refresh and post_self_refresh, not configure_clone.
func TestRestoringAPodToItsOwnBookmarkRunsTheSelfRefreshHooks(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 3, "dev")
	ctx := t.Context()
	ran := filepath.Join(t.TempDir(), "ran")
	hook := func(name string) []dct.Hook {
		return []dct.Hook{{Name: name, Command: "echo " + name + " >> '" + ran + "'"}}
	}
	v, err := c.VDBs.FindByName(ctx, "dev-pod DB")
	require.NoError(t, err)
	waitOn(t, c)(c.VDBs.SetHooks(ctx, v.ID, dct.Hooks{ConfigureClone: hook("clone"), PreSelfRefresh: hook("pre-self"),
		PostSelfRefresh: hook("post-self")}))
	bm, j, err := c.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "before", VDBIDs: []string{v.ID}})
	waitOn(t, c)(j, err)
	_, err = e.ChangeDataset("dev-pod", func(c *Contents) error { c.Rows = c.Rows[:10]; return nil })
	require.NoError(t, err)
	waitOn(t, c)(c.VDBs.RefreshFromBookmark(ctx, v.ID, bm.ID))
	out, err := os.ReadFile(ran)
	require.NoError(t, err)
	assert.Equal(t, "pre-self\npost-self\n", string(out))
	d, _ := e.Dataset("dev-pod")
	assert.Len(t, d.Contents.Rows, 200, "restored to the bookmark")
}

func TestAFailedProvisionLeavesNoVDB(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	ctx := t.Context()
	master, err := c.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	bm, j, err := c.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "m", VDBIDs: []string{master.ID}})
	waitOn(t, c)(j, err)
	e.FailNextJob(JobFault{ActionType: "DB_PROVISION"})
	id, j, err := c.VDBs.ProvisionFromBookmark(ctx, dct.ProvisionFromBookmark{BookmarkID: bm.ID, Name: "doomed"})
	require.NoError(t, err)
	_, err = c.Jobs.Wait(ctx, j.ID, nil)
	require.Error(t, err)
	_, err = c.VDBs.Get(ctx, id)
	require.ErrorIs(t, err, dct.ErrNotFound)
	_, ok := e.Dataset("doomed")
	assert.False(t, ok)
}

// TestAGroupRefreshesEnablesAndSwitchesBackToItsEarlierTimeflow: the group's refresh by
// snapshot (latest, or the mapped one), disable and enable, then switching the VDB back to
// the timeflow before the refresh restores the data it held.
func TestAGroupRefreshesEnablesAndSwitchesBackToItsEarlierTimeflow(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	ctx := t.Context()
	g, err := c.VDBGroups.FindByName(ctx, "prep3")
	require.NoError(t, err)
	before, err := c.VDBs.Get(ctx, g.VDBIDs[0])
	require.NoError(t, err)
	master, err := c.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)

	_, err = e.ChangeDataset("Patients Masked Master", func(c *Contents) error { c.Rows = c.Rows[:50]; return nil })
	require.NoError(t, err)
	waitOn(t, c)(c.VDBs.Snapshot(ctx, master.ID))
	snap, err := c.Snapshots.Latest(ctx, master.ID)
	require.NoError(t, err)
	_, err = c.VDBGroups.RefreshBySnapshot(ctx, g.ID, []dct.VDBSnapshot{{VDBID: "other", SnapshotID: snap.ID}})
	require.Error(t, err, "a mapping names a VDB of the group")
	waitOn(t, c)(c.VDBGroups.RefreshBySnapshot(ctx, g.ID, []dct.VDBSnapshot{{VDBID: g.VDBIDs[0], SnapshotID: snap.ID}}))
	p, _ := e.Dataset("prep3")
	assert.Len(t, p.Contents.Rows, 50)

	waitOn(t, c)(c.VDBGroups.Disable(ctx, g.ID))
	g, err = c.VDBGroups.Get(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, "DISABLED", g.Status)
	waitOn(t, c)(c.VDBGroups.Enable(ctx, g.ID))

	waitOn(t, c)(c.VDBs.SwitchTimeflow(ctx, g.VDBIDs[0], before.CurrentTimeflowID))
	p, _ = e.Dataset("prep3")
	assert.Len(t, p.Contents.Rows, 200, "back on the timeflow before the refresh")
	v, err := c.VDBs.Get(ctx, g.VDBIDs[0])
	require.NoError(t, err)
	assert.Equal(t, before.CurrentTimeflowID, v.CurrentTimeflowID)
}

// TestATemplateIsAVDBGroupOfItsMasterWhoseBookmarksAreTheTemplates: DCT has no template, so
// the template shows as a VDB group (the admins') of its parent VDB; a bookmark on that group
// is the template's bookmark in the engine API.
func TestATemplateIsAVDBGroupOfItsMasterWhoseBookmarksAreTheTemplates(t *testing.T) {
	e := start(t, Options{})
	url := dctServer(t, e, "/dct/v3")
	admin := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	dev := dctClient(t, url, "/dct/v3", 3, "dev")
	ctx := t.Context()
	master, err := admin.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	g, err := admin.VDBGroups.FindByName(ctx, "Patients")
	require.NoError(t, err)
	assert.Equal(t, []string{master.ID}, g.VDBIDs)
	_, err = dev.VDBGroups.FindByName(ctx, "Patients")
	require.ErrorIs(t, err, dct.ErrNotFound, "a template's group is the admins'")

	bm, j, err := admin.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "full", VDBGroupID: g.ID, Type: dct.BookmarkPublic})
	waitOn(t, admin)(j, err)
	assert.Equal(t, g.ID, bm.VDBGroupID)
	classic := login(t, e, "delphix_admin", "1.11.9")
	got := classic.get(classic.js + "/bookmark/" + bm.ID)
	assert.Equal(t, g.ID, got["template"], "the engine API shows it as the template's bookmark")
	assert.Nil(t, got["container"])
}
