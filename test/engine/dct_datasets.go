package engine

import (
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// dSources and snapshots of the DCT API, and what every dataset handler shares.

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
// dbJob starts a job on a VDB that holds it and its container; apply runs at the end with
// the lock held.
// dctRefreshBySnapshot refreshes a VDB from a snapshot of its parent (the latest when no
// id is given) or of itself (a self-refresh).
// refreshJob refreshes d to data (DB_REFRESH): the refresh hooks run, the data is copied
// (through the container when a container uses d), a new timeflow starts and a snapshot is
// taken. A self-refresh (data from d's own snapshot or bookmark) runs the self-refresh
// hooks (the engine's rollback hooks) and not configure_clone. DCT never masks in a
// refresh: the compliance job does.
// dctEnable enables or disables a VDB: its container goes ONLINE or OFFLINE.
// dctLockVDB locks a VDB for the caller (its container, when one uses it) or unlocks it;
// the holder or an admin may unlock. Synchronous: the answer is the VDB.
// dctDeleteVDB deletes a VDB that no self-service object uses (a private copy).
