package refresh

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// busyWaitDCT is how long a refresh on DCT waits for a job already on the
// VDB, or for the engine work of one DCT abandoned.
const busyWaitDCT = time.Hour

// runDCT refreshes the VDB through DCT with refresh_by_snapshot from
// exactly the chosen snapshot of its parent. DCT never masks in a refresh,
// so the VDB's compliance (masking) job runs after it, when one is named
// or DCT relates one to the VDB.
func runDCT(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.DCT
	vdb, err := stepkit.FindVDBDCT(ctx, c, o.vdb, cli.Usagef("%q is a dSource, not a VDB: name the VDB to refresh", o.vdb))
	if err != nil {
		return nil, err
	}
	if vdb.ParentID == "" {
		return nil, fmt.Errorf("DCT shows no parent of VDB %q: it cannot be refreshed from a snapshot", o.vdb)
	}
	parent, err := parentName(ctx, c, vdb.ParentID)
	if err != nil {
		return nil, err
	}
	snap, err := pickSnapshotDCT(ctx, c, o, vdb, parent)
	if err != nil {
		return nil, err
	}
	mask, err := maskingJobDCT(ctx, s, o, vdb)
	if err != nil {
		return nil, err
	}
	label := fmt.Sprintf("VDB %q", o.vdb)
	if err := stepkit.WaitIdleDCT(ctx, s, vdb.ID, label, busyWaitDCT); err != nil {
		return nil, err
	}
	what := fmt.Sprintf("refresh of VDB %q from %s", o.vdb, snap.ID)
	job, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
		return stepkit.StartAfterAbandonedDCT(ctx, s, label, busyWaitDCT, []string{vdb.ID}, func() (*dct.Job, error) {
			return stepkit.StartDCT(ctx, s, vdb.ID, what, func() (*dct.Job, error) { return c.VDBs.RefreshBySnapshot(ctx, vdb.ID, snap.ID) })
		})
	})
	if err != nil {
		return nil, err
	}
	res := Result{VDB: vdb.Name, VDBReference: vdb.ID, Source: parent, Snapshot: snap.ID, SnapshotTime: snap.CreationTime,
		SnapshotDataTime: snap.DataTime(), MaskingEvidence: []string{}, Job: job.ID, Recovered: s.Recovered()}
	if mask != nil {
		mwhat := fmt.Sprintf("masking job %q on VDB %q", mask.Name, o.vdb)
		mjob, err := s.DoDCT(ctx, mwhat, func() (*dct.Job, error) {
			return stepkit.StartAfterAbandonedDCT(ctx, s, label, busyWaitDCT, []string{vdb.ID}, func() (*dct.Job, error) {
				return stepkit.StartDCT(ctx, s, vdb.ID, mwhat, func() (*dct.Job, error) { return c.ComplianceJobs.Execute(ctx, mask.ID) })
			})
		})
		if err != nil {
			return nil, fmt.Errorf("VDB %q was refreshed (job %s) but NOT masked: %w", o.vdb, job.ID, err)
		}
		res.MaskingJob = mask.Name
		res.MaskingEvidence = append(res.MaskingEvidence, fmt.Sprintf("compliance job %q ran after the refresh and %s (job %s)", mask.Name, mjob.Status, mjob.ID))
		// The masking job changed the VDB in place, after the refresh's own snapshot: without a
		// snapshot now, a pod refreshed from this VDB's latest snapshot gets the unmasked data.
		swhat := fmt.Sprintf("snapshot of masked VDB %q", o.vdb)
		if _, err := s.DoDCT(ctx, swhat, func() (*dct.Job, error) {
			return stepkit.StartAfterAbandonedDCT(ctx, s, label, busyWaitDCT, []string{vdb.ID}, func() (*dct.Job, error) {
				return stepkit.StartDCT(ctx, s, vdb.ID, swhat, func() (*dct.Job, error) { return c.VDBs.Snapshot(ctx, vdb.ID) })
			})
		}); err != nil {
			return nil, fmt.Errorf("VDB %q was refreshed and masked, but its masked data could not be snapshotted, so pods would get unmasked data: %w", o.vdb, err)
		}
		latest, err := c.Snapshots.Latest(ctx, vdb.ID)
		if err != nil {
			return nil, err
		}
		res.MaskedSnapshot = latest.ID
		s.Log.Printf("masked data of VDB %q is snapshot %s", o.vdb, latest.ID)
	}
	after, err := c.VDBs.Get(ctx, vdb.ID)
	if err != nil {
		return nil, err
	}
	if after.Masked {
		res.MaskingEvidence = append(res.MaskingEvidence, "DCT marks the VDB masked")
	}
	res.Masked, res.Recovered = len(res.MaskingEvidence) > 0, s.Recovered()
	if o.requireMasked && !res.Masked {
		return res, &cli.CheckError{Msg: fmt.Sprintf("VDB %q came out of the refresh (job %s) without masking applied: DCT does not mark it masked, "+
			"and no compliance job is configured for it; name one with --%s before it is used", o.vdb, job.ID, maskingJob.Flag)}
	}
	return res, nil
}

