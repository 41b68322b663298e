package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/testbin"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binDir holds the step binaries TestMain builds from this checkout.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(testbin.Main(m, &binDir, "./steps/dx-refresh", "./steps/dx-sync", "./steps/dx-subset"))
}

// fixtures returns the recorded directory name under
// ../shared/reference/engine/dxtoolkit-fixtures beside the repository.
// Without it the test is skipped, except in CI where it must be there.
func fixtures(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "reference", "engine", "dxtoolkit-fixtures", name)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("recordings missing at %s: CI must have ../shared beside the repository", dir)
		}
		t.Skipf("recordings not found at %s (../shared beside the repository); skipping", dir)
	}
	return dir
}

func serve(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

type result struct {
	code           int
	stdout, stderr string
	out            map[string]any
}

// run runs a step binary against the server, as an agent would.
func run(t *testing.T, s *Server, bin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, bin), args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "DELPHIX_ENGINE=" + s.URL(),
		"DELPHIX_USER=delphix_admin", "DELPHIX_PASSWORD=delphix", "DELPHIX_RETRY_MAX=0"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		exit, ok := err.(*exec.ExitError)
		require.True(t, ok, "%s: %v", bin, err)
		r.code = exit.ExitCode()
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &r.out), "stdout: %s\nstderr: %s\nrequests: %v", r.stdout, r.stderr, s.Requests())
	return r
}

// TestRequireMaskedTrustsWhatRealEnginesShow refreshes the VDBs of a 5.2
// engine (API 1.9) whose masking runs through a configure-clone hook of
// type RunMaskingJobOnSourceOperation and no masking job the client can
// list: the masked ones pass --require-masked and say why, the unmasked
// one fails.
func TestRequireMaskedTrustsWhatRealEnginesShow(t *testing.T) {
	s := serve(t, Options{Dirs: []string{fixtures(t, "test_dsource_mssql_52_1")}})
	for _, tc := range []struct {
		vdb, hook, parentSnapshot, snapshotTime, dataTime string
	}{
		{"maskedms", `configure-clone hook "testms" runs masking job 3`, "MSSQL_SNAPSHOT-266926", "2017-03-08T17:39:15.706Z", "2017-03-08T17:36:21.000Z"},
		{"sybase1mask", `configure-clone hook "sybasejob" runs masking job 4`, "ASE_SNAPSHOT-266924", "2017-03-08T15:06:55.251Z", "2017-03-08T14:52:22.343Z"},
	} {
		t.Run(tc.vdb, func(t *testing.T) {
			r := run(t, s, "dx-refresh", "--vdb", tc.vdb, "--require-masked")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, true, r.out["masked"])
			assert.Equal(t, []any{"the engine marks the VDB masked", tc.hook}, r.out["maskingEvidence"])
			assert.Equal(t, tc.parentSnapshot, r.out["snapshot"])
			assert.Equal(t, tc.snapshotTime, r.out["snapshotTime"])
			assert.Equal(t, tc.dataTime, r.out["snapshotDataTime"])
		})
	}
	t.Run("testms", func(t *testing.T) {
		r := run(t, s, "dx-refresh", "--vdb", "testms", "--require-masked")
		assert.Equal(t, 1, r.code, r.stderr)
		assert.Contains(t, r.stderr, "without masking applied")
		assert.Equal(t, false, r.out["masked"])
		assert.Equal(t, []any{}, r.out["maskingEvidence"])
	})
}

// TestSyncReportsTheDataTimeBesideTheCreationTime syncs dSources whose
// newest recorded snapshot appears only after the sync: an MSSQL one whose
// data is three minutes older than the snapshot, and an Oracle one in a
// zone an hour from UTC.
func TestSyncReportsTheDataTimeBesideTheCreationTime(t *testing.T) {
	s := serve(t, Options{Dirs: []string{fixtures(t, "test_dsource_mssql_52_1")}, HoldNewestSnapshot: true})
	for _, tc := range []struct{ dsource, snapshot, name, created, data string }{
		{"tpcc", "MSSQL_SNAPSHOT-266926", "@2017-03-08T17:36:21.000", "2017-03-08T17:39:15.706Z", "2017-03-08T17:36:21.000Z"},
		{"orcl_tar", "ORACLE_SNAPSHOT-266828", "@2016-09-12T16:26:07.518Z", "2016-09-12T16:26:07.518Z", "2016-09-12T17:26:01.000+01:00"},
	} {
		t.Run(tc.dsource, func(t *testing.T) {
			r := run(t, s, "dx-sync", "--database", tc.dsource)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, tc.snapshot, r.out["snapshot"])
			assert.Equal(t, tc.name, r.out["snapshotName"])
			assert.Equal(t, tc.created, r.out["snapshotTime"])
			assert.Equal(t, tc.data, r.out["snapshotDataTime"])
		})
	}
}

// TestOracleDataSourceGivesTheToolItsPortAndJDBCString runs dx-subset on
// the data pod behind the recorded Oracle data source (5.2, API 1.9),
// whose OracleSISourceConnectionInfo has no port or user field: the port
// is read from its JDBC string, and no user is made up. The recordings hold
// the data source but not its pod: the pod is the one a 5.1 engine
// recorded, under the reference the data source names.
func TestOracleDataSourceGivesTheToolItsPortAndJDBCString(t *testing.T) {
	recorded := fixtures(t, "test_js_bookmarks")
	pods, err := os.ReadFile(filepath.Join(fixtures(t, "test_js_refresh_51"), "jetstream", "container.json"))
	require.NoError(t, err)
	require.Contains(t, string(pods), `"JS_DATA_CONTAINER-3"`)
	overlay := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(overlay, "jetstream"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(overlay, "jetstream", "container.json"),
		[]byte(strings.Replace(string(pods), `"JS_DATA_CONTAINER-3"`, `"JS_DATA_CONTAINER-5"`, 1)), 0o644))
	s := serve(t, Options{Dirs: []string{recorded, overlay}})

	seen := filepath.Join(t.TempDir(), "env")
	r := run(t, s, "dx-subset", "--container", "cont1", "--percent", "10", "--exec", "env > "+seen)
	require.Equal(t, 0, r.code, r.stderr)
	raw, err := os.ReadFile(seen)
	require.NoError(t, err)
	env := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.HasPrefix(k, "DX_DB_") {
			env[k] = v
		}
	}
	assert.Equal(t, map[string]string{
		"DX_DB_PLATFORM": "oracle",
		"DX_DB_HOST":     "marcintgt.dcenter.delphix.com",
		"DX_DB_PORT":     "1521",
		"DX_DB_NAME":     "testdx",
		"DX_DB_JDBC":     "jdbc:oracle:thin:@(DESCRIPTION=(ENABLE=broken)(ADDRESS=(PROTOCOL=tcp)(HOST=10.43.10.164)(PORT=1521))(CONNECT_DATA=(UR=A)(SERVICE_NAME=testdx)))",
		"DX_DB_VERSION":  "12.1.0.2.0",
	}, env, "no DX_DB_USER: the engine gives none for Oracle")
	assert.Contains(t, s.Requests(), "GET /jetstream/datasource?dataLayout=JS_DATA_CONTAINER-5")
}
