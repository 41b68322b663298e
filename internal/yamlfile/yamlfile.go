// Package yamlfile reads the YAML files a person gives dxsteps (a step's
// --config, dx-credentials' --policy) through one strict decoder: an
// unknown key, a key given twice or a value of the wrong kind is refused
// with an error that names the file, the line and the key, suggests the key
// meant, and never names a Go type.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/internal/httpapi"
	"gopkg.in/yaml.v3"
)

// Error is what is wrong with a YAML file, and where.
type Error struct {
	File string // how the message names the file, e.g. "--policy accounts.yaml"
	Line int    // 0 when no line is to blame (an empty file)
	Msg  string // what is wrong, naming the key
}

// Error is one line: FILE: line N: what is wrong.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Keys are the keys a map at the top of a file may have, when its Go type
// does not say (map[string]yaml.Node), and what to say of an unknown one
// that is near none of them (default: the list of keys).
type Keys struct {
	Names []string
	Hint  string
}

// Decode decodes raw, the content of file, into v (a pointer) strictly:
// the keys of a struct are its fields' yaml names, the keys of a map at the
// top are keys' when keys is not nil, no key is given twice, and a value
// must be of its field's kind (a time.Duration is a number with a unit). A
// value of type yaml.Node takes anything, and keeps its line for the
// caller's own checks. An empty file leaves v as it is. Errors are *Error.
func Decode(file string, raw []byte, v any, keys *Keys) error {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(raw)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // nothing (or only comments): v keeps its zero value, for the caller to judge
		}
		e := syntaxError(file, err)
		if lines := strings.Split(string(raw), "\n"); e.Line > 0 && e.Line <= len(lines) && strings.Contains(lines[e.Line-1], "\t") {
			e.Msg += "; YAML indents with spaces, not tabs"
		}
		return e
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil
	}
	c := checker{file: file, keys: keys}
	if err := c.check(doc.Content[0], reflect.TypeOf(v).Elem(), "the file", true); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil { // what check let through: say it without Go's types
		return syntaxError(file, err)
	}
	return nil
}

type checker struct {
	file string
	keys *Keys // of the top map, when given
}

var (
	durationType = reflect.TypeOf(time.Duration(0))
	nodeType     = reflect.TypeOf(yaml.Node{})
)

// check says what is wrong with n as a value of t; what names it ("key
// "name"", "account 2").
func (c checker) check(n *yaml.Node, t reflect.Type, what string, top bool) error {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nodeType || t.Kind() == reflect.Interface || isNull(n) {
		return nil
	}
	wrong := func(want string) error {
		return &Error{File: c.file, Line: n.Line, Msg: fmt.Sprintf("%s takes %s, not %s", what, want, describe(n))}
	}
	switch {
	case t == durationType:
		if n.Kind != yaml.ScalarNode {
			return wrong("a duration")
		}
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return &Error{File: c.file, Line: n.Line, Msg: fmt.Sprintf("%s: %[2]s has no unit: write %[2]ss, %[2]sm or %[2]sh", what, n.Value)}
		}
		if _, err := time.ParseDuration(n.Value); err != nil {
			return &Error{File: c.file, Line: n.Line, Msg: fmt.Sprintf("%s: %q is not a duration: give a number with a unit, e.g. 90s, 5m or 2h", what, n.Value)}
		}
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return wrong("a map of keys (" + strings.Join(fieldNames(t), ", ") + ")")
		}
		return c.mapping(n, what, top, &Keys{Names: fieldNames(t)}, func(key string) reflect.Type { return fieldType(t, key) })
	case t.Kind() == reflect.Map:
		if n.Kind != yaml.MappingNode {
			return wrong("a map of keys")
		}
		var known *Keys
		if top {
			known = c.keys
		}
		return c.mapping(n, what, top, known, func(string) reflect.Type { return t.Elem() })
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return wrong("a list")
		}
		item := strings.TrimSuffix(strings.Trim(strings.TrimPrefix(what, "key "), `"`), "s") // key "accounts": account 1
		for i, e := range n.Content {
			if err := c.check(e, t.Elem(), fmt.Sprintf("%s %d", item, i+1), false); err != nil {
				return err
			}
		}
	case n.Kind != yaml.ScalarNode:
		return wrong("one value")
	case t.Kind() == reflect.Bool:
		if n.Tag != "!!bool" {
			return &Error{File: c.file, Line: n.Line, Msg: fmt.Sprintf("%s: %q is not true or false", what, n.Value)}
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		if n.Tag != "!!int" {
			return &Error{File: c.file, Line: n.Line, Msg: fmt.Sprintf("%s: %q is not a whole number", what, n.Value)}
		}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			return &Error{File: c.file, Line: n.Line, Msg: fmt.Sprintf("%s: %q is not a number", what, n.Value)}
		}
	}
	return nil
}

// mapping checks a map's keys (against known, when not nil: an unknown
// one is named with the one meant), that none is given twice, and its
// values.
func (c checker) mapping(n *yaml.Node, what string, top bool, known *Keys, elem func(key string) reflect.Type) error {
	where := ""
	if !top {
		where = " in " + what
	}
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, ok := first[k.Value]; ok {
			return &Error{File: c.file, Line: k.Line, Msg: fmt.Sprintf("key %q%s is given twice (first on line %d)", k.Value, where, line)}
		}
		first[k.Value] = k.Line
		if known != nil && !slices.Contains(known.Names, k.Value) {
			msg := fmt.Sprintf("unknown key %q%s", k.Value, where)
			switch s := httpapi.Suggest(k.Value, known.Names); {
			case s != "":
				msg += fmt.Sprintf("; did you mean %q?", s)
			case known.Hint != "":
				msg += known.Hint
			default:
				msg += "; the keys are " + strings.Join(known.Names, ", ")
			}
			return &Error{File: c.file, Line: k.Line, Msg: msg}
		}
		t := elem(k.Value)
		if t == nil {
			continue
		}
		if err := c.check(v, t, fmt.Sprintf("key %q%s", k.Value, where), false); err != nil {
			return err
		}
	}
	return nil
}

// fieldNames are the yaml names of a struct's fields, in order.
func fieldNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	return names
}

func fieldType(t reflect.Type, key string) reflect.Type {
	for i := 0; i < t.NumField(); i++ {
		if yamlName(t.Field(i)) == key {
			return t.Field(i).Type
		}
	}
	return nil
}

func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	switch name {
	case "-":
		return ""
	case "":
		return strings.ToLower(f.Name)
	}
	return name
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe says what a value is, for "takes a list, not ...".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// syntaxError is a yaml.v3 error as one line with its line number, and
// without the Go types it may name.
func syntaxError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n") // the first is enough
	msg = strings.TrimPrefix(msg, "yaml: ")
	e := &Error{File: file, Msg: msg}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
	}
	e.Msg = goType.ReplaceAllString(e.Msg, "")
	e.Msg = strings.ReplaceAll(e.Msg, "cannot unmarshal ", "cannot read ")
	return e
}

var (
	lineRE = regexp.MustCompile(`^line (\d+): (.*)$`)
	goType = regexp.MustCompile(` into \S+( \S+)?`)
)
