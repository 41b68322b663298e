package state

import (
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// NewVDB provisions a VDB named name from a parent's snapshot (a private copy made through
// the DCT API): it holds contents, starts an INITIAL timeflow and has a first snapshot. The
// caller holds the lock.
func (e *State) NewVDB(name string, parent *DB, snap *Snapshot, contents *model.Contents, group string) (*DB, error) {
	if name == "" || e.dbByName(name) != nil {
		return nil, fmt.Errorf("a database named %q exists already", name)
	}
	plat := "appdata"
	for n, p := range platforms {
		if p == parent.Platform {
			plat = n
		}
	}
	d, err := e.newDB(model.SeedDatabase{Name: name, Platform: plat, Group: group, Connection: parent.Conn}, parent)
	if err != nil {
		return nil, err
	}
	d.Platform, d.PlatName, d.Zone = parent.Platform, parent.PlatName, parent.Zone
	d.Contents, d.LastRefreshed = contents.Clone(), snap
	e.NewTimeflow(d, "INITIAL", "DB_PROVISION", snap)
	var at time.Time
	if snap != nil {
		at = snap.DataTime
	}
	e.TakeSnapshot(d, at)
	return d, nil
}

// DeleteVDB forgets a VDB, its source, snapshots and timeflows. It refuses a VDB that a
// self-service object uses or that has children. The caller holds the lock.
func (e *State) DeleteVDB(d *DB) error {
	if d.Parent == nil {
		return fmt.Errorf("%q is a dSource, not a VDB", d.Name)
	}
	if e.ContainerUsing(d) != nil || len(e.TemplatesUsing(d)) > 0 {
		return fmt.Errorf("%q backs a self-service template or container", d.Name)
	}
	for _, x := range e.DBs {
		if x.Parent == d {
			return fmt.Errorf("%q has the child VDB %q", d.Name, x.Name)
		}
	}
	e.DBs = without(e.DBs, func(x *DB) bool { return x == d })
	e.Sources = without(e.Sources, func(s *Source) bool { return s == d.Src })
	e.Snapshots = without(e.Snapshots, func(s *Snapshot) bool { return s.DB == d })
	e.Timeflows = without(e.Timeflows, func(t *Timeflow) bool { return t.DB == d })
	for ref, o := range e.ByRef {
		switch x := o.(type) {
		case *DB:
			if x == d {
				delete(e.ByRef, ref)
			}
		case *Source:
			if x == d.Src {
				delete(e.ByRef, ref)
			}
		case *Snapshot:
			if x.DB == d {
				delete(e.ByRef, ref)
			}
		case *Timeflow:
			if x.DB == d {
				delete(e.ByRef, ref)
			}
		}
	}
	return nil
}

func without[T any](l []T, drop func(T) bool) []T {
	var out []T
	for _, x := range l {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}
