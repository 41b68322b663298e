package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBugReproPipelineKeepsTheFailedRunsData runs examples/Jenkinsfile.bug-repro
// with tests that fail: the build fails, and its post-failure step leaves a
// shared bookmark of the test pod, tagged with the bug and the commit, from
// which the developer branches the very same data.
func TestBugReproPipelineKeepsTheFailedRunsData(t *testing.T) {
	t.Setenv("GIT_COMMIT", "3f2c1ab") // Jenkins' git checkout sets it
	e := enginetest.Start(t)
	testAPI(t, e, "POST", "/datasets/qa-pod/rows", edgeCases)
	failingTests := func(ws string) []string {
		require.NoError(t, os.WriteFile(filepath.Join(ws, "run-integration-tests.sh"),
			[]byte("#!/bin/sh\necho 'employee \"-1\" breaks the payroll report' >&2\nexit 1\n"), 0o755))
		return []string{"--param", "BUG_ID=1234"}
	}
	code, out, graph := jenkins(t, e, `{"delphix-qa":{"username":"qa","password":"qa-local-pw"}}`, "examples/Jenkinsfile.bug-repro", failingTests)
	require.Equal(t, 2, code, out)
	assert.Equal(t, "FAILURE", graph["result"])
	assert.Equal(t, "FAILED", stageStatus(graph, "Integration tests"))

	var kept *engine.CatalogEntry
	for _, b := range e.Catalog() {
		if b.Bookmark == "Bug 1234 data (jenkins-data-pipeline-7)" {
			kept = &b
		}
	}
	require.NotNil(t, kept, out)
	assert.True(t, kept.Shared)
	assert.Equal(t, "qa-pod", kept.On)
	assert.ElementsMatch(t, []string{"bug-1234", "commit-3f2c1ab"}, kept.Tags)

	// The reset before the tests took the pod back to its last data
	// operation; the developer gets exactly that data.
	qa := rows(t, e, "qa-pod")
	ok(t, as(t, e, "dev", "dx-branch", "create", "--container", "dev-pod", "--name", "bug-1234", "--from-bookmark", kept.Bookmark))
	assert.Equal(t, qa, rows(t, e, "dev-pod"))
}
