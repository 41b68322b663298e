package dct

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Timeflow is one line of a dataset's history: a VDB starts a new one at
// every refresh or rollback, and SwitchTimeflow makes an earlier one
// current again. In Jet Stream terms a timeflow is a branch.
type Timeflow struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	DatasetID           string `json:"dataset_id"`
	EngineID            string `json:"engine_id"`
	CreationType        string `json:"creation_type"` // INITIAL, REFRESH, ROLLBACK ...
	ParentSnapshotID    string `json:"parent_snapshot_id"`
	IsActive            bool   `json:"is_active"`
	CreationTimestamp   string `json:"creation_timestamp"`
	ActivationTimestamp string `json:"activation_timestamp"`
	Tags                []Tag  `json:"tags"`
}

// TimeflowsService lists, renames and deletes timeflows.
type TimeflowsService service

// Get returns GET /timeflows/{id}.
func (s *TimeflowsService) Get(ctx context.Context, id string) (*Timeflow, error) {
	var tf Timeflow
	if err := s.client.get(ctx, pathOf("timeflows", id), &tf); err != nil {
		return nil, err
	}
	return &tf, nil
}

// OfDataset returns every timeflow of a dSource or VDB, oldest first.
func (s *TimeflowsService) OfDataset(ctx context.Context, datasetID string) ([]Timeflow, error) {
	lit, ok := quote(datasetID)
	if !ok || datasetID == "" {
		return nil, fmt.Errorf("dct: dataset id %q cannot be searched for", datasetID)
	}
	all, err := collect[Timeflow](ctx, s.client, "/timeflows", "dataset_id EQ "+lit, "creation_timestamp")
	if err != nil {
		return nil, err
	}
	var out []Timeflow
	for _, tf := range all {
		if tf.DatasetID == datasetID {
			out = append(out, tf)
		}
	}
	return out, nil
}

// Rename names a timeflow (PATCH /timeflows/{id}); wait for the job.
func (s *TimeflowsService) Rename(ctx context.Context, id, name string) (*Job, error) {
	if name == "" {
		return nil, errors.New("dct: a timeflow needs a name")
	}
	body := struct {
		Name string `json:"name"`
	}{name}
	return s.client.startJob(ctx, http.MethodPatch, pathOf("timeflows", id), body)
}

// Delete deletes a timeflow that is not its dataset's current one.
func (s *TimeflowsService) Delete(ctx context.Context, id string) (*Job, error) {
	return s.client.startJob(ctx, http.MethodDelete, pathOf("timeflows", id), noBody)
}
