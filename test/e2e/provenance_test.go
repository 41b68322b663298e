package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bookmarks a pipeline makes record where their data came from, on the bookmark itself (the
// engine's JSBookmark.description, DCT's key/value tags), and a simulated subset is never a bare
// N%. These tests read the platforms' own APIs, not dx-bookmark's output.

// engineAPI is the admin's client of the engine API.
func engineAPI(t *testing.T, e *engine.Engine) *delphix.Client {
	t.Helper()
	c, err := delphix.NewClient(e.URL())
	require.NoError(t, err)
	require.NoError(t, c.Login(context.Background(), "delphix_admin", adminPassword))
	return c
}

// storedBookmark is what the platforms' APIs hold of a bookmark: the engine's description and
// tags, and DCT's tags (key=value, or the value of key "tag").
type storedBookmark struct {
	description string
	engineTags  []string
	dctTags     map[string]string
}

func storedBookmarks(t *testing.T, e *engine.Engine) map[string]storedBookmark {
	t.Helper()
	ctx := t.Context()
	out := map[string]storedBookmark{}
	bs, err := engineAPI(t, e).Bookmarks.List(ctx, delphix.BookmarkListOptions{})
	require.NoError(t, err)
	for _, b := range bs {
		out[b.Name] = storedBookmark{description: b.Description, engineTags: b.Tags, dctTags: map[string]string{}}
	}
	c, err := dct.NewClient(e.URL(), dct.WithAPIKey(engine.DCTKey(1, "delphix_admin")))
	require.NoError(t, err)
	found, err := c.Bookmarks.Find(ctx, dct.BookmarkQuery{})
	require.NoError(t, err)
	for _, b := range found {
		s := out[b.Name]
		if s.dctTags == nil {
			s.dctTags = map[string]string{}
		}
		for _, tag := range b.Tags {
			if tag.Key == "tag" {
				s.dctTags[tag.Value] = ""
			} else {
				s.dctTags[tag.Key] = tag.Value
			}
		}
		out[b.Name] = s
	}
	return out
}

// field is one provenance field as the platform stores it: a description line on the engine,
// a provenance.<field> tag on DCT.
func (s storedBookmark) field(dctPlatform bool, name string) string {
	if dctPlatform {
		return s.dctTags["provenance."+name]
	}
	for _, line := range strings.Split(s.description, "\n") {
		if v, ok := strings.CutPrefix(line, name+": "); ok {
			return v
		}
	}
	return ""
}

// sizeTags are the bookmark's tags that hold a %.
func (s storedBookmark) sizeTags(dctPlatform bool) []string {
	var out []string
	tags := s.engineTags
	if dctPlatform {
		tags = nil
		for k := range s.dctTags {
			tags = append(tags, k)
		}
	}
	for _, tag := range tags {
		if strings.Contains(tag, "%") {
			out = append(out, tag)
		}
	}
	return out
}

// newestSnapshot is the newest snapshot of a dataset, by the engine API.
func newestSnapshot(t *testing.T, e *engine.Engine, name string) delphix.Snapshot {
	t.Helper()
	c := engineAPI(t, e)
	db, err := c.Databases.FindByName(t.Context(), name)
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(t.Context(), db.Reference)
	require.NoError(t, err)
	require.NotEmpty(t, snaps)
	return snaps[0]
}

func TestPipelineBookmarksRecordProvenanceOnBothPlatforms(t *testing.T) {
	for _, platform := range []string{"engine", "dct"} {
		t.Run(platform, func(t *testing.T) {
			e := enginetest.Start(t)
			var env []string
			if platform == "dct" {
				env = []string{"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin"), "DX_ENGINE_TEST_API=" + e.TestAPIURL()}
			}
			do := func(bin string, args ...string) map[string]any {
				r := step{t: t, e: e, bin: bin, args: args, env: env}.run()
				require.Equal(t, 0, r.code, r.stderr)
				return r.json(t)
			}
			require.NoError(t, e.ChangeProd("Patients Prod"))
			sync := do("dx-sync", "--database", "Patients Prod")
			refresh := do("dx-refresh", "--vdb", "Patients Masked Master", "--snapshot", sync["snapshot"].(string), "--require-masked")
			var evidence []string
			for _, p := range refresh["maskingEvidence"].([]any) {
				evidence = append(evidence, p.(string))
			}
			require.NotEmpty(t, evidence)
			masked, _ := refresh["maskedSnapshot"].(string)
			require.NotEmpty(t, masked, "dx-refresh names the masked snapshot on both platforms")
			common := []string{"--source-snapshot", sync["snapshot"].(string), "--source-data-time", sync["snapshotDataTime"].(string),
				"--masked-snapshot", masked, "--masking-evidence", strings.Join(evidence, "; "), "--build", "jenkins-p-3",
				"--build-url", "https://jenkins.test/job/p/3/"}
			for _, l := range []struct {
				pod, mode string
				percent   int
			}{{"prep1", "simulated", 50}, {"prep2", "exec", 25}} {
				do("dx-datapod", "refresh", "--template", "Patients", "--container", l.pod)
				how := []string{"--simulate"}
				if l.mode == "exec" {
					how = []string{"--exec", "dx-example-subset"}
				}
				subset := do("dx-subset", append([]string{"--container", l.pod, "--percent", fmt.Sprint(l.percent)}, how...)...)
				require.Equal(t, l.mode, subset["mode"])
				args := append([]string{"create", "--container", l.pod, "--name", "d " + l.pod, "--tag", fmt.Sprintf("%02d%%", l.percent),
					"--shared", "--subset-percent", fmt.Sprint(subset["percent"]), "--subset-mode", subset["mode"].(string)}, common...)
				if tool, ok := subset["tool"].(string); ok {
					args = append(args, "--subset-tool", tool)
				}
				out := do("dx-bookmark", args...)
				assert.Equal(t, sync["snapshot"], out["provenance"].(map[string]any)["sourceSnapshot"])
			}

			dctPlatform := platform == "dct"
			stored := storedBookmarks(t, e)
			for pod, want := range map[string]struct {
				subsetMode, percent, tool string
				sizeTags                  []string
			}{"prep1": {"simulated", "50", "", []string{"50% simulated"}}, "prep2": {"exec", "25", "dx-example-subset", []string{"25%"}}} {
				b := stored["d "+pod]
				assert.Equal(t, sync["snapshot"], b.field(dctPlatform, "source-snapshot"), pod)
				assert.Equal(t, newestSnapshot(t, e, "Patients Prod").Reference, b.field(dctPlatform, "source-snapshot"), pod)
				assert.Equal(t, sync["snapshotDataTime"], b.field(dctPlatform, "source-data-time"), pod)
				assert.Equal(t, masked, b.field(dctPlatform, "masked-snapshot"), pod)
				assert.Equal(t, strings.Join(evidence, "; "), b.field(dctPlatform, "masking-evidence"), pod)
				assert.Equal(t, want.subsetMode, b.field(dctPlatform, "subset-mode"), pod)
				assert.Equal(t, want.percent, b.field(dctPlatform, "subset-percent"), pod)
				assert.Equal(t, want.tool, b.field(dctPlatform, "subset-tool"), pod)
				assert.Equal(t, "jenkins-p-3", b.field(dctPlatform, "build"), pod)
				assert.Equal(t, "https://jenkins.test/job/p/3/", b.field(dctPlatform, "build-url"), pod)
				assert.Equal(t, want.sizeTags, b.sizeTags(dctPlatform), "%s: after a simulated subset no bare N%% tag", pod)
			}
			snap, err := engineAPI(t, e).Snapshots.Get(t.Context(), masked)
			require.NoError(t, err)
			master, err := engineAPI(t, e).Databases.FindByName(t.Context(), "Patients Masked Master")
			require.NoError(t, err)
			assert.Equal(t, master.Reference, snap.Container, "the masked snapshot is the master's")
		})
	}
}

