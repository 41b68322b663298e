package engine

import (
	"strconv"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/notify"
)

// channelTTL is how long a notification channel lives without a poll: twice a 60 s long
// poll, the longest that common proxies let through.
const channelTTL = 2 * time.Minute

// noteObjects turns what a channel delivers into the engine's Notification objects.
func noteObjects(notes []notify.Note, dropped int) []obj {
	out := make([]obj, 0, len(notes)+1)
	if dropped > 0 {
		out = append(out, obj{"type": "NotificationDrop", "dropCount": dropped})
	}
	for _, n := range notes {
		out = append(out, obj{"type": "ObjectNotification", "object": n.Object, "objectType": n.ObjectType, "eventType": n.EventType})
	}
	return out
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
