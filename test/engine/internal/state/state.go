package state

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"
	_ "time/tzdata" // sources' zones on machines without a zone database

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/dxsteps/dxsteps/test/engine/internal/notify"
)

// State is the engine's estate and jobs, apart from HTTP: the objects, the running jobs and
// what they publish, the injected faults and the request log. Everything is guarded by Mu.
type State struct {
	Mu       sync.Mutex
	counters map[string]int
	ByRef    map[string]any
	Notes    *notify.Hub
	faults   faultState
	requests []*model.RequestRecord
	speed    float64
	Closing  chan struct{}
	WG       sync.WaitGroup
	HookEnv  []string // added to a hook's environment

	Users       []*User
	Groups      []*Group
	DBs         []*DB
	Sources     []*Source
	Snapshots   []*Snapshot
	Timeflows   []*Timeflow
	MaskingJobs []*MaskingJob
	Templates   []*Template
	Containers  []*Container
	Datasources []*DataSource
	Branches    []*Branch
	Bookmarks   []*Bookmark
	Operations  []*Operation
	Jobs        []*Job
	busy        map[string]*Job
	sessions    int // counts the times every engine API session ended
}

// New is an empty estate whose jobs run at speed and publish to notes.
func New(speed float64, notes *notify.Hub) *State {
	return &State{counters: map[string]int{}, ByRef: map[string]any{}, busy: map[string]*Job{}, Notes: notes,
		speed: speed, Closing: make(chan struct{})}
}

// User is an engine user. Admins see everything; self-service users only their own objects.
type User struct {
	Ref, Name, Password string
	Admin               bool
}

// Group is a group of databases.
type Group struct{ Ref, Name string }

// DB is a dSource (parent nil) or a VDB (parent set).
type DB struct {
	Ref, Name     string
	Platform      *Platform
	PlatName      string
	Group         *Group
	Parent        *DB
	Created       time.Time
	Zone          *time.Location // the source's time zone, in which snapshots are named
	Timeflow      string
	PrevTimeflow  string
	Src           *Source
	Contents      *model.Contents
	Conn          model.Connection
	Masking       *MaskingJob
	GUID          string
	LastRefreshed *Snapshot

	// What DCT knows of a VDB that no self-service container holds (a container's owner,
	// lock and state stand for its VDB's): the account that provisioned it through DCT,
	// the account holding its lock, whether it is disabled, and its tags.
	Owner, Locker *User
	Disabled      bool
	Tags          []Tag
}

// Tag is a DCT tag: a key and a value.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Source is the Source object of a container; it holds the hooks.
type Source struct {
	Ref, Typ string
	DB       *DB
	Virtual  bool
	// Ops maps a hook list name (configureClone, preSync ...) to its elements as received.
	Ops map[string][]json.RawMessage
}

// Snapshot is a point on a database's timeline with the data it captured. DataTime is the
// time of its data (latestChangePoint), Created when the engine took it.
type Snapshot struct {
	Ref      string
	DB       *DB
	Timeflow string
	Created  time.Time
	DataTime time.Time
	Contents *model.Contents
}

// Timeflow is one timeline of a database: its first, then one per refresh.
type Timeflow struct {
	Ref, Name string
	DB        *DB
	// CreationType is INITIAL, REFRESH or TRANSFORMATION (a refresh that masked the data).
	CreationType string
	// Parent is the parent's snapshot the timeflow starts from (nil for a dSource's).
	Parent  *Snapshot
	Created time.Time
}

// MaskingJob is a masking job attached to a dSource; a refresh through it masks the data.
type MaskingJob struct {
	Ref, Name string
	ID        int
	DB        *DB
}

// Checkpoint is the data of a branch at a point in time (a data operation or a bookmark).
type Checkpoint struct {
	At       time.Time
	Contents *model.Contents
}

// Template is a self-service template over a data source.
type Template struct {
	Ref, Name string
	DS        *DataSource
	Branch    *Branch
	Created   time.Time
	Ops       OpLog
}

// Container is a self-service data container (a data pod) over a VDB.
type Container struct {
	Ref, Name   string
	Tmpl        *Template
	Owner       *User
	DS          *DataSource
	Active      *Branch
	State       string
	LockUser    *User
	LastUpdated time.Time
	Ops         OpLog
}

// DataSource is a database used by a template or container.
type DataSource struct {
	Ref, Name string
	DB        *DB
	Layout    string
	Priority  int
}

// Branch is a self-service branch: a line of data operations on a template or container.
type Branch struct {
	Ref, Name string
	Layout    string
	// Saved holds the branch's data while another branch is active.
	Saved *model.Contents
	// Baseline is the data after the branch's last data operation (what reset returns to).
	Baseline *model.Contents
	History  []Checkpoint
	Ops      OpLog
}

// Bookmark is a self-service bookmark: data captured on a branch at a time.
type Bookmark struct {
	Ref, Name   string
	Branch      *Branch
	Tmpl        *Template
	Cont        *Container
	User        *User
	Created     time.Time
	Timestamp   time.Time
	Shared      bool
	Tags        []string
	Description any
	Expiration  any
	Contents    *model.Contents
}

// Operation is a self-service data operation as the operations list shows it.
type Operation struct {
	Ref, Name, Op string
	Layout        string
	Branch        string
	Bookmark      string
	User          *User
	action        string
	Start, End    time.Time

	// DataParent is the bookmark the operation's data came from (restore, branch or
	// container create from a bookmark); DataParentName stays when it is deleted.
	DataParent, DataParentName string
	// DataParentBranch, DataParentBranchName and DataParentTime are the branch and data
	// time the operation's data came from (a restore, refresh or create to a
	// JSTimelinePointTimeInput), rendered as a JSTimestampDataParent.
	DataParentBranch, DataParentBranchName string
	DataParentTime                         time.Time
}

