package delphix

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWaitFollowsTheJobThroughNotifications(t *testing.T) {
	c, e := loggedIn(t, engine.Options{Speed: 0.02})
	_, op := syncProd(t, c)
	var percents []float64
	events := 0
	job, err := c.Jobs.Wait(t.Context(), op.Job, func(p Progress) {
		percents = append(percents, p.Job.PercentComplete)
		events += len(p.NewEvents)
	})
	require.NoError(t, err)
	assert.Equal(t, JobCompleted, job.JobState)
	assert.True(t, sort.Float64sAreSorted(percents), "%v", percents)
	assert.Equal(t, 100.0, percents[len(percents)-1])
	assert.Equal(t, len(job.Events), events, "every event reported once")
	assert.Contains(t, requestLines(e), "GET /notification")
}

func TestWaitPollsWhenTheEngineHasNoNotifications(t *testing.T) {
	c, e := loggedIn(t, engine.Options{DisableNotifications: true})
	_, op := syncProd(t, c)
	job, err := c.Jobs.Wait(t.Context(), op.Job, nil)
	require.NoError(t, err)
	assert.Equal(t, JobCompleted, job.JobState)
	jobReads := 0
	for _, l := range requestLines(e) {
		if l == "GET /job/"+op.Job {
			jobReads++
		}
	}
	assert.Greater(t, jobReads, 1)
}

func TestFailedJobReturnsItsLastErrorEvent(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	e.FailNextJob(engine.JobFault{Target: "Patients Prod", Message: "Could not connect to the staging database."})
	_, op := syncProd(t, c)
	_, err := c.Jobs.Wait(t.Context(), op.Job, nil)
	var jobErr *JobError
	require.ErrorAs(t, err, &jobErr)
	assert.Equal(t, JobFailed, jobErr.Job.JobState)
	assert.Contains(t, jobErr.Error(), "Could not connect to the staging database.")
	assert.Contains(t, jobErr.Error(), "FAILED")
}

func TestWaitStopsWhenTheContextEnds(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{Speed: 1})
	_, op := syncProd(t, c)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Jobs.Wait(ctx, op.Job, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	require.NoError(t, c.Jobs.Cancel(t.Context(), op.Job))
	job, err := c.Jobs.Wait(t.Context(), op.Job, nil)
	var jobErr *JobError
	require.ErrorAs(t, err, &jobErr)
	assert.Equal(t, JobCanceled, job.JobState)
}
