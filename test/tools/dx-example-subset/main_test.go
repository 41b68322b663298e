package main

import (
	"bytes"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestSubsetKeepsTheFirstRowsAndRecordsThePercent(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.01})
	var out, errb bytes.Buffer
	code := run(env(map[string]string{"DELPHIX_ENGINE": e.URL(), "DX_CONTAINER": "prep1", "DX_SUBSET_PERCENT": "15"}), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Equal(t, "kept 30 of 200 rows (15%) in prep1\n", out.String())
	d, _ := e.Dataset("prep1")
	assert.Len(t, d.Contents.Rows, 30)
	assert.Equal(t, 1, d.Contents.Rows[0].ID)
	assert.Equal(t, 15, d.Contents.SubsetPercent)

	out.Reset()
	require.Equal(t, 0, run(env(map[string]string{"DX_ENGINE_TEST_API": e.TestAPIURL(), "DX_CONTAINER": "prep1", "DX_SUBSET_PERCENT": "1"}), &out, &errb))
	assert.Equal(t, "kept 1 of 30 rows (1%) in prep1\n", out.String())
}

func TestSubsetFailsClearlyOnBadInput(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.01})
	var out, errb bytes.Buffer
	assert.Equal(t, 2, run(env(map[string]string{"DELPHIX_ENGINE": e.URL(), "DX_CONTAINER": "prep1", "DX_SUBSET_PERCENT": "x"}), &out, &errb))
	assert.Equal(t, 1, run(env(map[string]string{"DELPHIX_ENGINE": e.URL(), "DX_CONTAINER": "nope", "DX_SUBSET_PERCENT": "5"}), &out, &errb))
	assert.Contains(t, errb.String(), `no dataset named "nope"`)
}
