// Package replay is an engine that answers from recorded engine traffic:
// directories of real engines' answers, named as dxtoolkit's mock server
// names them (../shared/reference/engine/dxtoolkit-fixtures). The step
// binaries meet real engines' objects through it, where the local engine
// only imitates them.
//
// A GET is answered from the recording of that path and query, else from
// the recorded list of the collection: one object by reference, or the
// objects whose fields match the query. A POST is answered from the
// recording of that path's N-th POST. Only what the recordings cannot hold
// is made up, and said so here: the echo of a session (refused above the
// recorded session's version), a login, the job a
// sync or refresh starts (COMPLETED at once), PublicSystemInfo with the
// recorded session's version when /about was not recorded, and an empty
// list of jobs or masking jobs when none was recorded.
package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// BasePath is where engines serve their web services.
const BasePath = "/resources/json/delphix/"

// Options configure a Server.
type Options struct {
	// Dirs are recording directories, searched in order for every answer.
	Dirs []string
	// HoldNewestSnapshot hides each container's newest recorded snapshot
	// until a sync of that container is posted, so a sync shows a new one.
	HoldNewestSnapshot bool
}

// Server is a replaying engine on a local port.
type Server struct {
	opts Options
	srv  *httptest.Server

	mu       sync.Mutex
	posts    map[string]int
	synced   map[string]bool
	jobs     map[string]obj
	requests []string
}

type obj = map[string]any

// emptyWhenUnrecorded are collections whose absence from a recording means
// there was nothing in them: no job running, no masking job attached.
var emptyWhenUnrecorded = map[string]bool{"job": true, "maskingjob": true}

// New starts a server over the recordings in opts.Dirs.
func New(opts Options) (*Server, error) {
	if len(opts.Dirs) == 0 {
		return nil, errors.New("replay: no recording directory")
	}
	for _, d := range opts.Dirs {
		if _, err := os.Stat(d); err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
	}
	s := &Server{opts: opts, posts: map[string]int{}, synced: map[string]bool{}, jobs: map[string]obj{}}
	s.srv = httptest.NewServer(s)
	return s, nil
}

// URL is the engine address to give the binaries.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Requests returns "METHOD path?query" for every request so far.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.Path, BasePath)
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	line := r.Method + " /" + p
	if r.URL.RawQuery != "" {
		line += "?" + r.URL.RawQuery
	}
	s.requests = append(s.requests, line)
	switch r.Method {
	case http.MethodGet:
		s.get(w, p, r.URL.RawQuery)
	case http.MethodPost:
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		s.post(w, p, body)
	default:
		missing(w, line)
	}
}

func (s *Server) get(w http.ResponseWriter, p, rawQuery string) {
	query := pairs(rawQuery)
	if raw, ok := s.recorded(p, query); ok {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
		return
	}
	if job, ok := s.jobs[p]; ok {
		answer(w, obj{"type": "OKResult", "status": "OK", "result": job, "job": nil, "action": nil})
		return
	}
	if p == "about" {
		s.about(w)
		return
	}
	coll, ref := p, ""
	if len(query) == 0 {
		coll, ref = path.Dir(p), path.Base(p)
	}
	items, ok := s.list(coll)
	switch {
	case !ok && emptyWhenUnrecorded[coll] && ref == "":
		items = []obj{}
	case !ok:
		missing(w, "GET /"+p)
		return
	}
	if ref != "" {
		for _, it := range items {
			if it["reference"] == ref {
				answer(w, obj{"type": "OKResult", "status": "OK", "result": it, "job": nil, "action": nil})
				return
			}
		}
		missing(w, "GET /"+p)
		return
	}
	matched := []obj{}
	for _, it := range items {
		if matches(it, query) {
			matched = append(matched, it)
		}
	}
	if coll == "snapshot" && s.opts.HoldNewestSnapshot {
		matched = s.holdNewest(matched)
	}
	answer(w, obj{"type": "ListResult", "status": "OK", "result": matched, "total": len(matched), "overflow": false, "job": nil, "action": nil})
}

func (s *Server) post(w http.ResponseWriter, p string, body []byte) {
	s.posts[p]++
	if raw, ok := s.file(fmt.Sprintf("%s.json.%d", p, s.posts[p])); ok {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
		return
	}
	var result any
	switch {
	case p == "session":
		_ = json.Unmarshal(body, &result)
		if s.newerThanRecorded(body) {
			answer(w, obj{"type": "ErrorResult", "status": "ERROR", "error": obj{"type": "APIError",
				"id": "exception.webservices.session.version.unsupported", "details": "replay: the recorded engine speaks an older API version", "action": nil}})
			return
		}
	case p == "login":
		result = "USER-REPLAY"
	case p == "logout":
	case strings.HasSuffix(p, "/sync") || strings.HasSuffix(p, "/refresh"):
		target := path.Base(path.Dir(p))
		action := "DB_SYNC"
		if strings.HasSuffix(p, "/refresh") {
			action = "DB_REFRESH"
		}
		s.synced[target] = true
		ref := fmt.Sprintf("JOB-REPLAY-%d", len(s.jobs)+1)
		s.jobs["job/"+ref] = obj{"type": "Job", "reference": ref, "actionType": action, "target": target,
			"jobState": "COMPLETED", "percentComplete": 100, "cancelable": false, "events": []any{}}
		answer(w, obj{"type": "OKResult", "status": "OK", "result": "", "job": ref, "action": nil})
		return
	default:
		missing(w, "POST /"+p)
		return
	}
	answer(w, obj{"type": "OKResult", "status": "OK", "result": result, "job": nil, "action": nil})
}

