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

func jobReads(e *engine.Engine, ref string) (reads, polls int) {
	for _, l := range requestLines(e) {
		switch l {
		case "GET /job/" + ref:
			reads++
		case "GET /notification":
			polls++
		}
	}
	return reads, polls
}

func TestAQuietLongPollCostsNoJobRead(t *testing.T) {
	// 20 ms long polls over a 300 ms sync that logs 4 events.
	c, e := loggedIn(t, engine.Options{Speed: 0.1}, WithWaitIntervals(time.Millisecond, time.Millisecond, 20*time.Millisecond))
	_, op := syncProd(t, c)
	job, err := c.Jobs.Wait(t.Context(), op.Job, nil)
	require.NoError(t, err)
	assert.Equal(t, JobCompleted, job.JobState)
	reads, polls := jobReads(e, op.Job)
	assert.LessOrEqual(t, reads, 1+len(job.Events), "one read at the start and at most one per event")
	assert.Greater(t, polls, reads, "empty long polls are not followed by reads")
}

func TestReadsThatEventsCauseAreAtMostABurstThenOnePerInterval(t *testing.T) {
	l := &readLimiter{every: time.Hour, tokens: readBurst, at: time.Now()}
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // a read that has to wait fails at once
	for i := range readBurst {
		require.NoError(t, l.wait(ctx), "read %d of the burst", i+1)
	}
	assert.ErrorIs(t, l.wait(ctx), context.Canceled, "the read after the burst waits for the interval")
}

func TestAnInstantJobWithManyEventsIsReadAsItEnds(t *testing.T) {
	// A VDB refresh logs six events within a few milliseconds; the default hour-long interval
	// between reads must not hold back its end.
	c, e := loggedIn(t, engine.Options{Speed: 0.001}, WithWaitIntervals(time.Hour, time.Hour, time.Minute))
	ctx := t.Context()
	master, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(ctx, master.ProvisionContainer)
	require.NoError(t, err)
	require.NotEmpty(t, snaps)
	op, err := c.Databases.Refresh(ctx, master, RefreshPoint{Snapshot: snaps[0].Reference})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	job, err := c.Jobs.Wait(ctx, op.Job, nil)
	require.NoError(t, err)
	assert.Equal(t, JobCompleted, job.JobState)
	reads, _ := jobReads(e, op.Job)
	assert.LessOrEqual(t, reads, 1+readBurst)
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
