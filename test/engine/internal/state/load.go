package state

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
)

// Load builds the estate from a seed. References are handed out in seed order, so the
// workshop estate always gets the same ones (see WorkshopSeed).
func (e *State) Load(s *model.Seed) error {
	for _, su := range s.Users {
		u := &User{Ref: e.NextRef("USER"), Name: su.Name, Password: su.Password, Admin: su.Admin}
		e.Users = append(e.Users, u)
		e.Register(u.Ref, u)
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
		d.Contents = &model.Contents{DataVersion: max(data.DataVersion, 1), SubsetPercent: 100,
			Rows: model.GenerateRows(data.Rows, max(data.DataVersion, 1)), Accounts: []model.Account{}}
		for _, a := range data.Accounts {
			d.Contents.Accounts = append(d.Contents.Accounts, model.Account{Name: a.Name, State: "active", PasswordSha256: model.PasswordHash(a.Password)})
		}
		e.NewTimeflow(d, "INITIAL", "", nil)
		e.TakeSnapshot(d, e.Now().Add(-seedDataAge))
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
		snap := e.SnapshotsOf(parent)[0]
		d.Contents, d.LastRefreshed = snap.Contents.Clone(), snap
		e.NewTimeflow(d, "INITIAL", "DB_PROVISION", snap)
		if sd.MaskingJob != "" {
			m := &MaskingJob{Ref: e.NextRef("MASKING_JOB"), Name: sd.MaskingJob, ID: len(e.MaskingJobs) + 1, DB: d}
			e.MaskingJobs = append(e.MaskingJobs, m)
			e.Register(m.Ref, m)
			d.Masking = m
			d.Contents.Mask()
		}
		for _, h := range sd.ConfigureClone {
			b, err := seedHook(h)
			if err != nil {
				return fmt.Errorf("seed: VDB %q: %w", sd.Name, err)
			}
			d.Src.Ops["configureClone"] = append(d.Src.Ops["configureClone"], b)
			if h.Type == MaskingHook && !d.Contents.Masked {
				d.Contents.Mask()
			}
		}
		e.TakeSnapshot(d, time.Time{})
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

// seedDataAge is how much older than its snapshot a seeded dSource's data is.
const seedDataAge = 20 * time.Second

// seedHook is a seed's hook as the engine holds it: a masking hook names its masking job and
// application, a command hook its command; a hook without a name has no name key, as hooks
// created before API 1.9 have.
func seedHook(h model.SeedHook) (json.RawMessage, error) {
	m := map[string]any{"type": h.Type}
	if h.Name != "" {
		m["name"] = h.Name
	}
	switch h.Type {
	case MaskingHook:
		if h.MaskingJobID == "" {
			return nil, fmt.Errorf("the %s hook %q needs a maskingJobId", h.Type, h.Name)
		}
		m["maskingJobId"], m["applicationId"] = h.MaskingJobID, h.ApplicationID
	case "RunBashOnSourceOperation", "RunCommandOnSourceOperation", "RunPowerShellOnSourceOperation":
		m["command"] = h.Command
	default:
		return nil, fmt.Errorf("unknown hook type %q", h.Type)
	}
	return json.Marshal(m)
}

// newDB creates a container, its timeflow and its source.
func (e *State) newDB(sd model.SeedDatabase, parent *DB) (*DB, error) {
	name := sd.Platform
	if name == "" {
		name = "appdata"
	}
	p := platforms[name]
	if p == nil {
		return nil, fmt.Errorf("seed: %q: unknown platform %q (want appdata, oracle, oracle-rac, mssql or ase)", sd.Name, sd.Platform)
	}
	if sd.Name == "" || e.dbByName(sd.Name) != nil {
		return nil, fmt.Errorf("seed: database name %q is empty or not unique", sd.Name)
	}
	zone := time.UTC
	if sd.Timezone != "" {
		z, err := time.LoadLocation(sd.Timezone)
		if err != nil {
			return nil, fmt.Errorf("seed: %q: timezone: %w", sd.Name, err)
		}
		zone = z
	}
	sum := sha256.Sum256([]byte(sd.Name))
	d := &DB{Ref: e.NextRef(p.containerRef), Name: sd.Name, Platform: p, PlatName: p.Family,
		Group: e.groupNamed(sd.Group), Parent: parent, Created: e.Now(), Zone: zone,
		Conn: sd.Connection, GUID: fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])}
	src := &Source{DB: d, Virtual: parent != nil, Ops: map[string][]json.RawMessage{}}
	if src.Virtual {
		src.Ref, src.Typ = e.NextRef(p.virtualSourceRef), p.virtualSource
	} else {
		src.Ref, src.Typ = e.NextRef(p.linkedSourceRef), p.linkedSource
	}
	d.Src = src
	e.DBs = append(e.DBs, d)
	e.Sources = append(e.Sources, src)
	e.Register(d.Ref, d)
	e.Register(src.Ref, src)
	return d, nil
}

func (e *State) groupNamed(name string) *Group {
	if name == "" {
		name = "Untitled"
	}
	for _, g := range e.Groups {
		if g.Name == name {
			return g
		}
	}
	g := &Group{Ref: e.NextRef("GROUP"), Name: name}
	e.Groups = append(e.Groups, g)
	e.Register(g.Ref, g)
	return g
}

func (e *State) seedTemplate(st model.SeedTemplate) error {
	db := e.dbByName(st.Source)
	if db == nil || db.Parent == nil {
		return fmt.Errorf("seed: template %q: source %q is not a VDB", st.Name, st.Source)
	}
	dsName := st.DataSource
	if dsName == "" {
		dsName = st.Name
	}
	t := &Template{Ref: e.NextRef("JS_DATA_TEMPLATE"), Name: st.Name, Created: e.Now()}
	t.DS = e.newDataSource(dsName, db, t.Ref)
	t.Branch = e.NewBranch("default", t.Ref, db.Contents)
	e.Templates = append(e.Templates, t)
	e.Register(t.Ref, t)
	return nil
}

func (e *State) seedContainer(sc model.SeedContainer) error {
	var t *Template
	for _, x := range e.Templates {
		if x.Name == sc.Template {
			t = x
		}
	}
	db, owner := e.dbByName(sc.VDB), e.UserByName(sc.Owner)
	switch {
	case t == nil:
		return fmt.Errorf("seed: container %q: unknown template %q", sc.Name, sc.Template)
	case db == nil || db.Parent == nil || e.ContainerUsing(db) != nil:
		return fmt.Errorf("seed: container %q: %q is not a free VDB", sc.Name, sc.VDB)
	case owner == nil:
		return fmt.Errorf("seed: container %q: unknown owner %q", sc.Name, sc.Owner)
	}
	e.NewContainer(sc.Name, t, owner, db, t.DS.Name)
	return nil
}
