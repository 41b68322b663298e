package credentials_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// In Jenkins (WORKSPACE set) a password file that would land in the
// workspace is refused before anything changes, however the path reaches
// it; one beside the workspace ($WORKSPACE_TMP) is written as before.
func TestAPasswordOutputInsideTheJenkinsWorkspaceIsRefused(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: app_user, action: reset}\n")
	root := t.TempDir()
	ws := filepath.Join(root, "job")
	require.NoError(t, os.MkdirAll(filepath.Join(ws, "sub"), 0o700))
	require.NoError(t, os.MkdirAll(ws+"@tmp", 0o700))
	link := filepath.Join(root, "elsewhere")
	require.NoError(t, os.Symlink(filepath.Join(ws, "sub"), link))
	wd, err := os.Getwd()
	require.NoError(t, err)
	wsLink := filepath.Join(root, "job-link") // the workspace itself named through a link
	require.NoError(t, os.Symlink(ws, wsLink))
	marker := filepath.Join(root, "tool-ran")
	tool := "touch " + marker

	for name, tc := range map[string]struct{ workspace, output string }{
		"relative":                       {wd, "pw.out"},
		"relative with dot-dot":          {wd, "../credentials/pw.out"},
		"absolute":                       {ws, filepath.Join(ws, "pw.out")},
		"absolute, deeper":               {ws, filepath.Join(ws, "sub", "pw.out")},
		"through a symlinked directory":  {ws, filepath.Join(link, "pw.out")},
		"out through a link, back in":    {ws, link + "/../pw.out"},
		"workspace named through a link": {wsLink, filepath.Join(ws, "pw.out")},
	} {
		t.Run(name, func(t *testing.T) {
			r := st.Run(t, credentials.Step, e, []string{"WORKSPACE=" + tc.workspace}, "--vdb", "Patients Masked Master", "--policy", p,
				"--exec", tool, "--password-output", tc.output)
			assert.Equal(t, 2, r.Code, r.Stderr)
			assert.Contains(t, r.Stderr, "--password-output "+tc.output+" is inside the Jenkins workspace")
			assert.Contains(t, r.Stderr, "give --password-command COMMAND to keep generated passwords in your vault")
			assert.NoFileExists(t, marker, "the tool ran: an account changed before the refusal")
			assert.NoFileExists(t, filepath.Join(ws, "pw.out"))
			assert.NoFileExists(t, filepath.Join(ws, "sub", "pw.out"))
			assert.NoFileExists(t, filepath.Join(wd, "pw.out"))
		})
	}

	r := st.Run(t, credentials.Step, e, []string{"WORKSPACE=" + ws, "DXSTEPS_CALLER=jenkins"}, "--vdb", "Patients Masked Master", "--policy", p,
		"--exec", tool, "--password-output", filepath.Join(ws, "pw.out"))
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "error: key 'passwordOutput' "+filepath.Join(ws, "pw.out")+" is inside the Jenkins workspace")
	assert.Contains(t, r.Stderr, "give key 'passwordCommand' COMMAND")

	// A symlink at the file's own name, pointing into the workspace, is refused too.
	fileLink := filepath.Join(ws+"@tmp", "pw-link")
	require.NoError(t, os.Symlink(filepath.Join(ws, "pw.out"), fileLink))
	r = st.Run(t, credentials.Step, e, []string{"WORKSPACE=" + ws}, "--vdb", "Patients Masked Master", "--policy", p,
		"--exec", tool, "--password-output", fileLink)
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.NoFileExists(t, marker)

	for _, out := range []string{filepath.Join(ws+"@tmp", "pw.out"), filepath.Join(root, "pw.out")} {
		r = st.Run(t, credentials.Step, e, []string{"WORKSPACE=" + ws}, "--vdb", "Patients Masked Master", "--policy", p,
			"--exec", "true", "--password-output", out)
		require.Equal(t, 0, r.Code, r.Stderr)
		info, err := os.Stat(out)
		require.NoError(t, err, out)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	}
}

// Outside Jenkins there is no workspace to protect: the file goes where the
// user says, a relative path included.
func TestWithoutAWorkspaceThePasswordOutputGoesWhereTold(t *testing.T) {
	e := st.Engine(t)
	p := policy(t, "accounts:\n  - {name: app_user, action: reset}\n")
	out := filepath.Join(t.TempDir(), "pw.out")
	r := st.Run(t, credentials.Step, e, nil, "--vdb", "Patients Masked Master", "--policy", p, "--exec", "true", "--password-output", out)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.FileExists(t, out)
}

// A directory that cannot be resolved cannot be shown to be outside the
// workspace: refused, naming the command as the way to keep passwords.
func TestAPasswordOutputWhoseDirectoryIsMissingIsRefusedInJenkins(t *testing.T) {
	ws := t.TempDir()
	p := policy(t, "accounts:\n  - {name: app_user, action: reset}\n")
	r := st.Run(t, credentials.Step, nil, []string{"WORKSPACE=" + ws}, "--vdb", "V", "--policy", p, "--exec", "true",
		"--password-output", filepath.Join(t.TempDir(), "missing", "pw.out"))
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "cannot make sure it is outside the Jenkins workspace: give --password-command COMMAND")
}

// On DCT the same file is refused the same way, before the VDB is looked up.
func TestAPasswordOutputInsideTheJenkinsWorkspaceIsRefusedOnDCT(t *testing.T) {
	e := st.Engine(t)
	ws := t.TempDir()
	p := policy(t, "accounts:\n  - {name: app_user, action: reset}\n")
	marker := filepath.Join(t.TempDir(), "tool-ran")
	r := st.RunDCT(t, credentials.Step, e, st.DCTAdmin, []string{"WORKSPACE=" + ws}, "--vdb", "Patients Masked Master", "--policy", p,
		"--exec", "touch "+marker, "--password-output", filepath.Join(ws, "pw.out"))
	assert.Equal(t, 2, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "is inside the Jenkins workspace")
	assert.NoFileExists(t, marker)
	outside := filepath.Join(t.TempDir(), "pw.out")
	r = st.RunDCT(t, credentials.Step, e, st.DCTAdmin, []string{"WORKSPACE=" + ws}, "--vdb", "Patients Masked Master", "--policy", p,
		"--exec", "true", "--password-output", outside)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.FileExists(t, outside)
}
