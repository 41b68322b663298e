package delphix

import (
	"context"
	"errors"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"sync/atomic"
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
// Poll answers with a NotificationDrop, as the engine does when it dropped
// notifications, whenever notifications may have been lost, so that the
// caller reads what it watches again rather than waiting for news that
// will not come:
//   - the long poll's answer was lost (the engine may have taken
//     notifications off the channel for it): a long poll is never resent;
//     Poll asks the channel again without waiting (retried as any read) and
//     adds what that brings;
//   - the engine has ended the session, and a channel lives in its session:
//     Poll logs in again and opens the channel in the new session at once.
func (s *NotificationsService) Poll(ctx context.Context, channel string, timeout time.Duration) ([]Notification, error) {
	notes, err := s.poll(ctx, channel, timeout)
	var lost *UnreachableError
	switch {
	case errors.Is(err, errSessionLost):
		if err := s.client.relogin(ctx); err != nil {
			return nil, err
		}
	case errors.As(err, &lost) && timeout != 0 && ctx.Err() == nil:
	default:
		return notes, err
	}
	var more []Notification
	if _, err := s.client.call(ctx, "GET", pollPath(channel, 0), nil, &more); err != nil {
		return nil, err
	}
	return append([]Notification{{Type: "NotificationDrop"}}, more...), nil
}

// poll sends one poll. Go's HTTP transport itself sends a GET again when a
// kept-alive connection closes before the answer came: for a long poll that
// is an answer lost after the engine may have taken notifications off the
// channel, so poll stops a long poll that is about to go out a second time
// and reports the engine unreachable instead.
func (s *NotificationsService) poll(ctx context.Context, channel string, timeout time.Duration) ([]Notification, error) {
	path := pollPath(channel, timeout)
	var notes []Notification
	if timeout == 0 {
		_, err := s.client.send(ctx, "GET", path, nil, &notes)
		return notes, err
	}
	once, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var conns atomic.Int32
	once = httptrace.WithClientTrace(once, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
		if conns.Add(1) > 1 {
			stop(errPollResent)
		}
	}})
	_, err := s.client.send(once, "GET", path, nil, &notes)
	if ctx.Err() == nil && errors.Is(context.Cause(once), errPollResent) {
		return nil, &UnreachableError{Method: "GET", Path: path, Err: errPollResent}
	}
	return notes, err
}

var errPollResent = errors.New("the connection closed before the answer came")

func pollPath(channel string, timeout time.Duration) string {
	q := url.Values{"channel": {channel}, "timeout": {strconv.FormatInt(timeout.Milliseconds(), 10)}}
	return withQuery("/notification", q)
}
