package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func errorFile(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(raw, &v))
	return v
}

func TestFlagsBeatEnvironmentWhichBeatsTheConfigFile(t *testing.T) {
	e := enginetest.Start(t)
	cfg := filepath.Join(t.TempDir(), "dx.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("engine: "+e.URL()+"\ndatabase: From File\n"), 0o644))

	// The file alone names the database.
	r := step{t: t, bin: "dx-sync", args: []string{"--config", cfg}}.run()
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `no database is named "From File"`)

	// The environment beats the file.
	r = step{t: t, bin: "dx-sync", args: []string{"--config", cfg}, env: []string{"DXSTEPS_SYNC_DATABASE=Patients Prod"}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "Patients Prod", r.json(t)["database"])

	// The flag beats the environment.
	r = step{t: t, bin: "dx-sync", args: []string{"--config", cfg, "--database", "From Flag"}, env: []string{"DXSTEPS_SYNC_DATABASE=Patients Prod"}}.run()
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `no database is named "From Flag"`)
}

func TestUnknownVariablesAndConfigKeysAreRefusedAsFlagsAre(t *testing.T) {
	e := enginetest.Start(t)
	cfg := filepath.Join(t.TempDir(), "dx.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("databse: x\n"), 0o644))
	r := step{t: t, e: e, bin: "dx-sync", args: []string{"--config", cfg, "--database", "Patients Prod"}}.run()
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, `error: --config `+cfg+`: line 1: unknown key "databse"; did you mean "database"?`)
	r = step{t: t, e: e, bin: "dx-sync", args: []string{"--database", "Patients Prod"}, env: []string{"DXSTEPS_SYNC_DATABSE=x"}}.run()
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "error: unknown variable DXSTEPS_SYNC_DATABSE: dx-sync reads no such variable; did you mean DXSTEPS_SYNC_DATABASE?")
	r = step{t: t, e: e, bin: "dx-sync", args: []string{"--database", "Patients Prod"}, env: []string{"DELPHIX_DATABSE=Patients Prod"}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "warning: DELPHIX_DATABSE is set but no flag reads it (a typo?)", "another tool's DELPHIX_* variable is only warned about")
}

func TestConfigFileMayNotHoldThePassword(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "dx.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("password: hunter2\n"), 0o644))
	r := run(t, nil, "dx-sync", "--config", cfg, "--database", "x")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "password key")
	assert.NotContains(t, r.stderr, "hunter2")
}

func TestThereIsNoPasswordFlag(t *testing.T) {
	r := run(t, nil, "dx-sync", "--password", "hunter2", "--database", "x")
	assert.Equal(t, 2, r.code)
	assert.Empty(t, r.stdout)
}

func TestPasswordFileIsRead(t *testing.T) {
	e := enginetest.Start(t)
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte(adminPassword+"\n"), 0o600))
	r := step{t: t, e: e, bin: "dx-sync", args: []string{"--password-file", pw, "--database", "Patients Prod"},
		env: []string{"DELPHIX_PASSWORD="}}.run()
	require.Equal(t, 0, r.code, r.stderr)
}

func TestWrongPasswordExits3(t *testing.T) {
	e := enginetest.Start(t)
	ef := filepath.Join(t.TempDir(), "err.json")
	r := step{t: t, e: e, bin: "dx-sync", args: []string{"--database", "Patients Prod", "--error-file", ef},
		env: []string{"DELPHIX_PASSWORD=not-the-password"}}.run()
	assert.Equal(t, 3, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, 1, strings.Count(r.stderr, "error:"), r.stderr)
	assert.NotContains(t, r.stderr, "not-the-password")
	rec := errorFile(t, ef)
	assert.Equal(t, "auth", rec["category"])
	assert.EqualValues(t, 3, rec["exitCode"])
	assert.Equal(t, "dx-sync", rec["step"])
	raw, _ := os.ReadFile(ef)
	assert.NotContains(t, string(raw), "not-the-password")
}

func TestUnknownNameExits2AndNamesTheClosest(t *testing.T) {
	e := enginetest.Start(t)
	r := run(t, e, "dx-refresh", "--vdb", "Patients Mask Master")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `no database is named "Patients Mask Master"; closest: "Patients Masked Master"`)
	assert.Empty(t, r.stdout)
}

func TestRefreshRefusesASnapshotOfAnotherDatabase(t *testing.T) {
	e := enginetest.Start(t)
	r := run(t, e, "dx-sync", "--database", "Patients Prod")
	require.Equal(t, 0, r.code, r.stderr)
	e.ClearRequests()
	r = run(t, e, "dx-refresh", "--vdb", "prep1 DB", "--snapshot", r.json(t)["snapshot"].(string))
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "refusing to refresh from it")
	for _, req := range e.Requests() {
		assert.NotContains(t, req.Path, "/refresh", "nothing was refreshed")
	}
}

func TestFailedJobExits1WithTheEnginesMessage(t *testing.T) {
	e := enginetest.Start(t)
	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", Message: "Masking job 12 failed: table PATIENTS is locked."})
	ef := filepath.Join(t.TempDir(), "err.json")
	r := run(t, e, "dx-refresh", "--vdb", "Patients Masked Master", "--error-file", ef)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "Masking job 12 failed: table PATIENTS is locked.")
	rec := errorFile(t, ef)
	assert.Equal(t, "engine", rec["category"])
	assert.Contains(t, rec["message"], "table PATIENTS is locked")
}

