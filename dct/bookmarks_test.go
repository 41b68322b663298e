package dct

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bookmark(id, name string, extra obj) obj {
	b := obj{"id": id, "name": name, "creation_date": "2026-11-30T05:00:00Z", "bookmark_type": BookmarkPublic,
		"vdb_ids": []string{"vdb-1"}, "bookmark_status": "ACTIVE"}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func TestCreateABookmarkOnVDBsOrAGroupWithTagsTypeAndExpiry(t *testing.T) {
	c, f := setup(t)
	f.on("POST /bookmarks", func(w http.ResponseWriter, r *http.Request) {
		var body obj
		_ = json.NewDecoder(r.Body).Decode(&body)
		writeJSON(w, http.StatusCreated, obj{"bookmark": bookmark("bm-1", body["name"].(string), nil), "job": job("job-b", JobStarted)})
	})
	b, j, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "pod-1 build 7", VDBIDs: []string{"vdb-1"},
		Type: BookmarkPublic, Tags: []Tag{{"build", "7"}}, Expiration: time.Date(2026, 12, 30, 23, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, "bm-1", b.ID)
	assert.Equal(t, "job-b", j.ID)
	assert.Equal(t, map[string]any{"name": "pod-1 build 7", "vdb_ids": []any{"vdb-1"}, "bookmark_type": "PUBLIC",
		"tags": []any{map[string]any{"key": "build", "value": "7"}}, "expiration": "2026-12-30"}, f.lastBody())

	_, _, err = c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "golden", VDBGroupID: "g-1", RetainForever: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "golden", "vdb_group_id": "g-1", "retain_forever": true}, f.lastBody())
}

func TestABookmarkCreateThatDCTWouldRefuseIsNotSent(t *testing.T) {
	c, f := setup(t)
	for _, p := range []BookmarkCreate{
		{VDBIDs: []string{"v"}},
		{Name: "b"},
		{Name: "b", VDBIDs: []string{"v"}, VDBGroupID: "g"},
		{Name: "b", VDBIDs: []string{"v"}, RetainForever: true, Expiration: time.Now()},
		{Name: "b", VDBIDs: []string{"v"}, Type: "SHARED"},
	} {
		_, _, err := c.Bookmarks.Create(t.Context(), p)
		assert.Error(t, err, "%+v", p)
	}
	assert.Empty(t, f.reqs())
}

func TestUpdateSharesAndRetainsABookmark(t *testing.T) {
	c, f := setup(t)
	f.answer("PATCH /bookmarks/{id}", http.StatusOK, jobAnswer("job-u"))
	_, err := c.Bookmarks.Update(t.Context(), "bm-1", BookmarkUpdate{Type: BookmarkPublic})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"bookmark_type": "PUBLIC"}, f.lastBody())
	forever := true
	_, err = c.Bookmarks.Update(t.Context(), "bm-1", BookmarkUpdate{Name: "renamed", RetainForever: &forever})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "renamed", "retain_forever": true}, f.lastBody())
}

func TestDeleteABookmarkWithOrWithoutAJob(t *testing.T) {
	c, f := setup(t)
	f.answer("DELETE /bookmarks/{id}", http.StatusNoContent, nil)
	j, err := c.Bookmarks.Delete(t.Context(), "bm-1")
	require.NoError(t, err)
	assert.Nil(t, j, "3.18 answers 204")
	assert.Equal(t, []string{"POST /jobs/search", "DELETE /bookmarks/bm-1"}, f.lines(),
		"the bookmark's jobs are listed first, to tell after a lost answer which job is the delete's")

	var r jobResponse
	require.NoError(t, decodeResponse("DELETE", "/bookmarks/bm-2", 200, []byte(`{"job":{"id":"job-d","status":"STARTED"}}`), &r))
	assert.Equal(t, "job-d", r.Job.ID, "later versions answer with a job")
}

