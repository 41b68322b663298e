package engine

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// This file compares the local engine's answers with real engines' answers recorded by
// dxtoolkit (../shared/reference/engine/dxtoolkit-fixtures): per object type and API version
// (major.minor), the field names and the JSON types of their values. Every difference the
// local engine keeps is listed once, with its reason, in acceptedDifferences; a new one fails
// the test, and so does an accepted one that no longer occurs.

// shape is, per field of one object type, the JSON kinds its values had.
type shape map[string]map[string]bool

// shapes maps "Type@1.9" to the shape seen.
type shapes map[string]shape

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

// add records every typed object inside v under its type and version.
func (s shapes) add(v any, ver string) {
	switch x := v.(type) {
	case map[string]any:
		if typ, ok := x["type"].(string); ok && typ != "" && typ != "object" && typ != "string" {
			key := typ + "@" + ver
			if s[key] == nil {
				s[key] = shape{}
			}
			for k, val := range x {
				if s[key][k] == nil {
					s[key][k] = map[string]bool{}
				}
				s[key][k][jsonKind(val)] = true
			}
		}
		for k, val := range x {
			if k == "details" && x["type"] == "APIError" {
				continue
			}
			s.add(val, ver)
		}
	case []any:
		for _, y := range x {
			s.add(y, ver)
		}
	}
}

// recordedShapes reads every recorded answer of API 1.8 to 1.11 (request bodies excluded),
// each under the version of its directory's session.
func recordedShapes(t *testing.T) shapes {
	root := reference(t, "engine/dxtoolkit-fixtures")
	out := shapes{}
	dirs, err := os.ReadDir(root)
	require.NoError(t, err)
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		ver := recordingVersion(t, filepath.Join(root, d.Name()))
		if ver == "" || ver == "1.7" {
			continue // below the engine's range
		}
		err := filepath.WalkDir(filepath.Join(root, d.Name()), func(p string, de fs.DirEntry, err error) error {
			if err != nil || de.IsDir() || strings.Contains(de.Name(), ".req") || !strings.Contains(de.Name(), ".json") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var v any
			if json.Unmarshal(b, &v) == nil {
				out.add(v, ver)
			}
			return nil
		})
		require.NoError(t, err)
	}
	require.NotEmpty(t, out, "no recorded objects under %s", root)
	return out
}

