package engine

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

func (e *Engine) databaseRoutes() {
	e.api("GET /database", 0, e.listDatabases)
	e.api("GET /database/{ref}", 0, e.getDatabase)
	e.api("POST /database/{ref}/sync", 0, e.sync)
	e.api("POST /database/{ref}/refresh", 0, e.refresh)
	e.api("GET /snapshot", 0, e.listSnapshots)
	e.api("GET /snapshot/{ref}", 0, e.getSnapshot)
	e.api("GET /timeflow", 0, e.listTimeflows)
	e.api("GET /timeflow/{ref}", 0, e.getTimeflow)
	e.api("GET /source", 0, e.listSources)
	e.api("GET /source/{ref}", 0, e.getSource)
	e.api("POST /source/{ref}", 0, e.updateSource)
	e.api("GET /source/{ref}/connectionInfo", 0, e.connectionInfo)
	e.api("GET /maskingjob", 0, e.listMaskingJobs)
	e.api("GET /group", 0, e.listGroups)
	e.api("GET /group/{ref}", 0, e.getGroup)
}

// adminLookup resolves the {ref} path value to an object of type T for an admin caller.
func adminLookup[T any](c *call) (T, error) {
	var zero T
	if err := c.requireAdmin(); err != nil {
		return zero, err
	}
	v, ok := state.Lookup[T](c.e.State, c.r.PathValue("ref"))
	if !ok {
		return zero, errNotFound(c.r.PathValue("ref"))
	}
	return v, nil
}

func (e *Engine) listDatabases(c *call) (any, error) {
	if err := c.requireAdmin(); err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	var out []obj
	for _, d := range e.DBs {
		if g := q.Get("group"); g != "" && d.Group.Ref != g {
			continue
		}
		if p := q.Get("provisionContainer"); p != "" && (d.Parent == nil || d.Parent.Ref != p) {
			continue
		}
		out = append(out, e.dbObject(d, c.ver))
	}
	return listResult(out), nil
}

func (e *Engine) getDatabase(c *call) (any, error) {
	d, err := adminLookup[*state.DB](c)
	if err != nil {
		return nil, err
	}
	return okResult(e.dbObject(d, c.ver), "", ""), nil
}

// syncTypes lists the concrete SyncParameters types a container accepts at an API version.
func syncTypes(platName string, v version) []string {
	switch platName {
	case "oracle":
		switch {
		case !v.atLeast("1.11.0"):
			return []string{"OracleSyncParameters"}
		case !v.atLeast("1.11.8"):
			return []string{"OracleSyncParameters", "OracleSyncFromExternalParameters"}
		}
		return []string{"OracleSyncFromExternalParameters"}
	case "mssql":
		if !v.atLeast("1.9.0") {
			return []string{"MSSqlSyncParameters"}
		}
		return []string{"MSSqlExistingMostRecentBackupSyncParameters", "MSSqlExistingSpecificBackupSyncParameters",
			"MSSqlNewCopyOnlyFullBackupSyncParameters"}
	case "ase":
		return []string{"ASELatestBackupSyncParameters", "ASENewBackupSyncParameters", "ASESpecificBackupSyncParameters"}
	}
	return []string{"AppDataSyncParameters"}
}

// sync snapshots a container (DB_SYNC). The body is optional.
func (e *Engine) sync(c *call) (any, error) {
	d, err := adminLookup[*state.DB](c)
	if err != nil {
		return nil, err
	}
	if !c.bodyEmpty() {
		if _, err := c.parse("SyncParameters", syncTypes(d.PlatName, c.ver)...); err != nil {
			return nil, err
		}
	}
	dataTime := e.Now()
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "DB_SYNC", Title: "Run SnapSync for database \"" + d.Name + "\".",
		Target: d.Ref, TargetName: d.Group.Name + "/" + d.Name, TargetTy: d.Platform.Container, Duration: state.SyncDuration,
		Run: func(r *state.JobRun) error {
			steps := []struct {
				frac      float64
				pct       int
				code, msg string
			}{
				{0.2, 10, "event.jobs.snapsync.start", "Starting SnapSync of dSource \"" + d.Name + "\"."},
				{0.5, 60, "event.jobs.snapsync.transfer", "Transferring data from the source database."},
				{0.3, 90, "event.jobs.snapshot.create", "Creating a snapshot of \"" + d.Name + "\"."},
			}
			for _, s := range steps {
				if err := r.Step(s.frac, s.pct, s.code, s.msg); err != nil {
					return err
				}
			}
			return r.Locked(func() error { e.TakeSnapshot(d, dataTime); return nil })
		}})
	if err != nil {
		return nil, err
	}
	return okResult("", j.Ref, j.Act.Ref), nil
}

func (e *Engine) listSnapshots(c *call) (any, error) {
	if err := c.requireAdmin(); err != nil {
		return nil, err
	}
	q := c.r.URL.Query()
	var out []obj
	if ref := q.Get("database"); ref != "" {
		d, ok := state.Lookup[*state.DB](e.State, ref)
		if !ok {
			return nil, errNotFound(ref)
		}
		for _, s := range e.SnapshotsOf(d) {
			out = append(out, e.snapshotObject(s, c.ver))
		}
		return listResult(page(out, q.Get("pageSize"), q.Get("pageOffset"), 0)), nil
	}
	for i := len(e.Snapshots) - 1; i >= 0; i-- {
		if tf := q.Get("timeflow"); tf == "" || e.Snapshots[i].Timeflow == tf {
			out = append(out, e.snapshotObject(e.Snapshots[i], c.ver))
		}
	}
	return listResult(page(out, q.Get("pageSize"), q.Get("pageOffset"), 0)), nil
}

