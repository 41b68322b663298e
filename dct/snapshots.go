package dct

import (
	"context"
	"fmt"
)

// Snapshot is a point in a dataset's (dSource's or VDB's) history that
// VDBs can be refreshed or provisioned from.
type Snapshot struct {
	ID                     string `json:"id"`
	Name                   string `json:"name"`
	DatasetID              string `json:"dataset_id"`
	EngineID               string `json:"engine_id"`
	TimeflowID             string `json:"timeflow_id"`
	Timestamp              string `json:"timestamp"`
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
