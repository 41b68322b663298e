package cli

import (
	"bytes"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
)

func TestDCTProgressPrintsEachNewTaskMessageThenThePercentWhenItMoves(t *testing.T) {
	var out bytes.Buffer
	progress := NewLog(&out, "dx-refresh").DCTProgress("job-7")
	job := &dct.Job{ID: "job-7", PercentComplete: 40}
	progress(dct.Progress{Job: job, NewEvents: []dct.TaskMessage{{Task: "Refresh database", Message: "Stopping   the\nVDB"}, {Message: "  "}}})
	progress(dct.Progress{Job: job})
	job.PercentComplete = 100
	progress(dct.Progress{Job: job, NewEvents: []dct.TaskMessage{{Task: "Done", Message: "Done"}}})
	assert.Equal(t, "dx-refresh:   job-7  40% Refresh database: Stopping the VDB\n"+
		"dx-refresh:   job-7  40%\n"+
		"dx-refresh:   job-7 100% Done\n"+
		"dx-refresh:   job-7 100%\n", out.String())
}
