package httpapi_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/stretchr/testify/assert"
)

// What a plan lets through on either platform, and what it refuses.
func TestOnlyReadsChangeNothing(t *testing.T) {
	for _, r := range [][2]string{{"GET", "/resources/json/delphix/database"}, {"POST", "/resources/json/delphix/session"},
		{"POST", "/resources/json/delphix/login"}, {"POST", "/dct/v3/vdbs/search"}, {"HEAD", "/dct/v3/about"}} {
		assert.True(t, httpapi.ChangesNothing(r[0], r[1]), "%v", r)
	}
	for _, r := range [][2]string{{"POST", "/resources/json/delphix/database/X/sync"}, {"POST", "/dct/v3/vdbs/1/snapshots"},
		{"PATCH", "/dct/v3/vdbs/1"}, {"DELETE", "/dct/v3/bookmarks/1"}, {"POST", "/resources/json/delphix/selfservice/bookmark"}} {
		assert.False(t, httpapi.ChangesNothing(r[0], r[1]), "%v", r)
	}
}
