package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// selfServiceCredentials is the Jenkins credentials store of the
// self-service pipeline: the QA user and the developer of the local engine.
const selfServiceCredentials = `{"qa-engine":{"username":"qa","password":"qa-local-pw"},
  "dev-engine":{"username":"dev","password":"dev-local-pw"}}`

// jenkinsWith runs a Jenkinsfile with the local pipeline runner, the
// library of this checkout and the given credentials store against e, with
// the engine's test API in DXSTEPS_TEST_API. It returns the runner's exit
// code, its console output and the stage graph.
func jenkinsWith(t *testing.T, e *engine.Engine, credentials, jenkinsfile string) (int, string, map[string]any) {
	t.Helper()
	if _, err := exec.LookPath("groovy"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("groovy is not installed: CI must run make deps")
		}
		t.Skip("groovy not installed (make deps); skipping the pipeline runner test")
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials.json")
	require.NoError(t, os.WriteFile(creds, []byte(credentials), 0o600))
	ws := filepath.Join(dir, "workspace")
	require.NoError(t, os.Mkdir(ws, 0o700))
	graph := filepath.Join(dir, "graph.json")
	cmd := exec.Command(filepath.Join(root, "test", "runner", "jenkinsfile-runner"), "--library", root, "--credentials", creds,
		"--job-name", "self-service", "--build-number", "1", "--workspace", ws, "--graph-json", graph, jenkinsfile)
	cmd.Env = append(os.Environ(), "DXSTEPS_HOME="+binDir, "DELPHIX_ENGINE="+e.URL(), "DXSTEPS_TEST_API="+e.TestAPIURL())
	out, err := cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	var g map[string]any
	raw, err := os.ReadFile(graph)
	require.NoError(t, err, "%s", out)
	require.NoError(t, json.Unmarshal(raw, &g))
	return code, string(out), g
}

// TestJenkinsfileSelfServiceTellsTheJetStreamStory runs the self-service
// story as a scripted pipeline, as the QA user and the developer, and checks
// the engine it leaves behind.
func TestJenkinsfileSelfServiceTellsTheJetStreamStory(t *testing.T) {
	e := start(t, engine.Options{})
	qaBefore, devBefore := rows(t, e, "qa-pod"), rows(t, e, "dev-pod")

	code, out, graph := jenkinsWith(t, e, selfServiceCredentials, filepath.Join("testdata", "Jenkinsfile.self-service"))
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
	e := start(t, engine.Options{})
	devBefore := rows(t, e, "dev-pod")
	ok(t, as(t, e, "qa", "dx-bookmark", "create", "--container", "qa-pod", "--name", "QA private", "--shared"))

	code, out, graph := jenkinsWith(t, e, selfServiceCredentials, filepath.Join("testdata", "Jenkinsfile.self-service"))
	assert.Equal(t, 2, code, out)
	assert.Equal(t, "FAILURE", graph["result"])
	assert.Equal(t, "FAILED", stageStatus(graph, "Developer finds the shared bookmark"))
	assert.Equal(t, "SUCCESS", stageStatus(graph, "QA shares the bug data"))
	assert.Empty(t, stageStatus(graph, "Developer branches from it"), "a scripted pipeline never reaches the later stages")
	assert.Contains(t, out, "QA's private bookmark 'QA private'")
	assert.Equal(t, devBefore, rows(t, e, "dev-pod"))
}
