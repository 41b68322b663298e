package cli

import (
	"bytes"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
)

func TestDCTProgressPrintsEachNewMessageWithTheJobsPercentAndThePercentOnlyWhenItMoved(t *testing.T) {
	var out bytes.Buffer
	progress := NewLog(&out, "dx-sync").DCTProgress("JOB-1")
	job := &dct.Job{ID: "JOB-1", PercentComplete: 0, Tasks: []dct.JobTask{{Title: `Run SnapSync for database "Patients Prod".`}}}
	progress(dct.Progress{Job: job, NewEvents: []dct.TaskMessage{{Task: job.Tasks[0].Title, Message: `DB_SYNC job started for "Patients Prod".`}}})
	progress(dct.Progress{Job: job})
	job.PercentComplete = 40
	progress(dct.Progress{Job: job, NewEvents: []dct.TaskMessage{{Task: job.Tasks[0].Title, Message: "Stopping   the\nVDB"}, {Message: "  "}}})
	job.PercentComplete = 100
	progress(dct.Progress{Job: job})
	assert.Equal(t, "dx-sync:   JOB-1   0% DB_SYNC job started for \"Patients Prod\".\n"+
		"dx-sync:   JOB-1  40% Stopping the VDB\n"+
		"dx-sync:   JOB-1 100%\n", out.String(), "no empty percent line after a message, no task title on a one-task job")
}

func TestDCTProgressNamesTheTaskWhenTheJobHasSeveral(t *testing.T) {
	var out bytes.Buffer
	progress := NewLog(&out, "dx-refresh").DCTProgress("job-7")
	job := &dct.Job{ID: "job-7", PercentComplete: 40, Tasks: []dct.JobTask{{Title: "Refresh database."}, {Title: "Run hooks"}}}
	progress(dct.Progress{Job: job, NewEvents: []dct.TaskMessage{{Task: "Refresh database.", Message: "Stopping the VDB"}, {Task: "Run hooks", Message: "Run hooks"}}})
	assert.Equal(t, "dx-refresh:   job-7  40% Refresh database: Stopping the VDB\n"+
		"dx-refresh:   job-7  40% Run hooks\n", out.String())
}
