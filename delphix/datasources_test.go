package delphix

import (
	"encoding/json"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataSourcesCarryConnectionDetails(t *testing.T) {
	c, e := loggedIn(t, engine.Options{})
	p := pod(t, c, "prep3")
	ds, err := c.DataSources.List(t.Context(), p.Reference)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	want, _ := e.Dataset("prep3")
	rt := ds[0].Runtime
	assert.Equal(t, want.Connection.Host, rt.HostName())
	port, ok := rt.PortNumber()
	assert.True(t, ok)
	assert.Equal(t, want.Connection.Port, port)
	assert.Equal(t, want.Connection.Database, rt.Database())
}

// TestConnectionInfoOfEveryPlatform decodes each SourceConnectionInfo type
// of schema 1.11.9 with the fields that type has, and checks that what a
// platform does not give stays unknown rather than becoming 0 or a guess.
func TestConnectionInfoOfEveryPlatform(t *testing.T) {
	for _, tc := range []struct {
		json                           string
		platform, host, db, user, jdbc string
		port                           int // 0: none given
	}{
		{json: `{"type":"OracleSISourceConnectionInfo","databaseName":"testdx","host":"marcintgt.dcenter.delphix.com","oracleHome":"/u01/app/ora12102/product/12.1.0/dbhome_1",
			"jdbcStrings":["jdbc:oracle:thin:@(DESCRIPTION=(ENABLE=broken)(ADDRESS=(PROTOCOL=tcp)(HOST=10.43.10.164)(PORT=1521))(CONNECT_DATA=(UR=A)(SERVICE_NAME=testdx)))"],"version":"12.1.0.2.0"}`,
			platform: "oracle", host: "marcintgt.dcenter.delphix.com", db: "testdx", port: 1521,
			jdbc: "jdbc:oracle:thin:@(DESCRIPTION=(ENABLE=broken)(ADDRESS=(PROTOCOL=tcp)(HOST=10.43.10.164)(PORT=1521))(CONNECT_DATA=(UR=A)(SERVICE_NAME=testdx)))"},
		{json: `{"type":"OracleRACSourceConnectionInfo","databaseName":"racdb","scan":"rac-scan.example.com","nodes":["rac1","rac2"],"jdbcStrings":["jdbc:oracle:thin:@//rac-scan.example.com:1522/racdb"],"oracleHome":"/u01/db","version":"19.3.0.0.0"}`,
			platform: "oracle", host: "rac-scan.example.com", db: "racdb", port: 1522, jdbc: "jdbc:oracle:thin:@//rac-scan.example.com:1522/racdb"},
		{json: `{"type":"OracleRACSourceConnectionInfo","databaseName":"racdb","nodes":["rac1"],"jdbcStrings":[]}`,
			platform: "oracle", db: "racdb"},
		{json: `{"type":"MSSqlSourceConnectionInfo","databaseName":"tpcc","host":"sql01","port":1433,"instanceName":"MSSQLSERVER","instanceJDBCString":"jdbc:sqlserver://sql01:1433","version":"13.0"}`,
			platform: "mssql", host: "sql01", db: "tpcc", port: 1433, jdbc: "jdbc:sqlserver://sql01:1433"},
		{json: `{"type":"ASESourceConnectionInfo","databaseName":"pubs","host":"ase01","port":5000,"user":"sa","jdbcString":"jdbc:sybase:Tds:ase01:5000/pubs","version":"16.0"}`,
			platform: "ase", host: "ase01", db: "pubs", user: "sa", port: 5000, jdbc: "jdbc:sybase:Tds:ase01:5000/pubs"},
		{json: `{"type":"PgSQLSourceConnectionInfo","host":"pg01","port":5433,"user":"postgres","jdbcString":"jdbc:postgresql://pg01:5433/patients","pgDataDirectory":"/mnt/data","version":"11.2"}`,
			platform: "postgres", host: "pg01", db: "patients", user: "postgres", port: 5433, jdbc: "jdbc:postgresql://pg01:5433/patients"},
		{json: `{"type":"MySQLSourceConnectionInfo","host":"my01","port":3306,"user":"root","jdbcString":"jdbc:mysql://my01:3306/","dataDirectory":"/var/lib/mysql","version":"8.0"}`,
			platform: "mysql", host: "my01", user: "root", port: 3306, jdbc: "jdbc:mysql://my01:3306/"},
		{json: `{"type":"AppDataSourceConnectionInfo","host":"files01","path":"/mnt/provision/vFiles","version":null}`,
			platform: "appdata", host: "files01"},
		{json: `null`},
	} {
		var ci ConnectionInfo
		require.NoError(t, json.Unmarshal([]byte(tc.json), &ci))
		t.Run(ci.Type, func(t *testing.T) {
			assert.Equal(t, tc.platform, ci.Platform())
			assert.Equal(t, tc.host, ci.HostName())
			assert.Equal(t, tc.db, ci.Database())
			assert.Equal(t, tc.user, ci.User)
			assert.Equal(t, tc.jdbc, ci.JDBC())
			port, ok := ci.PortNumber()
			assert.Equal(t, tc.port != 0, ok)
			assert.Equal(t, tc.port, port)
		})
	}
}
