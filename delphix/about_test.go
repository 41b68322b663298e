package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAboutAnswersBeforeLogin(t *testing.T) {
	c, _ := setup(t, engine.Options{APIVersion: "1.10.6"})
	info, err := c.About.Get(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "PublicSystemInfo", info.Type)
	assert.Equal(t, APIVersion{1, 10, 6}, info.APIVersion)
}
