package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"syscall"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/stretchr/testify/assert"
)

func TestEveryErrorHasOneExitCodeAndCategory(t *testing.T) {
	for _, tc := range []struct {
		err      error
		code     int
		category string
	}{
		{Usagef("--vdb is required"), ExitUsage, "usage"},
		{fmt.Errorf("refresh: %w", &delphix.NameError{Kind: "database", Name: "x"}), ExitUsage, "usage"},
		{&delphix.NameError{Kind: "database", Name: "x", Matches: []string{"A-1", "A-2"}}, ExitUsage, "usage"},
		{&delphix.APIError{HTTPStatus: 404, ID: "exception.executor.object.missing"}, ExitUsage, "usage"},
		{&delphix.APIError{HTTPStatus: 401, ID: "exception.webservices.login.failed"}, ExitAuth, "auth"},
		{&delphix.APIError{HTTPStatus: 403, ID: "exception.security.permission.denied"}, ExitAuth, "auth"},
		{&delphix.UnreachableError{Method: "GET", Path: "/about", Status: 502}, ExitUnreachable, "unreachable"},
		{&delphix.UnreachableError{Method: "POST", Path: "/session", Err: &url.Error{Op: "Post", URL: "https://e/x", Err: x509.UnknownAuthorityError{}}}, ExitTLS, "tls"},
		{&dct.UnreachableError{Method: "GET", Path: "/vdbs", Err: x509.HostnameError{Certificate: &x509.Certificate{}, Host: "e"}}, ExitTLS, "tls"},
		{&delphix.UnreachableError{Method: "GET", Path: "/about", Err: x509.CertificateInvalidError{Cert: &x509.Certificate{}, Reason: x509.Expired}}, ExitTLS, "tls"},
		{&delphix.JobError{Job: &delphix.Job{Reference: "JOB-1", JobState: delphix.JobFailed}}, ExitFailed, "engine"},
		{&delphix.APIError{HTTPStatus: 200, ID: "exception.validation.field.required"}, ExitFailed, "engine"},
		{&CheckError{Msg: "unmasked"}, ExitFailed, "engine"},
		{&DeadlineError{Timeout: "1s"}, ExitTimeout, "timeout"},
		{fmt.Errorf("wait: %w", context.DeadlineExceeded), ExitTimeout, "timeout"},
		{&AbortError{Signal: syscall.SIGINT}, ExitSIGINT, "aborted"},
		{&AbortError{Signal: syscall.SIGTERM}, ExitSIGTERM, "aborted"},
		{errors.New("anything else"), ExitFailed, "engine"},
	} {
		code, category := classify(tc.err)
		assert.Equal(t, tc.code, code, "%v", tc.err)
		assert.Equal(t, tc.category, category, "%v", tc.err)
	}
}
