package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBranchFromABookmarkOnEveryVersion(t *testing.T) {
	for _, v := range selfServiceVersions {
		t.Run(v, func(t *testing.T) {
			c, _ := loggedIn(t, engine.Options{APIVersion: v})
			ctx := t.Context()
			p := pod(t, c, "prep2")
			op, err := c.Bookmarks.Create(ctx, BookmarkCreate{Name: "start", Layout: p.Reference, Branch: p.ActiveBranch})
			wait(t, c, op, err)
			bookmark := op.Reference

			// A branch from the bookmark, activated, then the default again.
			op, err = c.Branches.Create(ctx, "feature", p.Reference, bookmark)
			wait(t, c, op, err)
			branches, err := c.Branches.List(ctx, p.Reference)
			require.NoError(t, err)
			assert.Len(t, branches, 2)
			var defaultBranch Branch
			for _, b := range branches {
				if b.Reference != op.Reference {
					defaultBranch = b
				}
			}
			op2, err := c.Branches.Activate(ctx, op.Reference)
			wait(t, c, op2, err)
			assert.Equal(t, op.Reference, pod(t, c, "prep2").ActiveBranch)
			op2, err = c.Branches.Activate(ctx, defaultBranch.Reference)
			wait(t, c, op2, err)
			op2, err = c.Branches.Delete(ctx, op.Reference)
			wait(t, c, op2, err)
			branches, _ = c.Branches.List(ctx, p.Reference)
			assert.Len(t, branches, 1)
		})
	}
}
