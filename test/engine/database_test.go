package engine

import (
	"net/http"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refs of the workshop estate.
const (
	prodRef   = "APPDATA_CONTAINER-1"
	masterRef = "APPDATA_CONTAINER-2"
)

func TestWorkshopEstateHasTheContractReferences(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	dbs := c.list("/database")
	require.Len(t, dbs, 10)
	prod, master := byName(t, dbs, "Patients Prod"), byName(t, dbs, "Patients Masked Master")
	assert.Equal(t, prodRef, prod["reference"])
	assert.Nil(t, prod["provisionContainer"])
	assert.Equal(t, masterRef, master["reference"])
	assert.Equal(t, prodRef, master["provisionContainer"])
	assert.Equal(t, true, master["masked"])
	assert.Equal(t, "AppDataContainer", master["type"])
	mj := c.list("/maskingjob?container=" + masterRef)
	require.Len(t, mj, 1)
	assert.Equal(t, "Patients masking", mj[0]["name"])
	d := dataset(t, e, "Patients Prod")
	assert.Len(t, d.Contents.Rows, 200)
	assert.Equal(t, 1, d.Contents.DataVersion)
	assert.Len(t, d.Contents.Accounts, 3)
}

func TestSyncCreatesANewestFirstSnapshotOfProdsCurrentData(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	require.NoError(t, e.ChangeProd("Patients Prod"))
	res := c.run("/database/"+prodRef+"/sync", obj{"type": "AppDataSyncParameters", "parameters": obj{"resync": false}})
	assert.Equal(t, "", res["result"])
	snaps := c.list("/snapshot?database=" + prodRef)
	require.Len(t, snaps, 2)
	assert.Equal(t, "AppDataSnapshot", snaps[0]["type"])
	assert.Greater(t, snaps[0]["creationTime"], snaps[1]["creationTime"])
	page := c.list("/snapshot?database=" + prodRef + "&pageSize=1")
	require.Len(t, page, 1)
	assert.Equal(t, snaps[0]["reference"], page[0]["reference"])

	// A refresh from that snapshot brings data version 2.
	c.run("/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSnapshot", "snapshot": snaps[0]["reference"]}})
	assert.Equal(t, 2, dataset(t, e, "Patients Masked Master").Contents.DataVersion)
}

func TestSyncWithoutBodyIsAccepted(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	c.run("/database/"+prodRef+"/sync", nil)
}

func TestAppDataSyncParametersDependOnTheSessionVersion(t *testing.T) {
	e := start(t, Options{})
	old := login(t, e, "delphix_admin", "1.11.5")
	_, err := old.apiErr("POST", "/database/"+prodRef+"/sync", obj{"type": "AppDataSyncParameters", "parameters": obj{"resync": false}})
	assert.Equal(t, idFieldUnknown, err["id"])
	old.run("/database/"+prodRef+"/sync", obj{"type": "AppDataSyncParameters", "resync": false})

	cur := login(t, e, "delphix_admin", "1.11.6")
	_, err = cur.apiErr("POST", "/database/"+prodRef+"/sync", obj{"type": "AppDataSyncParameters", "resync": false})
	assert.Equal(t, idFieldUnknown, err["id"])
	_, err = cur.apiErr("POST", "/database/"+prodRef+"/sync", obj{"type": "AppDataSyncParameters"})
	assert.Equal(t, idFieldRequired, err["id"])
}

func TestWrongOrAbstractSyncTypesGetValidationErrors(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	cases := map[string]string{
		"SyncParameters":             idTypeAbstract,
		"OracleSyncParameters":       idTypeAbstract,
		"RefreshParameters":          idTypeMismatch,
		"NoSuchParameters":           idTypeUnknown,
		"ASENewBackupSyncParameters": idTypeMismatch,
	}
	for typ, id := range cases {
		st, err := c.apiErr("POST", "/database/"+prodRef+"/sync", obj{"type": typ})
		assert.Equal(t, http.StatusOK, st, typ)
		assert.Equal(t, id, err["id"], typ)
		assert.Equal(t, validationAction, err["action"])
		assert.Contains(t, err["details"], "type", typ)
	}
}

