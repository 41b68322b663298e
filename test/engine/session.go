package engine

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// session is one JSESSIONID: the negotiated API version and, after login, the user.
type session struct {
	id       string
	ver      version
	user     *state.User
	locale   any
	client   any
	lastUsed time.Time
}

const cookieName = "JSESSIONID"

// sessionOf returns the live session of the request's cookie, dropping it if it expired;
// when the state ended every session (a restart, either API's fault), it forgets them all.
// Any request on a session keeps it alive (keepAliveMode ALL_REQUESTS).
func (e *Engine) sessionOf(r *http.Request) *session {
	if n := e.SessionsEnded(); n != e.ended {
		clear(e.sessions)
		e.ended = n
	}
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return nil
	}
	s := e.sessions[ck.Value]
	if s == nil {
		return nil
	}
	if time.Since(s.lastUsed) > e.opts.SessionTimeout {
		delete(e.sessions, s.id)
		return nil
	}
	s.lastUsed = time.Now()
	return s
}

func newSessionID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (c *call) setCookie(id string) {
	http.SetCookie(c.w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true})
}

func (e *Engine) sessionRoutes() {
	e.api("POST /session", public, e.createSession)
	e.api("GET /session", 0, func(c *call) (any, error) { return okResult(c.sess.object(), "", ""), nil })
	e.api("GET /about", public, e.about)
	e.api("POST /login", public, e.login)
	e.api("POST /logout", 0, e.logout)
	e.api("GET /user/current", 0, func(c *call) (any, error) { return okResult(e.userObject(c.user, c.ver), "", ""), nil })
	e.api("GET /user", 0, e.listUsers)
	e.api("GET /user/{ref}", 0, e.getUser)
}

func (s *session) object() obj {
	return obj{"type": "APISession", "version": s.ver.object(), "locale": s.locale, "client": s.client}
}

// createSession opens (or re-versions) a session at any version from 1.0.0 to the engine's max.
func (e *Engine) createSession(c *call) (any, error) {
	in, err := c.parse("APISession", "APISession")
	if err != nil {
		return nil, err
	}
	vin := in.sub("version")
	v := version{int(vin["major"].(float64)), int(vin["minor"].(float64)), int(vin["micro"].(float64))}
	if e.maxVer.less(v) || v.less(version{1, 0, 0}) {
		return nil, &apiError{status: http.StatusOK, id: idVersionUnsup,
			details: fmt.Sprintf("API version %s is not supported; this engine supports 1.0.0 to %s.", v, e.maxVer),
			action:  "Use a supported API version."}
	}
	s := c.sess
	if s == nil {
		s = &session{id: newSessionID(), lastUsed: time.Now()}
		e.sessions[s.id] = s
		c.setCookie(s.id)
	}
	s.ver, s.locale, s.client = v, in["locale"], in["client"]
	return okResult(s.object(), "", ""), nil
}

// about answers PublicSystemInfo; it is allowed before login.
func (e *Engine) about(c *call) (any, error) {
	v := e.maxVer
	o := obj{
		"type": "PublicSystemInfo", "productName": "Delphix Engine", "productType": "standard",
		"buildTitle":   fmt.Sprintf("Delphix Engine %s", buildOf(v)),
		"buildVersion": obj{"type": "VersionInfo", "major": buildMajor(v), "minor": buildMinor(v), "micro": v[2], "patch": 0},
		"apiVersion":   v.object(), "buildTimestamp": "2021-03-01T00:00:00.000Z", "configured": true,
		"currentLocale": "en-US", "locales": []string{"en-US"}, "enabledFeatures": []string{"XPP", "MSSQLHOOKS"},
	}
	// Real 5.1 and 5.2 engines (API 1.8, 1.9) sent none of these; the 1.11.9 schema has them.
	if c.ver.atLeast("1.10.0") {
		o["banner"], o["kernelName"], o["theme"] = nil, "SunOS", nil
	}
	return okResult(o, "", ""), nil
}

// buildOf maps an API version to the Delphix release (1.8 -> 5.1, ..., 1.11.N -> 6.0.N.0).
func buildOf(v version) string {
	return fmt.Sprintf("%d.%d.%d.0", buildMajor(v), buildMinor(v), v[2])
}

func buildMajor(v version) int {
	if v[1] >= 11 {
		return 6
	}
	return 5
}

func buildMinor(v version) int {
	if v[1] >= 11 {
		return 0
	}
	return v[1] - 7
}

// login checks the credentials and re-issues the session under a new JSESSIONID.
func (e *Engine) login(c *call) (any, error) {
	if c.sess == nil {
		return nil, errNoSession
	}
	in, err := c.parse("LoginRequest", "LoginRequest")
	if err != nil {
		return nil, err
	}
	u := e.UserByName(in.str("username"))
	if u == nil || u.Password != in.str("password") || in.str("target") == "SYSTEM" {
		return nil, &apiError{status: http.StatusUnauthorized, id: idLoginFailed,
			details: "Invalid username or password.", action: "Try with a different set of credentials."}
	}
	delete(e.sessions, c.sess.id)
	c.sess.id, c.sess.user = newSessionID(), u
	e.sessions[c.sess.id] = c.sess
	c.setCookie(c.sess.id)
	return okResult(u.Ref, "", ""), nil
}

func (e *Engine) logout(c *call) (any, error) {
	delete(e.sessions, c.sess.id)
	return okResult(nil, "", ""), nil
}

func (e *Engine) userObject(u *state.User, v version) obj {
	o := obj{"type": "User", "reference": u.Ref, "name": u.Name, "namespace": nil, "principal": u.Name,
		"userType": "DOMAIN", "authenticationType": "NATIVE", "enabled": true, "isDefault": u.Name == "delphix_admin",
		"sessionTimeout": int(e.opts.SessionTimeout / time.Minute), "locale": "en-US",
		"emailAddress": u.Name + "@example.com", "firstName": nil, "lastName": nil, "credential": nil,
		"publicKey": []any{}, "homePhoneNumber": nil, "mobilePhoneNumber": nil, "workPhoneNumber": nil,
		"passwordUpdateRequest": "NONE", "apiUser": false}
	if !v.atLeast("1.9.0") {
		o["passwordUpdateRequested"] = false // the 1.8 form of passwordUpdateRequest
	}
	return o
}

func (e *Engine) listUsers(c *call) (any, error) {
	if err := c.requireAdmin(); err != nil {
		return nil, err
	}
	var out []obj
	for _, u := range e.Users {
		out = append(out, e.userObject(u, c.ver))
	}
	return listResult(out), nil
}

func (e *Engine) getUser(c *call) (any, error) {
	u, ok := state.Lookup[*state.User](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	if !c.user.Admin && u != c.user {
		return nil, errPermission("User %q may not read user %q.", c.user.Name, u.Name)
	}
	return okResult(e.userObject(u, c.ver), "", ""), nil
}

// ExpireSessions ends every session, as if they had timed out.
func (e *Engine) ExpireSessions() {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	e.EndSessions()
}
