package engine

import (
	"fmt"
	"net/http"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// dSources, VDBs, snapshots, VDB groups and compliance jobs of the DCT API.

const dctEngineID, dctEngineName = "1", "local-engine"

// root is the dSource a database descends from.
func root(d *state.DB) *state.DB {
	for d.Parent != nil {
		d = d.Parent
	}
	return d
}

// ownerOf is the account owning a VDB: its container's owner, or whoever provisioned it.
func (e *Engine) ownerOf(d *state.DB) *state.User {
	if jc := e.ContainerUsing(d); jc != nil {
		return jc.Owner
	}
	return e.dct.owner[d]
}

func (c *dctCall) canSeeDB(d *state.DB) bool { return c.user.Admin || c.e.ownerOf(d) == c.user }

// lockerOf is the account holding a VDB's lock (its container's lock), or nil.
func (e *Engine) lockerOf(d *state.DB) *state.User {
	if jc := e.ContainerUsing(d); jc != nil {
		return jc.LockUser
	}
	return e.dct.lock[d]
}

// db resolves the {id} path value to a database the caller sees; vdb says which kind.
func (c *dctCall) db(vdb bool) (*state.DB, error) {
	kind := map[bool]string{true: "VDB", false: "dSource"}[vdb]
	d, ok := state.Lookup[*state.DB](c.e.State, c.r.PathValue("id"))
	if !ok || (d.Parent != nil) != vdb || !c.canSeeDB(d) {
		return nil, dctNotFound(kind, c.r.PathValue("id"))
	}
	return d, nil
}

// operable resolves a VDB the caller may operate on: visible, not locked by another
// account and with no running job.
func (c *dctCall) operable() (*state.DB, error) {
	d, err := c.db(true)
	if err != nil {
		return nil, err
	}
	if l := c.e.lockerOf(d); l != nil && l != c.user {
		return nil, dctErrorf(c.e.opts.DCT.BusyStatus, "VDB %q is locked by account %q", d.Name, l.Name)
	}
	return d, c.e.CheckBusy(c.e.busyRefs(d)...)
}

// busyRefs are the objects an operation on d holds: d and its container.
func (e *Engine) busyRefs(d *state.DB) []string {
	refs := []string{d.Ref}
	if jc := e.ContainerUsing(d); jc != nil {
		refs = append(refs, jc.Ref)
	}
	return refs
}

func (e *Engine) enabled(d *state.DB) bool {
	if jc := e.ContainerUsing(d); jc != nil {
		return jc.State != "OFFLINE"
	}
	return !e.dct.disabled[d]
}

func (e *Engine) dctDSourceObject(d *state.DB) obj {
	deps := 0
	for _, x := range e.DBs {
		if x.Parent == d {
			deps++
		}
	}
	return obj{"id": d.Ref, "name": d.Name, "database_type": d.PlatName, "engine_id": dctEngineID,
		"engine_name": dctEngineName, "enabled": true, "status": "RUNNING", "current_timeflow_id": d.Timeflow,
		"group_name": d.Group.Name, "creation_date": state.Stamp(d.Created), "is_appdata": d.PlatName == "appdata",
		"dependant_vdbs": deps, "tags": []obj{}}
}

func (e *Engine) dctVDBObject(d *state.DB) obj {
	status := "RUNNING"
	if !e.enabled(d) {
		status = "DISABLED"
	}
	o := obj{"id": d.Ref, "name": d.Name, "database_name": d.Conn.Database, "database_type": d.PlatName,
		"engine_id": dctEngineID, "engine_name": dctEngineName, "status": status, "enabled": e.enabled(d),
		"masked": d.Contents.Masked, "is_locked": false, "parent_id": d.Parent.Ref, "root_parent_id": root(d).Ref,
		"parent_dsource_id": root(d).Ref, "group_name": d.Group.Name, "current_timeflow_id": d.Timeflow,
		"creation_date": state.Stamp(d.Created), "is_appdata": d.PlatName == "appdata",
		"hooks": dctHooksOf(d.Src), "tags": []obj{}}
	if d.PrevTimeflow != "" {
		o["previous_timeflow_id"] = d.PrevTimeflow
	}
	if d.LastRefreshed != nil {
		o["last_refreshed_date"] = state.Stamp(d.LastRefreshed.Created)
	}
	if l := e.lockerOf(d); l != nil {
		o["is_locked"], o["locked_by"], o["locked_by_name"] = true, e.accountID(l), l.Name
	}
	return o
}

func (e *Engine) dctSnapshotObject(s *state.Snapshot) obj {
	return obj{"id": s.Ref, "name": "@" + s.DataTime.In(s.DB.Zone).Format("2006-01-02T15:04:05.000"),
		"dataset_id": s.DB.Ref, "engine_id": dctEngineID, "timeflow_id": s.Timeflow, "timestamp": state.Stamp(s.DataTime),
		"creation_time": state.Stamp(s.Created), "consistency": "CONSISTENT", "temporary": false,
		"retain_forever": false, "effective_retain_forever": false, "timezone": s.DB.Zone.String(), "tags": []obj{}}
}

func (e *Engine) dctDSources(c *dctCall) (int, any, error) {
	items := []obj{}
	for _, d := range e.DBs {
		if d.Parent == nil && c.canSeeDB(d) {
			items = append(items, e.dctDSourceObject(d))
		}
	}
	return c.list(items)
}

func (e *Engine) dctDSource(c *dctCall) (int, any, error) {
	d, err := c.db(false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.dctDSourceObject(d), nil
}

func (e *Engine) dctVDBs(c *dctCall) (int, any, error) {
	items := []obj{}
	for _, d := range e.DBs {
		if d.Parent != nil && c.canSeeDB(d) {
			items = append(items, e.dctVDBObject(d))
		}
	}
	return c.list(items)
}

func (e *Engine) dctVDB(c *dctCall) (int, any, error) {
	d, err := c.db(true)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.dctVDBObject(d), nil
}

func (e *Engine) dctSnapshots(c *dctCall) (int, any, error) {
	items := []obj{}
	for _, s := range e.Snapshots {
		if c.canSeeDB(s.DB) {
			items = append(items, e.dctSnapshotObject(s))
		}
	}
	return c.list(items)
}

func (e *Engine) dctDatasetSnapshots(c *dctCall) (int, any, error) {
	d, ok := state.Lookup[*state.DB](e.State, c.r.PathValue("id"))
	if !ok || !c.canSeeDB(d) {
		return 0, nil, dctNotFound("dataset", c.r.PathValue("id"))
	}
	items := []obj{}
	for _, s := range e.SnapshotsOf(d) {
		items = append(items, e.dctSnapshotObject(s))
	}
	return c.list(items)
}

func (e *Engine) dctSnapshot(c *dctCall) (int, any, error) {
	s, ok := state.Lookup[*state.Snapshot](e.State, c.r.PathValue("id"))
	if !ok || !c.canSeeDB(s.DB) {
		return 0, nil, dctNotFound("snapshot", c.r.PathValue("id"))
	}
	return http.StatusOK, e.dctSnapshotObject(s), nil
}

// dctSnapshotDSource syncs a dSource (DB_SYNC, as the engine API's sync): the new snapshot
// holds what production holds now.
func (e *Engine) dctSnapshotDSource(c *dctCall) (int, any, error) {
	d, err := c.db(false)
	if err != nil {
		return 0, nil, err
	}
	if err := c.requireAdmin(); err != nil {
		return 0, nil, err
	}
	if err := c.decode(&struct{}{}); err != nil {
		return 0, nil, err
	}
	dataTime := e.Now()
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "DB_SYNC", Title: "Run SnapSync for database \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Duration: state.SyncDuration,
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 90, "event.jobs.snapshot.create", "Creating a snapshot of \""+d.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error { e.TakeSnapshot(d, dataTime); return nil })
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.jobAnswer(j), nil
}

// dctSnapshotVDB snapshots a VDB (DB_SNAPSHOT).
func (e *Engine) dctSnapshotVDB(c *dctCall) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	return e.dbJob(c, d, "DB_SNAPSHOT", "Snapshot database", state.QuickDuration, func() { e.TakeSnapshot(d, time.Time{}) })
}

