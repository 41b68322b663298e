package e2e

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// selfServiceCredentials is the Jenkins credentials store of the
// self-service pipeline: the QA user and the developer of the local engine.
const selfServiceCredentials = `{"qa-engine":{"username":"qa","password":"qa-local-pw"},
  "dev-engine":{"username":"dev","password":"dev-local-pw"}}`

// TestJenkinsfileSelfServiceTellsTheJetStreamStory runs the self-service
// story as a scripted pipeline, as the QA user and the developer, and checks
// the engine it leaves behind.
func TestJenkinsfileSelfServiceTellsTheJetStreamStory(t *testing.T) {
	e := enginetest.Start(t)
	qaBefore, devBefore := rows(t, e, "qa-pod"), rows(t, e, "dev-pod")

	code, out, graph := jenkins(t, e, selfServiceCredentials, "test/e2e/testdata/Jenkinsfile.self-service")
	require.Equal(t, 0, code, out)
	assert.Equal(t, "SUCCESS", graph["result"])
	for _, stage := range []string{"QA bookmarks edge-case data", "QA runs destructive tests", "QA restores the bookmark",
		"QA shares the bug data", "Developer finds the shared bookmark", "Developer branches from it",
		"Developer changes their copy", "Developer goes back to the default branch"} {
		assert.Equal(t, "SUCCESS", stageStatus(graph, stage), stage)
	}

	// qa-pod holds its rows and the edge cases, restored; dev-pod its own rows.
	assert.Equal(t, append(append([]engine.Row{}, qaBefore...), edgeCases...), rows(t, e, "qa-pod"))
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))

	bookmarks := map[string]engine.CatalogEntry{}
	for _, b := range e.Catalog() {
		bookmarks[b.Bookmark] = b
	}
	bug := bookmarks["Bug 1234 data"]
	assert.Equal(t, engine.CatalogEntry{Bookmark: "Bug 1234 data", Reference: bug.Reference, On: "qa-pod", Kind: "container",
		Owner: "qa", Shared: true, Tags: []string{"bug-1234"}, DataVersion: bug.DataVersion, Masked: bug.Masked,
		SubsetPercent: bug.SubsetPercent, Rows: len(qaBefore) + len(edgeCases)}, bug)
	for _, name := range []string{"after the edge case data", "QA private"} {
		assert.Equal(t, "qa", bookmarks[name].Owner, name)
		assert.False(t, bookmarks[name].Shared, name)
	}

	// The developer's bug branch is still there and holds their change.
	r := as(t, e, "dev", "dx-branch", "list", "--container", "dev-pod")
	var names []string
	for _, b := range ok(t, r)["branches"].([]any) {
		names = append(names, b.(map[string]any)["branch"].(string))
	}
	assert.ElementsMatch(t, []string{"default", "bug-1234"}, names)
	ok(t, as(t, e, "dev", "dx-branch", "activate", "--container", "dev-pod", "--name", "bug-1234"))
	changed := rows(t, e, "qa-pod")
	changed[0].Name = "changed by the developer"
	assert.Equal(t, changed, rows(t, e, "dev-pod"))
}

// TestJenkinsfileSelfServiceFailsWhenTheDeveloperSeesAPrivateBookmark breaks
// the story: "QA private" is already shared, so the pipeline's check fails
// the build before the developer branches.
func TestJenkinsfileSelfServiceFailsWhenTheDeveloperSeesAPrivateBookmark(t *testing.T) {
	e := enginetest.Start(t)
	devBefore := rows(t, e, "dev-pod")
	ok(t, as(t, e, "qa", "dx-bookmark", "create", "--container", "qa-pod", "--name", "QA private", "--shared"))

	code, out, graph := jenkins(t, e, selfServiceCredentials, "test/e2e/testdata/Jenkinsfile.self-service")
	assert.Equal(t, 2, code, out)
	assert.Equal(t, "FAILURE", graph["result"])
	assert.Equal(t, "FAILED", stageStatus(graph, "Developer finds the shared bookmark"))
	assert.Equal(t, "SUCCESS", stageStatus(graph, "QA shares the bug data"))
	assert.Empty(t, stageStatus(graph, "Developer branches from it"), "a scripted pipeline never reaches the later stages")
	assert.Contains(t, out, "QA's private bookmark 'QA private'")
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))
}
