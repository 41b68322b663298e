package dctapi

import (
	"net/http"
	"strings"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

func (s *Server) jobStatus(j *state.Job) string {
	if s.abandoned[j.Ref] {
		return "ABANDONED"
	}
	switch j.State {
	case "COMPLETED", "FAILED", "CANCELED":
		return j.State
	case "SUSPENDED":
		return "SUSPENDED"
	}
	return "RUNNING"
}

// jobObject is the DCT Job: percent_complete (the job's and its task's) moves while the job
// runs, as a real job's percent moves with its many progress events (state.Job.PercentAt).
func (s *Server) jobObject(j *state.Job) obj {
	status := s.jobStatus(j)
	pct := j.PercentAt(s.Now())
	o := obj{"id": j.Ref, "status": status, "is_waiting_for_telemetry": false, "type": j.ActionType, "localized_type": localizedType(j.ActionType),
		"target_id": j.Target, "target_name": j.TargetName, "start_time": state.Stamp(j.Start),
		"update_time": state.Stamp(j.Update), "percent_complete": pct}
	if j.User != nil {
		o["account_id"], o["account_name"] = s.accountID(j.User), j.User.Name
	}
	events := []obj{}
	for _, ev := range j.Events {
		msg, _ := ev["messageDetails"].(string)
		events = append(events, obj{"message_details": msg})
		if ev["eventType"] == "ERROR" && status == "FAILED" {
			o["error_details"] = msg
		}
	}
	task := obj{"id": j.Ref + "-TASK", "parent_job_id": j.Ref, "title": j.Title, "status": status,
		"percent_complete": pct, "start_time": state.Stamp(j.Start), "events": events}
	if j.State != "RUNNING" {
		task["end_time"] = state.Stamp(j.Update)
	}
	o["tasks"] = []obj{task}
	if j.ActionType == "MASKING_JOB_EXECUTE" {
		o["execution_id"] = j.Ref + "-EXECUTION"
	}
	return o
}

func localizedType(actionType string) string {
	words := strings.Split(strings.ToLower(actionType), "_")
	for i, w := range words {
		if w == "db" || w == "vdb" {
			words[i] = strings.ToUpper(w)
		} else if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

func (s *Server) getJob(c *call) (int, any, error) {
	j, ok := state.Lookup[*state.Job](s.State, c.r.PathValue("id"))
	if !ok || (!c.user.Admin && j.User != c.user) {
		return 0, nil, notFound("job", c.r.PathValue("id"))
	}
	return http.StatusOK, s.jobObject(j), nil
}

// listJobs lists (or searches) the jobs the caller sees (an admin every job, others their
// own), newest first unless sort says otherwise.
func (s *Server) listJobs(c *call) (int, any, error) {
	items := []obj{}
	for i := len(s.Jobs) - 1; i >= 0; i-- {
		if j := s.Jobs[i]; c.user.Admin || j.User == c.user {
			items = append(items, s.jobObject(j))
		}
	}
	return c.list(items)
}

func (s *Server) abandonJob(c *call) (int, any, error) {
	j, ok := state.Lookup[*state.Job](s.State, c.r.PathValue("id"))
	if !ok || (!c.user.Admin && j.User != c.user) {
		return 0, nil, notFound("job", c.r.PathValue("id"))
	}
	if st := s.jobStatus(j); st != "RUNNING" {
		return 0, nil, errorf(http.StatusBadRequest, "job %s is %s and cannot be abandoned", j.Ref, st)
	}
	s.abandoned[j.Ref] = true
	return http.StatusNoContent, nil, nil
}

func (s *Server) jobAnswer(j *state.Job) obj { return obj{"job": s.jobObject(j)} }
