package state

import (
	"fmt"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// Platform holds the per-database-type names the engine uses on the wire.
type Platform struct {
	// Family is appdata, oracle, mssql or ase: what decides the objects' fields.
	Family                          string
	Container, containerRef         string
	linkedSource, linkedSourceRef   string
	virtualSource, virtualSourceRef string
	Snapshot, snapshotRef           string
	TimeflowPoint, TimeflowRef      string
	ContainerRuntime, SourceRuntime string
	SnapshotRuntime, SourcingPolicy string
	RefreshParams                   string
	ConnectionInfo                  string
	// TimeflowName names a dSource's first timeflow, as real engines do.
	TimeflowName string
}

func init() {
	rac := *platforms["oracle"]
	rac.ConnectionInfo = "OracleRACSourceConnectionInfo"
	platforms["oracle-rac"] = &rac
}

// platforms maps the seed's platform names to wire names; oracle-rac is an Oracle RAC
// database, which differs from a single instance in its connection info only.
var platforms = map[string]*Platform{
	"appdata": {
		Family: "appdata", TimeflowName: "appdata-timeflow-1",
		Container: "AppDataContainer", containerRef: "APPDATA_CONTAINER",
		linkedSource: "AppDataLinkedDirectSource", linkedSourceRef: "APPDATA_LINKED_SOURCE",
		virtualSource: "AppDataVirtualSource", virtualSourceRef: "APPDATA_VIRTUAL_SOURCE",
		Snapshot: "AppDataSnapshot", snapshotRef: "APPDATA_SNAPSHOT",
		TimeflowPoint: "AppDataTimeflowPoint", TimeflowRef: "APPDATA_TIMEFLOW",
		ContainerRuntime: "AppDataContainerRuntime", SourceRuntime: "AppDataSourceRuntime",
		SnapshotRuntime: "AppDataSnapshotRuntime", SourcingPolicy: "SourcingPolicy",
		RefreshParams: "RefreshParameters", ConnectionInfo: "PgSQLSourceConnectionInfo",
	},
	"oracle": {
		Family: "oracle", TimeflowName: "default",
		Container: "OracleDatabaseContainer", containerRef: "ORACLE_DB_CONTAINER",
		linkedSource: "OracleLinkedSource", linkedSourceRef: "ORACLE_LINKED_SOURCE",
		virtualSource: "OracleVirtualSource", virtualSourceRef: "ORACLE_VIRTUAL_SOURCE",
		Snapshot: "OracleSnapshot", snapshotRef: "ORACLE_SNAPSHOT",
		TimeflowPoint: "OracleTimeflowPoint", TimeflowRef: "ORACLE_TIMEFLOW",
		ContainerRuntime: "OracleDBContainerRuntime", SourceRuntime: "OracleSourceRuntime",
		SnapshotRuntime: "OracleSnapshotRuntime", SourcingPolicy: "OracleSourcingPolicy",
		RefreshParams: "OracleRefreshParameters", ConnectionInfo: "OracleSISourceConnectionInfo",
	},
	"mssql": {
		Family: "mssql", TimeflowName: "MSSql-Timeflow-1",
		Container: "MSSqlDatabaseContainer", containerRef: "MSSQL_DB_CONTAINER",
		linkedSource: "MSSqlLinkedSource", linkedSourceRef: "MSSQL_LINKED_SOURCE",
		virtualSource: "MSSqlVirtualSource", virtualSourceRef: "MSSQL_VIRTUAL_SOURCE",
		Snapshot: "MSSqlSnapshot", snapshotRef: "MSSQL_SNAPSHOT",
		TimeflowPoint: "MSSqlTimeflowPoint", TimeflowRef: "MSSQL_TIMEFLOW",
		ContainerRuntime: "MSSqlDBContainerRuntime", SourceRuntime: "MSSqlSourceRuntime",
		SnapshotRuntime: "MSSqlSnapshotRuntime", SourcingPolicy: "SourcingPolicy",
		RefreshParams: "RefreshParameters", ConnectionInfo: "MSSqlSourceConnectionInfo",
	},
	"ase": {
		Family: "ase", TimeflowName: "ASE-Timeflow-1",
		Container: "ASEDBContainer", containerRef: "ASE_DB_CONTAINER",
		linkedSource: "ASELinkedSource", linkedSourceRef: "ASE_LINKED_SOURCE",
		virtualSource: "ASEVirtualSource", virtualSourceRef: "ASE_VIRTUAL_SOURCE",
		Snapshot: "ASESnapshot", snapshotRef: "ASE_SNAPSHOT",
		TimeflowPoint: "ASETimeflowPoint", TimeflowRef: "ASE_TIMEFLOW",
		ContainerRuntime: "ASEDBContainerRuntime", SourceRuntime: "ASESourceRuntime",
		SnapshotRuntime: "ASESnapshotRuntime", SourcingPolicy: "SourcingPolicy",
		RefreshParams: "RefreshParameters", ConnectionInfo: "ASESourceConnectionInfo",
	},
}

// ConnectionInfo renders the SourceConnectionInfo subtype a real engine returns for a source
// of this platform (GET /source/{ref}/connectionInfo, and JSDataSource.runtime). PostgreSQL
// reached through the AppData toolkit is shown as PgSQLSourceConnectionInfo, whose jdbcString
// carries the database name.
func ConnectionInfo(p *Platform, c model.Connection) map[string]any {
	switch p.ConnectionInfo {
	case "OracleSISourceConnectionInfo":
		return map[string]any{"type": p.ConnectionInfo, "host": c.Host, "databaseName": c.Database,
			"jdbcStrings": []string{fmt.Sprintf("jdbc:oracle:thin:@%s:%d/%s", c.Host, c.Port, c.Database)},
			"oracleHome":  "/u01/app/oracle/product/19.0.0/dbhome_1", "version": "19.3.0.0.0"}
	case "OracleRACSourceConnectionInfo":
		return map[string]any{"type": p.ConnectionInfo, "databaseName": c.Database, "scan": c.Host,
			"nodes":          []string{c.Host + "-node1", c.Host + "-node2"},
			"jdbcStrings":    []string{fmt.Sprintf("jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=%s)(PORT=%d))(CONNECT_DATA=(SERVICE_NAME=%s)))", c.Host, c.Port, c.Database)},
			"remoteListener": fmt.Sprintf("%s:%d", c.Host, c.Port), "crsClusterHome": "/u01/app/19.0.0/grid",
			"oracleHome": "/u01/app/oracle/product/19.0.0/dbhome_1", "version": "19.3.0.0.0"}
	case "MSSqlSourceConnectionInfo":
		return map[string]any{"type": p.ConnectionInfo, "host": c.Host, "port": c.Port, "databaseName": c.Database,
			"instanceName": "MSSQLSERVER", "version": "15.0.2000.5",
			"instanceJDBCString": fmt.Sprintf("jdbc:sqlserver://%s:%d", c.Host, c.Port)}
	case "ASESourceConnectionInfo":
		return map[string]any{"type": p.ConnectionInfo, "host": c.Host, "port": c.Port, "databaseName": c.Database,
			"user": c.User, "version": "16.0", "jdbcString": fmt.Sprintf("jdbc:sybase:Tds:%s:%d/%s", c.Host, c.Port, c.Database)}
	}
	return map[string]any{"type": "PgSQLSourceConnectionInfo", "host": c.Host, "port": c.Port, "user": c.User,
		"jdbcString":      fmt.Sprintf("jdbc:postgresql://%s:%d/%s", c.Host, c.Port, c.Database),
		"pgDataDirectory": "/mnt/provision/" + c.Database + "/data", "version": "11.2"}
}
