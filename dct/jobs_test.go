package dct

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jobSequence answers GET /jobs/{id} with each of states in turn, then the
// last one forever.
func jobSequence(f *fakeDCT, states ...obj) *atomic.Int32 {
	var n atomic.Int32
	f.on("GET /jobs/{id}", func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		writeJSON(w, http.StatusOK, states[min(i, len(states)-1)])
	})
	return &n
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

func TestWaitGoesOnThroughEveryRunningStatusAndReportsEachMessageOnce(t *testing.T) {
	c, f := setup(t)
	jobSequence(f,
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
	for _, status := range []string{JobFailed, JobTimedOut, JobCanceled, JobAbandoned} {
		t.Run(status, func(t *testing.T) {
			c, f := setup(t)
			end := withTasks(job("job-2", status), 50,
				task("t1", "Stop VDB", JobCompleted, "Stopped"),
				task("t2", "Mount snapshot", status, "Starting", "ORA-01031: insufficient privileges"))
			end["error_details"] = "Refresh of mm-master failed."
			jobSequence(f, job("job-2", JobRunning), end)
			j, err := c.Jobs.Wait(t.Context(), "job-2", nil)
			var je *JobError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, status, j.Status)
			want := `job job-2 (DB Refresh of "mm-master") ` + status + `: Refresh of mm-master failed.`
			if status != JobAbandoned {
				want += `; task "Mount snapshot" ` + status + `: ORA-01031: insufficient privileges`
			} else {
				want += " (DCT stopped following it; the engine may still be running it)"
			}
			assert.Equal(t, want, err.Error())
		})
	}
}

func TestWaitStopsWhenTheContextEndsAndLeavesTheJobAlone(t *testing.T) {
	c, f := setup(t)
	ctx, cancel := context.WithCancel(t.Context())
	var reads atomic.Int32
	f.on("GET /jobs/{id}", func(w http.ResponseWriter, _ *http.Request) {
		if reads.Add(1) == 3 {
			cancel() // the pipeline's timeout, or an abort
		}
		writeJSON(w, http.StatusOK, job("job-3", JobRunning))
	})
	_, err := c.Jobs.Wait(ctx, "job-3", nil)
	require.ErrorIs(t, err, context.Canceled)
	for _, l := range f.lines() {
		assert.Equal(t, "GET /jobs/job-3", l, "no abandon on cancel")
	}
}

func TestAbandonSendsNoBody(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /jobs/{id}/abandon", http.StatusNoContent, nil)
	require.NoError(t, c.Jobs.Abandon(t.Context(), "job-4"))
	assert.Equal(t, []string{"POST /jobs/job-4/abandon"}, f.lines())
	assert.Empty(t, f.reqs()[0].Body)
}

func TestAMissingJobIsNotFound(t *testing.T) {
	c, f := setup(t)
	f.answer("GET /jobs/{id}", http.StatusNotFound, obj{"errors": []obj{{"message": "Job not found"}}})
	_, err := c.Jobs.Wait(t.Context(), "job-5", nil)
	require.ErrorIs(t, err, ErrNotFound)
}

func TestActiveAsksForTheUnendedJobsOnTheTarget(t *testing.T) {
	c, f := setup(t)
	f.on("POST /jobs/search", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "start_time", r.URL.Query().Get("sort"))
		writeJSON(w, http.StatusOK, items("", job("job-2", JobRunning)))
	})
	jobs, err := c.Jobs.Active(t.Context(), "ds-1")
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	assert.Equal(t, "job-2", jobs[0].ID)
	assert.Equal(t, map[string]any{"filter_expression": "target_id EQ 'ds-1' AND status IN ['PENDING','STARTED','RUNNING','WAITING','SUSPENDED']"}, f.lastBody())
}

func TestRecentReadsOnePageOfTheNewestJobsOnTheTarget(t *testing.T) {
	c, f := setup(t)
	f.on("POST /jobs/search", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "-start_time", r.URL.Query().Get("sort"))
		assert.Equal(t, "20", r.URL.Query().Get("limit"))
		writeJSON(w, http.StatusOK, items("more", job("job-9", JobCompleted), job("job-8", JobFailed)))
	})
	jobs, err := c.Jobs.Recent(t.Context(), "vdb-1", 20)
	require.NoError(t, err)
	assert.Len(t, jobs, 2)
	assert.Equal(t, map[string]any{"filter_expression": "target_id EQ 'vdb-1'"}, f.lastBody())
	assert.Len(t, f.reqs(), 1, "the newest page is enough")
	_, err = c.Jobs.Recent(t.Context(), `a'b"c`, 20)
	require.ErrorContains(t, err, "cannot be searched for")
	assert.Len(t, f.reqs(), 1)
}
