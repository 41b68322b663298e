package dbsync_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachSyncPrintsANewSnapshot(t *testing.T) {
	e := st.Engine(t)
	first := st.OK(t, dbsync.Step, e, "--database", "Patients Prod")
	second := st.OK(t, dbsync.Step, e, "--database", "Patients Prod")
	assert.Equal(t, "Patients Prod", first["database"])
	assert.NotEmpty(t, first["snapshot"])
	assert.NotEqual(t, first["snapshot"], second["snapshot"])
}

func TestTheDatabaseComesFromItsOwnVariableOnly(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, dbsync.Step, e, []string{"DXSTEPS_SYNC_DATABASE=Patients Prod"})
	require.Equal(t, 0, r.Code, r.Stderr)
	r = st.Run(t, dbsync.Step, e, []string{"DELPHIX_DATABASE=Patients Prod"})
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "DELPHIX_DATABASE is set but --database reads DXSTEPS_SYNC_DATABASE; ignored")
	assert.Contains(t, r.Stderr, "error: --database is required")
}

func TestWordsThatAreNotFlagsAreExplained(t *testing.T) {
	r := st.Run(t, dbsync.Step, nil, nil, "version")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `unexpected argument "version": dx-sync takes no operation, only flags; did you mean --version?`)
	r = st.Run(t, dbsync.Step, nil, nil, "--databse", "x")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "unknown flag --databse; did you mean --database?")
	r = st.Run(t, dbsync.Step, nil, nil, "--version")
	assert.Equal(t, 0, r.Code)
	assert.Contains(t, r.Stdout, "dx-sync version")
	assert.Empty(t, r.Stderr)
}

func TestAWrongPasswordExits3(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, dbsync.Step, e, []string{"DELPHIX_PASSWORD=wrong"}, "--database", "Patients Prod")
	assert.Equal(t, 3, r.Code)
	assert.NotContains(t, r.Stderr, "wrong")
}
