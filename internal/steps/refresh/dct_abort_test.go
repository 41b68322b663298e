package refresh_test

import (
	"bytes"
	"context"
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

// An abort (Jenkins' SIGTERM) of a step on DCT abandons the job it started and says so,
// after the job's progress was shown as on the engine.
func TestOnDCTAnAbortAbandonsTheJobTheStepStarted(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 1}) // a refresh takes seconds
	c := st.DCTClient(t, e, st.DCTAdmin)
	master, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)

	ctx, abort := context.WithCancelCause(context.Background())
	defer abort(nil)
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		env := []string{"PATH=/usr/bin:/bin", "DELPHIX_PLATFORM=dct", "DELPHIX_RETRY_MAX=0", "DELPHIX_ENGINE=" + e.URL(),
			"DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")}
		done <- cli.Run(ctx, refresh.Step, []string{"dx-refresh", "--vdb", "Patients Masked Master"}, &stdout, &stderr, env)
	}()
	var running []dct.Job
	require.Eventually(t, func() bool {
		running, err = c.Jobs.Active(t.Context(), master.ID)
		return err == nil && len(running) == 1
	}, 20*time.Second, 20*time.Millisecond, "the refresh job starts")
	abort(&cli.AbortError{Signal: syscall.SIGTERM})
	code := <-done

	assert.Equal(t, cli.ExitSIGTERM, code, stderr.String())
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "abandoned DCT job "+running[0].ID)
	assert.Contains(t, stderr.String(), "job "+running[0].ID+" started")
	j, err := c.Jobs.Get(t.Context(), running[0].ID)
	require.NoError(t, err)
	assert.Equal(t, dct.JobAbandoned, j.Status, "DCT stops following the job the step started")
}
