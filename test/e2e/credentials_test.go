package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func writePolicy(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "policy.yaml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func accountsOf(t *testing.T, e *engine.Engine, name string) map[string]engine.Account {
	t.Helper()
	d, _ := e.Dataset(name)
	out := map[string]engine.Account{}
	for _, a := range d.Contents.Accounts {
		out[a.Name] = a
	}
	return out
}

func TestCredentialsHookRepeatsThePolicyOnEveryRefresh(t *testing.T) {
	e := enginetest.Start(t)
	pwFile := filepath.Join(t.TempDir(), "pw.yaml")
	r := step{t: t, e: e, bin: "dx-credentials", env: []string{"REPORT_RO_PASSWORD=report-hook-pw"}, args: []string{
		"--vdb", "Patients Masked Master", "--policy", writePolicy(t, policy), "--install-hook",
		"--hook-command", filepath.Join(binDir, "dx-example-accounts"), "--password-output", pwFile}}.run()
	out := ok(t, r)
	assert.Equal(t, "hook", out["mode"])
	assert.Equal(t, "next refresh", out["appliesAt"])
	raw, err := os.ReadFile(pwFile)
	require.NoError(t, err)
	var generated map[string]string
	require.NoError(t, yaml.Unmarshal(raw, &generated))

	// Nothing changes until the next refresh, which runs the hooks.
	assert.Equal(t, "active", accountsOf(t, e, "Patients Masked Master")["dba_alice"].State)
	for range 2 {
		ok(t, run(t, e, "dx-refresh", "--vdb", "Patients Masked Master"))
		accounts := accountsOf(t, e, "Patients Masked Master")
		assert.Equal(t, sha(generated["app_user"]), accounts["app_user"].PasswordSha256)
		assert.Equal(t, sha("report-hook-pw"), accounts["report_ro"].PasswordSha256)
		assert.Equal(t, "dropped", accounts["dba_alice"].State)
	}
	// The engine keeps the secrets; the request log, like every output, has none.
	for _, req := range e.Requests() {
		assert.NotContains(t, string(req.Body), "report-hook-pw")
	}

	// A rerun replaces dxsteps' hooks instead of adding more.
	r = step{t: t, e: e, bin: "dx-credentials", env: []string{"REPORT_RO_PASSWORD=report-hook-pw"}, args: []string{
		"--vdb", "Patients Masked Master", "--policy", writePolicy(t, policy), "--install-hook",
		"--hook-command", filepath.Join(binDir, "dx-example-accounts"), "--password-output", pwFile}}.run()
	ok(t, r)
	ok(t, run(t, e, "dx-refresh", "--vdb", "Patients Masked Master"))
}

func TestCredentialsHookNeedsAPI111ForPasswords(t *testing.T) {
	e := enginetest.Start(t, engine.Options{APIVersion: "1.10.6"})
	r := step{t: t, e: e, bin: "dx-credentials", env: []string{"REPORT_RO_PASSWORD=x"}, args: []string{
		"--vdb", "Patients Masked Master", "--policy", writePolicy(t, policy), "--install-hook",
		"--hook-command", "reset-account", "--password-output", filepath.Join(t.TempDir(), "pw")}}.run()
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "needs API 1.11")
}

