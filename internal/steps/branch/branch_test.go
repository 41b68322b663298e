package branch_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/branch"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
)

func active(t *testing.T, list map[string]any) string {
	t.Helper()
	for _, b := range list["branches"].([]any) {
		if m := b.(map[string]any); m["active"] == true {
			return m["branch"].(string)
		}
	}
	return ""
}

// dx-branch creates by default; the library now defaults operation to
// create too, instead of demanding it.
func TestCreateIsTheDefaultAndActivatesTheNewBranch(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "start here")
	out := st.OK(t, branch.Step, e, "--container", "prep1", "--name", "bug-1", "--from-bookmark", "start here")
	assert.Equal(t, true, out["created"])
	assert.Equal(t, "bug-1", active(t, st.OK(t, branch.Step, e, "list", "--container", "prep1")))

	again := st.OK(t, branch.Step, e, "create", "--container", "prep1", "--name", "bug-1", "--from-bookmark", "start here")
	assert.Equal(t, false, again["created"])
	assert.Equal(t, out["branchReference"], again["branchReference"])
}

func TestDeleteRefusesTheActiveBranchAndRemovesAnother(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "start here")
	st.OK(t, branch.Step, e, "--container", "prep1", "--name", "bug-1", "--from-bookmark", "start here")
	r := st.Run(t, branch.Step, e, nil, "delete", "--container", "prep1", "--name", "bug-1")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "is active: activate another branch first")

	def := st.OK(t, branch.Step, e, "list", "--container", "prep1")["branches"].([]any)[0].(map[string]any)["branch"].(string)
	st.OK(t, branch.Step, e, "activate", "--container", "prep1", "--name", def)
	assert.Equal(t, true, st.OK(t, branch.Step, e, "delete", "--container", "prep1", "--name", "bug-1")["deleted"])
	assert.Len(t, st.OK(t, branch.Step, e, "list", "--container", "prep1")["branches"], 1)
}

func TestBadInputExits2(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"list"}, "--container is required"},
		{[]string{"--container", "p", "--name", "b"}, "create needs --from-bookmark"},
		{[]string{"activate", "--container", "p"}, "activate needs --name"},
		{[]string{"activate", "--container", "p", "--name", "b", "--from-bookmark", "x"}, "--from-bookmark goes with create only"},
	} {
		r := st.Run(t, branch.Step, nil, nil, tc.args...)
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want)
	}
}
