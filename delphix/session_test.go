package delphix

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoginNegotiatesTheEnginesVersionOnEverySupportedRelease(t *testing.T) {
	for _, v := range []string{"1.8.0", "1.9.0", "1.10.6", "1.11.9", "1.11.11"} {
		t.Run(v, func(t *testing.T) {
			c, e := loggedIn(t, engine.Options{APIVersion: v})
			assert.Equal(t, v, c.APIVersion().String())
			if c.APIVersion() == MaxAPIVersion {
				// The newest version is accepted at once: no probe, no /about.
				assert.Equal(t, []string{"POST /session", "POST /login"}, requestLines(e)[:2])
			} else {
				// Refused: the engine answers /about before any session.
				assert.Equal(t, []string{"POST /session", "GET /about", "POST /session", "POST /login"}, requestLines(e)[:4])
				assert.Equal(t, http.StatusOK, e.Requests()[0].Status, "the refusal is an ErrorResult")
				chosen := e.Requests()[2].Body
				assert.Contains(t, string(chosen), fmt.Sprintf(`"micro":%d`, c.APIVersion().Micro))
			}
			tmpls, err := c.Templates.List(t.Context())
			require.NoError(t, err)
			require.NotEmpty(t, tmpls)
			prefix := "/jetstream/"
			if c.APIVersion().AtLeast(1, 10, 0) {
				prefix = "/selfservice/"
			}
			lines := requestLines(e)
			assert.Equal(t, "GET "+prefix+"template", lines[len(lines)-1])
		})
	}
}

func TestLoginAtAPinnedVersion(t *testing.T) {
	c, e := loggedIn(t, engine.Options{}, WithAPIVersion(APIVersion{1, 9, 0}))
	assert.Equal(t, "1.9.0", c.APIVersion().String())
	assert.Equal(t, []string{"POST /session", "POST /login"}, requestLines(e)[:2], "a pinned version needs no /about")
	_, err := c.Containers.List(t.Context(), "")
	require.NoError(t, err)

	c2, _ := setup(t, engine.Options{APIVersion: "1.10.6"}, WithAPIVersion(APIVersion{1, 11, 0}))
	err = c2.Login(t.Context(), "delphix_admin", "delphix")
	assert.ErrorContains(t, err, "API version 1.11.0 was asked for, but the engine speaks at most 1.10.6")
}

func TestLoginAtAHintedVersionSkipsTheNegotiation(t *testing.T) {
	for _, v := range []string{"1.8.0", "1.9.0", "1.10.6", "1.11.9", "1.11.11"} {
		t.Run(v, func(t *testing.T) {
			hint, err := ParseAPIVersion(v)
			require.NoError(t, err)
			c, e := loggedIn(t, engine.Options{APIVersion: v}, WithAPIVersionHint(hint))
			assert.Equal(t, v, c.APIVersion().String())
			assert.Equal(t, []string{"POST /session", "POST /login"}, requestLines(e))
		})
	}
}

func TestARefusedHintFallsBackToNegotiating(t *testing.T) {
	// The engine was hinted at a version above its own (say, another engine
	// behind the same name): refused, then negotiated as without a hint.
	c, e := loggedIn(t, engine.Options{APIVersion: "1.10.6"}, WithAPIVersionHint(APIVersion{1, 11, 9}))
	assert.Equal(t, "1.10.6", c.APIVersion().String())
	assert.Equal(t, []string{"POST /session", "GET /about", "POST /session", "POST /login"}, requestLines(e))
	_, err := c.Containers.List(t.Context(), "")
	require.NoError(t, err)

	_, err = NewClient("https://engine.example.com", WithAPIVersionHint(APIVersion{1, 12, 0}))
	assert.ErrorContains(t, err, "hint 1.12.0 is not between")
}

func TestWrongPasswordIsUnauthorized(t *testing.T) {
	c, _ := setup(t, engine.Options{})
	err := c.Login(t.Context(), "delphix_admin", "wrong")
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong")
}

func TestLostSessionIsReestablishedOnceAndTheRequestRepeated(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	e.ExpireSessions()
	e.ClearRequests()
	dbs, err := c.Databases.List(t.Context())
	require.NoError(t, err)
	assert.NotEmpty(t, dbs)
	assert.Equal(t, []string{"GET /database", "POST /session", "POST /login", "GET /database"}, requestLines(e))
	assert.Equal(t, http.StatusForbidden, e.Requests()[0].Status)
}

func TestCallsWithoutLoginFailAsUnauthorized(t *testing.T) {
	c, _ := setup(t, engine.Options{})
	_, err := c.Databases.List(t.Context())
	assert.ErrorIs(t, err, ErrUnauthorized)
}

func TestChooseVersion(t *testing.T) {
	c := &Client{}
	v, err := c.chooseVersion(APIVersion{1, 10, 6})
	require.NoError(t, err)
	assert.Equal(t, APIVersion{1, 10, 6}, v)
	v, _ = c.chooseVersion(APIVersion{1, 12, 0})
	assert.Equal(t, MaxAPIVersion, v)
	_, err = c.chooseVersion(APIVersion{1, 7, 1})
	assert.ErrorContains(t, err, "needs 1.8.0 or newer")
	c.pinned = APIVersion{1, 11, 0}
	_, err = c.chooseVersion(APIVersion{1, 10, 6})
	assert.ErrorContains(t, err, "the engine speaks at most 1.10.6")
}
