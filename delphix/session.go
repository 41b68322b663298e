package delphix

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
)

type apiSession struct {
	Type    string     `json:"type"`
	Version APIVersion `json:"version"`
	Locale  string     `json:"locale,omitempty"`
	Client  string     `json:"client,omitempty"`
}

type loginRequest struct {
	Type     string `json:"type"`
	Username string `json:"username"`
	Password string `json:"password"`
	Target   string `json:"target,omitempty"`
}

// Login opens a session and logs in. It opens the session at the pinned
// version, else at the hinted one (WithAPIVersionHint), else at the newest
// version the client speaks, which every engine from that release on
// accepts. An engine that refuses it is asked its own
// version (a session at a low version, then GET /about) and the session is
// re-opened at the highest version both sides speak. A user named
// "name@SYSTEM" or "name@DOMAIN" logs in to that target.
//
// The engine renews the session at login, so a login whose answer was lost
// cannot be sent again on the same session: when the login's answer is
// lost, or the session is lost on the way, Login starts over with a new
// session, at most loginAttempts times. Only the engine refusing the
// credentials is an error that matches ErrUnauthorized; a session lost
// every time is a *SessionLostError.
func (c *Client) Login(ctx context.Context, user, password string) error {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	return c.login(ctx, user, password, APIVersion{})
}

// loginAttempts bounds how many sessions Login and a re-login open before
// they give up on an engine that keeps losing them or the login's answer:
// as many as a read is sent (--retry-max plus one), at least three. A
// login is two requests that cannot simply be resent, so each lost one
// costs a whole attempt, and it deserves at least a read's patience.
func (c *Client) loginAttempts() int {
	return max(3, c.http.RetryMax+1)
}

// login runs the login sequence, at version v when it is known. From the
// second attempt on, it pauses first (see pauseAfterLoss).
func (c *Client) login(ctx context.Context, user, password string, v APIVersion) error {
	var err error
	losses := 0
	for attempt := 1; attempt <= c.loginAttempts(); attempt++ {
		if attempt > 1 {
			if err := c.pauseAfterLoss(ctx, attempt); err != nil {
				return err
			}
		}
		var ref string
		ref, v, err = c.loginOnce(ctx, user, password, v)
		if err == nil {
			c.mu.Lock()
			c.version, c.user, c.pass, c.userRef = v, user, password, ref
			c.logins++
			c.mu.Unlock()
			return nil
		}
		if !lostOnTheWay(err) {
			return err
		}
		if errors.Is(err, errSessionLost) {
			losses++
		}
	}
	if errors.Is(err, errSessionLost) {
		return &SessionLostError{Method: "POST", Path: "/login", Times: losses}
	}
	return err
}

// pauseAfterLoss waits before the new session that follows the n-th
// session lost in a row (n >= 2). One lost session is a timeout or a
// restart, and a new one at once is right. Losing the new one too means
// something is ending sessions now (an engine restarting, a failover), and
// every agent that lost its session is logging in again at the same moment:
// waiting, longer each time and jittered, lets that pass and spreads the
// agents out, instead of coming back together into the next loss.
func (c *Client) pauseAfterLoss(ctx context.Context, n int) error {
	step := c.http.RetryWaitMin << (n - 2)
	if step > c.http.RetryWaitMax || step <= 0 {
		step = c.http.RetryWaitMax
	}
	return sleep(ctx, step/2+rand.N(step/2+1))
}

// loginOnce opens a new session (choosing the version unless v is set) and
// logs in on it. It returns the user's reference when the engine gives it,
// and the session's version once it is known.
func (c *Client) loginOnce(ctx context.Context, user, password string, v APIVersion) (string, APIVersion, error) {
	if v.IsZero() {
		chosen, err := c.openSession(ctx)
		if err != nil {
			return "", v, err
		}
		v = chosen
	} else if _, err := c.send(ctx, "POST", "/session", apiSession{Type: "APISession", Version: v, Client: c.clientName}, nil); err != nil {
		return "", v, err
	}
	name, target := splitTarget(user)
	var ref json.RawMessage
	if _, err := c.send(ctx, "POST", "/login", loginRequest{Type: "LoginRequest", Username: name, Password: password, Target: target}, &ref); err != nil {
		return "", v, err
	}
	var userRef string
	_ = json.Unmarshal(ref, &userRef)
	return userRef, v, nil
}

