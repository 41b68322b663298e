package engine

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
