package engine

import (
	"encoding/json"
	"fmt"
)

// This file renders the database-side objects (containers, sources, snapshots) the way a
// real engine shows them; field names follow the 1.11.9 schema (schema_test.go checks).

func (e *Engine) dbObject(d *dbContainer) obj {
	p := d.plat
	o := obj{"type": p.container, "reference": d.ref, "name": d.name, "description": nil,
		"group": d.group.ref, "namespace": nil, "creationTime": stamp(d.created),
		"currentTimeflow": d.timeflow, "previousTimeflow": nullable(d.prevTimeflow),
		"provisionContainer": nil, "masked": d.masking != nil, "transformation": false,
		"os": "Linux", "processor": "x86", "performanceMode": "DISABLED",
		"sourcingPolicy": obj{"type": p.sourcingPolicy, "logsyncEnabled": false},
		"runtime":        obj{"type": p.containerRuntime, "logSyncActive": false, "preProvisioningStatus": nil},
	}
	if d.parent != nil {
		o["provisionContainer"] = d.parent.ref
	}
	switch d.platName {
	case "appdata":
		o["guid"], o["toolkit"] = d.guid, "APPDATA_TOOLKIT-1"
	case "oracle":
		o["contentType"], o["diagnoseNoLoggingFaults"], o["physicalStandby"] = "NON_CDB", true, false
		o["racMaxInstanceLag"], o["preProvisioningEnabled"] = 900, false
	}
	return o
}

func (e *Engine) snapshotObject(s *snapshot) obj {
	p := s.db.plat
	var loc any
	if s.db.platName != "appdata" {
		loc = "1000"
	}
	point := obj{"type": p.timeflowPoint, "timeflow": s.timeflow, "location": loc, "timestamp": stamp(s.created)}
	o := obj{"type": p.snapshot, "reference": s.ref, "name": "@" + stamp(s.created), "namespace": nil,
		"container": s.db.ref, "timeflow": s.timeflow, "creationTime": stamp(s.created),
		"consistency": "CONSISTENT", "firstChangePoint": point, "latestChangePoint": point,
		"runtime":   obj{"type": p.snapshotRuntime, "provisionable": true},
		"retention": 0, "temporary": false, "missingNonLoggedData": false,
		"timezone": "Etc/UTC,UTC+0000", "version": nil}
	switch s.db.platName {
	case "appdata":
		o["metadata"], o["toolkit"] = obj{}, "APPDATA_TOOLKIT-1"
	case "oracle":
		o["version"], o["fromPhysicalStandbyVdb"], o["redoLogSizeInBytes"] = "19.3.0.0.0", false, 0
		o["runtime"].(obj)["missingLogs"] = []any{}
	}
	return o
}

func (e *Engine) sourceObject(s *source) obj {
	d := s.db
	o := obj{"type": s.typ, "reference": s.ref, "name": d.name, "namespace": nil, "container": d.ref,
		"config": nil, "description": nil, "virtual": s.virtual, "linked": !s.virtual, "staging": false,
		"status": "DEFAULT", "hosts": nil, "logCollectionEnabled": false,
		"runtime": obj{"type": d.plat.sourceRuntime, "status": "RUNNING", "accessible": true,
			"notAccessibleReason": nil, "databaseSize": 8192 * (1 + len(d.contents.Rows)), "enabled": "ENABLED"},
		"operations": e.operationsObject(s),
	}
	if s.virtual {
		o["allowAutoVDBRestartOnHostReboot"] = false
	}
	if d.platName == "appdata" {
		o["parameters"], o["toolkit"] = obj{}, "APPDATA_TOOLKIT-1"
		if s.virtual {
			o["additionalMountPoints"] = []any{}
		} else {
			o["excludes"], o["followSymlinks"] = []any{}, []any{}
		}
	}
	return o
}

// operationsObject renders the hooks: every list present, empty lists as [].
func (e *Engine) operationsObject(s *source) obj {
	names, typ := linkedHooks, "LinkedSourceOperations"
	if s.virtual {
		names, typ = virtualHooks, "VirtualSourceOperations"
	}
	o := obj{"type": typ}
	for _, n := range names {
		l := []json.RawMessage{}
		l = append(l, s.ops[n]...)
		o[n] = l
	}
	return o
}

func (e *Engine) maskingJobObject(m *maskingJob) obj {
	return obj{"type": "MaskingJob", "reference": m.ref, "name": m.name, "maskingJobId": m.id,
		"associatedContainer": m.db.ref, "namespace": nil}
}

func groupObject(g *group) obj {
	return obj{"type": "Group", "reference": g.ref, "name": g.name, "description": nil, "namespace": nil}
}

// connectionInfo renders the SourceConnectionInfo subtype a real engine returns for a source
// of this platform (GET /source/{ref}/connectionInfo, and JSDataSource.runtime). PostgreSQL
// reached through the AppData toolkit is shown as PgSQLSourceConnectionInfo, whose jdbcString
// carries the database name.
func connectionInfoObject(p *platform, c Connection) obj {
	switch p.connectionInfo {
	case "OracleSISourceConnectionInfo":
		return obj{"type": p.connectionInfo, "host": c.Host, "databaseName": c.Database,
			"jdbcStrings": []string{fmt.Sprintf("jdbc:oracle:thin:@%s:%d/%s", c.Host, c.Port, c.Database)},
			"oracleHome":  "/u01/app/oracle/product/19.0.0/dbhome_1", "version": "19.3.0.0.0"}
	case "MSSqlSourceConnectionInfo":
		return obj{"type": p.connectionInfo, "host": c.Host, "port": c.Port, "databaseName": c.Database,
			"instanceName": "MSSQLSERVER", "version": "15.0.2000.5",
			"instanceJDBCString": fmt.Sprintf("jdbc:sqlserver://%s:%d", c.Host, c.Port)}
	case "ASESourceConnectionInfo":
		return obj{"type": p.connectionInfo, "host": c.Host, "port": c.Port, "databaseName": c.Database,
			"user": c.User, "version": "16.0", "jdbcString": fmt.Sprintf("jdbc:sybase:Tds:%s:%d/%s", c.Host, c.Port, c.Database)}
	}
	return obj{"type": "PgSQLSourceConnectionInfo", "host": c.Host, "port": c.Port, "user": c.User,
		"jdbcString":      fmt.Sprintf("jdbc:postgresql://%s:%d/%s", c.Host, c.Port, c.Database),
		"pgDataDirectory": "/mnt/provision/" + c.Database + "/data", "version": "11.2"}
}
