package httpapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/stretchr/testify/assert"
)

// Each error kind is told apart once, whichever client gave it.
func TestBothClientsErrorsAreOfTheSharedKinds(t *testing.T) {
	kinds := map[error][]error{
		httpapi.ErrNotFound: {delphix.ErrNotFound, dct.ErrNotFound, &delphix.APIError{HTTPStatus: http.StatusNotFound},
			&dct.APIError{HTTPStatus: http.StatusNotFound}, &delphix.NameError{Kind: "VDB", Name: "x"}, &dct.NameError{Kind: "VDB", Name: "x"}},
		httpapi.ErrUnauthorized: {delphix.ErrUnauthorized, dct.ErrUnauthorized, &dct.APIError{HTTPStatus: http.StatusUnauthorized}},
		httpapi.ErrForbidden:    {delphix.ErrForbidden, dct.ErrForbidden, &dct.APIError{HTTPStatus: http.StatusForbidden}},
		httpapi.ErrConflict:     {delphix.ErrConflict, dct.ErrConflict, &delphix.APIError{HTTPStatus: http.StatusConflict}},
	}
	for kind, errs := range kinds {
		for _, err := range errs {
			wrapped := fmt.Errorf("step: %w", err)
			assert.ErrorIs(t, wrapped, kind, "%v", err)
		}
	}
	assert.ErrorIs(t, &dct.APIError{HTTPStatus: http.StatusNotFound}, dct.ErrNotFound, "a client's own sentinel still matches")
	assert.False(t, errors.Is(&dct.APIError{HTTPStatus: http.StatusNotFound}, httpapi.ErrConflict))
	several := &dct.NameError{Kind: "VDB", Name: "x", Matches: []string{"1", "2"}, Precisely: "by id"}
	assert.False(t, errors.Is(several, httpapi.ErrNotFound), "several matches are not a missing object")
	assert.EqualError(t, several, `2 VDBs are named "x" (1, 2): rename one, or name the object by id`)
	var down httpapi.Unreachable
	assert.True(t, errors.As(fmt.Errorf("x: %w", &dct.UnreachableError{Method: "GET", Path: "/vdbs"}), &down))
	assert.True(t, errors.As(&delphix.UnreachableError{Method: "GET", Path: "/x"}, &down))
}
