package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// The DCT API (Data Control Tower, REST API v3, spec 3.18.0) is a second layer over the same
// state as the engine API: the dSources and VDBs are the engine's databases, a masking job
// attached to a VDB is a compliance job, every self-service container is also a VDB group of
// its one VDB (as DCT shows imported containers), bookmarks are the self-service bookmarks
// (a bookmark on a VDB no template or container uses is DCT's alone), and every operation
// runs as an engine job. Callers authenticate with "Authorization: apk <key>"; each engine
// user is a DCT account (account id: its position among the users, from 1) whose key is
// DCTKey. Admins see everything; other accounts see the VDBs and VDB groups of the
// containers they own, the VDBs they provisioned, their jobs, and the bookmarks DCT would
// show them (PUBLIC ones on their lineage, PRIVATE ones on their own datasets).

// DCTOptions settle what the DCT spec leaves open; the zero
// value is the documented default of each.
type DCTOptions struct {
	// BasePaths the DCT API is served under; default both "/dct/v3" and "/v3".
	BasePaths []string
	// BusyStatus answers an operation on a dataset that a job is running on, or that
	// another account locked; default 409 (the other choice seen is 400).
	BusyStatus int
	// StrictBookmarks limits refresh_from_bookmark to bookmarks of the VDB itself or of its
	// parent; by default any bookmark of the same lineage (the same origin dSource) fits.
	StrictBookmarks bool
	// MergeHooks makes PATCH /vdbs/{id} hooks add to each hook point's list (an element_id
	// replaces that element) instead of replacing the lists it names.
	MergeHooks bool
	// ErrorBody is the shape of error answers, which the spec leaves undeclared: "errors"
	// (default) {"errors":[{"message":...}]}, "message" {"message":...}, "oauth"
	// {"error":...,"error_description":...} or "text" (plain text).
	ErrorBody string
}

// DCTErrorBodies are the values of DCTOptions.ErrorBody ("" is "errors").
var DCTErrorBodies = []string{"errors", "message", "oauth", "text"}

// Validate says what is wrong with the options, if anything.
func (o DCTOptions) Validate() error {
	for _, p := range o.BasePaths {
		if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, " {}") {
			return fmt.Errorf("DCT base path %q: want a path such as /dct/v3 (a leading slash, none at the end)", p)
		}
	}
	if o.BusyStatus != 0 && (o.BusyStatus < 400 || o.BusyStatus > 599) {
		return fmt.Errorf("DCT busy status %d: want an error status, 400 to 599", o.BusyStatus)
	}
	if o.ErrorBody != "" && !slices.Contains(DCTErrorBodies, o.ErrorBody) {
		return fmt.Errorf("DCT error body %q: want one of %s", o.ErrorBody, strings.Join(DCTErrorBodies, ", "))
	}
	return nil
}

// DCTKey is the DCT API key of an engine user: "<account id>.<name>-local-key".
func DCTKey(accountID int, user string) string {
	return fmt.Sprintf("%d.%s-local-key", accountID, user)
}

// dctState is what DCT knows beyond the engine: abandoned jobs, VDB owners, locks and
// tags, disabled VDBs and the DCT side of bookmarks.
type dctState struct {
	abandoned map[string]bool
	owner     map[*state.DB]*state.User
	lock      map[*state.DB]*state.User
	disabled  map[*state.DB]bool
	tags      map[*state.DB][]obj     // of the VDBs provisioned through DCT
	bookmarks map[string]*dctBookmark // by bookmark reference
	own       []*state.Bookmark       // bookmarks no template or container holds
}

// dctCall is one DCT request as a handler sees it.
type dctCall struct {
	e    *Engine
	r    *http.Request
	user *state.User
	body []byte
	op   dctOperation
}

// dctHandler returns the HTTP status and the JSON answer (nil: no body), or an error.
type dctHandler func(c *dctCall) (int, any, error)

// dctError is an error answer: {"message": ...} with a status.
type dctError struct {
	status int
	msg    string
}

func (e *dctError) Error() string { return e.msg }

func dctErrorf(status int, format string, args ...any) error {
	return &dctError{status: status, msg: fmt.Sprintf(format, args...)}
}

func dctNotFound(kind, id string) error {
	return dctErrorf(http.StatusNotFound, "%s %q does not exist", kind, id)
}

