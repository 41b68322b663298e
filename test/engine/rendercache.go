package engine

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
)

// A container list is what every self-service step reads to find its data pod by name, so on
// an engine with hundreds of pods its encoding would dominate each step's cost. Each container's
// JSON is kept with the fields it was rendered from and rendered again only when they changed.

// containerKey is everything containerObject reads.
type containerKey struct {
	name, tmpl, active, state, owner string
	lockRef, lockName                string
	updated                          time.Time
	ops                              state.OpLog
	ver                              version
}

type renderedContainer struct {
	key  containerKey
	json json.RawMessage
}

// containerJSON returns jc's JSON at version v. The caller holds the state's lock.
func (e *Engine) containerJSON(jc *state.Container, v version) json.RawMessage {
	k := containerKey{name: jc.Name, tmpl: jc.Tmpl.Ref, active: jc.Active.Ref, state: jc.State, owner: jc.Owner.Ref,
		updated: jc.LastUpdated, ops: jc.Ops, ver: v}
	if jc.LockUser != nil {
		k.lockRef, k.lockName = jc.LockUser.Ref, jc.LockUser.Name
	}
	if r, ok := e.rendered[jc]; ok && r.key == k {
		return r.json
	}
	b, _ := json.Marshal(e.containerObject(jc, v))
	if e.rendered == nil {
		e.rendered = map[*state.Container]renderedContainer{}
	}
	e.rendered[jc] = renderedContainer{key: k, json: b}
	return b
}

// encoded is an answer already in JSON, written as it is.
type encoded []byte

// rawListResult is listResult over items already encoded, in the same bytes json.Marshal
// would write for listResult, without scanning the items again.
func rawListResult(items []json.RawMessage) encoded {
	n := 128
	for _, it := range items {
		n += len(it) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"action":null,"job":null,"overflow":false,"result":[`...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, `],"status":"OK","total":`...)
	b = strconv.AppendInt(b, int64(len(items)), 10)
	return append(b, `,"type":"ListResult"}`...)
}
