package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedFile starts an engine on one of the local engine's seed files at an API version.
func seedFile(t *testing.T, name, apiVersion string) *engine.Engine {
	t.Helper()
	s, err := engine.LoadSeed(filepath.Join("..", "engine", "testdata", name))
	require.NoError(t, err)
	return enginetest.Start(t, engine.Options{Seed: s, APIVersion: apiVersion})
}

// TestMSSQLPipelineMaskedThroughAConfigureCloneHook runs the pipeline's stages on the MSSQL
// estate of a 5.2 engine (API 1.9), whose masked master is masked by a
// RunMaskingJobOnSourceOperation hook and no masking job: the sync reports the data time in
// New York, the refresh passes --require-masked on the engine's word, an unmasked VDB fails
// it, the credentials tool gets the MSSQL connection details, and the data pod gets the
// masked data.
func TestMSSQLPipelineMaskedThroughAConfigureCloneHook(t *testing.T) {
	e := seedFile(t, "mssql.yaml", "1.9.0")
	require.NoError(t, e.ChangeProd("Billing Prod"))

	// Sync Delphix with Prod
	sync := ok(t, run(t, e, "dx-sync", "--database", "Billing Prod"))
	snapshot := sync["snapshot"].(string)
	dataTime, err := time.Parse(time.RFC3339Nano, sync["snapshotDataTime"].(string))
	require.NoError(t, err, "snapshotDataTime %v", sync["snapshotDataTime"])
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	_, nyOffset := dataTime.In(ny).Zone()
	_, offset := dataTime.Zone()
	assert.Equal(t, nyOffset, offset, "the data time is given in the source's zone")
	assert.Equal(t, "@"+dataTime.In(ny).Format("2006-01-02T15:04:05.000"), sync["snapshotName"],
		"an MSSQL snapshot is named after its data time in the source's zone")
	created, err := time.Parse(time.RFC3339Nano, sync["snapshotTime"].(string))
	require.NoError(t, err)
	assert.False(t, dataTime.After(created))

	// Refresh Secure Pipeline Master: masked by its hook
	out := ok(t, run(t, e, "dx-refresh", "--vdb", "Billing Masked Master", "--snapshot", snapshot, "--require-masked"))
	assert.Equal(t, true, out["masked"])
	evidence := strings.Join(anyStrings(out["maskingEvidence"]), "\n")
	assert.Contains(t, evidence, "the engine marks the VDB masked")
	assert.Contains(t, evidence, `configure-clone hook "maskbilling" runs masking job 3`)
	master, _ := e.Dataset("Billing Masked Master")
	assert.True(t, master.Contents.Masked)
	assert.Equal(t, 2, master.Contents.DataVersion)

	// An unmasked VDB fails --require-masked and says why
	r := run(t, e, "dx-refresh", "--vdb", "Billing Dev", "--snapshot", snapshot, "--require-masked")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "without masking applied")
	dev, _ := e.Dataset("Billing Dev")
	assert.False(t, dev.Contents.Masked)

	// Update Database Users and Passwords: the tool gets MSSQL's details, and no user or port it was not given
	seen := filepath.Join(t.TempDir(), "env")
	ok(t, run(t, e, "dx-credentials", "--vdb", "Billing Masked Master", "--policy",
		writePolicy(t, "accounts:\n  - {name: dba_alice, action: drop}\n"), "--exec", "env > "+seen))
	raw, err := os.ReadFile(seen)
	require.NoError(t, err)
	env := string(raw)
	for _, v := range []string{"DX_DB_PLATFORM=mssql", "DX_DB_HOST=sql-target.billing.local", "DX_DB_PORT=1433",
		"DX_DB_NAME=billing_master", "DX_DB_INSTANCE=MSSQLSERVER"} {
		assert.Contains(t, env, v+"\n")
	}
	assert.NotContains(t, env, "DX_DB_USER=", "MSSQL connection info has no user")

	// Refresh the data pod from the template over the masked master
	ok(t, run(t, e, "dx-datapod", "refresh", "--container", "billing-qa"))
	pod, _ := e.Dataset("billing-qa")
	assert.True(t, pod.Contents.Masked)
	assert.Equal(t, 2, pod.Contents.DataVersion)
	assert.Equal(t, master.Contents.Rows, pod.Contents.Rows)
}

// TestOracleToolsGetThePortFromTheJDBCString: neither Oracle single instance nor RAC
// connection info has a port field; the tool gets the port inside the JDBC string, and for
// RAC the SCAN name as the host. (Both masked masters are templates' data sources, where the
// steps read connection details.)
func TestOracleToolsGetThePortFromTheJDBCString(t *testing.T) {
	e := seedFile(t, "oracle.yaml", "")
	for vdb, want := range map[string][]string{
		"Orders Masked Master": {"DX_DB_PLATFORM=oracle", "DX_DB_HOST=ora-target.orders.local", "DX_DB_PORT=1521", "DX_DB_NAME=ORDMASK"},
		"Claims Masked Master": {"DX_DB_PLATFORM=oracle", "DX_DB_HOST=claims-target-scan.orders.local", "DX_DB_PORT=1522", "DX_DB_NAME=CLMMASK"},
	} {
		seen := filepath.Join(t.TempDir(), "env")
		ok(t, run(t, e, "dx-credentials", "--vdb", vdb, "--policy",
			writePolicy(t, "accounts:\n  - {name: app_user, action: lock}\n"), "--exec", "env > "+seen))
		raw, err := os.ReadFile(seen)
		require.NoError(t, err)
		for _, v := range want {
			assert.Contains(t, string(raw), v+"\n", vdb)
		}
		assert.Contains(t, string(raw), "DX_DB_JDBC=jdbc:oracle:thin:@", vdb)
	}
	// Oracle snapshots keep the creation time as their name.
	sync := ok(t, run(t, e, "dx-sync", "--database", "Orders Prod"))
	assert.Equal(t, "@"+sync["snapshotTime"].(string), sync["snapshotName"])
}

func anyStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
