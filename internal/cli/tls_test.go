package cli_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cert is a certificate and its key; parent nil makes it self-signed.
type cert struct {
	der []byte
	x   *x509.Certificate
	key *ecdsa.PrivateKey
}

func newCert(t *testing.T, tmpl *x509.Certificate, parent *cert) *cert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	signer, parentX := key, tmpl
	if parent != nil {
		signer, parentX = parent.key, parent.x
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentX, &key.PublicKey, signer)
	require.NoError(t, err)
	x, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &cert{der: der, x: x, key: key}
}

var serial int64

func template(cn string, notBefore, notAfter time.Time, ca bool, hosts ...string) *x509.Certificate {
	serial++
	t := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter, BasicConstraintsValid: true, IsCA: ca,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			t.IPAddresses = append(t.IPAddresses, ip)
		} else {
			t.DNSNames = append(t.DNSNames, h)
		}
	}
	return t
}

// pemFile writes c as PEM and returns the file's path.
func (c *cert) pemFile(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.der}), 0o600))
	return path
}

// tlsEngine serves the local engine over TLS with leaf, and counts the
// connections made to it.
func tlsEngine(t *testing.T, leaf *cert) (url string, conns *atomic.Int32) {
	e := enginetest.Start(t)
	srv := httptest.NewUnstartedServer(e.Handler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.der}, PrivateKey: leaf.key}}}
	conns = &atomic.Int32{}
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = nil
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL, conns
}

// A certificate the agent cannot verify is its own failure, on both platforms: exit 6, one
// line that says what is wrong with the certificate and names the fix (--ca-cert, or the
// unsafe --insecure), never "unreachable", and no retry. The right CA, or --insecure, works.
func TestACertificateThatFailsVerificationIsNamedWithItsFix(t *testing.T) {
	now := time.Now()
	ca := newCert(t, template("dxsteps test CA", now.Add(-time.Hour), now.Add(time.Hour), true), nil)
	selfSigned := newCert(t, template("engine self-signed", now.Add(-time.Hour), now.Add(time.Hour), true, "127.0.0.1"), nil)
	otherHost := newCert(t, template("engine.example.com", now.Add(-time.Hour), now.Add(time.Hour), false, "engine.example.com"), ca)
	expired := newCert(t, template("expired engine", now.Add(-48*time.Hour), now.Add(-24*time.Hour), false, "127.0.0.1"), ca)
	good := newCert(t, template("engine", now.Add(-time.Hour), now.Add(time.Hour), false, "127.0.0.1"), ca)

	platforms := map[string][]string{
		cli.PlatformEngine: {"DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"},
		cli.PlatformDCT:    {"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")},
	}
	for platform, creds := range platforms {
		t.Run(platform, func(t *testing.T) {
			for _, tc := range []struct {
				name   string
				leaf   *cert
				caFile string // "" trusts only the system's CAs
				want   []string
			}{
				{"self-signed", selfSigned, "", []string{"is self-signed (\"CN=engine self-signed\")", "with --ca-cert FILE", "--insecure"}},
				{"unknown CA", good, "", []string{"signed by \"CN=dxsteps test CA\", an authority this agent does not trust", "--ca-cert FILE", "--insecure"}},
				{"another host", otherHost, ca.pemFile(t), []string{"is for engine.example.com, not for 127.0.0.1", "--insecure"}},
				{"expired", expired, ca.pemFile(t), []string{"(CN=expired engine) is valid from", "not now", "--insecure"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					url, conns := tlsEngine(t, tc.leaf)
					env := append([]string{"DELPHIX_ENGINE=" + url, "DELPHIX_RETRY_MAX=4"}, creds...)
					if tc.caFile != "" {
						env = append(env, "DELPHIX_CA_CERT="+tc.caFile)
					}
					code, out, errs := runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT), env)
					assert.Equal(t, cli.ExitTLS, code, errs)
					assert.Empty(t, out)
					assert.Contains(t, errs, "error: the TLS certificate of "+url)
					for _, w := range tc.want {
						assert.Contains(t, errs, w)
					}
					assert.NotContains(t, errs, "unreachable")
					assert.NotContains(t, errs, "check --engine")
					assert.EqualValues(t, 1, conns.Load(), "a certificate failure is not retried")

					code, _, errs = runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT), append(env, "DELPHIX_INSECURE=true"))
					assert.Equal(t, 0, code, "--insecure skips the check: %s", errs)
				})
			}
			url, _ := tlsEngine(t, good)
			code, _, errs := runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT),
				append([]string{"DELPHIX_ENGINE=" + url, "DELPHIX_CA_CERT=" + ca.pemFile(t)}, creds...))
			assert.Equal(t, 0, code, "the CA that signed it: %s", errs)
		})
	}
}

// In Jenkins the line names the keys, caCert and insecure.
func TestInJenkinsACertificateFailureNamesTheKeys(t *testing.T) {
	now := time.Now()
	selfSigned := newCert(t, template("engine self-signed", now.Add(-time.Hour), now.Add(time.Hour), true, "127.0.0.1"), nil)
	url, _ := tlsEngine(t, selfSigned)
	errFile := filepath.Join(t.TempDir(), "error.json")
	code, _, errs := runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT), []string{"DELPHIX_ENGINE=" + url,
		"DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark", "DXSTEPS_CALLER=jenkins", "DELPHIX_ERROR_FILE=" + errFile})
	assert.Equal(t, cli.ExitTLS, code, errs)
	assert.Contains(t, errs, "with key 'caCert', or, unsafe, turn verification off with key 'insecure': true")
	raw, err := os.ReadFile(errFile)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"category": "tls"`)
	assert.Contains(t, string(raw), `"exitCode": 6`)
}

// A --ca-cert file that holds no certificate is a usage error that names --ca-cert, on
// both platforms, before any connection.
func TestACACertFileWithoutACertificateIsAUsageErrorNamingCACert(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("this is not a certificate\n"), 0o600))
	for _, env := range [][]string{
		{"DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=landshark"},
		{"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")},
	} {
		code, _, errs := runStep(platformStep(cli.PlatformEngine, cli.PlatformDCT),
			append(env, "DELPHIX_ENGINE=https://127.0.0.1:1"), "--ca-cert", notPEM)
		assert.Equal(t, cli.ExitUsage, code, errs)
		assert.Contains(t, errs, "--ca-cert "+notPEM+" holds no PEM certificate")
		assert.NotContains(t, errs, "--engine")
	}
}
