package engine

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pod returns a container by name as the caller sees it.
func (c *client) pod(name string) map[string]any {
	c.t.Helper()
	return byName(c.t, c.list(c.js+"/container"), name)
}

func (c *client) bookmark(pod map[string]any, name string, shared bool) string {
	c.t.Helper()
	res := c.run(c.js+"/bookmark", obj{"type": "JSBookmarkCreateParameters",
		"bookmark":                obj{"type": "JSBookmark", "name": name, "branch": pod["activeBranch"], "shared": shared, "tags": []string{"t1"}},
		"timelinePointParameters": obj{"type": "JSTimelinePointLatestTimeInput", "sourceDataLayout": pod["reference"]}})
	return res["result"].(string)
}

func putRows(t *testing.T, e *Engine, name string, rows []Row) {
	t.Helper()
	_, err := e.ChangeDataset(name, func(c *Contents) error { c.Rows = rows; return nil })
	require.NoError(t, err)
}

func TestSelfServicePrefixFollowsTheSessionVersion(t *testing.T) {
	e := start(t, Options{})
	for ver, want := range map[string]string{"1.8.0": "/jetstream", "1.9.3": "/jetstream", "1.10.0": "/selfservice", "1.11.9": "/selfservice"} {
		c := login(t, e, "delphix_admin", ver)
		assert.Len(t, c.list(want+"/container"), 8, ver)
		other := map[string]string{"/jetstream": "/selfservice", "/selfservice": "/jetstream"}[want]
		st, _ := c.raw("GET", other+"/container", nil)
		assert.Equal(t, http.StatusNotFound, st, ver)
	}
}

// A refresh takes the template's latest provisionable point, its master's newest snapshot:
// data the master holds but no snapshot has yet is not one.
func TestContainerRefreshCopiesTheTemplatesNewestSnapshot(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	putRows(t, e, "Patients Masked Master", []Row{{ID: 1, Name: "new"}})
	prep1 := c.pod("prep1")
	c.run(c.js+"/container/"+prep1["reference"].(string)+"/refresh", obj{"type": "JSDataContainerRefreshParameters", "forceOption": false})
	assert.Len(t, dataset(t, e, "prep1").Contents.Rows, 200, "the master's live data is no provisionable point")
	c.run("/database/"+dataset(t, e, "Patients Masked Master").Reference+"/sync", nil)
	assert.Equal(t, "JS_DATA_TEMPLATE-1", prep1["template"])
	c.run(c.js+"/container/"+prep1["reference"].(string)+"/refresh", obj{"type": "JSDataContainerRefreshParameters", "forceOption": false})
	assert.Equal(t, []Row{{ID: 1, Name: "new"}}, dataset(t, e, "prep1").Contents.Rows)
	assert.Len(t, dataset(t, e, "prep2").Contents.Rows, 200, "other pods keep their data")
	assert.Equal(t, "REFRESH", c.list(c.js + "/operation?dataLayout=" + prep1["reference"].(string))[0]["operation"])
}

func TestContainerOperationBodiesFollowTheVersion(t *testing.T) {
	e := start(t, Options{})
	old := login(t, e, "delphix_admin", "1.8.0")
	ref := old.pod("prep1")["reference"].(string)
	old.run("/jetstream/container/"+ref+"/refresh", obj{})
	_, err := old.apiErr("POST", "/jetstream/container/"+ref+"/reset", obj{"type": "JSDataContainerResetParameters", "forceOption": false})
	assert.Equal(t, idTypeUnknown, err["id"])
	cur := login(t, e, "delphix_admin", "1.9.0")
	_, err = cur.apiErr("POST", "/jetstream/container/"+ref+"/reset", obj{})
	assert.Equal(t, idFieldRequired, err["id"])
	cur.run("/jetstream/container/"+ref+"/reset", obj{"type": "JSDataContainerResetParameters", "forceOption": false})
}

func TestRestoreToABookmarkRestoresExactlyItsDataAndResetUndoesChanges(t *testing.T) {
	e := start(t, Options{})
	for _, ver := range []string{"1.8.0", "1.11.9"} {
		c := login(t, e, "qa", ver)
		pod := c.pod("qa-pod")
		ref := pod["reference"].(string)
		edge := []Row{{ID: 1, Name: "-1"}, {ID: 2, Name: "deleted"}, {ID: 3, Name: "''''"}}
		putRows(t, e, "qa-pod", edge)
		bm := c.bookmark(pod, "after the edge case data "+ver, false)
		putRows(t, e, "qa-pod", []Row{})
		point := obj{"type": "JSTimelinePointBookmarkInput", "bookmark": bm}
		body := point
		if ver != "1.8.0" {
			body = obj{"type": "JSDataContainerRestoreParameters", "forceOption": false, "timelinePointParameters": point}
		}
		c.run(c.js+"/container/"+ref+"/restore", body)
		assert.Equal(t, edge, dataset(t, e, "qa-pod").Contents.Rows, ver)

		putRows(t, e, "qa-pod", []Row{{ID: 9, Name: "scratch"}})
		resetBody := any(obj{})
		if ver != "1.8.0" {
			resetBody = obj{"type": "JSDataContainerResetParameters", "forceOption": false}
		}
		c.run(c.js+"/container/"+ref+"/reset", resetBody)
		assert.Equal(t, edge, dataset(t, e, "qa-pod").Contents.Rows, "reset returns to the last data operation")
	}
}

