package steps_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	"github.com/dxsteps/dxsteps/internal/steps/dbsync"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/testbin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// bin holds the example account tool, built once for the package.
var bin string

func TestMain(m *testing.M) { os.Exit(testbin.Main(m, &bin, "./test/tools/dx-example-accounts")) }

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestOnDCTSyncRefreshAndCredentialsChain runs the pipeline's first three stages on DCT, in
// order: the master ends up with the synced snapshot's data, masked, its accounts as the
// policy says; every request is one the DCT spec allows.
func TestOnDCTSyncRefreshAndCredentialsChain(t *testing.T) {
	e := st.Engine(t)
	spec := st.DCTSpecEnv(t, e)
	require.NoError(t, e.ChangeProd("Patients Prod"))
	prod, _ := e.Dataset("Patients Prod")

	r := st.RunDCT(t, dbsync.Step, e, st.DCTAdmin, spec, "--database", "Patients Prod")
	require.Equal(t, 0, r.Code, r.Stderr)
	snapshot := r.JSON(t)["snapshot"].(string)
	require.NoError(t, e.ChangeProd("Patients Prod"), "after the sync: must not reach the master")

	r = st.RunDCT(t, refresh.Step, e, st.DCTAdmin, spec, "--vdb", "Patients Masked Master", "--snapshot", snapshot, "--require-masked")
	require.Equal(t, 0, r.Code, r.Stderr)
	out := r.JSON(t)
	assert.Equal(t, snapshot, out["snapshot"])
	assert.Equal(t, true, out["masked"])
	assert.Equal(t, "Patients masking", out["maskingJob"])

	dir := t.TempDir()
	policy := filepath.Join(dir, "accounts.yaml")
	require.NoError(t, os.WriteFile(policy, []byte("accounts:\n  - {name: app_user, action: reset, password: generate}\n"+
		"  - {name: report_ro, action: reset, password: 'env:REPORT_RO_PASSWORD'}\n  - {name: dba_alice, action: drop}\n"), 0o600))
	passwords := filepath.Join(dir, "passwords.yaml")
	env := append(spec, "REPORT_RO_PASSWORD=report-test-pw", "DX_ENGINE_TEST_API="+e.TestAPIURL())
	r = st.RunDCT(t, credentials.Step, e, st.DCTAdmin, env, "--vdb", "Patients Masked Master", "--policy", policy,
		"--exec", filepath.Join(bin, "dx-example-accounts"), "--password-output", passwords)
	require.Equal(t, 0, r.Code, r.Stderr)
	var generated map[string]string
	raw, err := os.ReadFile(passwords)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(raw, &generated))
	require.Len(t, generated, 1)
	for _, secret := range []string{"report-test-pw", generated["app_user"]} {
		assert.NotContains(t, r.Stdout+r.Stderr, secret)
	}

	master, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, prod.Contents.DataVersion, master.Contents.DataVersion, "the synced snapshot's data, not production's newest")
	assert.True(t, master.Contents.Masked)
	accounts := map[string]engine.Account{}
	for _, a := range master.Contents.Accounts {
		accounts[a.Name] = a
	}
	assert.Equal(t, sha(generated["app_user"]), accounts["app_user"].PasswordSha256)
	assert.Equal(t, sha("report-test-pw"), accounts["report_ro"].PasswordSha256)
	assert.Equal(t, "dropped", accounts["dba_alice"].State)
}
