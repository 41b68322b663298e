package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// workshopCredentials is the Jenkins credentials store Jenkinsfile.example names.
const workshopCredentials = `{"delphix-engine":{"username":"delphix_admin","password":"` + adminPassword + `"},
  "report-ro-password":{"secret":"report-ro-from-jenkins"}}`

var groovyCheck struct {
	sync.Once
	why string
}

// groovyUnusable says why Groovy cannot start with the Java that the
// runner's own groovy-env.sh finds, or "" when it can. It runs once.
func groovyUnusable(root string) string {
	groovyCheck.Do(func() {
		cmd := exec.Command("bash", "-c", `. test/runner/groovy-env.sh && groovy -e 'print "ok"'`)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
			groovyCheck.why = strings.TrimSpace(string(out))
			if groovyCheck.why == "" {
				groovyCheck.why = fmt.Sprint(err)
			}
		}
	})
	return groovyCheck.why
}

// pipelineRun is one run of the local pipeline runner: its command, its
// workspace, and where it writes the stage graph and the archived artifacts.
type pipelineRun struct {
	cmd                         *exec.Cmd
	workspace, graph, artifacts string
}

// jenkinsCommand prepares a run of a Jenkinsfile (a path from the
// repository root, or absolute) with the local pipeline runner, the library of this
// checkout and the credentials store given as JSON, against e, with the
// engine's test API (DXSTEPS_TEST_API) in its environment. Each of more
// may put files into the workspace and returns arguments for the runner.
func jenkinsCommand(t *testing.T, e *engine.Engine, credentials, jenkinsfile string, more ...func(ws string) []string) pipelineRun {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	if why := groovyUnusable(root); why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the pipeline runner cannot start Groovy: %s (CI must run make deps)", why)
		}
		t.Skipf("the pipeline runner cannot start Groovy: %s (make deps installs it)", why)
	}
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials.json")
	require.NoError(t, os.WriteFile(creds, []byte(credentials), 0o600))
	r := pipelineRun{workspace: filepath.Join(dir, "workspace"), graph: filepath.Join(dir, "graph.json"), artifacts: filepath.Join(dir, "artifacts")}
	require.NoError(t, os.CopyFS(filepath.Join(r.workspace, "examples"), os.DirFS(filepath.Join(root, "examples"))))
	args := []string{"--library", root, "--credentials", creds, "--job-name", "data-pipeline", "--build-number", "7",
		"--workspace", r.workspace, "--graph-json", r.graph, "--artifacts", r.artifacts}
	for _, m := range more {
		args = append(args, m(r.workspace)...)
	}
	if !filepath.IsAbs(jenkinsfile) {
		jenkinsfile = filepath.Join(root, jenkinsfile)
	}
	r.cmd = exec.Command(filepath.Join(root, "test", "runner", "jenkinsfile-runner"), append(args, jenkinsfile)...)
	r.cmd.Env = append(os.Environ(), "DXSTEPS_HOME="+binDir, "DELPHIX_ENGINE="+e.URL(), "DXSTEPS_TEST_API="+e.TestAPIURL())
	return r
}

// jenkins runs a Jenkinsfile as jenkinsCommand prepares it and returns the
// runner's exit code, its console output and the stage graph.
func jenkins(t *testing.T, e *engine.Engine, credentials, jenkinsfile string, more ...func(ws string) []string) (int, string, map[string]any) {
	t.Helper()
	r := jenkinsCommand(t, e, credentials, jenkinsfile, more...)
	out, err := r.cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	var g map[string]any
	raw, err := os.ReadFile(r.graph)
	require.NoError(t, err, "%s", out)
	require.NoError(t, json.Unmarshal(raw, &g))
	return code, string(out), g
}

// exampleTools gives Jenkinsfile.example the example tools as its build
// parameters: the account tool, a password store that appends to vault (a
// file outside the workspace), and the subsetter.
func exampleTools(vault string) func(ws string) []string {
	return func(string) []string {
		return []string{"--param", "ACCOUNT_TOOL=" + filepath.Join(binDir, "dx-example-accounts"),
			"--param", `PASSWORD_STORE=umask 077; printf '%s %s\n' "$DX_ACCOUNT" "$DX_NEW_PASSWORD" >>` + vault,
			"--param", "SUBSET_TOOL=" + filepath.Join(binDir, "dx-example-subset")}
	}
}

