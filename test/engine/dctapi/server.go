// Package dctapi serves the DCT API (Data Control Tower, REST API v3, spec 3.18.0) of the
// local engine: a second layer over the same state as the engine API (package engine
// mounts both on one handler). The dSources and VDBs are the engine's databases, a masking
// job attached to a VDB is a compliance job, every self-service container is also a VDB
// group of its one VDB (as DCT shows imported containers), bookmarks are the self-service
// bookmarks (a bookmark on a VDB no template or container uses is DCT's alone), and every
// operation runs as an engine job. Callers authenticate with "Authorization: apk <key>";
// each engine user is a DCT account (account id: its position among the users, from 1)
// whose key is Key. Admins see everything; other accounts see the VDBs and VDB groups of
// the containers they own, the VDBs they provisioned, their jobs, and the bookmarks DCT
// would show them (PUBLIC ones on their lineage, PRIVATE ones on their own datasets).
package dctapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/dxsteps/dxsteps/test/engine/internal/httpfault"
	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Server is the DCT API over an engine's state. Its handler serves the paths Paths names.
// What DCT knows beyond the engine (abandoned jobs, the DCT side of bookmarks, the
// bookmarks no template or container holds) is its own, guarded by the state's lock.
type Server struct {
	*state.State
	opts      Options
	mux       *http.ServeMux
	abandoned map[string]bool          // jobs DCT stopped following, by reference
	meta      map[string]*bookmarkMeta // by bookmark reference
	own       []*state.Bookmark        // bookmarks no template or container holds
}

// New is the DCT API over st; opts must be valid (Options.Validate).
func New(st *state.State, opts Options) *Server {
	if len(opts.BasePaths) == 0 {
		opts.BasePaths = []string{"/dct/v3", "/v3"}
	}
	if opts.BusyStatus == 0 {
		opts.BusyStatus = http.StatusConflict
	}
	s := &Server{State: st, opts: opts, mux: http.NewServeMux(), abandoned: map[string]bool{},
		meta: map[string]*bookmarkMeta{}}
	s.routes()
	return s
}

// Options are the options the server runs with, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Paths are the mux patterns to hand to the server: each base path and its subtree, and
// the base paths DCT may be served under that this server does not serve (/dct/... and
// /v3/...), which it answers with a DCT error.
func (s *Server) Paths() []string { return fallbackPaths(s.opts.BasePaths) }

// ServeHTTP serves a DCT request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// obj is a JSON object as DCT emits it.
type obj = map[string]any

// call is one DCT request as a handler sees it.
type call struct {
	s    *Server
	r    *http.Request
	user *state.User
	body []byte
	op   operation
}

// handler returns the HTTP status and the JSON answer (nil: no body), or an error.
type handler func(c *call) (int, any, error)

// apiError is an error answer: {"message": ...} with a status.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

func notFound(kind, id string) error {
	return errorf(http.StatusNotFound, "%s %q does not exist", kind, id)
}

// routes mounts the DCT API under each base path.
func (s *Server) routes() {
	routes := []struct {
		pattern string
		h       handler
	}{
		{"GET /dsources", s.listDSources},
		{"POST /dsources/search", s.listDSources},
		{"GET /dsources/{id}", s.getDSource},
		{"GET /dsources/{id}/snapshots", s.datasetSnapshots},
		{"POST /dsources/{id}/snapshots", s.snapshotDSource},
		{"GET /snapshots", s.listSnapshots},
		{"POST /snapshots/search", s.listSnapshots},
		{"GET /snapshots/{id}", s.getSnapshot},
		{"GET /vdbs", s.listVDBs},
		{"POST /vdbs/search", s.listVDBs},
		{"GET /vdbs/{id}", s.getVDB},
		{"PATCH /vdbs/{id}", s.patchVDB},
		{"GET /vdbs/{id}/snapshots", s.datasetSnapshots},
		{"POST /vdbs/{id}/snapshots", s.snapshotVDB},
		{"POST /vdbs/{id}/refresh_by_snapshot", s.refreshBySnapshot},
		{"POST /vdbs/{id}/refresh_from_bookmark", s.refreshFromBookmark},
		{"POST /vdbs/provision_from_bookmark", s.provisionFromBookmark},
		{"POST /vdbs/provision_by_snapshot", s.provisionBySnapshot},
		{"POST /vdbs/{id}/enable", s.enable(true)},
		{"POST /vdbs/{id}/disable", s.enable(false)},
		{"POST /vdbs/{id}/lock", s.lockVDB(true)},
		{"POST /vdbs/{id}/unlock", s.lockVDB(false)},
		{"POST /vdbs/{id}/delete", s.deleteVDB},
		{"POST /vdbs/{id}/switch_timeflow", s.switchTimeflow},
		{"GET /vdbs/{id}/bookmarks", s.compatibleBookmarks(false)},
		{"POST /vdbs/{id}/bookmarks/search", s.compatibleBookmarks(false)},
		{"GET /vdb-groups/{id}/bookmarks", s.compatibleBookmarks(true)},
		{"GET /vdb-groups", s.listGroups},
		{"POST /vdb-groups/search", s.listGroups},
		{"GET /vdb-groups/{id}", s.getGroup},
		{"POST /vdb-groups/{id}/refresh_from_bookmark", s.groupRefreshFromBookmark},
		{"POST /vdb-groups/{id}/refresh_by_snapshot", s.groupRefreshBySnapshot},
		{"POST /vdb-groups/{id}/enable", s.groupEnable(true)},
		{"POST /vdb-groups/{id}/disable", s.groupEnable(false)},
		{"POST /vdb-groups/{id}/lock", s.lockGroup(true)},
		{"POST /vdb-groups/{id}/unlock", s.lockGroup(false)},
		{"GET /compliance-jobs", s.listComplianceJobs},
		{"POST /compliance-jobs/search", s.listComplianceJobs},
		{"GET /compliance-jobs/{id}", s.getComplianceJob},
		{"POST /compliance-jobs/{id}/execute", s.executeComplianceJob},
		{"GET /bookmarks", s.listBookmarks},
		{"POST /bookmarks/search", s.listBookmarks},
		{"POST /bookmarks", s.createBookmark},
		{"GET /bookmarks/{id}", s.getBookmark},
		{"PATCH /bookmarks/{id}", s.updateBookmark},
		{"DELETE /bookmarks/{id}", s.deleteBookmark},
		{"GET /jobs", s.listJobs},
		{"POST /jobs/search", s.listJobs},
		{"GET /timeflows", s.listTimeflows},
		{"POST /timeflows/search", s.listTimeflows},
		{"GET /timeflows/{id}", s.getTimeflow},
		{"PATCH /timeflows/{id}", s.renameTimeflow},
		{"DELETE /timeflows/{id}", s.deleteTimeflow},
		{"GET /jobs/{id}", s.getJob},
		{"POST /jobs/{id}/abandon", s.abandonJob},
	}
	for _, base := range s.opts.BasePaths {
		for _, rt := range routes {
			method, path, _ := strings.Cut(rt.pattern, " ")
			op, ok := operations[rt.pattern]
			if !ok {
				panic("dctapi: no operations entry for " + rt.pattern)
			}
			s.mux.HandleFunc(method+" "+base+path, s.serve(rt.pattern, op, rt.h))
		}
	}
	// Everything else under a base path, and under the DCT paths not served, is answered
	// with a DCT error body, never the engine API's HTML page.
	for _, p := range fallbackPaths(s.opts.BasePaths) {
		s.mux.HandleFunc(p, s.noRoute)
	}
}

