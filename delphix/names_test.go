package delphix

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNameErrorListsClosestNames(t *testing.T) {
	items := []string{"Patients Prod", "Patients Masked Master", "Billing"}
	_, err := FindByName("database", "Patients Mask Master", items, func(s *string) string { return *s }, func(s *string) string { return *s })
	assert.EqualError(t, err, `no database is named "Patients Mask Master"; closest: "Patients Masked Master", "Patients Prod", "Billing"`)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestNameErrorRefusesTwoObjectsWithOneName(t *testing.T) {
	items := []Database{{Name: "x", Reference: "A-1"}, {Name: "x", Reference: "A-2"}}
	_, err := FindByName("database", "x", items, func(d *Database) string { return d.Name }, func(d *Database) string { return d.Reference })
	var ne *NameError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, []string{"A-1", "A-2"}, ne.Matches)
	assert.NotErrorIs(t, err, ErrNotFound)
}
