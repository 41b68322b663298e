package credentials_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On DCT the tool gets the connection details DCT shows of the VDB; the one DCT does not
// give (the database user) stays unset, and the API key never reaches it.
func TestOnDCTExecRunsTheToolWithTheConnectionDCTShows(t *testing.T) {
	e := st.Engine(t)
	dir := t.TempDir()
	p := policy(t, "accounts:\n  - {name: report_ro, action: reset, password: 'env:RO_PW'}\n  - {name: app_user, action: reset}\n")
	tool := `{ echo "$DX_ACTION $DX_NEW_PASSWORD"; echo "host=$DX_DB_HOST port=$DX_DB_PORT name=$DX_DB_NAME platform=$DX_DB_PLATFORM"; ` +
		`echo "user=${DX_DB_USER-unset} key=${DELPHIX_API_KEY-unset} platform=$DELPHIX_PLATFORM"; } > ` + dir + `/"$DX_ACCOUNT"`
	pwFile := filepath.Join(t.TempDir(), "pw.yaml")
	env := append(st.DCTSpecEnv(t, e), "RO_PW=from-injected-env")
	r := st.RunDCT(t, credentials.Step, e, st.DCTAdmin, env, "--vdb", "Patients Masked Master", "--policy", p, "--exec", tool, "--password-output", pwFile)
	require.Equal(t, 0, r.Code, r.Stderr)
	out := r.JSON(t)
	assert.Equal(t, "exec", out["mode"])
	assert.Equal(t, "now", out["appliesAt"])
	ro, err := os.ReadFile(filepath.Join(dir, "report_ro"))
	require.NoError(t, err)
	assert.Equal(t, "reset from-injected-env\nhost=target-db.workshop.local port=5433 name=patients_master platform=postgres\n"+
		"user=unset key=unset platform=dct\n", string(ro))
	saved, err := os.ReadFile(pwFile)
	require.NoError(t, err)
	pw := strings.Trim(strings.TrimPrefix(strings.TrimSpace(string(saved)), "app_user: "), `"`)
	require.Len(t, pw, 24)
	app, err := os.ReadFile(filepath.Join(dir, "app_user"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(app), "reset "+pw+"\n"), "the tool got the generated password")
	for _, secret := range []string{pw, "from-injected-env", engine.DCTKey(1, "delphix_admin")} {
		assert.NotContains(t, r.Stdout+r.Stderr, secret)
	}
}

func configureClone(t *testing.T, c *dct.Client, vdbID string) []dct.Hook {
	t.Helper()
	v, err := c.VDBs.Get(t.Context(), vdbID)
	require.NoError(t, err)
	require.NotNil(t, v.Hooks)
	return v.Hooks.ConfigureClone
}

