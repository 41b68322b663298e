package dct

import (
	"strings"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// retryPolicy is the DCT client's retry policy: reads and searches (a POST
// to .../search starts nothing) may be resent, and so may a lock or unlock
// of a VDB or VDB group: DCT does it at once, with no job, and doing it
// again for the same account changes nothing. Waits double without jitter.
var retryPolicy = httpapi.RetryPolicy{
	SafePOST: func(path string) bool {
		return strings.HasSuffix(path, "/search") || strings.HasSuffix(path, "/lock") || strings.HasSuffix(path, "/unlock")
	},
}
