package dct

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSnapshotADSourceStartsAJobWithDefaultsOrTheGivenSettings(t *testing.T) {
	c, l := setup(t)
	prod := l.prod()
	l.forget()
	j, err := c.DSources.Snapshot(t.Context(), prod.ID, DSourceSnapshotParameters{})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{}, l.lastBody(), "{} asks for DCT's defaults")
	first := done(t, c)(j, err)
	j, err = c.DSources.Snapshot(t.Context(), prod.ID, DSourceSnapshotParameters{SyncStrategy: "new_backup", ForceFullBackup: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"sync_strategy": "new_backup", "force_full_backup": true}, l.lastBody())
	second := done(t, c)(j, err)
	assert.NotEqual(t, first.ID, second.ID)
	assert.Equal(t, "DB_SYNC", second.Type)
	var snapshots []string
	for _, line := range l.lines() {
		if line == "POST /dsources/"+prod.ID+"/snapshots" {
			snapshots = append(snapshots, line)
		}
	}
	assert.Len(t, snapshots, 2)
}

// An answer without a job is one the local engine never gives.
func TestASnapshotAnswerWithoutAJobIsAnError(t *testing.T) {
	c, _ := odd(t, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, obj{}) })
	_, err := c.DSources.Snapshot(t.Context(), "ds-1", DSourceSnapshotParameters{})
	require.ErrorContains(t, err, "answered without a job")
}

func TestGetAndFindADSource(t *testing.T) {
	c, l := setup(t)
	d, err := c.DSources.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"filter_expression": "name EQ 'Patients Prod'"}, l.lastBody())
	got, err := c.DSources.Get(t.Context(), d.ID)
	require.NoError(t, err)
	assert.Equal(t, DSource{ID: d.ID, Name: "Patients Prod", DatabaseType: "appdata", EngineID: "1", EngineName: "local-engine",
		Enabled: true, Status: "RUNNING", CurrentTimeflowID: d.CurrentTimeflowID, Tags: []Tag{}}, *got)
	assert.NotEmpty(t, got.CurrentTimeflowID)
}
