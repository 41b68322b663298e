package platform

import (
	"context"
	"errors"
	"fmt"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/dxsteps/dxsteps/delphix"
)

// Dataset is a dSource or a VDB, as the steps see it on either platform.
type Dataset struct {
	Name string
	// Reference is the engine's reference or DCT's id.
	Reference string
	// Parent is the reference of the dataset a VDB was provisioned from;
	// empty for a dSource.
	Parent string
	// Engine and DCT are the platform's own object: the one of the
	// session's platform is set (DCT: nil for a dSource).
	Engine *delphix.Database
	DCT    *dct.VDB
}

// Snapshot is a snapshot of a dataset, on either platform.
type Snapshot struct {
	Reference, Name string
	// Dataset is the reference of the dataset it is a snapshot of.
	Dataset string
	// CreationTime is when it was taken; DataTime the time of its data, in
	// the source's zone.
	CreationTime, DataTime string
	Engine                 *delphix.Snapshot
	DCT                    *dct.Snapshot
}

// Datasets finds dSources, VDBs and their snapshots, and changes them.
type Datasets interface {
	// FindSource is the dSource a sync names (on the engine, any
	// dataset of that name, as the engine syncs both).
	FindSource(ctx context.Context, name string) (*Dataset, error)
	// FindVDB is the VDB named name; when a dSource has that name, it
	// returns isDSource, the step's own usage error: a step that changes
	// a VDB never acts on production.
	FindVDB(ctx context.Context, name string, isDSource error) (*Dataset, error)
	// Get is the dataset ref names.
	Get(ctx context.Context, ref string) (*Dataset, error)
	// LatestSnapshot is the dataset's newest snapshot; nil (and no error)
	// when it has none.
	LatestSnapshot(ctx context.Context, ref string) (*Snapshot, error)
	// GetSnapshot is the snapshot ref names; an error matching
	// httpapi.ErrNotFound when there is none.
	GetSnapshot(ctx context.Context, ref string) (*Snapshot, error)
	// Sync snapshots the dSource (Jobs.Run, with a plan).
	Sync(ctx context.Context, source *Dataset, j JobSpec) (Job, error)
	// Refresh refreshes the VDB from exactly snap (Jobs.Run, with a plan).
	Refresh(ctx context.Context, vdb *Dataset, snap *Snapshot, j JobSpec) (Job, error)
	// TakeSnapshot snapshots the VDB (Jobs.Run, with a plan).
	TakeSnapshot(ctx context.Context, vdb *Dataset, j JobSpec) (Job, error)
}

// On the engine.

func engineDataset(d *delphix.Database) *Dataset {
	return &Dataset{Name: d.Name, Reference: d.Reference, Parent: d.ProvisionContainer, Engine: d}
}

func engineSnapshot(s *delphix.Snapshot) *Snapshot {
	return &Snapshot{Reference: s.Reference, Name: s.Name, Dataset: s.Container, CreationTime: s.CreationTime, DataTime: s.DataTime(), Engine: s}
}

func (e engine) FindSource(ctx context.Context, name string) (*Dataset, error) {
	d, err := e.s.Client.Databases.FindByName(ctx, name)
	if err != nil {
		return nil, err
	}
	return engineDataset(d), nil
}

func (e engine) FindVDB(ctx context.Context, name string, isDSource error) (*Dataset, error) {
	d, err := e.s.Client.Databases.FindByName(ctx, name)
	if err != nil {
		return nil, err
	}
	if !d.IsVDB() {
		return nil, isDSource
	}
	return engineDataset(d), nil
}

func (e engine) Get(ctx context.Context, ref string) (*Dataset, error) {
	d, err := e.s.Client.Databases.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	return engineDataset(d), nil
}

func (e engine) LatestSnapshot(ctx context.Context, ref string) (*Snapshot, error) {
	snaps, err := e.s.Client.Snapshots.List(ctx, ref)
	if err != nil || len(snaps) == 0 {
		return nil, err
	}
	return engineSnapshot(&snaps[0]), nil
}

func (e engine) GetSnapshot(ctx context.Context, ref string) (*Snapshot, error) {
	s, err := e.s.Client.Snapshots.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	return engineSnapshot(s), nil
}

