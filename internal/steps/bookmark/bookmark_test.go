package bookmark_test

import (
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func names(t *testing.T, list map[string]any) []string {
	t.Helper()
	var out []string
	for _, b := range list["bookmarks"].([]any) {
		out = append(out, b.(map[string]any)["bookmark"].(string))
	}
	return out
}

func TestCreateIsSafeToRerunAndSharesWhenAsked(t *testing.T) {
	e := st.Engine(t)
	first := st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "b1", "--tag", "t1,t2")
	assert.Equal(t, true, first["created"])
	assert.Equal(t, []any{"t1", "t2"}, first["tags"])
	again := st.OK(t, bookmark.Step, e, "create", "--container", "prep1", "--name", "b1", "--shared")
	assert.Equal(t, false, again["created"])
	assert.Equal(t, first["bookmarkReference"], again["bookmarkReference"])
	assert.Equal(t, true, again["shared"], "a rerun with --shared shares the existing bookmark")
	assert.Equal(t, []string{"b1"}, names(t, st.OK(t, bookmark.Step, e, "list", "--container", "prep1")))
}

// The library used to demand container or template for share, unshare and
// delete; the binary needs neither, and the contract says so.
func TestShareUnshareAndDeleteNeedOnlyTheName(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--template", "Patients", "--name", "on template")
	assert.Equal(t, true, st.OK(t, bookmark.Step, e, "share", "--name", "on template")["shared"])
	assert.Equal(t, false, st.OK(t, bookmark.Step, e, "unshare", "--name", "on template")["shared"])
	assert.Equal(t, true, st.OK(t, bookmark.Step, e, "delete", "--name", "on template")["deleted"])
	assert.Empty(t, names(t, st.OK(t, bookmark.Step, e, "list", "--template", "Patients")))
}

func TestListFiltersByPartOfTheNameAndEveryTag(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "2019 50", "--tag", "50%", "--tag", "2019")
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "2019 25", "--tag", "25%", "--tag", "2019")
	assert.ElementsMatch(t, []string{"2019 50", "2019 25"}, names(t, st.OK(t, bookmark.Step, e, "list", "--name", "2019")))
	assert.Equal(t, []string{"2019 50"}, names(t, st.OK(t, bookmark.Step, e, "list", "--tag", "2019", "--tag", "50%")))
}

func TestAGenericDelphixNameIsRefusedNotReadAsTheFilter(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "kept")
	r := st.Run(t, bookmark.Step, e, []string{"DELPHIX_NAME=nothing like it"}, "list")
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "DELPHIX_NAME is set, but --name reads DXSTEPS_BOOKMARK_NAME: set that, or unset DELPHIX_NAME")
	r = st.Run(t, bookmark.Step, e, []string{"DXSTEPS_BOOKMARK_NAME=nothing like it"}, "list")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Empty(t, names(t, r.JSON(t)))
}

func TestBadInputExits2BeforeTheEngineIsAsked(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "x"}, "create needs --container or --template"},
		{[]string{"share", "--container", "prep1"}, "share needs --name"},
		{[]string{"delete", "--name", "x", "--shared"}, "--shared goes with create only"},
		{[]string{"unshare", "--name", "x", "--tag", "a"}, "--tag goes with create, list and prune only"},
		{[]string{"lsit"}, "did you mean list?"},
	} {
		r := st.Run(t, bookmark.Step, nil, nil, tc.args...)
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want)
		assert.Empty(t, r.Stdout)
	}
}

func TestNoSuchBookmarkSaysHowToFindOne(t *testing.T) {
	e := st.Engine(t)
	r := st.Run(t, bookmark.Step, e, nil, "share", "--container", "prep1", "--name", "missing")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no bookmark on data pod "prep1" is named "missing"; dx-bookmark list shows the ones you can see`)
}
