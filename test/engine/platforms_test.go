package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// platformSeed is an MSSQL estate in New York masked through a configure-clone masking hook,
// an Oracle dSource and an ASE VDB whose hook has no name (created before API 1.9).
func platformSeed() *Seed {
	s := &Seed{Users: []SeedUser{{Name: "delphix_admin", Password: "landshark", Admin: true}}}
	ms := Connection{Host: "mssql.example", Port: 1433, Database: "billing"}
	s.DSources = []SeedDatabase{
		{Name: "Billing Prod", Platform: "mssql", Timezone: "America/New_York", Group: "Sources", Connection: ms,
			Data: &SeedData{Rows: 20, DataVersion: 1}},
		{Name: "Orders Prod", Platform: "oracle", Timezone: "Europe/Dublin", Group: "Sources",
			Connection: Connection{Host: "ora.example", Port: 1521, Database: "ORDERS"}, Data: &SeedData{Rows: 5}},
		{Name: "Ledger Prod", Platform: "ase", Group: "Sources", Connection: Connection{Host: "ase.example", Port: 5000,
			Database: "ledger", User: "sa"}, Data: &SeedData{Rows: 5}},
	}
	s.VDBs = []SeedDatabase{
		{Name: "Billing Masked", Platform: "mssql", Timezone: "America/New_York", Group: "Masked", Parent: "Billing Prod",
			Connection: ms, ConfigureClone: []SeedHook{{Type: "RunMaskingJobOnSourceOperation", Name: "maskbilling",
				MaskingJobID: "3", ApplicationID: "BILLING"}}},
		{Name: "Billing Dev", Platform: "mssql", Group: "Dev", Parent: "Billing Prod", Connection: ms},
		{Name: "Ledger QA", Platform: "ase", Group: "QA", Parent: "Ledger Prod", Connection: Connection{Host: "ase.example",
			Port: 5001, Database: "ledger_qa", User: "sa"}, ConfigureClone: []SeedHook{{Type: "RunBashOnSourceOperation", Command: "true"}}},
	}
	return s
}

func refsByName(c *client, path string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, o := range c.list(path) {
		out[o["name"].(string)] = o
	}
	return out
}

func TestSnapshotsAreNamedAfterTheirDataTimeInTheSourcesZoneExceptOracle(t *testing.T) {
	e := start(t, Options{Seed: platformSeed()})
	c := login(t, e, "delphix_admin", "1.11.9")
	dbs := refsByName(c, "/database")
	c.run("/database/"+dbs["Billing Prod"]["reference"].(string)+"/sync",
		obj{"type": "MSSqlExistingMostRecentBackupSyncParameters"})
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)

	for name, zone := range map[string]*time.Location{"Billing Prod": ny, "Ledger Prod": time.UTC} {
		snaps := c.list("/snapshot?database=" + dbs[name]["reference"].(string))
		require.NotEmpty(t, snaps, name)
		for _, s := range snaps {
			data, err := time.Parse(time.RFC3339Nano, s["latestChangePoint"].(map[string]any)["timestamp"].(string))
			require.NoError(t, err)
			created, err := time.Parse(time.RFC3339Nano, s["creationTime"].(string))
			require.NoError(t, err)
			assert.False(t, data.After(created), "%s: data time %s after creation %s", name, data, created)
			assert.Equal(t, "@"+data.In(zone).Format("2006-01-02T15:04:05.000"), s["name"], name)
			assert.False(t, strings.HasSuffix(s["name"].(string), "Z"), name)
			_, offset := data.In(zone).Zone()
			assert.True(t, strings.HasSuffix(s["timezone"].(string), data.In(zone).Format("-0700")), "%s: %v (offset %d)", name, s["timezone"], offset)
		}
	}
	// The seeded dSource's data is older than its snapshot, so the name differs from the creation time.
	first := c.list("/snapshot?database=" + dbs["Billing Prod"]["reference"].(string))
	last := first[len(first)-1]
	assert.NotEqual(t, last["creationTime"], last["latestChangePoint"].(map[string]any)["timestamp"])

	for _, s := range c.list("/snapshot?database=" + dbs["Orders Prod"]["reference"].(string)) {
		assert.Equal(t, "@"+s["creationTime"].(string), s["name"])
		assert.Regexp(t, `^\d+$`, s["latestChangePoint"].(map[string]any)["location"])
	}
}

