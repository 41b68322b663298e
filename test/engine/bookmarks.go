package engine

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
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
		c.from = b
		return b.Contents, nil
	case "JSTimelinePointLatestTimeInput":
		ref := p.str("sourceDataLayout")
		if _, ok := e.ByRef[ref]; !ok {
			return nil, errNotFound(ref)
		}
		if !c.canSeeLayout(ref) {
			return nil, errPermission("User %q may not read data layout %q.", c.user.Name, ref)
		}
		switch l := e.ByRef[ref].(type) {
		case *state.Container:
			return l.DS.DB.Contents, nil
		case *state.Template:
			// a template's latest provisionable point: its data source's newest snapshot
			return e.templateLatest(l), nil
		}
		return nil, errValue("timelinePointParameters.sourceDataLayout", "%q is not a data layout.", ref)
	case "JSTimelinePointTimeInput":
		b, ok := state.Lookup[*state.Branch](e.State, p.str("branch"))
		if !ok {
			return nil, errNotFound(p.str("branch"))
		}
		if !c.canSeeLayout(b.Layout) {
			return nil, errPermission("User %q may not read branch %q.", c.user.Name, b.Ref)
		}
		at, err := time.Parse(time.RFC3339Nano, p.str("time"))
		if err != nil {
			return nil, errValue("timelinePointParameters.time", "The time %q is not an ISO-8601 time.", p.str("time"))
		}
		data, point, err := e.dataAt(b, at)
		if err == nil {
			c.fromBranch, c.fromTime = b, point
		}
		return data, err
	}
	return nil, errValidation("timelinePointParameters.type", idTypeMismatch, "Unsupported timeline point "+p.str("type")+".")
}

// templateLatest is a template's latest provisionable point: its data source's newest
// snapshot (its live data when it has none).
func (e *Engine) templateLatest(t *state.Template) *Contents {
	if snaps := e.SnapshotsOf(t.DS.DB); len(snaps) > 0 {
		return snaps[0].Contents
	}
	return t.DS.DB.Contents
}

// dataAt is a branch's data at a time, and the data time of the point it took: on a
// template's branch the latest provisionable point not after it, which is a snapshot of the
// template's data source (real engines use the latest provisionable point before the time;
// data the source holds but no snapshot has is not one); on a container's branch the latest
// checkpoint not after it, or the live data when the time is after the last checkpoint.
func (e *Engine) dataAt(b *state.Branch, at time.Time) (*Contents, time.Time, error) {
	if t, ok := e.ByRef[b.Layout].(*state.Template); ok {
		for _, s := range e.SnapshotsOf(t.DS.DB) {
			if !s.DataTime.After(at) {
				return s.Contents, s.DataTime, nil
			}
		}
		return nil, time.Time{}, errValue("timelinePointParameters.time", "Branch %q has no provisionable point at or before %s.", b.Name, state.Stamp(at))
	}
	h := b.History
	if len(h) > 0 && !at.Before(h[len(h)-1].At) {
		return e.liveContents(b), at, nil
	}
	for i := len(h) - 1; i >= 0; i-- {
		if !h[i].At.After(at) {
			return h[i].Contents, h[i].At, nil
		}
	}
	return nil, time.Time{}, errValue("timelinePointParameters.time", "Branch %q has no data at %s.", b.Name, state.Stamp(at))
}

// bookmark resolves a bookmark the caller may see.
func (c *call) bookmark(ref string) (*state.Bookmark, error) {
	b, ok := state.Lookup[*state.Bookmark](c.e.State, ref)
	if !ok {
		return nil, errNotFound(ref)
	}
	if !c.canSeeBookmark(b) {
		return nil, errPermission("User %q is not authorized to access bookmark %q.", c.user.Name, b.Name)
	}
	return b, nil
}

func (e *Engine) bookmarkObject(b *state.Bookmark) obj {
	o := obj{"type": "JSBookmark", "reference": b.Ref, "name": b.Name, "branch": b.Branch.Ref,
		"template": b.Tmpl.Ref, "templateName": b.Tmpl.Name, "container": nil, "containerName": nil,
		"bookmarkType": "DATA_TEMPLATE", "timestamp": state.Stamp(b.Timestamp), "creationTime": state.Stamp(b.Created),
		"shared": b.Shared, "tags": append([]string{}, b.Tags...), "description": b.Description,
		"expiration": b.Expiration, "checkoutCount": 0, "usable": true, "namespace": nil}
	if b.Cont != nil {
		o["container"], o["containerName"], o["bookmarkType"] = b.Cont.Ref, b.Cont.Name, "DATA_CONTAINER"
	}
	return o
}

