package dctapi

import (
	"fmt"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// refreshBySnapshot refreshes a VDB from a snapshot of its parent (the latest when no
// id is given) or of itself (a self-refresh).
func (s *Server) refreshBySnapshot(c *call) (int, any, error) {
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
		if snaps := s.SnapshotsOf(d.Parent); len(snaps) > 0 {
			snap = snaps[0]
		}
	} else if x, ok := state.Lookup[*state.Snapshot](s.State, b.SnapshotID); ok && (x.DB == d.Parent || x.DB == d) {
		snap = x
	} else if ok {
		return 0, nil, errorf(http.StatusBadRequest, "snapshot %q is not of %q or its parent", b.SnapshotID, d.Name)
	}
	if snap == nil {
		return 0, nil, errorf(http.StatusBadRequest, "no snapshot %q to refresh %q from", b.SnapshotID, d.Name)
	}
	return s.refreshJob(c, d, snap.Contents, snap, "", snap.DB == d)
}

// refreshJob refreshes d to data (DB_REFRESH): the refresh hooks run, the data is copied
// (through the container when a container uses d), a new timeflow starts and a snapshot is
// taken. A self-refresh (data from d's own snapshot or bookmark) runs the self-refresh
// hooks (the engine's rollback hooks) and not configure_clone. DCT never masks in a
// refresh: the compliance job does.
func (s *Server) refreshJob(c *call, d *state.DB, data *model.Contents, snap *state.Snapshot, bookmark string, self bool) (int, any, error) {
	data = data.Clone()
	pre, clone, post := "preRefresh", "configureClone", "postRefresh"
	if self {
		pre, clone, post = "preRollback", "", "postRollback"
	}
	j, err := s.StartJob(c.user, state.JobSpec{ActionType: "DB_REFRESH", Title: "Refresh database \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Busy: s.busyRefs(d),
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
				start := s.Now()
				if jc := s.ContainerUsing(d); jc != nil {
					s.SetContainerData(jc, data)
					jc.LastUpdated = start
					op := "REFRESH"
					if bookmark != "" {
						op = "RESTORE"
					}
					o := s.RecordOp(jc.Ref, &jc.Ops, jc.Active, op, c.user, bookmark, start)
					if b, ok := state.Lookup[*state.Bookmark](s.State, bookmark); ok {
						o.DataFrom(b)
					}
				} else {
					d.Contents = data.Clone()
				}
				s.NewTimeflow(d, "REFRESH", "DB_REFRESH", snap)
				if snap != nil {
					d.LastRefreshed = snap
				}
				return nil
			})
			return r.FinishRefresh(d, clone, post, 0.5)
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.jobAnswer(j), nil
}

// compatible says whether a bookmark may refresh d: one of the same lineage (the same
// origin dSource), or with Options.StrictBookmarks only one of d itself or its parent.
func (s *Server) compatible(b *state.Bookmark, d *state.DB) bool {
	bd := s.bookmarkDB(b)
	if s.opts.StrictBookmarks {
		return bd == d || bd == d.Parent
	}
	return root(bd) == root(d)
}

// refreshFromBookmark refreshes a VDB to a compatible bookmark's data.
func (s *Server) refreshFromBookmark(c *call) (int, any, error) {
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
	if !s.compatible(b, d) {
		return 0, nil, errorf(http.StatusBadRequest, "bookmark %q is not compatible with VDB %q", b.Name, d.Name)
	}
	var snap *state.Snapshot
	if x := s.meta[b.Ref]; x != nil {
		snap = x.snap
	}
	return s.refreshJob(c, d, b.Contents, snap, b.Ref, s.bookmarkDB(b) == d)
}