// catalogArtifact reads the delphix-catalog.json a Jenkinsfile run archived (its workspace ws).
func catalogArtifact(t *testing.T, ws string) map[string]any {
	t.Helper()
	var found string
	require.NoError(t, filepath.WalkDir(filepath.Join(filepath.Dir(ws), "artifacts"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "delphix-catalog.json" {
			found = path
		}
		return err
	}))
	require.NotEmpty(t, found, "no delphix-catalog.json archived")
	raw, err := os.ReadFile(found)
	require.NoError(t, err)
	var catalog map[string]any
	require.NoError(t, json.Unmarshal(raw, &catalog))
	return catalog
}

// assertCatalogProvenance checks the catalog of a Jenkinsfile.example run (build 7 of job
// data-pipeline) and the bookmarks on the platform: each records the build's production
// snapshot, the masking evidence and the build; each lane's its subset, "simulated" when
// simulated, with no bare N% tag then.
func assertCatalogProvenance(t *testing.T, e *engine.Engine, ws string, dctPlatform, simulated bool) {
	t.Helper()
	prod := newestSnapshot(t, e, "Patients Prod").Reference
	catalog := catalogArtifact(t, ws)
	entries := catalog["bookmarks"].([]any)
	require.Len(t, entries, 7)
	stored := storedBookmarks(t, e)
	for _, x := range entries {
		entry := x.(map[string]any)
		name := entry["name"].(string)
		p, ok := entry["provenance"].(map[string]any)
		require.True(t, ok, "%s has no provenance in the catalog", name)
		assert.Equal(t, prod, p["sourceSnapshot"], name)
		assert.NotEmpty(t, p["sourceDataTime"], name)
		assert.NotEmpty(t, p["maskingEvidence"], name)
		assert.Equal(t, "jenkins-data-pipeline-7", p["build"], name)
		b := stored[name]
		assert.Equal(t, prod, b.field(dctPlatform, "source-snapshot"), "%s on the platform", name)
		assert.Equal(t, "jenkins-data-pipeline-7", b.field(dctPlatform, "build"), "%s on the platform", name)
		if strings.HasSuffix(name, " FULL") {
			assert.Equal(t, "none: all the data", entry["subset"], name)
			assert.Nil(t, p["subsetMode"], name)
			continue
		}
		size := strings.TrimPrefix(name[strings.LastIndex(name, " "):], " ")
		if simulated {
			assert.Equal(t, "simulated", p["subsetMode"], name)
			assert.Equal(t, strings.TrimLeft(size, "0")+"% simulated: all the data", entry["subset"], name)
			assert.Contains(t, entry["tags"], size+"% simulated", name)
			assert.NotContains(t, entry["tags"], size+"%", name)
			assert.Equal(t, []string{size + "% simulated"}, b.sizeTags(dctPlatform), "%s on the platform: no bare N%%", name)
			assert.Equal(t, "simulated", b.field(dctPlatform, "subset-mode"), "%s on the platform", name)
		} else {
			assert.Equal(t, "exec", p["subsetMode"], name)
			assert.Equal(t, strings.TrimLeft(size, "0")+"% by dx-example-subset", entry["subset"], name)
			assert.Equal(t, []string{size + "%"}, b.sizeTags(dctPlatform), name)
		}
	}
}

