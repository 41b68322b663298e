package dct

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inAMonth is a time a month from now, late in its day: its date is what DCT keeps.
func inAMonth() time.Time {
	return time.Now().UTC().AddDate(0, 1, 0).Truncate(24 * time.Hour).Add(23 * time.Hour)
}

// searchFilters are the filter_expression of every search recorded, in order.
func searchFilters(t *testing.T, rc *recorder) []string {
	var out []string
	for _, r := range rc.reqs() {
		var b searchBody
		if r.Method == "POST" && len(r.Body) > 0 && json.Unmarshal(r.Body, &b) == nil && b.FilterExpression != "" {
			out = append(out, b.FilterExpression)
		}
	}
	return out
}

func TestCreateABookmarkOnVDBsOrAGroupWithTagsTypeAndExpiry(t *testing.T) {
	c, l := setup(t)
	pod, g := l.vdb("prep1 DB"), l.group("prep2")
	l.forget()
	expires := inAMonth()
	b, j, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "pod-1 build 7", VDBIDs: []string{pod.ID},
		Type: BookmarkPublic, Tags: []Tag{{"build", "7"}}, Expiration: expires})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "pod-1 build 7", "vdb_ids": []any{pod.ID}, "bookmark_type": "PUBLIC",
		"tags": []any{map[string]any{"key": "build", "value": "7"}}, "expiration": expires.Format(time.DateOnly)}, l.lastBody())
	done(t, c)(j, err)
	got, err := c.Bookmarks.Get(t.Context(), b.ID)
	require.NoError(t, err)
	assert.Equal(t, "pod-1 build 7", got.Name)
	assert.Equal(t, []string{pod.ID}, got.VDBIDs)
	assert.Equal(t, BookmarkPublic, got.BookmarkType)
	assert.Equal(t, []Tag{{"build", "7"}}, got.Tags)
	assert.Equal(t, expires.Format(time.DateOnly), got.Expiration)

	b, j, err = c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "golden", VDBGroupID: g.ID, RetainForever: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "golden", "vdb_group_id": g.ID, "retain_forever": true}, l.lastBody())
	done(t, c)(j, err)
	got, err = c.Bookmarks.Get(t.Context(), b.ID)
	require.NoError(t, err)
	assert.Equal(t, g.ID, got.VDBGroupID)
	require.NotNil(t, got.Retention)
	assert.Equal(t, int64(-1), *got.Retention, "kept forever")
}

func TestABookmarkCreateThatDCTWouldRefuseIsNotSent(t *testing.T) {
	c, l := setup(t)
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
	assert.Empty(t, l.reqs())
}

// bookmarkOn creates a bookmark on a VDB and waits for its job.
func bookmarkOn(t *testing.T, c *Client, vdbID, name, typ string) *Bookmark {
	t.Helper()
	b, j, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: name, VDBIDs: []string{vdbID}, Type: typ})
	done(t, c)(j, err)
	return b
}

func TestUpdateSharesAndRetainsABookmark(t *testing.T) {
	c, l := setup(t)
	b := bookmarkOn(t, c, l.vdb("prep1 DB").ID, "prep1 build 7", BookmarkPrivate)
	l.forget()
	j, err := c.Bookmarks.Update(t.Context(), b.ID, BookmarkUpdate{Type: BookmarkPublic})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"bookmark_type": "PUBLIC"}, l.lastBody())
	done(t, c)(j, err)
	got, err := c.Bookmarks.Get(t.Context(), b.ID)
	require.NoError(t, err)
	assert.Equal(t, BookmarkPublic, got.BookmarkType)

	forever := true
	j, err = c.Bookmarks.Update(t.Context(), b.ID, BookmarkUpdate{Name: "renamed", RetainForever: &forever})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "renamed", "retain_forever": true}, l.lastBody())
	done(t, c)(j, err)
	got, err = c.Bookmarks.Get(t.Context(), b.ID)
	require.NoError(t, err)
	assert.Equal(t, "renamed", got.Name)
	assert.Empty(t, got.Expiration)
}

func TestDeleteABookmarkWithOrWithoutAJob(t *testing.T) {
	c, l := setup(t)
	b := bookmarkOn(t, c, l.vdb("prep1 DB").ID, "prep1 build 7", BookmarkPrivate)
	l.forget()
	j, err := c.Bookmarks.Delete(t.Context(), b.ID)
	require.NoError(t, err)
	assert.Nil(t, j, "3.18 answers 204")
	assert.Equal(t, []string{"POST /jobs/search", "DELETE /bookmarks/" + b.ID}, l.lines(),
		"the bookmark's jobs are listed first, to tell after a lost answer which job is the delete's")
	_, err = c.Bookmarks.Get(t.Context(), b.ID)
	require.ErrorIs(t, err, ErrNotFound)

	var r jobResponse
	require.NoError(t, decodeResponse("DELETE", "/bookmarks/bm-2", 200, []byte(`{"job":{"id":"job-d","status":"STARTED"}}`), &r))
	assert.Equal(t, "job-d", r.Job.ID, "later versions answer with a job")
}

