package httpapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClosestNamesComeNearestFirstDistinctAndAtMostN(t *testing.T) {
	names := []string{"Billing", "Patients Prod", "Patients Masked Master", "Patients Prod", "HR"}
	assert.Equal(t, []string{"Patients Masked Master", "Patients Prod"}, Closest("patients mask master", names, 2))
	assert.Equal(t, []string{"HR", "Billing", "Patients Prod"}, Closest("hr", names, 3))
	assert.Empty(t, Closest("x", nil, 3))
}

func TestDistanceCountsRuneEdits(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"mm-mastr", "mm-master", 1},
		{"café", "cafe", 1},
	} {
		assert.Equal(t, tc.d, Distance(tc.a, tc.b), "%q %q", tc.a, tc.b)
		assert.Equal(t, tc.d, Distance(tc.b, tc.a), "%q %q", tc.b, tc.a)
	}
}
