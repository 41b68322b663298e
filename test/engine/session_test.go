package engine

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAboutIsAllowedBeforeLoginAndReportsTheEngineMaxVersion(t *testing.T) {
	e := start(t, Options{APIVersion: "1.10.3"})
	c := newClient(t, e)
	c.session("1.3.0")
	about := c.get("/about")
	assert.Equal(t, "PublicSystemInfo", about["type"])
	assert.Equal(t, map[string]any{"type": "APIVersion", "major": 1.0, "minor": 10.0, "micro": 3.0}, about["apiVersion"])
}

func TestCallsBeforeLoginGetAnHTML403(t *testing.T) {
	e := start(t, Options{})
	c := newClient(t, e)
	c.session("1.11.9")
	st, body := c.raw("GET", "/database", nil)
	assert.Equal(t, http.StatusForbidden, st)
	assert.Contains(t, string(body), "Use /resources/json/delphix/login to log in first")
	assert.True(t, strings.HasPrefix(string(body), "<html>"))
}

func TestSessionAboveTheEngineVersionIsRefused(t *testing.T) {
	e := start(t, Options{APIVersion: "1.9.0"})
	c := newClient(t, e)
	st, err := c.apiErr("POST", "/session", obj{"type": "APISession", "version": mustVersion("1.10.0").object()})
	assert.Equal(t, http.StatusOK, st)
	assert.Equal(t, idVersionUnsup, err["id"])
}

func TestLoginReissuesTheSessionCookieAndGetSessionEchoesTheVersion(t *testing.T) {
	e := start(t, Options{})
	c := newClient(t, e)
	c.session("1.10.0")
	u, _ := http.NewRequest("GET", e.URL(), nil)
	before := c.hc.Jar.Cookies(u.URL)[0].Value
	res := c.ok("POST", "/login", obj{"type": "LoginRequest", "username": "delphix_admin", "password": "landshark", "target": "DOMAIN"})
	assert.Equal(t, "USER-1", res["result"])
	assert.NotEqual(t, before, c.hc.Jar.Cookies(u.URL)[0].Value)
	sess := c.get("/session")
	assert.Equal(t, 10.0, sess["version"].(map[string]any)["minor"])
	assert.Equal(t, "delphix_admin", c.get("/user/current")["name"])
}

func TestBadPasswordIsA401LoginFailure(t *testing.T) {
	e := start(t, Options{})
	c := newClient(t, e)
	c.session("1.11.9")
	st, err := c.apiErr("POST", "/login", obj{"type": "LoginRequest", "username": "delphix_admin", "password": "nope"})
	assert.Equal(t, http.StatusUnauthorized, st)
	assert.Equal(t, idLoginFailed, err["id"])
}

func TestLogoutAndExpiryEndTheSession(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	c.ok("POST", "/logout", obj{})
	st, _ := c.raw("GET", "/database", nil)
	assert.Equal(t, http.StatusForbidden, st)

	c = login(t, e, "delphix_admin", "1.11.9")
	resp, err := http.Post(e.TestAPIURL()+"/sessions/expire", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()
	st, body := c.raw("GET", "/database", nil)
	assert.Equal(t, http.StatusForbidden, st)
	assert.Contains(t, string(body), "log in first")
}

func TestIdleSessionTimesOut(t *testing.T) {
	e := start(t, Options{SessionTimeout: 50 * time.Millisecond})
	c := login(t, e, "delphix_admin", "1.11.9")
	c.ok("GET", "/database", nil)
	time.Sleep(80 * time.Millisecond)
	st, _ := c.raw("GET", "/database", nil)
	assert.Equal(t, http.StatusForbidden, st)
}

func TestSelfServiceUserGetsPermissionErrorForAdminAreas(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "qa", "1.11.9")
	st, err := c.apiErr("GET", "/database", nil)
	assert.Equal(t, http.StatusForbidden, st)
	assert.Equal(t, idPermission, err["id"])
}

func TestUnknownReferenceIsA404ObjectMissing(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	st, err := c.apiErr("GET", "/database/APPDATA_CONTAINER-999", nil)
	assert.Equal(t, http.StatusNotFound, st)
	assert.Equal(t, idNotFound, err["id"])
}