func (e *Engine) listBookmarks(c *call) (any, error) {
	q := c.r.URL.Query()
	var out []obj
	for _, b := range e.Bookmarks {
		if !c.canSeeBookmark(b) || (q.Get("template") != "" && (b.Cont != nil || b.Tmpl.Ref != q.Get("template"))) ||
			(q.Get("container") != "" && (b.Cont == nil || b.Cont.Ref != q.Get("container"))) {
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
	br, ok := state.Lookup[*state.Branch](e.State, bin.str("branch"))
	if !ok {
		return nil, errNotFound(bin.str("branch"))
	}
	// JSBookmark.description is at most 4096 characters (schema 1.11.9).
	if d, _ := bin["description"].(string); utf8.RuneCountInString(d) > 4096 {
		return nil, errValue("bookmark.description", "The description is %d characters long; it can be at most 4096.", utf8.RuneCountInString(d))
	}
	b := &state.Bookmark{Name: bin.str("name"), Branch: br, User: c.user, Shared: bin.boolean("shared"),
		Description: bin["description"], Expiration: bin["expiration"]}
	for _, t := range bin.list("tags") {
		b.Tags = append(b.Tags, t.(string))
	}
	switch l := e.ByRef[br.Layout].(type) {
	case *state.Template:
		if err := c.requireAdmin(); err != nil {
			return nil, err
		}
		b.Tmpl = l
	case *state.Container:
		if _, err := c.usable(l.Ref, true); err != nil {
			return nil, err
		}
		b.Tmpl, b.Cont = l.Tmpl, l
	}
	data, err := c.jsPoint(in.sub("timelinePointParameters"))
	if err != nil {
		return nil, err
	}
	if err := e.CheckBusy(br.Layout); err != nil {
		return nil, err
	}
	b.Ref, b.Contents = e.NextRef("JS_BOOKMARK"), data.Clone()
	b.Created = e.Now()
	b.Timestamp = b.Created
	e.Bookmarks = append(e.Bookmarks, b)
	e.Register(b.Ref, b)
	br.History = append(br.History, state.Checkpoint{At: b.Timestamp, Contents: data.Clone()})
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "JETSTREAM_USER_BOOKMARK_CREATE", Title: title("Create", "bookmark", b.Name),
		Target: b.Ref, TargetName: b.Name, TargetTy: "JSBookmark", Busy: []string{b.Ref, br.Layout}, Duration: state.QuickDuration,
		OnFail: func() { e.DropBookmark(b) },
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 80, "event.jetstream.bookmark.create", "Creating bookmark \""+b.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error {
				if ops := e.layoutOps(br.Layout); ops != nil {
					e.RecordOp(br.Layout, ops, br, "CREATE_BOOKMARK", c.user, b.Ref, b.Created)
				}
				return nil
			})
		}})
	if err != nil {
		e.DropBookmark(b)
		return nil, err
	}
	return okResult(b.Ref, j.Ref, j.Act.Ref), nil
}

// layoutOps is the operation log of a template or container.
func (e *Engine) layoutOps(ref string) *state.OpLog {
	switch l := e.ByRef[ref].(type) {
	case *state.Template:
		return &l.Ops
	case *state.Container:
		return &l.Ops
	}
	return nil
}

// mayChangeBookmark: the creator, the container's owner or an admin.
func (c *call) mayChangeBookmark(b *state.Bookmark) error {
	if c.user.Admin || b.User == c.user || (b.Cont != nil && b.Cont.Owner == c.user) {
		return nil
	}
	return errPermission("User %q may not change bookmark %q.", c.user.Name, b.Name)
}

// bookmarkOperand is the bookmark a POST /bookmark/{ref}/<op> names, when
// the user may change it and the operation has no parameters.
func (c *call) bookmarkOperand() (*state.Bookmark, error) {
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
		b.Shared = shared
		verb := map[bool]string{true: "Share", false: "Unshare"}[shared]
		a := e.NewAction(c.user, "JETSTREAM_USER_BOOKMARK_"+strings.ToUpper(verb), title(verb, "bookmark", b.Name))
		return okResult("", "", a.Ref), nil
	}
}

func (e *Engine) deleteBookmark(c *call) (any, error) {
	b, err := c.bookmarkOperand()
	if err != nil {
		return nil, err
	}
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "JETSTREAM_USER_BOOKMARK_DELETE", Title: title("Delete", "bookmark", b.Name),
		Target: b.Ref, TargetName: b.Name, TargetTy: "JSBookmark", Duration: state.QuickDuration,
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 80, "event.jetstream.bookmark.delete", "Deleting bookmark \""+b.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error { e.DropBookmark(b); return nil })
		}})
	if err != nil {
		return nil, err
	}
	return okResult("", j.Ref, j.Act.Ref), nil
}
