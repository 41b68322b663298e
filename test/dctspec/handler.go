package dctspec

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Handler returns h wrapped so that every request it serves under
// basePath (for example "/dct/v3") is checked against the spec before h
// sees it, and every answer h writes after. Problems go to report, one
// line each (a test passes t.Errorf). Requests outside basePath are a
// problem too.
func (s *Spec) Handler(basePath string, h http.Handler, report func(format string, args ...any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		path, ok := strings.CutPrefix(r.URL.EscapedPath(), basePath)
		if !ok {
			report("dctspec: %s %s is outside the base path %s", r.Method, r.URL.Path, basePath)
			h.ServeHTTP(w, r)
			return
		}
		for _, p := range s.CheckRequest(r.Method, path, r.URL.Query(), body) {
			report("dctspec: request %s", p)
		}
		if len(bytes.TrimSpace(body)) > 0 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			report("dctspec: request %s %s: a body without Content-Type application/json", r.Method, path)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for _, p := range s.CheckResponse(r.Method, path, rec.Code, rec.Body.Bytes()) {
			report("dctspec: answer %s", p)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}
