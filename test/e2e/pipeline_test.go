package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dxsteps/dxsteps/test/dctspec"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// lanes are the workshop's subset lanes: data pod and percent.
var lanes = []struct {
	pod     string
	percent int
}{{"prep1", 50}, {"prep2", 25}, {"prep3", 15}, {"prep4", 10}, {"prep5", 5}, {"prep6", 1}}

const policy = `accounts:
  - name: app_user
    action: reset
    password: generate
  - name: report_ro
    action: reset
    password: env:REPORT_RO_PASSWORD
  - name: dba_alice
    action: drop
`

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestWorkshopPipelineChain runs the Data Pipeline's stages with the
// binaries, in order and with the subset lanes in parallel, then checks
// the engine's state, then reruns the catalog stages.
func TestWorkshopPipelineChain(t *testing.T) { workshopChain(t, nil) }

// TestWorkshopPipelineChainOnDCT is the same chain through the local
// engine's DCT API, with the admin's API key and no engine user; every
// request the binaries send and every answer is checked against the DCT
// OpenAPI file.
func TestWorkshopPipelineChainOnDCT(t *testing.T) {
	workshopChain(t, []string{"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")})
}

func workshopChain(t *testing.T, platform []string) {
	e := enginetest.Start(t)
	if len(platform) > 0 {
		// The example tools change data through the engine's test API, not DCT's.
		platform = append(platform, "DELPHIX_ENGINE="+dctspec.Serve(t, "/dct/v3", e.Handler()), "DX_ENGINE_TEST_API="+e.TestAPIURL())
	}
	dir := t.TempDir()
	run := func(t *testing.T, e *engine.Engine, bin string, args ...string) result {
		return step{t: t, e: e, bin: bin, args: args, env: platform}.run()
	}
	require.NoError(t, e.ChangeProd("Patients Prod"))
	prod, _ := e.Dataset("Patients Prod")

	// Sync Delphix with Prod
	r := run(t, e, "dx-sync", "--database", "Patients Prod")
	require.Equal(t, 0, r.code, r.stderr)
	snapshot := r.json(t)["snapshot"].(string)
	require.NotEmpty(t, snapshot)
	require.NoError(t, e.ChangeProd("Patients Prod")) // after the sync: must not reach the master

	// Refresh Secure Pipeline Master, from exactly that snapshot
	r = run(t, e, "dx-refresh", "--vdb", "Patients Masked Master", "--snapshot", snapshot, "--require-masked")
	require.Equal(t, 0, r.code, r.stderr)
	out := r.json(t)
	assert.Equal(t, snapshot, out["snapshot"])
	assert.Equal(t, true, out["masked"])
	assert.Equal(t, "Patients Prod", out["source"])

	// Update Database Users and Passwords
	policyFile := filepath.Join(dir, "accounts.yaml")
	require.NoError(t, os.WriteFile(policyFile, []byte(policy), 0o644))
	passwords := filepath.Join(dir, "passwords.yaml")
	r = step{t: t, e: e, bin: "dx-credentials", env: append([]string{"REPORT_RO_PASSWORD=report-test-pw"}, platform...),
		args: []string{"--vdb", "Patients Masked Master", "--policy", policyFile, "--exec", "dx-example-accounts", "--password-output", passwords}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, "report-test-pw")
	info, err := os.Stat(passwords)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	var generated map[string]string
	raw, _ := os.ReadFile(passwords)
	require.NoError(t, yaml.Unmarshal(raw, &generated))
	require.Len(t, generated, 1)
	assert.NotContains(t, r.stdout+r.stderr, generated["app_user"])

	// Prepare Data and Make Available For Use: seven lanes in parallel
	date := "2019-03-14 101502"
	tag := "jenkins-data-pipeline-7"
	var wg sync.WaitGroup
	results := make([][]result, len(lanes)+1)
	wg.Add(len(lanes) + 1)
	go func() {
		defer wg.Done()
		results[0] = []result{run(t, e, "dx-bookmark", "create", "--template", "Patients", "--name", date+" FULL",
			"--tag", date, "--tag", "FULL%", "--tag", tag, "--shared")}
	}()
	for i, l := range lanes {
		go func() {
			defer wg.Done()
			n := fmt.Sprintf("%02d", l.percent)
			results[i+1] = []result{
				run(t, e, "dx-datapod", "refresh", "--template", "Patients", "--container", l.pod),
				run(t, e, "dx-subset", "--container", l.pod, "--percent", fmt.Sprint(l.percent), "--exec", "dx-example-subset"),
				run(t, e, "dx-bookmark", "create", "--container", l.pod, "--name", date+" "+n, "--tag", date, "--tag", n+"%", "--tag", tag, "--shared"),
			}
		}()
	}
	wg.Wait()
	for _, lane := range results {
		for _, r := range lane {
			require.Equal(t, 0, r.code, r.stderr)
		}
	}

	assertWorkshopState(t, e, prod.Contents.DataVersion, date, tag, lanes)
	master, _ := e.Dataset("Patients Masked Master")
	accounts := map[string]engine.Account{}
	for _, a := range master.Contents.Accounts {
		accounts[a.Name] = a
	}
	assert.Equal(t, sha(generated["app_user"]), accounts["app_user"].PasswordSha256)
	assert.Equal(t, sha("report-test-pw"), accounts["report_ro"].PasswordSha256)

	// A rerun of the catalog stages creates no duplicate.
	r = run(t, e, "dx-bookmark", "create", "--container", "prep1", "--name", date+" 50", "--tag", date, "--tag", "50%", "--tag", tag, "--shared")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, false, r.json(t)["created"])
	r = run(t, e, "dx-bookmark", "create", "--template", "Patients", "--name", date+" FULL", "--shared")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, false, r.json(t)["created"])
	r = run(t, e, "dx-bookmark", "list", "--tag", tag)
	assert.Len(t, r.json(t)["bookmarks"], 7)
}

