package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stageNames is a stage graph as names only, in the shape of the runner's stage-tree JSON.
func stageNames(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		if name, ok := v["name"]; ok {
			out["name"] = name
		}
		for _, k := range []string{"stages", "parallel"} {
			if kids, ok := v[k]; ok {
				out[k] = stageNames(kids)
			}
		}
		return out
	case []any:
		out := []any{}
		for _, c := range v {
			out = append(out, stageNames(c))
		}
		return out
	}
	return v
}

// allStatuses is every stage's status in the graph.
func allStatuses(v any, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		if name, ok := v["name"].(string); ok {
			if s, ok := v["status"].(string); ok {
				out[name] = s
			}
		}
		for _, c := range v {
			allStatuses(c, out)
		}
	case []any:
		for _, c := range v {
			allStatuses(c, out)
		}
	}
}

// TestJenkinsfileExampleWithDryRunPlansEveryStageAndChangesNothing runs Jenkinsfile.example
// with DRY_RUN on each platform: the build is green with exactly the workshop's stage tree,
// every stage plans instead of acting, no request that changes anything reaches the engine (or
// DCT), no tool runs, and the build description says what each stage would do.
func TestJenkinsfileExampleWithDryRunPlansEveryStageAndChangesNothing(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "runner", "testdata", "workshop-tree.json"))
	require.NoError(t, err)
	var tree map[string]any
	require.NoError(t, json.Unmarshal(raw, &tree))
	platforms := map[string]struct {
		credentials string
		args        []string
	}{
		"engine": {workshopCredentials, nil},
		"dct": {`{"delphix-dct-api-key":{"secret":"` + engine.DCTKey(1, "delphix_admin") + `"}, "report-ro-password":{"secret":"x"}}`,
			[]string{"--param", "PLATFORM=dct", "--param", "CREDENTIALS_ID=delphix-dct-api-key"}},
	}
	for name, p := range platforms {
		t.Run(name, func(t *testing.T) {
			e := enginetest.Start(t)
			require.NoError(t, e.ChangeProd("Patients Prod"))
			before := map[string]any{}
			for _, d := range e.Datasets() {
				ds, _ := e.Dataset(d.Name)
				before[d.Name] = ds.Contents
			}
			bookmarks := len(e.Catalog())
			vault := filepath.Join(t.TempDir(), "vault")
			e.ClearRequests()
			code, out, graph := jenkins(t, e, p.credentials, "Jenkinsfile.example", exampleTools(vault),
				func(string) []string { return append([]string{"--param", "DRY_RUN=true"}, p.args...) })
			require.Equal(t, 0, code, out)
			assert.Equal(t, "SUCCESS", graph["result"])
			assert.Equal(t, stageNames(tree["stages"]), stageNames(graph["stages"]), "the same stage tree as a real build")
			statuses := map[string]string{}
			allStatuses(graph["stages"], statuses)
			for stage, status := range statuses {
				assert.Equal(t, "SUCCESS", status, stage)
			}

			assert.Empty(t, st.Changes(e), "a dry-run build sends nothing that changes anything")
			for _, d := range e.Datasets() {
				ds, _ := e.Dataset(d.Name)
				assert.Equal(t, before[d.Name], ds.Contents, "%s is unchanged", d.Name)
			}
			assert.Len(t, e.Catalog(), bookmarks, "no bookmark made")
			assert.NoFileExists(t, vault, "no password generated or kept")

			description, _ := graph["description"].(string)
			assert.True(t, strings.HasPrefix(description, "Dry run: nothing was changed. What each stage would do:\n"), description)
			want := []string{
				`[Sync Delphix with Prod] sync dSource "Patients Prod"`,
				`[Refresh Secure Pipeline Master] refresh VDB "Patients Masked Master"`,
				`[Update Database Users and Passwords] run account tool "dx-example-accounts"`,
				`[Update Database Users and Passwords] snapshot VDB "Patients Masked Master"`,
				`[Add full dataset to catalog] create bookmark`,
				`[Declarative: Post Actions] delphixBookmark: nothing to change`,
			}
			for _, l := range lanes {
				create, add := fmt.Sprintf("Create %02d%% dataset", l.percent), fmt.Sprintf("Add %02d%% dataset to catalog", l.percent)
				want = append(want, fmt.Sprintf("[%s] refresh data pod %q", create, l.pod),
					fmt.Sprintf("[%s] run subsetter \"dx-example-subset\" container=%s, percent=%d", create, l.pod, l.percent),
					fmt.Sprintf("[%s] create bookmark", add))
			}
			for _, line := range want {
				assert.Contains(t, description, "\n"+line, "the description names what each stage would do")
			}
			assert.Contains(t, description, "Delphix bookmarks created: 0", "the catalog takes nothing from a plan")
		})
	}
}
