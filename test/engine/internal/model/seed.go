package model

import (
	"os"

	"github.com/dxsteps/dxsteps/internal/yamlfile"
)

// Seed is the estate an engine starts with. As YAML (LoadSeed), for example:
//
//	users:                        # every user; admin: true for domain admins
//	  - {name: delphix_admin, password: landshark, admin: true}
//	  - {name: qa, password: qa-local-pw}
//	dsources:                     # linked databases with their production data
//	  - name: Patients Prod
//	    platform: appdata         # appdata (PostgreSQL via AppData) | oracle | oracle-rac | mssql | ase
//	    timezone: Etc/UTC         # the source's zone, in which snapshots are named (default UTC)
//	    group: Sources
//	    connection: {host: prod-db.example, port: 5432, database: patients, user: postgres}
//	    data:
//	      rows: 200               # rows {"id":N,"name":...} generated at dataVersion
//	      dataVersion: 1
//	      accounts: [{name: app_user, password: prod-secret}]
//	vdbs:                         # virtual databases, provisioned from parent's latest snapshot
//	  - name: Patients Masked Master
//	    parent: Patients Prod     # a dSource or an earlier VDB
//	    group: Masked
//	    maskingJob: Patients masking   # optional: refreshes mask the data
//	    connection: {...}
//	    configureClone:           # optional hooks, run on every refresh
//	      - {type: RunBashOnSourceOperation, name: reset, command: "echo hi"}
//	      - {type: RunMaskingJobOnSourceOperation, name: mask, maskingJobId: "2", applicationId: APP}
//	templates:                    # self-service templates over one VDB each
//	  - {name: Patients, source: Patients Masked Master, dataSource: patients}
//	containers:                   # data pods, each backed by its own VDB
//	  - {name: prep1, template: Patients, owner: delphix_admin, vdb: prep1 DB}
//
// The platform defaults to appdata, the data source name to the template name.
type Seed struct {
	Users      []SeedUser      `yaml:"users"`
	DSources   []SeedDatabase  `yaml:"dsources"`
	VDBs       []SeedDatabase  `yaml:"vdbs"`
	Templates  []SeedTemplate  `yaml:"templates"`
	Containers []SeedContainer `yaml:"containers"`
}

// SeedUser is an engine user.
type SeedUser struct {
	Name     string `yaml:"name"`
	Password string `yaml:"password"`
	Admin    bool   `yaml:"admin,omitempty"`
}

// SeedDatabase is a dSource (Data set, Parent empty) or a VDB (Parent set).
type SeedDatabase struct {
	Name           string     `yaml:"name"`
	Platform       string     `yaml:"platform,omitempty"`
	Timezone       string     `yaml:"timezone,omitempty"`
	Group          string     `yaml:"group"`
	Parent         string     `yaml:"parent,omitempty"`
	MaskingJob     string     `yaml:"maskingJob,omitempty"`
	Connection     Connection `yaml:"connection"`
	Data           *SeedData  `yaml:"data,omitempty"`
	ConfigureClone []SeedHook `yaml:"configureClone,omitempty"`
}

// SeedData is a dSource's production data.
type SeedData struct {
	Rows        int           `yaml:"rows"`
	DataVersion int           `yaml:"dataVersion"`
	Accounts    []SeedAccount `yaml:"accounts"`
}

// SeedAccount is a database account with its password (stored only as a hash).
type SeedAccount struct {
	Name     string `yaml:"name"`
	Password string `yaml:"password"`
}

// SeedHook is one configureClone hook: a command (RunBashOnSourceOperation ...) or a masking
// job run on the VDB (RunMaskingJobOnSourceOperation, as API 1.9 engines show it). A hook
// without a name stands for one created before API 1.9.
type SeedHook struct {
	Type          string `yaml:"type"`
	Name          string `yaml:"name,omitempty"`
	Command       string `yaml:"command,omitempty"`
	MaskingJobID  string `yaml:"maskingJobId,omitempty"`
	ApplicationID string `yaml:"applicationId,omitempty"`
}

// SeedTemplate is a self-service template over one VDB.
type SeedTemplate struct {
	Name       string `yaml:"name"`
	Source     string `yaml:"source"`
	DataSource string `yaml:"dataSource,omitempty"`
}

// SeedContainer is a data pod created from a template, backed by its own VDB.
type SeedContainer struct {
	Name     string `yaml:"name"`
	Template string `yaml:"template"`
	Owner    string `yaml:"owner"`
	VDB      string `yaml:"vdb"`
}

// LoadSeed reads a YAML seed file (format: see Seed) with the steps' strict decoder:
// an unknown key is an error naming its line and the key meant.
func LoadSeed(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Seed
	if err := yamlfile.Decode("seed "+path, b, &s, nil); err != nil {
		return nil, err
	}
	return &s, nil
}

// WorkshopSeed is the Delphix Toolchain Workshop estate: Patients Prod (PostgreSQL via
// AppData, 200 rows), Patients Masked Master (masked VDB), template Patients, data pods
// prep1..prep6 (delphix_admin), qa-pod (qa) and dev-pod (dev), each on its own VDB.
func WorkshopSeed() *Seed {
	s := &Seed{
		Users: []SeedUser{{Name: "delphix_admin", Password: "landshark", Admin: true},
			{Name: "qa", Password: "qa-local-pw"}, {Name: "dev", Password: "dev-local-pw"}},
		DSources: []SeedDatabase{{Name: "Patients Prod", Platform: "appdata", Group: "Sources",
			Connection: Connection{Host: "prod-db.workshop.local", Port: 5432, Database: "patients", User: "postgres"},
			Data: &SeedData{Rows: 200, DataVersion: 1, Accounts: []SeedAccount{
				{Name: "app_user", Password: "app-prod-secret"}, {Name: "report_ro", Password: "report-prod-secret"},
				{Name: "dba_alice", Password: "alice-prod-secret"}}}}},
		VDBs: []SeedDatabase{{Name: "Patients Masked Master", Platform: "appdata", Group: "Masked",
			Parent: "Patients Prod", MaskingJob: "Patients masking",
			Connection: Connection{Host: "target-db.workshop.local", Port: 5433, Database: "patients_master", User: "postgres"}}},
		Templates: []SeedTemplate{{Name: "Patients", Source: "Patients Masked Master", DataSource: "patients"}},
	}
	pods := []struct{ name, owner string }{{"prep1", "delphix_admin"}, {"prep2", "delphix_admin"},
		{"prep3", "delphix_admin"}, {"prep4", "delphix_admin"}, {"prep5", "delphix_admin"},
		{"prep6", "delphix_admin"}, {"qa-pod", "qa"}, {"dev-pod", "dev"}}
	for i, p := range pods {
		vdb := p.name + " DB"
		s.VDBs = append(s.VDBs, SeedDatabase{Name: vdb, Platform: "appdata", Group: "Self-Service",
			Parent: "Patients Masked Master", Connection: Connection{Host: "target-db.workshop.local",
				Port: 5434 + i, Database: DBName(p.name), User: "postgres"}})
		s.Containers = append(s.Containers, SeedContainer{Name: p.name, Template: "Patients", Owner: p.owner, VDB: vdb})
	}
	return s
}

// DBName turns a pod name into a database name (prep1 -> prep1, qa-pod -> qa_pod).
func DBName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '-' || c == ' ' {
			b[i] = '_'
		}
	}
	return string(b)
}
