package dctapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// VDB hooks of the DCT API: the hook lists of the VDB's source, as an engine at API 1.11
// shows them (DCT 3.18 manages 6.0 engines and later): a masking hook is no hook there, so
// DCT neither shows it nor drops it when a list is replaced.

var hookPoints = [][2]string{{"pre_refresh", "preRefresh"}, {"post_refresh", "postRefresh"},
	{"pre_self_refresh", "preRollback"}, {"post_self_refresh", "postRollback"}, {"configure_clone", "configureClone"},
	{"pre_snapshot", "preSnapshot"}, {"post_snapshot", "postSnapshot"}, {"pre_start", "preStart"},
	{"post_start", "postStart"}, {"pre_stop", "preStop"}, {"post_stop", "postStop"}}

var shells = [][2]string{{"bash", "RunBashOnSourceOperation"}, {"shell", "RunCommandOnSourceOperation"},
	{"expect", "RunExpectOnSourceOperation"}, {"ps", "RunPowerShellOnSourceOperation"}, {"psd", "RunPowerShellOnSourceOperation"}}

type hook struct {
	Name      string `json:"name,omitempty"`
	Command   string `json:"command"`
	Shell     string `json:"shell,omitempty"`
	ElementID string `json:"element_id,omitempty"`
}

func hooksOf(src *state.Source) obj {
	o := obj{}
	for _, p := range hookPoints {
		for i, raw := range src.Ops[p[1]] {
			var h struct{ Type, Name, Command string }
			if json.Unmarshal(raw, &h) != nil || h.Command == "" {
				continue
			}
			hk := obj{"command": h.Command, "element_id": fmt.Sprintf("%s-%d", p[0], i+1)}
			if h.Name != "" {
				hk["name"] = h.Name
			}
			for _, s := range shells {
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

func (s *Server) patchVDB(c *call) (int, any, error) {
	d, err := c.operable()
	if err != nil {
		return 0, nil, err
	}
	var b struct {
		Hooks map[string][]hook `json:"hooks"`
	}
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	lists := map[string][]json.RawMessage{}
	for point, hooks := range b.Hooks {
		engineName := ""
		for _, p := range hookPoints {
			if p[0] == point {
				engineName = p[1]
			}
		}
		if engineName == "" {
			return 0, nil, errorf(http.StatusBadRequest, "hooks.%s is not a hook point", point)
		}
		var list []json.RawMessage
		if s.opts.MergeHooks {
			list = append(list, d.Src.Ops[engineName]...)
		} else {
			list = []json.RawMessage{}
			for _, h := range d.Src.Ops[engineName] {
				if state.IsMaskingHook(h) {
					list = append(list, h)
				}
			}
		}
		for _, h := range hooks {
			typ := "RunBashOnSourceOperation"
			for _, sh := range shells {
				if sh[0] == h.Shell {
					typ = sh[1]
				}
			}
			if h.Command == "" {
				return 0, nil, errorf(http.StatusBadRequest, "hooks.%s: a hook needs a command", point)
			}
			raw, _ := json.Marshal(map[string]string{"type": typ, "name": h.Name, "command": h.Command})
			var pos int
			if _, err := fmt.Sscanf(h.ElementID, point+"-%d", &pos); err == nil && s.opts.MergeHooks && pos >= 1 && pos <= len(list) {
				list[pos-1] = raw
				continue
			}
			list = append(list, raw)
		}
		lists[engineName] = list
	}
	return s.dbJob(c, d, "DB_UPDATE", "Update database", state.QuickDuration, func() {
		for name, l := range lists {
			d.Src.Ops[name] = l
		}
	})
}
