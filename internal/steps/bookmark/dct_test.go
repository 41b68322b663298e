package bookmark_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specChecked serves e with every DCT request and answer checked against the
// OpenAPI file; runs get it as DELPHIX_ENGINE.
func specChecked(t *testing.T, e *engine.Engine) []string {
	t.Helper()
	return []string{"DELPHIX_ENGINE=" + dctspec.Serve(t, "/dct/v3", e.Handler())}
}

func okDCT(t *testing.T, e *engine.Engine, env []string, account int, args ...string) map[string]any {
	t.Helper()
	r := st.RunDCT(t, bookmark.Step, e, account, env, args...)
	require.Equal(t, 0, r.Code, r.Stderr)
	return r.JSON(t)
}

// onEngine is what the engine's own API says of the bookmarks on a pod or template.
func onEngine(t *testing.T, e *engine.Engine, args ...string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, b := range st.OK(t, bookmark.Step, e, append([]string{"list"}, args...)...)["bookmarks"].([]any) {
		out[b.(map[string]any)["bookmark"].(string)] = b.(map[string]any)
	}
	return out
}

func TestDCTCreatesSharedAndPrivateBookmarksOnAPodAndOnTheTemplate(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	r := okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "2019 50", "--tag", "2019,50%", "--tag", "build=7", "--shared")
	assert.Equal(t, true, r["created"])
	assert.Equal(t, true, r["shared"])
	assert.Equal(t, "prep1", r["container"])
	assert.Equal(t, []any{"2019", "50%", "build=7"}, r["tags"])
	r = okDCT(t, e, env, st.DCTAdmin, "--template", "Patients", "--name", "golden")
	assert.Equal(t, false, r["shared"], "PRIVATE unless --shared")
	assert.Equal(t, "Patients", r["template"])

	pod := onEngine(t, e, "--container", "prep1")["2019 50"]
	require.NotNil(t, pod, "the engine holds the pod's bookmark")
	assert.Equal(t, true, pod["shared"])
	assert.Equal(t, []any{"2019", "50%", "build=7"}, pod["tags"], "plain tags read back plain on the engine too")
	tmpl := onEngine(t, e, "--template", "Patients")["golden"]
	require.NotNil(t, tmpl, "a bookmark on the template's VDB group is the template's")
	assert.Equal(t, false, tmpl["shared"])

	admin := dctAdmin(t, e)
	bs, err := admin.Bookmarks.Find(t.Context(), dct.BookmarkQuery{Name: "2019 50"})
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, dct.BookmarkPublic, bs[0].BookmarkType)
	assert.ElementsMatch(t, []dct.Tag{{Key: "tag", Value: "2019"}, {Key: "tag", Value: "50%"}, {Key: "build", Value: "7"}}, bs[0].Tags)
}

func dctAdmin(t *testing.T, e *engine.Engine) *dct.Client {
	t.Helper()
	c, err := dct.NewClient(e.URL(), dct.WithAPIKey(engine.DCTKey(st.DCTAdmin, "delphix_admin")), dct.WithRetryMax(0))
	require.NoError(t, err)
	return c
}

