package stepkit_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
	"github.com/stretchr/testify/assert"
)

// A lock refusal is a permission refused (exit 3) whichever platform's step gives it, and says
// who can lift it.
func TestALockRefusalIsForbiddenOnBothPlatforms(t *testing.T) {
	err := fmt.Errorf("refresh: %w", stepkit.LockedError{Pod: "prep1", By: "qa", Holder: "user"})
	for _, kind := range []error{httpapi.ErrForbidden, delphix.ErrForbidden, dct.ErrForbidden} {
		assert.ErrorIs(t, err, kind)
	}
	assert.EqualError(t, err, `refresh: data pod "prep1" is locked by user "qa"; that user (or an admin) can unlock it (dx-datapod unlock)`)
	dctRefusal := errors.New("409 Conflict")
	wrapped := stepkit.LockedError{Pod: "qa-pod", By: "qa", Holder: "account", Err: dctRefusal}
	assert.ErrorIs(t, wrapped, dctRefusal)
	assert.EqualError(t, wrapped, `data pod "qa-pod" is locked by account "qa"; that account (or an admin) can unlock it: 409 Conflict`)
}
