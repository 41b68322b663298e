package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContainerOperationsOnEveryVersion(t *testing.T) {
	for _, v := range selfServiceVersions {
		t.Run(v, func(t *testing.T) {
			c, e := loggedIn(t, engine.Options{APIVersion: v})
			ctx := t.Context()
			p := pod(t, c, "prep1")
			require.NoError(t, e.ChangeProd("Patients Prod"))

			op, err := c.Containers.Refresh(ctx, p.Reference)
			wait(t, c, op, err)
			tmpl, _ := e.Dataset("Patients")
			got, _ := e.Dataset("prep1")
			assert.Equal(t, tmpl.Contents.Rows, got.Contents.Rows)

			op, err = c.Containers.Disable(ctx, p.Reference)
			wait(t, c, op, err)
			assert.Equal(t, "OFFLINE", pod(t, c, "prep1").State)
			op, err = c.Containers.Enable(ctx, p.Reference)
			wait(t, c, op, err)
			assert.Equal(t, "ONLINE", pod(t, c, "prep1").State)

			me, err := c.Users.Current(ctx)
			require.NoError(t, err)
			op, err = c.Containers.Lock(ctx, p.Reference, me.Reference)
			wait(t, c, op, err)
			op, err = c.Containers.Unlock(ctx, p.Reference)
			wait(t, c, op, err)

			op, err = c.Containers.Reset(ctx, p.Reference)
			wait(t, c, op, err)

			testAPI(t, e, "POST", "/faults", `{"containerState":{"container":"prep1","state":"INCONSISTENT"}}`)
			assert.Equal(t, "INCONSISTENT", pod(t, c, "prep1").State)
			op, err = c.Containers.Recover(ctx, p.Reference)
			wait(t, c, op, err)
			assert.Equal(t, "ONLINE", pod(t, c, "prep1").State)
		})
	}
}

func TestAnotherUsersPodIsForbidden(t *testing.T) {
	c, _ := setup(t, engine.Options{})
	require.NoError(t, c.Login(t.Context(), "dev", "dev-local-pw"))
	_, err := c.Containers.FindByName(t.Context(), "", "qa-pod")
	assert.ErrorIs(t, err, ErrNotFound, "the developer does not even see QA's pod")
	_, err = c.Databases.List(t.Context())
	assert.ErrorIs(t, err, ErrForbidden)
}
