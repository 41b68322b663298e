package dct

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLatestAsksForTheNewestNonTemporarySnapshotOfTheDataset(t *testing.T) {
	c, f := setup(t)
	f.on("POST /snapshots/search", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "1", r.URL.Query().Get("limit"))
		assert.Equal(t, "-timestamp", r.URL.Query().Get("sort"))
		writeJSON(w, http.StatusOK, items("more", obj{"id": "snap-9", "dataset_id": "ds-1", "timestamp": "2026-11-30T05:10:00Z",
			"temporary": false, "expiration": "2026-12-30", "consistency": "CONSISTENT"}))
	})
	s, err := c.Snapshots.Latest(t.Context(), "ds-1")
	require.NoError(t, err)
	assert.Equal(t, "snap-9", s.ID)
	assert.Equal(t, "2026-12-30", s.Expiration)
	assert.Equal(t, map[string]any{"filter_expression": "dataset_id EQ 'ds-1' AND temporary EQ false"}, f.lastBody())
	assert.Len(t, f.reqs(), 1, "one page is enough")
}

func TestADatasetWithoutSnapshotsIsNotFound(t *testing.T) {
	c, f := setup(t)
	f.answer("POST /snapshots/search", http.StatusOK, items(""))
	_, err := c.Snapshots.Latest(t.Context(), "ds-1")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, "dct: not found: dataset ds-1 has no snapshot", err.Error())
}

func TestGetASnapshot(t *testing.T) {
	c, f := setup(t)
	f.answer("GET /snapshots/{id}", http.StatusOK, obj{"id": "snap-1", "dataset_id": "vdb-1", "retain_forever": true})
	s, err := c.Snapshots.Get(t.Context(), "snap-1")
	require.NoError(t, err)
	assert.True(t, s.RetainForever)
}

func TestDataTimeIsTheTimestampInTheSourcesZone(t *testing.T) {
	for _, tc := range []struct{ ts, zone, want string }{
		{"2026-11-30T05:10:00Z", "Europe/Paris", "2026-11-30T06:10:00.000+01:00"},
		{"2026-11-30T05:10:00.5Z", "America/New_York,EST-0500", "2026-11-30T00:10:00.500-05:00"},
		{"2026-11-30T05:10:00Z", "UTC", "2026-11-30T05:10:00.000Z"},
		{"2026-11-30T05:10:00Z", "", "2026-11-30T05:10:00Z"},
		{"2026-11-30T05:10:00Z", "Nowhere/Special", "2026-11-30T05:10:00Z"},
		{"", "UTC", ""},
	} {
		s := Snapshot{Timestamp: tc.ts, Timezone: tc.zone}
		assert.Equal(t, tc.want, s.DataTime(), "%s in %q", tc.ts, tc.zone)
	}
}
