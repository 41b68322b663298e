package subset_test

import (
	"os"
	"path/filepath"
	"testing"

	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/internal/steps/subset"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/testbin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binDir holds the example subsetter TestMain builds.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(testbin.Main(m, &binDir, "./test/tools/dx-example-subset"))
}

// runDCT runs dx-subset on e's DCT API as account, through a server that
// checks every request and answer against the OpenAPI file; the tools it
// runs reach e's test API.
func runDCT(t *testing.T, e *engine.Engine, account int, args ...string) st.Result {
	t.Helper()
	url := dctspec.Serve(t, "/dct/v3", e.Handler())
	return st.RunDCT(t, subset.Step, e, account, []string{"DELPHIX_ENGINE=" + url, "DX_ENGINE_TEST_API=" + e.TestAPIURL()}, args...)
}

func TestOnDCTTheExampleSubsetterChangesThePodsRows(t *testing.T) {
	e := st.Engine(t)
	before, _ := e.Dataset("prep1")
	require.Len(t, before.Contents.Rows, 200)
	r := runDCT(t, e, st.DCTAdmin, "--template", "Patients", "--container", "prep1", "--percent", "25",
		"--exec", filepath.Join(binDir, "dx-example-subset"))
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, map[string]any{"container": "prep1", "percent": float64(25), "mode": "exec", "tool": "dx-example-subset"}, r.JSON(t))
	assert.Contains(t, r.Stderr, "subset: kept 50 of 200 rows (25%) in prep1")
	after, _ := e.Dataset("prep1")
	assert.Equal(t, before.Contents.Rows[:50], after.Contents.Rows)
	assert.Equal(t, 25, after.Contents.SubsetPercent)
	other, _ := e.Dataset("prep2")
	assert.Len(t, other.Contents.Rows, 200, "only that pod")
}

// The subsetter reaches the pod's VDB as DCT shows it: what DCT does not
// give (the user) stays unset, and the API key is never passed on.
func TestOnDCTTheSubsetterGetsThePodsConnectionFromDCT(t *testing.T) {
	e := st.Engine(t)
	out := filepath.Join(t.TempDir(), "env")
	r := runDCT(t, e, st.DCTQA, "--container", "qa-pod", "--percent", "10", "--exec", "env > "+out)
	require.Equal(t, 0, r.Code, r.Stderr)
	raw, err := os.ReadFile(out)
	require.NoError(t, err)
	env := string(raw)
	for _, want := range []string{"DX_CONTAINER=qa-pod", "DX_SUBSET_PERCENT=10", "DX_DB_HOST=target-db.workshop.local", "DX_DB_PORT=5440",
		"DX_DB_NAME=qa_pod", "DX_DB_PLATFORM=postgres", "DX_DB_VERSION=11.2", "DX_DB_JDBC=jdbc:postgresql://target-db.workshop.local:5440/qa_pod", "DELPHIX_PLATFORM=dct"} {
		assert.Contains(t, env, want+"\n")
	}
	assert.NotContains(t, env, "DX_DB_USER=")
	assert.NotContains(t, env, "DELPHIX_API_KEY")
	assert.NotContains(t, env, engine.DCTKey(st.DCTQA, "qa"))
}

func TestOnDCTASimulatedSubsetChangesNothing(t *testing.T) {
	e := st.Engine(t)
	before, _ := e.Dataset("prep3")
	r := runDCT(t, e, st.DCTAdmin, "--container", "prep3", "--percent", "50", "--simulate")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "simulated", r.JSON(t)["mode"])
	assert.Contains(t, r.Stderr, `SIMULATED 50% subset of "prep3"`)
	after, _ := e.Dataset("prep3")
	assert.Equal(t, before.Contents, after.Contents)
}

func TestOnDCTAPodOutsideItsTemplateOrOutOfSightExits2(t *testing.T) {
	e := st.Engine(t)
	r := runDCT(t, e, st.DCTAdmin, "--template", "prep2", "--container", "prep1", "--percent", "50", "--simulate")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `data pod "prep1" is not from template "prep2"`)
	r = runDCT(t, e, st.DCTQA, "--container", "dev-pod", "--percent", "50", "--exec", "true")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `no VDB group or VDB is named "dev-pod"`)
}