// lostOnTheWay reports whether a login step failed because the session or
// the login's answer was lost, so that a new session may succeed.
func lostOnTheWay(err error) bool {
	var lost *UnreachableError
	return errors.Is(err, errSessionLost) || (errors.As(err, &lost) && lost.Path == "/login")
}

// openSession opens the session and returns its version.
func (c *Client) openSession(ctx context.Context) (APIVersion, error) {
	v := c.pinned
	if v.IsZero() {
		v = c.hint
	}
	if v.IsZero() {
		v = MaxAPIVersion
	}
	var answer apiSession
	_, err := c.call(ctx, "POST", "/session", apiSession{Type: "APISession", Version: v, Client: c.clientName}, &answer)
	var refused *APIError
	if err == nil && answer.Version == v {
		return v, nil
	}
	if err != nil && !errors.As(err, &refused) {
		return APIVersion{}, err
	}
	// Refused, or answered at another version: ask the engine its own, on
	// a session at a low version if /about needs one.
	info := &SystemInfo{}
	if _, err := c.send(ctx, "GET", "/about", nil, info); err != nil {
		if _, err := c.call(ctx, "POST", "/session", apiSession{Type: "APISession", Version: probeVersion, Client: c.clientName}, nil); err != nil {
			return APIVersion{}, err
		}
		if _, err := c.send(ctx, "GET", "/about", nil, info); err != nil {
			return APIVersion{}, err
		}
	}
	if v, err = c.chooseVersion(info.APIVersion); err != nil {
		return APIVersion{}, err
	}
	_, err = c.call(ctx, "POST", "/session", apiSession{Type: "APISession", Version: v, Client: c.clientName}, nil)
	return v, err
}

func (c *Client) chooseVersion(engine APIVersion) (APIVersion, error) {
	if engine.Less(MinAPIVersion) {
		return APIVersion{}, fmt.Errorf("delphix: the engine speaks API %s; dxsteps needs %s or newer (Delphix 5.1+)", engine, MinAPIVersion)
	}
	if !c.pinned.IsZero() {
		if engine.Less(c.pinned) {
			return APIVersion{}, fmt.Errorf("delphix: API version %s was asked for, but the engine speaks at most %s", c.pinned, engine)
		}
		return c.pinned, nil
	}
	if MaxAPIVersion.Less(engine) {
		return MaxAPIVersion, nil
	}
	return engine, nil
}

func splitTarget(user string) (name, target string) {
	if i := strings.LastIndex(user, "@"); i > 0 {
		switch t := strings.ToUpper(user[i+1:]); t {
		case "SYSTEM", "DOMAIN":
			return user[:i], t
		}
	}
	return user, ""
}

// relogin re-establishes a lost session with the credentials of the last
// successful Login. A refusal now means the credentials changed since.
func (c *Client) relogin(ctx context.Context) error {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.mu.Lock()
	user, pass, v := c.user, c.pass, c.version
	c.mu.Unlock()
	if user == "" {
		return &APIError{ID: "session.lost", HTTPStatus: 403, Method: "POST", Path: "/login",
			Details: mustJSON("not logged in"), Action: "call Login first"}
	}
	err := c.login(ctx, user, pass, v)
	if errors.Is(err, ErrUnauthorized) {
		return fmt.Errorf("delphix: the engine ended the session and refused the same credentials on logging in again (changed password or disabled user?): %w", err)
	}
	return err
}

// Logout ends the session and forgets the credentials.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.send(ctx, "POST", "/logout", struct{}{}, nil)
	c.mu.Lock()
	c.user, c.pass = "", ""
	c.mu.Unlock()
	return err
}
