package dctapi

import (
	"net/http"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

func (s *Server) vdbObject(d *state.DB) obj {
	status := "RUNNING"
	if !s.enabled(d) {
		status = "DISABLED"
	}
	o := obj{"id": d.Ref, "name": d.Name, "database_name": d.Conn.Database, "database_type": d.PlatName,
		"engine_id": engineID, "engine_name": engineName, "status": status, "enabled": s.enabled(d),
		"masked": d.Contents.Masked, "is_locked": false, "parent_id": d.Parent.Ref, "root_parent_id": root(d).Ref,
		"parent_dsource_id": root(d).Ref, "group_name": d.Group.Name, "current_timeflow_id": d.Timeflow,
		"creation_date": state.Stamp(d.Created), "is_appdata": d.PlatName == "appdata",
		"hooks": hooksOf(d.Src), "tags": []obj{}}
	if d.Tags != nil {
		o["tags"] = d.Tags
	}
	if v, ok := state.ConnectionInfo(d.Platform, d.Conn)["version"].(string); ok && v != "" {
		o["database_version"] = v // the version the engine's connection info shows
	}
	if jdbc := jdbcOf(d); jdbc != "" {
		o["jdbc_connection_string"] = jdbc
	}
	if d.PrevTimeflow != "" {
		o["previous_timeflow_id"] = d.PrevTimeflow
	}
	if d.Conn.Host != "" {
		o["fqdn"] = d.Conn.Host
	}
	if d.PlatName == "appdata" && d.Conn.Port > 0 {
		o["appdata_source_params"] = obj{"postgresPort": d.Conn.Port} // the PostgreSQL toolkit's port parameter
	}
	if d.LastRefreshed != nil {
		o["last_refreshed_date"] = state.Stamp(d.LastRefreshed.Created)
	}
	if at := s.provisionedAt(d); at != "" {
		o["parent_timeflow_timestamp"] = at
	}
	if l := s.lockerOf(d); l != nil {
		o["is_locked"], o["locked_by"], o["locked_by_name"] = true, s.accountID(l), l.Name
	}
	return o
}

// jdbcOf is the JDBC URL the engine's connection info gives for d, or "".
func jdbcOf(d *state.DB) string {
	info := state.ConnectionInfo(d.Platform, d.Conn)
	for _, k := range []string{"jdbcString", "instanceJDBCString"} {
		if s, ok := info[k].(string); ok {
			return s
		}
	}
	if l, ok := info["jdbcStrings"].([]string); ok && len(l) > 0 {
		return l[0]
	}
	return ""
}

func (s *Server) listVDBs(c *call) (int, any, error) {
	items := []obj{}
	for _, d := range s.DBs {
		if d.Parent != nil && c.canSeeDB(d) {
			items = append(items, s.vdbObject(d))
		}
	}
	return c.list(items)
}

func (s *Server) getVDB(c *call) (int, any, error) {
	d, err := c.db(true)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.vdbObject(d), nil
}

// snapshotVDB snapshots a VDB (DB_SNAPSHOT).
func (s *Server) snapshotVDB(c *call) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	return s.dbJob(c, d, "DB_SNAPSHOT", "Snapshot database", state.QuickDuration, func() { s.TakeSnapshot(d, time.Time{}) })
}

// dbJob starts a job on a VDB that holds it and its container; apply runs at the end with
// the lock held.
func (s *Server) dbJob(c *call, d *state.DB, actionType, verb string, dur time.Duration, apply func()) (int, any, error) {
	j, err := s.StartJob(c.user, state.JobSpec{ActionType: actionType, Title: verb + " \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Busy: s.busyRefs(d), Duration: dur,
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 90, "event.dct."+actionType, verb+" \""+d.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error { apply(); return nil })
		}})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.jobAnswer(j), nil
}

// enable enables or disables a VDB: its container goes ONLINE or OFFLINE.
func (s *Server) enable(on bool) handler {
	return func(c *call) (int, any, error) {
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
		return s.dbJob(c, d, action, verb, state.QuickDuration, func() {
			if jc := s.ContainerUsing(d); jc != nil {
				jc.State = map[bool]string{true: "ONLINE", false: "OFFLINE"}[on]
			}
			d.Disabled = !on
		})
	}
}

// lockVDB locks a VDB for the caller (its container, when one uses it) or unlocks it;
// the holder or an admin may unlock. Synchronous: the answer is the VDB.
func (s *Server) lockVDB(lock bool) handler {
	return func(c *call) (int, any, error) {
		d, err := c.db(true)
		if err != nil {
			return 0, nil, err
		}
		if err := c.setLock(d, lock); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, s.vdbObject(d), nil
	}
}

func (c *call) setLock(d *state.DB, lock bool) error {
	s := c.s
	holder := s.lockerOf(d)
	switch {
	case lock && holder != nil && holder != c.user:
		return errorf(s.opts.BusyStatus, "%q is locked by account %q", d.Name, holder.Name)
	case !lock && holder != nil && holder != c.user && !c.user.Admin:
		return errorf(http.StatusForbidden, "%q is locked by account %q", d.Name, holder.Name)
	}
	var u *state.User
	if lock {
		u = c.user
	}
	if jc := s.ContainerUsing(d); jc != nil {
		jc.LockUser = u
		op := map[bool]string{true: "LOCK", false: "UNLOCK"}[lock]
		s.RecordOp(jc.Ref, &jc.Ops, jc.Active, op, c.user, "", s.Now())
	} else {
		d.Locker = u
	}
	return nil
}

// deleteVDB deletes a VDB that no self-service object uses (a private copy).
func (s *Server) deleteVDB(c *call) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	if err := c.decode(&struct {
		Force bool `json:"force"`
	}{}); err != nil {
		return 0, nil, err
	}
	if s.ContainerUsing(d) != nil || len(s.TemplatesUsing(d)) > 0 {
		return 0, nil, errorf(http.StatusBadRequest, "VDB %q backs a self-service template or container", d.Name)
	}
	return s.dbJob(c, d, "DB_DELETE", "Delete database", state.QuickDuration, func() {
		if err := s.DeleteVDB(d); err == nil {
			for _, b := range append([]*state.Bookmark{}, s.own...) {
				if s.bookmarkDB(b) == d {
					s.forgetBookmark(b)
				}
			}
		}
	})
}
