package engine

import (
	"time"
)

func (e *Engine) bookmarkRoutes() {
	e.api("GET {js}/bookmark", 0, e.listBookmarks)
	e.api("GET {js}/bookmark/{ref}", 0, e.getBookmark)
	e.api("POST {js}/bookmark", 0, e.createBookmark)
	e.api("POST {js}/bookmark/{ref}/share", 0, e.shareBookmark(true))
	e.api("POST {js}/bookmark/{ref}/unshare", 0, e.shareBookmark(false))
	e.api("POST {js}/bookmark/{ref}/delete", 0, e.deleteBookmark)
}

// jsPoint resolves a JSTimelinePoint* input to the data it designates, checking that the
// caller may see it.
func (c *call) jsPoint(p input) (*Contents, error) {
	e := c.e
	switch p.str("type") {
	case "JSTimelinePointBookmarkInput":
		b, err := c.bookmark(p.str("bookmark"))
		if err != nil {
			return nil, err
		}
		return b.contents, nil
	case "JSTimelinePointLatestTimeInput":
		ref := p.str("sourceDataLayout")
		if _, ok := e.byRef[ref]; !ok {
			return nil, errNotFound(ref)
		}
		if !c.canSeeLayout(ref) {
			return nil, errPermission("User %q may not read data layout %q.", c.user.name, ref)
		}
		switch l := e.byRef[ref].(type) {
		case *jsContainer:
			return l.ds.db.contents, nil
		case *jsTemplate:
			return l.ds.db.contents, nil
		}
		return nil, errValue("timelinePointParameters.sourceDataLayout", "%q is not a data layout.", ref)
	case "JSTimelinePointTimeInput":
		b, ok := lookup[*jsBranch](e.State, p.str("branch"))
		if !ok {
			return nil, errNotFound(p.str("branch"))
		}
		if !c.canSeeLayout(b.layout) {
			return nil, errPermission("User %q may not read branch %q.", c.user.name, b.ref)
		}
		at, err := time.Parse(time.RFC3339Nano, p.str("time"))
		if err != nil {
			return nil, errValue("timelinePointParameters.time", "The time %q is not an ISO-8601 time.", p.str("time"))
		}
		return e.dataAt(b, at)
	}
	return nil, errValidation("timelinePointParameters.type", idTypeMismatch, "Unsupported timeline point "+p.str("type")+".")
}

// dataAt is a branch's data at a time: the latest checkpoint not after it, or the live data
// when the time is after the last checkpoint.
func (e *Engine) dataAt(b *jsBranch, at time.Time) (*Contents, error) {
	h := b.history
	if len(h) > 0 && !at.Before(h[len(h)-1].at) {
		return e.liveContents(b), nil
	}
	for i := len(h) - 1; i >= 0; i-- {
		if !h[i].at.After(at) {
			return h[i].contents, nil
		}
	}
	return nil, errValue("timelinePointParameters.time", "Branch %q has no data at %s.", b.name, stamp(at))
}

// bookmark resolves a bookmark the caller may see.
func (c *call) bookmark(ref string) (*jsBookmark, error) {
	b, ok := lookup[*jsBookmark](c.e.State, ref)
	if !ok {
		return nil, errNotFound(ref)
	}
	if !c.canSeeBookmark(b) {
		return nil, errPermission("User %q is not authorized to access bookmark %q.", c.user.name, b.name)
	}
	return b, nil
}

func (e *Engine) bookmarkObject(b *jsBookmark) obj {
	o := obj{"type": "JSBookmark", "reference": b.ref, "name": b.name, "branch": b.branch.ref,
		"template": b.tmpl.ref, "templateName": b.tmpl.name, "container": nil, "containerName": nil,
		"bookmarkType": "DATA_TEMPLATE", "timestamp": stamp(b.timestamp), "creationTime": stamp(b.created),
		"shared": b.shared, "tags": append([]string{}, b.tags...), "description": b.description,
		"expiration": b.expiration, "checkoutCount": 0, "usable": true, "namespace": nil}
	if b.cont != nil {
		o["container"], o["containerName"], o["bookmarkType"] = b.cont.ref, b.cont.name, "DATA_CONTAINER"
	}
	return o
}

func (e *Engine) listBookmarks(c *call) (any, error) {
	q := c.r.URL.Query()
	var out []obj
	for _, b := range e.bookmarks {
		if !c.canSeeBookmark(b) || (q.Get("template") != "" && (b.cont != nil || b.tmpl.ref != q.Get("template"))) ||
			(q.Get("container") != "" && (b.cont == nil || b.cont.ref != q.Get("container"))) {
			continue
		}
		out = append(out, e.bookmarkObject(b))
	}
	return listResult(out), nil
}

