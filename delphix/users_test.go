package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurrentUserIsTheOneLoggedIn(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	me, err := c.Users.Current(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "delphix_admin", me.Name)
	assert.NotEmpty(t, me.Reference)
}
