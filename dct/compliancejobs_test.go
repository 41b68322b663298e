package dct

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindAndExecuteAComplianceJob(t *testing.T) {
	c, f := setup(t)
	mask := obj{"id": "cj-1", "name": "mask-mm", "type": "MASKING", "last_execution_status": "SUCCEEDED"}
	f.answer("POST /compliance-jobs/search", http.StatusOK, items("", mask))
	f.answer("GET /compliance-jobs/{id}", http.StatusOK, mask)
	f.on("POST /compliance-jobs/{id}/execute", func(w http.ResponseWriter, _ *http.Request) {
		j := job("job-7", JobStarted)
		j["execution_id"] = "exec-3"
		writeJSON(w, http.StatusOK, obj{"job": j})
	})
	cj, err := c.ComplianceJobs.FindByName(t.Context(), "mask-mm")
	require.NoError(t, err)
	assert.Equal(t, "MASKING", cj.Type)
	j, err := c.ComplianceJobs.Execute(t.Context(), cj.ID)
	require.NoError(t, err)
	assert.Equal(t, "exec-3", j.ExecutionID)
	assert.Equal(t, map[string]any{}, f.lastBody())
	got, err := c.ComplianceJobs.Get(t.Context(), "cj-1")
	require.NoError(t, err)
	assert.Equal(t, "SUCCEEDED", got.LastExecutionStatus)
	assert.Equal(t, []string{"POST /compliance-jobs/search", "POST /compliance-jobs/cj-1/execute", "GET /compliance-jobs/cj-1"}, f.lines())
}

func TestForDatasetKeepsOnlyTheJobsOfThatDataset(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /compliance-jobs/search", http.StatusOK, items("",
		obj{"id": "cj-1", "name": "mask-mm", "type": "MASKING", "dataset_id": "vdb-1"},
		obj{"id": "cj-2", "name": "other", "type": "MASKING", "dataset_id": "vdb-10"}))
	jobs, err := c.ComplianceJobs.ForDataset(t.Context(), "vdb-1")
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	assert.Equal(t, "mask-mm", jobs[0].Name)
	assert.Equal(t, map[string]any{"filter_expression": "dataset_id EQ 'vdb-1'"}, f.lastBody())
}
