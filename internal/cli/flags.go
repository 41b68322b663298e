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

// EnvPrefix starts the connection settings' environment variables.
const EnvPrefix = "DELPHIX_"

// StepEnvPrefix starts the step settings' environment variables:
// DXSTEPS_<STEP>_<FLAG>, e.g. DXSTEPS_BOOKMARK_NAME, so that a generic
// variable such as DELPHIX_NAME never switches a step flag on.
const StepEnvPrefix = "DXSTEPS_"

// PasswordEnv holds the engine password; there is no flag for it.
const PasswordEnv = "DELPHIX_PASSWORD"

// APIKeyEnv holds the Data Control Tower API key; there is no flag for it.
const APIKeyEnv = "DELPHIX_API_KEY"

// The platforms a step drives, chosen with --platform.
const (
	PlatformEngine = "engine" // the engine API, with Self-Service (Jet Stream)
	PlatformDCT    = "dct"    // Data Control Tower, REST API v3
)

// Platforms lists them, the default first.
var Platforms = []string{PlatformEngine, PlatformDCT}

// CallerEnv, set to "jenkins" by the Jenkins library, makes error lines
// name the step's keys instead of its flags.
const CallerEnv = "DXSTEPS_CALLER"

// The connection keys, shared by every step binary.
var (
	Engine       = &Key{Flag: "engine", Type: String, Library: true, Usage: "engine `URL`, e.g. https://delphix.example.com (with --platform dct: the Data Control Tower URL)"}
	Platform     = &Key{Flag: "platform", Type: String, Library: true, Usage: "`PLATFORM` to drive: engine (the engine API and Self-Service, the default) or dct (Data Control Tower)"}
	User         = &Key{Flag: "user", Type: String, Platforms: []string{PlatformEngine}, Usage: "engine user (`NAME`, or NAME@SYSTEM)"}
	PasswordFile = &Key{Flag: "password-file", Type: Path, Platforms: []string{PlatformEngine}, Usage: "read the password from `FILE` (else from " + PasswordEnv + ")"}
	APIKeyFile   = &Key{Flag: "api-key-file", Type: Path, Platforms: []string{PlatformDCT}, Usage: "read the DCT API key from `FILE` (else from " + APIKeyEnv + ")"}
	DCTBasePath  = &Key{Flag: "dct-base-path", Type: String, Library: true, Platforms: []string{PlatformDCT}, Usage: "`PATH` DCT serves API v3 under (default /dct/v3; older installations: /v3)"}
	APIVersion   = &Key{Flag: "api-version", Type: String, Library: true, Platforms: []string{PlatformEngine}, Usage: "pin the engine API `VERSION`, e.g. 1.10.6 (default: the highest both sides speak)"}
	CACert       = &Key{Flag: "ca-cert", Type: Path, Library: true, Usage: "trust the CA certificates in `FILE` (PEM)"}
	Insecure     = &Key{Flag: "insecure", Type: Bool, Library: true, Usage: "do not verify the engine's (or DCT's) TLS certificate (unsafe)"}
	Timeout      = &Key{Flag: "timeout", Type: Duration, Default: 2 * time.Hour, Library: true, Usage: "overall `DURATION` before the step gives up and cancels its job"}
	Config       = &Key{Flag: "config", Type: Path, Usage: "YAML `FILE` whose keys are these flags' names"}
	ErrorFile    = &Key{Flag: "error-file", Type: Path, Usage: "on failure, also write the error as JSON to `FILE`"}
	Cancel       = &Key{Flag: "cancel-on-abort", Type: Bool, Default: true, Usage: "cancel the engine job on SIGINT/SIGTERM or timeout"}
	RetryMax     = &Key{Flag: "retry-max", Type: Int, Default: 4, Usage: "retry a request that is safe to repeat at most `N` times when the engine is unreachable"}
)

// Connection lists the connection keys in --help order.
var Connection = []*Key{Engine, Platform, User, PasswordFile, APIKeyFile, DCTBasePath, APIVersion, CACert, Insecure, Timeout, Config, ErrorFile, Cancel, RetryMax}

func init() {
	for _, k := range Connection {
		k.Env = EnvPrefix + envWord(k.Flag)
	}
}

// envWord is a flag name as part of an environment variable: foo-bar is FOO_BAR.
func envWord(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

// unknownEnv warns about variables that look meant for this step but that
// no flag reads: a DELPHIX_* name, a near miss of a DXSTEPS_<STEP>_* name,
// or DELPHIX_<FLAG> for a step flag, which reads DXSTEPS_<STEP>_<FLAG>.
func unknownEnv(step *Step, environ []string) []string {
	known := map[string]bool{PasswordEnv: true, APIKeyEnv: true}
	stepFlag := map[string]*Key{}
	var stepEnvs []string
	for _, k := range step.allKeys() {
		known[step.env(k)] = true
		stepFlag[EnvPrefix+envWord(k.Flag)] = k
		stepEnvs = append(stepEnvs, step.env(k))
	}
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case known[name]:
		case stepFlag[name] != nil:
			k := stepFlag[name]
			warnings = append(warnings, fmt.Sprintf("%s is set but --%s reads %s; ignored", name, k.Flag, step.env(k)))
		case strings.HasPrefix(name, EnvPrefix):
			warnings = append(warnings, name+" is set but no flag reads it (a typo?)")
		case strings.HasPrefix(name, step.envPrefix()):
			// Other DXSTEPS_<STEP>_* names may be the user's own (DXSTEPS_SUBSET_TOOL): only a near miss is reported.
			if near := suggestWithin(name, stepEnvs, 1+len(name)/20); near != "" {
				warnings = append(warnings, name+" is set but no flag reads it; did you mean "+near+"?")
			}
		}
	}
	sort.Strings(warnings)
	return warnings
}

// applyEnv fills every key not set on the command line from its
// environment variable in environ.
func applyEnv(c *ucli.Context, step *Step, environ []string) error {
	for _, k := range step.allKeys() {
		env := step.env(k)
		v, ok := lookupEnvOK(environ, env)
		if !ok || v == "" || c.IsSet(k.Flag) {
			continue
		}
		if err := c.Set(k.Flag, v); err != nil {
			return Usagef("%s=%q is not a valid %s for --%s", env, v, k.Type, k.Flag)
		}
	}
	return nil
}

// applyConfig fills every flag not set on the command line or in the
// environment from the --config file. Unknown keys are returned so the
// caller can report them; a password key is refused.
func applyConfig(c *ucli.Context, flags []ucli.Flag) (unknown []string, err error) {
	path := c.Path(Config.Flag)
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
		case key == "api-key" || key == "apikey":
			return nil, Usagef("--config %s has an API key: keep it out of files others read; use %s or --%s", path, APIKeyEnv, APIKeyFile.Flag)
		case !ok || key == Config.Flag:
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