func TestAMaskingHookMasksEveryRefreshAndTheContainerSaysMasked(t *testing.T) {
	e := start(t, Options{Seed: platformSeed()})
	c := login(t, e, "delphix_admin", "1.9.0")
	dbs := refsByName(c, "/database")
	masked, dev, prod := dbs["Billing Masked"], dbs["Billing Dev"], dbs["Billing Prod"]
	assert.Equal(t, true, masked["masked"])
	assert.Equal(t, false, dev["masked"])
	assert.True(t, dataset(t, e, "Billing Masked").Contents.Masked, "seeded through the hook")

	require.NoError(t, e.ChangeProd("Billing Prod"))
	c.run("/database/"+prod["reference"].(string)+"/sync", obj{"type": "MSSqlExistingMostRecentBackupSyncParameters"})
	point := obj{"type": "TimeflowPointSemantic", "container": prod["reference"], "location": "LATEST_SNAPSHOT"}
	for _, vdb := range []map[string]any{masked, dev} {
		c.run("/database/"+vdb["reference"].(string)+"/refresh", obj{"type": "RefreshParameters", "timeflowPointParameters": point})
	}
	m, d := dataset(t, e, "Billing Masked"), dataset(t, e, "Billing Dev")
	assert.True(t, m.Contents.Masked)
	assert.Equal(t, 2, m.Contents.DataVersion)
	assert.False(t, d.Contents.Masked)
	assert.NotEqual(t, d.Contents.Rows[0].Name, m.Contents.Rows[0].Name, "the masked VDB holds masked names")

	tfs := refsByName(c, "/timeflow?database="+masked["reference"].(string))
	var kinds []string
	for _, tf := range tfs {
		kinds = append(kinds, tf["creationType"].(string))
		assert.Equal(t, "MSSqlTimeflow", tf["type"])
	}
	assert.ElementsMatch(t, []string{"INITIAL", "TRANSFORMATION"}, kinds, "a masked refresh starts a TRANSFORMATION timeflow")
	cur := c.get("/database/" + masked["reference"].(string))["currentTimeflow"].(string)
	tf := c.get("/timeflow/" + cur)
	assert.Equal(t, "TRANSFORMATION", tf["creationType"])
	assert.Regexp(t, `^DB_REFRESH@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`, tf["name"])
	assert.NotNil(t, tf["parentSnapshot"])
}

func TestDatabaseJobsNameTheirTargetGroupSlashNameAndStayCancelable(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.10.6")
	res := c.run("/database/"+prodRef+"/sync", nil)
	j := c.get("/job/" + res["job"].(string))
	assert.Equal(t, "Sources/Patients Prod", j["targetName"])
	assert.Equal(t, true, j["cancelable"], "real engines show finished jobs cancelable")
	assert.EqualValues(t, 100, j["percentComplete"])
	assert.NotEmpty(t, j["events"])
	listed := byRef(t, c.list("/job"), res["job"].(string))
	assert.Nil(t, listed["events"], "job lists carry no events")
	assert.EqualValues(t, 0, listed["percentComplete"], "as recorded, listed jobs show no progress")
	assert.Equal(t, "COMPLETED", listed["parentActionState"])
}

func byRef(t *testing.T, list []map[string]any, ref string) map[string]any {
	t.Helper()
	for _, o := range list {
		if o["reference"] == ref {
			return o
		}
	}
	t.Fatalf("no %s in list", ref)
	return nil
}

