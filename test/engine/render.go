package engine

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// This file renders the database-side objects (containers, sources, snapshots) the way a
// real engine shows them; field names follow the 1.11.9 schema (schema_test.go checks).

func (e *Engine) dbObject(d *state.DB, v version) obj {
	p := d.Platform
	o := obj{"type": p.Container, "reference": d.Ref, "name": d.Name, "description": nil,
		"group": d.Group.Ref, "namespace": nil, "creationTime": state.Stamp(d.Created),
		"currentTimeflow": d.Timeflow, "previousTimeflow": nullable(d.PrevTimeflow),
		"provisionContainer": nil, "masked": d.Masking != nil || d.Src.HasMaskingHook(), "transformation": false,
		"os": "Linux", "processor": "x86", "performanceMode": "DISABLED",
		"sourcingPolicy": obj{"type": p.SourcingPolicy, "logsyncEnabled": false},
		"runtime":        obj{"type": p.ContainerRuntime, "logSyncActive": false, "preProvisioningStatus": nil},
	}
	if d.Parent != nil {
		o["provisionContainer"] = d.Parent.Ref
	}
	switch d.PlatName {
	case "appdata":
		o["guid"], o["toolkit"] = d.GUID, "APPDATA_TOOLKIT-1"
	case "oracle":
		o["sourcingPolicy"].(obj)["logsyncInterval"], o["sourcingPolicy"].(obj)["logsyncMode"] = 5, "UNDEFINED"
		o["contentType"], o["diagnoseNoLoggingFaults"], o["physicalStandby"] = "NON_CDB", true, false
		o["preProvisioningEnabled"] = false
		if v.atLeast("1.11.0") {
			o["racMaxInstanceLag"] = 900
		}
	}
	if !v.atLeast("1.10.0") {
		// Fields 5.1 and 5.2 engines sent that the 1.11.9 schema no longer has.
		o["restoration"] = false
		o["sourcingPolicy"].(obj)["loadFromBackup"] = false
	}
	return o
}

// snapshotObject renders a snapshot. Real engines name an Oracle snapshot after its
// creation time (UTC, with Z) and the others after the time of their data in the source's
// zone, without a zone (@2017-03-08T17:36:21.000); timezone names that zone and its offset.
func (e *Engine) snapshotObject(s *state.Snapshot, v version) obj {
	p := s.DB.Platform
	local := s.DataTime.In(s.DB.Zone)
	zone := s.DB.Zone.String()
	if s.DB.Zone == time.UTC {
		zone = "Etc/UTC"
	}
	point := obj{"type": p.TimeflowPoint, "timeflow": s.Timeflow, "location": nil, "timestamp": state.Stamp(s.DataTime)}
	o := obj{"type": p.Snapshot, "reference": s.Ref, "name": "@" + local.Format("2006-01-02T15:04:05.000"), "namespace": nil,
		"container": s.DB.Ref, "timeflow": s.Timeflow, "creationTime": state.Stamp(s.Created),
		"consistency": "CONSISTENT", "firstChangePoint": point, "latestChangePoint": point,
		"runtime":   obj{"type": p.SnapshotRuntime, "provisionable": true},
		"retention": 0, "temporary": false, "missingNonLoggedData": false,
		"timezone": zone + "," + local.Format("MST-0700"), "version": nil}
	switch s.DB.PlatName {
	case "appdata":
		o["metadata"] = obj{}
		if v.atLeast("1.10.0") {
			o["toolkit"] = "APPDATA_TOOLKIT-1"
		}
	case "oracle":
		o["name"] = "@" + state.Stamp(s.Created)
		point["location"] = strconv.Itoa(1000000 + 1000*refNumber(s.Ref))
		o["version"], o["fromPhysicalStandbyVdb"], o["redoLogSizeInBytes"] = "19.3.0.0.0", false, 0
		o["runtime"].(obj)["missingLogs"] = []any{}
	case "mssql":
		point["location"] = strconv.Itoa(1238000000020000000 + refNumber(s.Ref))
		o["version"] = "2019"
	case "ase":
		o["version"] = "16.0"
	}
	return o
}

// refNumber is the counter of a reference (ORACLE_SNAPSHOT-7: 7).
func refNumber(ref string) int {
	n, _ := strconv.Atoi(ref[strings.LastIndex(ref, "-")+1:])
	return n
}

