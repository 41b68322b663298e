package delphix

import (
	"encoding/json"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSetHooksReplacesTheWholeListAndIsFollowedThroughItsAction also
// covers ActionsService: a hook change starts no job, only an action.
func TestSetHooksReplacesTheWholeListAndIsFollowedThroughItsAction(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	ctx := t.Context()
	vdb, err := c.Databases.FindByName(ctx, "Patients Masked Master")
	require.NoError(t, err)
	sources, err := c.Sources.ListForDatabase(ctx, vdb.Reference)
	require.NoError(t, err)
	require.Len(t, sources, 1)
	src := sources[0]
	assert.True(t, src.Virtual)

	hook, err := json.Marshal(HookOperation{Type: "RunBashOnSourceOperation", Name: "greet", Command: "echo hello"})
	require.NoError(t, err)
	op, err := c.Sources.SetHooks(ctx, &src, "configureClone", []json.RawMessage{hook})
	require.NoError(t, err)
	require.Empty(t, op.Job)
	require.NotEmpty(t, op.Action)
	action, err := c.Actions.Wait(ctx, op.Action)
	require.NoError(t, err)
	assert.Equal(t, "COMPLETED", action.State)

	sources, err = c.Sources.ListForDatabase(ctx, vdb.Reference)
	require.NoError(t, err)
	var hooks []HookOperation
	require.NoError(t, json.Unmarshal(sources[0].Operations["configureClone"], &hooks))
	require.Len(t, hooks, 1)
	assert.Equal(t, "greet", hooks[0].Name)
	assert.Equal(t, "echo hello", hooks[0].Command)
}
