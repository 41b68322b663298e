package dct

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/stretchr/testify/require"
)

// testKey is the API key the tests' client sends.
const testKey = "1.0p9PMkZO4Hgy0ezwjhX0Fi4lEKrD4pflejgasIBf8ewBGoAkSdTlrYd3AIsqVaA"

// fakeDCT is an httptest server that implements, per test, just enough DCT
// behaviour. Every request and answer goes through dctspec: a request the
// spec does not allow, or an answer it does not declare, fails the test.
type fakeDCT struct {
	t        *testing.T
	mux      *http.ServeMux
	base     string
	mu       sync.Mutex
	requests []fakeRequest
	srv      *httptest.Server
}

type fakeRequest struct {
	Method, Path, Query string
	Auth, ClientName    string
	Body                []byte
}

// Line is "METHOD /path" relative to the base path, escaped.
func (r fakeRequest) Line() string { return r.Method + " " + r.Path }

// newFake starts a fake DCT serving under basePath.
func newFake(t *testing.T, basePath string) *fakeDCT {
	t.Helper()
	f := &fakeDCT{t: t, mux: http.NewServeMux(), base: basePath}
	var h http.Handler = http.HandlerFunc(f.serve)
	if s, err := dctspec.Default(); err == nil {
		h = s.Handler(basePath, h, t.Errorf)
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("DCT OpenAPI file needed in CI: %v", err)
	} else {
		t.Logf("requests not checked against the spec: %v", err)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDCT) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mu.Lock()
	f.requests = append(f.requests, fakeRequest{Method: r.Method, Path: strings.TrimPrefix(r.URL.EscapedPath(), f.base),
		Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"), ClientName: r.Header.Get("x-dct-client-name"), Body: body})
	f.mu.Unlock()
	f.mux.ServeHTTP(w, r)
}

// on routes "METHOD /path/{id}" (relative to the base path) to h.
func (f *fakeDCT) on(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	f.mux.HandleFunc(method+" "+f.base+path, h)
}

// answer routes pattern to a fixed JSON answer.
func (f *fakeDCT) answer(pattern string, status int, v any) {
	f.on(pattern, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, status, v) })
}

func (f *fakeDCT) reqs() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.requests...)
}

func (f *fakeDCT) lines() []string {
	var out []string
	for _, r := range f.reqs() {
		out = append(out, r.Line())
	}
	return out
}

// last is the last request's body, decoded.
func (f *fakeDCT) lastBody() map[string]any {
	f.t.Helper()
	rs := f.reqs()
	require.NotEmpty(f.t, rs)
	var m map[string]any
	if b := rs[len(rs)-1].Body; len(b) > 0 {
		require.NoError(f.t, json.Unmarshal(b, &m))
	}
	return m
}

// client is a client of the fake with the test key, fast retries and
// fast job polling.
func (f *fakeDCT) client(opts ...Option) *Client {
	f.t.Helper()
	base := []Option{WithAPIKey(testKey), WithBasePath(f.base), WithBackoff(time.Millisecond, 5*time.Millisecond),
		WithWaitIntervals(time.Millisecond, 5*time.Millisecond)}
	c, err := NewClient(f.srv.URL, append(base, opts...)...)
	require.NoError(f.t, err)
	return c
}

// setup is a fake under /dct/v3 and its client.
func setup(t *testing.T) (*Client, *fakeDCT) {
	f := newFake(t, DefaultBasePath)
	return f.client(), f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// obj is a JSON object in a fake's answer.
type obj = map[string]any

// job is a Job answer with the given id and status.
func job(id, status string) obj {
	return obj{"id": id, "status": status, "localized_type": "DB Refresh", "target_name": "mm-master",
		"start_time": "2026-11-30T05:00:00Z"}
}

// jobAnswer is {"job": ...}.
func jobAnswer(id string) obj { return obj{"job": job(id, JobStarted)} }

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

func vdb(id, name string) obj {
	return obj{"id": id, "name": name, "engine_id": "eng-1", "status": "RUNNING", "enabled": true, "is_locked": false}
}