// parentName is the name of the VDB's parent, a dSource or a VDB.
func parentName(ctx context.Context, c *dct.Client, id string) (string, error) {
	d, err := c.DSources.Get(ctx, id)
	if err == nil {
		return d.Name, nil
	}
	if !errors.Is(err, dct.ErrNotFound) {
		return "", err
	}
	v, err := c.VDBs.Get(ctx, id)
	if err != nil {
		return "", fmt.Errorf("the parent %s of the VDB: %w", id, err)
	}
	return v.Name, nil
}

// pickSnapshotDCT returns the snapshot --snapshot names, which must be of
// the VDB's parent, or the parent's latest.
func pickSnapshotDCT(ctx context.Context, c *dct.Client, o options, vdb *dct.VDB, parent string) (*dct.Snapshot, error) {
	if o.snapshot == "" {
		snap, err := c.Snapshots.Latest(ctx, vdb.ParentID)
		if errors.Is(err, dct.ErrNotFound) {
			return nil, fmt.Errorf("%q, the parent of VDB %q, has no snapshot yet: run dx-sync first", parent, vdb.Name)
		}
		return snap, err
	}
	snap, err := c.Snapshots.Get(ctx, o.snapshot)
	if errors.Is(err, dct.ErrNotFound) {
		return nil, cli.Usagef("no snapshot %q: pass the snapshot id dx-sync printed", o.snapshot)
	}
	if err != nil {
		return nil, err
	}
	if snap.DatasetID != vdb.ParentID {
		return nil, cli.Usagef("snapshot %s belongs to %s, not to %q, the parent of VDB %q: refusing to refresh from it", snap.ID, snap.DatasetID, parent, vdb.Name)
	}
	return snap, nil
}

// maskingJobDCT is the compliance job to run after the refresh: the one
// --masking-job names, else the one DCT relates to the VDB (its
// dataset_id), else none.
func maskingJobDCT(ctx context.Context, s *cli.Session, o options, vdb *dct.VDB) (*dct.ComplianceJob, error) {
	c := s.DCT
	if o.maskingJob != "" {
		j, err := c.ComplianceJobs.FindByName(ctx, o.maskingJob)
		if err != nil {
			return nil, err
		}
		if j.Type != "" && j.Type != "MASKING" && j.Type != "TOKENIZATION" {
			return nil, cli.Usagef("compliance job %q is a %s job, which does not mask: name a masking job with --%s", j.Name, j.Type, maskingJob.Flag)
		}
		return j, nil
	}
	all, err := c.ComplianceJobs.ForDataset(ctx, vdb.ID)
	if err != nil {
		return nil, err
	}
	var masking []dct.ComplianceJob
	for _, j := range all {
		if j.Type == "" || j.Type == "MASKING" {
			masking = append(masking, j)
		}
	}
	switch len(masking) {
	case 0:
		return nil, nil
	case 1:
		s.Log.Printf("compliance job %q masks VDB %q: it runs after the refresh", masking[0].Name, vdb.Name)
		return &masking[0], nil
	}
	return nil, cli.Usagef("%d masking jobs are configured for VDB %q: name the one to run with --%s", len(masking), vdb.Name, maskingJob.Flag)
}
