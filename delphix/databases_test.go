package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
)

func TestUnknownReferenceIsNotFound(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	_, err := c.Databases.Get(t.Context(), "APPDATA_CONTAINER-999")
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestFindByNameNamesTheClosestDatabases(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	_, err := c.Databases.FindByName(t.Context(), "Patients Mask Master")
	assert.ErrorContains(t, err, `no database is named "Patients Mask Master"; closest: "Patients Masked Master"`)
}
