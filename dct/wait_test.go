package dct

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is Wait's time in these tests: Sleep moves it on at once.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

// timeline is a job's status and percent at a time since it started.
type timeline func(elapsed time.Duration) (status string, pct int)

// steady is a job of duration d whose percent rises evenly (a whole number,
// below 100 until it ends).
func steady(d time.Duration) timeline {
	return func(el time.Duration) (string, int) {
		if el >= d {
			return JobCompleted, 100
		}
		return JobRunning, min(int(100*el/d), 99)
	}
}

// waitedOn is what a wait with the default intervals (1 s and 10 s) saw of a
// job that ends at end on the fake clock, the wait starting at begin.
type waitedOn struct {
	noticed time.Duration // after the end
	reads   int
	sleeps  []time.Duration
	ends    []time.Time // the expected ends reported
}

// waitFor waits on a job that follows tl. Its answers follow the fake clock, which the
// local engine's jobs do not: the wait tests serve them themselves.
func waitFor(t *testing.T, tl timeline, begin, end time.Duration) waitedOn {
	t.Helper()
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	clk := &fakeClock{t: start.Add(begin)}
	reads := 0
	c, _ := odd(t, func(w http.ResponseWriter, _ *http.Request) {
		reads++
		status, pct := tl(clk.Now().Sub(start))
		j := job("job-1", status)
		j["percent_complete"] = pct
		writeJSON(w, http.StatusOK, j)
	})
	c.wait = waitSettings{min: time.Second, max: 10 * time.Second, clock: clk}
	var ends []time.Time
	j, err := c.Jobs.Wait(t.Context(), "job-1", func(p Progress) { ends = append(ends, p.ExpectedEnd) })
	require.NoError(t, err)
	require.Equal(t, JobCompleted, j.Status)
	return waitedOn{noticed: clk.Now().Sub(start.Add(end)), reads: reads, sleeps: clk.sleeps, ends: ends}
}

func longest(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

func TestTheEndOfAJobWhosePercentRisesIsNoticedWithinASecond(t *testing.T) {
	for _, d := range []time.Duration{20 * time.Second, time.Minute, 90 * time.Second, 10 * time.Minute} {
		for _, begin := range []time.Duration{0, 300 * time.Millisecond, d / 3} {
			t.Run(fmt.Sprintf("%s job, waited on from %s", d, begin), func(t *testing.T) {
				w := waitFor(t, steady(d), begin, d)
				assert.LessOrEqual(t, w.noticed, time.Second, "noticed after the end")
				assert.LessOrEqual(t, longest(w.sleeps), 10*time.Second, "no interval above the maximum")
				// A poller every 10 s reads d/10 times; the wait a few more: its first
				// reads, a few closing in on the end and at most 16 across the last percent.
				assert.LessOrEqual(t, w.reads, int((d-begin)/(10*time.Second))+25, "reads")
			})
		}
	}
}

func TestTheExpectedEndComesCloserToTheRealOne(t *testing.T) {
	w := waitFor(t, steady(time.Minute), 0, time.Minute)
	start := time.Date(2026, 12, 1, 8, 1, 0, 0, time.UTC)
	var told []time.Time
	for _, e := range w.ends {
		if !e.IsZero() {
			told = append(told, e)
		}
	}
	require.GreaterOrEqual(t, len(told), 3)
	first, last := told[0].Sub(start).Abs(), told[len(told)-1].Sub(start).Abs()
	assert.Less(t, last, first, "the last estimate is closer than the first")
	assert.LessOrEqual(t, last, time.Second)
}

func TestAJobThatTellsNothingIsReadAtIntervalsDoublingToTheMaximum(t *testing.T) {
	quiet := func(el time.Duration) (string, int) {
		if el >= 10*time.Minute {
			return JobCompleted, 100
		}
		return JobRunning, 0
	}
	w := waitFor(t, quiet, 0, 10*time.Minute)
	require.GreaterOrEqual(t, len(w.sleeps), 6)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}, w.sleeps[:6])
	assert.LessOrEqual(t, longest(w.sleeps), 10*time.Second)
	assert.LessOrEqual(t, w.noticed, 10*time.Second)
	assert.LessOrEqual(t, w.reads, 64, "about 6 reads a minute")
}

// TestAJobWhosePercentLeapsIsNeverNoticedLaterThanTheMaximum follows the percents of a
// real engine's export job (reference/engine, test_v2p JOB-5033, 13 minutes): 2% for 12
// minutes, then 90, 95 and 99, and the end 13 s after 99.
func TestAJobWhosePercentLeapsIsNeverNoticedLaterThanTheMaximum(t *testing.T) {
	type at struct {
		el  time.Duration
		pct int
	}
	events := []at{{0, 0}, {300 * time.Millisecond, 1}, {400 * time.Millisecond, 2}, {719 * time.Second, 90},
		{752 * time.Second, 95}, {784 * time.Second, 99}}
	end := 797 * time.Second
	tl := func(el time.Duration) (string, int) {
		if el >= end {
			return JobCompleted, 100
		}
		pct := 0
		for _, e := range events {
			if el >= e.el {
				pct = e.pct
			}
		}
		return JobRunning, pct
	}
	w := waitFor(t, tl, 0, end)
	assert.LessOrEqual(t, longest(w.sleeps), 10*time.Second)
	assert.LessOrEqual(t, w.noticed, 10*time.Second)
	// Each leap opens a new window of at most 16 reads; two leaps before the end.
	assert.LessOrEqual(t, w.reads, int(end/(10*time.Second))+50)
}

func TestAPercentThatGoesBackStartsAFreshEstimate(t *testing.T) {
	// Two tasks, each reporting 0 to 99 over 30 s: the job's percent falls back once.
	tl := func(el time.Duration) (string, int) {
		switch {
		case el >= time.Minute:
			return JobCompleted, 100
		case el >= 30*time.Second:
			return JobRunning, min(int(100*(el-30*time.Second)/(30*time.Second)), 99)
		}
		return JobRunning, min(int(100*el/(30*time.Second)), 99)
	}
	w := waitFor(t, tl, 0, time.Minute)
	assert.LessOrEqual(t, w.noticed, time.Second)
	assert.LessOrEqual(t, longest(w.sleeps), 10*time.Second)
}

// is_waiting_for_telemetry is an answer the local engine never gives.
func TestAJobWaitingForTelemetryIsReadAgainSoon(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	var n int
	c, _ := odd(t, func(w http.ResponseWriter, _ *http.Request) {
		n++
		j := job("job-1", JobStarted)
		switch {
		case n == 1:
			j["percent_complete"] = 40
		case n < 5:
			j["percent_complete"], j["is_waiting_for_telemetry"] = 100, true
		default:
			j = job("job-1", JobCompleted)
		}
		writeJSON(w, http.StatusOK, j)
	})
	c.wait = waitSettings{min: time.Second, max: 10 * time.Second, clock: clk}
	_, err := c.Jobs.Wait(t.Context(), "job-1", nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{time.Second, 500 * time.Millisecond, time.Second, 2 * time.Second}, clk.sleeps,
		"after the first read: half the minimum, then doubling")
}
