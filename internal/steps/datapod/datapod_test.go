package datapod_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRefreshIsTheDefault(t *testing.T) {
	e := st.Engine(t)
	out := st.OK(t, datapod.Step, e, "--template", "Patients", "--container", "prep1")
	assert.Equal(t, "refresh", out["operation"])
	assert.Equal(t, "ONLINE", out["state"])
	assert.NotEmpty(t, out["job"])
}

func TestAMissingPodIsAnErrorWithoutCreate(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, datapod.Step, e, nil, "--container", "prep9")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, `"prep9"`)
}

func TestRestoreToABookmark(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "before")
	out := st.OK(t, datapod.Step, e, "restore", "--container", "prep1", "--bookmark", "before")
	assert.Equal(t, "restore", out["operation"])
	r := st.Run(t, datapod.Step, e, nil, "restore", "--container", "prep1", "--bookmark", "no such")
	assert.Equal(t, 2, r.Code, r.Stderr)
}

func TestLockAndDisableAreOperations(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, datapod.Step, e, "lock", "--container", "prep2")
	assert.Equal(t, "OFFLINE", st.OK(t, datapod.Step, e, "disable", "--container", "prep2")["state"])
	assert.Equal(t, "ONLINE", st.OK(t, datapod.Step, e, "enable", "--container", "prep2")["state"])
}

// The library used to miss "create only with refresh" and "restore needs
// bookmark"; the binary's rules now say them, once.
func TestRulesBetweenKeys(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"reset", "--container", "p", "--create", "--template", "T", "--vdb", "V"}, "--create goes with refresh only"},
		{[]string{"restore", "--container", "p"}, "restore needs --bookmark"},
		{[]string{"reset", "--container", "p", "--bookmark", "b"}, "--bookmark goes with restore only"},
		{[]string{"--container", "p", "--create"}, "--create needs --template"},
		{[]string{"--container", "p", "--create", "--template", "T"}, "--create needs --vdb on the engine: the VDB the new pod adopts as its data source"},
		{[]string{"--container", "p", "--vdb", "V"}, "--vdb needs --create"},
		{[]string{"destroy", "--container", "p"}, `unknown operation "destroy"`},
	} {
		r := st.Run(t, datapod.Step, nil, nil, tc.args...)
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want)
	}
}

func TestInsideJenkinsRulesNameKeysAndNoFlagHint(t *testing.T) {
	r := st.Run(t, datapod.Step, nil, []string{"DXSTEPS_CALLER=jenkins"}, "restore", "--container", "p")
	require.Equal(t, 2, r.Code)
	assert.Equal(t, "dx-datapod: error: restore needs key 'bookmark'\n", r.Stderr)
}
