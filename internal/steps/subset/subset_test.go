package subset_test

import (
	"os"
	"path/filepath"
	"testing"

	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/internal/steps/subset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithoutASubsetterTheStepIsRefusedAndSaysHowToPlugOneIn(t *testing.T) {
	e := st.Engine(t)
	before, ok := e.Dataset("prep1")
	require.True(t, ok)
	r := st.Run(t, subset.Step, e, nil, "--container", "prep1", "--percent", "50")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "give exactly one of --exec and --simulate: exec plugs in your subsetting tool")
	assert.Empty(t, r.Stdout)
	after, _ := e.Dataset("prep1")
	assert.Equal(t, before.Contents, after.Contents)
}

func TestASimulatedSubsetIsAskedForByNameAndSaysSo(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, subset.Step, e, nil, "--container", "prep1", "--percent", "50", "--simulate")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "simulated", r.JSON(t)["mode"])
	assert.Contains(t, r.Stderr, "SIMULATED 50% subset")
}

// The subsetter gets the step's environment (the injected one) with the
// connection details, never the engine password.
func TestTheSubsetterGetsTheConnectionButNotThePassword(t *testing.T) {
	e := st.Engine(t)
	out := filepath.Join(t.TempDir(), "env")
	r := st.Run(t, subset.Step, e, []string{"MARKER=from-the-step"}, "--container", "prep1", "--percent", "25", "--exec", "env > "+out)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "exec", r.JSON(t)["mode"])
	assert.Equal(t, "env", r.JSON(t)["tool"])
	env, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(env), "DX_SUBSET_PERCENT=25\n")
	assert.Contains(t, string(env), "DX_CONTAINER=prep1\n")
	assert.Contains(t, string(env), "MARKER=from-the-step\n")
	assert.NotContains(t, string(env), "landshark")
}

func TestAFailingSubsetterExits1(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, subset.Step, e, nil, "--container", "prep1", "--percent", "25", "--exec", "echo broken; exit 3")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.Stderr, "subset: broken")
	assert.Contains(t, r.Stderr, "exited 3")
}

func TestPercentMustBe1To100(t *testing.T) {
	for _, p := range []string{"0", "101"} {
		r := st.Run(t, subset.Step, nil, nil, "--container", "prep1", "--percent", p)
		assert.Equal(t, 2, r.Code)
		assert.Contains(t, r.Stderr, "--percent must be 1 to 100, got "+p)
	}
	r := st.Run(t, subset.Step, nil, nil, "--container", "prep1")
	assert.Contains(t, r.Stderr, "--percent is required")
}
