package dctapi

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Bookmarks of the DCT API. They are the engine's self-service bookmarks (a bookmark made
// through DCT on a pod or the masked master is one of its container or template, and shows
// in the engine API and the catalog; one made through the engine API shows here with
// bookmark_source ENGINE, its ss_data_layout_id that of its container's or template's VDB
// group); a bookmark on a VDB no template or container uses is DCT's alone.
// PUBLIC is the engine's shared flag.

// bookmarkMeta is what DCT knows of a bookmark beyond the engine.
type bookmarkMeta struct {
	db         *state.DB
	group      *vdbGroup // set when made on a VDB group
	snap       *state.Snapshot
	tags       []obj
	expiration string // YYYY-MM-DD
	forever    bool   // created with retain_forever: read back as retention -1
}

// allBookmarks lists the engine's bookmarks and DCT's own.
func (s *Server) allBookmarks() []*state.Bookmark {
	return append(append([]*state.Bookmark{}, s.Bookmarks...), s.own...)
}

// bookmarkDB is the dataset a bookmark holds.
func (s *Server) bookmarkDB(b *state.Bookmark) *state.DB {
	if x := s.meta[b.Ref]; x != nil {
		return x.db
	}
	if b.Cont != nil {
		return b.Cont.DS.DB
	}
	return b.Tmpl.DS.DB
}

// canSeeBookmark: an admin; the creator; the owner of its dataset; for a PUBLIC one, an
// account owning a dataset of the same lineage.
func (c *call) canSeeBookmark(b *state.Bookmark) bool {
	d := c.s.bookmarkDB(b)
	if c.user.Admin || b.User == c.user || c.s.ownerOf(d) == c.user {
		return true
	}
	if !b.Shared {
		return false
	}
	for _, x := range c.s.DBs {
		if x.Parent != nil && c.s.ownerOf(x) == c.user && root(x) == root(d) {
			return true
		}
	}
	return false
}

func (c *call) bookmark(id string) (*state.Bookmark, error) {
	for _, b := range c.s.allBookmarks() {
		if b.Ref == id && c.canSeeBookmark(b) {
			return b, nil
		}
	}
	return nil, notFound("bookmark", id)
}

