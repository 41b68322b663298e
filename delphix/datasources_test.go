package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataSourcesCarryConnectionDetails(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	p := pod(t, c, "prep3")
	ds, err := c.DataSources.List(t.Context(), p.Reference)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	want, _ := e.Dataset("prep3")
	assert.Equal(t, want.Connection.Host, ds[0].Runtime.Host)
	assert.Equal(t, want.Connection.Port, ds[0].Runtime.Port)
	assert.Equal(t, want.Connection.Database, ds[0].Runtime.Database())
}
