package notify

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a hand-driven clock for the hub.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newHub(ttl time.Duration) (*Hub, *clock) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return New(ttl, c.now), c
}

// poll reads a channel without waiting.
func poll(h *Hub, name string, max int) ([]Note, int) { return h.Wait(name, 0, max, nil, nil) }

func job(ref string) Note { return Note{Object: ref, ObjectType: "Job", EventType: "UPDATE"} }

func TestEveryOpenChannelGetsEachChangedObjectOnceInOrder(t *testing.T) {
	h, _ := newHub(time.Minute)
	poll(h, "a", 0)
	h.Publish(job("JOB-1"))
	poll(h, "b", 0) // opened after JOB-1: sees only what follows
	h.Publish(job("JOB-2"))
	h.Publish(job("JOB-1"))
	h.Publish(job("JOB-2"))

	notes, dropped := poll(h, "a", 0)
	assert.Equal(t, []Note{job("JOB-1"), job("JOB-2")}, notes)
	assert.Zero(t, dropped)
	notes, _ = poll(h, "b", 0)
	assert.Equal(t, []Note{job("JOB-2"), job("JOB-1")}, notes)
	notes, _ = poll(h, "a", 0)
	assert.Empty(t, notes, "delivered notifications are gone")
}

func TestAPollWithAMaximumLeavesTheRestForTheNext(t *testing.T) {
	h, _ := newHub(time.Minute)
	poll(h, "a", 0)
	for _, r := range []string{"JOB-1", "JOB-2", "JOB-3"} {
		h.Publish(job(r))
	}
	notes, _ := poll(h, "a", 2)
	assert.Equal(t, []Note{job("JOB-1"), job("JOB-2")}, notes)
	h.Publish(job("JOB-3")) // still undelivered: not queued twice
	h.Publish(job("JOB-1")) // delivered: queued again
	notes, _ = poll(h, "a", 0)
	assert.Equal(t, []Note{job("JOB-3"), job("JOB-1")}, notes)
}

func TestAChannelThatFallsTooFarBehindIsToldHowManyWereDropped(t *testing.T) {
	h, _ := newHub(time.Minute)
	poll(h, "a", 0)
	for i := range MaxQueued + 5 {
		h.Publish(job(fmt.Sprintf("JOB-%d", i)))
	}
	notes, dropped := poll(h, "a", 0)
	assert.Equal(t, 5, dropped)
	require.Len(t, notes, MaxQueued)
	assert.Equal(t, job("JOB-5"), notes[0])
	notes, dropped = poll(h, "a", 0)
	assert.Empty(t, notes)
	assert.Zero(t, dropped, "the drop is reported once")
}

func TestALongPollReturnsWhenAnEventArrives(t *testing.T) {
	h, _ := newHub(time.Minute)
	got := make(chan []Note)
	go func() {
		notes, _ := h.Wait("a", time.Hour, 0, nil, nil)
		got <- notes
	}()
	require.Eventually(t, func() bool { return h.Stats().Waiting == 1 }, 10*time.Second, time.Millisecond)
	h.Publish(job("JOB-1"))
	assert.Equal(t, []Note{job("JOB-1")}, <-got)
	assert.Zero(t, h.Stats().Waiting, "a publish wakes the waiting channels and forgets them")
}

func TestALongPollEndsWhenTheRequestOrTheEngineEnds(t *testing.T) {
	h, _ := newHub(time.Minute)
	for _, which := range []string{"done", "closing"} {
		done, closing := make(chan struct{}), make(chan struct{})
		end := map[string]chan struct{}{"done": done, "closing": closing}[which]
		close(end)
		notes, dropped := h.Wait("a", time.Hour, 0, closing, done)
		assert.Empty(t, notes, which)
		assert.Zero(t, dropped, which)
	}
}

func TestChannelsUnusedForTheTTLExpireAndTheLogKeepsOnlyUnreadEvents(t *testing.T) {
	h, clk := newHub(time.Minute)
	poll(h, "idle", 0)
	poll(h, "busy", 0)
	h.Publish(job("JOB-1"))
	for range 10 {
		clk.advance(31 * time.Second)
		poll(h, "busy", 0)
		h.Publish(job("JOB-2"))
	}
	st := h.Stats()
	assert.Equal(t, 1, st.Channels, "the idle channel expired, the busy one lives")
	assert.LessOrEqual(t, st.Logged, 2, "of 11 events the log keeps those since the sweep before busy's last read")

	notes, _ := poll(h, "idle", 0)
	assert.Empty(t, notes, "an expired channel comes back new, with no history")
	notes, _ = poll(h, "busy", 0)
	assert.Equal(t, []Note{job("JOB-2")}, notes)
}

func TestAChannelWithALongPollInProgressDoesNotExpire(t *testing.T) {
	h, clk := newHub(time.Minute)
	got := make(chan []Note)
	go func() {
		notes, _ := h.Wait("a", time.Hour, 0, nil, nil)
		got <- notes
	}()
	require.Eventually(t, func() bool { return h.Stats().Waiting == 1 }, 10*time.Second, time.Millisecond)
	clk.advance(time.Hour)
	poll(h, "other", 0) // sweeps
	h.Publish(job("JOB-1"))
	assert.Equal(t, []Note{job("JOB-1")}, <-got)
	assert.Equal(t, 2, h.Stats().Channels)
}