func (e *Engine) getSnapshot(c *call) (any, error) {
	s, err := adminLookup[*state.Snapshot](c)
	if err != nil {
		return nil, err
	}
	return okResult(e.snapshotObject(s, c.ver), "", ""), nil
}

// listTimeflows lists timeflows, of one database with ?database=.
func (e *Engine) listTimeflows(c *call) (any, error) {
	return listOfDB(c, e.Timeflows, func(tf *state.Timeflow) *state.DB { return tf.DB }, e.timeflowObject)
}

func (e *Engine) getTimeflow(c *call) (any, error) {
	tf, err := adminLookup[*state.Timeflow](c)
	if err != nil {
		return nil, err
	}
	return okResult(e.timeflowObject(tf, c.ver), "", ""), nil
}

// listSources lists sources, of one database with ?database=.
func (e *Engine) listSources(c *call) (any, error) {
	return listOfDB(c, e.Sources, func(s *state.Source) *state.DB { return s.DB }, e.sourceObject)
}

// listOfDB answers an admin's list of items, only those of the database
// that ?database= names when it names one.
func listOfDB[T any](c *call, items []T, dbOf func(T) *state.DB, render func(T, version) obj) (any, error) {
	if err := c.requireAdmin(); err != nil {
		return nil, err
	}
	db := c.r.URL.Query().Get("database")
	if _, ok := state.Lookup[*state.DB](c.e.State, db); db != "" && !ok {
		return nil, errNotFound(db)
	}
	var out []obj
	for _, it := range items {
		if db == "" || dbOf(it).Ref == db {
			out = append(out, render(it, c.ver))
		}
	}
	return listResult(out), nil
}

func (e *Engine) getSource(c *call) (any, error) {
	s, err := adminLookup[*state.Source](c)
	if err != nil {
		return nil, err
	}
	return okResult(e.sourceObject(s, c.ver), "", ""), nil
}

// updateSource applies a partial source; each hook list sent replaces the whole list.
// The answer carries an action and no job, as on a real engine.
func (e *Engine) updateSource(c *call) (any, error) {
	s, err := adminLookup[*state.Source](c)
	if err != nil {
		return nil, err
	}
	if err := c.unnamedHook(); err != nil {
		return nil, err
	}
	in, err := c.parse("Source", s.Typ)
	if err != nil {
		return nil, err
	}
	if ops := in.sub("operations"); ops != nil {
		wantOps := "LinkedSourceOperations"
		if s.Virtual {
			wantOps = "VirtualSourceOperations"
		}
		if ops.str("type") != wantOps {
			return nil, errValidation("operations.type", idTypeMismatch, "Expected "+wantOps+" for a source of type "+s.Typ+".")
		}
		for name, list := range ops {
			if name != "type" {
				s.Ops[name] = withHiddenHooks(s.Ops[name], rawList(list), c.ver)
			}
		}
	}
	a := e.NewAction(c.user, "SOURCE_UPDATE", "Update source \""+s.DB.Name+"\".")
	return okResult("", "", a.Ref), nil
}

// unnamedHook refuses, from API 1.9, a hook sent without a name. Engines upgraded from 5.1
// show hooks created then without one (recorded at 1.9); a client that re-sends such a list
// unchanged is told which hook needs a name.
func (c *call) unnamedHook() error {
	if !c.ver.atLeast("1.9.0") {
		return nil
	}
	var body struct {
		Operations map[string]json.RawMessage `json:"operations"`
	}
	if json.Unmarshal(c.body, &body) != nil {
		return nil // parse reports it
	}
	for _, list := range append(append([]string{}, virtualHooks...), linkedHooks...) {
		var hooks []map[string]any
		if json.Unmarshal(body.Operations[list], &hooks) != nil {
			continue
		}
		for i, h := range hooks {
			if _, ok := h["name"]; !ok {
				field := fmt.Sprintf("operations.%s[%d].name", list, i)
				return errValidation(field, idFieldRequired, fmt.Sprintf("The %s hook %d (%v) has no name. "+
					"Hooks need a name from API 1.9; one created on an older engine has none: name it and send the list again.",
					list, i, h["type"]))
			}
		}
	}
	return nil
}

// connectionInfo answers GET /source/{ref}/connectionInfo: the SourceConnectionInfo subtype
// of the source's platform (PgSQLSourceConnectionInfo with jdbcString for PostgreSQL).
func (e *Engine) connectionInfo(c *call) (any, error) {
	s, err := adminLookup[*state.Source](c)
	if err != nil {
		return nil, err
	}
	return okResult(state.ConnectionInfo(s.DB.Platform, s.DB.Conn), "", ""), nil
}

func (e *Engine) listMaskingJobs(c *call) (any, error) {
	if err := c.requireAdmin(); err != nil {
		return nil, err
	}
	cont := c.r.URL.Query().Get("container")
	var out []obj
	for _, m := range e.MaskingJobs {
		if cont == "" || m.DB.Ref == cont {
			out = append(out, e.maskingJobObject(m))
		}
	}
	return listResult(out), nil
}

func (e *Engine) listGroups(c *call) (any, error) {
	var out []obj
	for _, g := range e.Groups {
		out = append(out, groupObject(g, c.ver))
	}
	return listResult(out), nil
}

func (e *Engine) getGroup(c *call) (any, error) {
	g, ok := state.Lookup[*state.Group](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	return okResult(groupObject(g, c.ver), "", ""), nil
}

// errNotVDB answers a VDB-only operation on a dSource.
func errNotVDB(d *state.DB) error {
	return &apiError{status: http.StatusOK, id: idFieldValue,
		details: "The database \"" + d.Name + "\" is not a virtual database and cannot be refreshed.",
		action:  "Choose a virtual database."}
}
