package engine

import "fmt"

// platform holds the per-database-type names the engine uses on the wire.
type platform struct {
	container, containerRef         string
	linkedSource, linkedSourceRef   string
	virtualSource, virtualSourceRef string
	snapshot, snapshotRef           string
	timeflowPoint, timeflowRef      string
	containerRuntime, sourceRuntime string
	snapshotRuntime, sourcingPolicy string
	refreshParams                   string
	connectionInfo                  string
}

// platforms maps the seed's platform names to wire names.
var platforms = map[string]*platform{
	"appdata": {
		container: "AppDataContainer", containerRef: "APPDATA_CONTAINER",
		linkedSource: "AppDataLinkedDirectSource", linkedSourceRef: "APPDATA_LINKED_SOURCE",
		virtualSource: "AppDataVirtualSource", virtualSourceRef: "APPDATA_VIRTUAL_SOURCE",
		snapshot: "AppDataSnapshot", snapshotRef: "APPDATA_SNAPSHOT",
		timeflowPoint: "AppDataTimeflowPoint", timeflowRef: "APPDATA_TIMEFLOW",
		containerRuntime: "AppDataContainerRuntime", sourceRuntime: "AppDataSourceRuntime",
		snapshotRuntime: "AppDataSnapshotRuntime", sourcingPolicy: "SourcingPolicy",
		refreshParams: "RefreshParameters", connectionInfo: "PgSQLSourceConnectionInfo",
	},
	"oracle": {
		container: "OracleDatabaseContainer", containerRef: "ORACLE_DB_CONTAINER",
		linkedSource: "OracleLinkedSource", linkedSourceRef: "ORACLE_LINKED_SOURCE",
		virtualSource: "OracleVirtualSource", virtualSourceRef: "ORACLE_VIRTUAL_SOURCE",
		snapshot: "OracleSnapshot", snapshotRef: "ORACLE_SNAPSHOT",
		timeflowPoint: "OracleTimeflowPoint", timeflowRef: "ORACLE_TIMEFLOW",
		containerRuntime: "OracleDBContainerRuntime", sourceRuntime: "OracleSourceRuntime",
		snapshotRuntime: "OracleSnapshotRuntime", sourcingPolicy: "OracleSourcingPolicy",
		refreshParams: "OracleRefreshParameters", connectionInfo: "OracleSISourceConnectionInfo",
	},
	"mssql": {
		container: "MSSqlDatabaseContainer", containerRef: "MSSQL_DB_CONTAINER",
		linkedSource: "MSSqlLinkedSource", linkedSourceRef: "MSSQL_LINKED_SOURCE",
		virtualSource: "MSSqlVirtualSource", virtualSourceRef: "MSSQL_VIRTUAL_SOURCE",
		snapshot: "MSSqlSnapshot", snapshotRef: "MSSQL_SNAPSHOT",
		timeflowPoint: "MSSqlTimeflowPoint", timeflowRef: "MSSQL_TIMEFLOW",
		containerRuntime: "MSSqlDBContainerRuntime", sourceRuntime: "MSSqlSourceRuntime",
		snapshotRuntime: "MSSqlSnapshotRuntime", sourcingPolicy: "SourcingPolicy",
		refreshParams: "RefreshParameters", connectionInfo: "MSSqlSourceConnectionInfo",
	},
	"ase": {
		container: "ASEDBContainer", containerRef: "ASE_DB_CONTAINER",
		linkedSource: "ASELinkedSource", linkedSourceRef: "ASE_LINKED_SOURCE",
		virtualSource: "ASEVirtualSource", virtualSourceRef: "ASE_VIRTUAL_SOURCE",
		snapshot: "ASESnapshot", snapshotRef: "ASE_SNAPSHOT",
		timeflowPoint: "ASETimeflowPoint", timeflowRef: "ASE_TIMEFLOW",
		containerRuntime: "ASEDBContainerRuntime", sourceRuntime: "ASESourceRuntime",
		snapshotRuntime: "ASESnapshotRuntime", sourcingPolicy: "SourcingPolicy",
		refreshParams: "RefreshParameters", connectionInfo: "ASESourceConnectionInfo",
	},
}

// connectionInfo renders the SourceConnectionInfo subtype a real engine returns for a source
// of this platform (GET /source/{ref}/connectionInfo, and JSDataSource.runtime). PostgreSQL
// reached through the AppData toolkit is shown as PgSQLSourceConnectionInfo, whose jdbcString
// carries the database name.
func (p *platform) connectionInfoObject(c Connection) obj {
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
