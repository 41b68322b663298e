package bookmark_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/steps/bookmark"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// provenanceArgs are what the library passes after a sync, a refresh that
// proved masking and a simulated 50% subset.
var provenanceArgs = []string{"--source-snapshot", "SNAP-PROD-1", "--source-data-time", "2026-12-05T09:00:00.000Z",
	"--masked-snapshot", "SNAP-MASKED-2", "--masking-evidence", `masking job "Mask Patients", 2 tables, is attached; the engine marks the VDB masked`,
	"--subset-percent", "50", "--subset-mode", "simulated", "--build", "jenkins-data-pipeline-7",
	"--build-url", "https://jenkins.example/job/data-pipeline/7/"}

var wantProvenance = map[string]any{"sourceSnapshot": "SNAP-PROD-1", "sourceDataTime": "2026-12-05T09:00:00.000Z",
	"maskedSnapshot": "SNAP-MASKED-2", "maskingEvidence": []any{`masking job "Mask Patients", 2 tables, is attached`, "the engine marks the VDB masked"},
	"subsetPercent": float64(50), "subsetMode": "simulated", "subset": "50% simulated: all the data",
	"build": "jenkins-data-pipeline-7", "buildUrl": "https://jenkins.example/job/data-pipeline/7/"}

func engineAdmin(t *testing.T, e *engine.Engine) *delphix.Client {
	t.Helper()
	c, err := delphix.NewClient(e.URL())
	require.NoError(t, err)
	require.NoError(t, c.Login(context.Background(), "delphix_admin", "landshark"))
	return c
}

func TestProvenanceIsStoredOnTheEngineBookmarkAndReadBackByList(t *testing.T) {
	e := st.Engine(t)
	r := st.OK(t, bookmark.Step, e, append([]string{"--container", "prep1", "--name", "d 50", "--tag", "d,50%,jenkins-data-pipeline-7", "--shared"}, provenanceArgs...)...)
	assert.Equal(t, wantProvenance, r["provenance"])
	assert.Equal(t, []any{"d", "50% simulated", "jenkins-data-pipeline-7"}, r["tags"], "after a simulated subset no bare 50% tag")

	// The engine's own JSBookmark: the provenance in its description, the tags as the output says.
	b, err := engineAdmin(t, e).Bookmarks.Get(context.Background(), r["bookmarkReference"].(string))
	require.NoError(t, err)
	assert.Equal(t, []string{"d", "50% simulated", "jenkins-data-pipeline-7"}, b.Tags)
	assert.Equal(t, "dxsteps provenance\nsource-snapshot: SNAP-PROD-1\nsource-data-time: 2026-12-05T09:00:00.000Z\n"+
		"masked-snapshot: SNAP-MASKED-2\nmasking-evidence: masking job \"Mask Patients\", 2 tables, is attached; the engine marks the VDB masked\n"+
		"subset-percent: 50\nsubset-mode: simulated\nbuild: jenkins-data-pipeline-7\nbuild-url: https://jenkins.example/job/data-pipeline/7/", b.Description)

	list := onEngine(t, e, "--container", "prep1")
	assert.Equal(t, wantProvenance, list["d 50"]["provenance"], "a later list reads it back")
	assert.Empty(t, st.OK(t, bookmark.Step, e, "list", "--tag", "50%")["bookmarks"], "a simulated bookmark is not found as a 50% one")
}

func TestProvenanceIsStoredAsDCTTagsAndReadBackByListOnBothAPIs(t *testing.T) {
	e := st.Engine(t)
	env := specChecked(t, e)
	r := okDCT(t, e, env, st.DCTAdmin, append([]string{"--container", "prep1", "--name", "d 50", "--tag", "d,50%", "--shared"}, provenanceArgs...)...)
	assert.Equal(t, wantProvenance, r["provenance"])
	assert.Equal(t, []any{"d", "50% simulated"}, r["tags"], "the provenance tags are in provenance, not in tags")

	bs, err := dctAdmin(t, e).Bookmarks.Find(t.Context(), dct.BookmarkQuery{Name: "d 50"})
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, []dct.Tag{{Key: "tag", Value: "d"}, {Key: "tag", Value: "50% simulated"},
		{Key: "provenance.source-snapshot", Value: "SNAP-PROD-1"}, {Key: "provenance.source-data-time", Value: "2026-12-05T09:00:00.000Z"},
		{Key: "provenance.masked-snapshot", Value: "SNAP-MASKED-2"},
		{Key: "provenance.masking-evidence", Value: `masking job "Mask Patients", 2 tables, is attached; the engine marks the VDB masked`},
		{Key: "provenance.subset-percent", Value: "50"}, {Key: "provenance.subset-mode", Value: "simulated"},
		{Key: "provenance.build", Value: "jenkins-data-pipeline-7"}, {Key: "provenance.build-url", Value: "https://jenkins.example/job/data-pipeline/7/"}},
		bs[0].Tags)

	list := okDCT(t, e, env, st.DCTAdmin, "list", "--container", "prep1")["bookmarks"].([]any)
	require.Len(t, list, 1)
	assert.Equal(t, wantProvenance, list[0].(map[string]any)["provenance"])
	assert.Equal(t, wantProvenance, onEngine(t, e, "--container", "prep1")["d 50"]["provenance"], "the engine API shows the same bookmark's provenance")
}

