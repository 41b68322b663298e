package engine

import (
	"encoding/json"
	"sort"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Self-service (Jet Stream) lives under /jetstream on API 1.8.x-1.9.x and /selfservice from
// 1.10; the session's negotiated version decides and the other prefix answers 404.
//
// Data model: a container's live data is its VDB's contents, which belong to the active
// branch; an inactive branch keeps its data in saved. Each branch keeps a baseline (the data
// after its last data operation, for reset) and checkpoints (for time inputs). A template's
// data is its data source VDB's contents.

func (e *Engine) selfServiceRoutes() {
	e.api("GET {js}/template", 0, e.listTemplates)
	e.api("GET {js}/template/{ref}", 0, e.getTemplate)
	e.api("GET {js}/container", 0, e.listContainers)
	e.api("GET {js}/container/{ref}", 0, e.getContainer)
	e.api("GET {js}/datasource", 0, e.listDataSources)
	e.api("GET {js}/operation", 0, e.listOperations)
	e.containerRoutes()
	e.bookmarkRoutes()
	e.branchRoutes()
}

// dataFrom records on o where the request's timeline point took its data from: a bookmark,
// or a time on a branch.
func (c *call) dataFrom(o *state.Operation) {
	o.DataFrom(c.from)
	if c.fromBranch != nil {
		o.DataParentBranch, o.DataParentBranchName, o.DataParentTime = c.fromBranch.Ref, c.fromBranch.Name, c.fromTime
	}
}

// dataParent renders an operation's data parent: a JSBookmarkDataParent (the bookmark is
// null once deleted, its name stays) or a JSTimestampDataParent (likewise for the branch).
func (e *Engine) dataParent(o *state.Operation) any {
	if o.DataParentBranch != "" {
		p := obj{"type": "JSTimestampDataParent", "branch": nil, "branchName": o.DataParentBranchName, "time": state.Stamp(o.DataParentTime)}
		if _, ok := e.ByRef[o.DataParentBranch]; ok {
			p["branch"] = o.DataParentBranch
		}
		return p
	}
	if o.DataParent == "" {
		return nil
	}
	p := obj{"type": "JSBookmarkDataParent", "bookmark": nil, "bookmarkName": o.DataParentName}
	if _, ok := e.ByRef[o.DataParent]; ok {
		p["bookmark"] = o.DataParent
	}
	return p
}

// recordSeedOperations gives every seeded template and container the operation that
// created its branch, as real engines do: their firstOperation and lastOperation are never
// null. A template's is recorded as the first admin's.
func (e *Engine) recordSeedOperations() {
	var admin *state.User
	for _, u := range e.Users {
		if u.Admin && admin == nil {
			admin = u
		}
	}
	for _, t := range e.Templates {
		if admin != nil {
			e.RecordOp(t.Ref, &t.Ops, t.Branch, "CREATE_BRANCH", admin, "", t.Created)
		}
	}
	for _, c := range e.Containers {
		o := e.RecordOp(c.Ref, &c.Ops, c.Active, "CREATE_BRANCH", c.Owner, "", c.LastUpdated)
		// A seeded pod was created from its template's data: its master's newest snapshot.
		if snaps := e.SnapshotsOf(c.Tmpl.DS.DB); len(snaps) > 0 {
			o.DataParentBranch, o.DataParentBranchName, o.DataParentTime = c.Tmpl.Branch.Ref, c.Tmpl.Branch.Name, snaps[0].DataTime
		}
	}
}

// liveContents is a branch's current data: the VDB's when it is active, else its saved copy.
func (e *Engine) liveContents(b *state.Branch) *Contents {
	switch l := e.ByRef[b.Layout].(type) {
	case *state.Container:
		if l.Active == b {
			return l.DS.DB.Contents
		}
	case *state.Template:
		return l.DS.DB.Contents
	}
	return b.Saved
}

func (c *call) canSeeContainer(jc *state.Container) bool { return c.user.Admin || jc.Owner == c.user }

func (c *call) canSeeBookmark(b *state.Bookmark) bool {
	return c.user.Admin || b.Shared || b.User == c.user || (b.Cont != nil && b.Cont.Owner == c.user)
}

// canSeeLayout reports whether the caller may read a template (anyone) or container (owner).
func (c *call) canSeeLayout(ref string) bool {
	switch l := c.e.ByRef[ref].(type) {
	case *state.Template:
		return true
	case *state.Container:
		return c.canSeeContainer(l)
	}
	return false
}

// container resolves a container reference the caller may read.
func (c *call) container(ref string) (*state.Container, error) {
	jc, ok := state.Lookup[*state.Container](c.e.State, ref)
	if !ok {
		return nil, errNotFound(ref)
	}
	if !c.canSeeContainer(jc) {
		return nil, errPermission("User %q is not authorized to access data container %q.", c.user.Name, jc.Name)
	}
	return jc, nil
}

func opRefs(l state.OpLog) (any, any) { return nullable(l.First), nullable(l.Last) }

func (e *Engine) templateObject(t *state.Template) obj {
	first, last := opRefs(t.Ops)
	return obj{"type": "JSDataTemplate", "reference": t.Ref, "name": t.Name, "activeBranch": t.Branch.Ref,
		"firstOperation": first, "lastOperation": last, "lastUpdated": state.Stamp(t.Created), "notes": nil,
		"properties": obj{}, "confirmTimeConsumingOperations": false, "namespace": nil}
}

func (e *Engine) containerObject(jc *state.Container, v version) obj {
	first, last := opRefs(jc.Ops)
	o := obj{"type": "JSDataContainer", "reference": jc.Ref, "name": jc.Name, "template": jc.Tmpl.Ref,
		"activeBranch": jc.Active.Ref, "state": jc.State, "firstOperation": first, "lastOperation": last,
		"lastUpdated": state.Stamp(jc.LastUpdated), "operationCount": jc.Ops.Count, "notes": nil,
		"properties": obj{}, "owner": jc.Owner.Ref, "namespace": nil}
	if v.atLeast("1.11.0") {
		o["lockUserReference"], o["lockUserName"] = nil, nil
		if jc.LockUser != nil {
			o["lockUserReference"], o["lockUserName"] = jc.LockUser.Ref, jc.LockUser.Name
		}
	}
	return o
}

func (e *Engine) dataSourceObject(ds *state.DataSource) obj {
	return obj{"type": "JSDataSource", "reference": ds.Ref, "name": ds.Name, "container": ds.DB.Ref,
		"dataLayout": ds.Layout, "priority": ds.Priority, "enabled": true, "masked": ds.DB.Contents.Masked,
		"description": nil, "properties": obj{}, "namespace": nil,
		"runtime": state.ConnectionInfo(ds.DB.Platform, ds.DB.Conn)}
}

func (e *Engine) listTemplates(c *call) (any, error) {
	var out []obj
	for _, t := range e.Templates {
		out = append(out, e.templateObject(t))
	}
	return listResult(out), nil
}

func (e *Engine) getTemplate(c *call) (any, error) {
	t, ok := state.Lookup[*state.Template](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	return okResult(e.templateObject(t), "", ""), nil
}

func (e *Engine) listContainers(c *call) (any, error) {
	q := c.r.URL.Query()
	var out []json.RawMessage
	for _, jc := range e.Containers {
		if !c.canSeeContainer(jc) || (q.Get("template") != "" && jc.Tmpl.Ref != q.Get("template")) ||
			(q.Get("owner") != "" && jc.Owner.Ref != q.Get("owner")) {
			continue
		}
		out = append(out, e.containerJSON(jc, c.ver))
	}
	return rawListResult(out), nil
}

func (e *Engine) getContainer(c *call) (any, error) {
	jc, err := c.container(c.r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	return okResult(e.containerObject(jc, c.ver), "", ""), nil
}

func (e *Engine) listDataSources(c *call) (any, error) {
	layout := c.r.URL.Query().Get("dataLayout")
	var out []obj
	for _, ds := range e.Datasources {
		if (layout == "" || ds.Layout == layout) && c.canSeeLayout(ds.Layout) {
			out = append(out, e.dataSourceObject(ds))
		}
	}
	return listResult(out), nil
}

func (e *Engine) listOperations(c *call) (any, error) {
	q := c.r.URL.Query()
	var out []obj
	for _, o := range e.Operations {
		if (q.Get("dataLayout") != "" && o.Layout != q.Get("dataLayout")) ||
			(q.Get("branch") != "" && o.Branch != q.Get("branch")) || !c.canSeeLayout(o.Layout) {
			continue
		}
		out = append(out, obj{"type": "JSOperation", "reference": o.Ref, "name": o.Name, "operation": o.Op,
			"dataLayout": o.Layout, "branch": o.Branch, "bookmark": nullable(o.Bookmark), "description": nil,
			"user": o.User.Ref, "rootAction": nil, "startTime": state.Stamp(o.Start), "endTime": state.Stamp(o.End),
			"dataTime": state.Stamp(o.End), "forceOption": false, "dataParent": e.dataParent(o), "namespace": nil})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i]["startTime"].(string) > out[j]["startTime"].(string) })
	return listResult(out), nil
}

// noParams accepts an absent body or {} (operations without parameters).
func (c *call) noParams() error {
	if c.untypedEmpty() {
		return nil
	}
	return errValidation("type", idTypeUnknown, "This operation takes no parameters; send {} or no body.")
}

// jsParams parses a self-service operation body: {} (or nothing) on API 1.8.x, the typed
// parameters from 1.9; no body at all is accepted on every version.
func (c *call) jsParams(typ string) (input, error) {
	if c.bodyEmpty() || (!c.ver.atLeast("1.9.0") && c.untypedEmpty()) {
		return input{}, nil
	}
	return c.parse(typ, typ)
}

func title(verb, kind, name string) string {
	return verb + " Jet Stream " + kind + " \"" + name + "\"."
}
