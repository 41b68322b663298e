package stepkit

import (
	"testing"

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
