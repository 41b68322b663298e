package engine

import (
	"encoding/json"
	"fmt"
	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"sort"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/notify"
)

// State is the engine's estate and jobs, apart from HTTP: the objects, the running jobs and
// what they publish, the injected faults and the request log. Everything is guarded by mu.
type State struct {
	mu       sync.Mutex
	counters map[string]int
	byRef    map[string]any
	notes    *notify.Hub
	faults   faultState
	requests []*model.RequestRecord
	speed    float64
	closing  chan struct{}
	wg       sync.WaitGroup
	hookEnv  []string // added to a hook's environment

	users       []*user
	groups      []*group
	dbs         []*dbContainer
	sources     []*source
	snapshots   []*snapshot
	maskingJobs []*maskingJob
	templates   []*jsTemplate
	containers  []*jsContainer
	datasources []*jsDataSource
	branches    []*jsBranch
	bookmarks   []*jsBookmark
	operations  []*jsOperation
	jobs        []*job
	busy        map[string]*job
}

// newState is an empty estate whose jobs run at speed and publish to notes.
func newState(speed float64, notes *notify.Hub) *State {
	return &State{counters: map[string]int{}, byRef: map[string]any{}, busy: map[string]*job{}, notes: notes,
		speed: speed, closing: make(chan struct{})}
}

// obj is a JSON object as the engine emits it.
type obj = map[string]any

// user is an engine user. Admins see everything; self-service users only their own objects.
type user struct {
	ref, name, password string
	admin               bool
}

type group struct{ ref, name string }

// dbContainer is a dSource (parent nil) or a VDB (parent set).
type dbContainer struct {
	ref, name     string
	plat          *platform
	platName      string
	group         *group
	parent        *dbContainer
	created       time.Time
	timeflow      string
	prevTimeflow  string
	src           *source
	contents      *model.Contents
	conn          model.Connection
	masking       *maskingJob
	guid          string
	lastRefreshed *snapshot
}

// source is the Source object of a container; it holds the hooks.
type source struct {
	ref, typ string
	db       *dbContainer
	virtual  bool
	// ops maps a hook list name (configureClone, preSync ...) to its elements as received.
	ops map[string][]json.RawMessage
}

type snapshot struct {
	ref      string
	db       *dbContainer
	timeflow string
	created  time.Time
	contents *model.Contents
}

type maskingJob struct {
	ref, name string
	id        int
	db        *dbContainer
}

// checkpoint is the data of a branch at a point in time (a data operation or a bookmark).
type checkpoint struct {
	at       time.Time
	contents *model.Contents
}

type jsTemplate struct {
	ref, name string
	ds        *jsDataSource
	branch    *jsBranch
	created   time.Time
	ops       opLog
}

type jsContainer struct {
	ref, name   string
	tmpl        *jsTemplate
	owner       *user
	ds          *jsDataSource
	active      *jsBranch
	state       string
	lockUser    *user
	lastUpdated time.Time
	ops         opLog
}

type jsDataSource struct {
	ref, name string
	db        *dbContainer
	layout    string
	priority  int
}

type jsBranch struct {
	ref, name string
	layout    string
	// saved holds the branch's data while another branch is active.
	saved *model.Contents
	// baseline is the data after the branch's last data operation (what reset returns to).
	baseline *model.Contents
	history  []checkpoint
	ops      opLog
}

type jsBookmark struct {
	ref, name   string
	branch      *jsBranch
	tmpl        *jsTemplate
	cont        *jsContainer
	user        *user
	created     time.Time
	timestamp   time.Time
	shared      bool
	tags        []string
	description any
	expiration  any
	contents    *model.Contents
}

type jsOperation struct {
	ref, name, op string
	layout        string
	branch        string
	bookmark      string
	user          *user
	action        string
	start, end    time.Time
}

// opLog tracks the first/last operation of a data layout or branch.
type opLog struct {
	first, last string
	count       int
}