// dbJob starts a job on a VDB that holds it and its container; apply runs at the end with
// the lock held.
func (e *Engine) dbJob(c *dctCall, d *state.DB, actionType, verb string, dur time.Duration, apply func()) (int, any, error) {
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: actionType, Title: verb + " \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Busy: e.busyRefs(d), Duration: dur,
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 90, "event.dct."+actionType, verb+" \""+d.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error { apply(); return nil })
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.jobAnswer(j), nil
}

// dctRefreshBySnapshot refreshes a VDB from a snapshot of its parent (the latest when no
// id is given) or of itself (a self-refresh).
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

// refreshJob refreshes d to data (DB_REFRESH): the refresh hooks run, the data is copied
// (through the container when a container uses d), a new timeflow starts and a snapshot is
// taken. A self-refresh (data from d's own snapshot or bookmark) runs the self-refresh
// hooks (the engine's rollback hooks) and not configure_clone. DCT never masks in a
// refresh: the compliance job does.
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
					e.recordOp(jc.Ref, &jc.Ops, jc.Active, op, c.user, bookmark, start)
				} else {
					d.Contents = data.Clone()
				}
				e.NewTimeflow(d, "REFRESH", "DB_REFRESH", snap)
				if snap != nil {
					d.LastRefreshed = snap
				}
				return nil
			})
			if clone != "" {
				if err := r.Hooks(d.Src, clone, 75); err != nil {
					return err
				}
			}
			if err := r.Step(0.5, 90, "event.jobs.genericvdb.provision.success",
				fmt.Sprintf("The virtual database %q was successfully provisioned.", d.Name)); err != nil {
				return err
			}
			if err := r.Hooks(d.Src, post, 95); err != nil {
				return err
			}
			return r.Locked(func() error {
				e.TakeSnapshot(d, time.Time{})
				for _, t := range e.TemplatesUsing(d) {
					t.Branch.History = append(t.Branch.History, state.Checkpoint{At: e.Now(), Contents: d.Contents.Clone()})
				}
				return nil
			})
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.jobAnswer(j), nil
}

