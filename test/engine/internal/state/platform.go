package state

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
