package engine

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
)

// Handler is the engine's whole HTTP surface: the engine API and the test API.
func (e *Engine) Handler() http.Handler { return e.mux }

// Client returns an HTTP client with its own cookie jar that calls the engine's handler in
// memory: requests to e.URL() never touch a socket. Long polls end when the request's
// context does or the engine closes.
func (e *Engine) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: memTransport{e.mux}, Jar: jar}
}

// memTransport is an http.RoundTripper that serves each request with a handler.
type memTransport struct{ h http.Handler }

func (t memTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	defer func() {
		// A dropped connection (a fault) reaches an in-memory client as an unexpected EOF.
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			resp, err = nil, io.ErrUnexpectedEOF
		}
	}()
	r := req.Clone(req.Context())
	if r.Body == nil {
		r.Body = http.NoBody
	}
	r.RequestURI, r.RemoteAddr = r.URL.RequestURI(), "127.0.0.1:0"
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}