// dctRoutes mounts the DCT API under each base path.
func (e *Engine) dctRoutes() {
	e.dct = &dctState{abandoned: map[string]bool{}, owner: map[*state.DB]*state.User{},
		lock: map[*state.DB]*state.User{}, disabled: map[*state.DB]bool{}, tags: map[*state.DB][]obj{}, bookmarks: map[string]*dctBookmark{}}
	o := &e.opts.DCT
	if len(o.BasePaths) == 0 {
		o.BasePaths = []string{"/dct/v3", "/v3"}
	}
	if o.BusyStatus == 0 {
		o.BusyStatus = http.StatusConflict
	}
	routes := []struct {
		pattern string
		h       dctHandler
	}{
		{"GET /dsources", e.dctDSources},
		{"POST /dsources/search", e.dctDSources},
		{"GET /dsources/{id}", e.dctDSource},
		{"GET /dsources/{id}/snapshots", e.dctDatasetSnapshots},
		{"POST /dsources/{id}/snapshots", e.dctSnapshotDSource},
		{"GET /snapshots", e.dctSnapshots},
		{"POST /snapshots/search", e.dctSnapshots},
		{"GET /snapshots/{id}", e.dctSnapshot},
		{"GET /vdbs", e.dctVDBs},
		{"POST /vdbs/search", e.dctVDBs},
		{"GET /vdbs/{id}", e.dctVDB},
		{"PATCH /vdbs/{id}", e.dctPatchVDB},
		{"GET /vdbs/{id}/snapshots", e.dctDatasetSnapshots},
		{"POST /vdbs/{id}/snapshots", e.dctSnapshotVDB},
		{"POST /vdbs/{id}/refresh_by_snapshot", e.dctRefreshBySnapshot},
		{"POST /vdbs/{id}/refresh_from_bookmark", e.dctRefreshFromBookmark},
		{"POST /vdbs/provision_from_bookmark", e.dctProvisionFromBookmark},
		{"POST /vdbs/provision_by_snapshot", e.dctProvisionBySnapshot},
		{"POST /vdbs/{id}/enable", e.dctEnable(true)},
		{"POST /vdbs/{id}/disable", e.dctEnable(false)},
		{"POST /vdbs/{id}/lock", e.dctLockVDB(true)},
		{"POST /vdbs/{id}/unlock", e.dctLockVDB(false)},
		{"POST /vdbs/{id}/delete", e.dctDeleteVDB},
		{"POST /vdbs/{id}/switch_timeflow", e.dctSwitchTimeflow},
		{"GET /vdbs/{id}/bookmarks", e.dctCompatibleBookmarks(false)},
		{"POST /vdbs/{id}/bookmarks/search", e.dctCompatibleBookmarks(false)},
		{"GET /vdb-groups/{id}/bookmarks", e.dctCompatibleBookmarks(true)},
		{"GET /vdb-groups", e.dctGroups},
		{"POST /vdb-groups/search", e.dctGroups},
		{"GET /vdb-groups/{id}", e.dctGroup},
		{"POST /vdb-groups/{id}/refresh_from_bookmark", e.dctGroupRefreshFromBookmark},
		{"POST /vdb-groups/{id}/refresh_by_snapshot", e.dctGroupRefreshBySnapshot},
		{"POST /vdb-groups/{id}/enable", e.dctGroupEnable(true)},
		{"POST /vdb-groups/{id}/disable", e.dctGroupEnable(false)},
		{"POST /vdb-groups/{id}/lock", e.dctLockGroup(true)},
		{"POST /vdb-groups/{id}/unlock", e.dctLockGroup(false)},
		{"GET /compliance-jobs", e.dctComplianceJobs},
		{"POST /compliance-jobs/search", e.dctComplianceJobs},
		{"GET /compliance-jobs/{id}", e.dctComplianceJob},
		{"POST /compliance-jobs/{id}/execute", e.dctExecuteComplianceJob},
		{"GET /bookmarks", e.dctBookmarks},
		{"POST /bookmarks/search", e.dctBookmarks},
		{"POST /bookmarks", e.dctCreateBookmark},
		{"GET /bookmarks/{id}", e.dctBookmark},
		{"PATCH /bookmarks/{id}", e.dctUpdateBookmark},
		{"DELETE /bookmarks/{id}", e.dctDeleteBookmark},
		{"GET /jobs", e.dctJobs},
		{"POST /jobs/search", e.dctJobs},
		{"GET /timeflows", e.dctTimeflows},
		{"POST /timeflows/search", e.dctTimeflows},
		{"GET /timeflows/{id}", e.dctTimeflow},
		{"PATCH /timeflows/{id}", e.dctRenameTimeflow},
		{"DELETE /timeflows/{id}", e.dctDeleteTimeflow},
		{"GET /jobs/{id}", e.dctGetJob},
		{"POST /jobs/{id}/abandon", e.dctAbandonJob},
	}
	for _, base := range o.BasePaths {
		for _, rt := range routes {
			method, path, _ := strings.Cut(rt.pattern, " ")
			op, ok := dctOperations[rt.pattern]
			if !ok {
				panic("engine: no dctOperations entry for " + rt.pattern)
			}
			e.mux.HandleFunc(method+" "+base+path, e.dctServe(rt.pattern, op, rt.h))
		}
	}
	// Everything else under a base path, and under the DCT paths not served, is answered
	// with a DCT error body, never the engine API's HTML page.
	for _, p := range dctFallbackPaths(o.BasePaths) {
		e.mux.HandleFunc(p, e.dctNoRoute)
	}
}

