package cli

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"
)

// EnvPrefix starts every environment variable the binaries read.
const EnvPrefix = "DELPHIX_"

// PasswordEnv holds the engine password; there is no flag for it.
const PasswordEnv = "DELPHIX_PASSWORD"

// Names of the connection flags, shared by every step binary.
const (
	EngineFlag       = "engine"
	UserFlag         = "user"
	PasswordFileFlag = "password-file"
	APIVersionFlag   = "api-version"
	CACertFlag       = "ca-cert"
	InsecureFlag     = "insecure"
	TimeoutFlag      = "timeout"
	ConfigFlag       = "config"
	ErrorFileFlag    = "error-file"
	CancelFlag       = "cancel-on-abort"
	RetryMaxFlag     = "retry-max"
)

// connectionFlags builds the connection flags afresh: urfave flags keep
// parse state, so each run gets its own.
func connectionFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: EngineFlag, Usage: "engine `URL`, e.g. https://delphix.example.com"},
		&ucli.StringFlag{Name: UserFlag, Usage: "engine user (`NAME`, or NAME@SYSTEM)"},
		&ucli.PathFlag{Name: PasswordFileFlag, Usage: "read the password from `FILE` (else from " + PasswordEnv + ")"},
		&ucli.StringFlag{Name: APIVersionFlag, Usage: "pin the engine API `VERSION`, e.g. 1.10.6 (default: the highest both sides speak)"},
		&ucli.PathFlag{Name: CACertFlag, Usage: "trust the CA certificates in `FILE` (PEM)"},
		&ucli.BoolFlag{Name: InsecureFlag, Usage: "do not verify the engine's TLS certificate (unsafe)"},
		&ucli.DurationFlag{Name: TimeoutFlag, Value: 2 * time.Hour, Usage: "overall `DURATION` before the step gives up and cancels its job"},
		&ucli.PathFlag{Name: ConfigFlag, Usage: "YAML `FILE` whose keys are these flags' names"},
		&ucli.PathFlag{Name: ErrorFileFlag, Usage: "on failure, also write the error as JSON to `FILE`"},
		&ucli.BoolFlag{Name: CancelFlag, Value: true, Usage: "cancel the engine job on SIGINT/SIGTERM or timeout"},
		&ucli.IntFlag{Name: RetryMaxFlag, Value: 4, Usage: "retry a request that is safe to repeat at most `N` times when the engine is unreachable"},
	}
}

// EnvName is the environment variable a flag reads: --foo-bar reads DELPHIX_FOO_BAR.
func EnvName(flag string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// withEnvVars gives every flag its environment variable.
func withEnvVars(flags []ucli.Flag) {
	for _, f := range flags {
		env := []string{EnvName(f.Names()[0])}
		switch f := f.(type) {
		case *ucli.StringFlag:
			f.EnvVars = env
		case *ucli.PathFlag:
			f.EnvVars = env
		case *ucli.BoolFlag:
			f.EnvVars = env
		case *ucli.DurationFlag:
			f.EnvVars = env
		case *ucli.IntFlag:
			f.EnvVars = env
		case *ucli.StringSliceFlag:
			f.EnvVars = env
		default:
			panic(fmt.Sprintf("cli: flag type %T has no env wiring", f))
		}
	}
}

// unknownEnv lists DELPHIX_* variables that no flag reads: most often a typo.
func unknownEnv(flags []ucli.Flag, environ []string) []string {
	known := map[string]bool{PasswordEnv: true}
	for _, f := range flags {
		known[EnvName(f.Names()[0])] = true
	}
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, EnvPrefix) && !known[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	return unknown
}

// applyConfig fills every flag not set on the command line or in the
// environment from the --config file. Unknown keys are returned so the
// caller can report them; a password key is refused.
func applyConfig(c *ucli.Context, flags []ucli.Flag) (unknown []string, err error) {
	path := c.Path(ConfigFlag)
	if path == "" {
		return nil, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, Usagef("cannot read --config %s: %v", path, err)
	}
	var values map[string]any
	if err := yaml.Unmarshal(raw, &values); err != nil {
		return nil, Usagef("--config %s is not a YAML map of flag names to values: %v", path, err)
	}
	byName := map[string]ucli.Flag{}
	for _, f := range flags {
		byName[f.Names()[0]] = f
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		f, ok := byName[key]
		switch {
		case key == "password":
			return nil, Usagef("--config %s has a password key: keep the password out of files others read; use %s or --password-file", path, PasswordEnv)
		case !ok || key == ConfigFlag:
			unknown = append(unknown, key)
			continue
		case c.IsSet(key):
			continue
		}
		if err := setFromConfig(c, f, values[key]); err != nil {
			return nil, Usagef("--config %s: key %q: %v", path, key, err)
		}
	}
	return unknown, nil
}

func setFromConfig(c *ucli.Context, f ucli.Flag, v any) error {
	name := f.Names()[0]
	if list, ok := v.([]any); ok {
		if _, isSlice := f.(*ucli.StringSliceFlag); !isSlice {
			return fmt.Errorf("takes one value, not a list")
		}
		for _, item := range list {
			if err := c.Set(name, fmt.Sprint(item)); err != nil {
				return err
			}
		}
		return nil
	}
	return c.Set(name, fmt.Sprint(v))
}