func TestFindBookmarksNarrowsOnDCTAndMatchesExactly(t *testing.T) {
	odd := `build "7" it's`
	c, f, filters := searchFake(t, "/bookmarks",
		bookmark("bm-3", odd, obj{"creation_date": "2026-11-30T05:03:00Z", "vdb_group_id": "g-1", "vdb_ids": []string{}}),
		bookmark("bm-2", odd, obj{"vdb_group_id": "g-2"}),
		bookmark("bm-1", "build 7", obj{"vdb_group_id": "g-1"}))
	bs, err := c.Bookmarks.Find(t.Context(), BookmarkQuery{Name: odd, VDBGroupID: "g-1", Type: BookmarkPublic})
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, "bm-3", bs[0].ID)
	assert.Equal(t, []string{`name CONTAINS 'build ' AND vdb_group_id EQ 'g-1' AND bookmark_type EQ 'PUBLIC'`}, *filters)
	assert.Equal(t, "limit=1000&sort=-creation_date", f.reqs()[0].Query)

	bs, err = c.Bookmarks.Find(t.Context(), BookmarkQuery{VDBID: "vdb-1"})
	require.NoError(t, err)
	assert.Len(t, bs, 2)
	assert.Equal(t, `vdb_ids CONTAINS 'vdb-1'`, (*filters)[1])
}

func TestGetABookmark(t *testing.T) {
	c, f := setup(t)
	f.answer("GET /bookmarks/{id}", http.StatusOK, bookmark("bm-1", "golden", obj{"expiration": "2027-01-31", "tags": []obj{{"key": "k", "value": "v"}}}))
	b, err := c.Bookmarks.Get(t.Context(), "bm-1")
	require.NoError(t, err)
	assert.Equal(t, "2027-01-31", b.Expiration)
	assert.Equal(t, []Tag{{"k", "v"}}, b.Tags)
	assert.Equal(t, BookmarkPublic, b.BookmarkType)
}

func TestCompatibleWithSearchesTheVDBsBookmarksByExactName(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /vdbs/{id}/bookmarks/search", http.StatusOK, items("",
		obj{"id": "bm-1", "name": "Bug 1234 data", "vdb_ids": []string{"vdb-9"}, "bookmark_type": "PUBLIC"},
		obj{"id": "bm-2", "name": "Bug 1234 data v2", "vdb_ids": []string{"vdb-9"}, "bookmark_type": "PUBLIC"}))
	f.answer("GET /vdbs/{id}/bookmarks", http.StatusOK, items("", obj{"id": "bm-3", "name": `a'b"c`}))
	bs, err := c.Bookmarks.CompatibleWith(t.Context(), "vdb-1", "Bug 1234 data")
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, "bm-1", bs[0].ID)
	assert.Equal(t, "POST /vdbs/vdb-1/bookmarks/search", f.lines()[0])
	assert.Equal(t, map[string]any{"filter_expression": "name EQ 'Bug 1234 data'"}, f.lastBody())

	bs, err = c.Bookmarks.CompatibleWith(t.Context(), "vdb-1", "")
	require.NoError(t, err)
	require.Len(t, bs, 1, "no name: every compatible bookmark")
	assert.Equal(t, "GET /vdbs/vdb-1/bookmarks", f.lines()[1])
}

func TestDependentsAreGroupsLastRefreshedToABookmarkAndVDBsProvisionedFromIt(t *testing.T) {
	c, f := setup(t)
	f.answer("GET /vdb-groups", http.StatusOK, items("", obj{"id": "g-1", "name": "prep1", "last_successful_refresh_to_bookmark_id": "bm-2"},
		obj{"id": "g-2", "name": "prep2"}))
	f.answer("GET /vdbs", http.StatusOK, items("",
		obj{"id": "v-9", "name": "copy", "parent_id": "vdb-1", "parent_timeflow_timestamp": "2026-11-30T05:00:00.000Z"},
		obj{"id": "v-8", "name": "later copy", "parent_id": "vdb-1", "parent_timeflow_timestamp": "2026-11-30T06:00:00Z"},
		obj{"id": "v-7", "name": "other parent", "parent_id": "vdb-5", "parent_timeflow_timestamp": "2026-11-30T05:00:00Z"}))
	deps, err := c.Bookmarks.Dependents(t.Context(), []Bookmark{
		{ID: "bm-1", VDBIDs: []string{"vdb-1"}, DataTimestamp: "2026-11-30T05:00:00Z"},
		{ID: "bm-2", VDBIDs: []string{"vdb-1"}, DataTimestamp: "2026-11-30T04:00:00Z"},
		{ID: "bm-3", VDBIDs: []string{"vdb-3"}, DataTimestamp: "2026-11-30T05:00:00Z"}})
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"bm-1": {`VDB "copy" was provisioned from it`}, "bm-2": {`VDB group "prep1" was last refreshed to it`}}, deps)

	deps, err = c.Bookmarks.Dependents(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, deps)
	assert.Len(t, f.reqs(), 2, "nothing to check: no request")
}