func (e engine) Sync(ctx context.Context, source *Dataset, j JobSpec) (Job, error) {
	j.Engine = func() (delphix.Operation, error) { return e.s.Client.Databases.Sync(ctx, source.Engine) }
	return e.Run(ctx, j)
}

func (e engine) Refresh(ctx context.Context, vdb *Dataset, snap *Snapshot, j JobSpec) (Job, error) {
	j.Engine = func() (delphix.Operation, error) {
		return e.s.Client.Databases.Refresh(ctx, vdb.Engine, delphix.RefreshPoint{Snapshot: snap.Reference})
	}
	return e.Run(ctx, j)
}

func (e engine) TakeSnapshot(ctx context.Context, vdb *Dataset, j JobSpec) (Job, error) {
	j.Engine = func() (delphix.Operation, error) { return e.s.Client.Databases.Sync(ctx, vdb.Engine) }
	return e.Run(ctx, j)
}

// On DCT.

func dctVDB(v *dct.VDB) *Dataset {
	return &Dataset{Name: v.Name, Reference: v.ID, Parent: v.ParentID, DCT: v}
}

func dctSnapshot(s *dct.Snapshot) *Snapshot {
	return &Snapshot{Reference: s.ID, Name: s.Name, Dataset: s.DatasetID, CreationTime: s.CreationTime, DataTime: s.DataTime(), DCT: s}
}

func (d dctPlatform) FindSource(ctx context.Context, name string) (*Dataset, error) {
	ds, err := d.s.DCT.DSources.FindByName(ctx, name)
	if err != nil {
		return nil, err
	}
	return &Dataset{Name: ds.Name, Reference: ds.ID}, nil
}

func (d dctPlatform) FindVDB(ctx context.Context, name string, isDSource error) (*Dataset, error) {
	c := d.s.DCT
	vdb, err := c.VDBs.FindByName(ctx, name)
	var miss *dct.NameError
	if err != nil && errors.As(err, &miss) && len(miss.Matches) == 0 {
		if _, derr := c.DSources.FindByName(ctx, name); derr == nil {
			return nil, isDSource
		}
	}
	if err != nil {
		return nil, err
	}
	return dctVDB(vdb), nil
}

// Get is the dSource or the VDB id names.
func (d dctPlatform) Get(ctx context.Context, id string) (*Dataset, error) {
	c := d.s.DCT
	ds, err := c.DSources.Get(ctx, id)
	if err == nil {
		return &Dataset{Name: ds.Name, Reference: ds.ID}, nil
	}
	if !errors.Is(err, dct.ErrNotFound) {
		return nil, err
	}
	v, err := c.VDBs.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", id, err)
	}
	return dctVDB(v), nil
}

func (d dctPlatform) LatestSnapshot(ctx context.Context, id string) (*Snapshot, error) {
	s, err := d.s.DCT.Snapshots.Latest(ctx, id)
	if errors.Is(err, dct.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return dctSnapshot(s), nil
}

func (d dctPlatform) GetSnapshot(ctx context.Context, id string) (*Snapshot, error) {
	s, err := d.s.DCT.Snapshots.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return dctSnapshot(s), nil
}

func (d dctPlatform) Sync(ctx context.Context, source *Dataset, j JobSpec) (Job, error) {
	j.DCT = func() (*dct.Job, error) {
		return d.s.DCT.DSources.Snapshot(ctx, source.Reference, dct.DSourceSnapshotParameters{})
	}
	return d.Run(ctx, j)
}

func (d dctPlatform) Refresh(ctx context.Context, vdb *Dataset, snap *Snapshot, j JobSpec) (Job, error) {
	j.DCT = func() (*dct.Job, error) { return d.s.DCT.VDBs.RefreshBySnapshot(ctx, vdb.Reference, snap.Reference) }
	return d.Run(ctx, j)
}

func (d dctPlatform) TakeSnapshot(ctx context.Context, vdb *Dataset, j JobSpec) (Job, error) {
	j.DCT = func() (*dct.Job, error) { return d.s.DCT.VDBs.Snapshot(ctx, vdb.Reference) }
	return d.Run(ctx, j)
}
