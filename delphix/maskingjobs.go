package delphix

import (
	"context"
	"net/url"
)

// MaskingJob is a masking job known to the engine; one associated with a
// VDB runs on every provision and refresh of it.
type MaskingJob struct {
	Type                string `json:"type"`
	Reference           string `json:"reference"`
	Name                string `json:"name"`
	AssociatedContainer string `json:"associatedContainer"`
}

// MaskingJobsService reads masking jobs.
type MaskingJobsService service

// ListForContainer returns the masking jobs tied to a container
// (GET /maskingjob?container=).
func (s *MaskingJobsService) ListForContainer(ctx context.Context, dbRef string) ([]MaskingJob, error) {
	var jobs []MaskingJob
	_, err := s.client.call(ctx, "GET", withQuery("/maskingjob", url.Values{"container": {dbRef}}), nil, &jobs)
	return jobs, err
}