// Hooks go in with PATCH /vdbs/{id}: the user's own hook stays, a rerun replaces ours, and
// an account the policy no longer has loses its hook, whether DCT replaces hook lists or
// merges into them.
func TestOnDCTInstallHookKeepsOtherHooksAndReplacesOursOnRerun(t *testing.T) {
	for _, merge := range []bool{false, true} {
		t.Run(map[bool]string{false: "replace", true: "merge"}[merge], func(t *testing.T) {
			e := enginetest.Start(t, engine.Options{DCT: engine.DCTOptions{MergeHooks: merge}})
			spec := st.DCTSpecEnv(t, e)
			c := st.DCTClient(t, e, st.DCTAdmin)
			master, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
			require.NoError(t, err)
			j, err := c.VDBs.SetHooks(t.Context(), master.ID, dct.Hooks{ConfigureClone: []dct.Hook{{Name: "notify", Command: "echo refreshed", Shell: "bash"}}})
			require.NoError(t, err)
			_, err = c.Jobs.Wait(t.Context(), j.ID, nil)
			require.NoError(t, err)

			install := func(text string) {
				t.Helper()
				r := st.RunDCT(t, credentials.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Masked Master", "--policy", policy(t, text),
					"--install-hook", "--hook-command", "/opt/dx/apply-account.sh")
				require.Equal(t, 0, r.Code, r.Stderr)
				assert.Equal(t, "hook", r.JSON(t)["mode"])
			}
			active := func() (mine []string, others []dct.Hook) {
				for _, h := range configureClone(t, c, master.ID) {
					switch {
					case h.Name == "dxsteps-credentials: (no longer in the policy)":
						assert.Equal(t, "true", h.Command)
					case strings.HasPrefix(h.Name, "dxsteps-credentials: "):
						mine = append(mine, strings.TrimPrefix(h.Name, "dxsteps-credentials: "))
						assert.Contains(t, h.Command, "/opt/dx/apply-account.sh")
						assert.Contains(t, h.Command, "DX_DB_HOST='target-db.workshop.local'")
					default:
						others = append(others, h)
					}
				}
				return mine, others
			}

			install("accounts:\n  - {name: report_ro, action: lock}\n  - {name: dba_alice, action: drop}\n")
			mine, others := active()
			assert.Equal(t, []string{"report_ro", "dba_alice"}, mine)
			require.Len(t, others, 1)
			assert.Equal(t, "notify", others[0].Name)
			assert.Equal(t, "echo refreshed", others[0].Command)

			install("accounts:\n  - {name: report_ro, action: lock}\n  - {name: dba_alice, action: drop}\n")
			mine, others = active()
			assert.Equal(t, []string{"report_ro", "dba_alice"}, mine, "a rerun replaces ours")
			assert.Len(t, others, 1)

			// A plan of the smaller policy changes no hook and says what a merging DCT would make it do.
			e.ClearRequests()
			r := st.RunDCT(t, credentials.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Masked Master",
				"--policy", policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n"), "--install-hook", "--hook-command", "/opt/dx/apply-account.sh", "--dry-run")
			require.Equal(t, 0, r.Code, r.Stderr)
			assert.Empty(t, changes(e))
			assert.Len(t, plan(t, r), 1, "the install")
			assert.Contains(t, r.Stderr, "where DCT merges hook lists, a real run then turns the hooks of ours that no account uses any more (1) into no-ops")
			mine, _ = active()
			assert.Equal(t, []string{"report_ro", "dba_alice"}, mine, "the plan changed no hook")

			install("accounts:\n  - {name: dba_alice, action: drop}\n")
			mine, others = active()
			assert.Equal(t, []string{"dba_alice"}, mine, "report_ro's hook is gone")
			assert.Len(t, others, 1)
			retired := 0
			for _, h := range configureClone(t, c, master.ID) {
				if h.Name == "dxsteps-credentials: (no longer in the policy)" {
					retired++
				}
			}
			assert.Equal(t, map[bool]int{false: 0, true: 1}[merge], retired, "only a merging DCT keeps a slot, as a no-op")
			for _, h := range configureClone(t, c, master.ID) {
				if strings.HasPrefix(h.Name, "dxsteps-credentials: dba_alice") {
					assert.Contains(t, h.Command, "DX_ACTION='drop'")
				}
			}

			install("accounts:\n  - {name: report_ro, action: lock}\n  - {name: dba_alice, action: drop}\n  - {name: app_user, action: lock}\n")
			mine, others = active()
			assert.ElementsMatch(t, []string{"report_ro", "dba_alice", "app_user"}, mine)
			assert.Len(t, others, 1)
		})
	}
}

func TestOnDCTAHookCannotResetAPassword(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: report_ro, action: reset, password: 'env:RO_PW'}\n")
	r := st.RunDCT(t, credentials.Step, e, st.DCTAdmin, []string{"RO_PW=never-in-a-hook"}, "--vdb", "Patients Masked Master",
		"--policy", p, "--install-hook", "--hook-command", "x.sh")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `account "report_ro" resets a password, which --install-hook cannot do on DCT`)
	c := st.DCTClient(t, e, st.DCTAdmin)
	v, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	assert.Empty(t, configureClone(t, c, v.ID), "no hook was installed")
}

func TestOnDCTWrongNamesAndDSourcesAreRefused(t *testing.T) {
	e := st.Engine(t)
	spec := st.DCTSpecEnv(t, e)
	p := policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	r := st.RunDCT(t, credentials.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Prod", "--policy", p, "--exec", "true")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "is a dSource")
	r = st.RunDCT(t, credentials.Step, e, st.DCTAdmin, spec, "--vdb", "prep1 D", "--policy", p, "--exec", "true")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `no VDB is named "prep1 D"; closest: "prep1 DB"`)
}