func TestUsersSeeOnlyTheirOwnContainersAndOwnOrSharedBookmarks(t *testing.T) {
	e := start(t, Options{})
	qa, dev, admin := login(t, e, "qa", "1.11.9"), login(t, e, "dev", "1.11.9"), login(t, e, "delphix_admin", "1.11.9")
	qaPods := qa.list(qa.js + "/container")
	require.Len(t, qaPods, 1)
	assert.Equal(t, "qa-pod", qaPods[0]["name"])
	devRef := admin.pod("dev-pod")["reference"].(string)
	st, err := qa.apiErr("GET", qa.js+"/container/"+devRef, nil)
	assert.Equal(t, http.StatusForbidden, st)
	assert.Equal(t, idPermission, err["id"])

	private := qa.bookmark(qa.pod("qa-pod"), "private", false)
	shared := qa.bookmark(qa.pod("qa-pod"), "Bug 1234 data", true)
	var names []string
	for _, b := range dev.list(dev.js + "/bookmark") {
		names = append(names, b["name"].(string))
	}
	assert.Equal(t, []string{"Bug 1234 data"}, names)
	st, _ = dev.apiErr("GET", dev.js+"/bookmark/"+private, nil)
	assert.Equal(t, http.StatusForbidden, st)
	assert.Len(t, admin.list(admin.js+"/bookmark"), 2)
	b := dev.get(dev.js + "/bookmark/" + shared)
	assert.Equal(t, "DATA_CONTAINER", b["bookmarkType"])
	assert.Equal(t, "qa-pod", b["containerName"])
	assert.Equal(t, []any{"t1"}, b["tags"])
}

func TestDisableEnableRecoverAndLock(t *testing.T) {
	e := start(t, Options{})
	admin, qa := login(t, e, "delphix_admin", "1.11.9"), login(t, e, "qa", "1.11.9")
	ref := qa.pod("qa-pod")["reference"].(string)
	qa.run(qa.js+"/container/"+ref+"/disable", nil)
	assert.Equal(t, "OFFLINE", qa.pod("qa-pod")["state"])
	_, err := qa.apiErr("POST", qa.js+"/container/"+ref+"/refresh", obj{"type": "JSDataContainerRefreshParameters", "forceOption": false})
	assert.Equal(t, idFieldValue, err["id"])
	qa.run(qa.js+"/container/"+ref+"/enable", obj{})
	assert.Equal(t, "ONLINE", qa.pod("qa-pod")["state"])

	resp, herr := http.Post(e.TestAPIURL()+"/faults", "application/json",
		jsonBody(t, obj{"containerState": obj{"container": "qa-pod", "state": "INCONSISTENT"}}))
	require.NoError(t, herr)
	resp.Body.Close()
	assert.Equal(t, "INCONSISTENT", qa.pod("qa-pod")["state"])
	qa.run(qa.js+"/container/"+ref+"/recover", nil)
	assert.Equal(t, "ONLINE", qa.pod("qa-pod")["state"])

	res := qa.ok("POST", qa.js+"/container/"+ref+"/lock", obj{"type": "JSDataContainerLockParameters", "lockUser": "USER-2"})
	assert.Nil(t, res["job"])
	assert.NotNil(t, res["action"])
	pod := admin.pod("qa-pod")
	assert.Equal(t, "USER-2", pod["lockUserReference"])
	assert.Equal(t, "qa", pod["lockUserName"])
	st, err := admin.apiErr("POST", admin.js+"/container/"+ref+"/refresh", obj{"type": "JSDataContainerRefreshParameters", "forceOption": false})
	assert.Equal(t, http.StatusForbidden, st)
	assert.Equal(t, idPermission, err["id"])
	qa.ok("POST", qa.js+"/container/"+ref+"/unlock", obj{})
	assert.Nil(t, admin.pod("qa-pod")["lockUserReference"])

	old := login(t, e, "delphix_admin", "1.10.0")
	_, has := old.pod("qa-pod")["lockUserReference"]
	assert.False(t, has, "lock fields are API 1.11")
}

func TestTemplateBookmarkCapturesTheMasterAndContainerCreateUsesAFreeVDB(t *testing.T) {
	e := start(t, Options{Seed: withSpareVDB()})
	c := login(t, e, "delphix_admin", "1.11.9")
	tmpl := byName(t, c.list(c.js+"/template"), "Patients")
	bm := c.bookmark(tmpl, "2019-03-14 101502 FULL", true)
	assert.Equal(t, "DATA_TEMPLATE", c.get(c.js + "/bookmark/" + bm)["bookmarkType"])

	spare := byName(t, c.list("/database"), "spare DB")
	res := c.run(c.js+"/container", obj{"type": "JSDataContainerCreateWithRefreshParameters", "name": "new-pod",
		"template": tmpl["reference"], "owners": []string{"USER-3"},
		"dataSources": []any{obj{"type": "JSDataSourceCreateParameters", "container": spare["reference"],
			"source": obj{"type": "JSDataSource", "name": "patients", "priority": 1}}},
		"timelinePointParameters": obj{"type": "JSTimelinePointBookmarkInput", "bookmark": bm}})
	pod := c.get(c.js + "/container/" + res["result"].(string))
	assert.Equal(t, "new-pod", pod["name"])
	assert.Equal(t, "USER-3", pod["owner"])
	assert.Equal(t, dataset(t, e, "Patients").Contents, dataset(t, e, "new-pod").Contents)
	ds := c.list(c.js + "/datasource?dataLayout=" + pod["reference"].(string))
	require.Len(t, ds, 1)
	assert.Equal(t, "PgSQLSourceConnectionInfo", ds[0]["runtime"].(map[string]any)["type"])
}

func withSpareVDB() *Seed {
	s := WorkshopSeed()
	s.VDBs = append(s.VDBs, SeedDatabase{Name: "spare DB", Group: "Self-Service", Parent: "Patients Masked Master",
		Connection: Connection{Host: "target-db.workshop.local", Port: 5499, Database: "spare", User: "postgres"}})
	return s
}
