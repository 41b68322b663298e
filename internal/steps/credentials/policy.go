package credentials

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
	"gopkg.in/yaml.v3"
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
func loadPolicy(path string) (*Policy, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Usagef("cannot read --policy: %v", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, cli.Usagef("--policy %s: %v (expected accounts: [{name, action: reset|lock|drop, password: generate|env:NAME}])", path, err)
	}
	if len(p.Accounts) == 0 {
		return nil, cli.Usagef("--policy %s lists no accounts", path)
	}
	seen := map[string]bool{}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		switch {
		case a.Name == "":
			return nil, cli.Usagef("--policy %s: account %d has no name", path, i+1)
		case seen[a.Name]:
			return nil, cli.Usagef("--policy %s: account %q is listed twice", path, a.Name)
		case a.Action != "reset" && a.Action != "lock" && a.Action != "drop":
			return nil, cli.Usagef("--policy %s: account %q: action %q must be reset, lock or drop", path, a.Name, a.Action)
		case a.Action != "reset" && a.Password != "":
			return nil, cli.Usagef("--policy %s: account %q: a password goes only with action reset", path, a.Name)
		}
		seen[a.Name] = true
		if a.Action == "reset" && a.Password == "" {
			a.Password = "generate"
		}
		if a.Action == "reset" && a.Password != "generate" {
			env, ok := strings.CutPrefix(a.Password, "env:")
			if !ok || env == "" {
				return nil, cli.Usagef("--policy %s: account %q: password %q must be generate or env:NAME", path, a.Name, a.Password)
			}
			if os.Getenv(env) == "" {
				return nil, cli.Usagef("--policy %s: account %q takes its password from %s, which is not set", path, a.Name, env)
			}
		}
	}
	return &p, nil
}

// newPassword returns the password for a reset: generated, or read from
// the environment variable the policy names.
func newPassword(a Account) (string, error) {
	if env, ok := strings.CutPrefix(a.Password, "env:"); ok {
		return os.Getenv(env), nil
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
