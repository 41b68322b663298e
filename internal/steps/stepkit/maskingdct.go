package stepkit

import (
	"context"
	"errors"
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

// flaggedMaskedDCT is the evidence left to an account that may not read the
// master's history (the full rule cannot be applied): DCT's masked flag on
// each of the VDBs that hold the data.
func flaggedMaskedDCT(ctx context.Context, c *dct.Client, vdbIDs []string, unreadable error) ([]string, string, error) {
	if len(vdbIDs) == 0 {
		return nil, unreadableWhy(unreadable), nil
	}
	for _, id := range vdbIDs {
		v, err := c.VDBs.Get(ctx, id)
		if err != nil {
			return nil, unreadableWhy(unreadable), nil
		}
		if !v.Masked {
			return nil, fmt.Sprintf("DCT does not mark VDB %q masked, and this account may not read where its data came from (%v)", v.Name, unreadable), nil
		}
	}
	return []string{"DCT marks the VDBs masked (this account may not read the master's history)"}, "", nil
}

func proveTimeflowDCT(ctx context.Context, c *dct.Client, timeflowID string) ([]string, string, error) {
	for depth := 0; depth < maxDescent; depth++ {
		tf, err := c.Timeflows.Get(ctx, timeflowID)
		if err != nil {
			return nil, "", err
		}
		if tf.ParentSnapshotID == "" {
			return nil, fmt.Sprintf("timeflow %s of %s shows no parent snapshot to trace to a proven one", tf.ID, tf.DatasetID), nil
		}
		snap, err := c.Snapshots.Get(ctx, tf.ParentSnapshotID)
		if err != nil {
			return nil, "", err
		}
		if snap.DatasetID == tf.DatasetID {
			timeflowID = snap.TimeflowID // a rollback to its own earlier data
			continue
		}
		master, err := c.VDBs.Get(ctx, snap.DatasetID)
		if errors.Is(err, dct.ErrNotFound) {
			return nil, fmt.Sprintf("it descends from snapshot %s of %s, which is not a VDB this account sees", snap.ID, snap.DatasetID), nil
		}
		if err != nil {
			return nil, "", err
		}
		evidence, why, err := ProveMaskedDCT(ctx, c, master, snap)
		if why != "" {
			why = fmt.Sprintf("it descends from snapshot %s of %q: %s", snap.ID, master.Name, why)
		} else {
			evidence = append(evidence, fmt.Sprintf("descends from snapshot %s of %q", snap.ID, master.Name))
		}
		return evidence, why, err
	}
	return nil, fmt.Sprintf("its data descends through more than %d timeflows", maxDescent), nil
}

// ProveBookmarkDCT applies DCT's rule to a bookmark's data: its timeflow's.
// A shared (PUBLIC) bookmark whose lineage this account may not read (QA,
// a developer) counts as proven by its publication, which dx-bookmark
// create --shared checks.
func ProveBookmarkDCT(ctx context.Context, c *dct.Client, bm *dct.Bookmark) ([]string, string, error) {
	if bm.TimeflowID == "" {
		return nil, fmt.Sprintf("DCT shows no timeflow of bookmark %q to trace its data by", bm.Name), nil
	}
	evidence, why, err := proveTimeflowDCT(ctx, c, bm.TimeflowID)
	if (errors.Is(err, dct.ErrNotFound) || errors.Is(err, dct.ErrForbidden)) && bm.BookmarkType == dct.BookmarkPublic {
		return []string{publishedEvidence}, "", nil
	}
	if errors.Is(err, dct.ErrNotFound) || errors.Is(err, dct.ErrForbidden) {
		ids := bm.VDBIDs
		for _, v := range bm.VDBs {
			if !slices.Contains(ids, v.ID) {
				ids = append(ids, v.ID)
			}
		}
		return flaggedMaskedDCT(ctx, c, ids, err)
	}
	return evidence, why, err
}

// publishedEvidence is why a shared bookmark of unreadable lineage counts.
const publishedEvidence = "a shared bookmark, checked when it was published; this account may not read its lineage"

// ProveCurrentDCT applies DCT's rule to a VDB's current data: traced through
// its timeflow to the master's snapshot it came from (a pod), or, for a VDB
// fed by a dSource (the master itself), its newest snapshot, which must be
// on its current timeflow.
func ProveCurrentDCT(ctx context.Context, c *dct.Client, vdb *dct.VDB) ([]string, string, error) {
	evidence, why, err := proveCurrentDCT(ctx, c, vdb)
	if errors.Is(err, dct.ErrNotFound) || errors.Is(err, dct.ErrForbidden) {
		return flaggedMaskedDCT(ctx, c, []string{vdb.ID}, err)
	}
	return evidence, why, err
}

func proveCurrentDCT(ctx context.Context, c *dct.Client, vdb *dct.VDB) ([]string, string, error) {
	tf, err := c.Timeflows.Get(ctx, vdb.CurrentTimeflowID)
	if err != nil {
		return nil, "", err
	}
	if tf.ParentSnapshotID != "" {
		parent, err := c.Snapshots.Get(ctx, tf.ParentSnapshotID)
		if err != nil {
			return nil, "", err
		}
		if _, err := c.VDBs.Get(ctx, parent.DatasetID); err == nil || parent.DatasetID == vdb.ID {
			return proveTimeflowDCT(ctx, c, tf.ID)
		}
	}
	snap, err := c.Snapshots.Latest(ctx, vdb.ID)
	if errors.Is(err, dct.ErrNotFound) {
		return nil, fmt.Sprintf("VDB %q has no snapshot of its current data", vdb.Name), nil
	}
	if err != nil {
		return nil, "", err
	}
	if snap.TimeflowID != vdb.CurrentTimeflowID {
		return nil, fmt.Sprintf("VDB %q has no snapshot of its current timeflow %s", vdb.Name, vdb.CurrentTimeflowID), nil
	}
	return ProveMaskedDCT(ctx, c, vdb, snap)
}