func (e *Engine) getBookmark(c *call) (any, error) {
	b, err := c.bookmark(c.r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	return okResult(e.bookmarkObject(b), "", ""), nil
}

// createBookmark captures the branch's data now; the result is the new reference plus a job.
func (e *Engine) createBookmark(c *call) (any, error) {
	in, err := c.parse("JSBookmarkCreateParameters", "JSBookmarkCreateParameters")
	if err != nil {
		return nil, err
	}
	bin := in.sub("bookmark")
	br, ok := lookup[*jsBranch](e.State, bin.str("branch"))
	if !ok {
		return nil, errNotFound(bin.str("branch"))
	}
	b := &jsBookmark{name: bin.str("name"), branch: br, user: c.user, shared: bin.boolean("shared"),
		description: bin["description"], expiration: bin["expiration"]}
	for _, t := range bin.list("tags") {
		b.tags = append(b.tags, t.(string))
	}
	switch l := e.byRef[br.layout].(type) {
	case *jsTemplate:
		if err := c.requireAdmin(); err != nil {
			return nil, err
		}
		b.tmpl = l
	case *jsContainer:
		if _, err := c.usable(l.ref, true); err != nil {
			return nil, err
		}
		b.tmpl, b.cont = l.tmpl, l
	}
	data, err := c.jsPoint(in.sub("timelinePointParameters"))
	if err != nil {
		return nil, err
	}
	if err := e.checkBusy(br.layout); err != nil {
		return nil, err
	}
	b.ref, b.contents = e.nextRef("JS_BOOKMARK"), data.Clone()
	b.created = e.now()
	b.timestamp = b.created
	e.bookmarks = append(e.bookmarks, b)
	e.register(b.ref, b)
	br.history = append(br.history, checkpoint{at: b.timestamp, contents: data.Clone()})
	j, err := e.startJob(c.user, jobSpec{actionType: "JETSTREAM_USER_BOOKMARK_CREATE", title: title("Create", "bookmark", b.name),
		target: b.ref, targetName: b.name, targetTy: "JSBookmark", busy: []string{b.ref, br.layout}, duration: quickDuration,
		onFail: func() { e.dropBookmark(b) },
		run: func(r *jobRun) error {
			if err := r.step(1, 80, "event.jetstream.bookmark.create", "Creating bookmark \""+b.name+"\"."); err != nil {
				return err
			}
			return r.locked(func() error {
				if ops := e.layoutOps(br.layout); ops != nil {
					e.recordOp(br.layout, ops, br, "CREATE_BOOKMARK", c.user, b.ref, b.created)
				}
				return nil
			})
		}})
	if err != nil {
		e.dropBookmark(b)
		return nil, err
	}
	return okResult(b.ref, j.ref, j.act.ref), nil
}

// layoutOps is the operation log of a template or container.
func (e *Engine) layoutOps(ref string) *opLog {
	switch l := e.byRef[ref].(type) {
	case *jsTemplate:
		return &l.ops
	case *jsContainer:
		return &l.ops
	}
	return nil
}

// mayChangeBookmark: the creator, the container's owner or an admin.
func (c *call) mayChangeBookmark(b *jsBookmark) error {
	if c.user.admin || b.user == c.user || (b.cont != nil && b.cont.owner == c.user) {
		return nil
	}
	return errPermission("User %q may not change bookmark %q.", c.user.name, b.name)
}

// bookmarkOperand is the bookmark a POST /bookmark/{ref}/<op> names, when
// the user may change it and the operation has no parameters.
func (c *call) bookmarkOperand() (*jsBookmark, error) {
	b, err := c.bookmark(c.r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	if err := c.mayChangeBookmark(b); err != nil {
		return nil, err
	}
	return b, c.noParams()
}

func (e *Engine) shareBookmark(shared bool) handler {
	return func(c *call) (any, error) {
		b, err := c.bookmarkOperand()
		if err != nil {
			return nil, err
		}
		b.shared = shared
		verb := map[bool]string{true: "Share", false: "Unshare"}[shared]
		a := e.newAction(c.user, "JETSTREAM_USER_BOOKMARK_"+upper(verb), title(verb, "bookmark", b.name))
		return okResult("", "", a.ref), nil
	}
}

func (e *Engine) deleteBookmark(c *call) (any, error) {
	b, err := c.bookmarkOperand()
	if err != nil {
		return nil, err
	}
	j, err := e.startJob(c.user, jobSpec{actionType: "JETSTREAM_USER_BOOKMARK_DELETE", title: title("Delete", "bookmark", b.name),
		target: b.ref, targetName: b.name, targetTy: "JSBookmark", duration: quickDuration,
		run: func(r *jobRun) error {
			if err := r.step(1, 80, "event.jetstream.bookmark.delete", "Deleting bookmark \""+b.name+"\"."); err != nil {
				return err
			}
			return r.locked(func() error { e.dropBookmark(b); return nil })
		}})
	if err != nil {
		return nil, err
	}
	return okResult("", j.ref, j.act.ref), nil
}

func (e *Engine) dropBookmark(b *jsBookmark) {
	var kept []*jsBookmark
	for _, x := range e.bookmarks {
		if x != b {
			kept = append(kept, x)
		}
	}
	e.bookmarks = kept
	delete(e.byRef, b.ref)
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
