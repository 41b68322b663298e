package cli

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/internal/yamlfile"
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

// libraryEnv are the DXSTEPS_* variables the Jenkins library reads itself,
// or sets for the binaries (APIVersionsEnv); checkEnv accepts them.
var libraryEnv = []string{CallerEnv, APIVersionsEnv, "DXSTEPS_HOME", "DXSTEPS_DIST_URL", "DXSTEPS_TOOLS_DIR", "DXSTEPS_KEEP_OUTPUT"}

// nearMiss is how many edits (case folded) away from a variable dxsteps owns
// a name counts as a typo of it.
const nearMiss = 2

// checkEnv refuses a variable meant for this step that no key reads, as a
// mistyped flag is refused: any DXSTEPS_<STEP>_* name of this step that is
// not one of its keys' (DXSTEPS_BOOKMARK_CONTAINR), any name a typo away
// from one (DXSTEP_BOOKMARK_CONTAINER, DXSTEPS_BOOKMARK_container), and a
// DELPHIX_<FLAG> meant for a step key, which reads DXSTEPS_<STEP>_<FLAG>. An
// unknown DELPHIX_* name is only warned about: other Delphix tools set such
// variables, and a connection setting that is not read cannot widen what
// a step does.
func checkEnv(step *Step, environ []string) (warnings []string, err error) {
	known := map[string]bool{PasswordEnv: true, APIKeyEnv: true}
	for _, name := range libraryEnv {
		known[name] = true
	}
	stepFlag := map[string]*Key{}
	owned := []string{CallerEnv}
	connection := []string{PasswordEnv, APIKeyEnv}
	for _, k := range step.Keys {
		known[step.env(k)] = true
		stepFlag[EnvPrefix+envWord(k.Flag)] = k
		owned = append(owned, step.env(k))
	}
	for _, k := range Connection {
		known[k.Env] = true
		connection = append(connection, k.Env)
	}
	var problems []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		near := suggestWithin(name, owned, nearMiss)
		switch {
		case known[name]:
		case stepFlag[name] != nil:
			k := stepFlag[name]
			problems = append(problems, fmt.Sprintf("%s is set, but --%s reads %s: set that, or unset %s", name, k.Flag, step.env(k), name))
		case strings.HasPrefix(name, step.envPrefix()) || near != "":
			msg := fmt.Sprintf("unknown variable %s: %s reads no such variable", name, step.Name)
			if near != "" {
				msg += "; did you mean " + near + "?"
			} else {
				msg += fmt.Sprintf(" (its own are %s<FLAG>, see --help)", step.envPrefix())
			}
			problems = append(problems, msg)
		case strings.HasPrefix(name, EnvPrefix):
			msg := name + " is set but no flag reads it"
			if s := suggestWithin(name, connection, nearMiss); s != "" {
				msg += "; did you mean " + s + "?"
			} else {
				msg += " (a typo?)"
			}
			warnings = append(warnings, msg)
		}
	}
	sort.Strings(warnings)
	if len(problems) > 0 {
		sort.Strings(problems)
		if n := len(problems) - 1; n > 0 {
			problems[0] += fmt.Sprintf(" (and %d more such variable%s)", n, map[bool]string{true: "s"}[n > 1])
		}
		return warnings, Usagef("%s", problems[0])
	}
	return warnings, nil
}

// applyEnv fills every key not set on the command line from its
// environment variable in environ. A variable set to nothing (or blanks)
// fills nothing and is recorded in empty, by flag name.
func applyEnv(c *ucli.Context, step *Step, environ []string, empty map[string]string) error {
	for _, k := range step.allKeys() {
		env := step.env(k)
		v, ok := lookupEnvOK(environ, env)
		if !ok || c.IsSet(k.Flag) {
			continue
		}
		if strings.TrimSpace(v) == "" {
			empty[k.Flag] = env
			continue
		}
		if err := c.Set(k.Flag, v); err != nil {
			if what := valueProblem(k.flag("", false), v); what != "" {
				return Usagef("%s=%q (for --%s) %s", env, v, k.Flag, what)
			}
			return Usagef("%s=%q is not a valid %s for --%s", env, v, k.Type, k.Flag)
		}
	}
	return nil
}

// applyConfig fills every flag not set on the command line or in the
// environment from the --config file, read by the one strict YAML decoder
// (yamlfile). A key that is not a flag is refused with the one meant, as a
// mistyped flag is; so is a password key. A key set to nothing (null, "",
// an empty list) fills nothing and is recorded in empty, by flag name.
func applyConfig(c *ucli.Context, flags []ucli.Flag, empty map[string]string) error {
	path := c.Path(Config.Flag)
	if path == "" {
		return nil
	}
	file := "--config " + path
	raw, err := os.ReadFile(path)
	if err != nil {
		return Usagef("cannot read %s: %v", file, err)
	}
	byName := map[string]ucli.Flag{}
	var names []string
	for _, f := range flags {
		if n := f.Names()[0]; n != Config.Flag && n != contractFlag && n != versionFlag {
			byName[n] = f
			names = append(names, n)
		}
	}
	secret := []string{"password", "api-key", "apikey"}
	keys := &yamlfile.Keys{Names: append(slices.Clone(names), secret...), Hint: ": its keys are the flag names of --help, without dashes in front"}
	var values map[string]yaml.Node
	if err := yamlfile.Decode(file, raw, &values, keys); err != nil {
		return Usagef("%v", err)
	}
	order := make([]string, 0, len(values))
	for k := range values {
		order = append(order, k)
	}
	sort.Slice(order, func(i, j int) bool { return values[order[i]].Line < values[order[j]].Line })
	for _, key := range order {
		node := values[key]
		f := byName[key]
		var v any
		_ = node.Decode(&v) // into any, which takes every value
		switch {
		case key == "password":
			return Usagef("%s has a password key: keep the password out of files others read; use %s or --password-file", file, PasswordEnv)
		case slices.Contains(secret, key):
			return Usagef("%s has an API key: keep it out of files others read; use %s or --%s", file, APIKeyEnv, APIKeyFile.Flag)
		case c.IsSet(key):
			continue
		case blank(v):
			empty[key] = fmt.Sprintf("--config %s key %s", path, key)
			continue
		}
		if err := setFromConfig(c, f, v); err != nil {
			msg := fmt.Sprintf("key %q %v", key, err)
			if what := valueProblem(f, node.Value); node.Kind == yaml.ScalarNode && what != "" {
				msg = fmt.Sprintf("%s: %s %s", key, asWritten(node.Value), what)
			}
			return Usagef("%v", &yamlfile.Error{File: file, Line: node.Line, Msg: msg})
		}
	}
	return nil
}

// blank says whether a config value is nothing: null, blanks, or a list of
// those.
func blank(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	case []any:
		for _, item := range v {
			if !blank(item) {
				return false
			}
		}
		return true
	}
	return false
}

func setFromConfig(c *ucli.Context, f ucli.Flag, v any) error {
	name := f.Names()[0]
	if _, ok := v.(map[string]any); ok {
		return fmt.Errorf("takes one value, not a map")
	}
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

// asWritten shows a config value as it would be written in the file:
// quoted only when it must be, so the message stays one line.
func asWritten(v string) string {
	if v == "" || strings.ContainsAny(v, " \t\r\n\"'#:") {
		return strconv.Quote(v)
	}
	return v
}
