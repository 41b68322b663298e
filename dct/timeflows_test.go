package dct

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refreshed refreshes a VDB from its parent's latest snapshot: it starts a second timeflow.
func refreshed(t *testing.T, c *Client, vdbID string) {
	t.Helper()
	done(t, c)(c.VDBs.RefreshBySnapshot(t.Context(), vdbID, ""))
}

func TestOfDatasetSearchesTheDatasetsTimeflowsOldestFirst(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	refreshed(t, c, pod.ID)
	refreshed(t, c, l.vdb("prep2 DB").ID)
	l.forget()
	tfs, err := c.Timeflows.OfDataset(t.Context(), pod.ID)
	require.NoError(t, err)
	require.Len(t, tfs, 2, "only the dataset's own")
	assert.Equal(t, pod.CurrentTimeflowID, tfs[0].ID, "the first one first")
	assert.False(t, tfs[0].IsActive)
	assert.True(t, tfs[1].IsActive)
	assert.Equal(t, "REFRESH", tfs[1].CreationType)
	assert.Equal(t, map[string]any{"filter_expression": "dataset_id EQ '" + pod.ID + "'"}, l.lastBody())
	assert.Equal(t, "limit=1000&sort=creation_timestamp", l.reqs()[0].Query)
}

func TestRenameAndDeleteATimeflowStartJobs(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	refreshed(t, c, pod.ID)
	old := pod.CurrentTimeflowID
	l.forget()
	j, err := c.Timeflows.Rename(t.Context(), old, "bug-1")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "bug-1"}, l.lastBody())
	done(t, c)(j, err)
	tf, err := c.Timeflows.Get(t.Context(), old)
	require.NoError(t, err)
	assert.Equal(t, "bug-1", tf.Name)
	j, err = c.Timeflows.Delete(t.Context(), old)
	done(t, c)(j, err)
	_, err = c.Timeflows.Get(t.Context(), old)
	require.ErrorIs(t, err, ErrNotFound, "deleted")
	assert.Contains(t, l.lines(), "PATCH /timeflows/"+old)
	assert.Contains(t, l.lines(), "DELETE /timeflows/"+old)

	l.forget()
	_, err = c.Timeflows.Rename(t.Context(), old, "")
	require.Error(t, err)
	assert.Empty(t, l.reqs(), "an empty name is refused before any request")
}

func TestGetATimeflow(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	tf, err := c.Timeflows.Get(t.Context(), pod.CurrentTimeflowID)
	require.NoError(t, err)
	assert.True(t, tf.IsActive)
	assert.Equal(t, pod.ID, tf.DatasetID)
}

func TestListVDBsFollowsEveryPage(t *testing.T) {
	c, l := setup(t)
	smallPages(t, 4)
	vs, err := c.VDBs.List(t.Context())
	require.NoError(t, err)
	require.Len(t, vs, 9, "the masked master and the eight pods")
	assert.Len(t, l.reqs(), 3, "three pages of four")
	assert.Equal(t, "Patients Masked Master", vs[0].Name)
	assert.Equal(t, "dev-pod DB", vs[8].Name)
}
