package dctapi_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Job searches find the jobs on one object, ended or not, and an account other than an
// admin sees only its own.
func TestJobSearchFindsTheJobsOnAnObject(t *testing.T) {
	e := start(t, engine.Options{})
	url := dctServer(t, e, "/dct/v3")
	admin := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	qa := dctClient(t, url, "/dct/v3", 2, "qa")
	ctx := t.Context()
	prod, err := admin.DSources.FindByName(ctx, "Patients Prod")
	require.NoError(t, err)
	sync := waitOn(t, admin)(admin.DSources.Snapshot(ctx, prod.ID, dct.DSourceSnapshotParameters{}))

	recent, err := admin.Jobs.Recent(ctx, prod.ID, 10)
	require.NoError(t, err)
	require.NotEmpty(t, recent)
	assert.Equal(t, sync.ID, recent[0].ID)
	for _, j := range recent {
		assert.Equal(t, prod.ID, j.TargetID)
	}
	active, err := admin.Jobs.Active(ctx, prod.ID)
	require.NoError(t, err)
	assert.Empty(t, active, "the sync ended")
	mine, err := qa.Jobs.Recent(ctx, prod.ID, 10)
	require.NoError(t, err)
	assert.Empty(t, mine, "QA started no job on prod")
}

// A DCT job's percent_complete, and its task's, rises while it runs and is 100 once it
// completed: a wait can tell from it when the job should end.
func TestADCTJobsPercentRisesWhileItRuns(t *testing.T) {
	e := start(t, engine.Options{Speed: 0.1})
	url := dctServer(t, e, "/dct/v3")
	admin := dctClient(t, url, "/dct/v3", 1, "delphix_admin")
	ctx := t.Context()
	prod, err := admin.DSources.FindByName(ctx, "Patients Prod")
	require.NoError(t, err)
	j, err := admin.DSources.Snapshot(ctx, prod.ID, dct.DSourceSnapshotParameters{})
	require.NoError(t, err)
	var pcts []int
	done, err := admin.Jobs.Wait(ctx, j.ID, func(p dct.Progress) {
		pcts = append(pcts, p.Job.PercentComplete)
		require.Len(t, p.Job.Tasks, 1)
		assert.Equal(t, p.Job.PercentComplete, p.Job.Tasks[0].PercentComplete, "the task's percent is the job's")
		if p.Job.Status != dct.JobCompleted {
			assert.Less(t, p.Job.PercentComplete, 100, "below 100 while it runs")
		}
	})
	require.NoError(t, err)
	assert.Equal(t, 100, done.PercentComplete)
	assert.IsNonDecreasing(t, pcts)
	assert.Greater(t, len(pcts), 2, "the percent moved while the job ran: %v", pcts)
}
