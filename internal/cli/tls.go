package cli

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// certProblem says what is wrong with the server's TLS certificate when err
// is a failed certificate verification, and the fix, naming flags (or, in
// Jenkins, keys); ok is false for any other error. Such a failure is not an
// unreachable engine: the engine answered, and no retry changes its
// certificate.
func certProblem(err error, jenkins bool) (msg string, ok bool) {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
	)
	server := "the server"
	var u *url.Error
	if errors.As(err, &u) {
		if p, perr := url.Parse(u.URL); perr == nil && p.Host != "" {
			server = "https://" + p.Host
		}
	}
	caFix := fmt.Sprintf("give the CA certificate that signed it (PEM) with %s FILE, or, unsafe, turn verification off with %s",
		keyRef(CACert, jenkins), keyRef(Insecure, jenkins))
	if jenkins {
		caFix = fmt.Sprintf("give the CA certificate that signed it (a PEM file on the agent) with %s, or, unsafe, turn verification off with %s: true",
			keyRef(CACert, jenkins), keyRef(Insecure, jenkins))
	}
	switch {
	case errors.As(err, &hostname):
		names := hostname.Certificate.DNSNames
		for _, ip := range hostname.Certificate.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) == 0 && hostname.Certificate.Subject.CommonName != "" {
			names = []string{hostname.Certificate.Subject.CommonName}
		}
		return fmt.Sprintf("the TLS certificate of %s is for %s, not for %s: give %s a URL with a host name the certificate holds, or, unsafe, turn verification off with %s",
			server, orNone(names), hostname.Host, keyRef(Engine, jenkins), keyRef(Insecure, jenkins)), true
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		c := invalid.Cert
		return fmt.Sprintf("the TLS certificate of %s (%s) is valid from %s to %s, not now (%s): renew it on the server, or, unsafe, turn verification off with %s",
			server, c.Subject, c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339),
			time.Now().UTC().Format(time.RFC3339), keyRef(Insecure, jenkins)), true
	case errors.As(err, &invalid):
		return fmt.Sprintf("the TLS certificate of %s is not valid (%s): %s", server, invalid.Error(), caFix), true
	case errors.As(err, &unknown):
		what := "signed by an authority this agent does not trust"
		if c := unknown.Cert; c != nil {
			what = fmt.Sprintf("signed by %q, an authority this agent does not trust", c.Issuer.String())
			if c.Issuer.String() == c.Subject.String() {
				what = fmt.Sprintf("self-signed (%q), so no authority this agent trusts vouches for it", c.Subject.String())
			}
		}
		return fmt.Sprintf("the TLS certificate of %s is %s: %s", server, what, caFix), true
	case errors.As(err, &verify):
		return fmt.Sprintf("the TLS certificate of %s failed verification (%v): %s", server, verify.Err, caFix), true
	}
	return "", false
}

// isCertError says whether err is a failed verification of the server's
// TLS certificate.
func isCertError(err error) bool {
	_, ok := certProblem(err, false)
	return ok
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "no host name"
	}
	return strings.Join(names, ", ")
}

// checkCACert refuses a --ca-cert file that holds no PEM certificate, naming
// the key, before any connection.
// server is whose certificate it is to vouch for: "the engine's", "DCT's".
func checkCACert(in *Input, path string, pem []byte, server string) error {
	if x509.NewCertPool().AppendCertsFromPEM(pem) {
		return nil
	}
	return Usagef("%s %s holds no PEM certificate (a -----BEGIN CERTIFICATE----- block): give the PEM file of the CA certificate that signed %s TLS certificate",
		in.Name(CACert), path, server)
}
