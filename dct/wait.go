package dct

import (
	"context"
	"time"
)

// DCT has no way to be told that a job changed: a wait reads GET /jobs/{id}
// again and again. What each read tells decides when to read next. A job
// whose percent_complete rises is read again near its expected end, which
// its rate since the first read gives; a job that tells nothing (its percent
// stands still) is read at intervals that double from the client's minimum
// to its maximum. No interval is longer than the maximum, so the end is
// never noticed later than that after it came.

// clock is Wait's time: the real one, or a test's.
type clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock (monotonic readings).
type realClock struct{}

func (realClock) Now() time.Time                                   { return time.Now() }
func (realClock) Sleep(ctx context.Context, d time.Duration) error { return sleep(ctx, d) }

// pacer decides when to read a job again. Percents are whole numbers, so
// a read tells only that the job reached its percent at some time since the
// last read that showed less; the pacer keeps, for the percent last seen,
// the read that first showed it and the read before.
type pacer struct {
	min, max   time.Duration // the client's wait intervals
	fine       time.Duration // the interval around the expected end
	idle       time.Duration // the next interval while the job tells nothing
	t0         time.Time     // the first read, the baseline of the rate
	p0         int           // its percent
	pct        int           // the percent last seen
	seen, prev time.Time     // the read that first showed pct, and the read before it
	lastRead   time.Time
	late       int // reads since the window of the expected end closed
	begun      bool
}

func newPacer(s waitSettings) *pacer {
	return &pacer{min: s.min, max: s.max, fine: max(s.min/2, time.Nanosecond), idle: s.min}
}

// next returns how long to wait before reading again, given the job as read
// at now, and when the job should end (zero while that cannot be told).
func (p *pacer) next(now time.Time, j *Job) (time.Duration, time.Time) {
	pct := min(max(j.PercentComplete, 0), 100)
	switch {
	case !p.begun || pct < p.pct:
		// The first read, or a percent that went back (a new task began): a
		// new baseline.
		p.t0, p.p0, p.pct, p.seen, p.prev, p.begun = now, pct, pct, now, now, true
	case pct > p.pct:
		p.pct, p.seen, p.prev, p.late = pct, now, p.lastRead, 0
	}
	p.lastRead = now
	if pct >= 100 || j.WaitingForTelemetry {
		// The work is done; only the status is not final yet.
		return p.lateInterval(), now
	}
	if pct == p.p0 || !p.seen.After(p.t0) {
		d := p.idle
		p.idle = min(p.idle*2, p.max)
		return d, time.Time{}
	}
	// Seconds per percent since the baseline, and the window the end falls
	// in: the percent last seen was reached between the read before and the
	// read that first showed it, at most one percent's time before it.
	per := p.seen.Sub(p.t0).Seconds() / float64(pct-p.p0)
	step := time.Duration(per * float64(time.Second))
	high := p.seen.Add(time.Duration(float64(100-pct) * per * float64(time.Second)))
	low := high.Add(-min(p.seen.Sub(p.prev), step) - step)
	switch {
	case now.Before(low.Add(-2 * p.fine)):
		// Close in on the window: read again a quarter of the time left
		// before it, with a better estimate each time.
		left := low.Sub(now)
		return min(left-max(p.fine, left/4), p.max), high
	case !now.After(high):
		// In the window: often enough to notice the end soon, at most 16
		// reads across it (a long job's percent spans a long time).
		return min(max(p.fine, high.Sub(low)/16), p.max), high
	}
	return p.lateInterval(), high
}

// lateInterval is the interval once the job should have ended: fine at
// first, doubling up to the maximum while nothing moves.
func (p *pacer) lateInterval() time.Duration {
	d := p.fine << min(p.late, 20)
	p.late++
	return min(d, p.max)
}