// runSimulatedJenkinsfile runs Jenkinsfile.example with SIMULATE_SUBSET and no subsetter.
func runSimulatedJenkinsfile(t *testing.T, credentials string, args []string, dctPlatform bool) {
	e := enginetest.Start(t)
	require.NoError(t, e.ChangeProd("Patients Prod"))
	var ws string
	code, out, graph := jenkins(t, e, credentials, "Jenkinsfile.example", exampleTools(filepath.Join(t.TempDir(), "vault")),
		func(w string) []string {
			ws = w
			return append([]string{"--param", "SIMULATE_SUBSET=true", "--param", "SUBSET_TOOL="}, args...)
		})
	require.Equal(t, 0, code, out)
	assert.Equal(t, "SUCCESS", graph["result"])
	for _, l := range lanes {
		pod, _ := e.Dataset(l.pod)
		assert.Equal(t, 100, pod.Contents.SubsetPercent, "%s holds all the data", l.pod)
	}
	assertCatalogProvenance(t, e, ws, dctPlatform, true)
}

func TestJenkinsfileExampleWithSimulatedSubsetsCataloguesThemAsSimulated(t *testing.T) {
	runSimulatedJenkinsfile(t, workshopCredentials, nil, false)
}

func TestJenkinsfileExampleWithSimulatedSubsetsCataloguesThemAsSimulatedOnDCT(t *testing.T) {
	key := engine.DCTKey(1, "delphix_admin")
	credentials := `{"delphix-dct-api-key":{"secret":"` + key + `"}, "report-ro-password":{"secret":"report-ro-from-jenkins"}}`
	runSimulatedJenkinsfile(t, credentials, []string{"--param", "PLATFORM=dct", "--param", "CREDENTIALS_ID=delphix-dct-api-key"}, true)
}