// OpLog tracks the first/last operation of a data layout or branch.
type OpLog struct {
	First, Last string
	Count       int
}

// Add records an operation.
func (l *OpLog) Add(ref string) {
	if l.First == "" {
		l.First = ref
	}
	l.Last = ref
	l.Count++
}

// NextRef returns a new reference with a per-prefix counter, e.g. JOB-7.
func (e *State) NextRef(prefix string) string {
	e.counters[prefix]++
	return fmt.Sprintf("%s-%d", prefix, e.counters[prefix])
}

// Register makes an object findable by reference.
func (e *State) Register(ref string, o any) { e.ByRef[ref] = o }

// Lookup finds an object of type T by reference.
func Lookup[T any](e *State, ref string) (T, bool) {
	v, ok := e.ByRef[ref].(T)
	return v, ok
}

func (e *State) dbByName(name string) *DB {
	for _, d := range e.DBs {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// UserByName finds a user by name.
func (e *State) UserByName(name string) *User {
	for _, u := range e.Users {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// TemplatesUsing returns the templates whose data source is db.
func (e *State) TemplatesUsing(db *DB) []*Template {
	var out []*Template
	for _, t := range e.Templates {
		if t.DS.DB == db {
			out = append(out, t)
		}
	}
	return out
}

// ContainerUsing returns the self-service container backed by db, if any.
func (e *State) ContainerUsing(db *DB) *Container {
	for _, c := range e.Containers {
		if c.DS.DB == db {
			return c
		}
	}
	return nil
}

// Stamp formats a time as the engine does: ISO-8601 UTC with milliseconds.
func Stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// Now returns the current time at the engine's precision (milliseconds).
func (e *State) Now() time.Time {
	return time.Now().UTC().Truncate(time.Millisecond)
}

// SnapshotsOf lists a container's snapshots, newest first (later ones first on equal times).
func (e *State) SnapshotsOf(d *DB) []*Snapshot {
	var out []*Snapshot
	for i := len(e.Snapshots) - 1; i >= 0; i-- {
		if s := e.Snapshots[i]; s.DB == d {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out
}

// TakeSnapshot records a snapshot of a container's current contents, whose data is of
// dataTime (the zero time: now).
func (e *State) TakeSnapshot(d *DB, dataTime time.Time) *Snapshot {
	s := &Snapshot{Ref: e.NextRef(d.Platform.snapshotRef), DB: d, Timeflow: d.Timeflow, Created: e.Now(),
		DataTime: dataTime, Contents: d.Contents.Clone()}
	if s.DataTime.IsZero() || s.DataTime.After(s.Created) {
		s.DataTime = s.Created
	}
	e.Snapshots = append(e.Snapshots, s)
	e.Register(s.Ref, s)
	return s
}

// NewTimeflow starts a database's next timeline from a parent snapshot (nil for a dSource)
// and makes it current. Names follow real engines: a dSource's first timeflow has its
// platform's name, a VDB's is named after the operation and its time (DB_REFRESH@...).
func (e *State) NewTimeflow(d *DB, creationType, operation string, parent *Snapshot) *Timeflow {
	tf := &Timeflow{Ref: e.NextRef(d.Platform.TimeflowRef), Name: d.Platform.TimeflowName, DB: d,
		CreationType: creationType, Parent: parent, Created: e.Now()}
	if operation != "" {
		tf.Name = operation + "@" + e.Now().Format("2006-01-02T15:04:05")
	}
	d.PrevTimeflow, d.Timeflow = d.Timeflow, tf.Ref
	e.Timeflows = append(e.Timeflows, tf)
	e.Register(tf.Ref, tf)
	return tf
}

func (e *State) newDataSource(name string, db *DB, layout string) *DataSource {
	ds := &DataSource{Ref: e.NextRef("JS_DATA_SOURCE"), Name: name, DB: db, Layout: layout, Priority: 1}
	e.Datasources = append(e.Datasources, ds)
	e.Register(ds.Ref, ds)
	return ds
}

// NewBranch creates a branch whose data (and baseline) is a copy of contents.
func (e *State) NewBranch(name, layout string, contents *model.Contents) *Branch {
	b := &Branch{Ref: e.NextRef("JS_BRANCH"), Name: name, Layout: layout, Saved: contents.Clone(),
		Baseline: contents.Clone(), History: []Checkpoint{{At: e.Now(), Contents: contents.Clone()}}}
	e.Branches = append(e.Branches, b)
	e.Register(b.Ref, b)
	return b
}

// NewContainer creates an ONLINE container over db with an active "default" branch.
func (e *State) NewContainer(name string, t *Template, owner *User, db *DB, dsName string) *Container {
	c := &Container{Ref: e.NextRef("JS_DATA_CONTAINER"), Name: name, Tmpl: t, Owner: owner, State: "ONLINE",
		LastUpdated: e.Now()}
	c.DS = e.newDataSource(dsName, db, c.Ref)
	c.Active = e.NewBranch("default", c.Ref, db.Contents)
	c.Active.Saved = nil
	e.Containers = append(e.Containers, c)
	e.Register(c.Ref, c)
	return c
}

// EndSessions ends every engine API session, as a restart or a timeout does; the engine API
// forgets them at its next request. The caller holds the lock.
func (e *State) EndSessions() { e.sessions++ }

// SessionsEnded counts the calls of EndSessions: an engine API session opened before the
// count last changed has ended. The caller holds the lock.
func (e *State) SessionsEnded() int { return e.sessions }
