package engine

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Bookmarks of the DCT API. They are the engine's self-service bookmarks (a bookmark made
// through DCT on a pod or the masked master is one of its container or template, and shows
// in the engine API and the catalog; one made through the engine API shows here with
// bookmark_source ENGINE, its ss_data_layout_id that of its container's or template's VDB
// group); a bookmark on a VDB no template or container uses is DCT's alone.
// PUBLIC is the engine's shared flag.

// dctBookmark is what DCT knows of a bookmark beyond the engine.
type dctBookmark struct {
	db         *state.DB
	group      *vdbGroup // set when made on a VDB group
	snap       *state.Snapshot
	tags       []obj
	expiration string // YYYY-MM-DD
	forever    bool   // created with retain_forever: read back as retention -1
}

// allBookmarks lists the engine's bookmarks and DCT's own.
func (e *Engine) allBookmarks() []*state.Bookmark {
	return append(append([]*state.Bookmark{}, e.Bookmarks...), e.dct.own...)
}

// bookmarkDB is the dataset a bookmark holds.
func (e *Engine) bookmarkDB(b *state.Bookmark) *state.DB {
	if x := e.dct.bookmarks[b.Ref]; x != nil {
		return x.db
	}
	if b.Cont != nil {
		return b.Cont.DS.DB
	}
	return b.Tmpl.DS.DB
}

// canSeeBookmark: an admin; the creator; the owner of its dataset; for a PUBLIC one, an
// account owning a dataset of the same lineage.
func (c *dctCall) canSeeBookmark(b *state.Bookmark) bool {
	d := c.e.bookmarkDB(b)
	if c.user.Admin || b.User == c.user || c.e.ownerOf(d) == c.user {
		return true
	}
	if !b.Shared {
		return false
	}
	for _, x := range c.e.DBs {
		if x.Parent != nil && c.e.ownerOf(x) == c.user && root(x) == root(d) {
			return true
		}
	}
	return false
}

func (c *dctCall) bookmark(id string) (*state.Bookmark, error) {
	for _, b := range c.e.allBookmarks() {
		if b.Ref == id && c.canSeeBookmark(b) {
			return b, nil
		}
	}
	return nil, dctNotFound("bookmark", id)
}

func (e *Engine) dctBookmarkObject(b *state.Bookmark) obj {
	d := e.bookmarkDB(b)
	typ := map[bool]string{true: "PUBLIC", false: "PRIVATE"}[b.Shared]
	o := obj{"id": b.Ref, "name": b.Name, "creation_date": state.Stamp(b.Created), "data_timestamp": state.Stamp(b.Timestamp),
		"timeflow_id": d.Timeflow, "vdb_ids": []string{}, "dsource_ids": []string{}, "bookmark_type": typ,
		"bookmark_source": "ENGINE", "bookmark_status": "ACTIVE", "tags": []obj{}}
	if d.Parent == nil {
		o["dsource_ids"] = []string{d.Ref}
	} else {
		o["vdb_ids"], o["vdbs"] = []string{d.Ref}, []obj{{"vdb_id": d.Ref, "vdb_name": d.Name}}
	}
	if x := e.dct.bookmarks[b.Ref]; x != nil {
		o["bookmark_source"], o["tags"] = "DCT", x.tags
		if x.snap != nil {
			o["timeflow_id"] = x.snap.Timeflow
		}
		if x.group != nil {
			o["vdb_group_id"], o["vdb_group_name"] = x.group.Ref, x.group.Name
		}
		if x.expiration != "" {
			o["expiration"] = x.expiration
		}
		if x.forever {
			o["retention"] = -1
		}
	} else {
		// A self-service bookmark names its data layout (the id its VDB group shows as
		// ss_data_layout_id) and its engine reference; DCT did not make it on a VDB group.
		o["ss_bookmark_reference"], o["ss_data_layout_id"] = b.Ref, b.Tmpl.Ref
		if b.Cont != nil {
			o["ss_data_layout_id"] = b.Cont.Ref
		}
		tags := []obj{}
		for _, t := range b.Tags {
			tags = append(tags, dctTag(t))
		}
		o["tags"] = tags
		if exp, ok := b.Expiration.(string); ok && len(exp) >= len(time.DateOnly) {
			o["expiration"] = exp[:len(time.DateOnly)]
		}
	}
	return o
}

