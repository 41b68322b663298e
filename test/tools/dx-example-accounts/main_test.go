package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestAccountsResetsWithoutPrintingThePasswordAndDrops(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.01})
	var out, errb bytes.Buffer
	code := run(env(map[string]string{"DELPHIX_ENGINE": e.URL(), "DX_VDB": "Patients Masked Master",
		"DX_ACCOUNT": "app_user", "DX_ACTION": "reset", "DX_NEW_PASSWORD": "Str0ng-pw"}), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.NotContains(t, out.String()+errb.String(), "Str0ng-pw")
	sum := sha256.Sum256([]byte("Str0ng-pw"))
	d, _ := e.Dataset("Patients Masked Master")
	assert.Equal(t, engine.Account{Name: "app_user", State: "active", PasswordSha256: hex.EncodeToString(sum[:])}, d.Contents.Accounts[0])

	require.Equal(t, 0, run(env(map[string]string{"DX_ENGINE_TEST_API": e.TestAPIURL(), "DX_VDB": "Patients Masked Master",
		"DX_ACCOUNT": "dba_alice", "DX_ACTION": "drop"}), &out, &errb))
	d, _ = e.Dataset("Patients Masked Master")
	assert.Equal(t, "dropped", d.Contents.Accounts[2].State)
}

func TestAccountsUnknownAccountExits1WithAClearMessage(t *testing.T) {
	e := enginetest.Start(t, engine.Options{Speed: 0.01})
	var out, errb bytes.Buffer
	code := run(env(map[string]string{"DELPHIX_ENGINE": e.URL(), "DX_VDB": "Patients Masked Master",
		"DX_ACCOUNT": "ghost", "DX_ACTION": "lock"}), &out, &errb)
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), `has no account "ghost"`)
	assert.Equal(t, 2, run(env(map[string]string{"DELPHIX_ENGINE": e.URL(), "DX_VDB": "x", "DX_ACCOUNT": "a", "DX_ACTION": "reset"}), &out, &errb))
}
