package bookmark_test

import (
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	"github.com/dxsteps/dxsteps/internal/steps/branch"
	"github.com/dxsteps/dxsteps/internal/steps/datapod"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bookmarks creates each name on its pod with tags, then backdates them so
// that each is a day older than the one after it (the first is the oldest).
func bookmarks(t *testing.T, e *engine.Engine, pod string, tags string, names ...string) {
	t.Helper()
	for i, n := range names {
		st.OK(t, bookmark.Step, e, "--container", pod, "--name", n, "--tag", tags)
		require.True(t, e.BackdateBookmark(n, time.Duration(len(names)-i)*24*time.Hour))
	}
}

func listed(t *testing.T, e *engine.Engine, args ...string) []string {
	t.Helper()
	return names(t, st.OK(t, bookmark.Step, e, append([]string{"list"}, args...)...))
}

func field(t *testing.T, r map[string]any, key string) []string {
	t.Helper()
	var out []string
	for _, b := range r[key].([]any) {
		out = append(out, b.(map[string]any)["bookmark"].(string))
	}
	return out
}

func reasons(t *testing.T, r map[string]any, key string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, b := range r[key].([]any) {
		m := b.(map[string]any)
		out[m["bookmark"].(string)], _ = m["reason"].(string)
	}
	return out
}

func TestExpiresIsStoredOnTheEngineAndRetainForeverLeavesNone(t *testing.T) {
	e := st.Engine(t)
	before := time.Now()
	r := st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "month", "--expires", "30d")
	exp, err := time.Parse(time.RFC3339, r["expiration"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, before.Add(30*24*time.Hour), exp, time.Minute)

	day := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "dated", "--expires", day)
	r = st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "golden", "--retain-forever")
	assert.NotContains(t, r, "expiration")

	got := map[string]any{}
	for _, b := range st.OK(t, bookmark.Step, e, "list", "--container", "prep1")["bookmarks"].([]any) {
		got[b.(map[string]any)["bookmark"].(string)] = b.(map[string]any)["expiration"]
	}
	assert.Equal(t, day+"T00:00:00.000Z", got["dated"], "the engine keeps the expiration")
	assert.Nil(t, got["golden"])
}

func TestBadRetentionExits2(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--container", "p", "--name", "x", "--expires", "30d", "--retain-forever"}, "give --expires or --retain-forever, not both"},
		{[]string{"--container", "p", "--name", "x", "--expires", "2001-01-01"}, "--expires: 2001-01-01 is in the past"},
		{[]string{"--container", "p", "--name", "x", "--expires", "soon"}, `--expires: "soon" is not a duration`},
		{[]string{"share", "--name", "x", "--expires", "3d"}, "--expires goes with create only"},
		{[]string{"prune", "--keep", "3"}, "prune needs --tag, --name-pattern, --container or --template: prune deletes only what matches"},
		{[]string{"prune", "--tag", "ci"}, "prune needs --keep or --older-than"},
		{[]string{"prune", "--tag", "ci", "--older-than", "-3d"}, "--older-than"},
		{[]string{"prune", "--tag", "ci", "--keep", "-1"}, "--keep must be 0 or more"},
		{[]string{"prune", "--name-pattern", "[", "--keep", "1"}, "--name-pattern: \"[\" is not a glob"},
		{[]string{"prune", "--name", "x", "--keep", "1"}, "--name goes with"},
	} {
		r := st.Run(t, bookmark.Step, nil, nil, tc.args...)
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want, "%v", tc.args)
		assert.Empty(t, r.Stdout)
	}
}

func TestPruneKeepsTheNewestNOfEachPodAndDeletesTheRest(t *testing.T) {
	e := st.Engine(t)
	bookmarks(t, e, "prep1", "ci", "b1", "b2", "b3", "b4")
	bookmarks(t, e, "prep2", "ci", "c1")
	r := st.OK(t, bookmark.Step, e, "prune", "--tag", "ci", "--keep", "2")
	assert.ElementsMatch(t, []string{"b1", "b2"}, field(t, r, "deleted"))
	assert.Equal(t, map[string]string{"b3": `one of the newest 2 on data pod "prep1"`, "b4": `one of the newest 2 on data pod "prep1"`,
		"c1": `one of the newest 2 on data pod "prep2"`}, reasons(t, r, "kept"))
	assert.Equal(t, false, r["dryRun"])
	assert.ElementsMatch(t, []string{"b3", "b4", "c1"}, listed(t, e), "the engine holds only the kept ones")
}

