package engine

import (
	"testing"

	"github.com/dxsteps/dxsteps/dct"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A restore from a bookmark records the bookmark as its operation's data parent
// (JSBookmarkDataParent); once the bookmark is deleted the reference is null and the name stays.
func TestARestoreRecordsTheBookmarkItsDataCameFrom(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	prep1 := c.pod("prep1")
	ref := prep1["reference"].(string)
	bm := c.bookmark(prep1, "before", false)
	c.run(c.js+"/container/"+ref+"/restore", obj{"type": "JSDataContainerRestoreParameters", "forceOption": false,
		"timelinePointParameters": obj{"type": "JSTimelinePointBookmarkInput", "bookmark": bm}})
	last := c.list(c.js + "/operation?dataLayout=" + ref)[0]
	assert.Equal(t, "RESTORE", last["operation"])
	assert.Equal(t, map[string]any{"type": "JSBookmarkDataParent", "bookmark": bm, "bookmarkName": "before"}, last["dataParent"])

	c.run(c.js+"/bookmark/"+bm+"/delete", obj{})
	for _, o := range c.list(c.js + "/operation?dataLayout=" + ref) {
		if o["operation"] == "RESTORE" {
			assert.Equal(t, map[string]any{"type": "JSBookmarkDataParent", "bookmark": nil, "bookmarkName": "before"}, o["dataParent"])
		}
	}
	require.Nil(t, c.list(c.js + "/operation?dataLayout=" + ref)[1]["dataParent"], "a bookmark create has no data parent")
}

// On DCT a plain engine tag is {"tag": value} and key=value is {key, value}; a container's
// VDB group says which bookmark its data was last refreshed to.
func TestDCTShowsEngineTagsAsKeyValuesAndAGroupsLastBookmark(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	prep1 := c.pod("prep1")
	bm := c.bookmark(prep1, "tagged", false)
	e.Mu.Lock()
	for _, b := range e.Bookmarks {
		if b.Ref == bm {
			b.Tags = []string{"50%", "build=7"}
		}
	}
	e.Mu.Unlock()
	admin := dctClient(t, dctServer(t, e, "/dct/v3"), "/dct/v3", 1, "delphix_admin")
	got, err := admin.Bookmarks.Get(t.Context(), bm)
	require.NoError(t, err)
	assert.Equal(t, []dct.Tag{{Key: "tag", Value: "50%"}, {Key: "build", Value: "7"}}, got.Tags)

	g, err := admin.VDBGroups.FindByName(t.Context(), "prep1")
	require.NoError(t, err)
	assert.Empty(t, g.LastSuccessfulRefreshToBookmarkID)
	waitOn(t, admin)(admin.VDBGroups.RefreshFromBookmark(t.Context(), g.ID, bm))
	g, err = admin.VDBGroups.Get(t.Context(), g.ID)
	require.NoError(t, err)
	assert.Equal(t, bm, g.LastSuccessfulRefreshToBookmarkID)
}
