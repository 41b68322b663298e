package dctapi

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

func (s *Server) groups() []vdbGroup {
	var gs []vdbGroup
	for _, jc := range s.Containers {
		gs = append(gs, vdbGroup{Ref: jc.Ref, Name: jc.Name, DB: jc.DS.DB, Cont: jc})
	}
	for _, t := range s.Templates {
		gs = append(gs, vdbGroup{Ref: t.Ref, Name: t.Name, DB: t.DS.DB})
	}
	return gs
}

func (c *call) canSeeGroup(g vdbGroup) bool {
	return c.user.Admin || (g.Cont != nil && g.Cont.Owner == c.user)
}

func (s *Server) groupObject(g vdbGroup) obj {
	d := g.DB
	status := "RUNNING"
	if !s.enabled(d) {
		status = "DISABLED"
	}
	locker := s.lockerOf(d)
	o := obj{"id": g.Ref, "name": g.Name, "vdb_ids": []string{d.Ref}, "is_locked": locker != nil,
		"vdb_group_source": "ENGINE", "ss_data_layout_id": g.Ref, "database_type": d.PlatName, "status": status,
		"vdbs": []obj{{"vdb_id": d.Ref, "order": 1, "vdb_name": d.Name}}, "tags": []obj{}}
	if locker != nil {
		o["locked_by"], o["locked_by_name"] = s.accountID(locker), locker.Name
	}
	if g.Cont != nil {
		if bm := s.refreshedTo(g.Cont); bm != "" {
			o["last_successful_refresh_to_bookmark_id"] = bm
		}
	}
	return o
}

func (c *call) group() (vdbGroup, error) {
	id := c.r.PathValue("id")
	for _, g := range c.s.groups() {
		if g.Ref == id && c.canSeeGroup(g) {
			return g, nil
		}
	}
	return vdbGroup{}, notFound("VDB group", id)
}

func (s *Server) listGroups(c *call) (int, any, error) {
	items := []obj{}
	for _, g := range s.groups() {
		if c.canSeeGroup(g) {
			items = append(items, s.groupObject(g))
		}
	}
	return c.list(items)
}

func (s *Server) getGroup(c *call) (int, any, error) {
	g, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.groupObject(g), nil
}

func (s *Server) lockGroup(lock bool) handler {
	return func(c *call) (int, any, error) {
		g, err := c.group()
		if err != nil {
			return 0, nil, err
		}
		if err := c.setLock(g.DB, lock); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, s.groupObject(g), nil
	}
}

// groupRefreshFromBookmark refreshes the group's one VDB from a bookmark.

func (s *Server) groupRefreshFromBookmark(c *call) (int, any, error) {
	g, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	c.r.SetPathValue("id", g.DB.Ref)
	return s.refreshFromBookmark(c)
}

// onGroupVDB runs a VDB handler on the group's one VDB, with body as its request body.
func (s *Server) onGroupVDB(c *call, body []byte, h handler) (int, any, error) {
	g, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	c.r.SetPathValue("id", g.DB.Ref)
	c.body = body
	return h(c)
}

// groupRefreshBySnapshot refreshes the group's VDB from the snapshot its mapping names,
// or without one from its parent's latest snapshot.
func (s *Server) groupRefreshBySnapshot(c *call) (int, any, error) {
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
			return 0, nil, errorf(http.StatusBadRequest, "VDB %q is not in VDB group %q", m.VDBID, g.Name)
		}
		body["snapshot_id"] = m.SnapshotID
	}
	b, _ := json.Marshal(body)
	return s.onGroupVDB(c, b, s.refreshBySnapshot)
}

// groupEnable enables or disables the group's VDB.
func (s *Server) groupEnable(on bool) handler {
	return func(c *call) (int, any, error) { return s.onGroupVDB(c, nil, s.enable(on)) }
}
