package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"
)

// Type is what a key holds.
type Type string

// The types a key may have.
const (
	String   Type = "string"
	Int      Type = "integer"
	Bool     Type = "boolean"
	Duration Type = "duration" // a Go duration such as 45m
	Path     Type = "path"     // a file on the agent
	List     Type = "list"     // strings; the flag repeats
)

// Key is one setting of a step: a flag, an environment variable, a config
// file key and a Jenkins step key at once. The same Key builds the flag,
// checks the value and describes it in the contract.
type Key struct {
	// Flag is the flag name without dashes, e.g. "require-masked".
	Flag string
	// Name is the Jenkins step key; default: Flag in camelCase ("requireMasked").
	Name string
	Type Type
	// Usage is one line; a word in backquotes names the value in --help.
	Usage string
	// Default is the binary's default: an int, a bool or a time.Duration.
	Default any
	// Mandatory keys are needed by every operation.
	Mandatory bool
	// NeededBy lists the operations that need the key (when not Mandatory).
	NeededBy []string
	// Only lists the operations that accept the key; empty: all of them.
	Only []string
	// Min and Max bound an integer key when Max > 0.
	Min, Max int
	// Env is the environment variable the flag reads; Step.init fills it
	// for step keys (DXSTEPS_<STEP>_<FLAG>).
	Env string
	// Library is false for a connection key the Jenkins library sets
	// itself or does not offer (user, error-file ...).
	Library bool
	// Platforms the key applies to; empty: every platform the step drives.
	// Setting it for another platform is a usage error.
	Platforms []string
}

// appliesTo says whether the key means something on platform p.
func (k *Key) appliesTo(p string) bool {
	return len(k.Platforms) == 0 || slices.Contains(k.Platforms, p)
}

// KeyName is the Jenkins key name.
func (k *Key) KeyName() string {
	if k.Name != "" {
		return k.Name
	}
	parts := strings.Split(k.Flag, "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// accepts says whether operation op takes the key.
func (k *Key) accepts(op string) bool {
	return len(k.Only) == 0 || op == "" || slices.Contains(k.Only, op)
}

// needed says whether operation op needs the key.
func (k *Key) needed(op string) bool {
	return k.Mandatory || slices.Contains(k.NeededBy, op)
}

// flag builds the urfave flag afresh (urfave flags keep parse state), its
// usage followed by note; hidden keeps it out of --help.
//
// The environment variable is only shown here, not set as the flag's
// EnvVars: urfave reads EnvVars with os.LookupEnv, the process's
// environment, and a step reads the environment it is given (Run's
// environ; Input.Getenv), so that tests run steps in process, side by
// side, each with its own. applyEnv fills the flags from that environment
// instead, and checkEnv refuses a variable meant for the step that no
// key reads, which urfave would ignore.
func (k *Key) flag(note string, hidden bool) ucli.Flag {
	usage := k.Usage + note + " [$" + k.Env + "]"
	switch k.Type {
	case String:
		return &ucli.StringFlag{Name: k.Flag, Usage: usage, Hidden: hidden}
	case Path:
		return &ucli.PathFlag{Name: k.Flag, Usage: usage, Hidden: hidden}
	case Bool:
		v, _ := k.Default.(bool)
		return &ucli.BoolFlag{Name: k.Flag, Usage: usage, Value: v, Hidden: hidden}
	case Int:
		v, _ := k.Default.(int)
		return &ucli.IntFlag{Name: k.Flag, Usage: usage, Value: v, Hidden: hidden}
	case Duration:
		v, _ := k.Default.(time.Duration)
		return &ucli.DurationFlag{Name: k.Flag, Usage: usage, Value: v, Hidden: hidden}
	case List:
		return &ucli.StringSliceFlag{Name: k.Flag, Usage: usage, Hidden: hidden}
	}
	panic(fmt.Sprintf("cli: key %s has no type", k.Flag))
}

// Input is what a step's Parse reads: the operation and the keys' values,
// already checked against the step's keys and rules.
type Input struct {
	Op string
	// Platform is the platform the step drives: PlatformEngine or PlatformDCT.
	Platform string
	c        *ucli.Context
	environ  []string
	jenkins  bool
	// empty maps a flag given an empty value to where it was given: the
	// flag, its environment variable, or the config file's key.
	empty map[string]string
	// from maps a connection key that has a value to where it came from:
	// the flag, its environment variable, or the config file's key.
	from map[string]string
}

// noteFrom records where the connection keys that have a value and no
// recorded origin yet got it: where(k).
func (in *Input) noteFrom(where func(k *Key) string) {
	if in.from == nil {
		in.from = map[string]string{}
	}
	for _, k := range Connection {
		if _, ok := in.from[k.Flag]; !ok && in.c.IsSet(k.Flag) {
			in.from[k.Flag] = where(k)
		}
	}
}

// String returns a string or path key's value.
func (in *Input) String(k *Key) string { return in.c.String(k.Flag) }

// Bool returns a boolean key's value.
func (in *Input) Bool(k *Key) bool { return in.c.Bool(k.Flag) }

// Int returns an integer key's value.
func (in *Input) Int(k *Key) int { return in.c.Int(k.Flag) }

// Duration returns a duration key's value.
func (in *Input) Duration(k *Key) time.Duration { return in.c.Duration(k.Flag) }

// List returns a list key's values, without blank ones: --tag ',' is no tag.
func (in *Input) List(k *Key) []string {
	var out []string
	for _, v := range in.c.StringSlice(k.Flag) {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

// Empty says whether k was given but holds nothing, or a list with a blank
// item (--tag 'a,'), and where it was given, for an error message. A step
// whose key narrows what it deletes refuses such a key rather than run
// without it.
func (in *Input) Empty(k *Key) (from string, ok bool) {
	if from, ok := in.empty[k.Flag]; ok {
		return from, true
	}
	if !in.c.IsSet(k.Flag) {
		return "", false
	}
	switch k.Type {
	case String, Path:
		if strings.TrimSpace(in.String(k)) == "" {
			return in.Name(k), true
		}
	case List:
		for _, v := range in.c.StringSlice(k.Flag) {
			if strings.TrimSpace(v) == "" {
				return in.Name(k), true
			}
		}
	}
	return "", false
}

// emptyOnCommandLine records the keys given an empty value as flags.
func (in *Input) emptyOnCommandLine(keys []*Key) {
	for _, k := range keys {
		if in.c.IsSet(k.Flag) {
			if _, ok := in.Empty(k); ok {
				in.empty[k.Flag] = in.Name(k)
			}
		}
	}
}

// Getenv reads the step's environment (injected, never os.Environ).
func (in *Input) Getenv(name string) string { return lookupEnv(in.environ, name) }

// Name is how an error message names k: --flag on a command line, key
// 'name' when the Jenkins library runs the binary.
func (in *Input) Name(k *Key) string { return keyRef(k, in.jenkins) }

func keyRef(k *Key, jenkins bool) string {
	if jenkins {
		return "key '" + k.KeyName() + "'"
	}
	return "--" + k.Flag
}

// set says whether k has a value: a non-empty string or list, true, or an
// explicitly given number or duration.
func (in *Input) set(k *Key) bool {
	switch k.Type {
	case String, Path:
		return in.c.String(k.Flag) != ""
	case Bool:
		return in.c.Bool(k.Flag)
	case List:
		return len(in.List(k)) > 0
	}
	return in.c.IsSet(k.Flag)
}