// stageStatus finds a stage by name anywhere in the graph.
func stageStatus(v any, name string) string {
	switch v := v.(type) {
	case map[string]any:
		if v["name"] == name {
			if s, ok := v["status"].(string); ok {
				return s
			}
		}
		for _, child := range v {
			if s := stageStatus(child, name); s != "" {
				return s
			}
		}
	case []any:
		for _, child := range v {
			if s := stageStatus(child, name); s != "" {
				return s
			}
		}
	}
	return ""
}

func datasetDate(t *testing.T, e *engine.Engine) string {
	t.Helper()
	r := run(t, e, "dx-bookmark", "list", "--template", "Patients")
	require.Equal(t, 0, r.code, r.stderr)
	for _, b := range r.json(t)["bookmarks"].([]any) {
		if name := b.(map[string]any)["bookmark"].(string); strings.HasSuffix(name, " FULL") {
			return strings.TrimSuffix(name, " FULL")
		}
	}
	t.Fatal("no FULL bookmark on the template")
	return ""
}

func TestJenkinsfileExampleRunsTheWorkshopPipeline(t *testing.T) {
	e := enginetest.Start(t)
	e.ClearRequests()
	var during []string
	runWorkshopJenkinsfile(t, e, workshopCredentials, nil, func() { during = requestLines(e) })
	// One negotiation per build: the first step asks the engine (at 1.11.9, it refuses the
	// newest version), the later ones open their session at the version it settled on.
	sessions, abouts := 0, 0
	for _, r := range during {
		switch r {
		case "POST /session":
			sessions++
		case "GET /about":
			abouts++
		}
	}
	t.Logf("the build: %d sessions, %d GET /about, %d requests", sessions, abouts, len(during))
	assert.Equal(t, 1, abouts, "only the build's first step negotiates")
	assertLanesGotTheProvenPoint(t, e, "engine")
}

// TestJenkinsfileExampleRunsTheWorkshopPipelineOnDCT runs Jenkinsfile.example unchanged on the
// local engine's DCT API: only the PLATFORM and CREDENTIALS_ID build parameters differ, and the
// credentials store has no engine user at all, only the admin's API key as secret text.
func TestJenkinsfileExampleRunsTheWorkshopPipelineOnDCT(t *testing.T) {
	e := enginetest.Start(t)
	key := engine.DCTKey(1, "delphix_admin")
	credentials := `{"delphix-dct-api-key":{"secret":"` + key + `"}, "report-ro-password":{"secret":"report-ro-from-jenkins"}}`
	out := runWorkshopJenkinsfile(t, e, credentials, []string{"--param", "PLATFORM=dct", "--param", "CREDENTIALS_ID=delphix-dct-api-key"}, nil)
	assert.NotContains(t, out, key)
	assert.Regexp(t, `dx-sync .*--platform '?dct`, out, "the steps were told to drive DCT")
	assertLanesGotTheProvenPoint(t, e, "dct")

	// The catalog as DCT shows it: the seven shared bookmarks of the build, PUBLIC.
	c, err := dct.NewClient(e.URL(), dct.WithAPIKey(key))
	require.NoError(t, err)
	public, err := c.Bookmarks.Find(t.Context(), dct.BookmarkQuery{Type: dct.BookmarkPublic})
	require.NoError(t, err)
	date := datasetDate(t, e)
	var names []string
	for _, b := range public {
		if strings.HasPrefix(b.Name, date+" ") {
			names = append(names, b.Name)
		}
	}
	want := []string{date + " FULL"}
	for _, l := range lanes {
		want = append(want, fmt.Sprintf("%s %02d", date, l.percent))
	}
	assert.ElementsMatch(t, want, names)
}