func TestFindBookmarksNarrowsOnDCTAndMatchesExactly(t *testing.T) {
	odd := `build "7" it's`
	c, l := setup(t)
	g1, g2 := l.group("prep1"), l.group("prep2")
	create := func(name, group string) *Bookmark {
		b, j, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: name, VDBGroupID: group, Type: BookmarkPublic})
		done(t, c)(j, err)
		return b
	}
	create("build 7", g1.ID)
	create(odd, g2.ID)
	want := create(odd, g1.ID)
	l.forget()
	bs, err := c.Bookmarks.Find(t.Context(), BookmarkQuery{Name: odd, VDBGroupID: g1.ID, Type: BookmarkPublic})
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, want.ID, bs[0].ID)
	assert.Equal(t, []string{`name CONTAINS 'build ' AND vdb_group_id EQ '` + g1.ID + `' AND bookmark_type EQ 'PUBLIC'`}, searchFilters(t, l.recorder))
	assert.Equal(t, "limit=1000&sort=-creation_date", l.reqs()[0].Query)

	bs, err = c.Bookmarks.Find(t.Context(), BookmarkQuery{VDBID: g1.VDBIDs[0]})
	require.NoError(t, err)
	assert.Len(t, bs, 2)
	assert.Equal(t, `vdb_ids CONTAINS '`+g1.VDBIDs[0]+`'`, searchFilters(t, l.recorder)[1])
}

func TestGetABookmark(t *testing.T) {
	c, l := setup(t)
	expires := inAMonth()
	b, j, err := c.Bookmarks.Create(t.Context(), BookmarkCreate{Name: "golden", VDBIDs: []string{l.vdb("prep1 DB").ID},
		Type: BookmarkPublic, Expiration: expires, Tags: []Tag{{"k", "v"}}})
	done(t, c)(j, err)
	got, err := c.Bookmarks.Get(t.Context(), b.ID)
	require.NoError(t, err)
	assert.Equal(t, expires.Format(time.DateOnly), got.Expiration)
	assert.Equal(t, []Tag{{"k", "v"}}, got.Tags)
	assert.Equal(t, BookmarkPublic, got.BookmarkType)
}

func TestCompatibleWithSearchesTheVDBsBookmarksByExactName(t *testing.T) {
	c, l := setup(t)
	master, pod := l.vdb("Patients Masked Master"), l.vdb("prep1 DB")
	want := bookmarkOn(t, c, master.ID, "Bug 1234 data", BookmarkPublic)
	bookmarkOn(t, c, master.ID, "Bug 1234 data v2", BookmarkPublic)
	bookmarkOn(t, c, master.ID, `a'b"c`, BookmarkPublic)
	l.forget()
	bs, err := c.Bookmarks.CompatibleWith(t.Context(), pod.ID, "Bug 1234 data")
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, want.ID, bs[0].ID)
	assert.Equal(t, "POST /vdbs/"+pod.ID+"/bookmarks/search", l.lines()[0])
	assert.Equal(t, map[string]any{"filter_expression": "name EQ 'Bug 1234 data'"}, l.lastBody())

	bs, err = c.Bookmarks.CompatibleWith(t.Context(), pod.ID, "")
	require.NoError(t, err)
	assert.Len(t, bs, 3, "no name: every compatible bookmark")
	assert.Equal(t, "GET /vdbs/"+pod.ID+"/bookmarks", l.lines()[1])
}

func TestDependentsAreGroupsLastRefreshedToABookmarkAndVDBsProvisionedFromIt(t *testing.T) {
	c, l := setup(t)
	ctx := t.Context()
	master, other := l.vdb("Patients Masked Master"), l.vdb("prep3 DB")
	refreshedTo := bookmarkOn(t, c, master.ID, "build 6", BookmarkPublic)
	provisionedFrom := bookmarkOn(t, c, master.ID, "build 7", BookmarkPublic)
	alone := bookmarkOn(t, c, other.ID, "prep3 build 7", BookmarkPublic)
	done(t, c)(c.VDBGroups.RefreshFromBookmark(ctx, l.group("prep1").ID, refreshedTo.ID))
	_, j, err := c.VDBs.ProvisionFromBookmark(ctx, ProvisionFromBookmark{BookmarkID: provisionedFrom.ID, Name: "copy"})
	done(t, c)(j, err)

	var bs []Bookmark
	for _, b := range []*Bookmark{refreshedTo, provisionedFrom, alone} {
		got, err := c.Bookmarks.Get(ctx, b.ID)
		require.NoError(t, err)
		bs = append(bs, *got)
	}
	deps, err := c.Bookmarks.Dependents(ctx, bs)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{provisionedFrom.ID: {`VDB "copy" was provisioned from it`},
		refreshedTo.ID: {`VDB group "prep1" was last refreshed to it`}}, deps)

	l.forget()
	deps, err = c.Bookmarks.Dependents(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, deps)
	assert.Empty(t, l.reqs(), "nothing to check: no request")
}
