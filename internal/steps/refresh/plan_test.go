package refresh_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runOn runs dx-refresh on the platform as the admin.
func runOn(t *testing.T, e *engine.Engine, platform string, args ...string) st.Result {
	if platform == "dct" {
		return st.RunDCT(t, refresh.Step, e, st.DCTAdmin, st.DCTSpecEnv(t, e), args...)
	}
	return st.Run(t, refresh.Step, e, nil, args...)
}

// actions are a plan's actions as "action object name".
func actions(t *testing.T, plan map[string]any) []string {
	var out []string
	for _, a := range plan["plan"].([]any) {
		m := a.(map[string]any)
		out = append(out, m["action"].(string)+" "+m["object"].(string)+" "+m["name"].(string))
	}
	return out
}

// A plan of a refresh changes nothing, and names what a real run then does:
// on the engine the refresh (masking runs inside it), on DCT the refresh,
// the masking job and the snapshot of the masked data.
func TestAPlanOfARefreshNamesWhatARealRunDoes(t *testing.T) {
	want := map[string][]string{
		"engine": {"refresh VDB Patients Masked Master"},
		"dct":    {"refresh VDB Patients Masked Master", "run compliance job Patients masking", "snapshot VDB Patients Masked Master"},
	}
	for _, platform := range []string{"engine", "dct"} {
		t.Run(platform, func(t *testing.T) {
			e := st.Engine(t)
			before, _ := e.Dataset("Patients Masked Master")
			e.ClearRequests()
			r := runOn(t, e, platform, "--vdb", "Patients Masked Master", "--require-masked", "--dry-run")
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Empty(t, st.Changes(e), "a plan changes nothing")
			after, _ := e.Dataset("Patients Masked Master")
			assert.Equal(t, before.Contents, after.Contents)
			plan := r.JSON(t)
			assert.Equal(t, want[platform], actions(t, plan))
			assert.Equal(t, true, plan["masked"], "a real run would pass --require-masked")
			assert.Empty(t, plan["job"])
			assert.Empty(t, plan["maskedSnapshot"], "no masked snapshot exists before the real run")

			real := runOn(t, e, platform, "--vdb", "Patients Masked Master", "--require-masked")
			require.Equal(t, 0, real.Code, real.Stderr)
			out := real.JSON(t)
			first := plan["plan"].([]any)[0].(map[string]any)
			assert.Equal(t, out["vdbReference"], first["reference"], "the plan names the VDB the real run refreshes")
			assert.Equal(t, out["snapshot"], first["parameters"].(map[string]any)["snapshot"], "from the snapshot the real run uses")
			if platform == "dct" {
				jobs, err := st.DCTClient(t, e, st.DCTAdmin).Jobs.Recent(t.Context(), out["vdbReference"].(string), 10)
				require.NoError(t, err)
				assert.Len(t, jobs, len(want[platform]), "the real run started one job per planned action")
			}
		})
	}
}

// What a real refresh refuses for what it finds, a plan refuses with the
// same exit code: a VDB nothing masks, under --require-masked; a dSource.
func TestAPlanRefusesWhatARealRefreshRefuses(t *testing.T) {
	seed := engine.WorkshopSeed()
	for i := range seed.VDBs {
		if seed.VDBs[i].Name == "Patients Masked Master" {
			seed.VDBs[i].MaskingJob = ""
		}
	}
	cases := map[string][]string{
		"engine": {"--vdb", "prep1 DB", "--require-masked"},
		"dct":    {"--vdb", "Patients Masked Master", "--require-masked"},
	}
	for platform, args := range cases {
		t.Run(platform, func(t *testing.T) {
			e := enginetest.Start(t, engine.Options{Seed: seed})
			e.ClearRequests()
			plan := runOn(t, e, platform, append(args, "--dry-run")...)
			assert.Equal(t, 1, plan.Code, plan.Stderr)
			assert.Contains(t, plan.Stderr, "without masking applied")
			assert.Equal(t, true, plan.JSON(t)["dryRun"])
			assert.Empty(t, st.Changes(e))
			real := runOn(t, e, platform, args...)
			assert.Equal(t, plan.Code, real.Code, real.Stderr)

			e.ClearRequests()
			ds := runOn(t, e, platform, "--vdb", "Patients Prod", "--dry-run")
			assert.Equal(t, 2, ds.Code)
			assert.Contains(t, ds.Stderr, "is a dSource, not a VDB")
			assert.Empty(t, st.Changes(e))
		})
	}
}
