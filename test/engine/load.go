package engine

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// load builds the estate from a seed. References are handed out in seed order, so the
// workshop estate always gets the same ones (see WorkshopSeed).
func (e *State) load(s *model.Seed) error {
	for _, su := range s.Users {
		u := &user{ref: e.nextRef("USER"), name: su.Name, password: su.Password, admin: su.Admin}
		e.users = append(e.users, u)
		e.register(u.ref, u)
	}
	for _, sd := range s.DSources {
		if sd.Parent != "" {
			return fmt.Errorf("seed: dSource %q has a parent", sd.Name)
		}
		d, err := e.newDB(sd, nil)
		if err != nil {
			return err
		}
		data := sd.Data
		if data == nil {
			data = &model.SeedData{}
		}
		d.contents = &model.Contents{DataVersion: max(data.DataVersion, 1), SubsetPercent: 100,
			Rows: model.GenerateRows(data.Rows, max(data.DataVersion, 1)), Accounts: []model.Account{}}
		for _, a := range data.Accounts {
			d.contents.Accounts = append(d.contents.Accounts, model.Account{Name: a.Name, State: "active", PasswordSha256: model.PasswordHash(a.Password)})
		}
		e.takeSnapshot(d)
	}
	for _, sd := range s.VDBs {
		parent := e.dbByName(sd.Parent)
		if parent == nil {
			return fmt.Errorf("seed: VDB %q: parent %q is not declared before it", sd.Name, sd.Parent)
		}
		d, err := e.newDB(sd, parent)
		if err != nil {
			return err
		}
		snap := e.snapshotsOf(parent)[0]
		d.contents, d.lastRefreshed = snap.contents.Clone(), snap
		if sd.MaskingJob != "" {
			m := &maskingJob{ref: e.nextRef("MASKING_JOB"), name: sd.MaskingJob, id: len(e.maskingJobs) + 1, db: d}
			e.maskingJobs = append(e.maskingJobs, m)
			e.register(m.ref, m)
			d.masking = m
			d.contents.Mask()
		}
		for _, h := range sd.ConfigureClone {
			b, _ := json.Marshal(obj{"type": h.Type, "name": h.Name, "command": h.Command})
			d.src.ops["configureClone"] = append(d.src.ops["configureClone"], b)
		}
		e.takeSnapshot(d)
	}
	for _, st := range s.Templates {
		if err := e.seedTemplate(st); err != nil {
			return err
		}
	}
	for _, sc := range s.Containers {
		if err := e.seedContainer(sc); err != nil {
			return err
		}
	}
	return nil
}

// newDB creates a container, its timeflow and its source.
func (e *State) newDB(sd model.SeedDatabase, parent *dbContainer) (*dbContainer, error) {
	name := sd.Platform
	if name == "" {
		name = "appdata"
	}
	p := platforms[name]
	if p == nil {
		return nil, fmt.Errorf("seed: %q: unknown platform %q (want appdata, oracle, mssql or ase)", sd.Name, sd.Platform)
	}
	if sd.Name == "" || e.dbByName(sd.Name) != nil {
		return nil, fmt.Errorf("seed: database name %q is empty or not unique", sd.Name)
	}
	sum := sha256.Sum256([]byte(sd.Name))
	d := &dbContainer{ref: e.nextRef(p.containerRef), name: sd.Name, plat: p, platName: name,
		group: e.groupNamed(sd.Group), parent: parent, created: e.now(), timeflow: e.nextRef(p.timeflowRef),
		conn: sd.Connection, guid: fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])}
	src := &source{db: d, virtual: parent != nil, ops: map[string][]json.RawMessage{}}
	if src.virtual {
		src.ref, src.typ = e.nextRef(p.virtualSourceRef), p.virtualSource
	} else {
		src.ref, src.typ = e.nextRef(p.linkedSourceRef), p.linkedSource
	}
	d.src = src
	e.dbs = append(e.dbs, d)
	e.sources = append(e.sources, src)
	e.register(d.ref, d)
	e.register(src.ref, src)
	return d, nil
}

func (e *State) groupNamed(name string) *group {
	if name == "" {
		name = "Untitled"
	}
	for _, g := range e.groups {
		if g.name == name {
			return g
		}
	}
	g := &group{ref: e.nextRef("GROUP"), name: name}
	e.groups = append(e.groups, g)
	e.register(g.ref, g)
	return g
}

func (e *State) seedTemplate(st model.SeedTemplate) error {
	db := e.dbByName(st.Source)
	if db == nil || db.parent == nil {
		return fmt.Errorf("seed: template %q: source %q is not a VDB", st.Name, st.Source)
	}
	dsName := st.DataSource
	if dsName == "" {
		dsName = st.Name
	}
	t := &jsTemplate{ref: e.nextRef("JS_DATA_TEMPLATE"), name: st.Name, created: e.now()}
	t.ds = e.newDataSource(dsName, db, t.ref)
	t.branch = e.newBranch("default", t.ref, db.contents)
	e.templates = append(e.templates, t)
	e.register(t.ref, t)
	return nil
}

func (e *State) seedContainer(sc model.SeedContainer) error {
	var t *jsTemplate
	for _, x := range e.templates {
		if x.name == sc.Template {
			t = x
		}
	}
	db, owner := e.dbByName(sc.VDB), e.userByName(sc.Owner)
	switch {
	case t == nil:
		return fmt.Errorf("seed: container %q: unknown template %q", sc.Name, sc.Template)
	case db == nil || db.parent == nil || e.containerUsing(db) != nil:
		return fmt.Errorf("seed: container %q: %q is not a free VDB", sc.Name, sc.VDB)
	case owner == nil:
		return fmt.Errorf("seed: container %q: unknown owner %q", sc.Name, sc.Owner)
	}
	e.newContainer(sc.Name, t, owner, db, t.ds.name)
	return nil
}
