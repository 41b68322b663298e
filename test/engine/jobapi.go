package engine

import (
	"net/http"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// The job, action and notification endpoints.

func (e *Engine) jobRoutes() {
	e.api("GET /job", 0, e.listJobs)
	e.api("GET /job/{ref}", 0, e.getJob)
	e.api("POST /job/{ref}/cancel", 0, e.cancelJob)
	e.api("GET /action/{ref}", 0, e.getAction)
	e.api("GET /notification", noLock, e.notification)
}

func (e *Engine) jobObject(j *state.Job, full bool, v version) obj {
	o := obj{"type": "Job", "reference": j.Ref, "namespace": nil, "name": nil, "actionType": j.ActionType,
		"title": j.Title, "target": j.Target, "targetName": j.TargetName, "targetObjectType": j.TargetTy,
		"jobState": j.State, "percentComplete": j.Percent, "parentAction": j.Act.Ref, "parentActionState": nil,
		"startTime": state.Stamp(j.Start), "updateTime": state.Stamp(j.Update), "user": j.User.Ref,
		"cancelable": true, "suspendable": false, "queued": false, "emailAddresses": nil,
		"events": nil}
	// As recorded: a job is cancelable even once finished (a cancel then does nothing), and a
	// job list carries neither events nor progress (percentComplete 0), which GET /job/{ref}
	// gives.
	o["parentActionState"] = j.Act.State
	if full {
		o["events"] = j.Events
	} else {
		o["percentComplete"] = 0
	}
	if v.atLeast("1.9.0") {
		o["cancelReason"] = nullable(j.CancelReason)
	}
	return o
}

func (c *call) mayReadJob(j *state.Job) error {
	if c.user.Admin || j.User == c.user {
		return nil
	}
	return errPermission("User %q may not read job %q.", c.user.Name, j.Ref)
}

func (e *Engine) getJob(c *call) (any, error) {
	j, ok := state.Lookup[*state.Job](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	if err := c.mayReadJob(j); err != nil {
		return nil, err
	}
	return okResult(e.jobObject(j, true, c.ver), "", ""), nil
}

func (e *Engine) listJobs(c *call) (any, error) {
	q := c.r.URL.Query()
	var out []obj
	for _, j := range e.Jobs {
		if c.mayReadJob(j) != nil || (q.Get("jobState") != "" && q.Get("jobState") != j.State) ||
			(q.Get("target") != "" && q.Get("target") != j.Target) ||
			(q.Get("jobType") != "" && q.Get("jobType") != j.ActionType) {
			continue
		}
		o := e.jobObject(j, false, c.ver)
		if q.Get("addEvents") == "true" {
			o["events"] = j.Events
		}
		out = append(out, o)
	}
	return listResult(page(out, q.Get("pageSize"), q.Get("pageOffset"), 25)), nil
}

func (e *Engine) cancelJob(c *call) (any, error) {
	j, ok := state.Lookup[*state.Job](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	if !c.user.Admin && j.User != c.user {
		return nil, errPermission("User %q may not cancel job %q.", c.user.Name, j.Ref)
	}
	if j.State == "RUNNING" {
		select {
		case <-j.Cancel:
		default:
			j.CancelReason = "Canceled by user " + c.user.Name + "."
			close(j.Cancel)
		}
	}
	return okResult(nil, "", ""), nil
}

func (e *Engine) getAction(c *call) (any, error) {
	a, ok := state.Lookup[*state.Action](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	if !c.user.Admin && a.User != c.user {
		return nil, errPermission("User %q may not read action %q.", c.user.Name, a.Ref)
	}
	end := any(nil)
	if !a.End.IsZero() {
		end = state.Stamp(a.End)
	}
	o := obj{"type": "Action", "reference": a.Ref, "namespace": nil, "actionType": a.ActionType,
		"title": a.Title, "details": a.Details, "state": a.State, "startTime": state.Stamp(a.Start), "endTime": end,
		"parentAction": nil, "user": a.User.Ref, "userAgent": nil, "workSource": "WEBSERVICE",
		"workSourceName": a.User.Name, "workSourcePrincipal": nil, "originIp": "127.0.0.1",
		"failureDescription": nullable(a.FailDesc), "failureAction": nullable(a.FailAction),
		"failureMessageCode": nullable(a.FailCode)}
	// report: sent (null) by 5.1 to 5.3 engines, gone from the 1.11.9 schema.
	if !c.ver.atLeast("1.11.0") {
		o["report"] = nil
	}
	// Not sent by 5.1 (API 1.8) engines: originIp; nor by 5.2 (1.9): workSourcePrincipal.
	if !c.ver.atLeast("1.10.0") {
		delete(o, "workSourcePrincipal")
	}
	if !c.ver.atLeast("1.9.0") {
		delete(o, "originIp")
	}
	return okResult(o, "", ""), nil
}

// notification is the long poll: it returns as soon as the channel has notifications, or
// an empty list when the timeout (milliseconds) passes.
func (e *Engine) notification(c *call) (any, error) {
	if e.opts.DisableNotifications {
		return nil, &htmlError{status: http.StatusNotFound, msg: "The requested resource is not available."}
	}
	q := c.r.URL.Query()
	timeout := time.Duration(atoiDefault(q.Get("timeout"), 10000)) * time.Millisecond
	notes, dropped := e.Notes.Wait(q.Get("channel"), timeout, atoiDefault(q.Get("max"), 0), e.Closing, c.r.Context().Done())
	return listResult(noteObjects(notes, dropped)), nil
}
