// Package engine is a local, stateful, wire-faithful fake of the classic Delphix engine REST
// API (/resources/json/delphix, API 1.8 to 1.11) for tests and demos.
//
// It keeps a small data model behind every dataset (rows, accounts, masking and subset
// flags) so that tests can check what a pipeline really did, runs jobs that take (scaled)
// time, long-polls notifications, and serves a test-only admin API under /dxsteps-test/v1.
//
// Layout, as fake-gcs-server lays out its backend and its APIs:
//   - internal/state: the estate (users, databases, self-service objects), its jobs and
//     hooks, faults and the request log; no HTTP. Engine embeds a *state.State.
//   - internal/model: the data model and the test API's values (no engine objects).
//   - internal/notify: the notification hub the jobs publish to and /notification reads.
//   - this package: the engine API, a layer of handlers over the state, and the server that
//     mounts the APIs on one handler.
//   - dctapi: the DCT API (/dct/v3), another layer over the same state.
//   - internal/httpfault: the HTTP side of injected faults, the same for both APIs.
//   - internal/testhttp: the test API, a layer over the state's exported methods.
//   - enginetest: Start, the one way tests start an engine; Engine.Client reaches one in
//     memory, without a socket.
//
// ErrorResult ids and HTTP codes: unknown reference 404 exception.executor.object.missing;
// validation 200 exception.validation.*; bad login 401 exception.webservices.login.failed;
// permission 403 exception.security.permission.denied (a 403 with an HTML body means "not
// logged in"); busy 409 exception.executor.object.busy; unsupported session version 200
// exception.webservices.session.version.unsupported.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/dctapi"
	"github.com/dxsteps/dxsteps/test/engine/internal/httpfault"
	"github.com/dxsteps/dxsteps/test/engine/internal/notify"
	"github.com/dxsteps/dxsteps/test/engine/internal/state"
	"github.com/dxsteps/dxsteps/test/engine/internal/testhttp"
	"github.com/dxsteps/dxsteps/test/testapi"
)

// Options configure a new Engine. The zero value is a workshop engine on a free loopback port.
type Options struct {
	// Addr to listen on; default "127.0.0.1:0".
	Addr string
	// Seed is the estate; default WorkshopSeed().
	Seed *Seed
	// Speed multiplies job durations: 1 = realistic seconds, 0.01 for tests; 0 means 1.
	Speed float64
	// APIVersion is the highest API version served, default "1.11.9" (1.8.0 to 1.11.x).
	APIVersion string
	// SessionTimeout is the idle time after which a session is gone; default 30m.
	SessionTimeout time.Duration
	// DisableNotifications makes /notification answer 404 so that clients fall back to polling.
	DisableNotifications bool
	// DCT settles what the DCT API's spec leaves open (see DCTOptions).
	DCT DCTOptions
}

// Engine is a running local engine: its state and the HTTP APIs over it. The state's
// exported methods (Dataset, ChangeProd, FailNextJob, Requests ...) are the Go side of the
// test API. All methods are safe for concurrent use.
type Engine struct {
	*state.State
	opts     Options
	dct      *dctapi.Server // the DCT API, over the same state
	maxVer   version
	ln       net.Listener
	srv      *http.Server
	mux      *http.ServeMux
	url      string
	once     sync.Once
	sessions map[string]*session                    // guarded by the state's lock
	rendered map[*state.Container]renderedContainer // guarded by the state's lock
	// ended is the state's SessionsEnded when sessions was last cleared.
	ended int
}

// apiBase is where the engine API lives below the engine's URL.
const apiBase = "/resources/json/delphix"

// New builds the estate and starts listening.
func New(opts Options) (*Engine, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Seed == nil {
		opts.Seed = WorkshopSeed()
	}
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	if opts.APIVersion == "" {
		opts.APIVersion = "1.11.9"
	}
	if opts.SessionTimeout <= 0 {
		opts.SessionTimeout = 30 * time.Minute
	}
	v, err := parseVersion(opts.APIVersion)
	if err != nil {
		return nil, err
	}
	if err := opts.DCT.Validate(); err != nil {
		return nil, errors.New("engine: " + err.Error())
	}
	if v.less(mustVersion("1.8.0")) || !v.less(mustVersion("1.12.0")) {
		return nil, errors.New("engine: APIVersion must be between 1.8.0 and 1.11.x")
	}
	e := &Engine{State: state.New(opts.Speed, notify.New(channelTTL, nil)), opts: opts, maxVer: v,
		sessions: map[string]*session{}}
	if err := e.Load(opts.Seed); err != nil {
		return nil, err
	}
	e.recordSeedOperations()
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, err
	}
	e.ln = ln
	e.url = "http://" + ln.Addr().String()
	e.HookEnv = []string{"DX_ENGINE_TEST_API=" + e.TestAPIURL()}
	e.mux = http.NewServeMux()
	e.routes()
	e.srv = &http.Server{Handler: e.mux, ReadHeaderTimeout: 10 * time.Second}
	e.WG.Add(1)
	go func() {
		defer e.WG.Done()
		_ = e.srv.Serve(ln)
	}()
	return e, nil
}

// URL is the engine's base URL, e.g. "http://127.0.0.1:PORT"; the API is under
// /resources/json/delphix and the test API under /dxsteps-test/v1.
func (e *Engine) URL() string { return e.url }

// TestAPIURL is the base URL of the test-only admin API.
func (e *Engine) TestAPIURL() string { return e.url + testapi.Path }

