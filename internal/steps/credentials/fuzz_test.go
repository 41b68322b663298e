package credentials

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/internal/cli"
)

// FuzzPolicy: any --policy content is either a whole valid policy (named,
// unique accounts; reset, lock or drop; a password only for reset, and then
// generate or env:NAME) or one usage error; never a panic, and never the
// value of a password variable in the message. Seeds:
// testdata/fuzz/FuzzPolicy.
func FuzzPolicy(f *testing.F) {
	f.Add([]byte("accounts:\n  - {name: app_user, action: reset, password: env:FUZZ_PW}\n  - {name: dba_alice, action: drop}\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		path := filepath.Join(t.TempDir(), "policy.yaml")
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Skip(err)
		}
		getenv := func(name string) string {
			if name == "FUZZ_PW" {
				return "fuzz-secret-value"
			}
			return ""
		}
		p, err := loadPolicy(path, "--policy", getenv)
		if err != nil {
			var usage *cli.UsageError
			if !errors.As(err, &usage) {
				t.Fatalf("not a usage error: %v", err)
			}
			if strings.Contains(err.Error(), "fuzz-secret-value") && !strings.Contains(string(raw), "fuzz-secret-value") {
				t.Fatalf("a password leaked into the message: %v", err)
			}
			return
		}
		if len(p.Accounts) == 0 {
			t.Fatal("a valid policy with no accounts")
		}
		seen := map[string]bool{}
		for _, a := range p.Accounts {
			switch {
			case a.Name == "" || seen[a.Name]:
				t.Fatalf("account name %q empty or repeated", a.Name)
			case a.Action != "reset" && a.Action != "lock" && a.Action != "drop":
				t.Fatalf("action %q", a.Action)
			case a.Action != "reset" && a.Password != "":
				t.Fatalf("password on %s", a.Action)
			case a.Action == "reset" && a.Password != "generate" && !strings.HasPrefix(a.Password, "env:"):
				t.Fatalf("password %q", a.Password)
			}
			seen[a.Name] = true
		}
	})
}

// FuzzShellQuote: whatever a value holds (quotes, $, backticks, newlines),
// the shell reads the quoted word back as exactly that value.
func FuzzShellQuote(f *testing.F) {
	f.Add("it's $HOME `id` \\ \n")
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsRune(s, 0) {
			return // no shell argument can hold a NUL
		}
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+shellQuote(s)).Output()
		if err != nil {
			t.Fatalf("sh: %v", err)
		}
		if string(out) != s {
			t.Fatalf("quoted %q, the shell read %q", s, out)
		}
	})
}
