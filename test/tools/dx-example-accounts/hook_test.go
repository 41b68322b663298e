package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary act as the tool when the engine runs it as a hook.
func TestMain(m *testing.M) {
	if os.Getenv("DX_EXAMPLE_ACCOUNTS_AS_TOOL") == "1" {
		os.Exit(run(os.Getenv, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestAsAConfigureCloneHookItResetsThePasswordFromTheCredential(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.01})
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	post := func(path string, body any) map[string]any {
		b, _ := json.Marshal(body)
		resp, err := hc.Post(e.URL()+"/resources/json/delphix"+path, "application/json", bytes.NewReader(b))
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		require.Equal(t, "OK", m["status"], "%s: %v", path, m)
		return m
	}
	post("/session", map[string]any{"type": "APISession", "version": map[string]any{"type": "APIVersion", "major": 1, "minor": 11, "micro": 9}})
	post("/login", map[string]any{"type": "LoginRequest", "username": "delphix_admin", "password": "landshark"})
	post("/source/APPDATA_VIRTUAL_SOURCE-1", map[string]any{"type": "AppDataVirtualSource", "operations": map[string]any{
		"type": "VirtualSourceOperations", "configureClone": []any{map[string]any{
			"type": "RunBashOnSourceOperation", "name": "reset app_user",
			"command": "DX_EXAMPLE_ACCOUNTS_AS_TOOL=1 DX_ACCOUNT=app_user DX_ACTION=reset DX_VDB='Patients Masked Master' " + os.Args[0],
			"credentialsEnvVarsList": []any{map[string]any{"type": "CredentialsEnvVars", "baseVarName": "DX_NEW",
				"credentials": map[string]any{"type": "PasswordCredential", "password": "from-the-hook"}}}}}}})
	job := post("/database/APPDATA_CONTAINER-2/refresh", map[string]any{"type": "RefreshParameters",
		"timeflowPointParameters": map[string]any{"type": "TimeflowPointSemantic", "container": "APPDATA_CONTAINER-1", "location": "LATEST_SNAPSHOT"}})["job"].(string)
	require.Eventually(t, func() bool {
		resp, err := hc.Get(e.URL() + "/resources/json/delphix/job/" + job)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m struct{ Result struct{ JobState string } }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		require.NotEqual(t, "FAILED", m.Result.JobState)
		return m.Result.JobState == "COMPLETED"
	}, 10*time.Second, 10*time.Millisecond)
	d, _ := e.Dataset("Patients Masked Master")
	var want engine.Account
	for _, a := range d.Contents.Accounts {
		if a.Name == "app_user" {
			want = a
		}
	}
	var out, errb bytes.Buffer
	run(env(map[string]string{"DELPHIX_ENGINE": e.URL(), "DX_VDB": "prep1", "DX_ACCOUNT": "app_user", "DX_ACTION": "reset", "DX_NEW_PASSWORD": "from-the-hook"}), &out, &errb)
	p, _ := e.Dataset("prep1")
	assert.Equal(t, p.Contents.Accounts[0].PasswordSha256, want.PasswordSha256, "the hook set the credential's password")
}
