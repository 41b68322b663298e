package delphix

import (
	"context"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotificationsTellOfTheJobAStepStarted(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	ctx := t.Context()
	channel := newChannel()
	_, err := c.Notifications.Poll(ctx, channel, 0) // opens the channel
	require.NoError(t, err)
	_, op := syncProd(t, c)
	_, err = c.Jobs.Wait(ctx, op.Job, nil)
	require.NoError(t, err)
	notes, err := c.Notifications.Poll(ctx, channel, 0)
	require.NoError(t, err)
	var aboutJob bool
	for _, n := range notes {
		aboutJob = aboutJob || (n.Object == op.Job && n.ObjectType == "Job")
	}
	assert.True(t, aboutJob, "%+v", notes)
}

// A channel lives in its session: after the engine ended the session, Poll
// logs in again and says at once that notifications were dropped, instead
// of long-polling a new channel that missed what happened meanwhile (a job
// that ended while logged out would be waited for until the poll timed out).
func TestAPollAfterTheSessionEndedLogsInAgainAndReportsADrop(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	channel := newChannel()
	_, err := c.Notifications.Poll(t.Context(), channel, 0)
	require.NoError(t, err)
	e.ExpireSessions()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	notes, err := c.Notifications.Poll(ctx, channel, time.Minute)
	require.NoError(t, err, "a one-minute long poll must not be waited out")
	require.Len(t, notes, 1)
	assert.Equal(t, "NotificationDrop", notes[0].Type)
	_, err = c.Databases.List(t.Context())
	assert.NoError(t, err, "logged in again")
}
