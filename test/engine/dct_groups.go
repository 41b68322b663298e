package engine

import (
	"encoding/json"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// VDB groups of the DCT API: one per self-service container, holding its VDB.

func (e *Engine) dctGroupObject(jc *state.Container) obj {
	d := jc.DS.DB
	status := "RUNNING"
	if jc.State == "OFFLINE" {
		status = "DISABLED"
	}
	o := obj{"id": jc.Ref, "name": jc.Name, "vdb_ids": []string{d.Ref}, "is_locked": jc.LockUser != nil,
		"vdb_group_source": "ENGINE", "ss_data_layout_id": jc.Ref, "database_type": d.PlatName, "status": status,
		"vdbs": []obj{{"vdb_id": d.Ref, "order": 1, "vdb_name": d.Name}}, "tags": []obj{}}
	if jc.LockUser != nil {
		o["locked_by"], o["locked_by_name"] = e.accountID(jc.LockUser), jc.LockUser.Name
	}
	return o
}

func (c *dctCall) group() (*state.Container, error) {
	jc, ok := state.Lookup[*state.Container](c.e.State, c.r.PathValue("id"))
	if !ok || !(c.user.Admin || jc.Owner == c.user) {
		return nil, dctNotFound("VDB group", c.r.PathValue("id"))
	}
	return jc, nil
}

func (e *Engine) dctGroups(c *dctCall) (int, any, error) {
	items := []obj{}
	for _, jc := range e.Containers {
		if c.user.Admin || jc.Owner == c.user {
			items = append(items, e.dctGroupObject(jc))
		}
	}
	return c.list(items)
}

func (e *Engine) dctGroup(c *dctCall) (int, any, error) {
	jc, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.dctGroupObject(jc), nil
}

func (e *Engine) dctLockGroup(lock bool) dctHandler {
	return func(c *dctCall) (int, any, error) {
		jc, err := c.group()
		if err != nil {
			return 0, nil, err
		}
		if err := c.setLock(jc.DS.DB, lock); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e.dctGroupObject(jc), nil
	}
}

// dctGroupRefreshFromBookmark refreshes the group's one VDB from a bookmark.

func (e *Engine) dctGroupRefreshFromBookmark(c *dctCall) (int, any, error) {
	jc, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	c.r.SetPathValue("id", jc.DS.DB.Ref)
	return e.dctRefreshFromBookmark(c)
}

// dctExecuteComplianceJob runs the masking job over its VDB's data (MASKING_JOB_EXECUTE):

// DCT masks after a refresh, never in it.

// Hook points: DCT's names and the engine's (self-refresh hooks are the rollback ones).

// Shells: DCT's and the engine's hook operation types.

// dctHooksOf renders a source's hook lists as VirtualDatasetHooks; masking hooks, which DCT

// does not show, are left out. An element's id is "<point>-<position>".

// dctPatchVDB changes a VDB's hooks: each hook point sent replaces that list, or with

// DCTOptions.MergeHooks adds to it (an element_id names the element to replace). Points not

// sent are left alone.

// onGroupVDB runs a VDB handler on the group's one VDB, with body as its request body.
func (e *Engine) onGroupVDB(c *dctCall, body []byte, h dctHandler) (int, any, error) {
	jc, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	c.r.SetPathValue("id", jc.DS.DB.Ref)
	c.body = body
	return h(c)
}

// dctGroupRefreshBySnapshot refreshes the group's VDB from the snapshot its mapping names,
// or without one from its parent's latest snapshot.
func (e *Engine) dctGroupRefreshBySnapshot(c *dctCall) (int, any, error) {
	var p struct {
		Mappings []struct {
			VDBID      string `json:"vdb_id"`
			SnapshotID string `json:"snapshot_id"`
		} `json:"vdb_snapshot_mappings"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	jc, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	body := obj{}
	for _, m := range p.Mappings {
		if m.VDBID != jc.DS.DB.Ref {
			return 0, nil, dctErrorf(http.StatusBadRequest, "VDB %q is not in VDB group %q", m.VDBID, jc.Name)
		}
		body["snapshot_id"] = m.SnapshotID
	}
	b, _ := json.Marshal(body)
	return e.onGroupVDB(c, b, e.dctRefreshBySnapshot)
}

// dctGroupEnable enables or disables the group's VDB.
func (e *Engine) dctGroupEnable(on bool) dctHandler {
	return func(c *dctCall) (int, any, error) { return e.onGroupVDB(c, nil, e.dctEnable(on)) }
}
