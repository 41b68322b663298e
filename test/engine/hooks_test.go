package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// masterSource returns the master VDB's source reference.
func masterSource(c *client) string {
	return c.list("/source?database=" + masterRef)[0]["reference"].(string)
}

func refreshMaster(c *client) map[string]any {
	res := c.ok("POST", "/database/"+masterRef+"/refresh", obj{"type": "RefreshParameters",
		"timeflowPointParameters": obj{"type": "TimeflowPointSemantic", "container": prodRef, "location": "LATEST_SNAPSHOT"}})
	return c.wait(res["job"].(string))
}

func TestConfigureCloneHooksRunOnRefreshWithCredentialsAndTestAPI(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	out := filepath.Join(t.TempDir(), "env")
	src := masterSource(c)
	res := c.ok("POST", "/source/"+src, obj{"type": "AppDataVirtualSource", "operations": obj{
		"type": "VirtualSourceOperations",
		"configureClone": []any{obj{"type": "RunBashOnSourceOperation", "name": "reset users",
			"command": `echo "$DX_NEW_PASSWORD|$DX_ENGINE_TEST_API|${BASH_VERSION:+bash}" > ` + out,
			"credentialsEnvVarsList": []any{obj{"type": "CredentialsEnvVars", "baseVarName": "DX_NEW",
				"credentials": obj{"type": "PasswordCredential", "password": "s3cret"}}}}}}})
	assert.Nil(t, res["job"])
	assert.NotNil(t, res["action"])
	hooks := c.get("/source/" + src)["operations"].(map[string]any)
	assert.Len(t, hooks["configureClone"], 1)
	assert.Equal(t, []any{}, hooks["preRefresh"])

	job := refreshMaster(c)
	require.Equal(t, "COMPLETED", job["jobState"], "%v", job["events"])
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "s3cret|"+e.TestAPIURL()+"|bash\n", string(b))
	assert.Contains(t, eventCodes(job), "event.jobs.hook.run")
	for _, r := range e.Requests() {
		assert.NotContains(t, string(r.Body), "s3cret", "request log must not keep the password")
	}
}

func TestFailingHookFailsTheRefreshWithItsOutput(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "delphix_admin", "1.11.9")
	c.ok("POST", "/source/"+masterSource(c), obj{"type": "AppDataVirtualSource", "operations": obj{
		"type":           "VirtualSourceOperations",
		"configureClone": []any{obj{"type": "RunCommandOnSourceOperation", "name": "bad", "command": "echo boom; exit 3"}}}})
	job := refreshMaster(c)
	assert.Equal(t, "FAILED", job["jobState"])
	evs := job["events"].([]any)
	last := evs[len(evs)-1].(map[string]any)
	assert.Equal(t, "ERROR", last["eventType"])
	assert.Equal(t, "boom\n", last["messageCommandOutput"])
	assert.True(t, strings.Contains(last["messageDetails"].(string), "exit code 3"))

	// Whole-array semantics: sending an empty list removes the hook.
	c.ok("POST", "/source/"+masterSource(c), obj{"type": "AppDataVirtualSource",
		"operations": obj{"type": "VirtualSourceOperations", "configureClone": []any{}}})
	assert.Equal(t, "COMPLETED", refreshMaster(c)["jobState"])
}

func TestHookFieldsFollowTheVersion(t *testing.T) {
	e := start(t, Options{})
	hook := func(fields obj) obj {
		h := obj{"type": "RunBashOnSourceOperation", "command": "true"}
		for k, v := range fields {
			h[k] = v
		}
		return obj{"type": "AppDataVirtualSource", "operations": obj{"type": "VirtualSourceOperations", "configureClone": []any{h}}}
	}
	creds := []any{obj{"type": "CredentialsEnvVars", "baseVarName": "X", "credentials": obj{"type": "PasswordCredential", "password": "p"}}}

	v18 := login(t, e, "delphix_admin", "1.8.0")
	v18.ok("POST", "/source/"+masterSource(v18), hook(nil))
	v19 := login(t, e, "delphix_admin", "1.9.0")
	_, err := v19.apiErr("POST", "/source/"+masterSource(v19), hook(nil))
	assert.Equal(t, idFieldRequired, err["id"])
	v110 := login(t, e, "delphix_admin", "1.10.0")
	_, err = v110.apiErr("POST", "/source/"+masterSource(v110), hook(obj{"name": "n", "credentialsEnvVarsList": creds}))
	assert.Equal(t, idFieldUnknown, err["id"])
	v111 := login(t, e, "delphix_admin", "1.11.0")
	v111.ok("POST", "/source/"+masterSource(v111), hook(obj{"name": "n", "credentialsEnvVarsList": creds}))
	_, err = v111.apiErr("POST", "/source/"+masterSource(v111), obj{"type": "OracleVirtualSource"})
	assert.Equal(t, idTypeMismatch, err["id"])
	_, err = v111.apiErr("POST", "/source/"+masterSource(v111), hook(obj{"name": "n", "type": "SourceOperation"}))
	assert.Equal(t, idTypeAbstract, err["id"])
}
