package subset_test

import (
	"path/filepath"
	"testing"

	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/internal/steps/subset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A plan of a subset runs no subsetter and changes nothing; it names the
// subsetter's program (never its arguments) and the pod, on each platform,
// and a pod that does not exist exits 2 as in a real run.
func TestAPlanOfASubsetRunsNoSubsetter(t *testing.T) {
	for _, platform := range []string{"engine", "dct"} {
		t.Run(platform, func(t *testing.T) {
			e := st.Engine(t)
			marker := filepath.Join(t.TempDir(), "ran")
			run := func(args ...string) st.Result {
				if platform == "dct" {
					return runDCT(t, e, st.DCTAdmin, args...)
				}
				return st.Run(t, subset.Step, e, nil, args...)
			}
			e.ClearRequests()
			r := run("--container", "prep1", "--percent", "50", "--exec", "SECRET=hush touch "+marker, "--dry-run")
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.NoFileExists(t, marker, "a plan runs no subsetter")
			assert.Empty(t, st.Changes(e))
			out := r.JSON(t)
			assert.Equal(t, []any{map[string]any{"action": "run", "object": "subsetter", "name": "touch",
				"parameters": map[string]any{"container": "prep1", "percent": "50"}}}, out["plan"])
			assert.NotContains(t, r.Stdout+r.Stderr, "hush")

			missing := run("--container", "prep9", "--percent", "50", "--exec", "true", "--dry-run")
			assert.Equal(t, 2, missing.Code)
			assert.Equal(t, run("--container", "prep9", "--percent", "50", "--exec", "true").Code, missing.Code)
		})
	}
}
