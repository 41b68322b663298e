package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBookmarkShareAndRestoreOnEveryVersion(t *testing.T) {
	for _, v := range selfServiceVersions {
		t.Run(v, func(t *testing.T) {
			c, e := loggedIn(t, engine.Options{APIVersion: v})
			ctx := t.Context()
			p := pod(t, c, "prep2")
			before, _ := e.Dataset("prep2")

			op, err := c.Bookmarks.Create(ctx, BookmarkCreate{Name: "before", Layout: p.Reference, Branch: p.ActiveBranch, Tags: []string{"t1"}})
			wait(t, c, op, err)
			require.NotEmpty(t, op.Reference)
			bm, err := c.Bookmarks.Get(ctx, op.Reference)
			require.NoError(t, err)
			assert.Equal(t, "before", bm.Name)
			assert.Equal(t, []string{"t1"}, bm.Tags)
			assert.False(t, bm.Shared)

			op, err = c.Bookmarks.Share(ctx, bm.Reference)
			wait(t, c, op, err)
			bm, _ = c.Bookmarks.Get(ctx, bm.Reference)
			assert.True(t, bm.Shared)
			op, err = c.Bookmarks.Unshare(ctx, bm.Reference)
			wait(t, c, op, err)
			bm, _ = c.Bookmarks.Get(ctx, bm.Reference)
			assert.False(t, bm.Shared)

			list, err := c.Bookmarks.List(ctx, BookmarkListOptions{Container: p.Reference})
			require.NoError(t, err)
			assert.Len(t, list, 1)

			// Destroy the data, then restore the bookmark.
			testAPI(t, e, "PUT", "/datasets/prep2/contents", `{"rows":[]}`)
			emptied, _ := e.Dataset("prep2")
			require.Empty(t, emptied.Contents.Rows)
			op, err = c.Containers.Restore(ctx, p.Reference, bm.Reference)
			wait(t, c, op, err)
			after, _ := e.Dataset("prep2")
			assert.Equal(t, before.Contents.Rows, after.Contents.Rows)

			op, err = c.Bookmarks.Delete(ctx, bm.Reference)
			wait(t, c, op, err)
			_, err = c.Bookmarks.Get(ctx, bm.Reference)
			assert.ErrorIs(t, err, ErrNotFound)
		})
	}
}