func TestOldClientsGetTheFieldsOfTheirVersionOnly(t *testing.T) {
	e := start(t, Options{Seed: platformSeed()})
	old := login(t, e, "delphix_admin", "1.8.2")
	now := login(t, e, "delphix_admin", "1.11.9")
	about := func(c *client) map[string]any { return c.ok("GET", "/about", nil)["result"].(map[string]any) }
	for _, f := range []string{"banner", "kernelName", "theme"} {
		assert.NotContains(t, about(old), f)
		assert.Contains(t, about(now), f)
	}
	u := old.get("/user/current")
	assert.Equal(t, false, u["passwordUpdateRequested"])
	assert.Equal(t, false, u["apiUser"])
	assert.NotContains(t, now.get("/user/current"), "passwordUpdateRequested")

	oldSrc, nowSrc := refsByName(old, "/source")["Billing Masked"], refsByName(now, "/source")["Billing Masked"]
	for _, f := range []string{"logCollectionEnabled", "hosts"} {
		assert.NotContains(t, oldSrc, f)
		assert.Contains(t, nowSrc, f)
	}
	assert.Equal(t, false, oldSrc["restoration"])
	assert.NotContains(t, nowSrc, "restoration")
	assert.Equal(t, false, refsByName(old, "/database")["Orders Prod"]["restoration"])
	assert.NotContains(t, refsByName(old, "/database")["Orders Prod"], "racMaxInstanceLag")
	hook := oldSrc["operations"].(map[string]any)["configureClone"].([]any)[0].(map[string]any)
	assert.NotContains(t, hook, "name", "hooks have names from API 1.9")
	v19 := refsByName(login(t, e, "delphix_admin", "1.9.0"), "/source")["Billing Masked"]
	assert.Equal(t, "maskbilling", v19["operations"].(map[string]any)["configureClone"].([]any)[0].(map[string]any)["name"])
	assert.Empty(t, nowSrc["operations"].(map[string]any)["configureClone"], "no masking hook type in API 1.11")
}

func TestAHookWithoutANameIsShownAndItsUnchangedListRefusedClearlyOn19(t *testing.T) {
	e := start(t, Options{Seed: platformSeed()})
	c := login(t, e, "delphix_admin", "1.9.0")
	src := refsByName(c, "/source")["Ledger QA"]
	hooks := src["operations"].(map[string]any)["configureClone"].([]any)
	require.Len(t, hooks, 1)
	assert.NotContains(t, hooks[0], "name", "as recorded on a 1.9 engine")

	body := obj{"type": src["type"], "operations": obj{"type": "VirtualSourceOperations", "configureClone": hooks}}
	_, err := c.apiErr("POST", "/source/"+src["reference"].(string), body)
	assert.Equal(t, idFieldRequired, err["id"])
	detail := err["details"].(map[string]any)["operations.configureClone[0].name"].(map[string]any)["details"].(string)
	assert.Contains(t, detail, "has no name")

	hooks[0].(map[string]any)["name"] = "named now"
	c.ok("POST", "/source/"+src["reference"].(string), body)
	got := c.get("/source/" + src["reference"].(string))["operations"].(map[string]any)["configureClone"].([]any)
	assert.Equal(t, "named now", got[0].(map[string]any)["name"])
}

func TestOracleRACSourcesGiveScanNodesAndJDBCStringsWithThePort(t *testing.T) {
	e := start(t, Options{Seed: allPlatformsSeed()})
	c := login(t, e, "delphix_admin", "1.11.9")
	src := refsByName(c, "/source")["Claims Prod"]
	ci := c.get("/source/" + src["reference"].(string) + "/connectionInfo")
	assert.Equal(t, "OracleRACSourceConnectionInfo", ci["type"])
	assert.NotContains(t, ci, "host")
	assert.NotContains(t, ci, "port")
	assert.Equal(t, "db.example", ci["scan"])
	assert.Len(t, ci["nodes"], 2)
	assert.Contains(t, ci["jdbcStrings"].([]any)[0], "(PORT=1524)")
}

// servedVersions are API versions the local engine serves, one per release it stands for
// and both ends of 1.11.
var servedVersions = []string{"1.8.0", "1.9.0", "1.10.6", "1.11.0", "1.11.9"}

