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
