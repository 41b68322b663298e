package dct

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLatestAsksForTheNewestNonTemporarySnapshotOfTheDataset(t *testing.T) {
	c, l := setup(t)
	prod := l.prod()
	want := done(t, c)(c.DSources.Snapshot(t.Context(), prod.ID, DSourceSnapshotParameters{}))
	l.forget()
	s, err := c.Snapshots.Latest(t.Context(), prod.ID)
	require.NoError(t, err)
	assert.Equal(t, prod.ID, s.DatasetID)
	assert.Equal(t, "CONSISTENT", s.Consistency)
	assert.GreaterOrEqual(t, s.CreationTime, want.StartTime, "the snapshot the job just took")
	assert.Equal(t, map[string]any{"filter_expression": "dataset_id EQ '" + prod.ID + "' AND temporary EQ false"}, l.lastBody())
	assert.Equal(t, "limit=1&sort=-timestamp", l.reqs()[0].Query)
	assert.Len(t, l.reqs(), 1, "one page is enough")
}

func TestADatasetWithoutSnapshotsIsNotFound(t *testing.T) {
	c, _ := setup(t)
	_, err := c.Snapshots.Latest(t.Context(), "ds-1")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, "dct: not found: dataset ds-1 has no snapshot", err.Error())
}

func TestGetASnapshot(t *testing.T) {
	c, l := setup(t)
	pod := l.vdb("prep1 DB")
	latest, err := c.Snapshots.Latest(t.Context(), pod.ID)
	require.NoError(t, err)
	s, err := c.Snapshots.Get(t.Context(), latest.ID)
	require.NoError(t, err)
	assert.Equal(t, pod.ID, s.DatasetID)
	assert.False(t, s.RetainForever)
	assert.NotEmpty(t, s.DataTime())
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
