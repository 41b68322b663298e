package dct

import (
	"context"
	"net/http"
)

// DSource is a linked source database: the production copy DCT syncs.
type DSource struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	DatabaseType      string `json:"database_type"`
	EngineID          string `json:"engine_id"`
	EngineName        string `json:"engine_name"`
	Enabled           bool   `json:"enabled"`
	Status            string `json:"status"`
	CurrentTimeflowID string `json:"current_timeflow_id"`
	Tags              []Tag  `json:"tags"`
}

// DSourceSnapshotParameters are the optional settings of a dSource
// snapshot; the zero value asks for DCT's defaults.
type DSourceSnapshotParameters struct {
	// SyncStrategy (MSSQL, ASE): latest_backup, new_backup or specific_backup.
	SyncStrategy string `json:"sync_strategy,omitempty"`
	// ForceFullBackup (Oracle) takes a full backup instead of an incremental one.
	ForceFullBackup bool `json:"force_full_backup,omitempty"`
	// DoubleSync (Oracle) runs the sync twice.
	DoubleSync bool `json:"double_sync,omitempty"`
	// SkipSpaceCheck (Oracle) skips the free space check.
	SkipSpaceCheck bool `json:"skip_space_check,omitempty"`
}

// DSourcesService reads and snapshots dSources.
type DSourcesService service

var dsourceLookup = lookup[DSource]{kind: "dSource", path: "/dsources",
	nameOf: func(d *DSource) string { return d.Name }, idOf: func(d *DSource) string { return d.ID }}

// Get returns GET /dsources/{id}.
func (s *DSourcesService) Get(ctx context.Context, id string) (*DSource, error) {
	var d DSource
	if err := s.client.get(ctx, pathOf("dsources", id), &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// FindByName returns the one dSource named exactly name, or a *NameError.
func (s *DSourcesService) FindByName(ctx context.Context, name string) (*DSource, error) {
	return findByName(ctx, s.client, dsourceLookup, name)
}

// Snapshot starts a snapshot (a sync) of the dSource. The job does not name
// the new snapshot: after it completes, Snapshots.Latest finds it.
func (s *DSourcesService) Snapshot(ctx context.Context, id string, p DSourceSnapshotParameters) (*Job, error) {
	return s.client.startJob(ctx, http.MethodPost, pathOf("dsources", id, "snapshots"), p)
}