// provisionFromBookmark provisions a new VDB (a private copy owned by the caller unless
// make_current_account_owner is false, with the tags given) from a bookmark's data; its
// parent is the bookmark's dataset.
func (s *Server) provisionFromBookmark(c *call) (int, any, error) {
	var p struct {
		BookmarkID string      `json:"bookmark_id"`
		Name       string      `json:"name"`
		Tags       []state.Tag `json:"tags"`
		MakeOwner  *bool       `json:"make_current_account_owner"`
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
	if x := s.meta[b.Ref]; x != nil {
		snap = x.snap
	}
	return s.provision(c, provisionSpec{name: p.Name, tags: p.Tags, makeOwner: p.MakeOwner}, s.bookmarkDB(b), snap, b.Contents)
}

// provisionBySnapshot provisions a VDB owned by the caller from a snapshot of a dataset
// it sees (the latest of source_data_id when no snapshot is named).
func (s *Server) provisionBySnapshot(c *call) (int, any, error) {
	var p struct {
		SnapshotID string      `json:"snapshot_id"`
		SourceID   string      `json:"source_data_id"`
		Name       string      `json:"name"`
		Tags       []state.Tag `json:"tags"`
		MakeOwner  *bool       `json:"make_current_account_owner"`
	}
	if err := c.decode(&p); err != nil {
		return 0, nil, err
	}
	var snap *state.Snapshot
	if x, ok := state.Lookup[*state.Snapshot](s.State, p.SnapshotID); ok && c.canSeeDB(x.DB) && (p.SourceID == "" || p.SourceID == x.DB.Ref) {
		snap = x
	} else if d, ok := state.Lookup[*state.DB](s.State, p.SourceID); ok && p.SnapshotID == "" && c.canSeeDB(d) {
		if snaps := s.SnapshotsOf(d); len(snaps) > 0 {
			snap = snaps[0]
		}
	}
	if snap == nil {
		return 0, nil, errorf(http.StatusBadRequest, "no snapshot %q of source %q to provision from", p.SnapshotID, p.SourceID)
	}
	if p.Name == "" {
		return 0, nil, errorf(http.StatusBadRequest, "a name is required")
	}
	return s.provision(c, provisionSpec{name: p.Name, tags: p.Tags, makeOwner: p.MakeOwner}, snap.DB, snap, snap.Contents)
}

// provisionSpec is what a provision request says of the new VDB: its name, its tags, and
// whether the caller owns it (make_current_account_owner; default yes).
type provisionSpec struct {
	name      string
	tags      []state.Tag
	makeOwner *bool
}

// provision creates a VDB of parent with data, owned by the caller unless the spec says
// otherwise, and starts the job that provisions it (the VDB goes again if the job fails).
func (s *Server) provision(c *call, p provisionSpec, parent *state.DB, snap *state.Snapshot, data *model.Contents) (int, any, error) {
	d, err := s.NewVDB(p.name, parent, snap, data, "DCT")
	if err != nil {
		return 0, nil, errorf(http.StatusBadRequest, "%v", err)
	}
	if p.makeOwner == nil || *p.makeOwner {
		d.Owner = c.user
	}
	if len(p.tags) > 0 {
		d.Tags = p.tags
	}
	forget := func() { _ = s.DeleteVDB(d) }
	j, err := s.StartJob(c.user, state.JobSpec{ActionType: "DB_PROVISION", Title: "Provision virtual database \"" + d.Name + "\".",
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
	return http.StatusOK, obj{"vdb_id": d.Ref, "job": s.jobObject(j)}, nil
}

// switchTimeflow makes an earlier timeflow of the VDB current: its data becomes that of
// the timeflow's latest snapshot.
func (s *Server) switchTimeflow(c *call) (int, any, error) {
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
	tf, ok := state.Lookup[*state.Timeflow](s.State, p.TimeflowID)
	if !ok || tf.DB != d {
		return 0, nil, errorf(http.StatusBadRequest, "timeflow %q is not one of VDB %q", p.TimeflowID, d.Name)
	}
	var snap *state.Snapshot
	for _, x := range s.SnapshotsOf(d) {
		if x.Timeflow == tf.Ref {
			snap = x
			break
		}
	}
	if snap == nil {
		return 0, nil, errorf(http.StatusBadRequest, "timeflow %q has no snapshot to switch to", tf.Ref)
	}
	return s.dbJob(c, d, "DB_SWITCH_TIMEFLOW", "Switch the timeflow of", state.QuickDuration, func() {
		if jc := s.ContainerUsing(d); jc != nil {
			s.SetContainerData(jc, snap.Contents)
		} else {
			d.Contents = snap.Contents.Clone()
		}
		d.PrevTimeflow, d.Timeflow = d.Timeflow, tf.Ref
	})
}

// compatibleBookmarks lists (or searches) the bookmarks the caller sees that may refresh
// the VDB, or the group's VDB.
func (s *Server) compatibleBookmarks(group bool) handler {
	return func(c *call) (int, any, error) {
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
		for _, b := range s.allBookmarks() {
			if c.canSeeBookmark(b) && s.compatible(b, d) {
				items = append(items, s.bookmarkObject(b))
			}
		}
		return c.list(items)
	}
}
