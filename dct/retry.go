package dct

import (
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// retryPolicy is the DCT client's retry policy: reads and searches (a POST
// to .../search starts nothing) may be resent; waits double without jitter.
var retryPolicy = httpapi.RetryPolicy{
	SafePOST: func(path string) bool { return strings.HasSuffix(path, "/search") },
}
