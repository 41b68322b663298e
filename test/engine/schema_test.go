package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schemaType is the part of schema-1.11.9.json the tests use.
type schemaType struct {
	Abstract bool `json:"abstract"`
	Fields   map[string]struct {
		Required bool    `json:"required"`
		Create   *string `json:"create"`
	} `json:"fields"`
}

// reference returns a path under ../shared/reference (relative to the repo root). It skips
// the test when the folder is absent, except under CI=true where that is a failure.
func reference(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "reference", rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("reference file %s is missing (CI=true): %v", p, err)
		}
		t.Skipf("reference file %s is absent; skipping the check against the engine schema", p)
	}
	return p
}

func loadSchema(t *testing.T) map[string]schemaType {
	t.Helper()
	b, err := os.ReadFile(reference(t, "engine/schema-1.11.9.json"))
	require.NoError(t, err)
	var s struct {
		Types map[string]schemaType `json:"types"`
	}
	require.NoError(t, json.Unmarshal(b, &s))
	return s.Types
}

func TestInputTableAgreesWithTheEngineSchema(t *testing.T) {
	schema := loadSchema(t)
	v := mustVersion("1.11.9")
	names := make([]string, 0, len(inputTypes))
	for n := range inputTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		it := inputTypes[name]
		if !inRange(v, it.since, it.until) {
			continue // a type of older API versions only
		}
		st, ok := schema[name]
		if !assert.True(t, ok, "type %s is not in the schema", name) {
			continue
		}
		if it.abstract || (it.abstractSince != "" && v.atLeast(it.abstractSince)) {
			continue // abstract at 1.11.9: no fields to compare
		}
		for fname, f := range it.fields {
			if !inRange(v, f.since, f.until) {
				continue
			}
			sf, ok := st.Fields[fname]
			if !assert.True(t, ok, "%s.%s is not in the schema", name, fname) {
				continue
			}
			want := sf.Required || (sf.Create != nil && *sf.Create == "required")
			got := f.required || (f.requiredSince != "" && v.atLeast(f.requiredSince))
			assert.Equal(t, want, got, "%s.%s: required in the schema = %v", name, fname, want)
		}
	}
}

// allPlatformsSeed is the workshop plus an Oracle, an MSSQL, an ASE and an Oracle RAC dSource
// with a VDB each.
func allPlatformsSeed() *Seed {
	s := WorkshopSeed()
	for i, p := range []struct{ plat, name string }{{"oracle", "Orders"}, {"mssql", "Billing"}, {"ase", "Ledger"}, {"oracle-rac", "Claims"}} {
		conn := Connection{Host: "db.example", Port: 1521 + i, Database: model.DBName(p.name), User: "dx"}
		s.DSources = append(s.DSources, SeedDatabase{Name: p.name + " Prod", Platform: p.plat, Group: "Sources",
			Connection: conn, Data: &SeedData{Rows: 5, DataVersion: 1}})
		s.VDBs = append(s.VDBs, SeedDatabase{Name: p.name + " QA", Platform: p.plat, Group: "QA", Parent: p.name + " Prod",
			Connection: conn, ConfigureClone: []SeedHook{{Type: "RunBashOnSourceOperation", Name: "noop", Command: "true"}}})
	}
	return s
}