func TestPruneOlderThanDeletesOnlyOldOnes(t *testing.T) {
	e := st.Engine(t)
	st.OK(t, bookmark.Step, e, "--template", "Patients", "--name", "old", "--tag", "ci")
	require.True(t, e.BackdateBookmark("old", 40*24*time.Hour))
	st.OK(t, bookmark.Step, e, "--template", "Patients", "--name", "new", "--tag", "ci")
	r := st.OK(t, bookmark.Step, e, "prune", "--tag", "ci", "--older-than", "30d")
	assert.Equal(t, []string{"old"}, field(t, r, "deleted"))
	assert.Equal(t, map[string]string{"new": "created less than 30d ago"}, reasons(t, r, "kept"))
	assert.Equal(t, []string{"new"}, listed(t, e))

	// Both: beyond the newest 1 and older than 30d.
	bookmarks(t, e, "prep1", "ci", "p1", "p2")
	require.True(t, e.BackdateBookmark("p1", 40*24*time.Hour))
	require.True(t, e.BackdateBookmark("p2", 40*24*time.Hour))
	r = st.OK(t, bookmark.Step, e, "prune", "--tag", "ci", "--keep", "1", "--older-than", "30d")
	assert.Equal(t, []string{"p1"}, field(t, r, "deleted"))
	assert.ElementsMatch(t, []string{"new", "p2"}, listed(t, e))
}

func TestPruneDryRunDeletesNothing(t *testing.T) {
	e := st.Engine(t)
	bookmarks(t, e, "prep1", "ci", "b1", "b2", "b3")
	r := st.Run(t, bookmark.Step, e, nil, "prune", "--tag", "ci", "--keep", "1", "--dry-run")
	require.Equal(t, 0, r.Code, r.Stderr)
	out := r.JSON(t)
	assert.Equal(t, true, out["dryRun"])
	assert.ElementsMatch(t, []string{"b1", "b2"}, field(t, out, "deleted"), "what it would delete")
	assert.Contains(t, r.Stderr, `prune: would delete (dry run) bookmark "b1"`)
	assert.ElementsMatch(t, []string{"b1", "b2", "b3"}, listed(t, e))
}

func TestPruneDeletesOnlyWhatMatchesEveryFilter(t *testing.T) {
	e := st.Engine(t)
	bookmarks(t, e, "prep1", "ci,nightly", "build-1", "build-2")
	bookmarks(t, e, "prep1", "ci", "build-3")       // lacks the nightly tag
	bookmarks(t, e, "prep1", "ci,nightly", "other") // name does not match
	bookmarks(t, e, "prep2", "ci,nightly", "build-4")
	r := st.OK(t, bookmark.Step, e, "prune", "--container", "prep1", "--tag", "ci", "--tag", "nightly",
		"--name-pattern", "build-*", "--keep", "0")
	assert.ElementsMatch(t, []string{"build-1", "build-2"}, field(t, r, "deleted"))
	assert.ElementsMatch(t, []string{"build-3", "other", "build-4"}, listed(t, e))

	// A tag may be a glob: the example prunes its job's BUILD_TAGs so.
	bookmarks(t, e, "prep3", "jenkins-pipe-7", "j7")
	bookmarks(t, e, "prep3", "jenkins-pipeline-8", "j8")
	r = st.OK(t, bookmark.Step, e, "prune", "--tag", "jenkins-pipe-*", "--keep", "0")
	assert.Equal(t, []string{"j7"}, field(t, r, "deleted"))
}

func TestPruneKeepsABookmarkABranchOrAPodDependsOn(t *testing.T) {
	e := st.Engine(t)
	bookmarks(t, e, "prep1", "ci", "branched", "free")
	st.OK(t, branch.Step, e, "create", "--container", "prep1", "--name", "feature", "--from-bookmark", "branched")
	st.OK(t, branch.Step, e, "activate", "--container", "prep1", "--name", "default")
	st.OK(t, bookmark.Step, e, "--container", "prep2", "--name", "restored2", "--tag", "ci")
	require.True(t, e.BackdateBookmark("restored2", time.Hour))
	st.OK(t, datapod.Step, e, "restore", "--container", "prep2", "--bookmark", "restored2")

	r := st.OK(t, bookmark.Step, e, "prune", "--tag", "ci", "--keep", "0")
	assert.Equal(t, []string{"free"}, field(t, r, "deleted"))
	assert.Equal(t, map[string]string{
		"branched":  `branch "feature" of data pod "prep1" was created from it`,
		"restored2": `data pod "prep2" holds its data (RESTORE)`,
	}, reasons(t, r, "skipped"))

	// Once the pod's data moves on, the bookmark is free to go.
	st.OK(t, datapod.Step, e, "refresh", "--container", "prep2")
	r = st.OK(t, bookmark.Step, e, "prune", "--tag", "ci", "--keep", "0", "--container", "prep2")
	assert.Equal(t, []string{"restored2"}, field(t, r, "deleted"))
}
