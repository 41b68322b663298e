package engine

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAContainerListIsTheBytesOfItsObjects(t *testing.T) {
	e, err := New(Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = e.Close() })
	v := mustVersion("1.11.9")
	var objs []obj
	var raws []json.RawMessage
	for _, jc := range e.Containers {
		objs = append(objs, e.containerObject(jc, v))
		raws = append(raws, e.containerJSON(jc, v))
	}
	want, err := json.Marshal(listResult(objs))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(rawListResult(raws)))
	empty, _ := json.Marshal(listResult(nil))
	assert.Equal(t, string(empty), string(rawListResult(nil)))

	jc := e.Containers[0]
	before := string(e.containerJSON(jc, v))
	jc.State = "INCONSISTENT"
	after := string(e.containerJSON(jc, v))
	assert.NotEqual(t, before, after, "a changed container is rendered again")
	assert.Contains(t, after, `"state":"INCONSISTENT"`)
}