func (s *Server) bookmarkObject(b *state.Bookmark) obj {
	d := s.bookmarkDB(b)
	typ := map[bool]string{true: "PUBLIC", false: "PRIVATE"}[b.Shared]
	o := obj{"id": b.Ref, "name": b.Name, "creation_date": state.Stamp(b.Created), "data_timestamp": state.Stamp(b.Timestamp),
		"timeflow_id": d.Timeflow, "vdb_ids": []string{}, "dsource_ids": []string{}, "bookmark_type": typ,
		"bookmark_source": "ENGINE", "bookmark_status": "ACTIVE", "tags": []obj{}}
	if d.Parent == nil {
		o["dsource_ids"] = []string{d.Ref}
	} else {
		o["vdb_ids"], o["vdbs"] = []string{d.Ref}, []obj{{"vdb_id": d.Ref, "vdb_name": d.Name}}
	}
	if x := s.meta[b.Ref]; x != nil {
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
			tags = append(tags, tagOf(t))
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

func tagOf(t string) obj {
	if k, v, ok := strings.Cut(t, "="); ok && k != "" && v != "" {
		return obj{"key": k, "value": v}
	}
	return obj{"key": "tag", "value": t}
}

func (s *Server) listBookmarks(c *call) (int, any, error) {
	items := []obj{}
	for _, b := range s.allBookmarks() {
		if c.canSeeBookmark(b) {
			items = append(items, s.bookmarkObject(b))
		}
	}
	return c.list(items)
}

func (s *Server) getBookmark(c *call) (int, any, error) {
	b, err := c.bookmark(c.r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.bookmarkObject(b), nil
}

// createBookmark bookmarks the data of one VDB (vdb_ids), of a VDB group's VDB
// (vdb_group_id) or of one existing snapshot (snapshot_ids). On a VDB it captures the data
// now and its job takes the VDB's snapshot.
func (s *Server) createBookmark(c *call) (int, any, error) {
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
	x := &bookmarkMeta{tags: p.Tags, expiration: p.Expiration, forever: p.RetainForever}
	if x.tags == nil {
		x.tags = []obj{}
	}
	switch {
	case p.Name == "":
		return 0, nil, errorf(http.StatusBadRequest, "name is required")
	case p.Expiration != "" && p.RetainForever:
		return 0, nil, errorf(http.StatusBadRequest, "expiration and retain_forever are mutually exclusive")
	case p.Type != "" && p.Type != "PUBLIC" && p.Type != "PRIVATE":
		return 0, nil, errorf(http.StatusBadRequest, "bookmark_type %q is not PUBLIC or PRIVATE", p.Type)
	}
	// A Tag's key and value are 1 to 4000 characters (DCT's OpenAPI file).
	for _, t := range x.tags {
		for _, f := range []string{"key", "value"} {
			if v, _ := t[f].(string); v == "" || utf8.RuneCountInString(v) > 4000 {
				return 0, nil, errorf(http.StatusBadRequest, "tag %s must be 1 to 4000 characters, not %d", f, utf8.RuneCountInString(v))
			}
		}
	}
	if p.Expiration != "" {
		day, err := time.Parse(time.DateOnly, p.Expiration)
		if err != nil || !day.After(s.Now().Add(-24*time.Hour)) {
			return 0, nil, errorf(http.StatusBadRequest, "expiration %q must be a date (YYYY-MM-DD) not in the past", p.Expiration)
		}
	}
	var data *model.Contents
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
		snap, ok := state.Lookup[*state.Snapshot](s.State, p.SnapshotIDs[0])
		if !ok || !c.canSeeDB(snap.DB) {
			return 0, nil, notFound("snapshot", p.SnapshotIDs[0])
		}
		x.db, x.snap, data = snap.DB, snap, snap.Contents
	default:
		return 0, nil, errorf(http.StatusBadRequest, "give one VDB in vdb_ids, a vdb_group_id or one snapshot in snapshot_ids")
	}
	now := s.Now()
	b := &state.Bookmark{Ref: s.NextRef("JS_BOOKMARK"), Name: p.Name, User: c.user, Shared: p.Type == "PUBLIC",
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
	if jc := s.ContainerUsing(x.db); jc != nil {
		b.Branch, b.Tmpl, b.Cont = jc.Active, jc.Tmpl, jc
	} else if ts := s.TemplatesUsing(x.db); len(ts) > 0 {
		b.Branch, b.Tmpl = ts[0].Branch, ts[0]
	}
	if b.Tmpl != nil {
		s.Bookmarks = append(s.Bookmarks, b)
		b.Branch.History = append(b.Branch.History, state.Checkpoint{At: b.Timestamp, Contents: data.Clone()})
	} else {
		s.own = append(s.own, b)
	}
	s.Register(b.Ref, b)
	s.meta[b.Ref] = x
	d := x.db
	j, err := s.StartJob(c.user, state.JobSpec{ActionType: "DCT_BOOKMARK_CREATE", Title: "Create bookmark \"" + b.Name + "\".",
		Target: b.Ref, TargetName: b.Name, TargetTy: "Bookmark", Busy: append([]string{b.Ref}, s.busyRefs(d)...),
		Duration: state.QuickDuration, OnFail: func() { s.forgetBookmark(b) },
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 80, "event.dct.bookmark.create", "Creating bookmark \""+b.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error {
				if x.snap == nil {
					x.snap = s.TakeSnapshot(d, b.Timestamp)
				}
				if b.Cont != nil {
					s.RecordOp(b.Cont.Ref, &b.Cont.Ops, b.Branch, "CREATE_BOOKMARK", c.user, b.Ref, b.Created)
				} else if b.Tmpl != nil {
					s.RecordOp(b.Tmpl.Ref, &b.Tmpl.Ops, b.Branch, "CREATE_BOOKMARK", c.user, b.Ref, b.Created)
				}
				return nil
			})
		}})
	if err != nil {
		s.forgetBookmark(b)
		return 0, nil, err
	}
	return http.StatusCreated, obj{"bookmark": s.bookmarkObject(b), "job": s.jobObject(j)}, nil
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
func (s *Server) forgetBookmark(b *state.Bookmark) {
	s.DropBookmark(b)
	var kept []*state.Bookmark
	for _, x := range s.own {
		if x != b {
			kept = append(kept, x)
		}
	}
	s.own = kept
	delete(s.meta, b.Ref)
}

// mayChange: an admin, the creator or the owner of the bookmark's dataset.
func (c *call) mayChange(b *state.Bookmark) error {
	if c.user.Admin || b.User == c.user || c.s.ownerOf(c.s.bookmarkDB(b)) == c.user {
		return nil
	}
	return errorf(http.StatusForbidden, "account %q may not change bookmark %q", c.user.Name, b.Name)
}

// updateBookmark renames, shares (PUBLIC), unshares (PRIVATE) or changes the expiration.
func (s *Server) updateBookmark(c *call) (int, any, error) {
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
		return 0, nil, errorf(http.StatusBadRequest, "expiration and retain_forever are mutually exclusive")
	}
	x := s.meta[b.Ref]
	if x == nil {
		x = &bookmarkMeta{db: s.bookmarkDB(b), tags: s.bookmarkObject(b)["tags"].([]obj)}
		s.meta[b.Ref] = x
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
	j, err := s.StartJob(c.user, state.JobSpec{ActionType: "DCT_BOOKMARK_UPDATE", Title: "Update bookmark \"" + b.Name + "\".",
		Target: b.Ref, TargetName: b.Name, TargetTy: "Bookmark", Duration: state.QuickDuration,
		Run: func(r *state.JobRun) error {
			return r.Step(1, 80, "event.dct.bookmark.update", "Updating bookmark \""+b.Name+"\".")
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.jobAnswer(j), nil
}

// deleteBookmark deletes a bookmark at once (204, as DCT 3.18).
func (s *Server) deleteBookmark(c *call) (int, any, error) {
	b, err := c.bookmark(c.r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	if err := c.mayChange(b); err != nil {
		return 0, nil, err
	}
	if err := s.CheckBusy(b.Ref); err != nil {
		return 0, nil, err
	}
	s.forgetBookmark(b)
	return http.StatusNoContent, nil, nil
}

// refreshedTo is the bookmark a container's current data came from: the data parent of the
// last data operation on its active branch, while that bookmark exists (DCT's
// last_successful_refresh_to_bookmark_id of the container's VDB group).
func (s *Server) refreshedTo(jc *state.Container) string {
	for i := len(s.Operations) - 1; i >= 0; i-- {
		o := s.Operations[i]
		if o.Layout != jc.Ref || o.Branch != jc.Active.Ref {
			continue
		}
		switch o.Op {
		case "REFRESH", "RESET", "RESTORE", "CREATE_BRANCH", "UNDO":
			if _, ok := s.ByRef[o.DataParent]; ok {
				return o.DataParent
			}
			return ""
		}
	}
	return ""
}

// provisionedAt is the data time of the parent point a VDB was provisioned from (DCT's
// parent_timeflow_timestamp), "" when unknown.
func (s *Server) provisionedAt(d *state.DB) string {
	for _, tf := range s.Timeflows {
		if tf.DB == d && tf.CreationType == "INITIAL" && tf.Parent != nil {
			return state.Stamp(tf.Parent.DataTime)
		}
	}
	return ""
}

// BackdateBookmark moves the creation time of every bookmark named name back by
// age, as if it had been made that long ago; it reports whether there was one.
func (s *Server) BackdateBookmark(name string, age time.Duration) bool {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	found := false
	for _, b := range s.allBookmarks() {
		if b.Name == name {
			b.Created, found = b.Created.Add(-age), true
		}
	}
	return found
}