// assertWorkshopState checks what the Data Pipeline must leave behind: the
// master holds prod's data version, masked, with dba_alice dropped; each
// pod of done holds the master's data at its subset percent; and a shared
// bookmark with the workshop's name and tags for the full dataset and each
// lane of done, and no other.
func assertWorkshopState(t *testing.T, e *engine.Engine, version int, date, tag string, done []struct {
	pod     string
	percent int
}) {
	t.Helper()
	master, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, version, master.Contents.DataVersion)
	assert.True(t, master.Contents.Masked)
	for _, a := range master.Contents.Accounts {
		if a.Name == "dba_alice" {
			assert.Equal(t, "dropped", a.State)
		}
	}
	want := map[string]string{date + " FULL": "FULL%"}
	for _, l := range done {
		got, _ := e.Dataset(l.pod)
		assert.Equal(t, master.Contents.DataVersion, got.Contents.DataVersion, l.pod)
		assert.True(t, got.Contents.Masked, l.pod)
		assert.Equal(t, l.percent, got.Contents.SubsetPercent, l.pod)
		n := len(master.Contents.Rows) * l.percent / 100
		assert.Len(t, got.Contents.Rows, n, l.pod)
		assert.Equal(t, master.Contents.Rows[:n], got.Contents.Rows, l.pod)
		want[fmt.Sprintf("%s %02d", date, l.percent)] = fmt.Sprintf("%02d%%", l.percent)
	}
	r := run(t, e, "dx-bookmark", "list", "--tag", tag)
	require.Equal(t, 0, r.code, r.stderr)
	bookmarks := r.json(t)["bookmarks"].([]any)
	assert.Len(t, bookmarks, len(want))
	for _, b := range bookmarks {
		b := b.(map[string]any)
		name := b["bookmark"].(string)
		sizeTag, ok := want[name]
		if !assert.True(t, ok, "unexpected bookmark %q", name) {
			continue
		}
		assert.Equal(t, true, b["shared"], name)
		assert.ElementsMatch(t, []any{date, sizeTag, tag}, b["tags"], name)
	}
}
