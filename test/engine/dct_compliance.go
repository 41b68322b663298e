package engine

import (
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// Compliance jobs of the DCT API: the masking jobs attached to VDBs.

func (e *Engine) dctComplianceJobObject(m *state.MaskingJob) obj {
	o := obj{"id": m.Ref, "name": m.Name, "type": "MASKING", "engine_id": dctEngineID, "engine_name": dctEngineName,
		"dataset_id": m.DB.Ref, "tags": []obj{}}
	for i := len(e.Jobs) - 1; i >= 0; i-- {
		j := e.Jobs[i]
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

func (e *Engine) dctComplianceJobs(c *dctCall) (int, any, error) {
	items := []obj{}
	if c.user.Admin {
		for _, m := range e.MaskingJobs {
			items = append(items, e.dctComplianceJobObject(m))
		}
	}
	return c.list(items)
}

func (c *dctCall) complianceJob() (*state.MaskingJob, error) {
	m, ok := state.Lookup[*state.MaskingJob](c.e.State, c.r.PathValue("id"))
	if !ok || !c.user.Admin {
		return nil, dctNotFound("compliance job", c.r.PathValue("id"))
	}
	return m, nil
}

func (e *Engine) dctComplianceJob(c *dctCall) (int, any, error) {
	m, err := c.complianceJob()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.dctComplianceJobObject(m), nil
}

func (e *Engine) dctExecuteComplianceJob(c *dctCall) (int, any, error) {
	m, err := c.complianceJob()
	if err != nil {
		return 0, nil, err
	}
	if err := c.decode(&struct{}{}); err != nil {
		return 0, nil, err
	}
	d := m.DB
	if err := e.CheckBusy(e.busyRefs(d)...); err != nil {
		return 0, nil, err
	}
	return e.dbJob(c, d, "MASKING_JOB_EXECUTE", "Run masking job \""+m.Name+"\" on", state.RefreshDuration, func() {
		if !d.Contents.Masked {
			d.Contents.Mask()
		}
		for _, t := range e.TemplatesUsing(d) {
			t.Branch.History = append(t.Branch.History, state.Checkpoint{At: e.Now(), Contents: d.Contents.Clone()})
		}
	})
}
