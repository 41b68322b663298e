package dct

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/require"
)

// The client's tests run against the local engine's DCT API (test/engine/dctapi), the one
// every other test uses. A test that needs an answer the local engine never gives (a status
// DCT may answer with but it does not, a malformed body) serves that one answer itself
// (odd).

// testKey is an API key no server knows, for the tests that build clients without one.
const testKey = "1.0p9PMkZO4Hgy0ezwjhX0Fi4lEKrD4pflejgasIBf8ewBGoAkSdTlrYd3AIsqVaA"

// request is one request a test's server received.
type request struct {
	Method, Path, Query string
	Auth, ClientName    string
	Body                []byte
}

// Line is "METHOD /path" relative to the base path, escaped.
func (r request) Line() string { return r.Method + " " + r.Path }

// recorder records every request below base, checks every request and answer against
// DCT's OpenAPI file (a problem fails the test), and hands it to next.
type recorder struct {
	t        *testing.T
	base     string
	next     http.Handler
	mu       sync.Mutex
	requests []request
}

func newRecorder(t *testing.T, base string, next http.Handler) *recorder {
	t.Helper()
	r := &recorder{t: t, base: base}
	r.next = dctspec.Checked(t, base, next)
	return r
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rc.mu.Lock()
	rc.requests = append(rc.requests, request{Method: r.Method, Path: strings.TrimPrefix(r.URL.EscapedPath(), rc.base),
		Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"), ClientName: r.Header.Get("x-dct-client-name"), Body: body})
	rc.mu.Unlock()
	rc.next.ServeHTTP(w, r)
}

// serve starts a server of the recorder and returns its URL.
func (rc *recorder) serve() string {
	srv := httptest.NewServer(rc)
	rc.t.Cleanup(srv.Close)
	return srv.URL
}

func (rc *recorder) reqs() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.requests...)
}

// forget drops the requests recorded so far (a test's preparation), so that the
// assertions see only the calls under test.
func (rc *recorder) forget() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests = nil
}

func (rc *recorder) lines() []string {
	var out []string
	for _, r := range rc.reqs() {
		out = append(out, r.Line())
	}
	return out
}

// lastBody is the last request's body, decoded (nil: none).
func (rc *recorder) lastBody() map[string]any {
	rc.t.Helper()
	rs := rc.reqs()
	require.NotEmpty(rc.t, rs)
	var m map[string]any
	if b := rs[len(rs)-1].Body; len(b) > 0 {
		require.NoError(rc.t, json.Unmarshal(b, &m))
	}
	return m
}

// localDCT is a local engine (the workshop estate) whose DCT API the tests' clients reach
// through a recorder.
type localDCT struct {
	*recorder
	e   *engine.Engine
	url string
}

// newLocal starts a local engine for one test, its DCT API served under base.
func newLocal(t *testing.T, base string, opts ...engine.Options) *localDCT {
	t.Helper()
	e := enginetest.Start(t, opts...)
	l := &localDCT{recorder: newRecorder(t, base, e.Handler()), e: e}
	l.url = l.serve()
	return l
}

// client is a client of the engine's admin account (delphix_admin, account 1) with fast
// retries and fast job polling.
func (l *localDCT) client(opts ...Option) *Client {
	return l.clientOf(1, "delphix_admin", opts...)
}

// clientOf is a client of one of the workshop's accounts.
func (l *localDCT) clientOf(account int, user string, opts ...Option) *Client {
	l.t.Helper()
	base := []Option{WithAPIKey(engine.DCTKey(account, user)), WithBasePath(l.base),
		WithBackoff(time.Millisecond, 5*time.Millisecond), WithWaitIntervals(time.Millisecond, 5*time.Millisecond)}
	c, err := NewClient(l.url, append(base, opts...)...)
	require.NoError(l.t, err)
	return c
}

// setup is a local engine with DCT under /dct/v3 and its admin's client.
func setup(t *testing.T) (*Client, *localDCT) {
	l := newLocal(t, DefaultBasePath)
	return l.client(), l
}

// done waits for the job a call started, which must complete.
func done(t *testing.T, c *Client) func(*Job, error) *Job {
	return func(j *Job, err error) *Job {
		t.Helper()
		require.NoError(t, err)
		end, err := c.Jobs.Wait(t.Context(), j.ID, nil)
		require.NoError(t, err)
		return end
	}
}

// vdb is a workshop VDB, by name, as the admin sees it.
func (l *localDCT) vdb(name string) *VDB {
	l.t.Helper()
	v, err := l.client().VDBs.FindByName(l.t.Context(), name)
	require.NoError(l.t, err, name)
	return v
}

// group is a workshop VDB group (a self-service container's), by name.
func (l *localDCT) group(name string) *VDBGroup {
	l.t.Helper()
	g, err := l.client().VDBGroups.FindByName(l.t.Context(), name)
	require.NoError(l.t, err, name)
	return g
}

// prod is the workshop's dSource, Patients Prod.
func (l *localDCT) prod() *DSource {
	l.t.Helper()
	d, err := l.client().DSources.FindByName(l.t.Context(), "Patients Prod")
	require.NoError(l.t, err)
	return d
}

// smallPages makes lists and searches ask for n items a page for the rest of the test, so
// that a few objects of the local engine make several pages.
func smallPages(t *testing.T, n int) {
	was := pageLimit
	pageLimit = n
	t.Cleanup(func() { pageLimit = was })
}

// odd serves the one answer h gives, which the local engine never gives, under /dct/v3,
// and returns a client of it (the test key, fast retries and polling) and its recorder.
func odd(t *testing.T, h http.HandlerFunc, opts ...Option) (*Client, *recorder) {
	t.Helper()
	rc := newRecorder(t, DefaultBasePath, h)
	url := rc.serve()
	base := []Option{WithAPIKey(testKey), WithBackoff(time.Millisecond, 5*time.Millisecond),
		WithWaitIntervals(time.Millisecond, 5*time.Millisecond)}
	c, err := NewClient(url, append(base, opts...)...)
	require.NoError(t, err)
	return c, rc
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// obj is a JSON object in an odd answer.
type obj = map[string]any

// job is a Job answer with the given id and status.
func job(id, status string) obj {
	return obj{"id": id, "status": status, "localized_type": "DB Refresh", "target_name": "mm-master",
		"start_time": "2026-11-30T05:00:00Z"}
}

// items is a list or search answer with an optional next cursor.
func items(next string, list ...obj) obj {
	meta := obj{}
	if next != "" {
		meta["next_cursor"] = next
	}
	if list == nil {
		list = []obj{}
	}
	return obj{"items": list, "response_metadata": meta}
}
