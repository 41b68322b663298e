package dct

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindAndExecuteAComplianceJob(t *testing.T) {
	c, l := setup(t)
	cj, err := c.ComplianceJobs.FindByName(t.Context(), "Patients masking")
	require.NoError(t, err)
	assert.Equal(t, "MASKING", cj.Type)
	j, err := c.ComplianceJobs.Execute(t.Context(), cj.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, j.ExecutionID)
	assert.Equal(t, map[string]any{}, l.lastBody())
	done(t, c)(j, err)
	got, err := c.ComplianceJobs.Get(t.Context(), cj.ID)
	require.NoError(t, err)
	assert.Equal(t, "SUCCEEDED", got.LastExecutionStatus)
	assert.Equal(t, j.ExecutionID, got.LastExecutionID)
	m, _ := l.e.Dataset("Patients Masked Master")
	assert.True(t, m.Contents.Masked)
	assert.Equal(t, []string{"POST /compliance-jobs/search", "POST /compliance-jobs/" + cj.ID + "/execute"}, l.lines()[:2])
	assert.Equal(t, "GET /compliance-jobs/"+cj.ID, l.lines()[len(l.lines())-1])
}

func TestForDatasetKeepsOnlyTheJobsOfThatDataset(t *testing.T) {
	c, l := setup(t)
	master := l.vdb("Patients Masked Master")
	l.forget()
	jobs, err := c.ComplianceJobs.ForDataset(t.Context(), master.ID)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	assert.Equal(t, "Patients masking", jobs[0].Name)
	assert.Equal(t, map[string]any{"filter_expression": "dataset_id EQ '" + master.ID + "'"}, l.lastBody())
	jobs, err = c.ComplianceJobs.ForDataset(t.Context(), l.vdb("prep1 DB").ID)
	require.NoError(t, err)
	assert.Empty(t, jobs, "no masking job of the pod")
}
