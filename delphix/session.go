package delphix

import (
	"context"
	"errors"
	"fmt"
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
// version, else at the newest version the client speaks, which every engine
// from that release on accepts. An engine that refuses it is asked its own
// version (a session at a low version, then GET /about) and the session is
// re-opened at the highest version both sides speak. A user named
// "name@SYSTEM" or "name@DOMAIN" logs in to that target.
func (c *Client) Login(ctx context.Context, user, password string) error {
	v, err := c.openSession(ctx)
	if err != nil {
		return err
	}
	name, target := splitTarget(user)
	if _, err := c.call(ctx, "POST", "/login", loginRequest{Type: "LoginRequest", Username: name, Password: password, Target: target}, nil); err != nil {
		return err
	}
	c.mu.Lock()
	c.version, c.user, c.pass = v, user, password
	c.mu.Unlock()
	return nil
}

// openSession opens the session and returns its version.
func (c *Client) openSession(ctx context.Context) (APIVersion, error) {
	v := c.pinned
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
		if info, err = c.About.Get(ctx); err != nil {
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
// successful Login.
func (c *Client) relogin(ctx context.Context) error {
	c.mu.Lock()
	user, pass, v := c.user, c.pass, c.version
	c.mu.Unlock()
	if user == "" {
		return &APIError{ID: "session.lost", HTTPStatus: 403, Method: "POST", Path: "/login",
			Details: mustJSON("not logged in"), Action: "call Login first"}
	}
	if _, err := c.send(ctx, "POST", "/session", apiSession{Type: "APISession", Version: v, Client: c.clientName}, nil); err != nil {
		return err
	}
	name, target := splitTarget(user)
	_, err := c.send(ctx, "POST", "/login", loginRequest{Type: "LoginRequest", Username: name, Password: pass, Target: target}, nil)
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
