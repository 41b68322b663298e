package state

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestARunningJobsPercentIsTheShareOfItsPlannedDurationGone(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	j := &Job{State: "RUNNING", Start: t0, planned: time.Minute, Percent: 0}
	assert.Equal(t, 0, j.PercentAt(t0))
	assert.Equal(t, 25, j.PercentAt(t0.Add(15*time.Second)))
	assert.Equal(t, 99, j.PercentAt(t0.Add(2*time.Minute)), "below 100 until it ends")
	j.Percent = 40 // an event said 40
	assert.Equal(t, 40, j.PercentAt(t0.Add(15*time.Second)), "never below the last event's")
	j.State, j.Percent = "COMPLETED", 100
	assert.Equal(t, 100, j.PercentAt(t0.Add(15*time.Second)))
	j.State, j.Percent = "FAILED", 50
	assert.Equal(t, 50, j.PercentAt(t0.Add(2*time.Minute)), "an ended job keeps its last event's")
}