func TestEveryEmittedObjectUsesOnlySchemaFieldsOfItsType(t *testing.T) {
	schema := loadSchema(t)
	e := start(t, Options{Seed: allPlatformsSeed()})
	c := login(t, e, "delphix_admin", "1.11.9")
	// Make jobs, actions, bookmarks, branches and operations exist.
	c.run("/database/"+prodRef+"/sync", nil)
	pod := c.pod("prep1")
	bm := c.bookmark(pod, "b", true)
	c.run(c.js+"/branch", obj{"type": "JSBranchCreateParameters", "name": "x", "dataContainer": pod["reference"],
		"timelinePointParameters": obj{"type": "JSTimelinePointBookmarkInput", "bookmark": bm}})
	lock := c.ok("POST", c.js+"/container/"+pod["reference"].(string)+"/lock", obj{"type": "JSDataContainerLockParameters", "lockUser": "USER-1"})

	var bodies []any
	get := func(path string) map[string]any {
		m := c.ok("GET", path, nil)
		bodies = append(bodies, m)
		return m
	}
	for _, p := range []string{"/about", "/session", "/user", "/user/current", "/group", "/maskingjob", "/snapshot", "/timeflow",
		c.js + "/template", c.js + "/container", c.js + "/bookmark", c.js + "/branch", c.js + "/datasource", c.js + "/operation",
		"/job?addEvents=true", "/action/" + lock["action"].(string)} {
		get(p)
	}
	for _, d := range get("/database")["result"].([]any) {
		get("/database/" + d.(map[string]any)["reference"].(string))
	}
	for _, s := range get("/source")["result"].([]any) {
		get("/source/" + s.(map[string]any)["reference"].(string) + "/connectionInfo")
	}
	for _, j := range get("/job")["result"].([]any) {
		get("/job/" + j.(map[string]any)["reference"].(string))
	}
	_, errBody := c.call("GET", "/database/NOPE-1", nil)
	bodies = append(bodies, errBody)

	seen := map[string]bool{}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			typ, _ := x["type"].(string)
			st, ok := schema[typ]
			if typ != "" {
				seen[typ] = true
				assert.True(t, ok, "%s: type %q not in schema", path, typ)
			}
			for k, val := range x {
				if typ != "" && ok && typ != "ErrorResult" {
					_, known := st.Fields[k]
					assert.True(t, known, "%s: %s.%s not in schema", path, typ, k)
				}
				if typ == "APIError" && k == "details" {
					continue // a map of field name -> error, not an object type
				}
				walk(val, path+"."+k)
			}
		case []any:
			for _, y := range x {
				walk(y, path+"[]")
			}
		}
	}
	for _, b := range bodies {
		walk(b, "")
	}
	for _, typ := range []string{"OracleDatabaseContainer", "MSSqlSnapshot", "ASEVirtualSource", "JSBookmark", "JobEvent",
		"PgSQLSourceConnectionInfo", "OracleSISourceConnectionInfo", "OracleRACSourceConnectionInfo", "MSSqlTimeflow",
		"Action", "APIError"} {
		assert.True(t, seen[typ], "walk saw no %s", typ)
	}
}

func TestSyncParameterTypesPerPlatformAndVersion(t *testing.T) {
	e := start(t, Options{Seed: allPlatformsSeed()})
	refs := map[string]string{}
	admin := login(t, e, "delphix_admin", "1.11.9")
	for _, d := range admin.list("/database") {
		refs[d["name"].(string)] = d["reference"].(string)
	}
	cases := []struct {
		ver, db, typ string
		body         obj
		id           string // "" = accepted
	}{
		{"1.10.0", "Orders Prod", "OracleSyncParameters", nil, ""},
		{"1.11.7", "Orders Prod", "OracleSyncParameters", nil, ""},
		{"1.11.8", "Orders Prod", "OracleSyncParameters", nil, idTypeAbstract},
		{"1.11.8", "Orders Prod", "OracleSyncFromExternalParameters", obj{"forceFullBackup": false}, ""},
		{"1.10.0", "Orders Prod", "OracleSyncFromExternalParameters", nil, idTypeUnknown},
		{"1.8.2", "Billing Prod", "MSSqlSyncParameters", obj{"loadFromBackup": true}, ""},
		{"1.9.0", "Billing Prod", "MSSqlSyncParameters", nil, idTypeAbstract},
		{"1.9.0", "Billing Prod", "MSSqlExistingMostRecentBackupSyncParameters", nil, ""},
		{"1.9.0", "Billing QA", "MSSqlNewCopyOnlyFullBackupSyncParameters", nil, idFieldRequired},
		{"1.9.0", "Billing QA", "MSSqlNewCopyOnlyFullBackupSyncParameters", obj{"compressionEnabled": false}, ""},
		{"1.11.9", "Ledger Prod", "ASELatestBackupSyncParameters", nil, ""},
		{"1.11.9", "Ledger Prod", "AppDataSyncParameters", obj{"parameters": obj{}}, idTypeMismatch},
	}
	for _, tc := range cases {
		c := login(t, e, "delphix_admin", tc.ver)
		body := obj{"type": tc.typ}
		for k, v := range tc.body {
			body[k] = v
		}
		name := tc.ver + " " + tc.db + " " + tc.typ
		if tc.id == "" {
			c.run("/database/"+refs[tc.db]+"/sync", body)
			continue
		}
		_, err := c.apiErr("POST", "/database/"+refs[tc.db]+"/sync", body)
		assert.Equal(t, tc.id, err["id"], name)
	}
	// Oracle VDBs take OracleRefreshParameters.
	admin.run("/database/"+refs["Orders QA"]+"/refresh", obj{"type": "OracleRefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSemantic", "container": refs["Orders Prod"], "location": "LATEST_SNAPSHOT"}})
}
