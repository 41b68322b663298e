package dct

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSnapshotADSourceStartsAJobWithDefaultsOrTheGivenSettings(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /dsources/{id}/snapshots", http.StatusOK, jobAnswer("job-1"))
	j, err := c.DSources.Snapshot(t.Context(), "ds-1", DSourceSnapshotParameters{})
	require.NoError(t, err)
	assert.Equal(t, "job-1", j.ID)
	assert.Equal(t, map[string]any{}, f.lastBody(), "{} asks for DCT's defaults")
	_, err = c.DSources.Snapshot(t.Context(), "ds-1", DSourceSnapshotParameters{SyncStrategy: "new_backup", ForceFullBackup: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"sync_strategy": "new_backup", "force_full_backup": true}, f.lastBody())
	assert.Equal(t, []string{"POST /dsources/ds-1/snapshots", "POST /dsources/ds-1/snapshots"}, f.lines())
}

func TestASnapshotAnswerWithoutAJobIsAnError(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /dsources/{id}/snapshots", http.StatusOK, obj{})
	_, err := c.DSources.Snapshot(t.Context(), "ds-1", DSourceSnapshotParameters{})
	require.ErrorContains(t, err, "answered without a job")
}

func TestGetAndFindADSource(t *testing.T) {
	c, f := setup(t)
	prod := obj{"id": "ds-1", "name": "Patients Prod", "engine_id": "eng-1", "enabled": true, "current_timeflow_id": "tf-1"}
	f.answer("GET /dsources/{id}", http.StatusOK, prod)
	f.answer("POST /dsources/search", http.StatusOK, items("", prod))
	d, err := c.DSources.Get(t.Context(), "ds-1")
	require.NoError(t, err)
	assert.Equal(t, DSource{ID: "ds-1", Name: "Patients Prod", EngineID: "eng-1", Enabled: true, CurrentTimeflowID: "tf-1"}, *d)
	d, err = c.DSources.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	assert.Equal(t, "ds-1", d.ID)
	assert.Equal(t, map[string]any{"filter_expression": "name EQ 'Patients Prod'"}, f.lastBody())
}
