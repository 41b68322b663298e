package e2e

import (
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example's catalog keeps the last CATALOG_KEEP_BUILDS builds: its post
// prunes the bookmarks of its own job's older builds and nothing else.
func TestJenkinsfileExamplePrunesItsOwnOlderBuildsBookmarks(t *testing.T) {
	e := enginetest.Start(t)
	seed := func(flag, layout, name, tag string) {
		r := run(t, e, "dx-bookmark", "create", flag, layout, "--name", name, "--tag", tag)
		require.Equal(t, 0, r.code, r.stderr)
	}
	seed("--container", "prep1", "build 5 50", "jenkins-data-pipeline-5")
	seed("--template", "Patients", "build 5 FULL", "jenkins-data-pipeline-5")
	seed("--container", "prep1", "other job", "jenkins-data-pipeline-test-3")
	seed("--container", "prep1", "untagged", "handmade")

	vault := filepath.Join(t.TempDir(), "vault")
	code, out, _ := jenkins(t, e, workshopCredentials, "Jenkinsfile.example", exampleTools(vault),
		func(string) []string { return []string{"--param", "CATALOG_KEEP_BUILDS=1"} })
	require.Equal(t, 0, code, out)

	r := run(t, e, "dx-bookmark", "list")
	require.Equal(t, 0, r.code, r.stderr)
	var left []string
	for _, b := range r.json(t)["bookmarks"].([]any) {
		left = append(left, b.(map[string]any)["bookmark"].(string))
	}
	assert.NotContains(t, left, "build 5 50")
	assert.NotContains(t, left, "build 5 FULL")
	assert.Contains(t, left, "other job", "another job's bookmark stays")
	assert.Contains(t, left, "untagged")
	r = run(t, e, "dx-bookmark", "list", "--tag", "jenkins-data-pipeline-7")
	assert.Len(t, r.json(t)["bookmarks"], 7, "this build's bookmarks stay")
}