func TestRefreshMasksTheDataAndShowsTheMaskingEvent(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	c.run("/database/"+prodRef+"/sync", nil)
	res := c.run("/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSemantic", "container": prodRef, "location": "LATEST_SNAPSHOT"}})
	job := c.get("/job/" + res["job"].(string))
	assert.Equal(t, "DB_REFRESH", job["actionType"])
	assert.Equal(t, masterRef, job["target"])
	assert.Equal(t, 100.0, job["percentComplete"])
	codes := eventCodes(job)
	assert.Contains(t, codes, "event.jobs.maskingjob.execute")
	assert.Equal(t, "event.job.started", codes[0])
	assert.Equal(t, "event.job.completed", codes[len(codes)-1])

	prod, master := dataset(t, e, "Patients Prod"), dataset(t, e, "Patients Masked Master")
	assert.True(t, master.Contents.Masked)
	assert.False(t, prod.Contents.Masked)
	require.Len(t, master.Contents.Rows, len(prod.Contents.Rows))
	for i := range prod.Contents.Rows {
		assert.NotEqual(t, prod.Contents.Rows[i].Name, master.Contents.Rows[i].Name)
		assert.Equal(t, model.MaskName(prod.Contents.Rows[i].Name), master.Contents.Rows[i].Name)
	}
}

func eventCodes(job map[string]any) []string {
	var out []string
	for _, ev := range job["events"].([]any) {
		out = append(out, ev.(map[string]any)["messageCode"].(string))
	}
	return out
}

func TestRefreshRefusesASnapshotOfAnotherContainer(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	masterSnap := c.list("/snapshot?database=" + masterRef)[0]["reference"]
	_, err := c.apiErr("POST", "/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSnapshot", "snapshot": masterSnap}})
	assert.Equal(t, idFieldValue, err["id"])
	_, err = c.apiErr("POST", "/database/"+masterRef+"/refresh", obj{"type": "OracleRefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSemantic", "location": "LATEST_SNAPSHOT"}})
	assert.Equal(t, idTypeMismatch, err["id"])
	_, err = c.apiErr("POST", "/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters"})
	assert.Equal(t, idFieldRequired, err["id"])
	_, err = c.apiErr("POST", "/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters", "bogus": 1,
		"timeflowPointParameters": obj{"type": "TimeflowPointSemantic"}})
	assert.Equal(t, idFieldUnknown, err["id"])
}

func TestASecondJobOnABusyObjectIsRefusedWith409(t *testing.T) {
	e := start(t, Options{Speed: 1})
	c := login(t, e, "delphix_admin", "1.11.9")
	res := c.ok("POST", "/database/"+prodRef+"/sync", nil)
	st, err := c.apiErr("POST", "/database/"+prodRef+"/sync", nil)
	assert.Equal(t, http.StatusConflict, st)
	assert.Equal(t, idBusy, err["id"])
	running := c.list("/job?jobState=RUNNING&target=" + prodRef)
	require.Len(t, running, 1)
	assert.Equal(t, res["job"], running[0]["reference"])
	c.ok("POST", "/job/"+res["job"].(string)+"/cancel", obj{})
	assert.Equal(t, "CANCELED", c.wait(res["job"].(string))["jobState"])
	assert.Len(t, c.list("/snapshot?database="+prodRef), 1, "a canceled sync makes no snapshot")
}

func TestFailNextJobEndsTheJobFailedWithAnErrorEvent(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	e.FailNextJob(JobFault{Target: "Patients Masked Master", ActionType: "DB_REFRESH", Message: "masking engine unreachable"})
	c.run("/database/"+prodRef+"/sync", nil)
	res := c.ok("POST", "/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSemantic", "container": prodRef, "location": "LATEST_SNAPSHOT"}})
	job := c.wait(res["job"].(string))
	assert.Equal(t, "FAILED", job["jobState"])
	evs := job["events"].([]any)
	last := evs[len(evs)-1].(map[string]any)
	assert.Equal(t, "ERROR", last["eventType"])
	assert.Equal(t, "masking engine unreachable", last["messageDetails"])
	assert.NotNil(t, last["messageAction"])
	act := c.get("/action/" + res["action"].(string))
	assert.Equal(t, "FAILED", act["state"])
	// The next refresh is fine again.
	c.run("/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSemantic", "container": prodRef, "location": "LATEST_SNAPSHOT"}})
}

func TestSourceConnectionInfoGivesHostPortDatabaseAndUser(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	src := c.list("/source?database=" + masterRef)
	require.Len(t, src, 1)
	assert.Equal(t, "AppDataVirtualSource", src[0]["type"])
	info := c.get("/source/" + src[0]["reference"].(string) + "/connectionInfo")
	assert.Equal(t, "PgSQLSourceConnectionInfo", info["type"])
	assert.Equal(t, "target-db.workshop.local", info["host"])
	assert.Equal(t, 5433.0, info["port"])
	assert.Equal(t, "postgres", info["user"])
	assert.Equal(t, "jdbc:postgresql://target-db.workshop.local:5433/patients_master", info["jdbcString"])
}
