package state

import "github.com/dxsteps/dxsteps/test/engine/internal/model"

// The datasets as the test API (package testhttp) reads and changes them, each call under
// the lock.

// datasetContents finds a dataset's live contents, its kind and reference. A container's
// contents are its active branch's (its VDB's); a template's are its data source VDB's.
func (e *State) datasetContents(name string) (*DB, string, string, bool) {
	for _, c := range e.Containers {
		if c.Name == name {
			return c.DS.DB, "container", c.Ref, true
		}
	}
	for _, t := range e.Templates {
		if t.Name == name {
			return t.DS.DB, "template", t.Ref, true
		}
	}
	if d := e.dbByName(name); d != nil {
		kind := "vdb"
		if d.Parent == nil {
			kind = "dsource"
		}
		return d, kind, d.Ref, true
	}
	return nil, "", "", false
}

// Datasets lists every dataset: dSources and VDBs, then templates, then containers.
func (e *State) Datasets() []model.DatasetRef {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	out := []model.DatasetRef{}
	for _, d := range e.DBs {
		_, kind, ref, _ := e.datasetContents(d.Name)
		out = append(out, model.DatasetRef{Name: d.Name, Kind: kind, Reference: ref})
	}
	for _, t := range e.Templates {
		out = append(out, model.DatasetRef{Name: t.Name, Kind: "template", Reference: t.Ref})
	}
	for _, c := range e.Containers {
		out = append(out, model.DatasetRef{Name: c.Name, Kind: "container", Reference: c.Ref})
	}
	return out
}

func (e *State) datasetNamed(name string) (model.Dataset, error) {
	d, kind, ref, ok := e.datasetContents(name)
	if !ok {
		return model.Dataset{}, model.NotFound("no dataset named %q", name)
	}
	return model.Dataset{Name: name, Kind: kind, Reference: ref, Contents: *d.Contents.Clone(), Connection: d.Conn}, nil
}

// Dataset returns a dataset (dSource, VDB, container or template) by name, as the test API
// shows it; the contents are a copy.
func (e *State) Dataset(name string) (model.Dataset, bool) {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	ds, err := e.datasetNamed(name)
	return ds, err == nil
}

// ChangeDataset applies f to a dataset's live contents (templates are read-only) and
// returns the dataset after the change.
func (e *State) ChangeDataset(name string, f func(*model.Contents) error) (model.Dataset, error) {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	return e.changeDataset(name, f)
}

func (e *State) changeDataset(name string, f func(*model.Contents) error) (model.Dataset, error) {
	d, kind, _, ok := e.datasetContents(name)
	if !ok {
		return model.Dataset{}, model.NotFound("no dataset named %q", name)
	}
	if kind == "template" {
		return model.Dataset{}, model.Invalid("template %q is read-only: change its data source VDB %q", name, d.Name)
	}
	if err := f(d.Contents); err != nil {
		return model.Dataset{}, err
	}
	return e.datasetNamed(name)
}

// ChangeProd simulates production activity on a dSource: dataVersion+1, rows change.
func (e *State) ChangeProd(name string) error {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	d := e.dbByName(name)
	if d == nil || d.Parent != nil {
		return model.NotFound("no dSource named %q", name)
	}
	d.Contents.ChangeProd()
	return nil
}

// SetContainerState puts a self-service container (by name or reference) in a state, e.g.
// INCONSISTENT, as after a failure.
func (e *State) SetContainerState(container, state string) error {
	e.Mu.Lock()
	defer e.Mu.Unlock()
	for _, c := range e.Containers {
		if c.Name == container || c.Ref == container {
			c.State = state
			return nil
		}
	}
	return model.NotFound("no container %q", container)
}
