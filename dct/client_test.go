package dct

import (
	"net/http"
	"testing"

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
	for _, key := range []string{testKey, "apk " + testKey, "APK " + testKey, "  " + testKey + "\n"} {
		f := newFake(t, DefaultBasePath)
		f.answer("GET /vdbs/{id}", http.StatusOK, vdb("vdb-1", "mm-master"))
		_, err := f.client(WithAPIKey(key)).VDBs.Get(t.Context(), "vdb-1")
		require.NoError(t, err)
		r := f.reqs()[0]
		assert.Equal(t, "apk "+testKey, r.Auth)
		assert.Equal(t, "dxsteps", r.ClientName)
	}
	for _, bad := range []string{"", "apk ", "1.abc def", "1.abc\r\nX-Evil: 1"} {
		_, err := NewClient("https://dct.example.com", WithAPIKey(bad))
		require.Error(t, err, "%q", bad)
		assert.NotContains(t, err.Error(), "abc", "the error never repeats the key")
	}
}

func TestTheV3BasePathIsUsedWhenAsked(t *testing.T) {
	f := newFake(t, "/v3")
	f.answer("GET /vdbs/{id}", http.StatusOK, vdb("vdb-1", "mm-master"))
	v, err := f.client(WithBasePath("/v3")).VDBs.Get(t.Context(), "vdb-1")
	require.NoError(t, err)
	assert.Equal(t, "mm-master", v.Name)
	assert.Equal(t, []string{"GET /vdbs/vdb-1"}, f.lines())
}

func TestIDsAreEscapedInPaths(t *testing.T) {
	c, f := setup(t)
	f.on("GET /vdbs/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, vdb(r.PathValue("id"), "x"))
	})
	v, err := c.VDBs.Get(t.Context(), "../jobs/x")
	require.NoError(t, err)
	assert.Equal(t, "../jobs/x", v.ID, "the id stays one path segment")
	assert.Equal(t, []string{"GET /vdbs/..%2Fjobs%2Fx"}, f.lines())
}