func TestRequireMaskedFailsForAnUnmaskedVDB(t *testing.T) {
	e := enginetest.Start(t)
	r := run(t, e, "dx-refresh", "--vdb", "prep1 DB", "--require-masked")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "without masking applied")
	assert.Equal(t, false, r.json(t)["masked"], "the result is still printed")
}

func TestDeadlineExits4AndCancelsTheJob(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 1})
	r := run(t, e, "dx-refresh", "--vdb", "Patients Masked Master", "--timeout", "500ms")
	assert.Equal(t, 4, r.code, r.stderr)
	assert.Contains(t, r.stderr, "cancelled job")
	assertJobCanceled(t, e, r.stderr)
}

func TestSIGTERMCancelsTheJobAndExits143(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 1})
	r := step{t: t, e: e, bin: "dx-refresh", args: []string{"--vdb", "Patients Masked Master"}}.signal("started", syscall.SIGTERM)
	assert.Equal(t, 143, r.code, r.stderr)
	assert.Contains(t, r.stderr, "aborted by SIGTERM; cancelled job")
	assertJobCanceled(t, e, r.stderr)
}

func TestSIGINTExits130(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 1})
	r := step{t: t, e: e, bin: "dx-sync", args: []string{"--database", "Patients Prod"}}.signal("started", syscall.SIGINT)
	assert.Equal(t, 130, r.code, r.stderr)
	assertJobCanceled(t, e, r.stderr)
}

// assertJobCanceled finds the job the step named in its log and checks the
// engine canceled it.
func assertJobCanceled(t *testing.T, e *engine.Engine, stderr string) {
	t.Helper()
	i := strings.Index(stderr, "job JOB-")
	require.GreaterOrEqual(t, i, 0, stderr)
	ref := strings.Fields(stderr[i+4:])[0]
	r := run(t, e, "dx-sync", "--database", "Patients Prod") // the engine is usable again
	require.Equal(t, 0, r.code, r.stderr)
	found := false
	for _, req := range e.Requests() {
		if req.Method == "POST" && strings.HasSuffix(req.Path, "/job/"+ref+"/cancel") {
			found = req.Status == 200
		}
	}
	assert.True(t, found, "POST /job/%s/cancel answered OK", ref)
}

func TestUnreachableEngineExits5(t *testing.T) {
	r := step{t: t, bin: "dx-sync", args: []string{"--engine", "http://127.0.0.1:1", "--database", "Patients Prod"}}.run()
	assert.Equal(t, 5, r.code, r.stderr)
	assert.Contains(t, r.stderr, "engine unreachable")
}

func TestVersionAndHelpGoToStdout(t *testing.T) {
	r := run(t, nil, "dx-datapod", "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "refresh, reset, restore")
	assert.Contains(t, r.stdout, "DXSTEPS_DATAPOD_CONTAINER")
	assert.Empty(t, r.stderr)
	r = run(t, nil, "dx-sync", "--version")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "dx-sync version")
	assert.Empty(t, r.stderr)
}

func TestAMistypedFlagOrWordSaysWhatWasMeant(t *testing.T) {
	for _, tc := range []struct {
		args []string
		bin  string
		want string
	}{
		{[]string{"--databse", "x"}, "dx-sync", "unknown flag --databse; did you mean --database?"},
		{[]string{"version"}, "dx-sync", `unexpected argument "version": dx-sync takes no operation, only flags; did you mean --version?`},
		{[]string{"lsit"}, "dx-bookmark", `unknown operation "lsit": the operations of dx-bookmark are create, share, unshare, delete, list and prune; did you mean list?`},
	} {
		r := run(t, nil, tc.bin, tc.args...)
		assert.Equal(t, 2, r.code, r.stderr)
		assert.Contains(t, r.stderr, tc.want)
		assert.Empty(t, r.stdout)
	}
}

func TestAGenericVariableNeverSwitchesAStepFlagOn(t *testing.T) {
	e := enginetest.Start(t)
	r := step{t: t, e: e, bin: "dx-bookmark", args: []string{"list"}, env: []string{"DELPHIX_NAME=no such bookmark"}}.run()
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "error: DELPHIX_NAME is set, but --name reads DXSTEPS_BOOKMARK_NAME: set that, or unset DELPHIX_NAME")
	r = step{t: t, e: e, bin: "dx-bookmark", args: []string{"list"}, env: []string{"DXSTEPS_BOOKMARK_NAME=no such bookmark"}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.json(t)["bookmarks"], "the step's own variable does filter")
}

func TestInsideJenkinsTheErrorNamesTheKeyNotAFlag(t *testing.T) {
	ef := filepath.Join(t.TempDir(), "err.json")
	r := step{t: t, bin: "dx-datapod", args: []string{"restore", "--container", "prep1", "--error-file", ef},
		env: []string{"DXSTEPS_CALLER=jenkins"}}.run()
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "error: restore needs key 'bookmark'\n")
	assert.Equal(t, "restore needs key 'bookmark'", errorFile(t, ef)["message"])
	r = run(t, nil, "dx-datapod", "restore", "--container", "prep1")
	assert.Contains(t, r.stderr, "error: restore needs --bookmark (see --help)")
}