// Tags: an engine tag "key=value" is the DCT tag {key, value}; a plain one, "50%", is
// {"tag", "50%"} (DCT tags need a key and a non-empty value), and back.

func dctTag(t string) obj {
	if k, v, ok := strings.Cut(t, "="); ok && k != "" && v != "" {
		return obj{"key": k, "value": v}
	}
	return obj{"key": "tag", "value": t}
}

func (e *Engine) dctBookmarks(c *dctCall) (int, any, error) {
	items := []obj{}
	for _, b := range e.allBookmarks() {
		if c.canSeeBookmark(b) {
			items = append(items, e.dctBookmarkObject(b))
		}
	}
	return c.list(items)
}

func (e *Engine) dctBookmark(c *dctCall) (int, any, error) {
	b, err := c.bookmark(c.r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.dctBookmarkObject(b), nil
}

// dctCreateBookmark bookmarks the data of one VDB (vdb_ids), of a VDB group's VDB
// (vdb_group_id) or of one existing snapshot (snapshot_ids). On a VDB it captures the data
// now and its job takes the VDB's snapshot.
func (e *Engine) dctCreateBookmark(c *dctCall) (int, any, error) {
	var p struct {
		Name          string   `json:"name"`
		VDBIDs        []string `json:"vdb_ids"`
		VDBGroupID    string   `json:"vdb_group_id"`
		SnapshotIDs   []string `json:"snapshot_ids"`
		Type          string   `json:"bookmark_type"`
		Tags          []obj    `json:"tags"`
		Expiration    string   `json:"expiration"`
		RetainForever bool     `json:"retain_forever"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	x := &dctBookmark{tags: p.Tags, expiration: p.Expiration, forever: p.RetainForever}
	if x.tags == nil {
		x.tags = []obj{}
	}
	switch {
	case p.Name == "":
		return 0, nil, dctErrorf(http.StatusBadRequest, "name is required")
	case p.Expiration != "" && p.RetainForever:
		return 0, nil, dctErrorf(http.StatusBadRequest, "expiration and retain_forever are mutually exclusive")
	case p.Type != "" && p.Type != "PUBLIC" && p.Type != "PRIVATE":
		return 0, nil, dctErrorf(http.StatusBadRequest, "bookmark_type %q is not PUBLIC or PRIVATE", p.Type)
	}
	// A Tag's key and value are 1 to 4000 characters (DCT's OpenAPI file).
	for _, t := range x.tags {
		for _, f := range []string{"key", "value"} {
			if v, _ := t[f].(string); v == "" || utf8.RuneCountInString(v) > 4000 {
				return 0, nil, dctErrorf(http.StatusBadRequest, "tag %s must be 1 to 4000 characters, not %d", f, utf8.RuneCountInString(v))
			}
		}
	}
	if p.Expiration != "" {
		day, err := time.Parse(time.DateOnly, p.Expiration)
		if err != nil || !day.After(e.Now().Add(-24*time.Hour)) {
			return 0, nil, dctErrorf(http.StatusBadRequest, "expiration %q must be a date (YYYY-MM-DD) not in the past", p.Expiration)
		}
	}
	var data *Contents
	switch {
	case len(p.VDBIDs) == 1 && p.VDBGroupID == "" && len(p.SnapshotIDs) == 0:
		c.r.SetPathValue("id", p.VDBIDs[0])
		d, err := c.operable()
		if err != nil {
			return 0, nil, err
		}
		x.db, data = d, d.Contents
	case len(p.VDBIDs) == 0 && p.VDBGroupID != "" && len(p.SnapshotIDs) == 0:
		c.r.SetPathValue("id", p.VDBGroupID)
		g, err := c.group()
		if err != nil {
			return 0, nil, err
		}
		c.r.SetPathValue("id", g.DB.Ref)
		if _, err := c.operable(); err != nil {
			return 0, nil, err
		}
		x.db, x.group, data = g.DB, &g, g.DB.Contents
	case len(p.VDBIDs) == 0 && p.VDBGroupID == "" && len(p.SnapshotIDs) == 1:
		s, ok := state.Lookup[*state.Snapshot](e.State, p.SnapshotIDs[0])
		if !ok || !c.canSeeDB(s.DB) {
			return 0, nil, dctNotFound("snapshot", p.SnapshotIDs[0])
		}
		x.db, x.snap, data = s.DB, s, s.Contents
	default:
		return 0, nil, dctErrorf(http.StatusBadRequest, "give one VDB in vdb_ids, a vdb_group_id or one snapshot in snapshot_ids")
	}
	now := e.Now()
	b := &state.Bookmark{Ref: e.NextRef("JS_BOOKMARK"), Name: p.Name, User: c.user, Shared: p.Type == "PUBLIC",
		Created: now, Timestamp: now, Contents: data.Clone()}
	if x.snap != nil {
		b.Timestamp = x.snap.DataTime
	}
	for _, t := range x.tags {
		b.Tags = append(b.Tags, tagString(t))
	}
	if p.Expiration != "" {
		b.Expiration = p.Expiration + "T00:00:00.000Z"
	}
	if jc := e.ContainerUsing(x.db); jc != nil {
		b.Branch, b.Tmpl, b.Cont = jc.Active, jc.Tmpl, jc
	} else if ts := e.TemplatesUsing(x.db); len(ts) > 0 {
		b.Branch, b.Tmpl = ts[0].Branch, ts[0]
	}
	if b.Tmpl != nil {
		e.Bookmarks = append(e.Bookmarks, b)
		b.Branch.History = append(b.Branch.History, state.Checkpoint{At: b.Timestamp, Contents: data.Clone()})
	} else {
		e.dct.own = append(e.dct.own, b)
	}
	e.Register(b.Ref, b)
	e.dct.bookmarks[b.Ref] = x
	d := x.db
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "DCT_BOOKMARK_CREATE", Title: "Create bookmark \"" + b.Name + "\".",
		Target: b.Ref, TargetName: b.Name, TargetTy: "Bookmark", Busy: append([]string{b.Ref}, e.busyRefs(d)...),
		Duration: state.QuickDuration, OnFail: func() { e.forgetBookmark(b) },
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 80, "event.dct.bookmark.create", "Creating bookmark \""+b.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error {
				if x.snap == nil {
					x.snap = e.TakeSnapshot(d, b.Timestamp)
				}
				if b.Cont != nil {
					e.recordOp(b.Cont.Ref, &b.Cont.Ops, b.Branch, "CREATE_BOOKMARK", c.user, b.Ref, b.Created)
				} else if b.Tmpl != nil {
					e.recordOp(b.Tmpl.Ref, &b.Tmpl.Ops, b.Branch, "CREATE_BOOKMARK", c.user, b.Ref, b.Created)
				}
				return nil
			})
		}})
	if err != nil {
		e.forgetBookmark(b)
		return 0, nil, err
	}
	return http.StatusCreated, obj{"bookmark": e.dctBookmarkObject(b), "job": e.dctJob(j)}, nil
}

func tagString(t obj) string {
	k, _ := t["key"].(string)
	v, _ := t["value"].(string)
	if k == "tag" {
		return v
	}
	return k + "=" + v
}

// forgetBookmark removes a bookmark from the engine and from DCT.
func (e *Engine) forgetBookmark(b *state.Bookmark) {
	e.dropBookmark(b)
	var kept []*state.Bookmark
	for _, x := range e.dct.own {
		if x != b {
			kept = append(kept, x)
		}
	}
	e.dct.own = kept
	delete(e.dct.bookmarks, b.Ref)
}

// mayChange: an admin, the creator or the owner of the bookmark's dataset.
func (c *dctCall) mayChange(b *state.Bookmark) error {
	if c.user.Admin || b.User == c.user || c.e.ownerOf(c.e.bookmarkDB(b)) == c.user {
		return nil
	}
	return dctErrorf(http.StatusForbidden, "account %q may not change bookmark %q", c.user.Name, b.Name)
}

// dctUpdateBookmark renames, shares (PUBLIC), unshares (PRIVATE) or changes the expiration.
func (e *Engine) dctUpdateBookmark(c *dctCall) (int, any, error) {
	b, err := c.bookmark(c.r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	if err := c.mayChange(b); err != nil {
		return 0, nil, err
	}
	var p struct {
		Name          string `json:"name"`
		Type          string `json:"bookmark_type"`
		Expiration    string `json:"expiration"`
		RetainForever *bool  `json:"retain_forever"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	if p.Expiration != "" && p.RetainForever != nil && *p.RetainForever {
		return 0, nil, dctErrorf(http.StatusBadRequest, "expiration and retain_forever are mutually exclusive")
	}
	x := e.dct.bookmarks[b.Ref]
	if x == nil {
		x = &dctBookmark{db: e.bookmarkDB(b), tags: e.dctBookmarkObject(b)["tags"].([]obj)}
		e.dct.bookmarks[b.Ref] = x
	}
	if p.Name != "" {
		b.Name = p.Name
	}
	if p.Type != "" {
		b.Shared = p.Type == "PUBLIC"
	}
	if p.Expiration != "" {
		x.expiration, b.Expiration = p.Expiration, p.Expiration+"T00:00:00.000Z"
	}
	if p.RetainForever != nil && *p.RetainForever {
		x.expiration, b.Expiration = "", nil
	}
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "DCT_BOOKMARK_UPDATE", Title: "Update bookmark \"" + b.Name + "\".",
		Target: b.Ref, TargetName: b.Name, TargetTy: "Bookmark", Duration: state.QuickDuration,
		Run: func(r *state.JobRun) error {
			return r.Step(1, 80, "event.dct.bookmark.update", "Updating bookmark \""+b.Name+"\".")
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.jobAnswer(j), nil
}

// dctDeleteBookmark deletes a bookmark at once (204, as DCT 3.18).
func (e *Engine) dctDeleteBookmark(c *dctCall) (int, any, error) {
	b, err := c.bookmark(c.r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	if err := c.mayChange(b); err != nil {
		return 0, nil, err
	}
	if err := e.CheckBusy(b.Ref); err != nil {
		return 0, nil, err
	}
	e.forgetBookmark(b)
	return http.StatusNoContent, nil, nil
}

// refreshedTo is the bookmark a container's current data came from: the data parent of the
// last data operation on its active branch, while that bookmark exists (DCT's
// last_successful_refresh_to_bookmark_id of the container's VDB group).
func (e *Engine) refreshedTo(jc *state.Container) string {
	for i := len(e.Operations) - 1; i >= 0; i-- {
		o := e.Operations[i]
		if o.Layout != jc.Ref || o.Branch != jc.Active.Ref {
			continue
		}
		switch o.Op {
		case "REFRESH", "RESET", "RESTORE", "CREATE_BRANCH", "UNDO":
			if _, ok := e.ByRef[o.DataParent]; ok {
				return o.DataParent
			}
			return ""
		}
	}
	return ""
}

// provisionedAt is the data time of the parent point a VDB was provisioned from (DCT's
// parent_timeflow_timestamp), "" when unknown.
func (e *Engine) provisionedAt(d *state.DB) string {
	for _, tf := range e.Timeflows {
		if tf.DB == d && tf.CreationType == "INITIAL" && tf.Parent != nil {
			return state.Stamp(tf.Parent.DataTime)
		}
	}
	return ""
}

// BackdateBookmark moves the creation time of every bookmark named name back by
// age, as if it had been made that long ago; it reports whether there was one.
func (e *Engine) BackdateBookmark(name string, age time.Duration) bool {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	found := false
	for _, b := range e.allBookmarks() {
		if b.Name == name {
			b.Created, found = b.Created.Add(-age), true
		}
	}
	return found
}
