package dctapi

import (
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Compliance jobs of the DCT API: the masking jobs attached to VDBs.

func (s *Server) complianceJobObject(m *state.MaskingJob) obj {
	o := obj{"id": m.Ref, "name": m.Name, "type": "MASKING", "engine_id": engineID, "engine_name": engineName,
		"dataset_id": m.DB.Ref, "tags": []obj{}}
	for i := len(s.Jobs) - 1; i >= 0; i-- {
		j := s.Jobs[i]
		if j.ActionType != "MASKING_JOB_EXECUTE" || j.Target != m.DB.Ref {
			continue
		}
		o["last_execution_id"] = j.Ref + "-EXECUTION"
		o["last_execution_status"] = map[string]string{"COMPLETED": "SUCCEEDED", "FAILED": "FAILED", "CANCELED": "CANCELLED"}[j.State]
		if j.State == "RUNNING" {
			o["last_execution_status"] = "RUNNING"
		} else {
			o["last_completed_execution_date"] = state.Stamp(j.Update)
		}
		break
	}
	return o
}

func (s *Server) listComplianceJobs(c *call) (int, any, error) {
	items := []obj{}
	if c.user.Admin {
		for _, m := range s.MaskingJobs {
			items = append(items, s.complianceJobObject(m))
		}
	}
	return c.list(items)
}

func (c *call) complianceJob() (*state.MaskingJob, error) {
	m, ok := state.Lookup[*state.MaskingJob](c.s.State, c.r.PathValue("id"))
	if !ok || !c.user.Admin {
		return nil, notFound("compliance job", c.r.PathValue("id"))
	}
	return m, nil
}

func (s *Server) getComplianceJob(c *call) (int, any, error) {
	m, err := c.complianceJob()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.complianceJobObject(m), nil
}

func (s *Server) executeComplianceJob(c *call) (int, any, error) {
	m, err := c.complianceJob()
	if err != nil {
		return 0, nil, err
	}
	if err := c.decode(&struct{}{}); err != nil {
		return 0, nil, err
	}
	d := m.DB
	if err := s.CheckBusy(s.busyRefs(d)...); err != nil {
		return 0, nil, err
	}
	return s.dbJob(c, d, "MASKING_JOB_EXECUTE", "Run masking job \""+m.Name+"\" on", state.RefreshDuration, func() {
		if !d.Contents.Masked {
			d.Contents.Mask()
		}
		for _, t := range s.TemplatesUsing(d) {
			t.Branch.History = append(t.Branch.History, state.Checkpoint{At: s.Now(), Contents: d.Contents.Clone()})
		}
	})
}
