// Package dbsync is dx-sync: snapshot a dSource and hand the new snapshot
// to the next stage.
package dbsync

import (
	"context"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/platform"
)

var database = &cli.Key{Flag: "database", Type: cli.String, Mandatory: true, Usage: "dSource `NAME` (exact), e.g. 'Patients Prod'"}

// Step is the dx-sync binary.
var Step = &cli.Step{
	Name:    "dx-sync",
	Jenkins: "delphixSync",
	Usage:   "snapshot a dSource and print the new snapshot",
	Description: `Takes a snapshot of the named dSource with the sync parameters its platform needs,
waits for the job, and prints the new snapshot for dx-refresh --snapshot.

On DCT (--platform dct) it snapshots the dSource with DCT's defaults (POST /dsources/{id}/snapshots)
and prints the dSource's newest snapshot afterwards: the snapshot is its id.

With --dry-run it finds the dSource and plans the sync, takes no snapshot, and prints no snapshot.

Example: DELPHIX_PASSWORD=... dx-sync --engine https://delphix --user admin --database "Patients Prod"`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{database, cli.DryRun},
	Outputs:   []cli.Output{{Value: Result{}}},
	Parse: func(in *cli.Input) (cli.Runner, error) {
		name := in.String(database)
		return func(ctx context.Context, s *cli.Session) (any, error) { return run(ctx, s, name) }, nil
	},
}

// Result is dx-sync's output.
type Result struct {
	Database          string `json:"database"`
	DatabaseReference string `json:"databaseReference"`
	Snapshot          string `json:"snapshot"`
	SnapshotName      string `json:"snapshotName"`
	SnapshotTime      string `json:"snapshotTime"`     // when the engine took the snapshot
	SnapshotDataTime  string `json:"snapshotDataTime"` // the time of its data, in the source's zone
	Job               string `json:"job"`
	Recovered         bool   `json:"recovered,omitempty"` // the start's answer was lost; the job was found and followed
}

func run(ctx context.Context, s *cli.Session, name string) (any, error) {
	p := platform.Of(s)
	db, err := p.FindSource(ctx, name)
	if err != nil {
		return nil, err
	}
	label := fmt.Sprintf("dSource %q", name)
	if err := p.WaitIdle(ctx, label, time.Hour, db.Reference); err != nil {
		return nil, err
	}
	before, err := p.LatestSnapshot(ctx, db.Reference)
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("sync of %q", name)
	job, err := p.Sync(ctx, db, platform.JobSpec{What: what, Label: label, Targets: []string{db.Reference}, BusyWait: time.Hour,
		Action: cli.Action{Action: "sync", Object: "dSource", Name: db.Name, Reference: db.Reference}})
	if err != nil {
		return nil, err
	}
	res := Result{Database: db.Name, DatabaseReference: db.Reference, Job: job.ID, Recovered: job.Recovered}
	if job.Planned {
		return res, nil // no new snapshot: the plan took none
	}
	snap, err := p.LatestSnapshot(ctx, db.Reference)
	if err != nil {
		return nil, err
	}
	if snap == nil || (before != nil && snap.Reference == before.Reference) {
		return nil, fmt.Errorf("%s completed (job %s) but no new snapshot of %q appeared; look at the job %s", what, job.ID, name, p.Words().Where)
	}
	s.Log.Printf("new snapshot %s (%s) of %q", snap.Reference, snap.Name, name)
	res.Snapshot, res.SnapshotName, res.SnapshotTime, res.SnapshotDataTime = snap.Reference, snap.Name, snap.CreationTime, snap.DataTime
	return res, nil
}
