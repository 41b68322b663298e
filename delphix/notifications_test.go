package delphix

import (
	"testing"

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
