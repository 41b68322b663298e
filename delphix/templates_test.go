package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplateFoundByNameAndReference(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	tmpl, err := c.Templates.FindByName(t.Context(), "Patients")
	require.NoError(t, err)
	got, err := c.Templates.Get(t.Context(), tmpl.Reference)
	require.NoError(t, err)
	assert.Equal(t, "Patients", got.Name)
	assert.NotEmpty(t, got.ActiveBranch)

	_, err = c.Templates.FindByName(t.Context(), "patients")
	assert.ErrorContains(t, err, `no data template is named "patients"; closest: "Patients"`)
}