func (l *opLog) add(ref string) {
	if l.first == "" {
		l.first = ref
	}
	l.last = ref
	l.count++
}

// nextRef returns a new reference with a per-prefix counter, e.g. JOB-7.
func (e *State) nextRef(prefix string) string {
	e.counters[prefix]++
	return fmt.Sprintf("%s-%d", prefix, e.counters[prefix])
}

// register makes an object findable by reference.
func (e *State) register(ref string, o any) { e.byRef[ref] = o }

// lookup finds an object of type T by reference.
func lookup[T any](e *State, ref string) (T, bool) {
	v, ok := e.byRef[ref].(T)
	return v, ok
}

func (e *State) dbByName(name string) *dbContainer {
	for _, d := range e.dbs {
		if d.name == name {
			return d
		}
	}
	return nil
}

func (e *State) userByName(name string) *user {
	for _, u := range e.users {
		if u.name == name {
			return u
		}
	}
	return nil
}

// templateUsing returns the templates whose data source is db.
func (e *State) templatesUsing(db *dbContainer) []*jsTemplate {
	var out []*jsTemplate
	for _, t := range e.templates {
		if t.ds.db == db {
			out = append(out, t)
		}
	}
	return out
}

// containerUsing returns the self-service container backed by db, if any.
func (e *State) containerUsing(db *dbContainer) *jsContainer {
	for _, c := range e.containers {
		if c.ds.db == db {
			return c
		}
	}
	return nil
}

// stamp formats a time as the engine does: ISO-8601 UTC with milliseconds.
func stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// now returns the current time at the engine's precision (milliseconds).
func (e *State) now() time.Time {
	return time.Now().UTC().Truncate(time.Millisecond)
}

// snapshotsOf lists a container's snapshots, newest first (later ones first on equal times).
func (e *State) snapshotsOf(d *dbContainer) []*snapshot {
	var out []*snapshot
	for i := len(e.snapshots) - 1; i >= 0; i-- {
		if s := e.snapshots[i]; s.db == d {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].created.After(out[j].created) })
	return out
}

// takeSnapshot records a snapshot of a container's current contents.
func (e *State) takeSnapshot(d *dbContainer) *snapshot {
	s := &snapshot{ref: e.nextRef(d.plat.snapshotRef), db: d, timeflow: d.timeflow, created: e.now(),
		contents: d.contents.Clone()}
	e.snapshots = append(e.snapshots, s)
	e.register(s.ref, s)
	return s
}

func (e *State) newDataSource(name string, db *dbContainer, layout string) *jsDataSource {
	ds := &jsDataSource{ref: e.nextRef("JS_DATA_SOURCE"), name: name, db: db, layout: layout, priority: 1}
	e.datasources = append(e.datasources, ds)
	e.register(ds.ref, ds)
	return ds
}

// newBranch creates a branch whose data (and baseline) is a copy of contents.
func (e *State) newBranch(name, layout string, contents *model.Contents) *jsBranch {
	b := &jsBranch{ref: e.nextRef("JS_BRANCH"), name: name, layout: layout, saved: contents.Clone(),
		baseline: contents.Clone(), history: []checkpoint{{at: e.now(), contents: contents.Clone()}}}
	e.branches = append(e.branches, b)
	e.register(b.ref, b)
	return b
}

// newContainer creates an ONLINE container over db with an active "default" branch.
func (e *State) newContainer(name string, t *jsTemplate, owner *user, db *dbContainer, dsName string) *jsContainer {
	c := &jsContainer{ref: e.nextRef("JS_DATA_CONTAINER"), name: name, tmpl: t, owner: owner, state: "ONLINE",
		lastUpdated: e.now()}
	c.ds = e.newDataSource(dsName, db, c.ref)
	c.active = e.newBranch("default", c.ref, db.contents)
	c.active.saved = nil
	e.containers = append(e.containers, c)
	e.register(c.ref, c)
	return c
}