func TestBadPolicyIsRefusedBeforeAnythingIsDone(t *testing.T) {
	e := enginetest.Start(t)
	for name, tc := range map[string]struct{ policy, want string }{
		"unknown key":     {"accounts:\n  - name: a\n    action: reset\n    pasword: generate\n", `line 4: unknown key "pasword" in account 1; did you mean "password"?`},
		"unknown action":  {"accounts:\n  - name: a\n    action: rename\n", `action "rename" must be reset, lock or drop`},
		"missing env":     {"accounts:\n  - name: a\n    action: reset\n    password: env:NOT_SET_ANYWHERE\n", "NOT_SET_ANYWHERE, which is not set"},
		"twice":           {"accounts:\n  - {name: a, action: drop}\n  - {name: a, action: lock}\n", "listed twice"},
		"no output file":  {"accounts:\n  - {name: a, action: reset}\n", "--password-output"},
		"password w/lock": {"accounts:\n  - {name: a, action: lock, password: generate}\n", "only with action reset"},
	} {
		t.Run(name, func(t *testing.T) {
			e.ClearRequests()
			marker := filepath.Join(t.TempDir(), "ran")
			r := run(t, e, "dx-credentials", "--vdb", "Patients Masked Master", "--policy", writePolicy(t, tc.policy), "--exec", "touch "+marker)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, tc.want)
			assert.NoFileExists(t, marker)
			assert.Empty(t, e.Requests(), "the engine was not even asked")
		})
	}
}

func TestCredentialsRefuseADSource(t *testing.T) {
	e := enginetest.Start(t)
	r := run(t, e, "dx-credentials", "--vdb", "Patients Prod", "--policy", writePolicy(t, "accounts:\n  - {name: dba_alice, action: drop}\n"), "--exec", "true")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "VDBs only, never on production")
}

func TestToolsNeverSeeTheEnginePassword(t *testing.T) {
	e := enginetest.Start(t)
	seen := filepath.Join(t.TempDir(), "env")
	r := step{t: t, e: e, bin: "dx-subset", env: []string{"DX_SUBSET_PERCENT=99", "MY_TOOL_HOME=/opt/tool"},
		args: []string{"--container", "prep1", "--percent", "10", "--exec", "env > " + seen}}.run()
	ok(t, r)
	raw, err := os.ReadFile(seen)
	require.NoError(t, err)
	env := string(raw)
	assert.NotContains(t, env, "DELPHIX_PASSWORD")
	assert.NotContains(t, env, adminPassword)
	assert.Contains(t, env, "DX_SUBSET_PERCENT=10\n", "the step's own value wins")
	assert.Contains(t, env, "MY_TOOL_HOME=/opt/tool", "the tool's own settings pass through")
	assert.Contains(t, env, "DX_DB_NAME=prep1")
}

func TestGeneratedPasswordsGoToTheUsersCommandAndNowhereElse(t *testing.T) {
	e := enginetest.Start(t)
	dir := t.TempDir()
	vault := filepath.Join(t.TempDir(), "vault")
	policy := writePolicy(t, "accounts:\n  - {name: app_user, action: reset, password: generate}\n  - {name: dba_alice, action: drop}\n")
	store := `printf '%s %s %s\n' "$DX_VDB" "$DX_ACCOUNT" "$DX_NEW_PASSWORD" >>` + vault
	r := step{t: t, e: e, bin: "dx-credentials", dir: dir,
		args: []string{"--vdb", "Patients Masked Master", "--policy", policy, "--exec", "dx-example-accounts", "--password-command", store}}.run()
	ok(t, r)
	raw, err := os.ReadFile(vault)
	require.NoError(t, err)
	fields := strings.Fields(string(raw))
	require.Len(t, fields, 5, "one line: the VDB (3 words), the account, the password")
	assert.Equal(t, "app_user", fields[3])
	assert.Equal(t, sha(fields[4]), accountsOf(t, e, "Patients Masked Master")["app_user"].PasswordSha256)
	assert.NotContains(t, r.stdout+r.stderr, fields[4])
	left, _ := os.ReadDir(dir)
	assert.Empty(t, left, "nothing written where the step ran")

	r = step{t: t, e: e, bin: "dx-credentials",
		args: []string{"--vdb", "Patients Masked Master", "--policy", policy, "--exec", "dx-example-accounts"}}.run()
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "give --password-command COMMAND")

	r = step{t: t, e: e, bin: "dx-credentials",
		args: []string{"--vdb", "Patients Masked Master", "--policy", policy, "--exec", "dx-example-accounts", "--password-command", "exit 7"}}.run()
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "its password is reset but not kept")
}
