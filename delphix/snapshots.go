package delphix

import (
	"context"
	"net/url"
	"sort"
)

// Snapshot is a TimeflowSnapshot of any platform.
type Snapshot struct {
	Type              string `json:"type"`
	Reference         string `json:"reference"`
	Name              string `json:"name"`
	Container         string `json:"container"`
	Timeflow          string `json:"timeflow"`
	CreationTime      string `json:"creationTime"`
	LatestChangePoint struct {
		Timestamp string `json:"timestamp"`
		Location  string `json:"location"`
	} `json:"latestChangePoint"`
}

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