func TestDCTRerunReusesTheBookmarkAndSharesWhenAsked(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	first := okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "b1", "--tag", "t1")
	again := okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "b1", "--tag", "t1", "--shared")
	assert.Equal(t, false, again["created"])
	assert.Equal(t, first["bookmarkReference"], again["bookmarkReference"])
	assert.Equal(t, true, again["shared"], "a rerun with --shared shares the existing bookmark")
	assert.Len(t, onEngine(t, e, "--container", "prep1"), 1, "no second bookmark")

	assert.Equal(t, false, okDCT(t, e, env, st.DCTAdmin, "unshare", "--name", "b1")["shared"])
	assert.Equal(t, false, onEngine(t, e)["b1"]["shared"])
	assert.Equal(t, true, okDCT(t, e, env, st.DCTAdmin, "share", "--name", "b1", "--container", "prep1")["shared"])
	assert.Equal(t, true, onEngine(t, e)["b1"]["shared"])
	assert.Equal(t, true, okDCT(t, e, env, st.DCTAdmin, "delete", "--name", "b1")["deleted"])
	assert.Empty(t, onEngine(t, e))

	r := st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, env, "share", "--name", "b1")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no bookmark is named "b1"; dx-bookmark list shows the ones you can see`)
}

func TestDCTListFiltersByNameAndTagsAndQACannotSeeDevsPrivateBookmark(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "2019 50", "--tag", "50%", "--tag", "2019", "--shared")
	okDCT(t, e, env, st.DCTAdmin, "--container", "prep2", "--name", "2019 25", "--tag", "25%", "--tag", "2019", "--shared")
	list := func(account int, args ...string) []string {
		return names(t, okDCT(t, e, env, account, append([]string{"list"}, args...)...))
	}
	assert.ElementsMatch(t, []string{"2019 50", "2019 25"}, list(st.DCTAdmin, "--name", "2019"))
	assert.Equal(t, []string{"2019 50"}, list(st.DCTAdmin, "--tag", "2019", "--tag", "50%"))
	assert.Equal(t, []string{"2019 25"}, list(st.DCTAdmin, "--container", "prep2"))

	okDCT(t, e, env, st.DCTDev, "--container", "dev-pod", "--name", "dev private")
	okDCT(t, e, env, st.DCTDev, "--container", "dev-pod", "--name", "dev shared", "--shared")
	assert.Contains(t, list(st.DCTDev), "dev private")
	qa := list(st.DCTQA)
	assert.NotContains(t, qa, "dev private", "QA cannot see the developer's PRIVATE bookmark")
	assert.Contains(t, qa, "dev shared")
	r := st.RunDCT(t, bookmark.Step, e, st.DCTQA, env, "delete", "--name", "dev private")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, onEngine(t, e), "dev private")
}

func TestDCTStoresTheExpirationDate(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	r := okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "month", "--expires", "30d")
	day := time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.DateOnly)
	assert.Equal(t, day, r["expiration"])
	assert.Equal(t, day+"T00:00:00.000Z", onEngine(t, e)["month"]["expiration"], "the engine holds it")
	r = okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "golden", "--retain-forever")
	assert.NotContains(t, r, "expiration")
	assert.Nil(t, onEngine(t, e)["golden"]["expiration"])
}

func TestDCTPruneKeepsTheNewestAndWhatAVDBOrAGroupDependsOn(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	for i, n := range []string{"b1", "b2", "b3", "b4"} {
		okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", n, "--tag", "ci")
		require.True(t, e.BackdateBookmark(n, time.Duration(5-i)*24*time.Hour))
	}
	okDCT(t, e, env, st.DCTAdmin, "--container", "prep2", "--name", "c1", "--tag", "ci")
	okDCT(t, e, env, st.DCTAdmin, "--container", "prep2", "--name", "untagged")

	dry := okDCT(t, e, env, st.DCTAdmin, "prune", "--tag", "ci", "--keep", "1", "--dry-run")
	assert.ElementsMatch(t, []string{"b1", "b2", "b3"}, field(t, dry, "deleted"))
	assert.Len(t, onEngine(t, e), 6, "a dry run deletes nothing")

	// A VDB provisioned from b1; prep1's group refreshed to b2.
	admin := dctAdmin(t, e)
	ctx := t.Context()
	bs, err := admin.Bookmarks.Find(ctx, dct.BookmarkQuery{})
	require.NoError(t, err)
	ids := map[string]string{}
	for _, b := range bs {
		ids[b.Name] = b.ID
	}
	_, j, err := admin.VDBs.ProvisionFromBookmark(ctx, dct.ProvisionFromBookmark{BookmarkID: ids["b1"], Name: "b1 copy"})
	require.NoError(t, err)
	_, err = admin.Jobs.Wait(ctx, j.ID, nil)
	require.NoError(t, err)
	g, err := admin.VDBGroups.FindByName(ctx, "prep1")
	require.NoError(t, err)
	j, err = admin.VDBGroups.RefreshFromBookmark(ctx, g.ID, ids["b2"])
	require.NoError(t, err)
	_, err = admin.Jobs.Wait(ctx, j.ID, nil)
	require.NoError(t, err)

	r := okDCT(t, e, env, st.DCTAdmin, "prune", "--tag", "ci", "--keep", "1")
	assert.Equal(t, []string{"b3"}, field(t, r, "deleted"))
	assert.Equal(t, map[string]string{"b1": `VDB "b1 copy" was provisioned from it`, "b2": `VDB group "prep1" was last refreshed to it`},
		reasons(t, r, "skipped"))
	assert.Equal(t, map[string]string{"b4": `one of the newest 1 on data pod "prep1"`, "c1": `one of the newest 1 on data pod "prep2"`},
		reasons(t, r, "kept"))
	assert.ElementsMatch(t, []string{"b1", "b2", "b4", "c1", "untagged"}, names(t, st.OK(t, bookmark.Step, e, "list")))

	r = okDCT(t, e, env, st.DCTAdmin, "prune", "--name-pattern", "c*", "--older-than", "1h")
	assert.Empty(t, field(t, r, "deleted"), "c1 is younger")
	assert.Equal(t, map[string]string{"c1": "created less than 1h0m0s ago"}, reasons(t, r, "kept"))
}

func TestDCTContainerNamesAVDBWhenNoGroupHasThatName(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	first := okDCT(t, e, env, st.DCTAdmin, "--container", "prep3 DB", "--name", "on the vdb", "--tag", "ci")
	assert.Equal(t, "prep3 DB", first["container"])
	again := okDCT(t, e, env, st.DCTAdmin, "--container", "prep3 DB", "--name", "on the vdb")
	assert.Equal(t, false, again["created"])
	assert.Equal(t, first["bookmarkReference"], again["bookmarkReference"])
	assert.Equal(t, []string{"on the vdb"}, names(t, okDCT(t, e, env, st.DCTAdmin, "list", "--container", "prep3 DB")))
	assert.Contains(t, onEngine(t, e, "--container", "prep3"), "on the vdb", "the engine holds it on the pod of that VDB")

	admin := dctAdmin(t, e)
	bs, err := admin.Bookmarks.Find(t.Context(), dct.BookmarkQuery{Name: "on the vdb"})
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Empty(t, bs[0].VDBGroupID, "made with vdb_ids")

	r := st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, env, "--container", "nothing", "--name", "x")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no VDB group or VDB is named "nothing"`)
}

