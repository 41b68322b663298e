package httpapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// Transport is the part of a client's configuration that both clients
// share: the HTTP client to start from, TLS trust and retry bounds. Its
// setters return errors without a package prefix; each client adds its own
// ("delphix: ", "dct: ").
type Transport struct {
	httpClient *http.Client
	tls        *tls.Config
	retryMax   int
	waitMin    time.Duration
	waitMax    time.Duration
	notify     func(string)
	slow       time.Duration
	guard      func(method, path string) string
}

// NewTransport returns the defaults both clients use: 4 retries, waits
// from 1s to 30s, a 2 minute timeout per attempt, the system's CA pool.
func NewTransport() Transport {
	return Transport{retryMax: 4, waitMin: time.Second, waitMax: 30 * time.Second}
}

// SetHTTPClient uses a copy of hc as the base of the client (its
// Transport, Timeout).
func (t *Transport) SetHTTPClient(hc *http.Client) error {
	if hc == nil {
		return errors.New("http client must not be nil")
	}
	c := *hc
	t.httpClient = &c
	return nil
}

// SetCACertPEM trusts the CA certificates in pem and no other: the
// server's certificate must chain to one of them.
func (t *Transport) SetCACertPEM(pem []byte) error {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return errors.New("no PEM certificate found in the CA bundle")
	}
	t.tlsConfig().RootCAs = pool
	return nil
}

// SetInsecureSkipVerify turns off TLS certificate verification.
func (t *Transport) SetInsecureSkipVerify() {
	t.tlsConfig().InsecureSkipVerify = true //nolint:gosec // asked for explicitly
}

// SetRetryMax sets how many times a request is retried when the retry
// policy allows it.
func (t *Transport) SetRetryMax(n int) error {
	if n < 0 {
		return fmt.Errorf("retry max must be >= 0, got %d", n)
	}
	t.retryMax = n
	return nil
}

// SetBackoff sets the minimum and maximum wait between retries.
func (t *Transport) SetBackoff(min, max time.Duration) error {
	if min < 0 || max < min {
		return fmt.Errorf("invalid backoff %v..%v", min, max)
	}
	t.waitMin, t.waitMax = min, max
	return nil
}

// SetNotify has notify told, in one line for people each, of every retry
// (what failed, when the next try comes) and of every request that waits
// slowAfter (DefaultSlowAnswer when 0) and again as long without an answer.
func (t *Transport) SetNotify(notify func(line string), slowAfter time.Duration) error {
	if slowAfter < 0 {
		return fmt.Errorf("slow answer wait must be >= 0, got %v", slowAfter)
	}
	if slowAfter == 0 {
		slowAfter = DefaultSlowAnswer
	}
	t.notify, t.slow = notify, slowAfter
	return nil
}

func (t *Transport) tlsConfig() *tls.Config {
	if t.tls == nil {
		t.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return t.tls
}

// Client builds the retrying HTTP client: the configured (or a default)
// http.Client, with TLS settings applied to a clone of its transport, and
// p deciding retries and waits. The proxy is the base transport's: with the
// default one, HTTPS_PROXY, HTTP_PROXY and NO_PROXY as Go reads them (never
// for localhost or a loopback address). Errors pass through as they are, so the
// caller can tell whether the request may have reached the server.
func (t *Transport) Client(p RetryPolicy) *retryablehttp.Client {
	hc := t.httpClient
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	if t.tls != nil {
		tr, ok := hc.Transport.(*http.Transport)
		if hc.Transport == nil || !ok {
			tr = http.DefaultTransport.(*http.Transport)
		}
		tr = tr.Clone()
		tr.TLSClientConfig = t.tls
		hc.Transport = tr
	}
	rc := &retryablehttp.Client{
		HTTPClient:   hc,
		RetryWaitMin: t.waitMin,
		RetryWaitMax: t.waitMax,
		RetryMax:     t.retryMax,
		CheckRetry:   CheckRetry,
		Backoff:      p.Backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	if t.guard != nil {
		c := *rc.HTTPClient
		next := c.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		c.Transport = guardTripper{next: next, guard: t.guard}
		rc.HTTPClient = &c
	}
	if t.notify != nil {
		rc.Logger = &retryLog{notify: t.notify, max: t.retryMax}
		c := *rc.HTTPClient
		next := c.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		c.Transport = slowTripper{next: next, after: t.slow, notify: t.notify}
		rc.HTTPClient = &c
	}
	return rc
}
