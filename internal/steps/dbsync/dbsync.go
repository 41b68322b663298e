// Package dbsync is dx-sync: snapshot a dSource and hand the new snapshot
// to the next stage.
package dbsync

import (
	"context"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/delphix"
	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/steps/stepkit"
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

Example: DELPHIX_PASSWORD=... dx-sync --engine https://delphix --user admin --database "Patients Prod"`,
	Platforms: []string{cli.PlatformEngine, cli.PlatformDCT},
	Keys:      []*cli.Key{database},
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
	if s.DCT != nil {
		return runDCT(ctx, s, name)
	}
	db, err := s.Client.Databases.FindByName(ctx, name)
	if err != nil {
		return nil, err
	}
	label := fmt.Sprintf("dSource %q", name)
	if err := stepkit.WaitIdle(ctx, s, db.Reference, label, time.Hour); err != nil {
		return nil, err
	}
	before, err := s.Client.Snapshots.List(ctx, db.Reference)
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("sync of %q", name)
	op, err := s.Do(ctx, what, stepkit.RetryBusy(ctx, s, db.Reference, label, time.Hour,
		func() (delphix.Operation, error) { return s.Client.Databases.Sync(ctx, db) }))
	if err != nil {
		return nil, err
	}
	after, err := s.Client.Snapshots.List(ctx, db.Reference)
	if err != nil {
		return nil, err
	}
	if len(after) == 0 || (len(before) > 0 && after[0].Reference == before[0].Reference) {
		return nil, fmt.Errorf("%s completed (job %s) but no new snapshot of %q appeared; look at the job on the engine", what, op.Job, name)
	}
	snap := after[0]
	s.Log.Printf("new snapshot %s (%s) of %q", snap.Reference, snap.Name, name)
	return Result{Database: db.Name, DatabaseReference: db.Reference, Snapshot: snap.Reference,
		SnapshotName: snap.Name, SnapshotTime: snap.CreationTime, SnapshotDataTime: snap.DataTime(), Job: op.Job, Recovered: s.Recovered()}, nil
}
