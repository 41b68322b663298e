package refresh_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An abort (Jenkins' SIGTERM) of a step on DCT abandons the job it started and says so
// plainly, in the log and the error file: DCT cannot cancel, and the engine work may go on.
// A refresh started right after waits for that engine work, naming the job, instead of
// failing with DCT's 409.
func TestOnDCTAnAbortAbandonsTheJobAndTheNextRefreshWaitsForItsEngineWork(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.3}) // a refresh takes seconds
	c := st.DCTClient(t, e, st.DCTAdmin)
	master, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	errorFile := filepath.Join(t.TempDir(), "error.json")
	env := []string{"PATH=/usr/bin:/bin", "DELPHIX_PLATFORM=dct", "DELPHIX_RETRY_MAX=0", "DELPHIX_ENGINE=" + e.URL(),
		"DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin"), "DELPHIX_ERROR_FILE=" + errorFile}
	args := []string{"dx-refresh", "--vdb", "Patients Masked Master"}

	ctx, abort := context.WithCancelCause(context.Background())
	defer abort(nil)
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, refresh.Step, args, &stdout, &stderr, env) }()
	var running []dct.Job
	require.Eventually(t, func() bool {
		running, err = c.Jobs.Active(t.Context(), master.ID)
		return err == nil && len(running) == 1
	}, 20*time.Second, 20*time.Millisecond, "the refresh job starts")
	abort(&cli.AbortError{Signal: syscall.SIGTERM})
	code := <-done
	job := running[0].ID

	assert.Equal(t, cli.ExitSIGTERM, code, stderr.String())
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "job "+job+" started")
	j, err := c.Jobs.Get(t.Context(), job)
	require.NoError(t, err)
	assert.Equal(t, dct.JobAbandoned, j.Status, "DCT stops following the job the step started")
	raw, err := os.ReadFile(errorFile)
	require.NoError(t, err)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(raw, &rec))
	for _, out := range []string{stderr.String(), rec["message"].(string)} {
		assert.Contains(t, out, "aborted by SIGTERM; abandoned DCT job "+job)
		assert.Contains(t, out, "the engine work may go on")
		assert.NotContains(t, out, "cancelled")
	}
	assert.Equal(t, "aborted", rec["category"])

	stdout.Reset()
	stderr.Reset()
	code = cli.Run(t.Context(), refresh.Step, args, &stdout, &stderr, env)
	require.Equal(t, cli.ExitOK, code, stderr.String())
	assert.Contains(t, stderr.String(), "busy with the engine work of job "+job+" (DB Refresh), which DCT abandoned")
	var res refresh.Result
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res))
	assert.NotEqual(t, job, res.Job)
	j, err = c.Jobs.Get(t.Context(), res.Job)
	require.NoError(t, err)
	assert.Equal(t, dct.JobCompleted, j.Status, "the second refresh ran after the abandoned work ended")
}
