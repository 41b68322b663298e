package e2e

import (
	"context"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jenkinsKillWait is how long Jenkins waits after the SIGTERM of an aborted
// build before it kills the step (ProcessTree.SoftKillWaitSeconds): the one
// bound the abort tests assert, because it is the requirement itself.
const jenkinsKillWait = 5 * time.Second

var jobStarted = regexp.MustCompile(`job (JOB-\d+) started`)

// startedJob is the job the step's log says it started.
func startedJob(t *testing.T, stderr string) string {
	t.Helper()
	m := jobStarted.FindStringSubmatch(stderr)
	require.NotNil(t, m, "no job started: %s", stderr)
	return m[1]
}

// engineJob reads job ref on the engine, as the admin.
func engineJob(t *testing.T, e *engine.Engine, ref string) *delphix.Job {
	t.Helper()
	c, err := delphix.NewClient(e.URL())
	require.NoError(t, err)
	require.NoError(t, c.Login(context.Background(), "delphix_admin", adminPassword))
	j, err := c.Jobs.Get(context.Background(), ref)
	require.NoError(t, err)
	return j
}

// An aborted build's SIGTERM cancels the job even when the answer to the cancel is lost,
// after the engine acted or before: the step reads the job's state, sends the cancel again
// when it did not get through, and is gone within Jenkins' 5 s with the job CANCELED.
func TestSIGTERMCancelsTheJobWithinJenkinsWindowEvenWhenTheCancelsAnswerIsLost(t *testing.T) {
	for _, kind := range []string{"dropAfter", "dropBefore"} {
		t.Run(kind, func(t *testing.T) {
			e := enginetest.Start(t, engine.Options{Speed: 3}) // a refresh of many seconds
			require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: kind, Method: "POST", PathSuffix: "/cancel"}))
			r := step{t: t, e: e, bin: "dx-refresh", args: []string{"--vdb", "Patients Masked Master"}}.signal("started", syscall.SIGTERM)
			job := startedJob(t, r.stderr)

			assert.Equal(t, 143, r.code, r.stderr)
			assert.Less(t, r.afterSignal, jenkinsKillWait, "gone before Jenkins kills it")
			assert.Equal(t, delphix.JobCanceled, engineJob(t, e, job).JobState, r.stderr)
			assert.Contains(t, r.stderr, "aborted by SIGTERM; cancelled job "+job)
			assert.Contains(t, r.stderr, "it is CANCELED on the engine")
		})
	}
}

// An engine that never answers the cancel in time does not keep the step past Jenkins'
// window: the step exits within 5 s and its last line says the job still runs, and names it.
func TestSIGTERMWithACancelThatNeverGetsThroughSaysTheJobStillRuns(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 3})
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "dropBefore", Method: "POST", PathSuffix: "/cancel", Count: 1000}))
	ef := t.TempDir() + "/error.json"
	r := step{t: t, e: e, bin: "dx-refresh", args: []string{"--vdb", "Patients Masked Master"},
		env: []string{"DELPHIX_ERROR_FILE=" + ef}}.signal("started", syscall.SIGTERM)
	job := startedJob(t, r.stderr)

	assert.Equal(t, 143, r.code, r.stderr)
	assert.Less(t, r.afterSignal, jenkinsKillWait, "gone before Jenkins kills it")
	assert.Equal(t, delphix.JobRunning, engineJob(t, e, job).JobState)
	rec := errorFile(t, ef)
	assert.Equal(t, "aborted", rec["category"])
	assert.Contains(t, rec["message"], "could not cancel job "+job)
	assert.Contains(t, rec["message"], "it is still RUNNING on the engine")
}

// On DCT, which cannot cancel a job, SIGTERM abandons it within Jenkins' window, and the last
// line and the error file say plainly that the engine work may go on, naming the job.
func TestSIGTERMOnDCTSaysTheJobWasAbandonedAndTheEngineWorkMayGoOn(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 3})
	ef := t.TempDir() + "/error.json"
	r := step{t: t, e: e, bin: "dx-refresh", args: []string{"--vdb", "Patients Masked Master"},
		env: []string{"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin"), "DELPHIX_ERROR_FILE=" + ef}}.signal("started", syscall.SIGTERM)
	job := startedJob(t, r.stderr)

	assert.Equal(t, 143, r.code, r.stderr)
	assert.Less(t, r.afterSignal, jenkinsKillWait, "gone before Jenkins kills it")
	rec := errorFile(t, ef)
	for _, msg := range []string{r.stderr, rec["message"].(string)} {
		assert.Contains(t, msg, "aborted by SIGTERM; abandoned DCT job "+job)
		assert.Contains(t, msg, "the engine work may go on")
		assert.NotContains(t, msg, "cancelled")
	}
	assert.Equal(t, delphix.JobRunning, engineJob(t, e, job).JobState, "DCT 3.18 cannot stop the engine work")
}