func TestDCTANameOnTwoPodsNeedsThePod(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	okDCT(t, e, env, st.DCTAdmin, "--container", "prep1", "--name", "same")
	okDCT(t, e, env, st.DCTAdmin, "--container", "prep2", "--name", "same")
	r := st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, env, "share", "--name", "same")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `2 bookmarks are named "same"`)
	assert.Equal(t, true, okDCT(t, e, env, st.DCTAdmin, "share", "--name", "same", "--container", "prep2")["shared"])
	assert.Equal(t, false, onEngine(t, e, "--container", "prep1")["same"]["shared"], "only prep2's is shared")
	assert.Equal(t, true, onEngine(t, e, "--container", "prep2")["same"]["shared"])
}

// A lost answer to the create (DCT made the bookmark) is not sent again: the step finds the
// bookmark of that name on the pod, follows its job and says so. One bookmark, one job.
func TestDCTALostAnswerToCreateFindsTheBookmarkNotASecondOne(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Method: "POST", PathSuffix: "/dct/v3/bookmarks",
		Status: http.StatusBadGateway, AfterProcessing: true}))
	r := st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, env, "--container", "prep1", "--name", "lost", "--tag", "t1")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "answer to the start was lost")
	out := r.JSON(t)
	assert.Equal(t, true, out["recovered"])
	assert.Equal(t, true, out["created"])
	assert.Equal(t, []any{"t1"}, out["tags"])
	c := dctAdmin(t, e)
	found, err := c.Bookmarks.Find(t.Context(), dct.BookmarkQuery{Name: "lost"})
	require.NoError(t, err)
	require.Len(t, found, 1, "one bookmark named lost")
	assert.Equal(t, found[0].ID, out["bookmarkReference"])
	jobs, err := c.Jobs.Recent(t.Context(), found[0].ID, 100)
	require.NoError(t, err)
	require.Len(t, jobs, 1, "one create job")
	assert.Equal(t, "COMPLETED", jobs[0].Status)
	creates := 0
	for _, rec := range e.Requests() {
		if rec.Method == "POST" && rec.Path == "/dct/v3/bookmarks" {
			creates++
		}
	}
	assert.Equal(t, 1, creates, "the create was sent once")
}

