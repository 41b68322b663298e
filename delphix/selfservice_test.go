package delphix

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// selfServiceVersions covers both path prefixes and both body styles:
// /jetstream with empty bodies (1.8), /jetstream typed (1.9), /selfservice (1.11).
var selfServiceVersions = []string{"1.8.0", "1.9.0", "1.11.9"}

func wait(t *testing.T, c *Client, op Operation, err error) {
	t.Helper()
	require.NoError(t, err)
	_, err = c.Wait(t.Context(), op, nil)
	require.NoError(t, err)
}

func pod(t *testing.T, c *Client, name string) *Container {
	t.Helper()
	p, err := c.Containers.FindByName(t.Context(), "", name)
	require.NoError(t, err)
	return p
}

func TestContainerOperationsOnEveryVersion(t *testing.T) {
	for _, v := range selfServiceVersions {
		t.Run(v, func(t *testing.T) {
			c, e := loggedIn(t, engine.Options{APIVersion: v})
			ctx := t.Context()
			p := pod(t, c, "prep1")
			require.NoError(t, e.ChangeProd("Patients Prod"))

			op, err := c.Containers.Refresh(ctx, p.Reference)
			wait(t, c, op, err)
			tmpl, _ := e.Dataset("Patients")
			got, _ := e.Dataset("prep1")
			assert.Equal(t, tmpl.Contents.Rows, got.Contents.Rows)

			op, err = c.Containers.Disable(ctx, p.Reference)
			wait(t, c, op, err)
			assert.Equal(t, "OFFLINE", pod(t, c, "prep1").State)
			op, err = c.Containers.Enable(ctx, p.Reference)
			wait(t, c, op, err)
			assert.Equal(t, "ONLINE", pod(t, c, "prep1").State)

			me, err := c.Users.Current(ctx)
			require.NoError(t, err)
			op, err = c.Containers.Lock(ctx, p.Reference, me.Reference)
			wait(t, c, op, err)
			op, err = c.Containers.Unlock(ctx, p.Reference)
			wait(t, c, op, err)

			op, err = c.Containers.Reset(ctx, p.Reference)
			wait(t, c, op, err)

			testAPI(t, e, "POST", "/faults", `{"containerState":{"container":"prep1","state":"INCONSISTENT"}}`)
			assert.Equal(t, "INCONSISTENT", pod(t, c, "prep1").State)
			op, err = c.Containers.Recover(ctx, p.Reference)
			wait(t, c, op, err)
			assert.Equal(t, "ONLINE", pod(t, c, "prep1").State)
		})
	}
}

func TestBookmarkRestoreAndBranchOnEveryVersion(t *testing.T) {
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

			// A branch from the bookmark, activated, then the default again.
			op, err = c.Branches.Create(ctx, "feature", p.Reference, bm.Reference)
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

			op, err = c.Bookmarks.Delete(ctx, bm.Reference)
			wait(t, c, op, err)
			_, err = c.Bookmarks.Get(ctx, bm.Reference)
			assert.ErrorIs(t, err, ErrNotFound)
		})
	}
}

func TestDataSourcesCarryConnectionDetails(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	p := pod(t, c, "prep3")
	ds, err := c.DataSources.List(t.Context(), p.Reference)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	want, _ := e.Dataset("prep3")
	assert.Equal(t, want.Connection.Host, ds[0].Runtime.Host)
	assert.Equal(t, want.Connection.Port, ds[0].Runtime.Port)
	assert.Equal(t, want.Connection.Database, ds[0].Runtime.Database())
}

func TestAnotherUsersPodIsForbidden(t *testing.T) {
	c, _ := setup(t, engine.Options{})
	require.NoError(t, c.Login(t.Context(), "dev", "dev-local-pw"))
	_, err := c.Containers.FindByName(t.Context(), "", "qa-pod")
	assert.ErrorIs(t, err, ErrNotFound, "the developer does not even see QA's pod")
	_, err = c.Databases.List(t.Context())
	assert.ErrorIs(t, err, ErrForbidden)
}

// testAPI calls the local engine's test API, as the application would
// change its own database.
func testAPI(t *testing.T, e *engine.Engine, method, path, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.TestAPIURL()+path, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Less(t, resp.StatusCode, 300, "%s %s", method, path)
}
