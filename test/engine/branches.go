package engine

func (e *Engine) branchRoutes() {
	e.api("GET {js}/branch", 0, e.listBranches)
	e.api("GET {js}/branch/{ref}", 0, e.getBranch)
	e.api("POST {js}/branch", 0, e.createBranch)
	e.api("POST {js}/branch/{ref}/activate", 0, e.activateBranch)
	e.api("POST {js}/branch/{ref}/delete", 0, e.deleteBranch)
}

func (e *Engine) branchObject(b *jsBranch) obj {
	first, last := opRefs(b.ops)
	return obj{"type": "JSBranch", "reference": b.ref, "name": b.name, "dataLayout": b.layout,
		"firstOperation": first, "lastOperation": last, "namespace": nil}
}

func (e *Engine) listBranches(c *call) (any, error) {
	layout := c.r.URL.Query().Get("dataLayout")
	var out []obj
	for _, b := range e.branches {
		if (layout == "" || b.layout == layout) && c.canSeeLayout(b.layout) {
			out = append(out, e.branchObject(b))
		}
	}
	return listResult(out), nil
}

// branch resolves a branch the caller may see.
func (c *call) branch(ref string) (*jsBranch, error) {
	b, ok := lookup[*jsBranch](c.e.State, ref)
	if !ok {
		return nil, errNotFound(ref)
	}
	if !c.canSeeLayout(b.layout) {
		return nil, errPermission("User %q is not authorized to access branch %q.", c.user.name, b.name)
	}
	return b, nil
}

func (e *Engine) getBranch(c *call) (any, error) {
	b, err := c.branch(c.r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	return okResult(e.branchObject(b), "", ""), nil
}

// branchJob runs a branch operation as a job on the container; apply runs locked at the end.
func (e *Engine) branchJob(c *call, jc *jsContainer, b *jsBranch, op, verb string, apply func()) (string, string, error) {
	start := e.now()
	j, err := e.startJob(c.user, jobSpec{actionType: "JETSTREAM_USER_BRANCH_" + op,
		title:  verb + " Jet Stream branch \"" + b.name + "\" in data container \"" + jc.name + "\".",
		target: jc.ref, targetName: jc.name, targetTy: "JSDataContainer", busy: []string{jc.ref, jc.ds.db.ref},
		duration: jsDuration, onFail: func() {
			if op == "CREATE" {
				e.dropBranch(b)
			}
		},
		run: func(r *jobRun) error {
			if err := r.step(1, 80, "event.jetstream.branch."+lower(op), verb+" branch \""+b.name+"\"."); err != nil {
				return err
			}
			return r.locked(func() error {
				apply()
				jc.lastUpdated = e.now()
				opName := map[string]string{"CREATE": "CREATE_BRANCH", "ACTIVATE": "ACTIVATE", "DELETE": "DELETE_BRANCH"}[op]
				e.recordOp(jc.ref, &jc.ops, b, opName, c.user, "", start)
				return nil
			})
		}})
	if err != nil {
		return "", "", err
	}
	return j.ref, j.act.ref, nil
}

// activate makes b the container's active branch: the current data is saved in the old
// branch and b's data becomes the container's.
func (e *Engine) activate(jc *jsContainer, b *jsBranch) {
	if jc.active == b {
		return
	}
	jc.active.saved = jc.ds.db.contents.Clone()
	jc.ds.db.contents, b.saved = b.saved, nil
	jc.active = b
}

// createBranch creates a branch on a container from a timeline point; the new branch
// becomes active when the job ends. The result is the new reference plus a job.
func (e *Engine) createBranch(c *call) (any, error) {
	in, err := c.parse("JSBranchCreateParameters", "JSBranchCreateParameters")
	if err != nil {
		return nil, err
	}
	jc, err := c.usable(in.str("dataContainer"), true)
	if err != nil {
		return nil, err
	}
	data, err := c.jsPoint(in.sub("timelinePointParameters"))
	if err != nil {
		return nil, err
	}
	if err := e.checkBusy(jc.ref, jc.ds.db.ref); err != nil {
		return nil, err
	}
	b := e.newBranch(in.str("name"), jc.ref, data)
	jobRef, actRef, err := e.branchJob(c, jc, b, "CREATE", "Create", func() { e.activate(jc, b) })
	if err != nil {
		e.dropBranch(b)
		return nil, err
	}
	return okResult(b.ref, jobRef, actRef), nil
}

// branchOperand is the branch a POST /branch/{ref}/<op> names and its
// container, for an operation that takes no parameters.
func (c *call) branchOperand() (*jsBranch, *jsContainer, error) {
	b, err := c.branch(c.r.PathValue("ref"))
	if err != nil {
		return nil, nil, err
	}
	jc, err := c.branchContainer(b)
	if err != nil {
		return nil, nil, err
	}
	return b, jc, c.noParams()
}

func (e *Engine) activateBranch(c *call) (any, error) {
	b, jc, err := c.branchOperand()
	if err != nil {
		return nil, err
	}
	jobRef, actRef, err := e.branchJob(c, jc, b, "ACTIVATE", "Activate", func() { e.activate(jc, b) })
	if err != nil {
		return nil, err
	}
	return okResult("", jobRef, actRef), nil
}

func (e *Engine) deleteBranch(c *call) (any, error) {
	b, jc, err := c.branchOperand()
	if err != nil {
		return nil, err
	}
	if jc.active == b {
		return nil, errValue("branch", "Branch %q is active in data container %q; activate another branch first.", b.name, jc.name)
	}
	jobRef, actRef, err := e.branchJob(c, jc, b, "DELETE", "Delete", func() { e.dropBranch(b) })
	if err != nil {
		return nil, err
	}
	return okResult("", jobRef, actRef), nil
}

// branchContainer is the container a branch belongs to, usable by the caller.
func (c *call) branchContainer(b *jsBranch) (*jsContainer, error) {
	if _, ok := c.e.byRef[b.layout].(*jsContainer); !ok {
		return nil, errValue("branch", "Branch %q belongs to a template; only container branches can change.", b.name)
	}
	return c.usable(b.layout, true)
}

func (e *Engine) dropBranch(b *jsBranch) {
	var kept []*jsBranch
	for _, x := range e.branches {
		if x != b {
			kept = append(kept, x)
		}
	}
	e.branches = kept
	delete(e.byRef, b.ref)
}
