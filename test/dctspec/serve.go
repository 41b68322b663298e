package dctspec

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// Checked is h with every request under base and its answer checked
// against the default OpenAPI file, a problem failing t. Without the file h
// is served unchecked and the test says so; in CI (CI=true) the file is
// needed and its absence fails the test.
func Checked(t testing.TB, base string, h http.Handler) http.Handler {
	t.Helper()
	s, err := Default()
	if err == nil {
		return s.Handler(base, h, t.Errorf)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("DCT OpenAPI file needed in CI: %v", err)
	}
	t.Logf("DCT requests not checked against the spec: %v", err)
	return h
}

// Serve serves Checked(t, base, h) for the test's lifetime and returns its
// URL.
func Serve(t testing.TB, base string, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(Checked(t, base, h))
	t.Cleanup(srv.Close)
	return srv.URL
}
