package dct

import (
	"context"
	"fmt"
	"net/http"
)

// ComplianceJob is a masking (or discovery, tokenization) job on a
// compliance engine.
type ComplianceJob struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"` // MASKING, DISCOVERY, TOKENIZATION, REIDENTIFICATION
	EngineID   string `json:"engine_id"`
	EngineName string `json:"engine_name"`
	// DatasetID is the dataset the job masks, where DCT says (Hyperscale
	// jobs; the local engine says it for every job attached to a VDB).
	DatasetID                  string `json:"dataset_id"`
	LastExecutionID            string `json:"last_execution_id"`
	LastExecutionStatus        string `json:"last_execution_status"` // PENDING ... SUCCEEDED, WARNING
	LastCompletedExecutionDate string `json:"last_completed_execution_date"`
	Tags                       []Tag  `json:"tags"`
}

// ComplianceJobsService finds and runs masking jobs.
type ComplianceJobsService service

var complianceJobLookup = lookup[ComplianceJob]{kind: "compliance job", path: "/compliance-jobs",
	nameOf: func(j *ComplianceJob) string { return j.Name }, idOf: func(j *ComplianceJob) string { return j.ID }}

// Get returns GET /compliance-jobs/{id}.
func (s *ComplianceJobsService) Get(ctx context.Context, id string) (*ComplianceJob, error) {
	var j ComplianceJob
	if err := s.client.get(ctx, pathOf("compliance-jobs", id), &j); err != nil {
		return nil, err
	}
	return &j, nil
}

// FindByName returns the one compliance job named exactly name, or a *NameError.
func (s *ComplianceJobsService) FindByName(ctx context.Context, name string) (*ComplianceJob, error) {
	return findByName(ctx, s.client, complianceJobLookup, name)
}

// ForDataset returns the compliance jobs whose dataset_id is the given
// dataset (a VDB id): the masking configured for it, as far as DCT tells.
// A standard masking job names no dataset: name it with FindByName.
func (s *ComplianceJobsService) ForDataset(ctx context.Context, datasetID string) ([]ComplianceJob, error) {
	lit, ok := quote(datasetID)
	if !ok || datasetID == "" {
		return nil, fmt.Errorf("dct: dataset id %q cannot be searched for", datasetID)
	}
	all, err := collect[ComplianceJob](ctx, s.client, "/compliance-jobs", "dataset_id EQ "+lit, "")
	if err != nil {
		return nil, err
	}
	var mine []ComplianceJob
	for _, j := range all {
		if j.DatasetID == datasetID {
			mine = append(mine, j)
		}
	}
	return mine, nil
}

// Execute runs the compliance job. DCT has no refresh-with-masking: the
// pipeline runs it against the master after the refresh. The returned
// job's ExecutionID names the masking execution.
func (s *ComplianceJobsService) Execute(ctx context.Context, id string) (*Job, error) {
	return s.client.startJob(ctx, http.MethodPost, pathOf("compliance-jobs", id, "execute"), emptyBody)
}
