package engine

import (
	"encoding/json"
	"fmt"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// This file renders the database-side objects (containers, sources, snapshots) the way a
// real engine shows them; field names follow the 1.11.9 schema (schema_test.go checks).

func (e *Engine) dbObject(d *state.DB) obj {
	p := d.Platform
	o := obj{"type": p.Container, "reference": d.Ref, "name": d.Name, "description": nil,
		"group": d.Group.Ref, "namespace": nil, "creationTime": state.Stamp(d.Created),
		"currentTimeflow": d.Timeflow, "previousTimeflow": nullable(d.PrevTimeflow),
		"provisionContainer": nil, "masked": d.Masking != nil, "transformation": false,
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
		o["contentType"], o["diagnoseNoLoggingFaults"], o["physicalStandby"] = "NON_CDB", true, false
		o["racMaxInstanceLag"], o["preProvisioningEnabled"] = 900, false
	}
	return o
}

func (e *Engine) snapshotObject(s *state.Snapshot) obj {
	p := s.DB.Platform
	var loc any
	if s.DB.PlatName != "appdata" {
		loc = "1000"
	}
	point := obj{"type": p.TimeflowPoint, "timeflow": s.Timeflow, "location": loc, "timestamp": state.Stamp(s.Created)}
	o := obj{"type": p.Snapshot, "reference": s.Ref, "name": "@" + state.Stamp(s.Created), "namespace": nil,
		"container": s.DB.Ref, "timeflow": s.Timeflow, "creationTime": state.Stamp(s.Created),
		"consistency": "CONSISTENT", "firstChangePoint": point, "latestChangePoint": point,
		"runtime":   obj{"type": p.SnapshotRuntime, "provisionable": true},
		"retention": 0, "temporary": false, "missingNonLoggedData": false,
		"timezone": "Etc/UTC,UTC+0000", "version": nil}
	switch s.DB.PlatName {
	case "appdata":
		o["metadata"], o["toolkit"] = obj{}, "APPDATA_TOOLKIT-1"
	case "oracle":
		o["version"], o["fromPhysicalStandbyVdb"], o["redoLogSizeInBytes"] = "19.3.0.0.0", false, 0
		o["runtime"].(obj)["missingLogs"] = []any{}
	}
	return o
}

func (e *Engine) sourceObject(s *state.Source) obj {
	d := s.DB
	o := obj{"type": s.Typ, "reference": s.Ref, "name": d.Name, "namespace": nil, "container": d.Ref,
		"config": nil, "description": nil, "virtual": s.Virtual, "linked": !s.Virtual, "staging": false,
		"status": "DEFAULT", "hosts": nil, "logCollectionEnabled": false,
		"runtime": obj{"type": d.Platform.SourceRuntime, "status": "RUNNING", "accessible": true,
			"notAccessibleReason": nil, "databaseSize": 8192 * (1 + len(d.Contents.Rows)), "enabled": "ENABLED"},
		"operations": e.operationsObject(s),
	}
	if s.Virtual {
		o["allowAutoVDBRestartOnHostReboot"] = false
	}
	if d.PlatName == "appdata" {
		o["parameters"], o["toolkit"] = obj{}, "APPDATA_TOOLKIT-1"
		if s.Virtual {
			o["additionalMountPoints"] = []any{}
		} else {
			o["excludes"], o["followSymlinks"] = []any{}, []any{}
		}
	}
	return o
}

// operationsObject renders the hooks: every list present, empty lists as [].
func (e *Engine) operationsObject(s *state.Source) obj {
	names, typ := linkedHooks, "LinkedSourceOperations"
	if s.Virtual {
		names, typ = virtualHooks, "VirtualSourceOperations"
	}
	o := obj{"type": typ}
	for _, n := range names {
		l := []json.RawMessage{}
		l = append(l, s.Ops[n]...)
		o[n] = l
	}
	return o
}

func (e *Engine) maskingJobObject(m *state.MaskingJob) obj {
	return obj{"type": "MaskingJob", "reference": m.Ref, "name": m.Name, "maskingJobId": m.ID,
		"associatedContainer": m.DB.Ref, "namespace": nil}
}

func groupObject(g *state.Group) obj {
	return obj{"type": "Group", "reference": g.Ref, "name": g.Name, "description": nil, "namespace": nil}
}

// connectionInfo renders the SourceConnectionInfo subtype a real engine returns for a source
// of this platform (GET /source/{ref}/connectionInfo, and JSDataSource.runtime). PostgreSQL
// reached through the AppData toolkit is shown as PgSQLSourceConnectionInfo, whose jdbcString
// carries the database name.
func connectionInfoObject(p *state.Platform, c Connection) obj {
	switch p.ConnectionInfo {
	case "OracleSISourceConnectionInfo":
		return obj{"type": p.ConnectionInfo, "host": c.Host, "databaseName": c.Database,
			"jdbcStrings": []string{fmt.Sprintf("jdbc:oracle:thin:@%s:%d/%s", c.Host, c.Port, c.Database)},
			"oracleHome":  "/u01/app/oracle/product/19.0.0/dbhome_1", "version": "19.3.0.0.0"}
	case "MSSqlSourceConnectionInfo":
		return obj{"type": p.ConnectionInfo, "host": c.Host, "port": c.Port, "databaseName": c.Database,
			"instanceName": "MSSQLSERVER", "version": "15.0.2000.5",
			"instanceJDBCString": fmt.Sprintf("jdbc:sqlserver://%s:%d", c.Host, c.Port)}
	case "ASESourceConnectionInfo":
		return obj{"type": p.ConnectionInfo, "host": c.Host, "port": c.Port, "databaseName": c.Database,
			"user": c.User, "version": "16.0", "jdbcString": fmt.Sprintf("jdbc:sybase:Tds:%s:%d/%s", c.Host, c.Port, c.Database)}
	}
	return obj{"type": "PgSQLSourceConnectionInfo", "host": c.Host, "port": c.Port, "user": c.User,
		"jdbcString":      fmt.Sprintf("jdbc:postgresql://%s:%d/%s", c.Host, c.Port, c.Database),
		"pgDataDirectory": "/mnt/provision/" + c.Database + "/data", "version": "11.2"}
}