// newerThanRecorded reports whether a session asks for a version newer
// than the recorded session's, which the recorded engine would refuse.
func (s *Server) newerThanRecorded(body []byte) bool {
	type version struct{ Major, Minor, Micro int }
	var asked struct{ Version version }
	var rec struct{ Result struct{ Version *version } }
	raw, ok := s.file("session.json")
	if !ok || json.Unmarshal(raw, &rec) != nil || rec.Result.Version == nil || json.Unmarshal(body, &asked) != nil {
		return false
	}
	a, r := asked.Version, *rec.Result.Version
	return [3]int{a.Major, a.Minor, a.Micro} != [3]int{r.Major, r.Minor, r.Micro} &&
		(a.Major > r.Major || a.Major == r.Major && (a.Minor > r.Minor || a.Minor == r.Minor && a.Micro > r.Micro))
}

// about answers /about when it was not recorded: PublicSystemInfo with
// the API version of the recorded session.
func (s *Server) about(w http.ResponseWriter) {
	raw, ok := s.file("session.json")
	var session struct{ Result struct{ Version any } }
	if !ok || json.Unmarshal(raw, &session) != nil || session.Result.Version == nil {
		missing(w, "GET /about")
		return
	}
	answer(w, obj{"type": "OKResult", "status": "OK", "job": nil, "action": nil,
		"result": obj{"type": "PublicSystemInfo", "productName": "Delphix Engine (replayed)", "apiVersion": session.Result.Version}})
}

// recorded returns the recording of GET p?query: <p>.json, or
// <p>_<k>=<v>....json with every ':' as '_', or one that adds parameters
// after those (paging).
func (s *Server) recorded(p string, query [][2]string) ([]byte, bool) {
	if len(query) == 0 {
		return s.file(p + ".json")
	}
	name := p
	for _, kv := range query {
		name += "_" + kv[0] + "=" + kv[1]
	}
	name = strings.ReplaceAll(name, ":", "_")
	if raw, ok := s.file(name + ".json"); ok {
		return raw, true
	}
	for _, d := range s.opts.Dirs {
		found, _ := filepath.Glob(filepath.Join(d, filepath.FromSlash(globEscape(name))+"_*.json"))
		if len(found) > 0 {
			sort.Strings(found)
			raw, err := os.ReadFile(found[0])
			return raw, err == nil
		}
	}
	return nil, false
}

// list returns the recorded list of a collection, e.g. database.json.
func (s *Server) list(coll string) ([]obj, bool) {
	raw, ok := s.file(coll + ".json")
	if !ok {
		return nil, false
	}
	var env struct {
		Type   string
		Result []obj
	}
	if json.Unmarshal(raw, &env) != nil || env.Type != "ListResult" {
		return nil, false
	}
	return env.Result, true
}

func (s *Server) file(name string) ([]byte, bool) {
	for _, d := range s.opts.Dirs {
		if raw, err := os.ReadFile(filepath.Join(d, filepath.FromSlash(name))); err == nil {
			return raw, true
		}
	}
	return nil, false
}

// holdNewest drops the newest snapshot of every container not synced yet.
func (s *Server) holdNewest(snaps []obj) []obj {
	newest := map[string]obj{}
	for _, sn := range snaps {
		c, _ := sn["container"].(string)
		if n, ok := newest[c]; !ok || fmt.Sprint(sn["creationTime"]) > fmt.Sprint(n["creationTime"]) {
			newest[c] = sn
		}
	}
	out := []obj{}
	for _, sn := range snaps {
		c, _ := sn["container"].(string)
		if s.synced[c] || !sameObject(newest[c], sn) {
			out = append(out, sn)
		}
	}
	return out
}

func sameObject(a, b obj) bool { return a["reference"] == b["reference"] }

// matches reports whether an object fits a list query. Paging is ignored;
// database= filters on the container field, as engines do for snapshots
// and sources.
func matches(it obj, query [][2]string) bool {
	for _, kv := range query {
		field := kv[0]
		switch field {
		case "pageSize", "pageOffset":
			continue
		case "database":
			field = "container"
		case "container":
			if _, ok := it["associatedContainer"]; ok {
				field = "associatedContainer"
			}
		}
		if fmt.Sprint(it[field]) != kv[1] {
			return false
		}
	}
	return true
}

// pairs splits a raw query into its key/value pairs in the order sent.
func pairs(raw string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		out = append(out, [2]string{k, v})
	}
	return out
}

func globEscape(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

func answer(w http.ResponseWriter, v any) {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b.Bytes())
}

// missing answers what no recording holds, as an engine answers a
// reference it does not know.
func missing(w http.ResponseWriter, what string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	_ = json.NewEncoder(w).Encode(obj{"type": "ErrorResult", "status": "ERROR", "error": obj{"type": "APIError",
		"id": "exception.executor.object.missing", "details": "replay: no recording answers " + what, "action": nil}})
}
