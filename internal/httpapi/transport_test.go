package httpapi

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tlsServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func get(t *testing.T, tr Transport, url string) (*http.Response, error) {
	t.Helper()
	req, err := retryablehttp.NewRequestWithContext(RetryPolicy{}.WithRetrySafety(t.Context(), "GET", "/"), "GET", url, nil)
	require.NoError(t, err)
	resp, err := tr.Client(RetryPolicy{}).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestACACertPEMIsTrusted(t *testing.T) {
	srv, _ := tlsServer(t)
	tr := NewTransport()
	require.NoError(t, tr.SetCACertPEM(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	resp, err := get(t, tr, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestAnUntrustedCertificateFailsAtOnceUnlessVerificationIsOff(t *testing.T) {
	srv, n := tlsServer(t)
	tr := NewTransport()
	require.NoError(t, tr.SetBackoff(time.Millisecond, time.Millisecond))
	_, err := get(t, tr, srv.URL)
	require.Error(t, err)
	assert.True(t, IsPermanentTransportError(err), "%v", err)
	assert.Equal(t, int32(0), n.Load())

	tr.SetInsecureSkipVerify()
	resp, err := get(t, tr, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestTransportSettingsRejectNonsense(t *testing.T) {
	tr := NewTransport()
	assert.EqualError(t, tr.SetCACertPEM([]byte("not a certificate")), "no PEM certificate found in the CA bundle")
	assert.EqualError(t, tr.SetHTTPClient(nil), "http client must not be nil")
	assert.EqualError(t, tr.SetRetryMax(-1), "retry max must be >= 0, got -1")
	assert.EqualError(t, tr.SetBackoff(2*time.Second, time.Second), "invalid backoff 2s..1s")
}

func TestAReadIsRetriedUpToRetryMax(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	tr := NewTransport()
	require.NoError(t, tr.SetRetryMax(2))
	require.NoError(t, tr.SetBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, tr.SetHTTPClient(&http.Client{}))
	resp, err := get(t, tr, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, int32(3), n.Load())
}
