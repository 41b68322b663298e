package engine

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorkshopYAMLEqualsWorkshopSeed(t *testing.T) {
	s, err := LoadSeed(filepath.Join("testdata", "workshop.yaml"))
	require.NoError(t, err)
	assert.Equal(t, WorkshopSeed(), s)
}

func TestLoadSeedRejectsUnknownKeysAndBadEstates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	_, err := LoadSeed(write("typo.yaml", "userz: []\n"))
	assert.ErrorContains(t, err, "userz")

	s, err := LoadSeed(write("orphan.yaml", "vdbs:\n  - {name: v, parent: missing}\n"))
	require.NoError(t, err)
	_, err = New(Options{Seed: s})
	assert.ErrorContains(t, err, `parent "missing"`)
}

func TestASeedCanDeclareOracleMSSQLAndASEDatabases(t *testing.T) {
	e := start(t, Options{Seed: allPlatformsSeed()})
	c := login(t, e, "delphix_admin", "1.11.9")
	types := map[string]string{}
	for _, d := range c.list("/database") {
		types[d["name"].(string)] = d["type"].(string)
	}
	assert.Equal(t, "OracleDatabaseContainer", types["Orders QA"])
	assert.Equal(t, "MSSqlDatabaseContainer", types["Billing Prod"])
	assert.Equal(t, "ASEDBContainer", types["Ledger QA"])
	assert.Len(t, dataset(t, e, "Ledger QA").Contents.Rows, 5)
}

func TestEverySeedFileStartsAnEngine(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	require.NoError(t, err)
	platforms := map[string]bool{}
	for _, f := range files {
		s, err := LoadSeed(f)
		require.NoError(t, err, f)
		e := start(t, Options{Seed: s})
		c := login(t, e, "delphix_admin", "1.11.9")
		for _, d := range c.list("/database") {
			platforms[d["type"].(string)] = true
		}
		for _, src := range c.list("/source") {
			ci := c.get("/source/" + src["reference"].(string) + "/connectionInfo")
			platforms[ci["type"].(string)] = true
		}
	}
	for _, p := range []string{"AppDataContainer", "OracleDatabaseContainer", "MSSqlDatabaseContainer", "ASEDBContainer",
		"OracleSISourceConnectionInfo", "OracleRACSourceConnectionInfo"} {
		assert.True(t, platforms[p], "no seed file has a %s", p)
	}
}