// runWorkshopJenkinsfile runs Jenkinsfile.example with the example tools, the credentials
// store and the extra runner arguments given, asserts the whole workshop outcome on the engine,
// and returns the console. built, when set, runs as soon as the build ends.
func runWorkshopJenkinsfile(t *testing.T, e *engine.Engine, credentials string, args []string, built func()) string {
	t.Helper()
	require.NoError(t, e.ChangeProd("Patients Prod"))
	prod, _ := e.Dataset("Patients Prod")
	vault := filepath.Join(t.TempDir(), "vault")
	var ws string
	code, out, graph := jenkins(t, e, credentials, "Jenkinsfile.example", exampleTools(vault),
		func(w string) []string { ws = w; return args })
	if built != nil {
		built()
	}
	require.Equal(t, 0, code, out)
	assert.Equal(t, "SUCCESS", graph["result"])
	assertOneNodeStepPerCall(t, graph)
	for _, stage := range []string{"Sync Delphix with Prod", "Refresh Secure Pipeline Master", "Update Database Users and Passwords",
		"Add full dataset to catalog", "Create 50% dataset", "Add 01% dataset to catalog"} {
		assert.Equal(t, "SUCCESS", stageStatus(graph, stage), stage)
	}
	assertWorkshopState(t, e, prod.Contents.DataVersion, datasetDate(t, e), "jenkins-data-pipeline-7", lanes)
	master, _ := e.Dataset("Patients Masked Master")
	for _, a := range master.Contents.Accounts {
		if a.Name == "report_ro" {
			assert.Equal(t, sha("report-ro-from-jenkins"), a.PasswordSha256)
		}
	}
	assert.NotContains(t, out, "report-ro-from-jenkins")
	assert.NotContains(t, out, adminPassword)

	// The generated password went to the vault only: not the log, not a file in the workspace.
	raw, err := os.ReadFile(vault)
	require.NoError(t, err)
	fields := strings.Fields(string(raw))
	require.Len(t, fields, 2, "one line: app_user and its password")
	assert.Equal(t, "app_user", fields[0])
	for _, a := range master.Contents.Accounts {
		if a.Name == "app_user" {
			assert.Equal(t, sha(fields[1]), a.PasswordSha256)
		}
	}
	assert.NotContains(t, out, fields[1])
	require.NoError(t, filepath.WalkDir(ws, func(path string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		if !d.IsDir() {
			content, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.NotContains(t, string(content), fields[1], "%s holds the generated password", path)
		}
		return nil
	}))
	_, err = os.Stat(filepath.Join(ws, ".dxsteps", "7"))
	assert.True(t, os.IsNotExist(err), "the build's .dxsteps folder is removed when the build ends")
	assertCatalogProvenance(t, e, ws, slices.Contains(args, "PLATFORM=dct"), false)
	return out
}

// assertOneNodeStepPerCall checks the runner's count of node-side durable steps (sh, bat,
// powershell): each library call that runs a binary is one step, the install check included;
// delphixCatalog runs none.
func assertOneNodeStepPerCall(t *testing.T, graph map[string]any) {
	t.Helper()
	counts, _ := graph["nodeSteps"].(map[string]any)
	require.NotNil(t, counts, "the runner reports nodeSteps")
	library := counts["library"].(map[string]any)
	calls := 0.0
	for name, v := range library {
		c := v.(map[string]any)
		if name == "delphixCatalog" {
			assert.Equal(t, 0.0, c["steps"], name)
			continue
		}
		assert.Equal(t, c["calls"], c["steps"], "%s: one node-side step per call", name)
		calls += c["calls"].(float64)
	}
	t.Logf("node-side steps: %v in all, %v in %v binary calls, %v outside the library", counts["total"],
		counts["total"].(float64)-counts["outsideLibrary"].(float64), calls, counts["outsideLibrary"])
}

func TestAFailingLaneFailsTheBuildWhileTheOthersFinish(t *testing.T) {
	e := enginetest.Start(t)
	prod, _ := e.Dataset("Patients Prod")
	e.FailNextJob(engine.JobFault{Target: "prep3", ActionType: "JETSTREAM_USER_CONTAINER_RESTORE", Message: "Storage pool is full."})
	code, out, graph := jenkins(t, e, workshopCredentials, "Jenkinsfile.example", exampleTools(filepath.Join(t.TempDir(), "vault")))
	assert.Equal(t, 2, code, out)
	assert.Equal(t, "FAILURE", graph["result"])
	assert.Equal(t, "FAILED", stageStatus(graph, "Create 15% dataset"))
	assert.Contains(t, out, "Storage pool is full.")
	var others []struct {
		pod     string
		percent int
	}
	for _, l := range lanes {
		if l.pod != "prep3" {
			others = append(others, l)
			assert.Equal(t, "SUCCESS", stageStatus(graph, fmt.Sprintf("Add %02d%% dataset to catalog", l.percent)), l.pod)
		}
	}
	assertWorkshopState(t, e, prod.Contents.DataVersion, datasetDate(t, e), "jenkins-data-pipeline-7", others)
}

// TestARuleBrokenInJenkinsNamesTheKey: the library no longer repeats the
// binaries' rules; the binary's error line reaches the build naming the
// step key, without a command-line hint.
func TestARuleBrokenInJenkinsNamesTheKey(t *testing.T) {
	e := enginetest.Start(t)
	code, out, _ := jenkins(t, e, workshopCredentials, "test/e2e/testdata/Jenkinsfile.rule")
	assert.NotEqual(t, 0, code, out)
	assert.Contains(t, out, "delphixDataPod: restore needs key 'bookmark' (exit 2, usage)")
	assert.NotContains(t, out, "--help")
}
