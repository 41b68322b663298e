package credentials_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func policy(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "accounts.yaml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
	return p
}

// The policy's env:NAME password comes from the step's environment as
// given (injected here), and the tool gets it as DX_NEW_PASSWORD.
func TestExecRunsTheToolOncePerAccount(t *testing.T) {
	e := st.Engine(t)
	dir := t.TempDir()
	p := policy(t, "accounts:\n  - {name: report_ro, action: reset, password: 'env:RO_PW'}\n  - {name: dba_alice, action: drop}\n")
	tool := `echo "$DX_ACTION $DX_NEW_PASSWORD" > ` + dir + `/"$DX_ACCOUNT"`
	r := st.Run(t, credentials.Step, e, []string{"RO_PW=from-injected-env"}, "--vdb", "Patients Masked Master", "--policy", p, "--exec", tool)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "exec", r.JSON(t)["mode"])
	ro, err := os.ReadFile(filepath.Join(dir, "report_ro"))
	require.NoError(t, err)
	assert.Equal(t, "reset from-injected-env\n", string(ro))
	alice, err := os.ReadFile(filepath.Join(dir, "dba_alice"))
	require.NoError(t, err)
	assert.Equal(t, "drop \n", string(alice))
}

func TestGeneratedPasswordsGoOnlyToThePasswordOutput(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: app_user, action: reset}\n")
	r := st.Run(t, credentials.Step, e, nil, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, `account "app_user" gets a generated password: give --password-command COMMAND (stores it in your vault) or --password-output FILE to keep it`)
	out := filepath.Join(t.TempDir(), "pw.yaml")
	r = st.Run(t, credentials.Step, e, nil, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true", "--password-output", out)
	require.Equal(t, 0, r.Code, r.Stderr)
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	saved, err := os.ReadFile(out)
	require.NoError(t, err)
	pw := strings.Trim(strings.TrimPrefix(strings.TrimSpace(string(saved)), "app_user: "), `"`)
	assert.Len(t, pw, 24)
	assert.NotContains(t, r.Stdout+r.Stderr, pw)
}

func TestADSourceIsNeverTouched(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	r := st.Run(t, credentials.Step, e, nil, "--vdb", "Patients Prod", "--policy", p, "--exec", "true")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "is a dSource")
}

// The library used to be alone in refusing hookCommand without
// installHook; the binary's rules now say it, once.
func TestRulesBetweenKeys(t *testing.T) {
	p := policy(t, "accounts:\n  - {name: dba_alice, action: drop}\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--policy", p, "--exec", "true"}, "--vdb is required"},
		{[]string{"--vdb", "V", "--policy", p}, "give exactly one of --exec and --install-hook"},
		{[]string{"--vdb", "V", "--policy", p, "--exec", "x", "--install-hook", "--hook-command", "h"}, "give exactly one of --exec and --install-hook"},
		{[]string{"--vdb", "V", "--policy", p, "--install-hook"}, "--install-hook needs --hook-command"},
		{[]string{"--vdb", "V", "--policy", p, "--exec", "x", "--hook-command", "h"}, "--hook-command needs --install-hook"},
	} {
		r := st.Run(t, credentials.Step, nil, nil, tc.args...)
		assert.Equal(t, 2, r.Code, "%v", tc.args)
		assert.Contains(t, r.Stderr, tc.want)
	}
	r := st.Run(t, credentials.Step, nil, []string{"DXSTEPS_CALLER=jenkins"}, "--vdb", "V", "--policy", p, "--exec", "x", "--hook-command", "h")
	assert.Equal(t, "dx-credentials: error: key 'hookCommand' needs key 'installHook'\n", r.Stderr)
}

func TestAPolicyProblemNamesThePolicyKeyInsideJenkins(t *testing.T) {
	p := policy(t, "accounts:\n  - {name: a, action: lock, password: generate}\n")
	r := st.Run(t, credentials.Step, nil, []string{"DXSTEPS_CALLER=jenkins"}, "--vdb", "V", "--policy", p, "--exec", "x")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "error: key 'policy' "+p+`: account "a": a password goes only with action reset`)
	r = st.Run(t, credentials.Step, nil, nil, "--vdb", "V", "--policy", p, "--exec", "x")
	assert.Contains(t, r.Stderr, "error: --policy "+p+`: account "a"`)
}

func TestAFailingToolStopsAndSaysWhatWasDoneBeforeIt(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: first, action: lock}\n  - {name: second, action: drop}\n")
	r := st.Run(t, credentials.Step, e, nil, "--vdb", "Patients Masked Master", "--policy", p, "--exec", `test "$DX_ACCOUNT" = first`)
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.Stderr, `account "second" (drop) on "Patients Masked Master": the tool (--exec) exited 1; done before it: [first]`)
	assert.Empty(t, r.Stdout)
}

// A mistyped policy key is one line naming the policy file, the key and the
// key meant, and nothing is asked of the engine.
func TestAPolicyTypoIsOneLineWithTheKeyMeant(t *testing.T) {
	e := st.Engine(t)
	for text, want := range map[string]string{
		"accounts:\n  - {name: a, actoin: drop}\n":                      `line 2: unknown key "actoin" in account 1; did you mean "action"?`,
		"acounts:\n  - {name: a, action: drop}\n":                       `line 1: unknown key "acounts"; did you mean "accounts"?`,
		"accounts:\n  - {name: a, action: drop}\n  - {nmae: b}\n":       `line 3: unknown key "nmae" in account 2; did you mean "name"?`,
		"accounts:\n  - {name: a, action: reset, passwrod: generate}\n": `line 2: unknown key "passwrod" in account 1; did you mean "password"?`,
		"accounts:\n  - {name: a, action: drop, owner: me}\n":           `line 2: unknown key "owner" in account 1; the keys are name, action, password`,
		"accounts: {name: a}\n":                                         `line 1: key "accounts" takes a list, not a map`,
		"accounts: [x, y]\n":                                            `line 1: account 1 takes a map of keys (name, action, password), not "x"`,
		"accounts:\n  - {name: [a, b], action: drop}\n":                 `line 2: key "name" in account 1 takes one value, not a list`,
		"accounts:\n  - name: a\n    action: drop\n    name: b\n":       `line 4: key "name" in account 1 is given twice (first on line 2)`,
		"accounts:\n\t- {name: a, action: drop}\n":                      `line 2: found character that cannot start any token; YAML indents with spaces, not tabs`,
	} {
		p := policy(t, text)
		e.ClearRequests()
		r := st.Run(t, credentials.Step, e, nil, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true")
		assert.Equal(t, 2, r.Code, text)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %s", r.Stderr)
		assert.Contains(t, r.Stderr, "error: --policy "+p+": "+want, text)
		assert.NotContains(t, r.Stderr, "credentials.", "no Go type names")
		assert.Empty(t, e.Requests(), "nothing is asked of the engine")
	}
}