// A VDB masked through a RunMaskingJobOnSourceOperation hook (recorded at API 1.9; no such
// type in the 1.11.9 schema): below 1.11 the hook is listed and the list read is accepted
// back; from 1.11 it is not listed, the list read (plus a hook) is accepted back, a masking
// hook sent anyway is refused as unknown, and the masking stays at every version.
func TestAMaskingHookListIsAcceptedBackAtEveryVersion(t *testing.T) {
	for _, ver := range servedVersions {
		t.Run(ver, func(t *testing.T) {
			e := start(t, Options{Seed: platformSeed()})
			c := login(t, e, "delphix_admin", ver)
			src := refsByName(c, "/source")["Billing Masked"]
			hooks := src["operations"].(map[string]any)["configureClone"].([]any)
			listed := mustVersion(ver).less(mustVersion("1.11.0"))
			if listed {
				require.Len(t, hooks, 1)
				assert.Equal(t, "RunMaskingJobOnSourceOperation", hooks[0].(map[string]any)["type"])
			} else {
				assert.Empty(t, hooks)
			}
			hooks = append(hooks, obj{"type": "RunBashOnSourceOperation", "name": "after", "command": "true"})
			body := obj{"type": src["type"], "operations": obj{"type": "VirtualSourceOperations", "configureClone": hooks}}
			c.ok("POST", "/source/"+src["reference"].(string), body)
			got := c.get("/source/" + src["reference"].(string))["operations"].(map[string]any)["configureClone"].([]any)
			assert.Len(t, got, len(hooks), "what was read and sent back is what is listed")
			if !listed {
				masking := obj{"type": "RunMaskingJobOnSourceOperation", "name": "m", "maskingJobId": "3"}
				body["operations"].(obj)["configureClone"] = []any{masking}
				_, err := c.apiErr("POST", "/source/"+src["reference"].(string), body)
				assert.Equal(t, idTypeUnknown, err["id"])
			}
			db := refsByName(c, "/database")["Billing Masked"]
			assert.Equal(t, true, db["masked"], "the masking hook is still there")
			old := login(t, e, "delphix_admin", "1.9.0")
			all := refsByName(old, "/source")["Billing Masked"]["operations"].(map[string]any)["configureClone"].([]any)
			require.Len(t, all, 2)
			assert.Equal(t, "RunMaskingJobOnSourceOperation", all[0].(map[string]any)["type"])
			assert.Equal(t, "after", all[1].(map[string]any)["name"])
		})
	}
}

// DCT shows hooks as a 1.11 engine does: a masking hook is not listed, and a configure_clone
// list sent through PATCH keeps it, so the VDB stays masked.
func TestADCTHookListKeepsTheMaskingHookItDoesNotShow(t *testing.T) {
	e := start(t, Options{Seed: platformSeed()})
	c := dctClient(t, dctServer(t, e, "/dct/v3"), "/dct/v3", 1, "delphix_admin")
	v, err := c.VDBs.FindByName(t.Context(), "Billing Masked")
	require.NoError(t, err)
	assert.Empty(t, v.Hooks.ConfigureClone)
	waitOn(t, c)(c.VDBs.SetHooks(t.Context(), v.ID, dct.Hooks{ConfigureClone: []dct.Hook{{Name: "after", Command: "true"}}}))
	v, err = c.VDBs.Get(t.Context(), v.ID)
	require.NoError(t, err)
	require.Len(t, v.Hooks.ConfigureClone, 1)
	assert.Equal(t, "after", v.Hooks.ConfigureClone[0].Name)
	old := login(t, e, "delphix_admin", "1.9.0")
	all := refsByName(old, "/source")["Billing Masked"]["operations"].(map[string]any)["configureClone"].([]any)
	require.Len(t, all, 2)
	assert.Equal(t, "RunMaskingJobOnSourceOperation", all[0].(map[string]any)["type"])
	assert.Equal(t, true, refsByName(old, "/database")["Billing Masked"]["masked"])
}