// Close stops the server, cancels running jobs, ends long polls and waits for every
// handler and job goroutine to end.
func (e *Engine) Close() error {
	var err error
	e.once.Do(func() {
		close(e.Closing)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err = e.srv.Shutdown(ctx); err != nil {
			err = e.srv.Close()
		}
		e.WG.Wait()
	})
	return err
}

// handler answers one API call; it returns an envelope object or an error (*apiError).
type handler func(c *call) (any, error)

// Route flags.
const (
	public  = 1 << iota // allowed before login (about, session, login)
	noLock              // the handler takes the lock itself (long poll)
	selfSvc             // self-service path: the prefix must match the session version
)

// call is one API request as a handler sees it.
type call struct {
	e    *Engine
	w    http.ResponseWriter
	r    *http.Request
	sess *session
	user *state.User
	ver  version
	body []byte
	// from is the bookmark the request's timeline point named (jsPoint sets it).
	from *state.Bookmark
	// fromBranch and fromTime are the branch and data time a JSTimelinePointTimeInput
	// resolved to (jsPoint sets them).
	fromBranch *state.Branch
	fromTime   time.Time
}

// api registers an API route. pattern is "METHOD /path" below the API base; self-service
// routes ("METHOD {js}/...") are registered under both prefixes.
func (e *Engine) api(pattern string, flags int, h handler) {
	method, path, _ := strings.Cut(pattern, " ")
	if strings.HasPrefix(path, "{js}") {
		for _, p := range []string{"/jetstream", "/selfservice"} {
			e.mux.HandleFunc(method+" "+apiBase+p+strings.TrimPrefix(path, "{js}"), e.serve(flags|selfSvc, h))
		}
		return
	}
	e.mux.HandleFunc(method+" "+apiBase+path, e.serve(flags, h))
}

// serve wraps a handler: under the state lock it logs the request, applies faults, finds the
// session and runs the handler; a noLock handler (the long poll) runs without the lock.
// The answer is encoded under the lock and written after it is released.
func (e *Engine) serve(flags int, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		e.Mu.Lock()
		rec := e.LogRequest(r.Method, r.URL.Path, r.URL.RawQuery, body)
		after, answered := httpfault.Before(e.State, w, r, rec)
		if answered {
			return
		}
		c, refused := e.admit(flags, r, body)
		if refused != nil {
			rec.Status = refused.status
			e.Mu.Unlock()
			httpfault.WriteHTML(w, refused.status, refused.msg)
			return
		}
		c.w = w
		var res any
		var err error
		if flags&noLock != 0 {
			e.Mu.Unlock()
			res, err = h(c)
			e.Mu.Lock()
		} else {
			res, err = h(c)
		}
		if after != nil {
			httpfault.After(e.State, w, rec, after)
			return
		}
		a := answerOf(res, err)
		rec.Status = a.status
		e.Mu.Unlock()
		a.write(w)
	}
}

// admit checks a request before its handler: a session for non-public routes, the
// self-service prefix of the session's version. The caller holds the lock.
func (e *Engine) admit(flags int, r *http.Request, body []byte) (*call, *htmlError) {
	c := &call{e: e, r: r, body: body, ver: e.maxVer}
	if s := e.sessionOf(r); s != nil {
		c.sess, c.user, c.ver = s, s.user, s.ver
	}
	if flags&public == 0 && c.user == nil {
		return nil, errNoSession
	}
	if flags&selfSvc != 0 && !strings.HasPrefix(r.URL.Path, apiBase+"/"+c.ver.jsPrefix()+"/") {
		return nil, &htmlError{http.StatusNotFound, "The requested resource is not available."}
	}
	return c, nil
}

// answer is an encoded response, ready to write once the lock is released.
type answer struct {
	status int
	html   string // an HTML page instead of JSON when set
	body   []byte
}

// answerOf encodes what a handler returned: its envelope, an ErrorResult or an HTML page.
// The caller holds the lock.
func answerOf(res any, err error) answer {
	status := http.StatusOK
	var ae *apiError
	var he *htmlError
	var be *state.BusyError
	if errors.As(err, &be) {
		err = errBusy(be.Target, be.Job)
	}
	switch {
	case errors.As(err, &he):
		return answer{status: he.status, html: he.msg}
	case errors.As(err, &ae):
		status, res = ae.status, ae.object()
	case err != nil:
		status, res = http.StatusInternalServerError, (&apiError{id: "exception.internal", details: err.Error()}).object()
	}
	if b, ok := res.(encoded); ok {
		return answer{status: status, body: b}
	}
	b, err := json.Marshal(res)
	if err != nil {
		return answer{status: http.StatusInternalServerError, html: err.Error()}
	}
	return answer{status: status, body: b}
}

func (a answer) write(w http.ResponseWriter) {
	if a.body == nil {
		httpfault.WriteHTML(w, a.status, a.html)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// requireAdmin refuses self-service users access to admin-only areas.
func (c *call) requireAdmin() error {
	if !c.user.Admin {
		return errPermission("User %q is not authorized to access %s.", c.user.Name, c.r.URL.Path)
	}
	return nil
}

// routes registers every endpoint.
func (e *Engine) routes() {
	e.sessionRoutes()
	e.databaseRoutes()
	e.jobRoutes()
	e.selfServiceRoutes()
	e.dct = dctapi.New(e.State, e.opts.DCT)
	for _, p := range e.dct.Paths() {
		e.mux.Handle(p, e.dct)
	}
	testhttp.Register(e.mux, e)
	e.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		httpfault.WriteHTML(w, http.StatusNotFound, "The requested resource is not available.")
	})
}
