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
// Poll logs in again, opens the channel in the new session at once, and
// answers with a NotificationDrop, as the engine does when it dropped
// notifications, so the caller reads what it watches again rather than
// long-polling a channel that missed what happened in between.
func (s *NotificationsService) Poll(ctx context.Context, channel string, timeout time.Duration) ([]Notification, error) {
	notes, err := s.poll(ctx, channel, timeout)
	if !errors.Is(err, errSessionLost) {
		return notes, err
	}
	if err := s.client.relogin(ctx); err != nil {
		return nil, err
	}
	if _, err := s.poll(ctx, channel, 0); err != nil {
		return nil, err
	}
	return []Notification{{Type: "NotificationDrop"}}, nil
}

func (s *NotificationsService) poll(ctx context.Context, channel string, timeout time.Duration) ([]Notification, error) {
	q := url.Values{"channel": {channel}, "timeout": {strconv.FormatInt(timeout.Milliseconds(), 10)}}
	var notes []Notification
	_, err := s.client.send(ctx, "GET", withQuery("/notification", q), nil, &notes)
	return notes, err
}
