package dct

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOfDatasetSearchesTheDatasetsTimeflowsOldestFirst(t *testing.T) {
	c, f := setup(t)
	f.on("POST /timeflows/search", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "creation_timestamp", r.URL.Query().Get("sort"))
		writeJSON(w, http.StatusOK, items("",
			obj{"id": "tf-1", "name": "DB_PROVISION@2026-11-30T05:00:00", "dataset_id": "vdb-1", "is_active": false, "creation_type": "INITIAL"},
			obj{"id": "tf-2", "name": "bug-1", "dataset_id": "vdb-1", "is_active": true, "creation_type": "REFRESH"},
			obj{"id": "tf-9", "name": "other", "dataset_id": "vdb-10"}))
	})
	tfs, err := c.Timeflows.OfDataset(t.Context(), "vdb-1")
	require.NoError(t, err)
	require.Len(t, tfs, 2, "only the dataset's own")
	assert.Equal(t, "bug-1", tfs[1].Name)
	assert.True(t, tfs[1].IsActive)
	assert.Equal(t, map[string]any{"filter_expression": "dataset_id EQ 'vdb-1'"}, f.lastBody())
}

func TestRenameAndDeleteATimeflowStartJobs(t *testing.T) {
	c, f := setup(t)
	f.answer("PATCH /timeflows/{id}", http.StatusAccepted, jobAnswer("job-rename"))
	f.answer("DELETE /timeflows/{id}", http.StatusAccepted, jobAnswer("job-delete"))
	j, err := c.Timeflows.Rename(t.Context(), "tf-2", "bug-1")
	require.NoError(t, err)
	assert.Equal(t, "job-rename", j.ID)
	assert.Equal(t, map[string]any{"name": "bug-1"}, f.lastBody())
	j, err = c.Timeflows.Delete(t.Context(), "tf-2")
	require.NoError(t, err)
	assert.Equal(t, "job-delete", j.ID)
	assert.Equal(t, []string{"PATCH /timeflows/tf-2", "DELETE /timeflows/tf-2"}, f.lines())

	_, err = c.Timeflows.Rename(t.Context(), "tf-2", "")
	require.Error(t, err)
	assert.Len(t, f.reqs(), 2, "an empty name is refused before any request")
}

func TestGetATimeflow(t *testing.T) {
	c, f := setup(t)
	f.answer("GET /timeflows/{id}", http.StatusOK, obj{"id": "tf-1", "dataset_id": "vdb-1", "is_active": true})
	tf, err := c.Timeflows.Get(t.Context(), "tf-1")
	require.NoError(t, err)
	assert.True(t, tf.IsActive)
}

func TestListVDBsFollowsEveryPage(t *testing.T) {
	c, f := setup(t)
	f.on("GET /vdbs", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			writeJSON(w, http.StatusOK, items("next", vdb("vdb-1", "a")))
			return
		}
		writeJSON(w, http.StatusOK, items("", vdb("vdb-2", "b")))
	})
	vs, err := c.VDBs.List(t.Context())
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Equal(t, "b", vs[1].Name)
}
