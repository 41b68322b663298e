package engine

import (
	"net/http"
	"strings"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

func (e *Engine) containerRoutes() {
	e.api("POST {js}/container", 0, e.createContainer)
	e.api("POST {js}/container/{ref}/refresh", 0, e.containerRefresh)
	e.api("POST {js}/container/{ref}/reset", 0, e.containerReset)
	e.api("POST {js}/container/{ref}/restore", 0, e.containerRestore)
	e.api("POST {js}/container/{ref}/enable", 0, e.containerState("ENABLE", "OFFLINE", "ONLINE"))
	e.api("POST {js}/container/{ref}/disable", 0, e.containerState("DISABLE", "ONLINE", "OFFLINE"))
	e.api("POST {js}/container/{ref}/recover", 0, e.containerState("RECOVER", "INCONSISTENT", "ONLINE"))
	e.api("POST {js}/container/{ref}/lock", 0, e.containerLock)
	e.api("POST {js}/container/{ref}/unlock", 0, e.containerUnlock)
}

// usable resolves a container the caller may operate on: visible, not locked by someone
// else and, when online is set, ONLINE.
func (c *call) usable(ref string, online bool) (*state.Container, error) {
	jc, err := c.container(ref)
	if err != nil {
		return nil, err
	}
	if jc.LockUser != nil && jc.LockUser != c.user {
		return nil, errPermission("Data container %q is locked by user %q.", jc.Name, jc.LockUser.Name)
	}
	if online && jc.State != "ONLINE" {
		return nil, &apiError{status: http.StatusOK, id: idFieldValue,
			details: "Data container \"" + jc.Name + "\" is " + jc.State + ".",
			action:  "Enable or recover the data container and try again."}
	}
	return jc, nil
}

// containerJob starts a self-service job on a container; apply runs with the lock held at
// the end and returns the data the active branch should then hold (nil: data unchanged).
func (e *Engine) containerJob(c *call, jc *state.Container, op, actionType, verb string, apply func() *Contents) (any, error) {
	start := e.Now()
	j, err := e.StartJob(c.user, state.JobSpec{ActionType: actionType, Title: title(verb, "data container", jc.Name),
		Target: jc.Ref, TargetName: jc.Name, TargetTy: "JSDataContainer", Busy: []string{jc.Ref, jc.DS.DB.Ref},
		Duration: state.JSDuration,
		Run: func(r *state.JobRun) error {
			if err := r.Step(0.6, 50, "event.jetstream.container."+strings.ToLower(op),
				"Running the "+strings.ToLower(op)+" on the data sources of \""+jc.Name+"\"."); err != nil {
				return err
			}
			if err := r.Step(0.4, 90, "event.jetstream.operation.record", "Recording the "+strings.ToLower(op)+" operation."); err != nil {
				return err
			}
			return r.Locked(func() error {
				if data := apply(); data != nil {
					e.SetContainerData(jc, data)
				}
				jc.LastUpdated = e.Now()
				c.dataFrom(e.RecordOp(jc.Ref, &jc.Ops, jc.Active, op, c.user, "", start))
				return nil
			})
		}})
	if err != nil {
		return nil, err
	}
	return okResult("", j.Ref, j.Act.Ref), nil
}

func (e *Engine) containerRefresh(c *call) (any, error) {
	jc, err := c.usable(c.r.PathValue("ref"), true)
	if err != nil {
		return nil, err
	}
	if _, err := c.jsParams("JSDataContainerRefreshParameters"); err != nil {
		return nil, err
	}
	return e.containerJob(c, jc, "REFRESH", "JETSTREAM_USER_CONTAINER_REFRESH", "Refresh", func() *Contents {
		return e.templateLatest(jc.Tmpl)
	})
}

func (e *Engine) containerReset(c *call) (any, error) {
	jc, err := c.usable(c.r.PathValue("ref"), true)
	if err != nil {
		return nil, err
	}
	if _, err := c.jsParams("JSDataContainerResetParameters"); err != nil {
		return nil, err
	}
	return e.containerJob(c, jc, "RESET", "JETSTREAM_USER_CONTAINER_RESET", "Reset", func() *Contents {
		return jc.Active.Baseline
	})
}

// containerRestore restores to a timeline point: on API 1.8 the body is the point itself,
// from 1.9 JSDataContainerRestoreParameters wraps it.
func (e *Engine) containerRestore(c *call) (any, error) {
	jc, err := c.usable(c.r.PathValue("ref"), true)
	if err != nil {
		return nil, err
	}
	var point input
	if c.ver.atLeast("1.9.0") {
		in, err := c.parse("JSDataContainerRestoreParameters", "JSDataContainerRestoreParameters")
		if err != nil {
			return nil, err
		}
		point = in.sub("timelinePointParameters")
	} else if point, err = c.parse("JSTimelinePointParameters"); err != nil {
		return nil, err
	}
	data, err := c.jsPoint(point)
	if err != nil {
		return nil, err
	}
	data = data.Clone()
	return e.containerJob(c, jc, "RESTORE", "JETSTREAM_USER_CONTAINER_RESTORE", "Restore", func() *Contents { return data })
}

// containerState returns the enable/disable/recover handler: from state want to state to.
func (e *Engine) containerState(op, want, to string) handler {
	verbs := map[string]string{"ENABLE": "Enable", "DISABLE": "Disable", "RECOVER": "Recover"}
	return func(c *call) (any, error) {
		jc, err := c.usable(c.r.PathValue("ref"), false)
		if err != nil {
			return nil, err
		}
		if err := c.noParams(); err != nil {
			return nil, err
		}
		if jc.State != want {
			return nil, &apiError{status: http.StatusOK, id: idFieldValue,
				details: "Data container \"" + jc.Name + "\" is " + jc.State + "; " + strings.ToLower(op) + " needs " + want + ".",
				action:  "Check the data container's state."}
		}
		return e.containerJob(c, jc, op, "JETSTREAM_USER_CONTAINER_"+op, verbs[op], func() *Contents {
			jc.State = to
			return nil
		})
	}
}

// containerLock locks a container for one user (the caller, or lockUser); action only.
func (e *Engine) containerLock(c *call) (any, error) {
	jc, err := c.usable(c.r.PathValue("ref"), false)
	if err != nil {
		return nil, err
	}
	lockUser := c.user
	if !c.untypedEmpty() {
		in, err := c.parse("JSDataContainerLockParameters", "JSDataContainerLockParameters")
		if err != nil {
			return nil, err
		}
		u, ok := state.Lookup[*state.User](e.State, in.str("lockUser"))
		if !ok {
			return nil, errNotFound(in.str("lockUser"))
		}
		lockUser = u
	}
	if err := e.CheckBusy(jc.Ref); err != nil {
		return nil, err
	}
	jc.LockUser = lockUser
	e.RecordOp(jc.Ref, &jc.Ops, jc.Active, "LOCK", c.user, "", e.Now())
	a := e.NewAction(c.user, "JETSTREAM_USER_CONTAINER_LOCK", title("Lock", "data container", jc.Name))
	return okResult("", "", a.Ref), nil
}

// containerUnlock unlocks; the lock holder or an admin may do it. Action only.
func (e *Engine) containerUnlock(c *call) (any, error) {
	jc, err := c.container(c.r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	if err := c.noParams(); err != nil {
		return nil, err
	}
	if jc.LockUser != nil && jc.LockUser != c.user && !c.user.Admin {
		return nil, errPermission("Data container %q is locked by user %q.", jc.Name, jc.LockUser.Name)
	}
	jc.LockUser = nil
	e.RecordOp(jc.Ref, &jc.Ops, jc.Active, "UNLOCK", c.user, "", e.Now())
	a := e.NewAction(c.user, "JETSTREAM_USER_CONTAINER_UNLOCK", title("Unlock", "data container", jc.Name))
	return okResult("", "", a.Ref), nil
}
