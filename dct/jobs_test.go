package dct

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jobSequence serves GET /jobs/{id} with each of states in turn, then the last one
// forever: a job going through statuses the local engine never gives.
func jobSequence(t *testing.T, states ...obj) *Client {
	var n atomic.Int32
	c, _ := odd(t, func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		writeJSON(w, http.StatusOK, states[min(i, len(states)-1)])
	})
	return c
}

func withTasks(j obj, pct int, tasks ...obj) obj {
	j["percent_complete"] = pct
	j["tasks"] = append([]obj{}, tasks...)
	return j
}

func task(id, title, status string, messages ...string) obj {
	evs := []obj{}
	for _, m := range messages {
		evs = append(evs, obj{"message_details": m})
	}
	return obj{"id": id, "title": title, "status": status, "events": evs}
}

// realTime is a local engine whose jobs take their real time (a refresh 5 s), so that a
// test finds them running; the engine cancels them when the test ends.
func realTime(t *testing.T) *localDCT {
	return newLocal(t, DefaultBasePath, engine.Options{Speed: 1})
}

// PENDING, WAITING and SUSPENDED are statuses the local engine never gives.
func TestWaitGoesOnThroughEveryRunningStatusAndReportsEachMessageOnce(t *testing.T) {
	c := jobSequence(t,
		withTasks(job("job-1", JobPending), 0),
		withTasks(job("job-1", JobStarted), 10, task("t1", "Refresh", JobRunning, "Stopping VDB")),
		withTasks(job("job-1", JobRunning), 40, task("t1", "Refresh", JobRunning, "Stopping VDB", "Mounting")),
		withTasks(job("job-1", JobWaiting), 40, task("t1", "Refresh", JobRunning, "Stopping VDB", "Mounting")),
		withTasks(job("job-1", JobSuspended), 60, task("t1", "Refresh", JobRunning, "Stopping VDB", "Mounting")),
		withTasks(job("job-1", JobCompleted), 100, task("t1", "Refresh", JobCompleted, "Stopping VDB", "Mounting", "Done")),
	)
	var statuses, messages []string
	j, err := c.Jobs.Wait(t.Context(), "job-1", func(p Progress) {
		statuses = append(statuses, p.Job.Status)
		for _, m := range p.NewEvents {
			messages = append(messages, m.Task+": "+m.Message)
		}
	})
	require.NoError(t, err)
	assert.Equal(t, JobCompleted, j.Status)
	assert.Equal(t, []string{JobPending, JobStarted, JobRunning, JobWaiting, JobSuspended, JobCompleted}, statuses)
	assert.Equal(t, []string{"Refresh: Stopping VDB", "Refresh: Mounting", "Refresh: Done"}, messages)
}

func TestEveryFailedEndFailsTheWaitWithTheJobsError(t *testing.T) {
	t.Run(JobFailed, func(t *testing.T) {
		c, l := setup(t)
		l.e.FailNextJob(engine.JobFault{Message: "ORA-01031: insufficient privileges"})
		pod := l.vdb("prep1 DB")
		start, err := c.VDBs.Snapshot(t.Context(), pod.ID)
		require.NoError(t, err)
		j, err := c.Jobs.Wait(t.Context(), start.ID, nil)
		var je *JobError
		require.ErrorAs(t, err, &je)
		assert.Equal(t, JobFailed, j.Status)
		require.Len(t, j.Tasks, 1)
		assert.Equal(t, `job `+j.ID+` (DB Snapshot of "Self-Service/prep1 DB") FAILED: ORA-01031: insufficient privileges; task `+
			strconv.Quote(j.Tasks[0].Title)+` FAILED`, err.Error(), "the task's last message is the job's error, said once")
	})
	t.Run(JobAbandoned, func(t *testing.T) {
		l := realTime(t)
		c := l.client()
		start, err := c.VDBs.RefreshBySnapshot(t.Context(), l.vdb("prep1 DB").ID, "")
		require.NoError(t, err)
		require.NoError(t, c.Jobs.Abandon(t.Context(), start.ID))
		j, err := c.Jobs.Wait(t.Context(), start.ID, nil)
		var je *JobError
		require.ErrorAs(t, err, &je)
		assert.Equal(t, JobAbandoned, j.Status)
		assert.True(t, strings.HasPrefix(err.Error(), `job `+j.ID+` (DB Refresh of "Self-Service/prep1 DB") ABANDONED`), err.Error())
		assert.True(t, strings.HasSuffix(err.Error(), " (DCT stopped following it; the engine may still be running it)"), err.Error())
	})
	// TIMEDOUT, and CANCELED through DCT, are ends the local engine never gives.
	for _, status := range []string{JobTimedOut, JobCanceled} {
		t.Run(status, func(t *testing.T) {
			end := withTasks(job("job-2", status), 50,
				task("t1", "Stop VDB", JobCompleted, "Stopped"),
				task("t2", "Mount snapshot", status, "Starting", "ORA-01031: insufficient privileges"))
			end["error_details"] = "Refresh of mm-master failed."
			c := jobSequence(t, job("job-2", JobRunning), end)
			j, err := c.Jobs.Wait(t.Context(), "job-2", nil)
			var je *JobError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, status, j.Status)
			assert.Equal(t, `job job-2 (DB Refresh of "mm-master") `+status+`: Refresh of mm-master failed.; task "Mount snapshot" `+
				status+`: ORA-01031: insufficient privileges`, err.Error())
		})
	}
}

