package credentials_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
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

// changes are the requests in e's log that could change something (steptest.Changes).
func changes(e *engine.Engine) []string { return st.Changes(e) }

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

// ourHooks are the names of the VDB's configure-clone hooks that dxsteps installed, and the
// reference (engine: of the virtual source) its hooks are set on.
func ourHooks(t *testing.T, e *engine.Engine, platform, vdb string) (names []string, on string) {
	t.Helper()
	var all []string
	if platform == cli.PlatformDCT {
		d := st.DCTClient(t, e, st.DCTAdmin)
		v, err := d.VDBs.FindByName(t.Context(), vdb)
		require.NoError(t, err)
		if v.Hooks != nil {
			for _, h := range v.Hooks.ConfigureClone {
				all = append(all, h.Name)
			}
		}
		on = v.ID
	} else {
		c := st.EngineClient(t, e)
		db, err := c.Databases.FindByName(t.Context(), vdb)
		require.NoError(t, err)
		sources, err := c.Sources.ListForDatabase(t.Context(), db.Reference)
		require.NoError(t, err)
		for _, src := range sources {
			if !src.Virtual {
				continue
			}
			on = src.Reference
			var hooks []struct{ Name string }
			if raw, ok := src.Operations["configureClone"]; ok && string(raw) != "null" {
				require.NoError(t, json.Unmarshal(raw, &hooks))
			}
			for _, h := range hooks {
				all = append(all, h.Name)
			}
		}
	}
	for _, n := range all {
		if name, ok := strings.CutPrefix(n, "dxsteps-credentials: "); ok {
			names = append(names, name)
		}
	}
	return names, on
}

// A plan of --install-hook makes no password, hands none to the password command and sets no
// hook; its one install action names the accounts and the hooks' program, never a password.
// The real run after it installs hooks for exactly those accounts, with one change to the
// VDB's hooks, and keeps the password the plan said it would.
func TestAnInstallHookPlanChangesNothingAndNamesWhatTheRealRunDoes(t *testing.T) {
	for _, p := range platforms {
		t.Run(p.name, func(t *testing.T) {
			e := st.Engine(t)
			dir := t.TempDir()
			store := filepath.Join(dir, "vault-store.sh")
			require.NoError(t, os.WriteFile(store, []byte("#!/bin/sh\necho \"$DX_ACCOUNT\" >> "+dir+"/stored\n"), 0o700))
			text := "accounts:\n  - {name: app_user, action: reset}\n  - {name: dba_alice, action: drop}\n"
			accounts := "app_user, dba_alice"
			if p.name == cli.PlatformDCT { // DCT's hooks carry no password: no reset there
				text, accounts = "accounts:\n  - {name: report_ro, action: lock}\n  - {name: dba_alice, action: drop}\n", "report_ro, dba_alice"
			}
			args := []string{"--vdb", "Patients Masked Master", "--policy", policy(t, text), "--install-hook",
				"--hook-command", "/opt/dx/apply-account.sh --verbose", "--password-command", store}
			ref := vdbRef(t, e, p.name, "Patients Masked Master")

			e.ClearRequests()
			r := p.run(t, e, nil, append(args, "--dry-run")...)
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Empty(t, changes(e), "a plan sends nothing that changes anything")
			assert.NoFileExists(t, filepath.Join(dir, "stored"), "no password was handed to the command")
			mine, on := ourHooks(t, e, p.name, "Patients Masked Master")
			assert.Empty(t, mine, "no hook was installed")
			out := r.JSON(t)
			assert.Equal(t, "hook", out["mode"])
			want := []cli.Action{{Action: "install", Object: "configure-clone hooks of VDB", Name: "Patients Masked Master", Reference: ref,
				Parameters: map[string]string{"accounts": accounts, "command": "apply-account.sh", "keeps": "0 other hooks"}}}
			if p.name == cli.PlatformEngine {
				want = append(want, cli.Action{Action: "keep", Object: "generated password", Name: "app_user",
					Parameters: map[string]string{"command": "vault-store.sh"}})
			}
			assert.Equal(t, want, plan(t, r))

			e.ClearRequests()
			r = p.run(t, e, nil, args...)
			require.Equal(t, 0, r.Code, r.Stderr)
			mine, _ = ourHooks(t, e, p.name, "Patients Masked Master")
			assert.Equal(t, strings.Split(accounts, ", "), mine, "hooks for the accounts the plan named")
			set := map[string]string{cli.PlatformEngine: "POST /resources/json/delphix/source/" + on,
				cli.PlatformDCT: "PATCH /dct/v3/vdbs/" + on}[p.name]
			assert.Equal(t, []string{set}, changes(e), "the one change is the hook install the plan named")
			if p.name == cli.PlatformEngine {
				stored, err := os.ReadFile(filepath.Join(dir, "stored"))
				require.NoError(t, err)
				assert.Equal(t, "app_user\n", string(stored))
			}
		})
	}
}