func TestASimulatedSubsetNeverLeavesABarePercentTag(t *testing.T) {
	e := st.Engine(t)
	for _, tc := range []struct {
		args []string
		want []any
	}{
		{[]string{"--tag", "05%,d", "--subset-mode", "simulated"}, []any{"05% simulated", "d"}},
		{[]string{"--tag", "d", "--subset-mode", "simulated", "--subset-percent", "25"}, []any{"d", "25% simulated"}},
		{[]string{"--tag", "10%", "--subset-mode", "exec", "--subset-percent", "10", "--subset-tool", "jailer"}, []any{"10%"}},
	} {
		name := strings.Join(tc.args, " ")
		onEngineAPI := st.OK(t, bookmark.Step, e, append([]string{"--container", "prep2", "--name", "e " + name}, tc.args...)...)
		assert.Equal(t, tc.want, onEngineAPI["tags"], name)
		onDCT := st.OKDCT(t, bookmark.Step, e, append([]string{"--container", "prep3", "--name", "d " + name}, tc.args...)...)
		assert.Equal(t, tc.want, onDCT["tags"], name)
		assert.Equal(t, onEngineAPI["provenance"], onDCT["provenance"], name)
	}
	exec := onEngine(t, e, "--container", "prep2")["e --tag 10% --subset-mode exec --subset-percent 10 --subset-tool jailer"]["provenance"]
	assert.Equal(t, map[string]any{"subsetPercent": float64(10), "subsetMode": "exec", "subsetTool": "jailer", "subset": "10% by jailer"}, exec)
}

func TestABookmarkWithoutProvenanceHasNone(t *testing.T) {
	e := st.Engine(t)
	r := st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "plain", "--tag", "50%")
	assert.NotContains(t, r, "provenance")
	assert.Equal(t, []any{"50%"}, r["tags"], "without a simulated subset a size tag stays as given")
}

func TestBadProvenanceExits2BeforeTheEngineIsAsked(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--container", "p", "--name", "x", "--subset-mode", "simulate"}, `--subset-mode: "simulate" is not exec or simulated`},
		{[]string{"--container", "p", "--name", "x", "--subset-percent", "101"}, "--subset-percent must be 1 to 100, got 101"},
		{[]string{"list", "--build", "b"}, "--build goes with create only"},
		{[]string{"--container", "p", "--name", "x", "--subset-mode", "simulated", "--subset-tool", "t"}, "--subset-tool goes with --subset-mode exec"},
		{[]string{"--container", "p", "--name", "x", "--masking-evidence", "a\nb"}, "--masking-evidence holds a line break"},
	} {
		r := st.Run(t, bookmark.Step, nil, nil, tc.args...)
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want)
	}
}

func TestARerunKeepsTheProvenanceTheBookmarkWasMadeWith(t *testing.T) {
	e := st.Engine(t)
	first := st.OK(t, bookmark.Step, e, "--container", "prep1", "--name", "b", "--build", "jenkins-p-1")
	r := st.Run(t, bookmark.Step, e, nil, "--container", "prep1", "--name", "b", "--build", "jenkins-p-2")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, first["provenance"], r.JSON(t)["provenance"])
	assert.Contains(t, r.Stderr, "note: its provenance (build: jenkins-p-1) differs from the one given and was left as it is")

	st.OKDCT(t, bookmark.Step, e, "--container", "prep2", "--name", "d", "--build", "jenkins-p-1")
	d := st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, nil, "--container", "prep2", "--name", "d", "--build", "jenkins-p-1")
	require.Equal(t, 0, d.Code, d.Stderr)
	assert.Equal(t, false, d.JSON(t)["created"])
	assert.NotContains(t, d.Stderr, "provenance", "the same provenance, no note")
	d = st.RunDCT(t, bookmark.Step, e, st.DCTAdmin, nil, "--container", "prep2", "--name", "d", "--build", "jenkins-p-2")
	require.Equal(t, 0, d.Code, d.Stderr)
	assert.Equal(t, "jenkins-p-1", d.JSON(t)["provenance"].(map[string]any)["build"])
	assert.Contains(t, d.Stderr, "differs from the one given and was left as it is")
}
