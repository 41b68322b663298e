package dctapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheWorkshopPipelineRunsOnTheEnginesDCTAPI runs the pipeline through the dct client:
// snapshot prod, refresh the master from that snapshot, mask it with its compliance job,
// bookmark it PUBLIC, refresh a pod from the bookmark and bookmark the pod; QA and the
// developer see what their accounts may see. The engine API and the catalog see the same.
func TestTheWorkshopPipelineRunsOnTheEnginesDCTAPI(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	admin := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	qa := dctClient(t, url, "/dct/v3", 2, "qa")
	dev := dctClient(t, url, "/dct/v3", 3, "dev")
	ctx := t.Context()

	require.NoError(t, e.ChangeProd("Patients Prod"))
	prod, err := admin.DSources.FindByName(ctx, "Patients Prod")
	require.NoError(t, err)
	waitOn(t, admin)(admin.DSources.Snapshot(ctx, prod.ID, dct.DSourceSnapshotParameters{}))
	snap, err := admin.Snapshots.Latest(ctx, prod.ID)
	require.NoError(t, err)

	master, err := admin.VDBs.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	waitOn(t, admin)(admin.VDBs.RefreshBySnapshot(ctx, master.ID, snap.ID))
	m, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, 2, m.Contents.DataVersion, "the master holds the new snapshot")
	assert.False(t, m.Contents.Masked, "a DCT refresh does not mask")

	mask, err := admin.ComplianceJobs.FindByName(ctx, "Patients masking")
	require.NoError(t, err)
	done := waitOn(t, admin)(admin.ComplianceJobs.Execute(ctx, mask.ID))
	assert.NotEmpty(t, done.ExecutionID)
	master, err = admin.VDBs.Get(ctx, master.ID)
	require.NoError(t, err)
	assert.True(t, master.Masked)
	mask, err = admin.ComplianceJobs.Get(ctx, mask.ID)
	require.NoError(t, err)
	assert.Equal(t, "SUCCEEDED", mask.LastExecutionStatus)

	expires := time.Now().AddDate(0, 0, 7)
	bm, j, err := admin.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "masked build 7", VDBIDs: []string{master.ID},
		Type: dct.BookmarkPublic, Expiration: expires, Tags: []dct.Tag{{Key: "build", Value: "7"}}})
	waitOn(t, admin)(j, err)

	pod, err := admin.VDBs.FindByName(ctx, "prep1 DB")
	require.NoError(t, err)
	_, err = admin.VDBs.Lock(ctx, pod.ID)
	require.NoError(t, err)
	_, err = qa.VDBs.Get(ctx, pod.ID)
	require.ErrorIs(t, err, dct.ErrNotFound, "QA does not see the admin's pods")
	waitOn(t, admin)(admin.VDBs.RefreshFromBookmark(ctx, pod.ID, bm.ID))
	podBM, j, err := admin.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "prep1 build 7", VDBIDs: []string{pod.ID},
		Type: dct.BookmarkPrivate, Tags: []dct.Tag{{Key: "build", Value: "7"}}})
	waitOn(t, admin)(j, err)
	pod, err = admin.VDBs.Unlock(ctx, pod.ID)
	require.NoError(t, err)
	assert.False(t, pod.IsLocked)

	p1, _ := e.Dataset("prep1")
	assert.Equal(t, 2, p1.Contents.DataVersion)
	assert.True(t, p1.Contents.Masked, "the pod holds the masked build")
	cat := map[string]engine.CatalogEntry{}
	for _, c := range e.Catalog() {
		cat[c.Bookmark] = c
	}
	assert.Equal(t, "template", cat["masked build 7"].Kind, "the master's bookmark is the template's")
	assert.True(t, cat["masked build 7"].Shared)
	assert.Equal(t, []string{"build=7"}, cat["masked build 7"].Tags)
	assert.Equal(t, "prep1", cat["prep1 build 7"].On)
	assert.True(t, cat["prep1 build 7"].Masked)

	// QA sees the PUBLIC bookmark of its lineage, not the admin's PRIVATE one.
	seen, err := qa.Bookmarks.Find(ctx, dct.BookmarkQuery{Name: "masked build 7"})
	require.NoError(t, err)
	require.Len(t, seen, 1)
	assert.Equal(t, time.Now().AddDate(0, 0, 7).Format(time.DateOnly), seen[0].Expiration)
	_, err = qa.Bookmarks.Get(ctx, podBM.ID)
	require.ErrorIs(t, err, dct.ErrNotFound)
	qaPod, err := qa.VDBs.FindByName(ctx, "qa-pod DB")
	require.NoError(t, err)
	waitOn(t, qa)(qa.VDBs.RefreshFromBookmark(ctx, qaPod.ID, bm.ID))
	qp, _ := e.Dataset("qa-pod")
	assert.Equal(t, 2, qp.Contents.DataVersion)

	// QA's PRIVATE bookmark is QA's; made PUBLIC, the developer sees it and branches from it.
	qaBM, j, err := qa.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "qa finding", VDBIDs: []string{qaPod.ID}})
	waitOn(t, qa)(j, err)
	_, err = dev.Bookmarks.Get(ctx, qaBM.ID)
	require.ErrorIs(t, err, dct.ErrNotFound, "PRIVATE: the developer does not see it")
	waitOn(t, qa)(qa.Bookmarks.Update(ctx, qaBM.ID, dct.BookmarkUpdate{Type: dct.BookmarkPublic}))
	got, err := dev.Bookmarks.Get(ctx, qaBM.ID)
	require.NoError(t, err)
	assert.Equal(t, dct.BookmarkPublic, got.BookmarkType)
	copyID, j, err := dev.VDBs.ProvisionFromBookmark(ctx, dct.ProvisionFromBookmark{BookmarkID: qaBM.ID, Name: "dev copy"})
	waitOn(t, dev)(j, err)
	cp, ok := e.Dataset("dev copy")
	require.True(t, ok)
	assert.Equal(t, 2, cp.Contents.DataVersion)
	_, err = qa.VDBs.Get(ctx, copyID)
	require.ErrorIs(t, err, dct.ErrNotFound, "the copy is the developer's")
	copyBM, j, err := dev.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "dev work", VDBIDs: []string{copyID}})
	waitOn(t, dev)(j, err)
	waitOn(t, dev)(dev.VDBs.Delete(ctx, copyID, false))
	_, err = dev.Bookmarks.Get(ctx, copyBM.ID)
	require.ErrorIs(t, err, dct.ErrNotFound, "its bookmarks went with it")
	_, ok = e.Dataset("dev copy")
	assert.False(t, ok)
}

