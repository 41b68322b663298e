package credentials_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dxsteps/dxsteps/internal/steps/credentials"
	"github.com/dxsteps/dxsteps/internal/steps/refresh"
	st "github.com/dxsteps/dxsteps/internal/steps/steptest"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On the MSSQL and ASE seed estates, whose masked masters are masked by a
// RunMaskingJobOnSourceOperation configure-clone hook, --install-hook works at
// every API version the local engine serves: it keeps the masking (listed and
// sent back below 1.11, not a hook type from 1.11), and the next refresh both
// masks the VDB and runs the installed hook.
func TestInstallHookOnMaskedMastersOfTheSeedEstatesAtEveryAPIVersion(t *testing.T) {
	estates := map[string]string{"mssql.yaml": "Billing Masked Master", "ase.yaml": "Ledger Masked Master"}
	for file, vdb := range estates {
		for _, ver := range []string{"1.8.0", "1.9.0", "1.10.6", "1.11.0", "1.11.9"} {
			t.Run(file+"/"+ver, func(t *testing.T) {
				seed, err := engine.LoadSeed(filepath.Join("..", "..", "..", "test", "engine", "testdata", file))
				require.NoError(t, err)
				e := enginetest.Start(t, engine.Options{Seed: seed, APIVersion: ver})
				dir := t.TempDir()
				p := policy(t, "accounts:\n  - {name: app_user, action: drop}\n")
				r := st.Run(t, credentials.Step, e, nil, "--vdb", vdb, "--policy", p, "--install-hook",
					"--hook-command", `echo "$DX_ACTION" > `+dir+`/"$DX_ACCOUNT"`)
				require.Equal(t, 0, r.Code, r.Stderr)
				assert.Equal(t, "hook", r.JSON(t)["mode"])

				r = st.Run(t, refresh.Step, e, nil, "--vdb", vdb, "--require-masked")
				require.Equal(t, 0, r.Code, r.Stderr)
				ds, ok := e.Dataset(vdb)
				require.True(t, ok)
				assert.True(t, ds.Contents.Masked, "the masking hook still masks the refreshed VDB")
				ran, err := os.ReadFile(filepath.Join(dir, "app_user"))
				require.NoError(t, err, "the installed hook ran on refresh")
				assert.Equal(t, "drop\n", string(ran))
			})
		}
	}
}