// A bookmark made through the engine's Self-Service API is, on DCT, a bookmark of source ENGINE
// that names its data layout (ss_data_layout_id): dx-bookmark on DCT finds it on the pod's or
// template's VDB group and names the pod and template as the engine does.
func TestDCTShowsAnEngineMadeBookmarkOnItsPodAndTemplateAsTheEngineNamesThem(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "from the engine", "--tag", "build=7")
	st.OK(t, bookmark.Step, e, "--template", "Patients", "--name", "golden from the engine")

	raw, err := st.DCTClient(t, e, st.DCTAdmin).Bookmarks.Find(t.Context(), dct.BookmarkQuery{Name: "from the engine"})
	require.NoError(t, err)
	require.Len(t, raw, 1)
	assert.Equal(t, "ENGINE", raw[0].BookmarkSource)
	assert.Empty(t, raw[0].VDBGroupID, "DCT did not make it on a VDB group")
	assert.NotEmpty(t, raw[0].SSDataLayoutID)

	pod := okDCT(t, e, env, st.DCTAdmin, "list", "--container", "prep1")["bookmarks"].([]any)
	require.Len(t, pod, 1, "the engine's bookmark is on the pod")
	assert.Equal(t, "from the engine", pod[0].(map[string]any)["bookmark"])
	assert.Equal(t, "prep1", pod[0].(map[string]any)["container"])
	assert.Equal(t, "Patients", pod[0].(map[string]any)["template"])

	tmpl := okDCT(t, e, env, st.DCTAdmin, "list", "--template", "Patients")["bookmarks"].([]any)
	require.Len(t, tmpl, 1, "the template's own bookmark, not its pods'")
	assert.Equal(t, "golden from the engine", tmpl[0].(map[string]any)["bookmark"])
	assert.Nil(t, tmpl[0].(map[string]any)["container"])
	assert.Equal(t, "Patients", tmpl[0].(map[string]any)["template"])

	all := okDCT(t, e, env, st.DCTAdmin, "list")["bookmarks"].([]any)
	require.Len(t, all, 2)
	assert.Equal(t, withoutBranch(onEngineList(t, e)), withoutBranch(all), "the same list, in the same order, as the engine's")

	r := okDCT(t, e, env, st.DCTAdmin, "create", "--container", "prep1", "--name", "from the engine")
	assert.Equal(t, false, r["created"], "a rerun on DCT reuses the engine's bookmark")
	okDCT(t, e, env, st.DCTAdmin, "delete", "--container", "prep1", "--name", "from the engine")
	assert.NotContains(t, onEngine(t, e, "--container", "prep1"), "from the engine")
}

func onEngineList(t *testing.T, e *engine.Engine) []any {
	t.Helper()
	return st.OK(t, bookmark.Step, e, "list")["bookmarks"].([]any)
}

// withoutBranch drops what the platforms name differently on purpose: on DCT a bookmark's branch
// is its timeflow (docs/dct.md, Engine and DCT).
func withoutBranch(bs []any) []any {
	for _, b := range bs {
		delete(b.(map[string]any), "branch")
	}
	return bs
}
