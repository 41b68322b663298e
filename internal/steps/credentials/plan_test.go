package credentials_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onPlatform runs the step on one platform as the admin.
type onPlatform struct {
	name string
	run  func(t *testing.T, e *engine.Engine, env []string, args ...string) st.Result
}

var platforms = []onPlatform{
	{cli.PlatformEngine, func(t *testing.T, e *engine.Engine, env []string, args ...string) st.Result {
		return st.Run(t, credentials.Step, e, env, args...)
	}},
	{cli.PlatformDCT, func(t *testing.T, e *engine.Engine, env []string, args ...string) st.Result {
		return st.RunDCT(t, credentials.Step, e, st.DCTAdmin, append(st.DCTSpecEnv(t, e), env...), args...)
	}},
}

// changes are the requests in e's log that could change something: all but
// reads, the engine's session calls and DCT's searches.
func changes(e *engine.Engine) []string {
	var out []string
	for _, r := range e.Requests() {
		switch {
		case r.Method == "GET" || r.Method == "HEAD",
			r.Method == "POST" && (strings.HasSuffix(r.Path, "/delphix/session") || strings.HasSuffix(r.Path, "/delphix/login") ||
				strings.HasSuffix(r.Path, "/delphix/logout") || strings.HasSuffix(r.Path, "/search")):
		default:
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// plan is a plan's actions.
func plan(t *testing.T, r st.Result) []cli.Action {
	t.Helper()
	out := r.JSON(t)
	require.Equal(t, true, out["dryRun"], r.Stdout)
	raw, err := json.Marshal(out["plan"])
	require.NoError(t, err)
	var actions []cli.Action
	require.NoError(t, json.Unmarshal(raw, &actions))
	return actions
}

// vdbRef is the reference (engine) or id (DCT) of the VDB named name.
func vdbRef(t *testing.T, e *engine.Engine, platform, name string) string {
	t.Helper()
	if platform == cli.PlatformDCT {
		v, err := st.DCTClient(t, e, st.DCTAdmin).VDBs.FindByName(t.Context(), name)
		require.NoError(t, err)
		return v.ID
	}
	db, err := st.EngineClient(t, e).Databases.FindByName(t.Context(), name)
	require.NoError(t, err)
	return db.Reference
}

// A plan of --exec runs no account tool, makes and keeps no password, takes no snapshot and
// sends nothing that changes anything; it names the tool by its program only (never its
// arguments or assignments, which may hold a secret). The real run after it then runs the
// tool for the accounts the plan named, in its order, keeps the password it said, and takes
// the one snapshot it named, of the VDB it named.
func TestAnExecPlanChangesNothingAndNamesWhatTheRealRunDoes(t *testing.T) {
	for _, p := range platforms {
		t.Run(p.name, func(t *testing.T) {
			e := st.Engine(t)
			dir := t.TempDir()
			tool := filepath.Join(dir, "reset-account.sh")
			require.NoError(t, os.WriteFile(tool, []byte("#!/bin/sh\necho \"$DX_ACCOUNT $DX_ACTION\" >> "+dir+"/ran\n"), 0o700))
			store := filepath.Join(dir, "vault-store.sh")
			require.NoError(t, os.WriteFile(store, []byte("#!/bin/sh\necho \"$DX_ACCOUNT\" >> "+dir+"/stored\n"), 0o700))
			pwFile := filepath.Join(dir, "pw.yaml")
			pol := policy(t, "accounts:\n  - {name: app_user, action: reset}\n  - {name: report_ro, action: reset, password: 'env:RO_PW'}\n"+
				"  - {name: dba_alice, action: drop}\n")
			args := []string{"--vdb", "Patients Masked Master", "--policy", pol, "--exec", "TOKEN=tool-secret " + tool + " --key arg-secret",
				"--password-command", store + " --vault-token store-secret", "--password-output", pwFile}
			env := []string{"RO_PW=from-the-env"}
			ref := vdbRef(t, e, p.name, "Patients Masked Master")

			e.ClearRequests()
			r := p.run(t, e, env, append(args, "--dry-run")...)
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Empty(t, changes(e), "a plan sends nothing that changes anything")
			assert.NoFileExists(t, filepath.Join(dir, "ran"), "no account tool ran")
			assert.NoFileExists(t, filepath.Join(dir, "stored"), "no password was handed to the command")
			assert.NoFileExists(t, pwFile, "no password file was written")
			for _, secret := range []string{"tool-secret", "arg-secret", "store-secret", "from-the-env"} {
				assert.NotContains(t, r.Stdout+r.Stderr, secret)
			}
			out := r.JSON(t)
			assert.Equal(t, "exec", out["mode"])
			assert.Equal(t, "Patients Masked Master", out["vdb"])
			assert.Nil(t, out["snapshot"], "no snapshot was taken")
			run := func(account, action string, extra ...string) cli.Action {
				a := cli.Action{Action: "run", Object: "account tool", Name: "reset-account.sh",
					Parameters: map[string]string{"account": account, "action": action}}
				if len(extra) > 0 {
					a.Parameters["password"] = extra[0]
				}
				return a
			}
			assert.Equal(t, []cli.Action{
				run("app_user", "reset", "generate"),
				{Action: "keep", Object: "generated password", Name: "app_user", Parameters: map[string]string{"command": "vault-store.sh", "file": pwFile}},
				run("report_ro", "reset", "env:RO_PW"),
				run("dba_alice", "drop"),
				{Action: "snapshot", Object: "VDB", Name: "Patients Masked Master", Reference: ref},
			}, plan(t, r))

			e.ClearRequests()
			r = p.run(t, e, env, args...)
			require.Equal(t, 0, r.Code, r.Stderr)
			ran, err := os.ReadFile(filepath.Join(dir, "ran"))
			require.NoError(t, err)
			assert.Equal(t, "app_user reset\nreport_ro reset\ndba_alice drop\n", string(ran), "the tool ran for the accounts the plan named, in order")
			stored, err := os.ReadFile(filepath.Join(dir, "stored"))
			require.NoError(t, err)
			assert.Equal(t, "app_user\n", string(stored))
			assert.FileExists(t, pwFile)
			snapshot := map[string]string{cli.PlatformEngine: "POST /resources/json/delphix/database/" + ref + "/sync",
				cli.PlatformDCT: "POST /dct/v3/vdbs/" + ref + "/snapshots"}[p.name]
			assert.Equal(t, []string{snapshot}, changes(e), "the one change is the snapshot the plan named")
			assert.NotEmpty(t, r.JSON(t)["snapshot"])
		})
	}
}
