package dctapi

import (
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// dSources and snapshots of the DCT API, and what every dataset handler shares.

const engineID, engineName = "1", "local-engine"

// root is the dSource a database descends from.
func root(d *state.DB) *state.DB {
	for d.Parent != nil {
		d = d.Parent
	}
	return d
}

// ownerOf is the account owning a VDB: its container's owner, or whoever provisioned it.
func (s *Server) ownerOf(d *state.DB) *state.User {
	if jc := s.ContainerUsing(d); jc != nil {
		return jc.Owner
	}
	return d.Owner
}

func (c *call) canSeeDB(d *state.DB) bool { return c.user.Admin || c.s.ownerOf(d) == c.user }

// lockerOf is the account holding a VDB's lock (its container's lock), or nil.
func (s *Server) lockerOf(d *state.DB) *state.User {
	if jc := s.ContainerUsing(d); jc != nil {
		return jc.LockUser
	}
	return d.Locker
}

// db resolves the {id} path value to a database the caller sees; vdb says which kind.
func (c *call) db(vdb bool) (*state.DB, error) {
	kind := map[bool]string{true: "VDB", false: "dSource"}[vdb]
	d, ok := state.Lookup[*state.DB](c.s.State, c.r.PathValue("id"))
	if !ok || (d.Parent != nil) != vdb || !c.canSeeDB(d) {
		return nil, notFound(kind, c.r.PathValue("id"))
	}
	return d, nil
}

// operable resolves a VDB the caller may operate on: visible, not locked by another
// account and with no running job.
func (c *call) operable() (*state.DB, error) {
	d, err := c.db(true)
	if err != nil {
		return nil, err
	}
	if l := c.s.lockerOf(d); l != nil && l != c.user {
		return nil, errorf(c.s.opts.BusyStatus, "VDB %q is locked by account %q", d.Name, l.Name)
	}
	return d, c.s.CheckBusy(c.s.busyRefs(d)...)
}

// busyRefs are the objects an operation on d holds: d and its container.
func (s *Server) busyRefs(d *state.DB) []string {
	refs := []string{d.Ref}
	if jc := s.ContainerUsing(d); jc != nil {
		refs = append(refs, jc.Ref)
	}
	return refs
}

func (s *Server) enabled(d *state.DB) bool {
	if jc := s.ContainerUsing(d); jc != nil {
		return jc.State != "OFFLINE"
	}
	return !d.Disabled
}

func (s *Server) dsourceObject(d *state.DB) obj {
	deps := 0
	for _, x := range s.DBs {
		if x.Parent == d {
			deps++
		}
	}
	return obj{"id": d.Ref, "name": d.Name, "database_type": d.PlatName, "engine_id": engineID,
		"engine_name": engineName, "enabled": true, "status": "RUNNING", "current_timeflow_id": d.Timeflow,
		"group_name": d.Group.Name, "creation_date": state.Stamp(d.Created), "is_appdata": d.PlatName == "appdata",
		"dependant_vdbs": deps, "tags": []obj{}}
}

func snapshotObject(snap *state.Snapshot) obj {
	return obj{"id": snap.Ref, "name": "@" + snap.DataTime.In(snap.DB.Zone).Format("2006-01-02T15:04:05.000"),
		"dataset_id": snap.DB.Ref, "engine_id": engineID, "timeflow_id": snap.Timeflow, "timestamp": state.Stamp(snap.DataTime),
		"creation_time": state.Stamp(snap.Created), "consistency": "CONSISTENT", "temporary": false,
		"retain_forever": false, "effective_retain_forever": false, "timezone": snap.DB.Zone.String(), "tags": []obj{}}
}

func (s *Server) listDSources(c *call) (int, any, error) {
	items := []obj{}
	for _, d := range s.DBs {
		if d.Parent == nil && c.canSeeDB(d) {
			items = append(items, s.dsourceObject(d))
		}
	}
	return c.list(items)
}

func (s *Server) getDSource(c *call) (int, any, error) {
	d, err := c.db(false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.dsourceObject(d), nil
}

func (s *Server) listSnapshots(c *call) (int, any, error) {
	items := []obj{}
	for _, snap := range s.Snapshots {
		if c.canSeeDB(snap.DB) {
			items = append(items, snapshotObject(snap))
		}
	}
	return c.list(items)
}

func (s *Server) datasetSnapshots(c *call) (int, any, error) {
	d, ok := state.Lookup[*state.DB](s.State, c.r.PathValue("id"))
	if !ok || !c.canSeeDB(d) {
		return 0, nil, notFound("dataset", c.r.PathValue("id"))
	}
	items := []obj{}
	for _, snap := range s.SnapshotsOf(d) {
		items = append(items, snapshotObject(snap))
	}
	return c.list(items)
}

func (s *Server) getSnapshot(c *call) (int, any, error) {
	snap, ok := state.Lookup[*state.Snapshot](s.State, c.r.PathValue("id"))
	if !ok || !c.canSeeDB(snap.DB) {
		return 0, nil, notFound("snapshot", c.r.PathValue("id"))
	}
	return http.StatusOK, snapshotObject(snap), nil
}

// snapshotDSource syncs a dSource (DB_SYNC, as the engine API's sync): the new snapshot
// holds what production holds now.
func (s *Server) snapshotDSource(c *call) (int, any, error) {
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
	dataTime := s.Now()
	j, err := s.StartJob(c.user, state.JobSpec{ActionType: "DB_SYNC", Title: "Run SnapSync for database \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Duration: state.SyncDuration,
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 90, "event.jobs.snapshot.create", "Creating a snapshot of \""+d.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error { s.TakeSnapshot(d, dataTime); return nil })
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.jobAnswer(j), nil
}
