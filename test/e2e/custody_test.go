package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The chain of custody and the masking check where data fans out, on both platforms: after
// the masking on the master failed, no step copies or publishes the master's unmasked data.

// custodyPlatform is how a test drives one platform: the binaries' environment and the
// runner's build parameters.
type custodyPlatform struct {
	name        string
	env         []string
	credentials string
	params      []string
}

func custodyPlatforms() []custodyPlatform {
	key := engine.DCTKey(1, "delphix_admin")
	return []custodyPlatform{
		{name: "engine", credentials: workshopCredentials},
		{name: "dct", env: []string{"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + key},
			credentials: `{"delphix-dct-api-key":{"secret":"` + key + `"}, "report-ro-password":{"secret":"report-ro-from-jenkins"}}`,
			params:      []string{"--param", "PLATFORM=dct", "--param", "CREDENTIALS_ID=delphix-dct-api-key"}},
	}
}

func (p custodyPlatform) run(t *testing.T, e *engine.Engine, bin string, args ...string) result {
	return step{t: t, e: e, bin: bin, args: args, env: p.env}.run()
}

// failMasking makes the master's next masking fail inside dx-refresh, which exits 1 and
// leaves production data on the master; on the engine a snapshot policy then snapshots it
// (on DCT the refresh's own snapshot already holds it). It returns the master's newest
// snapshot, which holds production data.
func failMasking(t *testing.T, e *engine.Engine, p custodyPlatform) string {
	t.Helper()
	require.NoError(t, e.ChangeProd("Patients Prod"))
	e.FailNextJob(engine.JobFault{Target: "Patients Masked Master", ActionType: "MASKING_JOB_EXECUTE", Message: "Masking job 12 failed: table PATIENTS is locked."})
	r := p.run(t, e, "dx-refresh", "--vdb", "Patients Masked Master")
	require.Equal(t, 1, r.code, r.stderr)
	master, _ := e.Dataset("Patients Masked Master")
	require.False(t, master.Contents.Masked, "the failed masking left production data on the master")
	if p.name == "dct" {
		c, err := dct.NewClient(e.URL(), dct.WithAPIKey(engine.DCTKey(1, "delphix_admin")))
		require.NoError(t, err)
		v, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
		require.NoError(t, err)
		snap, err := c.Snapshots.Latest(t.Context(), v.ID)
		require.NoError(t, err)
		return snap.ID
	}
	c := adminClient(t, e)
	db, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	_, err = c.Jobs.Wait(t.Context(), op.Job, nil)
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(t.Context(), db.Reference)
	require.NoError(t, err)
	return snaps[0].Reference
}

// assertNothingUnmaskedFannedOut: every data pod still holds masked data, no pod prep7 was
// made, and no shared bookmark holds unmasked data.
func assertNothingUnmaskedFannedOut(t *testing.T, e *engine.Engine) {
	t.Helper()
	for _, l := range lanes {
		pod, _ := e.Dataset(l.pod)
		assert.True(t, pod.Contents.Masked, "%s holds production data", l.pod)
	}
	_, created := e.Dataset("prep7")
	assert.False(t, created, "a pod was created")
	for _, b := range e.Catalog() {
		assert.False(t, b.Shared && !b.Masked, "shared bookmark %q on %s publishes production data", b.Bookmark, b.On)
	}
}

func refused(t *testing.T, r result, what string) {
	t.Helper()
	assert.Equal(t, 1, r.code, "%s: %s", what, r.stderr)
	assert.Contains(t, r.stderr, "not proven masked, nothing was changed", what)
}

func TestAfterAMaskingFailureNoFanOutStepCopiesOrPublishesTheMastersData(t *testing.T) {
	for _, p := range custodyPlatforms() {
		t.Run(p.name, func(t *testing.T) {
			e := enginetest.Start(t, engine.Options{Seed: withPrep7()})
			unmasked := failMasking(t, e, p)

			refused(t, p.run(t, e, "dx-datapod", "refresh", "--template", "Patients", "--container", "prep1"), "refresh")
			refused(t, p.run(t, e, "dx-datapod", "refresh", "--container", "prep1", "--snapshot", unmasked), "refresh --snapshot")
			create := []string{"refresh", "--template", "Patients", "--container", "prep7", "--create"}
			if p.name == "engine" {
				create = append(create, "--vdb", "prep7 DB")
			}
			refused(t, p.run(t, e, "dx-datapod", create...), "create")
			refused(t, p.run(t, e, "dx-bookmark", "create", "--template", "Patients", "--name", "published", "--shared"), "bookmark --shared")

			// A private bookmark of the master's data is no fan-out; copying it into a pod or a branch is.
			ok(t, p.run(t, e, "dx-bookmark", "create", "--template", "Patients", "--name", "unmasked point"))
			refused(t, p.run(t, e, "dx-datapod", "restore", "--container", "prep2", "--bookmark", "unmasked point"), "restore")
			refused(t, p.run(t, e, "dx-branch", "create", "--container", "prep3", "--name", "b", "--from-bookmark", "unmasked point"), "branch create")
			refused(t, p.run(t, e, "dx-bookmark", "share", "--template", "Patients", "--name", "unmasked point"), "share")
			// The lanes run alone
			for _, l := range lanes {
				refused(t, p.run(t, e, "dx-datapod", "--template", "Patients", "--container", l.pod), l.pod)
			}
			assertNothingUnmaskedFannedOut(t, e)
		})
	}
}

// prepareOnly is Jenkinsfile.example as "Restart from Stage" of Prepare runs it: a new build
// of the Prepare stage alone, nothing handed over from the stages before.
func prepareOnly(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "Jenkinsfile.example"))
	require.NoError(t, err)
	text := string(raw)
	from := strings.Index(text, "        stage('Sync Delphix with Prod')")
	to := strings.Index(text, "        stage('Prepare Data and Make Available For Use')")
	require.True(t, from > 0 && to > from, "Jenkinsfile.example has the stages this test cuts")
	path := filepath.Join(t.TempDir(), "Jenkinsfile.prepare-only")
	require.NoError(t, os.WriteFile(path, []byte(text[:from]+text[to:]), 0o600))
	return path
}

