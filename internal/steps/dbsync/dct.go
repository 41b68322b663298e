package dbsync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

// runDCT snapshots the dSource through DCT: POST /dsources/{id}/snapshots
// with DCT's defaults, then the dSource's newest snapshot is the new one.
func runDCT(ctx context.Context, s *cli.Session, name string) (any, error) {
	c := s.DCT
	ds, err := c.DSources.FindByName(ctx, name)
	if err != nil {
		return nil, err
	}
	label := fmt.Sprintf("dSource %q", name)
	if err := stepkit.WaitIdleDCT(ctx, s, ds.ID, label, time.Hour); err != nil {
		return nil, err
	}
	before, err := c.Snapshots.Latest(ctx, ds.ID)
	if err != nil && !errors.Is(err, dct.ErrNotFound) {
		return nil, err
	}
	what := fmt.Sprintf("sync of %q", name)
	job, err := s.DoDCT(ctx, what, func() (*dct.Job, error) {
		return stepkit.StartAfterAbandonedDCT(ctx, s, label, time.Hour, []string{ds.ID}, func() (*dct.Job, error) {
			return stepkit.StartDCT(ctx, s, ds.ID, what, func() (*dct.Job, error) {
				return c.DSources.Snapshot(ctx, ds.ID, dct.DSourceSnapshotParameters{})
			})
		})
	})
	if err != nil {
		return nil, err
	}
	snap, err := c.Snapshots.Latest(ctx, ds.ID)
	if err != nil && !errors.Is(err, dct.ErrNotFound) {
		return nil, err
	}
	if snap == nil || (before != nil && snap.ID == before.ID) {
		return nil, fmt.Errorf("%s completed (job %s) but no new snapshot of %q appeared; look at the job in DCT", what, job.ID, name)
	}
	s.Log.Printf("new snapshot %s (%s) of %q", snap.ID, snap.Name, name)
	return Result{Database: ds.Name, DatabaseReference: ds.ID, Snapshot: snap.ID, SnapshotName: snap.Name,
		SnapshotTime: snap.CreationTime, SnapshotDataTime: snap.DataTime(), Job: job.ID, Recovered: s.Recovered()}, nil
}
