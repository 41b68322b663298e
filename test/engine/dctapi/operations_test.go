package dctapi

import (
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The server's table of DCT operations is the spec's: the query parameters and enums each
// operation declares, and each search's x-filterable fields.
func TestTheDCTOperationsTableIsTheSpecs(t *testing.T) {
	s, err := dctspec.Default()
	if err != nil {
		t.Skipf("no DCT OpenAPI file: %v", err)
	}
	for route, op := range operations {
		method, path, _ := strings.Cut(route, " ")
		d, ok := s.Declared(method, strings.ReplaceAll(path, "{id}", "x"))
		require.True(t, ok, route)
		query := op.query
		if query == nil {
			query = map[string][]string{}
		}
		assert.Equal(t, d.Query, query, route)
		assert.Equal(t, d.Filterable, op.filterable, route)
	}
}
