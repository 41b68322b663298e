package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// kind is the JSON shape of an input field.
type kind int

const (
	kString kind = iota
	kBool
	kInt
	kJSON   // any JSON object (free-form parameters, properties)
	kObject // a typed object derived from field.family
	kStrings
	kObjects // array of typed objects derived from field.family
	kInts
)

// field describes one input field: its shape, whether it is required and in which API versions
// it exists ([since, until), empty = unbounded).
type field struct {
	kind          kind
	family        string
	required      bool
	requiredSince string
	since, until  string
	enum          []string
}

// inputType is one request type the engine accepts, with the API versions it exists in.
type inputType struct {
	parent        string
	abstract      bool
	abstractSince string
	since, until  string
	fields        map[string]field
}

func inRange(v version, since, until string) bool {
	return (since == "" || v.atLeast(since)) && (until == "" || v.less(mustVersion(until)))
}

// derives reports whether type name is family or descends from it.
func derives(name, family string) bool {
	for n := name; n != ""; {
		if n == family {
			return true
		}
		t, ok := inputTypes[n]
		if !ok {
			return false
		}
		n = t.parent
	}
	return false
}

// input is a decoded request body.
type input map[string]any

func (in input) str(k string) string {
	s, _ := in[k].(string)
	return s
}

func (in input) boolean(k string) bool {
	b, _ := in[k].(bool)
	return b
}

func (in input) sub(k string) input {
	m, _ := in[k].(map[string]any)
	return m
}

func (in input) list(k string) []any {
	l, _ := in[k].([]any)
	return l
}

// bodyEmpty reports whether the request had no body at all.
func (c *call) bodyEmpty() bool { return len(bytes.TrimSpace(c.body)) == 0 }

// untypedEmpty reports whether the body is absent or "{}" (the API 1.8 form of many operations).
func (c *call) untypedEmpty() bool {
	if c.bodyEmpty() {
		return true
	}
	var m map[string]any
	return json.Unmarshal(c.body, &m) == nil && len(m) == 0
}

// parse decodes and validates the body as one of the allowed concrete types, which all
// derive from family. The allowed list is per operation, object type and API version.
func (c *call) parse(family string, allowed ...string) (input, error) {
	var m map[string]any
	if err := json.Unmarshal(c.body, &m); err != nil {
		return nil, &apiError{status: http.StatusBadRequest, id: "exception.webservices.json.invalid",
			details: "The request body is not a valid JSON object: " + err.Error(), action: validationAction}
	}
	t, err := checkType(m, family, c.ver, "")
	if err != nil {
		return nil, err
	}
	if len(allowed) > 0 && !contains(allowed, t) {
		return nil, errValidation("type", idTypeMismatch,
			fmt.Sprintf("Object type %q is not valid here. Expected one of: %s.", t, strings.Join(allowed, ", ")))
	}
	return m, validateFields(m, t, c.ver, "")
}

// checkType checks an object's "type" against the table and the family expected.
func checkType(m map[string]any, family string, v version, path string) (string, error) {
	t, ok := m["type"].(string)
	if !ok || t == "" {
		return "", errValidation(path+"type", idFieldRequired, "The field \"type\" is required.")
	}
	it, ok := inputTypes[t]
	if !ok || !inRange(v, it.since, it.until) {
		return "", errValidation(path+"type", idTypeUnknown, fmt.Sprintf("Object type %q is not a known type in API %s.", t, v))
	}
	if it.abstract || (it.abstractSince != "" && v.atLeast(it.abstractSince)) {
		return "", errValidation(path+"type", idTypeAbstract,
			fmt.Sprintf("Object type %q is an abstract type. Expected a concrete type derived from %q.", t, family))
	}
	if !derives(t, family) {
		return "", errValidation(path+"type", idTypeMismatch,
			fmt.Sprintf("Object type %q is not derived from %q.", t, family))
	}
	return t, nil
}

// validateFields checks unknown, missing and mistyped fields of an object of type t.
func validateFields(m map[string]any, t string, v version, path string) error {
	it := inputTypes[t]
	for k, val := range m {
		if k == "type" {
			continue
		}
		f, ok := it.fields[k]
		if !ok || !inRange(v, f.since, f.until) {
			return errValidation(path+k, idFieldUnknown, fmt.Sprintf("The field %q is not a field of %q in API %s.", k, t, v))
		}
		if val == nil {
			if f.required || (f.requiredSince != "" && v.atLeast(f.requiredSince)) {
				return errValidation(path+k, idFieldRequired, fmt.Sprintf("The field %q is required.", k))
			}
			continue
		}
		if err := checkValue(f, val, v, path+k); err != nil {
			return err
		}
	}
	for k, f := range it.fields {
		req := f.required || (f.requiredSince != "" && v.atLeast(f.requiredSince))
		if _, ok := m[k]; !ok && req && inRange(v, f.since, f.until) {
			return errValidation(path+k, idFieldRequired, fmt.Sprintf("The field %q is required.", k))
		}
	}
	return nil
}

func checkValue(f field, val any, v version, path string) error {
	bad := func(want string) error { return errValue(path, "The field %q must be %s.", path, want) }
	switch f.kind {
	case kString:
		s, ok := val.(string)
		if !ok {
			return bad("a string")
		}
		if len(f.enum) > 0 && !contains(f.enum, s) {
			return errValue(path, "The value %q of field %q is not one of %s.", s, path, strings.Join(f.enum, ", "))
		}
	case kBool:
		if _, ok := val.(bool); !ok {
			return bad("a boolean")
		}
	case kInt:
		if n, ok := val.(float64); !ok || n != float64(int64(n)) {
			return bad("an integer")
		}
	case kJSON:
		if _, ok := val.(map[string]any); !ok {
			return bad("an object")
		}
	case kStrings, kInts:
		l, ok := val.([]any)
		if !ok {
			return bad("a list")
		}
		for _, x := range l {
			if err := checkValue(field{kind: map[kind]kind{kStrings: kString, kInts: kInt}[f.kind]}, x, v, path); err != nil {
				return err
			}
		}
	case kObject:
		return checkObject(f.family, val, v, path)
	case kObjects:
		l, ok := val.([]any)
		if !ok {
			return bad("a list")
		}
		for i, x := range l {
			if err := checkObject(f.family, x, v, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkObject(family string, val any, v version, path string) error {
	m, ok := val.(map[string]any)
	if !ok {
		return errValue(path, "The field %q must be an object of type %q.", path, family)
	}
	t, err := checkType(m, family, v, path+".")
	if err != nil {
		return err
	}
	return validateFields(m, t, v, path+".")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
