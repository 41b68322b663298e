package delphix

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// Notification is one entry of the engine's notification stream:
// ObjectNotification, SingletonUpdate or NotificationDrop.
type Notification struct {
	Type       string `json:"type"`
	Object     string `json:"object"`
	ObjectType string `json:"objectType"`
	EventType  string `json:"eventType"`
	DropCount  int    `json:"dropCount"`
}

// NotificationsService long-polls the engine's notification stream.
type NotificationsService service

// Poll waits up to timeout for notifications on channel (GET
// /notification?channel=&timeout=). Each channel is its own queue on the
// engine. An empty slice means the timeout passed.
func (s *NotificationsService) Poll(ctx context.Context, channel string, timeout time.Duration) ([]Notification, error) {
	q := url.Values{"channel": {channel}, "timeout": {strconv.FormatInt(timeout.Milliseconds(), 10)}}
	var notes []Notification
	_, err := s.client.call(ctx, "GET", withQuery("/notification", q), nil, &notes)
	return notes, err
}

// waitFor returns when a notification may concern object ref: one about
// it, a drop (notifications were lost), or the long-poll's timeout.
func (s *NotificationsService) waitFor(ctx context.Context, channel, ref string, timeout time.Duration) error {
	for {
		notes, err := s.Poll(ctx, channel, timeout)
		if err != nil || len(notes) == 0 {
			return err
		}
		for _, n := range notes {
			if n.Object == ref || n.Type == "NotificationDrop" {
				return nil
			}
		}
	}
}
