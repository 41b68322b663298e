package bookmark_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/branch"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wordsAgree checks that prune's log says of each bookmark what its output
// lists it as, and that its summary counts the same.
func wordsAgree(t *testing.T, r st.Result) {
	t.Helper()
	out := r.JSON(t)
	lines := map[string]int{}
	for _, l := range strings.Split(r.Stderr, "\n") {
		for _, w := range []string{"prune: deleted bookmark", "prune: would delete (dry run) bookmark", "prune: kept bookmark", "prune: skipped bookmark"} {
			if strings.Contains(l, w) {
				lines[w]++
			}
		}
	}
	deleted := lines["prune: deleted bookmark"] + lines["prune: would delete (dry run) bookmark"]
	assert.Equal(t, len(field(t, out, "deleted")), deleted, r.Stderr)
	assert.Equal(t, len(field(t, out, "kept")), lines["prune: kept bookmark"], r.Stderr)
	assert.Equal(t, len(field(t, out, "skipped")), lines["prune: skipped bookmark"], r.Stderr)
	verb := map[bool]string{true: "would delete (dry run)", false: "deleted"}[out["dryRun"] == true]
	assert.Contains(t, r.Stderr, fmt.Sprintf("prune: %d %s, %d kept (not due), %d skipped (due, but in use or refused)", deleted, verb,
		len(field(t, out, "kept")), len(field(t, out, "skipped"))))
}

const foreverReason = "retained forever (tag retain-forever, set by --retain-forever)"

func TestPruneNeverDeletesARetainedForeverBookmarkOnTheEngine(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "golden", "--tag", "ci", "--retain-forever")
	require.True(t, e.BackdateBookmark("golden", 90*24*time.Hour))
	bookmarks(t, e, "prep1", "ci", "branched", "b1", "b2")
	st.OK(t, branch.Step, e, "create", "--container", "prep1", "--name", "feature", "--from-bookmark", "branched")
	st.OK(t, branch.Step, e, "activate", "--container", "prep1", "--name", "default")

	dry := st.Run(t, bookmark.Step, e, nil, "prune", "--tag", "ci", "--keep", "1", "--dry-run")
	require.Equal(t, 0, dry.Code, dry.Stderr)
	wordsAgree(t, dry)
	r := st.Run(t, bookmark.Step, e, nil, "prune", "--tag", "ci", "--keep", "0", "--older-than", "1h")
	require.Equal(t, 0, r.Code, r.Stderr)
	wordsAgree(t, r)
	out := r.JSON(t)
	assert.ElementsMatch(t, []string{"b1", "b2"}, field(t, out, "deleted"))
	assert.Equal(t, map[string]string{"golden": foreverReason}, reasons(t, out, "kept"))
	assert.Contains(t, r.Stderr, `prune: kept bookmark "golden", not due for deletion: `+foreverReason)
	assert.Contains(t, r.Stderr, `prune: skipped bookmark "branched", due for deletion but not deleted: branch "feature"`)
	assert.ElementsMatch(t, []string{"golden", "branched"}, listed(t, e), "the engine still holds the retained bookmark")
}

func TestDCTPruneNeverDeletesARetainedForeverBookmark(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	golden := okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "golden", "--tag", "ci", "--retain-forever")
	assert.Contains(t, golden["tags"], "retain-forever")
	require.True(t, e.BackdateBookmark("golden", 90*24*time.Hour))
	// One retained forever by DCT itself, made without dxsteps (no tag).
	admin := dctAdmin(t, e)
	g, err := admin.VDBGroups.FindByName(t.Context(), "prep1")
	require.NoError(t, err)
	_, j, err := admin.Bookmarks.Create(t.Context(), dct.BookmarkCreate{Name: "by hand", VDBGroupID: g.ID,
		Tags: []dct.Tag{{Key: "tag", Value: "ci"}}, RetainForever: true})
	require.NoError(t, err)
	_, err = admin.Jobs.Wait(t.Context(), j.ID, nil)
	require.NoError(t, err)
	require.True(t, e.BackdateBookmark("by hand", 80*24*time.Hour))
	for i, n := range []string{"b1", "b2"} {
		okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", n, "--tag", "ci")
		require.True(t, e.BackdateBookmark(n, time.Duration(5-i)*24*time.Hour))
	}

	r := st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, env, "prune", "--tag", "ci", "--keep", "0")
	require.Equal(t, 0, r.Code, r.Stderr)
	wordsAgree(t, r)
	out := r.JSON(t)
	assert.ElementsMatch(t, []string{"b1", "b2"}, field(t, out, "deleted"))
	assert.Equal(t, map[string]string{"golden": foreverReason,
		"by hand": "retained forever (the platform keeps it until it is deleted)"}, reasons(t, out, "kept"))
	assert.ElementsMatch(t, []string{"golden", "by hand"}, names(t, st.OK(t, bookmark.Step, e, "list", "--container", "prep1")),
		"the engine still holds both")
}