// dctServe wraps a DCT handler: under the state lock it logs the request, applies an
// injected fault of any kind (dct_faults.go: before the handler, or after it in place of its
// answer), authenticates the key and runs the handler; the answer is written after the
// lock is released.
func (e *Engine) dctServe(route string, op dctOperation, h dctHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		e.Mu.Lock()
		rec := e.LogRequest(r.Method, r.URL.Path, r.URL.RawQuery, body)
		inject, answered := e.dctFaultBefore(w, r, rec) // every fault kind (dct_faults.go)
		if answered {
			return
		}
		status, res, err := http.StatusUnauthorized, any(nil), error(nil)
		c := &dctCall{e: e, r: r, body: body, op: op, user: e.dctAccount(r.Header.Get("Authorization"))}
		if c.user == nil {
			res = obj{"error": "invalid_token", "error_description": "Missing or unknown API key: send \"Authorization: apk <key>\"."}
		} else if err = op.checkQuery(route, r.URL.Query()); err == nil {
			status, res, err = h(c)
		}
		if err != nil {
			var be *state.BusyError
			de, ok := err.(*dctError)
			switch {
			case ok:
			case errors.As(err, &be):
				de = &dctError{status: e.opts.DCT.BusyStatus, msg: fmt.Sprintf("a job (%s) is running on %s", be.Job.Ref, be.Target)}
			default:
				de = &dctError{status: http.StatusInternalServerError, msg: err.Error()}
			}
			status, res = de.status, e.dctErrorBody(de)
		}
		if inject != nil {
			e.dctFaultAfter(w, rec, inject)
			return
		}
		rec.Status = status
		var b []byte
		if _, text := res.(string); res != nil && !text {
			b, _ = json.Marshal(res)
		}
		e.Mu.Unlock()
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

// dctErrorBody is an error answer in the shape DCTOptions.ErrorBody says (a string: text).
func (e *Engine) dctErrorBody(de *dctError) any {
	switch e.opts.DCT.ErrorBody {
	case "message":
		return obj{"message": de.msg}
	case "oauth":
		return obj{"error": strings.ToLower(strings.ReplaceAll(http.StatusText(de.status), " ", "_")), "error_description": de.msg}
	case "text":
		return de.msg
	}
	return obj{"errors": []obj{{"message": de.msg}}}
}

// dctAccount finds the user whose key the Authorization header carries.
func (e *Engine) dctAccount(h string) *state.User {
	scheme, key, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "apk") {
		return nil
	}
	for i, u := range e.Users {
		if strings.TrimSpace(key) == DCTKey(i+1, u.Name) {
			return u
		}
	}
	return nil
}

// DCTURL is the base URL of the engine's DCT API (under /dct/v3 unless DCTOptions say
// otherwise).
func (e *Engine) DCTURL() string { return e.url + e.opts.DCT.BasePaths[0] }

// accountID is a user's DCT account id.
func (e *Engine) accountID(u *state.User) int {
	for i, x := range e.Users {
		if x == u {
			return i + 1
		}
	}
	return 0
}

// decode reads the JSON body into v; an absent body leaves v alone.
func (c *dctCall) decode(v any) error {
	if len(strings.TrimSpace(string(c.body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return dctErrorf(http.StatusBadRequest, "the request body is not valid: %v", err)
	}
	return nil
}

func (c *dctCall) requireAdmin() error {
	if !c.user.Admin {
		return dctErrorf(http.StatusForbidden, "account %q lacks the permission for %s %s", c.user.Name, c.r.Method, c.r.URL.Path)
	}
	return nil
}

// list answers a list (GET) or a search (POST with filter_expression): filter, sort, then
// one page from the cursor. The cursor is the offset, opaque to clients.
// dctJobStatus maps an engine job's state to DCT's.
// dctJob renders an engine job as a DCT Job: one task whose events are the job's messages.
// dctAbandonJob marks a job ABANDONED: DCT stops following it, the engine work goes on.
// jobAnswer is {"job": ...}.
