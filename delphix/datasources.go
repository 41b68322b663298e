package delphix

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// DataSource is a self-service data source: one VDB of a template or
// container, with its connection details in Runtime.
type DataSource struct {
	Type       string         `json:"type"`
	Reference  string         `json:"reference"`
	Name       string         `json:"name"`
	Container  string         `json:"container"` // the VDB or dSource behind it
	DataLayout string         `json:"dataLayout"`
	Priority   int            `json:"priority"`
	Masked     bool           `json:"masked"`
	Runtime    ConnectionInfo `json:"runtime"`
}

// ConnectionInfo is a SourceConnectionInfo of any platform (schema 1.11.9:
// OracleSI, OracleRAC, MSSql, ASE, MySQL, PgSQL and AppData). Fields a
// platform does not have stay empty; Port is nil when the engine gave none.
type ConnectionInfo struct {
	Type    string `json:"type"`
	Host    string `json:"host"` // not on Oracle RAC, which has Scan and Nodes
	Port    *int   `json:"port"` // not on Oracle nor AppData: see PortNumber
	User    string `json:"user"` // ASE, MySQL and PgSQL only
	Version string `json:"version"`

	DatabaseName string `json:"databaseName"` // Oracle, MSSQL, ASE
	JDBCString   string `json:"jdbcString"`   // ASE, MySQL, PgSQL

	// Oracle single instance and RAC.
	JDBCStrings    []string `json:"jdbcStrings"`
	OracleHome     string   `json:"oracleHome"`
	Scan           string   `json:"scan"`
	Nodes          []string `json:"nodes"`
	RemoteListener string   `json:"remoteListener"`
	CRSClusterHome string   `json:"crsClusterHome"`

	// MSSQL.
	InstanceName       string `json:"instanceName"`
	InstanceJDBCString string `json:"instanceJDBCString"`

	Path            string `json:"path"`            // AppData: where the data is mounted
	DataDirectory   string `json:"dataDirectory"`   // MySQL
	PgDataDirectory string `json:"pgDataDirectory"` // PgSQL
}

// Platform names the database platform of the connection: oracle, mssql,
// ase, mysql, postgres or appdata; "" when there is no connection info.
func (ci ConnectionInfo) Platform() string {
	switch ci.Type {
	case "OracleSISourceConnectionInfo", "OracleRACSourceConnectionInfo":
		return "oracle"
	case "MSSqlSourceConnectionInfo":
		return "mssql"
	case "ASESourceConnectionInfo":
		return "ase"
	case "MySQLSourceConnectionInfo":
		return "mysql"
	case "PgSQLSourceConnectionInfo":
		return "postgres"
	case "AppDataSourceConnectionInfo":
		return "appdata"
	}
	return ""
}

// JDBC returns the connection's JDBC URL: Oracle's first jdbcStrings
// entry, jdbcString, or MSSQL's instanceJDBCString; "" when there is none.
func (ci ConnectionInfo) JDBC() string {
	switch {
	case len(ci.JDBCStrings) > 0:
		return ci.JDBCStrings[0]
	case ci.JDBCString != "":
		return ci.JDBCString
	}
	return ci.InstanceJDBCString
}

// HostName returns the host to connect to: host, or for Oracle RAC the
// cluster's SCAN name; "" when the engine gave neither.
func (ci ConnectionInfo) HostName() string {
	if ci.Host != "" {
		return ci.Host
	}
	return ci.Scan
}

// PortNumber returns the port: the port field where the platform has one,
// else the port inside the JDBC URL (Oracle puts it only there). ok is
// false when the engine gave neither.
func (ci ConnectionInfo) PortNumber() (port int, ok bool) {
	if ci.Port != nil {
		return *ci.Port, true
	}
	return jdbcPort(ci.JDBC())
}

// Database returns the database name: databaseName where the platform has
// it, else the path of a PostgreSQL or MySQL JDBC URL
// (jdbc:postgresql://host:port/name); "" when the engine gave neither.
func (ci ConnectionInfo) Database() string {
	if ci.DatabaseName != "" {
		return ci.DatabaseName
	}
	rest, found := strings.CutPrefix(ci.JDBCString, "jdbc:postgresql://")
	if !found {
		rest, found = strings.CutPrefix(ci.JDBCString, "jdbc:mysql://")
	}
	if !found {
		return ""
	}
	_, name, _ := strings.Cut(rest, "/")
	name, _, _ = strings.Cut(name, "?")
	return name
}

var (
	// oraclePort finds PORT=n in an Oracle connect descriptor.
	oraclePort = regexp.MustCompile(`(?i)\(\s*PORT\s*=\s*(\d+)\s*\)`)
	// urlPort finds host:port after the scheme of a JDBC URL
	// (//host:port, @host:port, Tds:host:port).
	urlPort = regexp.MustCompile(`(?:@|//|Tds:)(?:\[[^\]]*\]|[^:/@;()\s]+):(\d+)`)
)

func jdbcPort(jdbc string) (int, bool) {
	m := oraclePort.FindStringSubmatch(jdbc)
	if m == nil {
		m = urlPort.FindStringSubmatch(jdbc)
	}
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 || n > 65535 {
		return 0, false // not a TCP port: better no DX_DB_PORT than a wrong one
	}
	return n, true
}

// DataSourcesService lists data sources.
type DataSourcesService service

// List returns the data sources of a template or container, or all visible
// ones when layoutRef is empty (GET /{js}/datasource?dataLayout=).
func (s *DataSourcesService) List(ctx context.Context, layoutRef string) ([]DataSource, error) {
	q := url.Values{}
	if layoutRef != "" {
		q.Set("dataLayout", layoutRef)
	}
	var ds []DataSource
	_, err := s.client.call(ctx, "GET", withQuery(s.client.selfService()+"/datasource", q), nil, &ds)
	return ds, err
}
