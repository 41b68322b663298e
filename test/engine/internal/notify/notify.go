// Package notify is the local engine's notification hub: the named channels that
// /notification long-polls read.
//
// Every channel is entitled to every event (the API has no filter), so events go to one
// shared log and a channel keeps only its place in it. Publishing appends to the log and
// wakes the channels whose long poll is waiting now, and nothing else: an idle channel costs
// nothing per event and catches up when it next polls. A channel that nobody polls for TTL is
// forgotten, and the log keeps only what a live channel has not read.
package notify

import (
	"sync"
	"time"
)

// MaxQueued bounds what a channel holds undelivered; beyond it the oldest notifications are
// dropped and the next poll starts with a drop count.
const MaxQueued = 1000

// Note is an ObjectNotification: object changed (eventType CREATE, UPDATE or DELETE).
type Note struct {
	Object, ObjectType, EventType string
}

// key is what makes two notifications the same: a channel holds one of each undelivered.
type key struct{ object, eventType string }

// Hub holds the channels and the shared log. All methods are safe for concurrent use; the
// hub has its own lock and never takes anyone else's.
type Hub struct {
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex
	log       []Note // events with sequence numbers first .. first+len(log)-1
	first     uint64
	channels  map[string]*channel
	waiting   map[*channel]struct{} // channels with a long poll waiting for the next event
	lastSweep time.Time
}

type channel struct {
	cursor  uint64 // sequence number of the next event to read
	pending []Note // undelivered, deduplicated, left over by a poll with a maximum
	dropped int
	polls   int // long polls in progress; a channel in use never expires
	lastUse time.Time
	wake    chan struct{} // closed by the next publish; nil when nobody waits
}

// New returns a hub whose channels expire after ttl without a poll. now is the clock (nil
// means time.Now); tests pass their own.
func New(ttl time.Duration, now func() time.Time) *Hub {
	if now == nil {
		now = time.Now
	}
	return &Hub{ttl: ttl, now: now, channels: map[string]*channel{}, waiting: map[*channel]struct{}{}, lastSweep: now()}
}

// Publish records an event for every channel and wakes the long polls waiting now.
func (h *Hub) Publish(n Note) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = append(h.log, n)
	for ch := range h.waiting {
		close(ch.wake)
		ch.wake = nil
	}
	clear(h.waiting)
	h.sweepIfDue()
}

// Wait returns up to max (0 = all) undelivered notifications of channel name and how many
// were dropped before them, waiting up to timeout for the first one. It gives up early when
// closing or done is closed. The first poll of a name opens the channel: it sees the events
// published from then on.
func (h *Hub) Wait(name string, timeout time.Duration, max int, closing, done <-chan struct{}) ([]Note, int) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		h.mu.Lock()
		ch := h.open(name)
		if notes, dropped := h.take(ch, max); len(notes) > 0 || dropped > 0 {
			h.mu.Unlock()
			return notes, dropped
		}
		if ch.wake == nil {
			ch.wake = make(chan struct{})
			h.waiting[ch] = struct{}{}
		}
		wake := ch.wake
		ch.polls++
		h.mu.Unlock()

		woken := false
		select {
		case <-wake:
			woken = true
		case <-timer.C:
		case <-closing:
		case <-done:
		}
		h.mu.Lock()
		ch.polls--
		ch.lastUse = h.now()
		h.mu.Unlock()
		if !woken {
			return nil, 0
		}
	}
}

// open finds or creates a channel and marks it used. The caller holds the lock.
func (h *Hub) open(name string) *channel {
	h.sweepIfDue()
	ch := h.channels[name]
	if ch == nil {
		ch = &channel{cursor: h.first + uint64(len(h.log))}
		h.channels[name] = ch
	}
	ch.lastUse = h.now()
	return ch
}

// take moves a channel past the events it has not read and returns up to max of them,
// one per object and event type in order of arrival, with the drop count. The caller holds
// the lock.
func (h *Hub) take(ch *channel, max int) ([]Note, int) {
	fresh := h.log[ch.cursor-h.first:]
	ch.cursor = h.first + uint64(len(h.log))
	queue := ch.pending
	if len(fresh) > 0 {
		queued := make(map[key]int, len(queue)+len(fresh))
		for _, n := range queue {
			queued[key{n.Object, n.EventType}]++
		}
		queue = append([]Note(nil), queue...)
		for _, n := range fresh {
			k := key{n.Object, n.EventType}
			if queued[k] > 0 {
				continue
			}
			if len(queue) >= MaxQueued {
				queued[key{queue[0].Object, queue[0].EventType}]--
				queue = queue[1:]
				ch.dropped++
			}
			queue = append(queue, n)
			queued[k]++
		}
	}
	k := len(queue)
	if max > 0 && k > max {
		k = max
	}
	out, dropped := queue[:k:k], ch.dropped
	ch.pending, ch.dropped = append([]Note(nil), queue[k:]...), 0
	return out, dropped
}

// sweepIfDue forgets the channels unused for longer than the TTL and the events every live
// channel has read, at most twice per TTL. The caller holds the lock.
func (h *Hub) sweepIfDue() {
	now := h.now()
	if now.Sub(h.lastSweep) < h.ttl/2 {
		return
	}
	h.lastSweep = now
	oldest := h.first + uint64(len(h.log))
	for name, ch := range h.channels {
		if ch.polls == 0 && now.Sub(ch.lastUse) > h.ttl {
			delete(h.channels, name)
			delete(h.waiting, ch)
			continue
		}
		oldest = min(oldest, ch.cursor)
	}
	if n := int(oldest - h.first); n > 0 {
		h.log = append([]Note(nil), h.log[n:]...)
		h.first = oldest
	}
}

// Stats is the hub's size: live channels and events kept in the log.
type Stats struct{ Channels, Logged, Waiting int }

// Stats reports the hub's size.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Stats{Channels: len(h.channels), Logged: len(h.log), Waiting: len(h.waiting)}
}
