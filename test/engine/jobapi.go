package engine

import (
	"net/http"
	"time"
)

// The job, action and notification endpoints.

func (e *Engine) jobRoutes() {
	e.api("GET /job", 0, e.listJobs)
	e.api("GET /job/{ref}", 0, e.getJob)
	e.api("POST /job/{ref}/cancel", 0, e.cancelJob)
	e.api("GET /action/{ref}", 0, e.getAction)
	e.api("GET /notification", noLock, e.notification)
}

func (e *Engine) jobObject(j *job, full bool, v version) obj {
	o := obj{"type": "Job", "reference": j.ref, "namespace": nil, "name": nil, "actionType": j.actionType,
		"title": j.title, "target": j.target, "targetName": j.targetName, "targetObjectType": j.targetTy,
		"jobState": j.state, "percentComplete": j.percent, "parentAction": j.act.ref, "parentActionState": nil,
		"startTime": stamp(j.start), "updateTime": stamp(j.update), "user": j.user.ref,
		"cancelable": j.state == "RUNNING", "suspendable": false, "queued": false, "emailAddresses": nil,
		"events": nil}
	if full {
		o["parentActionState"] = j.act.state
		o["events"] = j.events
	}
	if v.atLeast("1.9.0") {
		o["cancelReason"] = nullable(j.cancelReason)
	}
	return o
}

func (c *call) mayReadJob(j *job) error {
	if c.user.admin || j.user == c.user {
		return nil
	}
	return errPermission("User %q may not read job %q.", c.user.name, j.ref)
}

func (e *Engine) getJob(c *call) (any, error) {
	j, ok := lookup[*job](e.State, c.r.PathValue("ref"))
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
	for _, j := range e.jobs {
		if c.mayReadJob(j) != nil || (q.Get("jobState") != "" && q.Get("jobState") != j.state) ||
			(q.Get("target") != "" && q.Get("target") != j.target) ||
			(q.Get("jobType") != "" && q.Get("jobType") != j.actionType) {
			continue
		}
		o := e.jobObject(j, false, c.ver)
		if q.Get("addEvents") == "true" {
			o["events"] = j.events
		}
		out = append(out, o)
	}
	return listResult(page(out, q.Get("pageSize"), q.Get("pageOffset"), 25)), nil
}

func (e *Engine) cancelJob(c *call) (any, error) {
	j, ok := lookup[*job](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	if !c.user.admin && j.user != c.user {
		return nil, errPermission("User %q may not cancel job %q.", c.user.name, j.ref)
	}
	if j.state == "RUNNING" {
		select {
		case <-j.cancel:
		default:
			j.cancelReason = "Canceled by user " + c.user.name + "."
			close(j.cancel)
		}
	}
	return okResult(nil, "", ""), nil
}

func (e *Engine) getAction(c *call) (any, error) {
	a, ok := lookup[*action](e.State, c.r.PathValue("ref"))
	if !ok {
		return nil, errNotFound(c.r.PathValue("ref"))
	}
	if !c.user.admin && a.user != c.user {
		return nil, errPermission("User %q may not read action %q.", c.user.name, a.ref)
	}
	end := any(nil)
	if !a.end.IsZero() {
		end = stamp(a.end)
	}
	return okResult(obj{"type": "Action", "reference": a.ref, "namespace": nil, "actionType": a.actionType,
		"title": a.title, "details": a.details, "state": a.state, "startTime": stamp(a.start), "endTime": end,
		"parentAction": nil, "user": a.user.ref, "userAgent": nil, "workSource": "WEBSERVICE",
		"workSourceName": a.user.name, "workSourcePrincipal": nil, "originIp": "127.0.0.1",
		"failureDescription": nullable(a.failDesc), "failureAction": nullable(a.failAction),
		"failureMessageCode": nullable(a.failCode)}, "", ""), nil
}

// notification is the long poll: it returns as soon as the channel has notifications, or
// an empty list when the timeout (milliseconds) passes.
func (e *Engine) notification(c *call) (any, error) {
	if e.opts.DisableNotifications {
		return nil, &htmlError{status: http.StatusNotFound, msg: "The requested resource is not available."}
	}
	q := c.r.URL.Query()
	timeout := time.Duration(atoiDefault(q.Get("timeout"), 10000)) * time.Millisecond
	notes, dropped := e.notes.Wait(q.Get("channel"), timeout, atoiDefault(q.Get("max"), 0), e.closing, c.r.Context().Done())
	return listResult(noteObjects(notes, dropped)), nil
}