func TestJenkinsfileExampleRestartedAtPrepareAfterAMaskingFailureFansNothingOut(t *testing.T) {
	for _, p := range custodyPlatforms() {
		t.Run(p.name, func(t *testing.T) {
			e := enginetest.Start(t)
			failMasking(t, e, p)
			code, out, graph := jenkins(t, e, p.credentials, prepareOnly(t), exampleTools(filepath.Join(t.TempDir(), "vault")),
				func(string) []string { return p.params })
			assert.NotEqual(t, 0, code, out)
			assert.Equal(t, "FAILURE", graph["result"])
			assert.Contains(t, out, "not proven masked, nothing was changed")
			for _, stage := range []string{"Add full dataset to catalog", "Create 50% dataset", "Create 01% dataset"} {
				assert.Equal(t, "FAILED", stageStatus(graph, stage), stage)
			}
			assertNothingUnmaskedFannedOut(t, e)
		})
	}
}

// assertLanesGotTheProvenPoint checks, from the requests the engine recorded, that every
// lane's pod went to exactly the master's point the earlier stages proved: the snapshot
// dx-credentials took after the account changes, the master's newest.
func assertLanesGotTheProvenPoint(t *testing.T, e *engine.Engine, platform string) {
	t.Helper()
	pods := map[string]bool{}
	for _, l := range lanes {
		pods[l.pod] = true
	}
	if platform == "dct" {
		c, err := dct.NewClient(e.URL(), dct.WithAPIKey(engine.DCTKey(1, "delphix_admin")))
		require.NoError(t, err)
		v, err := c.VDBs.FindByName(t.Context(), "Patients Masked Master")
		require.NoError(t, err)
		// dx-credentials' snapshot: the first of the master's after its last snapshot request
		// (the catalog's bookmark of the template snapshots the master again later)
		var asked string
		for _, r := range e.Requests() {
			if r.Method == "POST" && strings.HasSuffix(r.Path, "/vdbs/"+v.ID+"/snapshots") {
				asked = r.Time
			}
		}
		require.NotEmpty(t, asked)
		after, err := time.Parse(time.RFC3339Nano, asked)
		require.NoError(t, err)
		snaps, err := adminClient(t, e).Snapshots.List(t.Context(), v.ID)
		require.NoError(t, err)
		var proven struct{ ID string }
		for _, sn := range snaps {
			if taken, err := time.Parse(time.RFC3339Nano, sn.CreationTime); err == nil && !taken.Before(after.Truncate(time.Millisecond)) {
				proven.ID = sn.Reference // newest first: the last one kept is the first after the request
			}
		}
		require.NotEmpty(t, proven.ID)
		got := map[string]string{}
		for _, r := range e.Requests() {
			if r.Method != "POST" || !strings.HasSuffix(r.Path, "/refresh_by_snapshot") {
				continue
			}
			var body struct {
				Mappings []struct {
					SnapshotID string `json:"snapshot_id"`
				} `json:"vdb_snapshot_mappings"`
			}
			require.NoError(t, json.Unmarshal(r.Body, &body))
			parts := strings.Split(r.Path, "/")
			id := parts[len(parts)-2]
			if g, err := c.VDBGroups.Get(t.Context(), id); err == nil && pods[g.Name] {
				require.Len(t, body.Mappings, 1, g.Name)
				got[g.Name] = body.Mappings[0].SnapshotID
			}
		}
		require.Len(t, got, len(lanes))
		for pod, snap := range got {
			assert.Equal(t, proven.ID, snap, pod)
		}
		return
	}
	c := adminClient(t, e)
	master, err := c.Databases.FindByName(t.Context(), "Patients Masked Master")
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(t.Context(), master.Reference)
	require.NoError(t, err)
	proven := snaps[0]
	tmpl, err := c.Templates.FindByName(t.Context(), "Patients")
	require.NoError(t, err)
	for _, l := range lanes {
		pod, err := c.Containers.FindByName(t.Context(), "", l.pod)
		require.NoError(t, err)
		var point map[string]any
		for _, r := range e.Requests() {
			if r.Method == "POST" && strings.HasSuffix(r.Path, "/container/"+pod.Reference+"/restore") {
				var body map[string]any
				require.NoError(t, json.Unmarshal(r.Body, &body))
				point = body["timelinePointParameters"].(map[string]any)
			}
		}
		assert.Equal(t, map[string]any{"type": "JSTimelinePointTimeInput", "branch": tmpl.ActiveBranch, "time": proven.LatestChangePoint.Timestamp}, point, l.pod)
		ops, err := c.Operations.List(t.Context(), pod.Reference)
		require.NoError(t, err)
		var parent string
		for _, op := range ops {
			if op.Operation == "RESTORE" && op.DataParent != nil {
				parent = op.DataParent.Branch + "@" + op.DataParent.Time
				break
			}
		}
		assert.Equal(t, tmpl.ActiveBranch+"@"+proven.LatestChangePoint.Timestamp, parent, "the engine records %s's data as the proven point", l.pod)
	}
}
