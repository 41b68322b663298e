package delphix

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSnapshotDataTimeIsInTheSourcesZone uses snapshots as engines recorded
// them: the data time is latestChangePoint's, shown at the source's offset,
// which is the time the snapshot's name carries.
func TestSnapshotDataTimeIsInTheSourcesZone(t *testing.T) {
	for _, tc := range []struct {
		name, created, point, zone, want string
	}{
		{"@2016-09-30T11:41:10.654", "2016-09-30T10:41:10.654Z", "2016-09-30T10:41:10.654Z", "Europe/Dublin,IST+0100", "2016-09-30T11:41:10.654+01:00"},
		{"@2017-03-08T17:36:21.000", "2017-03-08T17:39:15.706Z", "2017-03-08T17:36:21.000Z", "Europe/London,GMT+0000", "2017-03-08T17:36:21.000Z"},
		{"@2017-03-08T14:32:54.703", "2017-03-08T14:34:01.198Z", "2017-03-08T14:32:54.703Z", "America/New_York,EST-0500", "2017-03-08T09:32:54.703-05:00"},
		{"@2017-03-08T14:32:54.703", "2017-03-08T14:34:01.198Z", "2017-03-08T14:32:54.703Z", "", "2017-03-08T14:32:54.703Z"},
		{"@2017-03-08T14:32:54.703", "2017-03-08T14:34:01.198Z", "", "Etc/UTC,UTC+0000", ""},
	} {
		s := Snapshot{Name: tc.name, CreationTime: tc.created, Timezone: tc.zone}
		s.LatestChangePoint.Timestamp = tc.point
		assert.Equal(t, tc.want, s.DataTime(), "%s %s", tc.point, tc.zone)
	}
}