// TestPruneWithAMistypedOrEmptyFilterDeletesNothing: a filter that is
// mistyped (config, variable) or given empty stops prune with exit 2 before
// any request, on both platforms, so the bookmarks of another pod that the
// filter was meant to leave out are all still there.
func TestPruneWithAMistypedOrEmptyFilterDeletesNothing(t *testing.T) {
	dir := t.TempDir()
	config := func(body string) string {
		path := filepath.Join(dir, fmt.Sprintf("c%d.yml", len(body)))
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		return path
	}
	base := []string{"prune", "--keep", "0"}
	cases := []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--config", config("containr: prep1\n")}, `unknown key "containr"; did you mean "container"?`},
		{nil, []string{"--config", config("container:\n")}, "--container is empty (set by --config"},
		{nil, []string{"--config", config("container: ''\n")}, "--container is empty (set by --config"},
		{nil, []string{"--config", config("name-pattern: [a]\n")}, "takes one value, not a list"},
		{[]string{"DXSTEPS_BOOKMARK_CONTAINR=prep1"}, nil, "did you mean DXSTEPS_BOOKMARK_CONTAINER?"},
		{[]string{"DXSTEPS_BOOKMARK_container=prep1"}, nil, "did you mean DXSTEPS_BOOKMARK_CONTAINER?"},
		{[]string{"DXSTEP_BOOKMARK_CONTAINER=prep1"}, nil, "did you mean DXSTEPS_BOOKMARK_CONTAINER?"},
		{[]string{"DELPHIX_CONTAINER=prep1"}, nil, "DELPHIX_CONTAINER is set, but --container reads DXSTEPS_BOOKMARK_CONTAINER"},
		{[]string{"DXSTEPS_BOOKMARK_CONTAINER="}, nil, "--container is empty (set by DXSTEPS_BOOKMARK_CONTAINER)"},
		{[]string{"DXSTEPS_BOOKMARK_TEMPLATE= "}, nil, "--template is empty (set by DXSTEPS_BOOKMARK_TEMPLATE)"},
		{nil, []string{"--container", ""}, "--container is empty: prune refuses an empty filter"},
		{nil, []string{"--name-pattern", ""}, "--name-pattern is empty"},
		{nil, []string{"--tag", "nightly,"}, "--tag is empty"},
		{[]string{"DXSTEPS_BOOKMARK_TAG=ci, "}, []string{"--container", "prep1"}, "--tag is empty"},
		{[]string{"DXSTEPS_BOOKMARK_TAG=,"}, []string{"--container", "prep1"}, "--tag is empty"},
	}
	e := st.Engine(t)
	bookmarks(t, e, "prep1", "ci", "p1")
	bookmarks(t, e, "prep2", "ci", "q1")
	for _, platform := range []string{"engine", "dct"} {
		for _, tc := range cases {
			e.ClearRequests()
			args := append(append([]string{}, base...), tc.args...)
			if !strings.Contains(strings.Join(tc.env, " "), "_TAG=") {
				args = append(args, "--tag", "ci")
			}
			var r st.Result
			if platform == "dct" {
				r = st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, tc.env, args...)
			} else {
				r = st.Run(t, bookmark.Step, e, tc.env, args...)
			}
			assert.Equal(t, 2, r.Code, "%s %v %v: %s", platform, tc.env, tc.args, r.Stderr)
			assert.Contains(t, r.Stderr, tc.want, "%s %v %v", platform, tc.env, tc.args)
			assert.Empty(t, r.Stdout)
			assert.Empty(t, e.Requests(), "%s %v %v: no request at all", platform, tc.env, tc.args)
		}
	}
	assert.ElementsMatch(t, []string{"p1", "q1"}, listed(t, e), "nothing was deleted")
}
