// Package refresh is dx-refresh: refresh a VDB from a given snapshot of
// its parent (or the latest one), and check it came out masked.
package refresh

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/httpapi"
	"github.com/dxsteps/dxsteps/internal/platform"
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

With --dry-run it resolves the VDB, the snapshot and the masking job, checks --require-masked against what
the platform shows now, and plans the refresh (and on DCT the masking job and the snapshot after it).

Example: dx-refresh --vdb "Patients Masked Master" --snapshot APPDATA_SNAPSHOT-3 --require-masked`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{vdb, snapshot, requireMasked, maskingJob, cli.DryRun},
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

// busyWait is how long a refresh waits for a job already on the VDB, or
// for the engine work of one DCT abandoned.
const busyWait = time.Hour

func run(ctx context.Context, s *cli.Session, o options) (any, error) {
	p := platform.Of(s)
	m := platform.Pick[masking](s, &maskedInRefresh{s}, &maskedAfterRefresh{s: s})
	vdb, err := p.FindVDB(ctx, o.vdb, cli.Usagef("%q is a dSource, not a VDB: name the VDB to refresh", o.vdb))
	if err != nil {
		return nil, err
	}
	if vdb.Parent == "" {
		return nil, fmt.Errorf("%s shows no parent of VDB %q: it cannot be refreshed from a snapshot", p.Words().Name, o.vdb)
	}
	parent, err := p.Get(ctx, vdb.Parent)
	if err != nil {
		return nil, fmt.Errorf("the parent %s of VDB %q: %w", vdb.Parent, o.vdb, err)
	}
	snap, err := pickSnapshot(ctx, p, o, vdb, parent)
	if err != nil {
		return nil, err
	}
	if err := m.choose(ctx, o, vdb); err != nil {
		return nil, err
	}
	label := fmt.Sprintf("VDB %q", o.vdb)
	if err := p.WaitIdle(ctx, label, busyWait, vdb.Reference); err != nil {
		return nil, err
	}
	what := fmt.Sprintf("refresh of VDB %q from %s", o.vdb, snap.Reference)
	job, err := p.Refresh(ctx, vdb, snap, platform.JobSpec{What: what, Label: label, Targets: []string{vdb.Reference}, BusyWait: busyWait,
		Action: cli.Action{Action: "refresh", Object: "VDB", Name: vdb.Name, Reference: vdb.Reference,
			Parameters: map[string]string{"snapshot": snap.Reference, "from": parent.Name}}})
	if err != nil {
		return nil, err
	}
	res := Result{VDB: vdb.Name, VDBReference: vdb.Reference, Source: parent.Name, Snapshot: snap.Reference,
		SnapshotTime: snap.CreationTime, SnapshotDataTime: snap.DataTime, MaskingEvidence: []string{}, Job: job.ID}
	if err := m.mask(ctx, o, vdb, job, &res); err != nil {
		return nil, err
	}
	res.Masked, res.Recovered = len(res.MaskingEvidence) > 0, s.Recovered()
	if o.requireMasked && !res.Masked {
		return res, &cli.CheckError{Msg: m.unmasked(o, job)}
	}
	return res, nil
}

// pickSnapshot returns the snapshot named by --snapshot, which must belong
// to the VDB's parent, or the parent's latest.
func pickSnapshot(ctx context.Context, p platform.Platform, o options, vdb, parent *platform.Dataset) (*platform.Snapshot, error) {
	if o.snapshot == "" {
		snap, err := p.LatestSnapshot(ctx, parent.Reference)
		if err == nil && snap == nil {
			return nil, fmt.Errorf("%q, the parent of VDB %q, has no snapshot yet: run dx-sync first", parent.Name, vdb.Name)
		}
		return snap, err
	}
	snap, err := p.GetSnapshot(ctx, o.snapshot)
	if errors.Is(err, httpapi.ErrNotFound) {
		return nil, cli.Usagef("no snapshot %q: pass the snapshot %s dx-sync printed", o.snapshot, p.Words().Ref)
	}
	if err != nil {
		return nil, err
	}
	if snap.Dataset != parent.Reference {
		return nil, cli.Usagef("snapshot %s belongs to %s, not to %q, the parent of VDB %q: refusing to refresh from it", snap.Reference, snap.Dataset, parent.Name, vdb.Name)
	}
	return snap, nil
}
