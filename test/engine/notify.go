package engine

import (
	"strconv"
	"sync"
	"time"
)

// maxQueued bounds a channel's queue; beyond it the oldest entries are dropped and the next
// poll starts with a NotificationDrop.
const maxQueued = 1000

// notifier keeps one queue per notification channel. It has its own lock so that long polls
// never hold the engine's lock.
type notifier struct {
	mu       sync.Mutex
	channels map[string]*channel
}

type channel struct {
	queue   []obj
	dropped int
	wake    chan struct{}
}

func newNotifier() *notifier { return &notifier{channels: map[string]*channel{}} }

func (n *notifier) channel(name string) *channel {
	ch := n.channels[name]
	if ch == nil {
		ch = &channel{wake: make(chan struct{})}
		n.channels[name] = ch
	}
	return ch
}

// publish queues a notification on every channel that has been polled, skipping one that is
// already queued and not yet delivered.
func (n *notifier) publish(note obj) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, ch := range n.channels {
		dup := false
		for _, q := range ch.queue {
			if q["object"] == note["object"] && q["eventType"] == note["eventType"] {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if len(ch.queue) >= maxQueued {
			ch.queue = ch.queue[1:]
			ch.dropped++
		}
		ch.queue = append(ch.queue, note)
		close(ch.wake)
		ch.wake = make(chan struct{})
	}
}

// wait returns up to max (0 = all) queued notifications of a channel, waiting up to timeout
// for the first one; it gives up early when closing or done is closed.
func (n *notifier) wait(name string, timeout time.Duration, max int, closing, done <-chan struct{}) []obj {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		n.mu.Lock()
		ch := n.channel(name)
		if len(ch.queue) > 0 || ch.dropped > 0 {
			var out []obj
			if ch.dropped > 0 {
				out = append(out, obj{"type": "NotificationDrop", "dropCount": ch.dropped})
				ch.dropped = 0
			}
			k := len(ch.queue)
			if max > 0 && k > max {
				k = max
			}
			out = append(out, ch.queue[:k]...)
			ch.queue = append([]obj{}, ch.queue[k:]...)
			n.mu.Unlock()
			return out
		}
		wake := ch.wake
		n.mu.Unlock()
		select {
		case <-wake:
		case <-timer.C:
			return nil
		case <-closing:
			return nil
		case <-done:
			return nil
		}
	}
}

// atoiDefault parses a non-negative integer query parameter.
func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return def
	}
	return n
}

// page applies pageSize/pageOffset (pageOffset counts pages, as on the engine).
func page(items []obj, size, offset string, def int) []obj {
	n := atoiDefault(size, def)
	if n <= 0 {
		return items
	}
	start := atoiDefault(offset, 0) * n
	if start >= len(items) {
		return []obj{}
	}
	return items[start:min(start+n, len(items))]
}
