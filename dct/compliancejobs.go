package dct

import (
	"context"
	"net/http"
)

// ComplianceJob is a masking (or discovery, tokenization) job on a
// compliance engine.
type ComplianceJob struct {
	ID                         string `json:"id"`
	Name                       string `json:"name"`
	Type                       string `json:"type"` // MASKING, DISCOVERY, TOKENIZATION, REIDENTIFICATION
	EngineID                   string `json:"engine_id"`
	EngineName                 string `json:"engine_name"`
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

// Execute runs the compliance job. DCT has no refresh-with-masking: the
// pipeline runs it against the master after the refresh. The returned
// job's ExecutionID names the masking execution.
func (s *ComplianceJobsService) Execute(ctx context.Context, id string) (*Job, error) {
	return s.client.startJob(ctx, http.MethodPost, pathOf("compliance-jobs", id, "execute"), emptyBody)
}
