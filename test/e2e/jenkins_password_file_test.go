package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// A generated password never lands in the Jenkins workspace: a passwordOutput
// inside it is refused before any account changes, by the library when the
// path says so (relative, or under WORKSPACE) and by the binary when only the
// agent can tell (a symlink); one outside the workspace still works.
func TestJenkinsRefusesAPasswordFileInTheWorkspace(t *testing.T) {
	e := enginetest.Start(t)
	before := accountsOf(t, e, "Patients Masked Master")["app_user"].PasswordSha256
	for name, tc := range map[string]struct {
		output func(ws string) string
		want   string
	}{
		"relative": {func(string) string { return "pw.out" },
			"delphixCredentials: passwordOutput 'pw.out' is inside the workspace"},
		"absolute inside": {func(ws string) string { return filepath.Join(ws, "secrets", "pw.out") },
			"is inside the workspace"},
		"through a symlink into the workspace": {func(ws string) string {
			link := filepath.Join(filepath.Dir(ws), "looks-outside")
			require.NoError(t, os.Symlink(ws, link))
			return filepath.Join(link, "pw.out")
		}, "is inside the Jenkins workspace"},
	} {
		t.Run(name, func(t *testing.T) {
			r := jenkinsCommand(t, e, workshopCredentials, "test/e2e/testdata/Jenkinsfile.password-file")
			require.NoError(t, os.MkdirAll(filepath.Join(r.workspace, "secrets"), 0o700))
			out := tc.output(r.workspace)
			r.cmd.Env = append(r.cmd.Env, "PASSWORD_OUTPUT="+out, "ACCOUNT_TOOL="+filepath.Join(binDir, "dx-example-accounts"))
			raw, err := r.cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "%s", raw)
			assert.Contains(t, string(raw), tc.want)
			assert.Contains(t, string(raw), "passwordCommand")
			assert.NoFileExists(t, filepath.Join(r.workspace, "pw.out"))
			assert.NoFileExists(t, filepath.Join(r.workspace, "secrets", "pw.out"))
			assert.Equal(t, before, accountsOf(t, e, "Patients Masked Master")["app_user"].PasswordSha256, "an account changed before the refusal")
		})
	}

	r := jenkinsCommand(t, e, workshopCredentials, "test/e2e/testdata/Jenkinsfile.password-file")
	out := filepath.Join(filepath.Dir(r.workspace), "vault", "pw.out")
	require.NoError(t, os.MkdirAll(filepath.Dir(out), 0o700))
	r.cmd.Env = append(r.cmd.Env, "PASSWORD_OUTPUT="+out, "ACCOUNT_TOOL="+filepath.Join(binDir, "dx-example-accounts"))
	raw, err := r.cmd.CombinedOutput()
	require.NoError(t, err, "%s", raw)
	kept, err := os.ReadFile(out)
	require.NoError(t, err)
	var generated map[string]string
	require.NoError(t, yaml.Unmarshal(kept, &generated))
	assert.Equal(t, sha(generated["app_user"]), accountsOf(t, e, "Patients Masked Master")["app_user"].PasswordSha256)
	assert.NotContains(t, string(raw), generated["app_user"])
}

// The binary alone, as Jenkins' sh step runs it (WORKSPACE set, the
// workspace current): a relative --password-output is refused with exit 2
// and an error file naming the command; without WORKSPACE it is written.
func TestCredentialsBinaryRefusesAPasswordFileInTheWorkspace(t *testing.T) {
	e := enginetest.Start(t)
	ws := t.TempDir()
	policy := writePolicy(t, "accounts:\n  - {name: app_user, action: reset}\n")
	errFile := filepath.Join(t.TempDir(), "error.json")
	r := step{t: t, e: e, bin: "dx-credentials", dir: ws, env: []string{"WORKSPACE=" + ws, "DXSTEPS_CALLER=jenkins"}, args: []string{
		"--vdb", "Patients Masked Master", "--policy", policy, "--exec", "dx-example-accounts", "--password-output", "pw.out", "--error-file", errFile}}.run()
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "key 'passwordOutput' pw.out is inside the Jenkins workspace")
	assert.NoFileExists(t, filepath.Join(ws, "pw.out"))
	report, err := os.ReadFile(errFile)
	require.NoError(t, err)
	assert.Contains(t, string(report), "give key 'passwordCommand' COMMAND")

	r = step{t: t, e: e, bin: "dx-credentials", dir: ws, args: []string{
		"--vdb", "Patients Masked Master", "--policy", policy, "--exec", "dx-example-accounts", "--password-output", "pw.out"}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.FileExists(t, filepath.Join(ws, "pw.out"))
}
