package engine

import (
	"fmt"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

func (e *Engine) dctRefreshBySnapshot(c *dctCall) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	var b struct {
		SnapshotID string `json:"snapshot_id"`
	}
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	var snap *state.Snapshot
	if b.SnapshotID == "" {
		if snaps := e.SnapshotsOf(d.Parent); len(snaps) > 0 {
			snap = snaps[0]
		}
	} else if s, ok := state.Lookup[*state.Snapshot](e.State, b.SnapshotID); ok && (s.DB == d.Parent || s.DB == d) {
		snap = s
	} else if ok {
		return 0, nil, dctErrorf(http.StatusBadRequest, "snapshot %q is not of %q or its parent", b.SnapshotID, d.Name)
	}
	if snap == nil {
		return 0, nil, dctErrorf(http.StatusBadRequest, "no snapshot %q to refresh %q from", b.SnapshotID, d.Name)
	}
	return e.refreshJob(c, d, snap.Contents, snap, "", snap.DB == d)
}

func (e *Engine) refreshJob(c *dctCall, d *state.DB, data *Contents, snap *state.Snapshot, bookmark string, self bool) (int, any, error) {
	data = data.Clone()
	pre, clone, post := "preRefresh", "configureClone", "postRefresh"
	if self {
		pre, clone, post = "preRollback", "", "postRollback"
	}
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "DB_REFRESH", Title: "Refresh database \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Busy: e.busyRefs(d),
		Duration: state.RefreshDuration,
		Run: func(r *state.JobRun) error {
			if err := r.Hooks(d.Src, pre, 5); err != nil {
				return err
			}
			if err := r.Step(0.5, 40, "event.jobs.genericvdb.provision.starting",
				fmt.Sprintf("Starting provision of the virtual database %q.", d.Name)); err != nil {
				return err
			}
			_ = r.Locked(func() error {
				start := e.Now()
				if jc := e.ContainerUsing(d); jc != nil {
					e.setContainerData(jc, data)
					jc.LastUpdated = start
					op := "REFRESH"
					if bookmark != "" {
						op = "RESTORE"
					}
					o := e.recordOp(jc.Ref, &jc.Ops, jc.Active, op, c.user, bookmark, start)
					if b, ok := state.Lookup[*state.Bookmark](e.State, bookmark); ok {
						dataFrom(o, b)
					}
				} else {
					d.Contents = data.Clone()
				}
				e.NewTimeflow(d, "REFRESH", "DB_REFRESH", snap)
				if snap != nil {
					d.LastRefreshed = snap
				}
				return nil
			})
			return e.finishRefresh(r, d, clone, post, 0.5)
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.jobAnswer(j), nil
}

// compatible says whether a bookmark may refresh d: one of the same lineage (the same
// origin dSource), or with DCTOptions.StrictBookmarks only one of d itself or its parent.
func (e *Engine) compatible(b *state.Bookmark, d *state.DB) bool {
	bd := e.bookmarkDB(b)
	if e.opts.DCT.StrictBookmarks {
		return bd == d || bd == d.Parent
	}
	return root(bd) == root(d)
}

// dctRefreshFromBookmark refreshes a VDB to a compatible bookmark's data.
func (e *Engine) dctRefreshFromBookmark(c *dctCall) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	var p struct {
		BookmarkID string `json:"bookmark_id"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	b, err := c.bookmark(p.BookmarkID)
	if err != nil {
		return 0, nil, err
	}
	if !e.compatible(b, d) {
		return 0, nil, dctErrorf(http.StatusBadRequest, "bookmark %q is not compatible with VDB %q", b.Name, d.Name)
	}
	var snap *state.Snapshot
	if x := e.dct.bookmarks[b.Ref]; x != nil {
		snap = x.snap
	}
	return e.refreshJob(c, d, b.Contents, snap, b.Ref, e.bookmarkDB(b) == d)
}

// dctProvisionFromBookmark provisions a new VDB (a private copy owned by the caller unless
// make_current_account_owner is false, with the tags given) from a bookmark's data; its
// parent is the bookmark's dataset.
func (e *Engine) dctProvisionFromBookmark(c *dctCall) (int, any, error) {
	var p struct {
		BookmarkID string `json:"bookmark_id"`
		Name       string `json:"name"`
		Tags       []obj  `json:"tags"`
		MakeOwner  *bool  `json:"make_current_account_owner"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	b, err := c.bookmark(p.BookmarkID)
	if err != nil {
		return 0, nil, err
	}
	if p.Name == "" {
		p.Name = b.Name + " copy"
	}
	var snap *state.Snapshot
	if x := e.dct.bookmarks[b.Ref]; x != nil {
		snap = x.snap
	}
	return e.provision(c, provisionSpec{name: p.Name, tags: p.Tags, makeOwner: p.MakeOwner}, e.bookmarkDB(b), snap, b.Contents)
}

// dctProvisionBySnapshot provisions a VDB owned by the caller from a snapshot of a dataset
// it sees (the latest of source_data_id when no snapshot is named).
func (e *Engine) dctProvisionBySnapshot(c *dctCall) (int, any, error) {
	var p struct {
		SnapshotID string `json:"snapshot_id"`
		SourceID   string `json:"source_data_id"`
		Name       string `json:"name"`
		Tags       []obj  `json:"tags"`
		MakeOwner  *bool  `json:"make_current_account_owner"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	var snap *state.Snapshot
	if s, ok := state.Lookup[*state.Snapshot](e.State, p.SnapshotID); ok && c.canSeeDB(s.DB) && (p.SourceID == "" || p.SourceID == s.DB.Ref) {
		snap = s
	} else if d, ok := state.Lookup[*state.DB](e.State, p.SourceID); ok && p.SnapshotID == "" && c.canSeeDB(d) {
		if snaps := e.SnapshotsOf(d); len(snaps) > 0 {
			snap = snaps[0]
		}
	}
	if snap == nil {
		return 0, nil, dctErrorf(http.StatusBadRequest, "no snapshot %q of source %q to provision from", p.SnapshotID, p.SourceID)
	}
	if p.Name == "" {
		return 0, nil, dctErrorf(http.StatusBadRequest, "a name is required")
	}
	return e.provision(c, provisionSpec{name: p.Name, tags: p.Tags, makeOwner: p.MakeOwner}, snap.DB, snap, snap.Contents)
}

// provisionSpec is what a provision request says of the new VDB: its name, its tags, and
// whether the caller owns it (make_current_account_owner; default yes).
type provisionSpec struct {
	name      string
	tags      []obj
	makeOwner *bool
}

// provision creates a VDB of parent with data, owned by the caller unless the spec says
// otherwise, and starts the job that provisions it (the VDB goes again if the job fails).
func (e *Engine) provision(c *dctCall, p provisionSpec, parent *state.DB, snap *state.Snapshot, data *Contents) (int, any, error) {
	d, err := e.NewVDB(p.name, parent, snap, data, "DCT")
	if err != nil {
		return 0, nil, dctErrorf(http.StatusBadRequest, "%v", err)
	}
	if p.makeOwner == nil || *p.makeOwner {
		e.dct.owner[d] = c.user
	}
	if len(p.tags) > 0 {
		e.dct.tags[d] = p.tags
	}
	forget := func() { _ = e.DeleteVDB(d); delete(e.dct.owner, d); delete(e.dct.tags, d) }
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "DB_PROVISION", Title: "Provision virtual database \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Duration: state.RefreshDuration,
		OnFail: forget,
		Run: func(r *state.JobRun) error {
			if err := r.Step(0.5, 50, "event.jobs.genericvdb.provision.starting",
				"Starting provision of the virtual database \""+d.Name+"\"."); err != nil {
				return err
			}
			if err := r.Hooks(d.Src, "configureClone", 75); err != nil {
				return err
			}
			return r.Step(0.5, 90, "event.jobs.genericvdb.provision.success",
				"The virtual database \""+d.Name+"\" was successfully provisioned.")
		}})
	if err != nil {
		forget()
		return 0, nil, err
	}
	return http.StatusOK, obj{"vdb_id": d.Ref, "job": e.dctJob(j)}, nil
}

// dctSwitchTimeflow makes an earlier timeflow of the VDB current: its data becomes that of
// the timeflow's latest snapshot.
func (e *Engine) dctSwitchTimeflow(c *dctCall) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	var p struct {
		TimeflowID string `json:"timeflow_id"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	tf, ok := state.Lookup[*state.Timeflow](e.State, p.TimeflowID)
	if !ok || tf.DB != d {
		return 0, nil, dctErrorf(http.StatusBadRequest, "timeflow %q is not one of VDB %q", p.TimeflowID, d.Name)
	}
	var snap *state.Snapshot
	for _, s := range e.SnapshotsOf(d) {
		if s.Timeflow == tf.Ref {
			snap = s
			break
		}
	}
	if snap == nil {
		return 0, nil, dctErrorf(http.StatusBadRequest, "timeflow %q has no snapshot to switch to", tf.Ref)
	}
	return e.dbJob(c, d, "DB_SWITCH_TIMEFLOW", "Switch the timeflow of", state.QuickDuration, func() {
		if jc := e.ContainerUsing(d); jc != nil {
			e.setContainerData(jc, snap.Contents)
		} else {
			d.Contents = snap.Contents.Clone()
		}
		d.PrevTimeflow, d.Timeflow = d.Timeflow, tf.Ref
	})
}

// dctCompatibleBookmarks lists (or searches) the bookmarks the caller sees that may refresh
// the VDB, or the group's VDB.
func (e *Engine) dctCompatibleBookmarks(group bool) dctHandler {
	return func(c *dctCall) (int, any, error) {
		if group {
			g, err := c.group()
			if err != nil {
				return 0, nil, err
			}
			c.r.SetPathValue("id", g.DB.Ref)
		}
		d, err := c.db(true)
		if err != nil {
			return 0, nil, err
		}
		items := []obj{}
		for _, b := range e.allBookmarks() {
			if c.canSeeBookmark(b) && e.compatible(b, d) {
				items = append(items, e.dctBookmarkObject(b))
			}
		}
		return c.list(items)
	}
}
