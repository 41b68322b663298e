package stepkit

import (
	"testing"

	"github.com/dxsteps/dxsteps/dct"

	"github.com/stretchr/testify/assert"
)

func TestToolsGetOnlyTheConnectionDetailsTheEngineGave(t *testing.T) {
	oracle := Connection{Platform: "oracle", Host: "db01", Database: "testdx", Port: 1521,
		JDBC: "jdbc:oracle:thin:@//db01:1521/testdx", Version: "12.1.0.2.0"}
	assert.Equal(t, []string{"DX_DB_PLATFORM=oracle", "DX_DB_HOST=db01", "DX_DB_PORT=1521", "DX_DB_NAME=testdx",
		"DX_DB_JDBC=jdbc:oracle:thin:@//db01:1521/testdx", "DX_DB_VERSION=12.1.0.2.0"}, oracle.Env(), "no DX_DB_USER: Oracle gives none")

	mssql := Connection{Platform: "mssql", Host: "sql01", Database: "tpcc", Instance: "MSSQLSERVER"}
	assert.Equal(t, []string{"DX_DB_PLATFORM=mssql", "DX_DB_HOST=sql01", "DX_DB_NAME=tpcc", "DX_DB_INSTANCE=MSSQLSERVER"}, mssql.Env(),
		"no DX_DB_PORT=0 when the engine gives no port")

	assert.Empty(t, Connection{}.Env())
}

func TestOnDCTThePortComesFromTheJDBCURLAndNoUserIsMadeUp(t *testing.T) {
	for jdbc, port := range map[string]int{
		"jdbc:postgresql://pg01:5434/pod1":                                               5434,
		"jdbc:oracle:thin:@db01:1521/ORCL":                                               1521,
		"jdbc:oracle:thin:@//db01:1522/svc":                                              1522,
		"jdbc:sybase:Tds:ase01:5000/pubs":                                                5000,
		"jdbc:sqlserver://sql01:1433":                                                    1433,
		"jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=scan)(PORT=1521)))": 0,
		"": 0,
	} {
		assert.Equal(t, port, jdbcPort(jdbc), jdbc)
	}
	cn := DCTConnection(&dct.VDB{DatabaseType: "postgres", IPAddress: "10.0.0.5", DatabaseName: "pod1",
		JDBCConnectionString: "jdbc:postgresql://10.0.0.5:5434/pod1"})
	assert.Equal(t, []string{"DX_DB_PLATFORM=postgres", "DX_DB_HOST=10.0.0.5", "DX_DB_PORT=5434", "DX_DB_NAME=pod1",
		"DX_DB_JDBC=jdbc:postgresql://10.0.0.5:5434/pod1"}, cn.Env())
}

func TestDCTPlatformIsNamedAsTheEngineNamesIt(t *testing.T) {
	for want, in := range map[string][2]string{
		"postgres": {"AppData", "jdbc:postgresql://h:5432/db"}, // the PostgreSQL toolkit: the engine shows PgSQL
		"oracle":   {"Oracle", ""},
		"mssql":    {"MSSQL", "jdbc:sqlserver://h:1433"},
		"ase":      {"ASE", "jdbc:sybase:Tds:h:5000/db"},
		"appdata":  {"AppData", ""}, // another toolkit, no JDBC URL
	} {
		assert.Equal(t, want, DCTPlatform(in[0], in[1]), in)
	}
	assert.Equal(t, "mysql", DCTPlatform("", "jdbc:mysql://h:3306/db"))
}
