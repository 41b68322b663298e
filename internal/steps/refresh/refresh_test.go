package refresh_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
)

func TestRefreshFromTheSnapshotSyncPrinted(t *testing.T) {
	e := st.Engine(t)
	snap := st.OK(t, dbsync.Step, e, "--database", "Patients Prod")["snapshot"]
	out := st.OK(t, refresh.Step, e, "--vdb", "Patients Masked Master", "--snapshot", snap.(string), "--require-masked")
	assert.Equal(t, snap, out["snapshot"])
	assert.Equal(t, "Patients Prod", out["source"])
	assert.Equal(t, true, out["masked"])
}

func TestRequireMaskedFailsButStillPrintsTheResult(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, refresh.Step, e, nil, "--vdb", "prep1 DB", "--require-masked")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.Stderr, "without masking applied")
	assert.Equal(t, false, r.JSON(t)["masked"])
}

func TestADSourceOrAForeignSnapshotIsRefused(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Prod")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "is a dSource, not a VDB")
	r = st.Run(t, refresh.Step, e, nil, "--vdb", "Patients Masked Master", "--snapshot", "NO-SUCH-SNAPSHOT")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no snapshot "NO-SUCH-SNAPSHOT"`)
}
