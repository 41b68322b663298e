// Command dx-example-accounts is an example account tool for dx-credentials, working on the
// local engine's data through its test API. It applies DX_ACTION (reset, lock or drop) to
// account DX_ACCOUNT of dataset DX_VDB; a reset sets the password from DX_NEW_PASSWORD, which
// it never prints. As a configureClone hook it gets DX_NEW_PASSWORD from the hook's
// credentialsEnvVarsList (baseVarName DX_NEW gives DX_NEW_USER and DX_NEW_PASSWORD).
//
// The test API base URL comes from DX_ENGINE_TEST_API, or DELPHIX_ENGINE + /dxsteps-test/v1.
package main

import (
	"fmt"
	"io"
	"net/url"
	"os"

	"github.com/dxsteps/dxsteps/test/testapi"
)

func main() { os.Exit(run(os.Getenv, os.Stdout, os.Stderr)) }

func run(getenv func(string) string, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "dx-example-accounts: "+format+"\n", a...)
		return code
	}
	base := testapi.BaseURL(getenv)
	account, action, vdb, password := getenv("DX_ACCOUNT"), getenv("DX_ACTION"), getenv("DX_VDB"), getenv("DX_NEW_PASSWORD")
	switch {
	case base == "":
		return fail(2, "set DX_ENGINE_TEST_API or DELPHIX_ENGINE")
	case account == "" || vdb == "":
		return fail(2, "DX_ACCOUNT and DX_VDB must be set")
	case action != "reset" && action != "lock" && action != "drop":
		return fail(2, "DX_ACTION=%q: want reset, lock or drop", action)
	case action == "reset" && password == "":
		return fail(2, "DX_NEW_PASSWORD is not set for the reset of %s", account)
	}
	body := map[string]string{"action": action}
	if action == "reset" {
		body["password"] = password
	}
	u := base + "/datasets/" + url.PathEscape(vdb) + "/accounts/" + url.PathEscape(account)
	if err := testapi.Call("POST", u, body, nil); err != nil {
		return fail(1, "%s %s on %s: %v", action, account, vdb, err)
	}
	fmt.Fprintf(stdout, "%s: account %s on %s\n", map[string]string{"reset": "password reset", "lock": "locked", "drop": "dropped"}[action], account, vdb)
	return 0
}
