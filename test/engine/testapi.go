package engine

import "github.com/dxsteps/dxsteps/test/engine/internal/model"

// What the test API (package internal/testhttp) reads and changes, each call under the lock.

// datasetContents finds a dataset's live contents, its kind and reference. A container's
// contents are its active branch's (its VDB's); a template's are its data source VDB's.
func (e *State) datasetContents(name string) (*dbContainer, string, string, bool) {
	for _, c := range e.containers {
		if c.name == name {
			return c.ds.db, "container", c.ref, true
		}
	}
	for _, t := range e.templates {
		if t.name == name {
			return t.ds.db, "template", t.ref, true
		}
	}
	if d := e.dbByName(name); d != nil {
		kind := "vdb"
		if d.parent == nil {
			kind = "dsource"
		}
		return d, kind, d.ref, true
	}
	return nil, "", "", false
}

// Datasets lists every dataset: dSources and VDBs, then templates, then containers.
func (e *State) Datasets() []model.DatasetRef {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := []model.DatasetRef{}
	for _, d := range e.dbs {
		_, kind, ref, _ := e.datasetContents(d.name)
		out = append(out, model.DatasetRef{Name: d.name, Kind: kind, Reference: ref})
	}
	for _, t := range e.templates {
		out = append(out, model.DatasetRef{Name: t.name, Kind: "template", Reference: t.ref})
	}
	for _, c := range e.containers {
		out = append(out, model.DatasetRef{Name: c.name, Kind: "container", Reference: c.ref})
	}
	return out
}

func (e *State) datasetNamed(name string) (model.Dataset, error) {
	d, kind, ref, ok := e.datasetContents(name)
	if !ok {
		return model.Dataset{}, model.NotFound("no dataset named %q", name)
	}
	return model.Dataset{Name: name, Kind: kind, Reference: ref, Contents: *d.contents.Clone(), Connection: d.conn}, nil
}

// Dataset returns a dataset (dSource, VDB, container or template) by name, as the test API
// shows it; the contents are a copy.
func (e *State) Dataset(name string) (model.Dataset, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ds, err := e.datasetNamed(name)
	return ds, err == nil
}

// ChangeDataset applies f to a dataset's live contents (templates are read-only) and
// returns the dataset after the change.
func (e *State) ChangeDataset(name string, f func(*model.Contents) error) (model.Dataset, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.changeDataset(name, f)
}

func (e *State) changeDataset(name string, f func(*model.Contents) error) (model.Dataset, error) {
	d, kind, _, ok := e.datasetContents(name)
	if !ok {
		return model.Dataset{}, model.NotFound("no dataset named %q", name)
	}
	if kind == "template" {
		return model.Dataset{}, model.Invalid("template %q is read-only: change its data source VDB %q", name, d.name)
	}
	if err := f(d.contents); err != nil {
		return model.Dataset{}, err
	}
	return e.datasetNamed(name)
}

// ChangeProd simulates production activity on a dSource: dataVersion+1, rows change.
func (e *State) ChangeProd(name string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.dbByName(name)
	if d == nil || d.parent != nil {
		return model.NotFound("no dSource named %q", name)
	}
	d.contents.ChangeProd()
	return nil
}

// SetContainerState puts a self-service container (by name or reference) in a state, e.g.
// INCONSISTENT, as after a failure.
func (e *State) SetContainerState(container, state string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.containers {
		if c.name == container || c.ref == container {
			c.state = state
			return nil
		}
	}
	return model.NotFound("no container %q", container)
}
