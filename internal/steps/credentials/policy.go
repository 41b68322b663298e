package credentials

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"regexp"
	"slices"
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
// name is how errors name the policy key (--policy, or key 'policy' in Jenkins).
func loadPolicy(path, name string, getenv func(string) string) (*Policy, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Usagef("cannot read %s: %v", name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err == nil {
		if msg := unknownKey(&doc); msg != "" {
			return nil, cli.Usagef("%s %s: %s", name, path, msg)
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, cli.Usagef("%s %s: %s (expected accounts: [{name, action: reset|lock|drop, password: generate|env:NAME}])", name, path, yamlProblem(err))
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

// The keys a policy may have, at the top and in each account.
var (
	policyKeys  = []string{"accounts"}
	accountKeys = []string{"name", "action", "password"}
)

// unknownKey names the first key of the policy document that is not a
// policy key, with its line and the key meant, or "".
func unknownKey(doc *yaml.Node) string {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return ""
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if msg := keyProblem(top.Content[i], policyKeys, ""); msg != "" {
			return msg
		}
		if top.Content[i].Value != "accounts" || top.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for n, account := range top.Content[i+1].Content {
			if account.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j < len(account.Content); j += 2 {
				if msg := keyProblem(account.Content[j], accountKeys, fmt.Sprintf(" in account %d", n+1)); msg != "" {
					return msg
				}
			}
		}
	}
	return ""
}

func keyProblem(key *yaml.Node, known []string, where string) string {
	if slices.Contains(known, key.Value) {
		return ""
	}
	msg := fmt.Sprintf("line %d: unknown key %q%s", key.Line, key.Value, where)
	if s := cli.Suggest(key.Value, known); s != "" {
		return msg + fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + "; the keys are " + strings.Join(known, ", ")
}

// yamlProblem is a YAML error on one line, without the Go types it names.
func yamlProblem(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	msg = strings.Join(strings.Fields(msg), " ")
	msg = goType.ReplaceAllString(msg, "")
	msg = yamlKind.ReplaceAllStringFunc(msg, func(m string) string {
		kind := yamlKind.FindStringSubmatch(m)[1]
		if k, ok := map[string]string{"map": "a map", "seq": "a list", "str": "a string", "int": "a number", "bool": "true or false"}[kind]; ok {
			kind = k
		}
		return kind + " is not expected here"
	})
	return strings.TrimPrefix(msg, "yaml: ")
}

var (
	goType   = regexp.MustCompile(` into \S+`)
	yamlKind = regexp.MustCompile(`cannot unmarshal !!(\w+)`)
)
