package engine

import (
	"encoding/json"
	"fmt"
	"time"
)

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
	contents      *Contents
	conn          Connection
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
	contents *Contents
}

type maskingJob struct {
	ref, name string
	id        int
	db        *dbContainer
}

// checkpoint is the data of a branch at a point in time (a data operation or a bookmark).
type checkpoint struct {
	at       time.Time
	contents *Contents
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
	saved *Contents
	// baseline is the data after the branch's last data operation (what reset returns to).
	baseline *Contents
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
	contents    *Contents
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
func (e *Engine) nextRef(prefix string) string {
	e.counters[prefix]++
	return fmt.Sprintf("%s-%d", prefix, e.counters[prefix])
}

// register makes an object findable by reference.
func (e *Engine) register(ref string, o any) { e.byRef[ref] = o }

// lookup finds an object of type T by reference.
func lookup[T any](e *Engine, ref string) (T, bool) {
	v, ok := e.byRef[ref].(T)
	return v, ok
}

func (e *Engine) dbByName(name string) *dbContainer {
	for _, d := range e.dbs {
		if d.name == name {
			return d
		}
	}
	return nil
}

func (e *Engine) userByName(name string) *user {
	for _, u := range e.users {
		if u.name == name {
			return u
		}
	}
	return nil
}

// templateUsing returns the templates whose data source is db.
func (e *Engine) templatesUsing(db *dbContainer) []*jsTemplate {
	var out []*jsTemplate
	for _, t := range e.templates {
		if t.ds.db == db {
			out = append(out, t)
		}
	}
	return out
}

// containerUsing returns the self-service container backed by db, if any.
func (e *Engine) containerUsing(db *dbContainer) *jsContainer {
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
func (e *Engine) now() time.Time {
	return time.Now().UTC().Truncate(time.Millisecond)
}
