package credentials

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
	"github.com/dxsteps/dxsteps/internal/yamlfile"
)

// Policy is the accounts file: what to do with each database account.
type Policy struct {
	Accounts []Account `yaml:"accounts"`
}

// Account is one policy entry.
type Account struct {
	Name     string `yaml:"name" json:"name"`
	Action   string `yaml:"action" json:"action"`                         // reset, lock or drop
	Password string `yaml:"password,omitempty" json:"password,omitempty"` // generate or env:NAME (reset only)
}

// loadPolicy reads and checks the whole policy before anything is done.
// name is how errors name the policy key (--policy, or key 'policy' in Jenkins).
func loadPolicy(path, name string, getenv func(string) string) (*Policy, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Usagef("cannot read %s: %v", name, err)
	}
	var p Policy
	if err := yamlfile.Decode(name+" "+path, raw, &p, nil); err != nil {
		return nil, cli.Usagef("%v", err)
	}
	if len(p.Accounts) == 0 {
		return nil, cli.Usagef("%s %s lists no accounts", name, path)
	}
	seen := map[string]bool{}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		switch {
		case a.Name == "":
			return nil, cli.Usagef("%s %s: account %d has no name", name, path, i+1)
		case seen[a.Name]:
			return nil, cli.Usagef("%s %s: account %q is listed twice", name, path, a.Name)
		case a.Action != "reset" && a.Action != "lock" && a.Action != "drop":
			return nil, cli.Usagef("%s %s: account %q: action %q must be reset, lock or drop", name, path, a.Name, a.Action)
		case a.Action != "reset" && a.Password != "":
			return nil, cli.Usagef("%s %s: account %q: a password goes only with action reset", name, path, a.Name)
		}
		seen[a.Name] = true
		if a.Action == "reset" && a.Password == "" {
			a.Password = "generate"
		}
		if a.Action == "reset" && a.Password != "generate" {
			env, ok := strings.CutPrefix(a.Password, "env:")
			if !ok || env == "" {
				return nil, cli.Usagef("%s %s: account %q: password %q must be generate or env:NAME", name, path, a.Name, a.Password)
			}
			if getenv(env) == "" {
				return nil, cli.Usagef("%s %s: account %q takes its password from %s, which is not set", name, path, a.Name, env)
			}
		}
	}
	return &p, nil
}

// newPassword returns the password for a reset: generated, or read from
// the environment variable the policy names.
func newPassword(a Account, getenv func(string) string) (string, error) {
	if env, ok := strings.CutPrefix(a.Password, "env:"); ok {
		return getenv(env), nil
	}
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 24)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", fmt.Errorf("generate a password: %w", err)
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}
