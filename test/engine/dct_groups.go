package engine

import (
	"encoding/json"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// VDB groups of the DCT API: one per self-service container, holding its VDB, and one per
// self-service template, holding its parent VDB (the masked master): DCT has no template
// object, so a team that moves from Self-Service groups its master VDBs under the template's
// name, and the local engine shows that. Template groups are the admins'.

// vdbGroup is a VDB group: a container's or a template's.
type vdbGroup struct {
	Ref, Name string
	DB        *state.DB
	Cont      *state.Container // nil for a template's group
}

func (e *Engine) groups() []vdbGroup {
	var gs []vdbGroup
	for _, jc := range e.Containers {
		gs = append(gs, vdbGroup{Ref: jc.Ref, Name: jc.Name, DB: jc.DS.DB, Cont: jc})
	}
	for _, t := range e.Templates {
		gs = append(gs, vdbGroup{Ref: t.Ref, Name: t.Name, DB: t.DS.DB})
	}
	return gs
}

func (c *dctCall) canSeeGroup(g vdbGroup) bool {
	return c.user.Admin || (g.Cont != nil && g.Cont.Owner == c.user)
}

func (e *Engine) dctGroupObject(g vdbGroup) obj {
	d := g.DB
	status := "RUNNING"
	if !e.enabled(d) {
		status = "DISABLED"
	}
	locker := e.lockerOf(d)
	o := obj{"id": g.Ref, "name": g.Name, "vdb_ids": []string{d.Ref}, "is_locked": locker != nil,
		"vdb_group_source": "ENGINE", "ss_data_layout_id": g.Ref, "database_type": d.PlatName, "status": status,
		"vdbs": []obj{{"vdb_id": d.Ref, "order": 1, "vdb_name": d.Name}}, "tags": []obj{}}
	if locker != nil {
		o["locked_by"], o["locked_by_name"] = e.accountID(locker), locker.Name
	}
	if g.Cont != nil {
		if bm := e.refreshedTo(g.Cont); bm != "" {
			o["last_successful_refresh_to_bookmark_id"] = bm
		}
	}
	return o
}

func (c *dctCall) group() (vdbGroup, error) {
	id := c.r.PathValue("id")
	for _, g := range c.e.groups() {
		if g.Ref == id && c.canSeeGroup(g) {
			return g, nil
		}
	}
	return vdbGroup{}, dctNotFound("VDB group", id)
}

func (e *Engine) dctGroups(c *dctCall) (int, any, error) {
	items := []obj{}
	for _, g := range e.groups() {
		if c.canSeeGroup(g) {
			items = append(items, e.dctGroupObject(g))
		}
	}
	return c.list(items)
}

func (e *Engine) dctGroup(c *dctCall) (int, any, error) {
	g, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.dctGroupObject(g), nil
}

func (e *Engine) dctLockGroup(lock bool) dctHandler {
	return func(c *dctCall) (int, any, error) {
		g, err := c.group()
		if err != nil {
			return 0, nil, err
		}
		if err := c.setLock(g.DB, lock); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e.dctGroupObject(g), nil
	}
}

// dctGroupRefreshFromBookmark refreshes the group's one VDB from a bookmark.

func (e *Engine) dctGroupRefreshFromBookmark(c *dctCall) (int, any, error) {
	g, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	c.r.SetPathValue("id", g.DB.Ref)
	return e.dctRefreshFromBookmark(c)
}

// onGroupVDB runs a VDB handler on the group's one VDB, with body as its request body.
func (e *Engine) onGroupVDB(c *dctCall, body []byte, h dctHandler) (int, any, error) {
	g, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	c.r.SetPathValue("id", g.DB.Ref)
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
	g, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	body := obj{}
	for _, m := range p.Mappings {
		if m.VDBID != g.DB.Ref {
			return 0, nil, dctErrorf(http.StatusBadRequest, "VDB %q is not in VDB group %q", m.VDBID, g.Name)
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
