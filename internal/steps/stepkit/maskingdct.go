package stepkit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dxsteps/dxsteps/dct"
)

// dataJobsDCT are the DCT job types that replace a VDB's data.
var dataJobsDCT = []string{"DB_REFRESH", "DB_PROVISION", "DB_ROLLBACK", "DB_UNDO"}

// ProveMaskedDCT applies DCT's rule (see the top of masking.go) to snapshot
// snap of VDB vdb. It returns the evidence when the snapshot is proven
// masked, else why it is not.
func ProveMaskedDCT(ctx context.Context, c *dct.Client, vdb *dct.VDB, snap *dct.Snapshot) ([]string, string, error) {
	taken, err := time.Parse(time.RFC3339Nano, snap.CreationTime)
	if err != nil {
		return nil, "", fmt.Errorf("snapshot %s has no creation time DCT can be read by: %q", snap.ID, snap.CreationTime)
	}
	jobs, err := c.Jobs.Recent(ctx, vdb.ID, 1000)
	if err != nil {
		return nil, "", err
	}
	masking, err := c.ComplianceJobs.ForDataset(ctx, vdb.ID)
	if err != nil {
		return nil, "", err
	}
	for _, m := range masking {
		run, err := c.Jobs.Recent(ctx, m.ID, 1000)
		if err != nil {
			return nil, "", err
		}
		jobs = append(jobs, run...)
	}
	var data *dct.Job
	var dataStart time.Time
	for i, j := range jobs {
		start, err := time.Parse(time.RFC3339Nano, j.StartTime)
		if err == nil && slices.Contains(dataJobsDCT, j.Type) && !start.After(taken) && (data == nil || start.After(dataStart)) {
			data, dataStart = &jobs[i], start
		}
	}
	if data != nil && data.Status != dct.JobCompleted {
		return nil, fmt.Sprintf("its data comes from %s job %s on VDB %q, which is %s", data.Type, data.ID, vdb.Name, data.Status), nil
	}
	for _, j := range jobs {
		start, err1 := time.Parse(time.RFC3339Nano, j.StartTime)
		end, err2 := time.Parse(time.RFC3339Nano, j.UpdateTime)
		if err1 != nil || err2 != nil || j.Status != dct.JobCompleted || (j.ExecutionID == "" && j.Type != "MASKING_JOB_EXECUTE") {
			continue
		}
		if (data == nil || !start.Before(dataStart)) && !end.After(taken) {
			return []string{fmt.Sprintf("masking job %s ran after the data's refresh and COMPLETED before the snapshot", j.ID)}, "", nil
		}
	}
	switch {
	case len(masking) == 0 && vdb.Masked:
		return []string{"DCT marks the VDB masked"}, "", nil
	case data == nil && vdb.Masked:
		return []string{"DCT marks the VDB masked, and shows no refresh of it since it was provisioned"}, "", nil
	case len(masking) == 0:
		return nil, fmt.Sprintf("DCT does not mark VDB %q masked and no compliance (masking) job is configured for it", vdb.Name), nil
	case data != nil:
		return nil, fmt.Sprintf("no masking job on VDB %q COMPLETED between its %s job %s and the snapshot", vdb.Name, data.Type, data.ID), nil
	}
	return nil, fmt.Sprintf("no masking job on VDB %q COMPLETED before the snapshot", vdb.Name), nil
}
