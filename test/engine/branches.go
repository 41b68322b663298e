package engine

import (
	"strings"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

func (e *Engine) branchRoutes() {
	e.api("GET {js}/branch", 0, e.listBranches)
	e.api("GET {js}/branch/{ref}", 0, e.getBranch)
	e.api("POST {js}/branch", 0, e.createBranch)
	e.api("POST {js}/branch/{ref}/activate", 0, e.activateBranch)
	e.api("POST {js}/branch/{ref}/delete", 0, e.deleteBranch)
}

func (e *Engine) branchObject(b *state.Branch) obj {
	first, last := opRefs(b.Ops)
	return obj{"type": "JSBranch", "reference": b.Ref, "name": b.Name, "dataLayout": b.Layout,
		"firstOperation": first, "lastOperation": last, "namespace": nil}
}

func (e *Engine) listBranches(c *call) (any, error) {
	layout := c.r.URL.Query().Get("dataLayout")
	var out []obj
	for _, b := range e.Branches {
		if (layout == "" || b.Layout == layout) && c.canSeeLayout(b.Layout) {
			out = append(out, e.branchObject(b))
		}
	}
	return listResult(out), nil
}

// branch resolves a branch the caller may see.
func (c *call) branch(ref string) (*state.Branch, error) {
	b, ok := state.Lookup[*state.Branch](c.e.State, ref)
	if !ok {
		return nil, errNotFound(ref)
	}
	if !c.canSeeLayout(b.Layout) {
		return nil, errPermission("User %q is not authorized to access branch %q.", c.user.Name, b.Name)
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
func (e *Engine) branchJob(c *call, jc *state.Container, b *state.Branch, op, verb string, apply func()) (string, string, error) {
	start := e.Now()
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: "JETSTREAM_USER_BRANCH_" + op,
		Title:  verb + " Jet Stream branch \"" + b.Name + "\" in data container \"" + jc.Name + "\".",
		Target: jc.Ref, TargetName: jc.Name, TargetTy: "JSDataContainer", Busy: []string{jc.Ref, jc.DS.DB.Ref},
		Duration: state.JSDuration, OnFail: func() {
			if op == "CREATE" {
				e.dropBranch(b)
			}
		},
		Run: func(r *state.JobRun) error {
			if err := r.Step(1, 80, "event.jetstream.branch."+strings.ToLower(op), verb+" branch \""+b.Name+"\"."); err != nil {
				return err
			}
			return r.Locked(func() error {
				apply()
				jc.LastUpdated = e.Now()
				opName := map[string]string{"CREATE": "CREATE_BRANCH", "ACTIVATE": "ACTIVATE", "DELETE": "DELETE_BRANCH"}[op]
				c.dataFrom(e.RecordOp(jc.Ref, &jc.Ops, b, opName, c.user, "", start))
				return nil
			})
		}})
	if err != nil {
		return "", "", err
	}
	return j.Ref, j.Act.Ref, nil
}

// activate makes b the container's active branch: the current data is saved in the old
// branch and b's data becomes the container's.
func (e *Engine) activate(jc *state.Container, b *state.Branch) {
	if jc.Active == b {
		return
	}
	jc.Active.Saved = jc.DS.DB.Contents.Clone()
	jc.DS.DB.Contents, b.Saved = b.Saved, nil
	jc.Active = b
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
	if err := e.CheckBusy(jc.Ref, jc.DS.DB.Ref); err != nil {
		return nil, err
	}
	b := e.NewBranch(in.str("name"), jc.Ref, data)
	jobRef, actRef, err := e.branchJob(c, jc, b, "CREATE", "Create", func() { e.activate(jc, b) })
	if err != nil {
		e.dropBranch(b)
		return nil, err
	}
	return okResult(b.Ref, jobRef, actRef), nil
}

// branchOperand is the branch a POST /branch/{ref}/<op> names and its
// container, for an operation that takes no parameters.
func (c *call) branchOperand() (*state.Branch, *state.Container, error) {
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
	if jc.Active == b {
		return nil, errValue("branch", "Branch %q is active in data container %q; activate another branch first.", b.Name, jc.Name)
	}
	jobRef, actRef, err := e.branchJob(c, jc, b, "DELETE", "Delete", func() { e.dropBranch(b) })
	if err != nil {
		return nil, err
	}
	return okResult("", jobRef, actRef), nil
}

// branchContainer is the container a branch belongs to, usable by the caller.
func (c *call) branchContainer(b *state.Branch) (*state.Container, error) {
	if _, ok := c.e.ByRef[b.Layout].(*state.Container); !ok {
		return nil, errValue("branch", "Branch %q belongs to a template; only container branches can change.", b.Name)
	}
	return c.usable(b.Layout, true)
}

func (e *Engine) dropBranch(b *state.Branch) {
	var kept []*state.Branch
	for _, x := range e.Branches {
		if x != b {
			kept = append(kept, x)
		}
	}
	e.Branches = kept
	delete(e.ByRef, b.Ref)
}
