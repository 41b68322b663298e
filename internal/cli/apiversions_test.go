package cli

import (
	"os"
	"testing"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestALearnedAPIVersionIsReadBackForItsEngineOnly(t *testing.T) {
	dir := t.TempDir()
	v := delphix.APIVersion{Major: 1, Minor: 10, Micro: 6}
	require.NoError(t, recordAPIVersion(dir, "https://engine.example.com", v))
	assert.Equal(t, v, learnedAPIVersion(dir, "https://engine.example.com"))
	assert.True(t, learnedAPIVersion(dir, "https://other.example.com").IsZero())
	assert.True(t, learnedAPIVersion(t.TempDir(), "https://engine.example.com").IsZero(), "nothing recorded")

	// A user and password in the URL never reach the file.
	require.NoError(t, recordAPIVersion(dir, "https://admin:s3cret@engine.example.com", v))
	assert.Equal(t, v, learnedAPIVersion(dir, "https://admin:s3cret@engine.example.com"))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		raw, err := os.ReadFile(dir + "/" + e.Name())
		require.NoError(t, err)
		assert.NotContains(t, string(raw), "s3cret")
		assert.NotContains(t, string(raw), "admin")
	}
	assert.Len(t, entries, 1, "one file per engine, no temporary file left")
}
