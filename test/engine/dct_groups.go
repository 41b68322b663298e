package engine

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// VDB groups (one per self-service container), compliance jobs (the masking jobs) and VDB
// hooks of the DCT API.

func (e *Engine) dctGroupObject(jc *state.Container) obj {
	d := jc.DS.DB
	status := "RUNNING"
	if jc.State == "OFFLINE" {
		status = "DISABLED"
	}
	o := obj{"id": jc.Ref, "name": jc.Name, "vdb_ids": []string{d.Ref}, "is_locked": jc.LockUser != nil,
		"vdb_group_source": "ENGINE", "ss_data_layout_id": jc.Ref, "database_type": d.PlatName, "status": status,
		"vdbs": []obj{{"vdb_id": d.Ref, "order": 1, "vdb_name": d.Name}}, "tags": []obj{}}
	if jc.LockUser != nil {
		o["locked_by"], o["locked_by_name"] = e.accountID(jc.LockUser), jc.LockUser.Name
	}
	return o
}

func (c *dctCall) group() (*state.Container, error) {
	jc, ok := state.Lookup[*state.Container](c.e.State, c.r.PathValue("id"))
	if !ok || !(c.user.Admin || jc.Owner == c.user) {
		return nil, dctNotFound("VDB group", c.r.PathValue("id"))
	}
	return jc, nil
}

func (e *Engine) dctGroups(c *dctCall) (int, any, error) {
	items := []obj{}
	for _, jc := range e.Containers {
		if c.user.Admin || jc.Owner == c.user {
			items = append(items, e.dctGroupObject(jc))
		}
	}
	return c.list(items)
}

func (e *Engine) dctGroup(c *dctCall) (int, any, error) {
	jc, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, e.dctGroupObject(jc), nil
}

func (e *Engine) dctLockGroup(lock bool) dctHandler {
	return func(c *dctCall) (int, any, error) {
		jc, err := c.group()
		if err != nil {
			return 0, nil, err
		}
		if err := c.setLock(jc.DS.DB, lock); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e.dctGroupObject(jc), nil
	}
}

// dctGroupRefreshFromBookmark refreshes the group's one VDB from a bookmark.
func (e *Engine) dctGroupRefreshFromBookmark(c *dctCall) (int, any, error) {
	jc, err := c.group()
	if err != nil {
		return 0, nil, err
	}
	c.r.SetPathValue("id", jc.DS.DB.Ref)
	return e.dctRefreshFromBookmark(c)
}

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

// dctExecuteComplianceJob runs the masking job over its VDB's data (MASKING_JOB_EXECUTE):
// DCT masks after a refresh, never in it.
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

// Hook points: DCT's names and the engine's (self-refresh hooks are the rollback ones).
var dctHookPoints = [][2]string{{"pre_refresh", "preRefresh"}, {"post_refresh", "postRefresh"},
	{"pre_self_refresh", "preRollback"}, {"post_self_refresh", "postRollback"}, {"configure_clone", "configureClone"},
	{"pre_snapshot", "preSnapshot"}, {"post_snapshot", "postSnapshot"}, {"pre_start", "preStart"},
	{"post_start", "postStart"}, {"pre_stop", "preStop"}, {"post_stop", "postStop"}}

// Shells: DCT's and the engine's hook operation types.
var dctShells = [][2]string{{"bash", "RunBashOnSourceOperation"}, {"shell", "RunCommandOnSourceOperation"},
	{"expect", "RunExpectOnSourceOperation"}, {"ps", "RunPowerShellOnSourceOperation"}, {"psd", "RunPowerShellOnSourceOperation"}}

type dctHook struct {
	Name      string `json:"name,omitempty"`
	Command   string `json:"command"`
	Shell     string `json:"shell,omitempty"`
	ElementID string `json:"element_id,omitempty"`
}

// dctHooksOf renders a source's hook lists as VirtualDatasetHooks; masking hooks, which DCT
// does not show, are left out. An element's id is "<point>-<position>".
func dctHooksOf(src *state.Source) obj {
	o := obj{}
	for _, p := range dctHookPoints {
		for i, raw := range src.Ops[p[1]] {
			var h struct{ Type, Name, Command string }
			if json.Unmarshal(raw, &h) != nil || h.Command == "" {
				continue
			}
			hk := obj{"command": h.Command, "element_id": fmt.Sprintf("%s-%d", p[0], i+1)}
			if h.Name != "" {
				hk["name"] = h.Name
			}
			for _, s := range dctShells {
				if s[1] == h.Type {
					hk["shell"] = s[0]
					break
				}
			}
			l, _ := o[p[0]].([]obj)
			o[p[0]] = append(l, hk)
		}
	}
	return o
}

// dctPatchVDB changes a VDB's hooks: each hook point sent replaces that list, or with
// DCTOptions.MergeHooks adds to it (an element_id names the element to replace). Points not
// sent are left alone.
func (e *Engine) dctPatchVDB(c *dctCall) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	var b struct {
		Hooks map[string][]dctHook `json:"hooks"`
	}
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	lists := map[string][]json.RawMessage{}
	for point, hooks := range b.Hooks {
		engineName := ""
		for _, p := range dctHookPoints {
			if p[0] == point {
				engineName = p[1]
			}
		}
		if engineName == "" {
			return 0, nil, dctErrorf(http.StatusBadRequest, "hooks.%s is not a hook point", point)
		}
		var list []json.RawMessage
		if e.opts.DCT.MergeHooks {
			list = append(list, d.Src.Ops[engineName]...)
		}
		for _, h := range hooks {
			typ := "RunBashOnSourceOperation"
			for _, s := range dctShells {
				if s[0] == h.Shell {
					typ = s[1]
				}
			}
			if h.Command == "" {
				return 0, nil, dctErrorf(http.StatusBadRequest, "hooks.%s: a hook needs a command", point)
			}
			raw, _ := json.Marshal(map[string]string{"type": typ, "name": h.Name, "command": h.Command})
			var pos int
			if _, err := fmt.Sscanf(h.ElementID, point+"-%d", &pos); err == nil && e.opts.DCT.MergeHooks && pos >= 1 && pos <= len(list) {
				list[pos-1] = raw
				continue
			}
			list = append(list, raw)
		}
		lists[engineName] = list
	}
	return e.dbJob(c, d, "DB_UPDATE", "Update database", state.QuickDuration, func() {
		for name, l := range lists {
			d.Src.Ops[name] = l
		}
	})
}
