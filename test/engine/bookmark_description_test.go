package engine

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A JSBookmark keeps its description (at most 4096 characters, schema 1.11.9) and returns it.
func TestABookmarkKeepsItsDescriptionUpTo4096Characters(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	pod := c.pod("prep1")
	create := func(name, description string) (int, map[string]any) {
		return c.call("POST", c.js+"/bookmark", obj{"type": "JSBookmarkCreateParameters",
			"bookmark":                obj{"type": "JSBookmark", "name": name, "branch": pod["activeBranch"], "description": description},
			"timelinePointParameters": obj{"type": "JSTimelinePointLatestTimeInput", "sourceDataLayout": pod["reference"]}})
	}
	_, res := create("kept", "dxsteps provenance\nbuild: b-1")
	require.Equal(t, "OK", res["status"], "%v", res)
	assert.Equal(t, "dxsteps provenance\nbuild: b-1", c.get(c.js + "/bookmark/" + res["result"].(string))["description"])

	_, res = create("too long", strings.Repeat("é", 4097))
	require.Equal(t, "ErrorResult", res["type"], "%v", res)
	assert.Contains(t, res["error"].(map[string]any)["details"].(map[string]any)["bookmark.description"].(map[string]any)["details"], "at most 4096")
	assert.Empty(t, byNameOrNil(c.list(c.js+"/bookmark?container="+pod["reference"].(string)), "too long"))
}

// A DCT tag's key and value are 1 to 4000 characters (DCT's OpenAPI file); the requests that
// break it are sent without the spec check, which would refuse them first.
func TestDCTRefusesABookmarkTagOutside1To4000Characters(t *testing.T) {
	e := start(t, Options{})
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	admin := dctClient(t, srv.URL, "/dct/v3", 1, "delphix_admin")
	ctx := t.Context()
	g, err := admin.VDBGroups.FindByName(ctx, "prep1")
	require.NoError(t, err)
	for _, tag := range []dct.Tag{{Key: "k", Value: strings.Repeat("v", 4001)}, {Key: "k", Value: ""}} {
		_, _, err := admin.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "bad tag", VDBGroupID: g.ID, Tags: []dct.Tag{tag}})
		var apiErr *dct.APIError
		require.True(t, errors.As(err, &apiErr), "%v", err)
		assert.Contains(t, err.Error(), "1 to 4000 characters")
	}
	_, j, err := admin.Bookmarks.Create(ctx, dct.BookmarkCreate{Name: "long tag", VDBGroupID: g.ID, Tags: []dct.Tag{{Key: "k", Value: strings.Repeat("v", 4000)}}})
	waitOn(t, admin)(j, err)
}

func byNameOrNil(list []map[string]any, name string) map[string]any {
	for _, m := range list {
		if m["name"] == name {
			return m
		}
	}
	return nil
}