// recordingVersion is the major.minor of a recording directory's session; test_hierarchy
// holds two engines' directories of a 6.0.11 estate (API 1.11).
func recordingVersion(t *testing.T, dir string) string {
	if filepath.Base(dir) == "test_hierarchy" {
		return "1.11"
	}
	b, err := os.ReadFile(filepath.Join(dir, "session.json"))
	if err != nil {
		return ""
	}
	var s struct {
		Result struct {
			Version struct{ Major, Minor int } `json:"version"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal(b, &s))
	return fmt.Sprintf("%d.%d", s.Result.Version.Major, s.Result.Version.Minor)
}

// difference is one way the local engine's answers differ from the recorded ones.
type difference struct {
	typ, ver string // object type; API major.minor
	field    string
	what     string // "missing": recorded, not served; "extra": served, not recorded; "kind": JSON types disjoint; "null": served null where recordings never are
}

func (d difference) String() string {
	return fmt.Sprintf("{%q, %q, %q, %q}", d.typ, d.ver, d.field, d.what)
}

// compareShapes lists the differences for every type and version both sides have.
func compareShapes(recorded, served shapes) []difference {
	var out []difference
	for key, ours := range served {
		rec, ok := recorded[key]
		if !ok {
			continue
		}
		typ, ver, _ := strings.Cut(key, "@")
		for f, kinds := range rec {
			got, ok := ours[f]
			switch {
			case !ok:
				out = append(out, difference{typ, ver, f, "missing"})
			case disjoint(kinds, got):
				out = append(out, difference{typ, ver, f, "kind"})
			case got["null"] && !kinds["null"]:
				out = append(out, difference{typ, ver, f, "null"})
			}
		}
		for f := range ours {
			if _, ok := rec[f]; !ok {
				out = append(out, difference{typ, ver, f, "extra"})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// disjoint reports whether two kind sets share no kind other than null (a null on either side
// says nothing about the type).
func disjoint(a, b map[string]bool) bool {
	some := false
	for k := range a {
		if k == "null" {
			continue
		}
		for l := range b {
			if l == "null" {
				continue
			}
			some = true
			if k == l {
				return false
			}
		}
	}
	return some
}

// comparedVersions are the API versions of the recordings, one engine each.
var comparedVersions = map[string]string{"1.8": "1.8.2", "1.9": "1.9.0", "1.10": "1.10.6", "1.11": "1.11.11"}

// servedShapes runs an engine of every platform at each recorded API version, makes it run
// jobs of each kind, and reads every object it serves.
func servedShapes(t *testing.T) shapes {
	out := shapes{}
	for minor, ver := range comparedVersions {
		e := start(t, Options{Seed: allPlatformsSeed(), APIVersion: ver})
		anon := newClient(t, e)
		anon.session(ver)
		out.add(anon.ok("GET", "/about", nil), minor)
		c := login(t, e, "delphix_admin", ver)
		add := func(path string) map[string]any {
			m := c.ok("GET", path, nil)
			out.add(m, minor)
			return m
		}
		c.run("/database/"+prodRef+"/sync", nil)
		c.run("/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters",
			"timeflowPointParameters": obj{"type": "TimeflowPointSemantic", "container": prodRef, "location": "LATEST_SNAPSHOT"}})
		pod := c.pod("prep1")
		c.run(c.js+"/container/"+pod["reference"].(string)+"/refresh", jsBody(ver, "JSDataContainerRefreshParameters"))
		bm := c.bookmark(pod, "b", true)
		c.run(c.js+"/branch", obj{"type": "JSBranchCreateParameters", "name": "x", "dataContainer": pod["reference"],
			"timelinePointParameters": obj{"type": "JSTimelinePointBookmarkInput", "bookmark": bm}})
		for _, p := range []string{"/session", "/user", "/user/current", "/group", "/maskingjob", "/snapshot", "/timeflow",
			c.js + "/template", c.js + "/container", c.js + "/bookmark", c.js + "/branch", c.js + "/datasource",
			c.js + "/operation", "/job", "/source"} {
			add(p)
		}
		for _, d := range add("/database")["result"].([]any) {
			add("/database/" + d.(map[string]any)["reference"].(string))
		}
		for _, j := range add("/job?pageSize=100")["result"].([]any) {
			job := add("/job/" + j.(map[string]any)["reference"].(string))["result"].(map[string]any)
			add("/action/" + job["parentAction"].(string))
		}
	}
	return out
}

// jsBody is a self-service operation's parameters: {} on API 1.8, typed from 1.9.
func jsBody(ver, typ string) obj {
	if strings.HasPrefix(ver, "1.8.") {
		return obj{}
	}
	return obj{"type": typ, "forceOption": false}
}

func TestTheEngineAnswersWithTheFieldsAndTypesOfRecordedRealEngines(t *testing.T) {
	recorded := recordedShapes(t)
	served := servedShapes(t)
	accepted := map[difference]bool{}
	for _, a := range acceptedDifferences {
		require.NotEmpty(t, a.reason, "accepted difference %s %s has no reason", a.typ, a.fields)
		for _, d := range a.expand() {
			_, dup := accepted[d]
			require.False(t, dup, "accepted difference %v is listed twice", d)
			accepted[d] = false
		}
	}
	var unexpected []string
	for _, d := range compareShapes(recorded, served) {
		if _, ok := accepted[d]; ok {
			accepted[d] = true
		} else {
			unexpected = append(unexpected, d.String())
		}
	}
	compared := 0
	for key := range served {
		if recorded[key] != nil {
			compared++
		}
	}
	require.Greater(t, compared, 150, "too few object types compared: the recordings or the engine's answers are not being read")
	if len(unexpected) > 0 {
		t.Errorf("the local engine differs from the recorded real engines in %d ways not listed in acceptedDifferences "+
			"(make the engine answer as recorded, or list the difference with its reason):\n%s",
			len(unexpected), strings.Join(unexpected, "\n"))
	}
	for d, used := range accepted {
		if !used {
			t.Errorf("accepted difference %v no longer occurs: remove it from acceptedDifferences", d)
		}
	}
}

// acceptedDifference is a set of differences the local engine keeps on purpose: the fields
// of one type at some API versions (major.minor, space-separated), all of one kind.
type acceptedDifference struct {
	typ, versions, fields, what string
	reason                      string
}

func (a acceptedDifference) expand() []difference {
	var out []difference
	for _, v := range strings.Fields(a.versions) {
		for _, f := range strings.Fields(a.fields) {
			out = append(out, difference{a.typ, v, f, a.what})
		}
	}
	return out
}

// Reasons shared by many entries.
const (
	notModelled = "platform detail (backups, staging, RMAN, mounts, listeners, statistics) that dxsteps never reads; the local engine does not model it"
	noConfigs   = "the local engine serves no source configs, so a source's config is null, not a SOURCE_CONFIG reference"
	accessible  = "every local source is accessible; the recordings include sources that were not, with their reason"
)

// acceptedDifferences is every way the local engine's answers knowingly differ from the
// recorded real engines' answers.
var acceptedDifferences = []acceptedDifference{
	{"APISession", "1.10 1.11", "locale", "null", "the session echoes the client's locale; dxtoolkit sent one, dxsteps sends none"},
	{"Job", "1.8 1.10", "events", "null", "job lists carry no events (as recorded at 1.9); the recordings at 1.8 and 1.10 hold single jobs only, which do"},

	{"AppDataLinkedDirectSource", "1.8 1.9", "config", "null", noConfigs},
	{"AppDataVirtualSource", "1.8 1.9", "config", "null", noConfigs},
	{"AppDataVirtualSource", "1.9", "hosts toolkit", "missing", "recorded at 1.9 on AppData virtual sources but not on linked ones nor on other platforms' sources; the engine serves both from 1.10, where every recording has them"},
	{"AppDataSourceRuntime", "1.9", "accessibleTimestamp", "missing", accessible},

	{"OracleDatabaseContainer", "1.8 1.9 1.10", "crossPlatformReady databaseFraction", "missing", notModelled},
	{"OracleDatabaseContainer", "1.8 1.9", "endianness", "missing", notModelled},
	{"OracleDatabaseContainer", "1.8 1.9 1.10 1.11", "liveSource", "missing", notModelled},
	{"OracleDBContainerRuntime", "1.8 1.9 1.10", "crossPlatformEligible crossPlatformScriptUploaded", "missing", notModelled},
	{"OracleDBContainerRuntime", "1.8 1.9 1.10 1.11", "liveSourceEligible", "missing", notModelled},
	{"OracleLinkedSource", "1.8 1.9 1.10 1.11", "backupLevelEnabled bandwidthLimit checkLogical compressedLinkingEnabled encryptedLinkingEnabled externalFilePath filesPerSet numberOfConnections rmanChannels", "missing", notModelled},
	{"OracleLinkedSource", "1.9", "hosts", "missing", "recorded on some 1.9 sources and not on others; the engine serves hosts from 1.10"},
	{"OracleLinkedSource", "1.8 1.9 1.10 1.11", "config", "null", noConfigs},
	{"OracleVirtualSource", "1.8 1.9", "manualProvisioning nodeListenerList", "missing", notModelled},
	{"OracleVirtualSource", "1.8 1.9 1.10 1.11", "archivelogMode configParams configTemplate customEnvVars fileMappingRules mountBase redoLogGroups redoLogSizeInMB", "missing", notModelled},
	{"OracleVirtualSource", "1.11", "newDBID runtimeMountInformation", "missing", notModelled},
	{"OracleVirtualSource", "1.9", "hosts lsnrProtocolAddresses", "missing", notModelled},
	{"OracleVirtualSource", "1.10 1.11", "nodeListeners", "missing", notModelled},
	{"OracleVirtualSource", "1.8 1.9 1.10 1.11", "config", "null", noConfigs},
	{"OracleSourceRuntime", "1.8 1.9 1.10 1.11", "activeInstances archivelogEnabled bctEnabled databaseMode databaseRole databaseStats dnfsEnabled lastNonLoggedLocation racEnabled", "missing", notModelled},
	{"OracleSourceRuntime", "1.9 1.10 1.11", "accessibleTimestamp", "missing", accessible},
	{"OracleSourceRuntime", "1.8", "notAccessibleReason", "null", accessible},
	{"OracleSnapshot", "1.8 1.9 1.10", "fractionTimeflows", "missing", notModelled},

	{"MSSqlDatabaseContainer", "1.8 1.9", "delphixManaged", "missing", notModelled},
	{"MSSqlDBContainerRuntime", "1.8 1.9 1.11", "lastRestoredBackupSetUUID", "missing", notModelled},
	{"MSSqlLinkedSource", "1.8 1.9 1.11", "encryptionKey stagingSource", "missing", notModelled},
	{"MSSqlLinkedSource", "1.8 1.9", "backupLocationCredentials backupLocationUser externalFilePath sharedBackupLocation validatedSyncMode", "missing", notModelled},
	{"MSSqlLinkedSource", "1.11", "syncStrategy", "missing", notModelled},
	{"MSSqlLinkedSource", "1.11", "config", "extra", "the recorded 1.11 MSSQL dSources are staged, with their config on the staging source; the local engine keeps the (null) config on the linked source"},
	{"MSSqlLinkedSource", "1.8 1.9", "config", "null", noConfigs},
	{"MSSqlVirtualSource", "1.8 1.9 1.11", "configParams fileMappingRules mountBase postScript preScript", "missing", notModelled},
	{"MSSqlVirtualSource", "1.11", "enableCdcOnProvision", "missing", notModelled},
	{"MSSqlVirtualSource", "1.8 1.9 1.11", "config", "null", noConfigs},
	{"MSSqlSourceRuntime", "1.11", "accessibleTimestamp", "missing", accessible},
	{"MSSqlSourceRuntime", "1.8 1.9", "notAccessibleReason", "null", accessible},
	{"MSSqlSnapshot", "1.9 1.11", "backupSetUUID internalVersion", "missing", notModelled},
	{"MSSqlSnapshot", "1.11", "backupLocationType backupSoftwareType", "missing", notModelled},

	{"ASEDBContainerRuntime", "1.8 1.9 1.11", "lastRestoredBackupDate lastRestoredBackupTimeZone", "missing", notModelled},
	{"ASEDBContainerRuntime", "1.8 1.9 1.11", "preProvisioningStatus", "null", "no pre-provisioning runs on the local engine, so there is no PreProvisioningRuntime to show"},
	{"ASELinkedSource", "1.8 1.9 1.11", "dumpCredentials externalFilePath loadBackupPath loadLocation stagingSource validatedSyncMode", "missing", notModelled},
	{"ASELinkedSource", "1.11", "dumpHistoryFileEnabled", "missing", notModelled},
	{"ASELinkedSource", "1.8 1.9 1.11", "config", "null", noConfigs},
	{"ASEVirtualSource", "1.8 1.9 1.11", "configParams fileMappingRules mountBase", "missing", notModelled},
	{"ASEVirtualSource", "1.11", "runtimeMountInformation", "missing", notModelled},
	{"ASEVirtualSource", "1.8 1.9 1.11", "config", "null", noConfigs},
	{"ASESourceRuntime", "1.8 1.9 1.11", "durabilityLevel truncateLogOnCheckpoint", "missing", notModelled},
	{"ASESourceRuntime", "1.11", "accessibleTimestamp", "missing", accessible},
	{"ASESourceRuntime", "1.9", "notAccessibleReason", "null", accessible},
	{"ASESnapshot", "1.8 1.9", "internalVersion", "missing", notModelled},
	{"ASESnapshot", "1.11", "dbEncryptionKey", "missing", notModelled},
}