func TestWaitStopsWhenTheContextEndsAndLeavesTheJobAlone(t *testing.T) {
	l := realTime(t)
	c := l.client()
	start, err := c.VDBs.RefreshBySnapshot(t.Context(), l.vdb("prep1 DB").ID, "")
	require.NoError(t, err)
	l.forget()
	ctx, cancel := context.WithCancel(t.Context())
	reads := 0
	_, err = c.Jobs.Wait(ctx, start.ID, func(Progress) {
		if reads++; reads == 3 {
			cancel() // the pipeline's timeout, or an abort
		}
	})
	require.ErrorIs(t, err, context.Canceled)
	for _, line := range l.lines() {
		assert.Equal(t, "GET /jobs/"+start.ID, line, "no abandon on cancel")
	}
	j, err := c.Jobs.Get(t.Context(), start.ID)
	require.NoError(t, err)
	assert.Equal(t, JobRunning, j.Status, "the refresh goes on")
}

func TestAbandonSendsNoBody(t *testing.T) {
	l := realTime(t)
	c := l.client()
	start, err := c.VDBs.RefreshBySnapshot(t.Context(), l.vdb("prep1 DB").ID, "")
	require.NoError(t, err)
	l.forget()
	require.NoError(t, c.Jobs.Abandon(t.Context(), start.ID))
	assert.Equal(t, []string{"POST /jobs/" + start.ID + "/abandon"}, l.lines())
	assert.Empty(t, l.reqs()[0].Body)
	j, err := c.Jobs.Get(t.Context(), start.ID)
	require.NoError(t, err)
	assert.Equal(t, JobAbandoned, j.Status)
}

func TestAMissingJobIsNotFound(t *testing.T) {
	c, _ := setup(t)
	_, err := c.Jobs.Wait(t.Context(), "JOB-999", nil)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestActiveSearchesTheTargetsUnendedJobs(t *testing.T) {
	l := realTime(t)
	c := l.client()
	ctx := t.Context()
	g, other := l.group("prep1"), l.vdb("prep2 DB")
	vdb := g.VDBIDs[0]
	done(t, c)(c.VDBs.Snapshot(ctx, vdb)) // an ended job on the VDB (1 s)
	running, err := c.VDBs.RefreshBySnapshot(ctx, vdb, "")
	require.NoError(t, err)
	_, err = c.VDBs.Snapshot(ctx, other.ID) // running, on another target
	require.NoError(t, err)
	l.forget()
	jobs, err := c.Jobs.Active(ctx, g.ID, vdb)
	require.NoError(t, err)
	assert.Equal(t, "target_id IN ['"+g.ID+"', '"+vdb+"'] AND status IN ['PENDING', 'STARTED', 'RUNNING', 'WAITING', 'SUSPENDED']",
		searchFilters(t, l.recorder)[0])
	require.Len(t, jobs, 1, "an ended job, or one on another target, is not active")
	assert.Equal(t, running.ID, jobs[0].ID)
	_, err = c.Jobs.Active(ctx, `it's "x"`)
	require.Error(t, err)
	assert.Len(t, l.reqs(), 1)
}

func TestRecentReadsOnePageOfTheNewestJobsOnTheTarget(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	var ids []string
	for range 3 {
		ids = append(ids, done(t, c)(c.VDBs.Snapshot(t.Context(), pod.ID)).ID)
	}
	l.forget()
	jobs, err := c.Jobs.Recent(t.Context(), pod.ID, 2)
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	assert.Equal(t, []string{ids[2], ids[1]}, []string{jobs[0].ID, jobs[1].ID}, "the newest first")
	assert.Equal(t, map[string]any{"filter_expression": "target_id EQ '" + pod.ID + "'"}, l.lastBody())
	assert.Equal(t, "limit=2&sort=-start_time", l.reqs()[0].Query)
	assert.Len(t, l.reqs(), 1, "the newest page is enough")
	_, err = c.Jobs.Recent(t.Context(), `a'b"c`, 20)
	require.ErrorContains(t, err, "cannot be searched for")
	assert.Len(t, l.reqs(), 1)
}
