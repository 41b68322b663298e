package enginetest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/dxsteps/dxsteps/test/testapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartServesUntilTheTestEndsThenCloses(t *testing.T) {
	var e *engine.Engine
	t.Run("inside", func(t *testing.T) {
		e = enginetest.Start(t)
		resp, err := http.Get(e.TestAPIURL() + "/datasets")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
	_, err := http.Get(e.TestAPIURL() + "/datasets")
	assert.Error(t, err, "the engine is closed once its test ends")
}

func TestTheInMemoryClientChangesTheEngineTheSocketServes(t *testing.T) {
	e := enginetest.Start(t, engine.Options{APIVersion: "1.10.6"})
	hc := e.Client()
	resp, err := hc.Post(e.TestAPIURL()+"/prod/change", "application/json", strings.NewReader(`{"database":"Patients Prod"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = http.Get(e.URL() + testapi.Path + "/datasets/" + url.PathEscape("Patients Prod"))
	require.NoError(t, err)
	defer resp.Body.Close()
	var d engine.Dataset
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&d))
	before, _ := e.Dataset("Patients Prod")
	assert.Equal(t, before.Contents.DataVersion, d.Contents.DataVersion)
	assert.Equal(t, 2, d.Contents.DataVersion, "one change from the seed's version 1")
}

func TestTheInMemoryClientKeepsItsSession(t *testing.T) {
	e := enginetest.Start(t)
	hc := e.Client()
	post := func(path, body string) map[string]any {
		resp, err := hc.Post(e.URL()+"/resources/json/delphix"+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		return m
	}
	post("/session", `{"type":"APISession","version":{"type":"APIVersion","major":1,"minor":11,"micro":9}}`)
	assert.Equal(t, "OK", post("/login", `{"type":"LoginRequest","username":"delphix_admin","password":"landshark"}`)["status"])
	resp, err := hc.Get(e.URL() + "/resources/json/delphix/database")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "logged in: the cookie went with the request")

	resp, err = e.Client().Get(e.URL() + "/resources/json/delphix/database")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "another client has its own jar")
}