// A precondition a real run fails on fails the plan the same way, with the same exit code and
// error line, before anything changes: a dSource, a name no VDB has, a password file in the
// Jenkins workspace, a reset hook on DCT (no credentials there) or below engine API 1.11.
func TestAPlanFailsAFailedPreconditionAsTheRealRunDoes(t *testing.T) {
	ws := t.TempDir()
	drop := policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	reset := policy(t, "accounts:\n  - {name: app_user, action: reset}\n")
	cases := []struct {
		name, only string
		env        []string
		args       []string
		want       string
	}{
		{"a dSource", "", nil, []string{"--vdb", "Patients Prod", "--policy", drop, "--exec", "true"}, "is a dSource"},
		{"no such VDB", "", nil, []string{"--vdb", "prep1 D", "--policy", drop, "--exec", "true"}, `"prep1 D"`},
		{"password file in the workspace", "", []string{"WORKSPACE=" + ws},
			[]string{"--vdb", "Patients Masked Master", "--policy", reset, "--exec", "true", "--password-output", filepath.Join(ws, "pw")},
			"is inside the Jenkins workspace"},
		{"a reset hook on DCT", cli.PlatformDCT, nil,
			[]string{"--vdb", "Patients Masked Master", "--policy", reset, "--install-hook", "--hook-command", "x.sh", "--password-command", "true"},
			"cannot do on DCT"},
	}
	for _, p := range platforms {
		for _, tc := range cases {
			if tc.only != "" && tc.only != p.name {
				continue
			}
			t.Run(p.name+"/"+tc.name, func(t *testing.T) {
				e := st.Engine(t)
				e.ClearRequests()
				planned := p.run(t, e, tc.env, append(tc.args, "--dry-run")...)
				assert.Empty(t, changes(e))
				real := p.run(t, e, tc.env, tc.args...)
				assert.Equal(t, 2, real.Code, real.Stderr)
				assert.Contains(t, real.Stderr, tc.want)
				assert.Equal(t, real.Code, planned.Code, planned.Stderr)
				assert.Equal(t, real.Stderr, planned.Stderr)
				assert.Empty(t, changes(e), "nothing changed in either")
			})
		}
	}
	t.Run("engine/a reset hook below API 1.11", func(t *testing.T) {
		e := enginetest.Start(t, engine.Options{APIVersion: "1.10.6"})
		args := []string{"--vdb", "Patients Masked Master", "--policy", reset, "--install-hook", "--hook-command", "x.sh", "--password-command", "true"}
		e.ClearRequests()
		planned := st.Run(t, credentials.Step, e, nil, append(args, "--dry-run")...)
		real := st.Run(t, credentials.Step, e, nil, args...)
		assert.Equal(t, 2, real.Code, real.Stderr)
		assert.Contains(t, real.Stderr, "needs API 1.11")
		assert.Equal(t, real.Code, planned.Code)
		assert.Equal(t, real.Stderr, planned.Stderr)
		assert.Empty(t, changes(e))
	})
}

// Someone else's job running on the VDB: the plan notes it as a wait (it waits for nothing),
// and the real run after it waits for that job before the accounts change, then snapshots.
func TestAPlanNotesSomeoneElsesJobOnTheVDBThatTheRealRunWaitsFor(t *testing.T) {
	for _, p := range platforms {
		t.Run(p.name, func(t *testing.T) {
			e := st.Engine(t)
			ref := vdbRef(t, e, p.name, "Patients Masked Master")
			// A busy fault starts someone else's job on the VDB, here for 3 s (1500 s at speed 0.002).
			require.NoError(t, e.InjectHTTPError(engine.HTTPFault{Kind: "busy", Method: "POST", PathSuffix: "/" + ref + "/sync", Delay: 1_500_000}))
			c := st.EngineClient(t, e)
			db, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
			require.NoError(t, err)
			_, err = c.Databases.Sync(t.Context(), db)
			require.Error(t, err, "refused: someone else's job now runs on the VDB")
			running := func() []string {
				if p.name == cli.PlatformDCT {
					jobs, err := st.DCTClient(t, e, st.DCTAdmin).Jobs.Active(t.Context(), ref)
					require.NoError(t, err)
					var ids []string
					for _, j := range jobs {
						ids = append(ids, j.ID)
					}
					return ids
				}
				jobs, err := c.Jobs.List(t.Context(), delphix.JobListOptions{State: delphix.JobRunning, Target: ref})
				require.NoError(t, err)
				var refs []string
				for _, j := range jobs {
					refs = append(refs, j.Reference)
				}
				return refs
			}
			busy := running()
			require.Len(t, busy, 1)

			dir := t.TempDir()
			args := []string{"--vdb", "Patients Masked Master", "--policy", policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n"),
				"--exec", `echo "$DX_ACCOUNT" >> ` + dir + "/ran"}
			e.ClearRequests()
			r := p.run(t, e, nil, append(args, "--dry-run")...)
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Empty(t, changes(e))
			actions := plan(t, r)
			require.Len(t, actions, 3, "%v", actions)
			assert.Equal(t, "wait", actions[0].Action)
			assert.Equal(t, busy[0], actions[0].Reference, "the job the plan would wait for")
			assert.Equal(t, `VDB "Patients Masked Master"`, actions[0].Parameters["on"])
			assert.Equal(t, []string{"run", "snapshot"}, []string{actions[1].Action, actions[2].Action})
			assert.Contains(t, r.Stderr, "a real run waits for it to end")
			assert.Equal(t, busy, running(), "the plan waited for nothing: the job still runs")

			r = p.run(t, e, nil, args...)
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Contains(t, r.Stderr, "is busy with job "+busy[0])
			assert.Empty(t, running(), "the real run waited for the job to end")
			assert.FileExists(t, filepath.Join(dir, "ran"))
			assert.NotEmpty(t, r.JSON(t)["snapshot"])
		})
	}
}
