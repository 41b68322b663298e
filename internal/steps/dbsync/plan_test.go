package dbsync_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A plan of a sync finds the dSource, takes no snapshot, and names the one
// sync a real run then does, on each platform.
func TestAPlanOfASyncSendsNothingAndNamesTheSyncARealRunDoes(t *testing.T) {
	for _, platform := range []string{"engine", "dct"} {
		t.Run(platform, func(t *testing.T) {
			e := st.Engine(t)
			run := func(args ...string) st.Result {
				if platform == "dct" {
					return st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, st.DCTSpecEnv(t, e), args...)
				}
				return st.Run(t, dbsync.Step, e, nil, args...)
			}
			e.ClearRequests()
			r := run("--database", "Patients Prod", "--dry-run")
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Empty(t, st.Changes(e), "a plan changes nothing")
			plan := r.JSON(t)
			assert.Equal(t, true, plan["dryRun"])
			assert.Empty(t, plan["snapshot"])
			actions := plan["plan"].([]any)
			require.Len(t, actions, 1)
			a := actions[0].(map[string]any)
			assert.Equal(t, "sync", a["action"])
			assert.Equal(t, "Patients Prod", a["name"])
			assert.Contains(t, r.Stderr, `plan: would sync dSource "Patients Prod"`)

			real := run("--database", "Patients Prod")
			require.Equal(t, 0, real.Code, real.Stderr)
			out := real.JSON(t)
			assert.Equal(t, a["reference"], out["databaseReference"], "the plan names the dSource the real run syncs")
			assert.NotEmpty(t, out["snapshot"])
			assert.NotContains(t, out, "dryRun")

			e.ClearRequests()
			typo := run("--database", "Patients Prd", "--dry-run")
			assert.Equal(t, run("--database", "Patients Prd").Code, typo.Code, "a plan exits as a real run for a bad name")
			assert.Equal(t, 2, typo.Code)
		})
	}
}
