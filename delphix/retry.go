package delphix

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
)

type retrySafeKey struct{}

// safePOSTs are POSTs the engine may see twice without harm: they start no
// job and change no data.
var safePOSTs = map[string]bool{"/session": true, "/login": true, "/logout": true}

// withRetrySafety records in ctx whether the request may be sent again
// after the engine might have seen it.
func withRetrySafety(ctx context.Context, method, path string) context.Context {
	safe := method == http.MethodGet || method == http.MethodHead || (method == http.MethodPost && safePOSTs[path])
	return context.WithValue(ctx, retrySafeKey{}, safe)
}

func retrySafe(ctx context.Context) bool {
	safe, _ := ctx.Value(retrySafeKey{}).(bool)
	return safe
}

// checkRetry is the client's retry policy. Reads are retried on connection
// errors, 429 and 502-504. A POST that may start a job is retried only when
// the engine provably did not receive it (the connection was never made)
// or refused it with 429: re-sending it after a lost answer could start a
// second refresh.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if isPermanentTransportError(err) {
			return false, nil
		}
		return retrySafe(ctx) || isDialError(err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true, nil
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return retrySafe(ctx), nil
	}
	return false, nil
}

// isDialError reports whether err happened before the request left this
// machine, so the engine cannot have acted on it.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// isPermanentTransportError reports TLS failures (a certificate that does
// not verify, a server that does not speak TLS): retrying them only delays
// the one clear message the user needs.
func isPermanentTransportError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	return errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		errors.As(err, &verify) || errors.As(err, &record) || errors.Is(err, http.ErrSchemeMismatch)
}

// plainHTTP reports whether an https:// request reached a server that
// answered in plain HTTP.
func plainHTTP(err error) bool {
	var record tls.RecordHeaderError
	return errors.Is(err, http.ErrSchemeMismatch) || (errors.As(err, &record) && string(record.RecordHeader[:]) == "HTTP/")
}
