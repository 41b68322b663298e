// Package refresh is dx-refresh: refresh a VDB from a given snapshot of
// its parent (or the latest one), and check it came out masked.
package refresh

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
)

var (
	vdb           = &cli.Key{Flag: "vdb", Type: cli.String, Mandatory: true, Usage: "VDB `NAME` (exact), e.g. 'Patients Masked Master'"}
	snapshot      = &cli.Key{Flag: "snapshot", Type: cli.String, Usage: "snapshot `REFERENCE` of the VDB's parent, as dx-sync printed it (default: its latest)"}
	requireMasked = &cli.Key{Flag: "require-masked", Type: cli.Bool, Usage: "fail (exit 1) unless the VDB comes out masked, with a masking job attached"}
)

// Step is the dx-refresh binary.
var Step = &cli.Step{
	Name:    "dx-refresh",
	Jenkins: "delphixRefresh",
	Usage:   "refresh a VDB from a snapshot of its parent",
	Description: `Refreshes the named VDB from --snapshot (the reference dx-sync printed) or, without it,
from its parent's latest snapshot, waits for the job, and prints what the VDB now holds.
A masking job attached to the VDB runs inside the refresh; --require-masked fails the step
(exit 1) when the VDB comes out unmasked.

Example: dx-refresh --vdb "Patients Masked Master" --snapshot APPDATA_SNAPSHOT-3 --require-masked`,
	Keys:    []*cli.Key{vdb, snapshot, requireMasked},
	Outputs: []cli.Output{{Value: Result{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{vdb: in.String(vdb), snapshot: in.String(snapshot), requireMasked: in.Bool(requireMasked)}
		return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, o) }, nil
	},
}

type options struct {
	vdb, snapshot string
	requireMasked bool
}

// Result is dx-refresh's output.
type Result struct {
	VDB          string `json:"vdb"`
	VDBReference string `json:"vdbReference"`
	Source       string `json:"source"`
	Snapshot     string `json:"snapshot"`
	SnapshotTime string `json:"snapshotTime"`
	Masked       bool   `json:"masked"`
	MaskingJob   string `json:"maskingJob,omitempty"`
	Job          string `json:"job"`
}

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	c := s.Client
	vdb, err := c.Databases.FindByName(ctx, o.vdb)
	if err != nil {
		return nil, err
	}
	if !vdb.IsVDB() {
		return nil, cli.Usagef("%q is a dSource, not a VDB: name the VDB to refresh", o.vdb)
	}
	parent, err := c.Databases.Get(ctx, vdb.ProvisionContainer)
	if err != nil {
		return nil, err
	}
	snap, err := pickSnapshot(ctx, c, o, vdb, parent)
	if err != nil {
		return nil, err
	}
	if err := stepkit.WaitIdle(ctx, s, vdb.Reference, fmt.Sprintf("VDB %q", o.vdb), time.Hour); err != nil {
		return nil, err
	}
	what := fmt.Sprintf("refresh of VDB %q from %s", o.vdb, snap.Reference)
	op, err := s.Do(ctx, what, func() (delphix.Operation, error) {
		return c.Databases.Refresh(ctx, vdb, delphix.RefreshPoint{Snapshot: snap.Reference})
	})
	if err != nil {
		return nil, err
	}
	after, err := c.Databases.Get(ctx, vdb.Reference)
	if err != nil {
		return nil, err
	}
	res := Result{VDB: vdb.Name, VDBReference: vdb.Reference, Source: parent.Name, Snapshot: snap.Reference,
		SnapshotTime: snap.CreationTime, Masked: after.Masked, Job: op.Job}
	masking, err := c.MaskingJobs.ListForContainer(ctx, vdb.Reference)
	if err != nil && !errors.Is(err, delphix.ErrNotFound) {
		return nil, err
	}
	if len(masking) > 0 {
		res.MaskingJob = masking[0].Name
	}
	if o.requireMasked && (!res.Masked || res.MaskingJob == "") {
		return res, &cli.CheckError{Msg: fmt.Sprintf("VDB %q came out of the refresh (job %s) without masking applied: attach a masking job to it before it is used", o.vdb, op.Job)}
	}
	return res, nil
}

// pickSnapshot returns the snapshot named by --snapshot, which must belong
// to the VDB's parent, or the parent's latest.
func pickSnapshot(ctx context.Context, c *delphix.Client, o options, vdb, parent *delphix.Database) (*delphix.Snapshot, error) {
	if o.snapshot == "" {
		snaps, err := c.Snapshots.List(ctx, parent.Reference)
		if err != nil {
			return nil, err
		}
		if len(snaps) == 0 {
			return nil, fmt.Errorf("%q, the parent of VDB %q, has no snapshot yet: run dx-sync first", parent.Name, vdb.Name)
		}
		return &snaps[0], nil
	}
	snap, err := c.Snapshots.Get(ctx, o.snapshot)
	if errors.Is(err, delphix.ErrNotFound) {
		return nil, cli.Usagef("no snapshot %q: pass the snapshot reference dx-sync printed", o.snapshot)
	}
	if err != nil {
		return nil, err
	}
	if snap.Container != parent.Reference {
		return nil, cli.Usagef("snapshot %s belongs to %s, not to %q, the parent of VDB %q: refusing to refresh from it", snap.Reference, snap.Container, parent.Name, vdb.Name)
	}
	return snap, nil
}
