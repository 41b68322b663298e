package engine

import "github.com/dxsteps/dxsteps/test/engine/internal/state"

// createContainer creates a data pod over a free VDB (admin only); the result is the new
// reference plus a job. With a refresh, the data comes from the timeline point at the end.
func (e *Engine) createContainer(c *call) (any, error) {
	if err := c.requireAdmin(); err != nil {
		return nil, err
	}
	allowed := []string{"JSDataContainerCreateWithRefreshParameters", "JSDataContainerCreateWithoutRefreshParameters"}
	if !c.ver.atLeast("1.8.2") {
		allowed = []string{"JSDataContainerCreateParameters"}
	}
	in, err := c.parse("JSDataContainerCreateParameters", allowed...)
	if err != nil {
		return nil, err
	}
	t, ok := state.Lookup[*state.Template](e.State, in.str("template"))
	if !ok {
		return nil, errNotFound(in.str("template"))
	}
	dss := in.list("dataSources")
	if len(dss) != 1 {
		return nil, errValue("dataSources", "Exactly one data source is needed (template %q has one).", t.Name)
	}
	dsIn := input(dss[0].(map[string]any))
	db, ok := state.Lookup[*state.DB](e.State, dsIn.str("container"))
	if !ok {
		return nil, errNotFound(dsIn.str("container"))
	}
	if db.Parent == nil || e.ContainerUsing(db) != nil || len(e.TemplatesUsing(db)) > 0 {
		return nil, errValue("dataSources[0].container", "The database %q is not a free virtual database.", db.Name)
	}
	if n := dsIn.sub("source").str("name"); n != t.DS.Name {
		return nil, errValue("dataSources[0].source.name", "The data source name %q does not match the template's %q.", n, t.DS.Name)
	}
	for _, x := range e.Containers {
		if x.Name == in.str("name") {
			return nil, errValue("name", "A data container named %q already exists.", x.Name)
		}
	}
	owner := c.user
	if owners := in.list("owners"); len(owners) > 0 {
		if owner, ok = state.Lookup[*state.User](e.State, owners[0].(string)); !ok {
			return nil, errNotFound(owners[0].(string))
		}
	}
	var data *Contents
	if p := in.sub("timelinePointParameters"); p != nil {
		if data, err = c.jsPoint(p); err != nil {
			return nil, err
		}
		data = data.Clone()
	}
	if err := e.CheckBusy(db.Ref); err != nil {
		return nil, err
	}
	jc := e.NewContainer(in.str("name"), t, owner, db, t.DS.Name)
	start := e.Now()
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "JETSTREAM_ADMIN_CONTAINER_CREATE",
		Title: title("Create", "data container", jc.Name), Target: jc.Ref, TargetName: jc.Name,
		TargetTy: "JSDataContainer", Busy: []string{jc.Ref, db.Ref}, Duration: state.JSDuration,
		OnFail: func() { e.dropContainer(jc) },
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 80, "event.jetstream.container.create", "Creating data container \""+jc.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error {
				if data != nil {
					e.SetContainerData(jc, data)
				}
				jc.State = "ONLINE"
				c.dataFrom(e.RecordOp(jc.Ref, &jc.Ops, jc.Active, "CREATE_BRANCH", c.user, "", start))
				return nil
			})
		}})
	if err != nil {
		e.dropContainer(jc)
		return nil, err
	}
	return okResult(jc.Ref, j.Ref, j.Act.Ref), nil
}

// dropContainer forgets a container whose creation failed.
func (e *Engine) dropContainer(jc *state.Container) {
	var kept []*state.Container
	for _, x := range e.Containers {
		if x != jc {
			kept = append(kept, x)
		}
	}
	e.Containers = kept
	delete(e.ByRef, jc.Ref)
}
