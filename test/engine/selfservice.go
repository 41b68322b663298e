package engine

import (
	"sort"
	"strings"
	"time"
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

// recordOp records a JSOperation on a layout and branch.
func (e *Engine) recordOp(layout string, log *opLog, br *jsBranch, op string, u *user, bookmark string, start time.Time) {
	o := &jsOperation{ref: e.nextRef("JS_OPERATION"), name: op, op: op, layout: layout, branch: br.ref,
		bookmark: bookmark, user: u, start: start, end: e.now()}
	e.operations = append(e.operations, o)
	e.register(o.ref, o)
	log.add(o.ref)
	br.ops.add(o.ref)
}

// liveContents is a branch's current data: the VDB's when it is active, else its saved copy.
func (e *Engine) liveContents(b *jsBranch) *Contents {
	switch l := e.byRef[b.layout].(type) {
	case *jsContainer:
		if l.active == b {
			return l.ds.db.contents
		}
	case *jsTemplate:
		return l.ds.db.contents
	}
	return b.saved
}

func (c *call) canSeeContainer(jc *jsContainer) bool { return c.user.admin || jc.owner == c.user }

func (c *call) canSeeBookmark(b *jsBookmark) bool {
	return c.user.admin || b.shared || b.user == c.user || (b.cont != nil && b.cont.owner == c.user)
}

// canSeeLayout reports whether the caller may read a template (anyone) or container (owner).
func (c *call) canSeeLayout(ref string) bool {
	switch l := c.e.byRef[ref].(type) {
	case *jsTemplate:
		return true
	case *jsContainer:
		return c.canSeeContainer(l)
	}
	return false
}

// container resolves a container reference the caller may read.
func (c *call) container(ref string) (*jsContainer, error) {
	jc, ok := lookup[*jsContainer](c.e.State, ref)
	if !ok {
		return nil, errNotFound(ref)
	}
	if !c.canSeeContainer(jc) {
		return nil, errPermission("User %q is not authorized to access data container %q.", c.user.name, jc.name)
	}
	return jc, nil
}

func opRefs(l opLog) (any, any) { return nullable(l.first), nullable(l.last) }

func (e *Engine) templateObject(t *jsTemplate) obj {
	first, last := opRefs(t.ops)
	return obj{"type": "JSDataTemplate", "reference": t.ref, "name": t.name, "activeBranch": t.branch.ref,
		"firstOperation": first, "lastOperation": last, "lastUpdated": stamp(t.created), "notes": nil,
		"properties": obj{}, "confirmTimeConsumingOperations": false, "namespace": nil}
}

func (e *Engine) containerObject(jc *jsContainer, v version) obj {
	first, last := opRefs(jc.ops)
	o := obj{"type": "JSDataContainer", "reference": jc.ref, "name": jc.name, "template": jc.tmpl.ref,
		"activeBranch": jc.active.ref, "state": jc.state, "firstOperation": first, "lastOperation": last,
		"lastUpdated": stamp(jc.lastUpdated), "operationCount": jc.ops.count, "notes": nil,
		"properties": obj{}, "owner": jc.owner.ref, "namespace": nil}
	if v.atLeast("1.11.0") {
		o["lockUserReference"], o["lockUserName"] = nil, nil
		if jc.lockUser != nil {
			o["lockUserReference"], o["lockUserName"] = jc.lockUser.ref, jc.lockUser.name
		}
	}
	return o
}

func (e *Engine) dataSourceObject(ds *jsDataSource) obj {
	return obj{"type": "JSDataSource", "reference": ds.ref, "name": ds.name, "container": ds.db.ref,
		"dataLayout": ds.layout, "priority": ds.priority, "enabled": true, "masked": ds.db.contents.Masked,
		"description": nil, "properties": obj{}, "namespace": nil,
		"runtime": connectionInfoObject(ds.db.plat, ds.db.conn)}
}

func (e *Engine) listTemplates(c *call) (any, error) {
	var out []obj
	for _, t := range e.templates {
		out = append(out, e.templateObject(t))
	}
	return listResult(out), nil
}

func (e *Engine) getTemplate(c *call) (any, error) {
	t, ok := lookup[*jsTemplate](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	return okResult(e.templateObject(t), "", ""), nil
}

func (e *Engine) listContainers(c *call) (any, error) {
	q := c.r.URL.Query()
	var out []obj
	for _, jc := range e.containers {
		if !c.canSeeContainer(jc) || (q.Get("template") != "" && jc.tmpl.ref != q.Get("template")) ||
			(q.Get("owner") != "" && jc.owner.ref != q.Get("owner")) {
			continue
		}
		out = append(out, e.containerObject(jc, c.ver))
	}
	return listResult(out), nil
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
	for _, ds := range e.datasources {
		if (layout == "" || ds.layout == layout) && c.canSeeLayout(ds.layout) {
			out = append(out, e.dataSourceObject(ds))
		}
	}
	return listResult(out), nil
}

func (e *Engine) listOperations(c *call) (any, error) {
	q := c.r.URL.Query()
	var out []obj
	for _, o := range e.operations {
		if (q.Get("dataLayout") != "" && o.layout != q.Get("dataLayout")) ||
			(q.Get("branch") != "" && o.branch != q.Get("branch")) || !c.canSeeLayout(o.layout) {
			continue
		}
		out = append(out, obj{"type": "JSOperation", "reference": o.ref, "name": o.name, "operation": o.op,
			"dataLayout": o.layout, "branch": o.branch, "bookmark": nullable(o.bookmark), "description": nil,
			"user": o.user.ref, "rootAction": nil, "startTime": stamp(o.start), "endTime": stamp(o.end),
			"dataTime": stamp(o.end), "forceOption": false, "dataParent": nil, "namespace": nil})
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

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