// dctEnable enables or disables a VDB: its container goes ONLINE or OFFLINE.
func (e *Engine) dctEnable(on bool) dctHandler {
	return func(c *dctCall) (int, any, error) {
		d, err := c.operable()
		if err != nil {
			return 0, nil, err
		}
		if err := c.decode(&struct{}{}); err != nil {
			return 0, nil, err
		}
		action, verb := "DB_ENABLE", "Enable database"
		if !on {
			action, verb = "DB_DISABLE", "Disable database"
		}
		return e.dbJob(c, d, action, verb, state.QuickDuration, func() {
			if jc := e.ContainerUsing(d); jc != nil {
				jc.State = map[bool]string{true: "ONLINE", false: "OFFLINE"}[on]
			}
			e.dct.disabled[d] = !on
		})
	}
}

// dctLockVDB locks a VDB for the caller (its container, when one uses it) or unlocks it;
// the holder or an admin may unlock. Synchronous: the answer is the VDB.
func (e *Engine) dctLockVDB(lock bool) dctHandler {
	return func(c *dctCall) (int, any, error) {
		d, err := c.db(true)
		if err != nil {
			return 0, nil, err
		}
		if err := c.setLock(d, lock); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e.dctVDBObject(d), nil
	}
}

func (c *dctCall) setLock(d *state.DB, lock bool) error {
	e := c.e
	holder := e.lockerOf(d)
	switch {
	case lock && holder != nil && holder != c.user:
		return dctErrorf(e.opts.DCT.BusyStatus, "%q is locked by account %q", d.Name, holder.Name)
	case !lock && holder != nil && holder != c.user && !c.user.Admin:
		return dctErrorf(http.StatusForbidden, "%q is locked by account %q", d.Name, holder.Name)
	}
	var u *state.User
	if lock {
		u = c.user
	}
	if jc := e.ContainerUsing(d); jc != nil {
		jc.LockUser = u
		op := map[bool]string{true: "LOCK", false: "UNLOCK"}[lock]
		e.recordOp(jc.Ref, &jc.Ops, jc.Active, op, c.user, "", e.Now())
	} else if lock {
		e.dct.lock[d] = u
	} else {
		delete(e.dct.lock, d)
	}
	return nil
}

// dctDeleteVDB deletes a VDB that no self-service object uses (a private copy).
func (e *Engine) dctDeleteVDB(c *dctCall) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	if err := c.decode(&struct {
		Force bool `json:"force"`
	}{}); err != nil {
		return 0, nil, err
	}
	if e.ContainerUsing(d) != nil || len(e.TemplatesUsing(d)) > 0 {
		return 0, nil, dctErrorf(http.StatusBadRequest, "VDB %q backs a self-service template or container", d.Name)
	}
	return e.dbJob(c, d, "DB_DELETE", "Delete database", state.QuickDuration, func() {
		if err := e.DeleteVDB(d); err == nil {
			delete(e.dct.owner, d)
			delete(e.dct.lock, d)
			delete(e.dct.disabled, d)
		}
	})
}
