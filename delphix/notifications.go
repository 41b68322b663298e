package delphix

import (
	"context"
	"errors"
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
//
// A channel lives in its session: when the engine has ended the session,
// Poll logs in again and answers at once with a NotificationDrop, as the
// engine does when it dropped notifications, rather than long-polling a new
// channel that never saw what happened in between; the caller then reads
// what it watches again.
func (s *NotificationsService) Poll(ctx context.Context, channel string, timeout time.Duration) ([]Notification, error) {
	q := url.Values{"channel": {channel}, "timeout": {strconv.FormatInt(timeout.Milliseconds(), 10)}}
	var notes []Notification
	_, err := s.client.send(ctx, "GET", withQuery("/notification", q), nil, &notes)
	if errors.Is(err, errSessionLost) {
		if err := s.client.relogin(ctx); err != nil {
			return nil, err
		}
		return []Notification{{Type: "NotificationDrop"}}, nil
	}
	return notes, err
}
