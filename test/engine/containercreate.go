package engine

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
	t, ok := lookup[*jsTemplate](e.State, in.str("template"))
	if !ok {
		return nil, errNotFound(in.str("template"))
	}
	dss := in.list("dataSources")
	if len(dss) != 1 {
		return nil, errValue("dataSources", "Exactly one data source is needed (template %q has one).", t.name)
	}
	dsIn := input(dss[0].(map[string]any))
	db, ok := lookup[*dbContainer](e.State, dsIn.str("container"))
	if !ok {
		return nil, errNotFound(dsIn.str("container"))
	}
	if db.parent == nil || e.containerUsing(db) != nil || len(e.templatesUsing(db)) > 0 {
		return nil, errValue("dataSources[0].container", "The database %q is not a free virtual database.", db.name)
	}
	if n := dsIn.sub("source").str("name"); n != t.ds.name {
		return nil, errValue("dataSources[0].source.name", "The data source name %q does not match the template's %q.", n, t.ds.name)
	}
	for _, x := range e.containers {
		if x.name == in.str("name") {
			return nil, errValue("name", "A data container named %q already exists.", x.name)
		}
	}
	owner := c.user
	if owners := in.list("owners"); len(owners) > 0 {
		if owner, ok = lookup[*user](e.State, owners[0].(string)); !ok {
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
	if err := e.checkBusy(db.ref); err != nil {
		return nil, err
	}
	jc := e.newContainer(in.str("name"), t, owner, db, t.ds.name)
	start := e.now()
	j, err := e.startJob(c.user, jobSpec{actionType: "JETSTREAM_ADMIN_CONTAINER_CREATE",
		title: title("Create", "data container", jc.name), target: jc.ref, targetName: jc.name,
		targetTy: "JSDataContainer", busy: []string{jc.ref, db.ref}, duration: jsDuration,
		onFail: func() { e.dropContainer(jc) },
		run: func(r *jobRun) error {
			if err := r.step(1, 80, "event.jetstream.container.create", "Creating data container \""+jc.name+"\"."); err != nil {
				return err
			}
			return r.locked(func() error {
				if data != nil {
					e.setContainerData(jc, data)
				}
				jc.state = "ONLINE"
				e.recordOp(jc.ref, &jc.ops, jc.active, "CREATE_BRANCH", c.user, "", start)
				return nil
			})
		}})
	if err != nil {
		e.dropContainer(jc)
		return nil, err
	}
	return okResult(jc.ref, j.ref, j.act.ref), nil
}

// dropContainer forgets a container whose creation failed.
func (e *Engine) dropContainer(jc *jsContainer) {
	var kept []*jsContainer
	for _, x := range e.containers {
		if x != jc {
			kept = append(kept, x)
		}
	}
	e.containers = kept
	delete(e.byRef, jc.ref)
}
