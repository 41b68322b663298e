package delphix

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaskingJobsOfAContainer(t *testing.T) {
	c, _ := loggedIn(t, engine.Options{})
	master, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	jobs, err := c.MaskingJobs.ListForContainer(t.Context(), master.Reference)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	assert.Equal(t, "Patients masking", jobs[0].Name)
	assert.Equal(t, master.Reference, jobs[0].AssociatedContainer)

	prod, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	jobs, err = c.MaskingJobs.ListForContainer(t.Context(), prod.Reference)
	require.NoError(t, err)
	assert.Empty(t, jobs)
}