// serve wraps a DCT handler: under the state lock it logs the request, applies an
// injected fault of any kind (package httpfault: before the handler, or after it in place
// of its answer), authenticates the key and runs the handler; the answer is written after
// the lock is released.
func (s *Server) serve(route string, op operation, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		s.Mu.Lock()
		rec := s.LogRequest(r.Method, r.URL.Path, r.URL.RawQuery, body)
		after, answered := httpfault.Before(s.State, w, r, rec)
		if answered {
			return
		}
		status, res, err := http.StatusUnauthorized, any(nil), error(nil)
		c := &call{s: s, r: r, body: body, op: op, user: s.account(r.Header.Get("Authorization"))}
		if c.user == nil {
			res = obj{"error": "invalid_token", "error_description": "Missing or unknown API key: send \"Authorization: apk <key>\"."}
		} else if err = op.checkQuery(route, r.URL.Query()); err == nil {
			status, res, err = h(c)
		}
		if err != nil {
			var be *state.BusyError
			de, ok := err.(*apiError)
			switch {
			case ok:
			case errors.As(err, &be):
				de = &apiError{status: s.opts.BusyStatus, msg: fmt.Sprintf("a job (%s) is running on %s", be.Job.Ref, be.Target)}
			default:
				de = &apiError{status: http.StatusInternalServerError, msg: err.Error()}
			}
			status, res = de.status, s.errorBody(de)
		}
		if after != nil {
			httpfault.After(s.State, w, rec, after)
			return
		}
		rec.Status = status
		var b []byte
		if _, text := res.(string); res != nil && !text {
			b, _ = json.Marshal(res)
		}
		s.Mu.Unlock()
		if text, ok := res.(string); ok {
			b = []byte(text)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		} else if b != nil {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = w.Write(b)
	}
}

// errorBody is an error answer in the shape Options.ErrorBody says (a string: text).
func (s *Server) errorBody(de *apiError) any {
	switch s.opts.ErrorBody {
	case "message":
		return obj{"message": de.msg}
	case "oauth":
		return obj{"error": strings.ToLower(strings.ReplaceAll(http.StatusText(de.status), " ", "_")), "error_description": de.msg}
	case "text":
		return de.msg
	}
	return obj{"errors": []obj{{"message": de.msg}}}
}

// account finds the user whose key the Authorization header carries.
func (s *Server) account(h string) *state.User {
	scheme, key, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "apk") {
		return nil
	}
	for i, u := range s.Users {
		if strings.TrimSpace(key) == Key(i+1, u.Name) {
			return u
		}
	}
	return nil
}

// accountID is a user's DCT account id.
func (s *Server) accountID(u *state.User) int {
	for i, x := range s.Users {
		if x == u {
			return i + 1
		}
	}
	return 0
}

// decode reads the JSON body into v; an absent body leaves v alone.
func (c *call) decode(v any) error {
	if len(strings.TrimSpace(string(c.body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return errorf(http.StatusBadRequest, "the request body is not valid: %v", err)
	}
	return nil
}

func (c *call) requireAdmin() error {
	if !c.user.Admin {
		return errorf(http.StatusForbidden, "account %q lacks the permission for %s %s", c.user.Name, c.r.Method, c.r.URL.Path)
	}
	return nil
}