func TestDCTRefusesAMissingOrUnknownKey(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	_, err := dctClient(t, url, "/dct/v3", 1, "nobody").VDBs.Get(t.Context(), "x")
	require.ErrorIs(t, err, dct.ErrUnauthorized)
	resp, err := http.Get(url + "/dct/v3/vdbs")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestDCTSearchFiltersAndPagesWithCursors(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	c := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	var names []string
	cursor := ""
	for pages := 0; pages < 20; pages++ {
		q := "?limit=3&sort=name"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		var p struct {
			Items []struct {
				Name string `json:"name"`
			} `json:"items"`
			Meta struct {
				Next string `json:"next_cursor"`
			} `json:"response_metadata"`
		}
		postJSON(t, url+"/dct/v3/vdbs/search"+q, `{"filter_expression":"name CONTAINS 'prep' AND masked EQ true"}`, &p)
		for _, it := range p.Items {
			names = append(names, it.Name)
		}
		if cursor = p.Meta.Next; cursor == "" {
			break
		}
	}
	assert.Equal(t, []string{"prep1 DB", "prep2 DB", "prep3 DB", "prep4 DB", "prep5 DB", "prep6 DB"}, names)
	_, err := c.VDBs.FindByName(t.Context(), "prep")
	var ne *dct.NameError
	require.ErrorAs(t, err, &ne, "EQ is exact")
}

func postJSON(t *testing.T, url, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, stringsReader(body))
	req.Header.Set("Authorization", "apk "+engine.DCTKey(1, "delphix_admin"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, jsonDecode(resp, out))
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func jsonDecode(resp *http.Response, out any) error { return json.NewDecoder(resp.Body).Decode(out) }
