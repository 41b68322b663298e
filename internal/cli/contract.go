package cli

import (
	"reflect"
	"strings"
	"time"
)

// Output is a step's JSON result for some operations.
type Output struct {
	// Operations that print it; empty: every operation (or the only one).
	Operations []string
	// Value is the result type's zero value, e.g. Result{}.
	Value any
}

// Contract is what a binary promises: `dx-x --contract` prints it, and the
// Jenkins library's key table, the vars' help and the README are generated
// from it.
type Contract struct {
	Name        string       `json:"name"`
	Jenkins     string       `json:"jenkinsStep"`
	Version     string       `json:"version"`
	Summary     string       `json:"summary"`
	Platforms   []string     `json:"platforms"`
	Description string       `json:"description"`
	Operations  []OpSpec     `json:"operations"`
	Keys        []KeySpec    `json:"keys"`
	Connection  []KeySpec    `json:"connection"`
	Environment []EnvSpec    `json:"environment"`
	Rules       []RuleSpec   `json:"rules"`
	Outputs     []OutputSpec `json:"outputs"`
	ExitCodes   []ExitCode   `json:"exitCodes"`
	ErrorFile   []FieldSpec  `json:"errorFile"`
}

// OpSpec is one operation and the keys it requires and accepts.
type OpSpec struct {
	Name     string   `json:"name"`
	Usage    string   `json:"usage,omitempty"`
	Default  bool     `json:"default,omitempty"`
	Requires []string `json:"requires"`
	Accepts  []string `json:"accepts"`
}

// KeySpec is one key: its Jenkins name, flag, environment variable, type,
// default and which operations need or take it.
type KeySpec struct {
	Key        string   `json:"key"`
	Flag       string   `json:"flag"`
	Env        string   `json:"env"`
	Type       Type     `json:"type"`
	Default    any      `json:"default,omitempty"`
	Usage      string   `json:"usage"`
	Value      string   `json:"value,omitempty"` // what the flag's value is, for --help: NAME, FILE ...
	Mandatory  bool     `json:"mandatory,omitempty"`
	NeededBy   []string `json:"neededBy,omitempty"`
	Operations []string `json:"operations,omitempty"` // empty: every operation
	Min        *int     `json:"min,omitempty"`
	Max        *int     `json:"max,omitempty"`
	Library    bool     `json:"library,omitempty"`   // a connection key the Jenkins library offers
	Platforms  []string `json:"platforms,omitempty"` // empty: every platform the step drives
}

// EnvSpec is an environment variable read without a flag.
type EnvSpec struct {
	Name  string `json:"name"`
	Usage string `json:"usage"`
}

// RuleSpec is one rule between keys, structured and in words (with flags,
// and with the Jenkins keys).
type RuleSpec struct {
	Rule       string   `json:"rule"`
	Keys       []string `json:"keys"`
	Then       []string `json:"then,omitempty"`
	Operations []string `json:"operations,omitempty"`
	Platforms  []string `json:"platforms,omitempty"`
	Text       string   `json:"text"`
	KeyText    string   `json:"keyText"`
}

// OutputSpec is the result some operations print.
type OutputSpec struct {
	Operations []string    `json:"operations,omitempty"`
	Fields     []FieldSpec `json:"fields"`
}

// FieldSpec is one field of a JSON result.
type FieldSpec struct {
	Name     string      `json:"name"`
	Type     string      `json:"type"`
	Optional bool        `json:"optional,omitempty"` // left out when empty
	Fields   []FieldSpec `json:"fields,omitempty"`   // of an object, or of a list's objects
}

// Contract returns the step's contract.
func (s *Step) Contract() Contract {
	c := Contract{Name: s.Name, Jenkins: s.Jenkins, Version: Version, Summary: s.Usage, Description: s.Description, Platforms: s.platforms(),
		Operations: []OpSpec{}, ExitCodes: ExitCodes, ErrorFile: fields(reflect.TypeOf(errorRecord{}))}
	for i, op := range s.Operations {
		o := OpSpec{Name: op, Usage: s.OperationUsage[op], Default: i == 0, Requires: []string{}, Accepts: []string{}}
		for _, k := range s.Keys {
			if k.needed(op) {
				o.Requires = append(o.Requires, k.KeyName())
			}
			if k.accepts(op) {
				o.Accepts = append(o.Accepts, k.KeyName())
			}
		}
		c.Operations = append(c.Operations, o)
	}
	for _, k := range s.Keys {
		c.Keys = append(c.Keys, s.keySpec(k))
	}
	for _, k := range Connection {
		c.Connection = append(c.Connection, s.keySpec(k))
	}
	c.Environment = []EnvSpec{
		{PasswordEnv, "the engine password (or --" + PasswordFile.Flag + "); there is no password flag"},
		{APIKeyEnv, "the DCT API key with --platform dct (or --" + APIKeyFile.Flag + "); there is no API key flag"},
		{CallerEnv, "jenkins when the Jenkins library runs the binary: error lines then name keys, not flags"},
	}
	flag := func(k *Key) string { return "--" + k.Flag }
	key := func(k *Key) string { return k.KeyName() }
	for _, r := range s.rules() {
		c.Rules = append(c.Rules, RuleSpec{Rule: r.kind, Keys: names(key, r.keys), Then: names(key, r.then),
			Operations: r.ops, Platforms: r.platforms, Text: r.text(flag, ""), KeyText: r.text(key, "")})
	}
	for _, o := range s.Outputs {
		c.Outputs = append(c.Outputs, OutputSpec{Operations: o.Operations, Fields: fields(reflect.TypeOf(o.Value))})
	}
	return c
}

func (s *Step) keySpec(k *Key) KeySpec {
	ks := KeySpec{Key: k.KeyName(), Flag: "--" + k.Flag, Env: s.env(k), Type: k.Type, Default: jsonDefault(k.Default),
		Usage: strings.ReplaceAll(k.Usage, "`", ""), Mandatory: k.Mandatory, NeededBy: k.NeededBy, Operations: k.Only, Library: k.Library, Platforms: k.Platforms}
	if _, rest, ok := strings.Cut(k.Usage, "`"); ok {
		ks.Value, _, _ = strings.Cut(rest, "`")
	}
	if k.Max > 0 {
		ks.Min, ks.Max = &k.Min, &k.Max
	}
	return ks
}

// jsonDefault shows a duration as it is written on a command line (2h, 10m).
func jsonDefault(v any) any {
	d, ok := v.(time.Duration)
	if !ok {
		return v
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// fields describes a result type from its json tags.
func fields(t reflect.Type) []FieldSpec {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []FieldSpec
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs := FieldSpec{Name: name, Optional: strings.Contains(opts, "omitempty")}
		fs.Type, fs.Fields = typeOf(f.Type)
		out = append(out, fs)
	}
	return out
}

func typeOf(t reflect.Type) (string, []FieldSpec) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string", nil
	case reflect.Bool:
		return "boolean", nil
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number", nil
	case reflect.Slice:
		elem, sub := typeOf(t.Elem())
		return "list of " + elem, sub
	case reflect.Struct:
		return "object", fields(t)
	}
	return t.Kind().String(), nil
}
