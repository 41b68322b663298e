package delphix

import (
	"context"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// Snapshot is a TimeflowSnapshot of any platform.
type Snapshot struct {
	Type              string `json:"type"`
	Reference         string `json:"reference"`
	Name              string `json:"name"`
	Container         string `json:"container"`
	Timeflow          string `json:"timeflow"`
	CreationTime      string `json:"creationTime"` // when the engine took it, by the engine's clock
	Timezone          string `json:"timezone"`     // the source's zone then, e.g. "Europe/Dublin,IST+0100"
	LatestChangePoint struct {
		Timestamp string `json:"timestamp"`
		Location  string `json:"location"`
	} `json:"latestChangePoint"`
}

// DataTime returns the time of the snapshot's data (latestChangePoint's
// timestamp), which can be well before CreationTime for MSSQL, ASE and
// AppData. It is given in the source's zone, with that zone's offset
// ("2016-09-30T11:41:10.654+01:00", the time the snapshot's name shows), or
// as the engine wrote it when Timezone carries no offset. It is "" when the
// engine gave no data time.
func (s *Snapshot) DataTime() string {
	ts := s.LatestChangePoint.Timestamp
	m := zoneOffset.FindStringSubmatch(s.Timezone)
	t, err := time.Parse(time.RFC3339Nano, ts)
	if m == nil || err != nil {
		return ts
	}
	hours, _ := strconv.Atoi(m[2])
	minutes, _ := strconv.Atoi(m[3])
	offset := hours*3600 + minutes*60
	if m[1] == "-" {
		offset = -offset
	}
	return t.In(time.FixedZone(m[0], offset)).Format("2006-01-02T15:04:05.000Z07:00")
}

// zoneOffset is the UTC offset at the end of a snapshot's timezone.
var zoneOffset = regexp.MustCompile(`([+-])(\d{2})(\d{2})$`)

// SnapshotsService lists snapshots.
type SnapshotsService service

// List returns the container's snapshots, newest first (the engine's own
// order differs between versions, so the client sorts by creationTime).
func (s *SnapshotsService) List(ctx context.Context, dbRef string) ([]Snapshot, error) {
	var snaps []Snapshot
	if _, err := s.client.call(ctx, "GET", withQuery("/snapshot", url.Values{"database": {dbRef}}), nil, &snaps); err != nil {
		return nil, err
	}
	sort.SliceStable(snaps, func(i, j int) bool { return snaps[i].CreationTime > snaps[j].CreationTime })
	return snaps, nil
}

// Get returns GET /snapshot/{ref}.
func (s *SnapshotsService) Get(ctx context.Context, ref string) (*Snapshot, error) {
	var snap Snapshot
	if _, err := s.client.call(ctx, "GET", "/snapshot/"+url.PathEscape(ref), nil, &snap); err != nil {
		return nil, err
	}
	return &snap, nil
}
