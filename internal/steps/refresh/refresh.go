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
	requireMasked = &cli.Key{Flag: "require-masked", Type: cli.Bool, Usage: "fail (exit 1) when nothing shows the VDB is masked (engine: its masked flag, a masking hook, an attached masking job; DCT: its masked flag, or a masking job that ran after the refresh and COMPLETED)"}
	maskingJob    = &cli.Key{Flag: "masking-job", Type: cli.String, Platforms: []string{cli.PlatformDCT}, Usage: "compliance (masking) job `NAME` to run on the VDB after the refresh (default: the one DCT relates to the VDB, if any)"}
)

// Step is the dx-refresh binary.
var Step = &cli.Step{
	Name:    "dx-refresh",
	Jenkins: "delphixRefresh",
	Usage:   "refresh a VDB from a snapshot of its parent",
	Description: `Refreshes the named VDB from --snapshot (the reference dx-sync printed) or, without it,
from its parent's latest snapshot, waits for the job, and prints what the VDB now holds.
A masking job or masking hook attached to the VDB runs inside the refresh; --require-masked fails the step
(exit 1) when nothing the engine shows says the VDB is masked: its masked flag, a
configure-clone hook that runs a masking job, an attached masking job.

On DCT (--platform dct) the refresh is refresh_by_snapshot from exactly that snapshot (or the parent's
latest), and since DCT never masks in a refresh, the VDB's compliance (masking) job runs after it: the one
--masking-job names, else the one DCT relates to the VDB.

Example: dx-refresh --vdb "Patients Masked Master" --snapshot APPDATA_SNAPSHOT-3 --require-masked`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{vdb, snapshot, requireMasked, maskingJob},
	Outputs:   []cli.Output{{Value: Result{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		o := options{vdb: in.String(vdb), snapshot: in.String(snapshot), requireMasked: in.Bool(requireMasked), maskingJob: in.String(maskingJob)}
		return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, o) }, nil
	},
}

type options struct {
	vdb, snapshot, maskingJob string
	requireMasked             bool
}

// Result is dx-refresh's output.
type Result struct {
	VDB              string   `json:"vdb"`
	VDBReference     string   `json:"vdbReference"`
	Source           string   `json:"source"`
	Snapshot         string   `json:"snapshot"`
	SnapshotTime     string   `json:"snapshotTime"`         // when the engine took the snapshot
	SnapshotDataTime string   `json:"snapshotDataTime"`     // the time of its data, in the source's zone
	Masked           bool     `json:"masked"`               // some evidence shows masking
	MaskingEvidence  []string `json:"maskingEvidence"`      // what the engine shows of it, [] for nothing
	MaskingJob       string   `json:"maskingJob,omitempty"` // engine: the first attached masking job; DCT: the one run after the refresh
	Job              string   `json:"job"`
	Recovered        bool     `json:"recovered,omitempty"` // the start's answer was lost; the job was found and followed
	// MaskedSnapshot is the VDB's snapshot of its masked data, the point data pods are to
	// get (dx-datapod --snapshot): on DCT the one taken after the masking job, on the engine
	// the one the refresh took (masking runs inside it). Empty when masking is not proven.
	MaskedSnapshot string `json:"maskedSnapshot,omitempty"`
}

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	if s.DCT != nil {
		return runDCT(ctx, s, o)
	}
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
	label := fmt.Sprintf("VDB %q", o.vdb)
	if err := stepkit.WaitIdle(ctx, s, vdb.Reference, label, time.Hour); err != nil {
		return nil, err
	}
	what := fmt.Sprintf("refresh of VDB %q from %s", o.vdb, snap.Reference)
	op, err := s.Do(ctx, what, stepkit.RetryBusy(ctx, s, vdb.Reference, label, time.Hour, func() (delphix.Operation, error) {
		return c.Databases.Refresh(ctx, vdb, delphix.RefreshPoint{Snapshot: snap.Reference})
	}))
	if err != nil {
		return nil, err
	}
	after, err := c.Databases.Get(ctx, vdb.Reference)
	if err != nil {
		return nil, err
	}
	res := Result{VDB: vdb.Name, VDBReference: vdb.Reference, Source: parent.Name, Snapshot: snap.Reference,
		SnapshotTime: snap.CreationTime, SnapshotDataTime: snap.DataTime(), Job: op.Job, Recovered: s.Recovered()}
	if res.MaskingEvidence, res.MaskingJob, err = stepkit.MaskingEvidence(ctx, c, after); err != nil {
		return nil, err
	}
	res.Masked = len(res.MaskingEvidence) > 0
	if res.Masked {
		if res.MaskedSnapshot, err = maskedSnapshot(ctx, c, after); err != nil {
			return nil, err
		}
	}
	if o.requireMasked && !res.Masked {
		return res, &cli.CheckError{Msg: fmt.Sprintf("VDB %q came out of the refresh (job %s) without masking applied: the engine does not mark it masked, "+
			"and it has no configure-clone masking hook and no masking job; attach one before it is used", o.vdb, op.Job)}
	}
	return res, nil
}

// maskedSnapshot is the snapshot the refresh took of the VDB's new data
// (masking ran inside the refresh), when the masking rule proves it: the
// point data pods are to get.
func maskedSnapshot(ctx context.Context, c *delphix.Client, vdb *delphix.Database) (string, error) {
	snaps, err := c.Snapshots.List(ctx, vdb.Reference)
	if err != nil || len(snaps) == 0 || snaps[0].Timeflow != vdb.CurrentTimeflow {
		return "", err
	}
	_, why, err := stepkit.ProveMasked(ctx, c, vdb, &snaps[0])
	if err != nil || why != "" {
		return "", err
	}
	return snaps[0].Reference, nil
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
