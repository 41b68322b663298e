package engine

import (
	"net/http"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

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
	if t := e.dct.tags[d]; t != nil {
		o["tags"] = t
	}
	if v, ok := connectionInfoObject(d.Platform, d.Conn)["version"].(string); ok && v != "" {
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
	if at := e.provisionedAt(d); at != "" {
		o["parent_timeflow_timestamp"] = at
	}
	if l := e.lockerOf(d); l != nil {
		o["is_locked"], o["locked_by"], o["locked_by_name"] = true, e.accountID(l), l.Name
	}
	return o
}

// jdbcOf is the JDBC URL the engine's connection info gives for d, or "".
func jdbcOf(d *state.DB) string {
	info := connectionInfoObject(d.Platform, d.Conn)
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

func (e *Engine) dctSnapshotVDB(c *dctCall) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	return e.dbJob(c, d, "DB_SNAPSHOT", "Snapshot database", state.QuickDuration, func() { e.TakeSnapshot(d, time.Time{}) })
}

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
			for _, b := range append([]*state.Bookmark{}, e.dct.own...) {
				if e.bookmarkDB(b) == d {
					e.forgetBookmark(b)
				}
			}
			delete(e.dct.owner, d)
			delete(e.dct.tags, d)
			delete(e.dct.lock, d)
			delete(e.dct.disabled, d)
		}
	})
}
