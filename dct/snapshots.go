package dct

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Snapshot is a point in a dataset's (dSource's or VDB's) history that
// VDBs can be refreshed or provisioned from.
type Snapshot struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	DatasetID  string `json:"dataset_id"`
	EngineID   string `json:"engine_id"`
	TimeflowID string `json:"timeflow_id"`
	Timestamp  string `json:"timestamp"` // the time of the data, RFC 3339
	// Timezone is the source's time zone: an IANA name, optionally with the
	// engine's ",ABBR-0700" suffix.
	Timezone               string `json:"timezone"`
	CreationTime           string `json:"creation_time"`
	Location               string `json:"location"`
	Consistency            string `json:"consistency"`
	Temporary              bool   `json:"temporary"`
	Expiration             string `json:"expiration"` // a date, YYYY-MM-DD
	RetainForever          bool   `json:"retain_forever"`
	EffectiveExpiration    string `json:"effective_expiration"`
	EffectiveRetainForever bool   `json:"effective_retain_forever"`
	Tags                   []Tag  `json:"tags"`
}

// DataTime is Timestamp in the source's zone, with that zone's offset
// ("2026-11-30T06:10:00.000+01:00"), as the engine client's
// Snapshot.DataTime gives it; Timestamp as DCT wrote it when the zone is
// unknown, "" when DCT gave no timestamp.
func (s *Snapshot) DataTime() string {
	t, err := time.Parse(time.RFC3339Nano, s.Timestamp)
	if err != nil {
		return s.Timestamp
	}
	name, _, _ := strings.Cut(s.Timezone, ",")
	var loc *time.Location
	if m := zoneOffset.FindStringSubmatch(s.Timezone); m != nil {
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		off := h*3600 + mi*60
		if m[1] == "-" {
			off = -off
		}
		loc = time.FixedZone(m[0], off)
	} else if l, err := time.LoadLocation(strings.TrimSpace(name)); err == nil && name != "" {
		loc = l
	} else {
		return s.Timestamp
	}
	return t.In(loc).Format("2006-01-02T15:04:05.000Z07:00")
}

// zoneOffset is the UTC offset at the end of an engine-style time zone.
var zoneOffset = regexp.MustCompile(`([+-])(\d{2})(\d{2})$`)

// SnapshotsService reads snapshots.
type SnapshotsService service

// Get returns GET /snapshots/{id}.
func (s *SnapshotsService) Get(ctx context.Context, id string) (*Snapshot, error) {
	var sn Snapshot
	if err := s.client.get(ctx, pathOf("snapshots", id), &sn); err != nil {
		return nil, err
	}
	return &sn, nil
}

// Latest returns the newest (by timestamp) non-temporary snapshot of the
// dataset (a dSource or VDB id). None is ErrNotFound.
func (s *SnapshotsService) Latest(ctx context.Context, datasetID string) (*Snapshot, error) {
	lit, ok := quote(datasetID)
	if !ok || datasetID == "" {
		return nil, fmt.Errorf("dct: dataset id %q cannot be searched for", datasetID)
	}
	sn, err := first[Snapshot](ctx, s.client, "/snapshots", "dataset_id EQ "+lit+" AND temporary EQ false", "-timestamp")
	if err != nil {
		return nil, err
	}
	if sn == nil || sn.DatasetID != datasetID {
		return nil, fmt.Errorf("%w: dataset %s has no snapshot", ErrNotFound, datasetID)
	}
	return sn, nil
}
