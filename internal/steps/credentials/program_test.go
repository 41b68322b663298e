package credentials

import "testing"

// A plan names a tool by its program only: never an argument nor an assignment's value, which
// may be a secret, even where quotes or escapes make the shell's words differ from fields.
func TestProgramNamesOnlyTheProgram(t *testing.T) {
	for cmd, want := range map[string]string{
		"./reset-account.sh":                                   "reset-account.sh",
		"/opt/dx/reset-account.sh --token s3cret":              "reset-account.sh",
		"TOKEN=s3cret PGPASSWORD=x psql -c 'alter user'":       "psql",
		"TOKEN='s3cret with space' psql":                       "a shell command",
		`TOKEN=s3cret\ more psql`:                              "a shell command",
		`TOKEN="$(cat /run/secret)" psql`:                      "a shell command",
		`"/opt/my tool.sh" s3cret`:                             "a shell command",
		`echo "$DX_ACTION $DX_NEW_PASSWORD" > /tmp/x`:          "echo",
		`{ echo "$DX_ACCOUNT"; } > out`:                        "a shell command",
		"":                                                     "a shell command",
		"printf %s \"$DX_NEW_PASSWORD\" | vault kv put x pw=-": "printf",
	} {
		if got := program(cmd); got != want {
			t.Errorf("program(%q) = %q, want %q", cmd, got, want)
		}
	}
}
