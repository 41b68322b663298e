package dct

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientChecksTheURLAndDoesNoIO(t *testing.T) {
	for _, bad := range []string{"dct.example.com", "ftp://dct.example.com", "https://", "https://dct.example.com/ui", "https://h?x=1"} {
		_, err := NewClient(bad, WithAPIKey(testKey))
		assert.Error(t, err, bad)
	}
	_, err := NewClient("https://dct.example.com")
	require.ErrorContains(t, err, "an API key is required")
	key := WithAPIKey(testKey)
	c, err := NewClient("https://dct.example.com:8443/", key)
	require.NoError(t, err)
	assert.Equal(t, "https://dct.example.com:8443/dct/v3", c.BaseURL())
	c, err = NewClient("https://dct.example.com/v3", key)
	require.NoError(t, err)
	assert.Equal(t, "https://dct.example.com/v3", c.BaseURL(), "a URL ending in /v3 sets the base path")
	c, err = NewClient("https://dct.example.com", key, WithBasePath("/v3/"))
	require.NoError(t, err)
	assert.Equal(t, "https://dct.example.com/v3", c.BaseURL())
	_, err = NewClient("https://dct.example.com", key, WithBasePath("v3"))
	assert.Error(t, err)
}

func TestTheAPIKeyIsSentWithTheApkPrefixExactlyOnce(t *testing.T) {
	l := newLocal(t, DefaultBasePath)
	key := engine.DCTKey(1, "delphix_admin")
	for _, given := range []string{key, "apk " + key, "APK " + key, "  " + key + "\n"} {
		v, err := l.client(WithAPIKey(given)).VDBs.FindByName(t.Context(), "Patients Masked Master")
		require.NoError(t, err, "the engine knows the key %q stands for", given)
		assert.Equal(t, "Patients Masked Master", v.Name)
	}
	for _, r := range l.reqs() {
		assert.Equal(t, "apk "+key, r.Auth)
		assert.Equal(t, "dxsteps", r.ClientName)
	}
	for _, bad := range []string{"", "apk ", "1.abc def", "1.abc\r\nX-Evil: 1"} {
		_, err := NewClient("https://dct.example.com", WithAPIKey(bad))
		require.Error(t, err, "%q", bad)
		assert.NotContains(t, err.Error(), "abc", "the error never repeats the key")
	}
}

func TestTheV3BasePathIsUsedWhenAsked(t *testing.T) {
	l := newLocal(t, "/v3", engine.Options{DCT: engine.DCTOptions{BasePaths: []string{"/v3"}}})
	c := l.client(WithBasePath("/v3"))
	master := l.vdb("Patients Masked Master")
	l.forget()
	v, err := c.VDBs.Get(t.Context(), master.ID)
	require.NoError(t, err)
	assert.Equal(t, "Patients Masked Master", v.Name)
	assert.Equal(t, []string{"GET /vdbs/" + master.ID}, l.lines())
}

func TestIDsAreEscapedInPaths(t *testing.T) {
	c, l := setup(t)
	_, err := c.VDBs.Get(t.Context(), "../jobs/x")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), `VDB "../jobs/x" does not exist`, "the id reached DCT as one path segment")
	assert.Equal(t, []string{"GET /vdbs/..%2Fjobs%2Fx"}, l.lines())
}