// timeflowObject renders a timeflow of any platform.
func (e *Engine) timeflowObject(tf *state.Timeflow, v version) obj {
	p := tf.DB.Platform
	o := obj{"type": timeflowTypes[p.Family], "reference": tf.Ref, "name": tf.Name, "namespace": nil,
		"container": tf.DB.Ref, "creationType": tf.CreationType, "parentPoint": nil, "parentSnapshot": nil}
	if s := tf.Parent; s != nil {
		o["parentSnapshot"] = s.Ref
		o["parentPoint"] = e.snapshotObject(s, v)["latestChangePoint"]
	}
	switch p.Family {
	case "oracle":
		o["cdbTimeflow"], o["incarnationID"] = nil, strconv.Itoa(900000+refNumber(tf.Ref))
		if v.atLeast("1.11.0") {
			o["tdeUUID"] = nil
		} else {
			o["warehouse"], o["warehouseTimeflow"] = false, nil
		}
	case "mssql":
		o["databaseGuid"] = nil
	}
	return o
}

var timeflowTypes = map[string]string{"appdata": "AppDataTimeflow", "oracle": "OracleTimeflow",
	"mssql": "MSSqlTimeflow", "ase": "ASETimeflow"}

func (e *Engine) sourceObject(s *state.Source, v version) obj {
	d := s.DB
	o := obj{"type": s.Typ, "reference": s.Ref, "name": d.Name, "namespace": nil, "container": d.Ref,
		"config": nil, "description": nil, "virtual": s.Virtual, "linked": !s.Virtual, "staging": false,
		"status": "DEFAULT",
		"runtime": obj{"type": d.Platform.SourceRuntime, "status": "RUNNING", "accessible": true,
			"notAccessibleReason": nil, "databaseSize": 8192 * (1 + len(d.Contents.Rows)), "enabled": "ENABLED"},
		"operations": e.operationsObject(s, v),
	}
	if s.Virtual {
		o["allowAutoVDBRestartOnHostReboot"] = false
	}
	if v.atLeast("1.10.0") {
		o["hosts"], o["logCollectionEnabled"] = nil, false
	} else {
		o["restoration"] = false // sent by 5.1 and 5.2 engines, gone from the 1.11.9 schema
	}
	if d.PlatName == "appdata" {
		o["parameters"] = obj{}
		if v.atLeast("1.10.0") {
			o["toolkit"] = "APPDATA_TOOLKIT-1"
		}
		if s.Virtual {
			o["additionalMountPoints"] = []any{}
		} else {
			o["excludes"], o["followSymlinks"] = []any{}, []any{}
		}
	}
	return o
}

// operationsObject renders the hooks: every list present, empty lists as [].
func (e *Engine) operationsObject(s *state.Source, v version) obj {
	names, typ := linkedHooks, "LinkedSourceOperations"
	if s.Virtual {
		names, typ = virtualHooks, "VirtualSourceOperations"
	}
	o := obj{"type": typ}
	for _, n := range names {
		l := []json.RawMessage{}
		for _, h := range s.Ops[n] {
			if hookKnownAt(h, v) {
				l = append(l, hookForVersion(h, v))
			}
		}
		o[n] = l
	}
	return o
}

// hookKnownAt reports whether a hook's type exists at API version v. A hook of a type the
// version does not have (RunMaskingJobOnSourceOperation from 1.11: not in the 1.11.9
// schema, and no 1.11 recording shows one) is not shown in that version's lists: the engine
// keeps it, runs it and marks the VDB masked, and a client at that version can neither see
// nor replace it, so re-sending the list it read never names a type it would refuse.
func hookKnownAt(h json.RawMessage, v version) bool {
	var typed struct{ Type string }
	if json.Unmarshal(h, &typed) != nil {
		return true
	}
	it, ok := inputTypes[typed.Type]
	return !ok || inRange(v, it.since, it.until)
}

// withHiddenHooks is the list a source update stores for hook point name: the hooks the
// client's version cannot see (see hookKnownAt), kept first as they were, then the list sent.
func withHiddenHooks(current, sent []json.RawMessage, v version) []json.RawMessage {
	out := []json.RawMessage{}
	for _, h := range current {
		if !hookKnownAt(h, v) {
			out = append(out, h)
		}
	}
	return append(out, sent...)
}

// hookForVersion drops a hook's name for an API 1.8 client: hooks have names from 1.9.
func hookForVersion(h json.RawMessage, v version) json.RawMessage {
	if v.atLeast("1.9.0") {
		return h
	}
	var m map[string]any
	if json.Unmarshal(h, &m) != nil {
		return h
	}
	delete(m, "name")
	b, _ := json.Marshal(m)
	return b
}

func (e *Engine) maskingJobObject(m *state.MaskingJob) obj {
	return obj{"type": "MaskingJob", "reference": m.Ref, "name": m.Name, "maskingJobId": m.ID,
		"associatedContainer": m.DB.Ref, "namespace": nil}
}

func groupObject(g *state.Group, v version) obj {
	o := obj{"type": "Group", "reference": g.Ref, "name": g.Name, "description": nil, "namespace": nil}
	if !v.atLeast("1.9.0") {
		o["dataNode"] = "DATA_NODE-1" // 5.1 engines only
	}
	return o
}
