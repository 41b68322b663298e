package dctspec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CheckRequest checks one request: method, path (relative to the base
// path, escaped as on the wire), query and body (nil or empty when none was
// sent). It returns the problems found, none when the request fits.
func (s *Spec) CheckRequest(method, path string, query url.Values, body []byte) []string {
	o, problem := s.find(method, path)
	if o == nil {
		return []string{problem}
	}
	where := method + " " + o.template
	var problems []string
	if d, _ := o.op["deprecated"].(bool); d {
		problems = append(problems, where+": the operation is deprecated")
	}
	problems = append(problems, s.checkParams(where, o, path, query)...)
	rb := s.resolve(o.op["requestBody"])
	empty := len(bytes.TrimSpace(body)) == 0
	switch {
	case rb == nil && !empty:
		problems = append(problems, where+": the spec declares no request body, but one was sent")
	case rb == nil:
	case empty:
		if req, _ := rb["required"].(bool); req {
			problems = append(problems, where+": the request body is required")
		}
	default:
		v, err := decode(body)
		if err != nil {
			return append(problems, where+": the request body is not JSON: "+err.Error())
		}
		schema := s.resolve(jsonSchema(rb))
		problems = append(problems, s.validate(schema, v, where+" body", true)...)
		if fields, ok := o.op["x-filterable"].(map[string]any); ok {
			if m, ok := v.(map[string]any); ok {
				if f, ok := m["filter_expression"].(string); ok {
					problems = append(problems, checkFilter(where, f, fields)...)
				}
			}
		}
	}
	return problems
}

// CheckResponse checks one answer to method and path: its status must be
// declared (errors of 400 and more may be undeclared: the spec leaves most
// of them out) and its body must fit the declared schema.
func (s *Spec) CheckResponse(method, path string, status int, body []byte) []string {
	o, problem := s.find(method, path)
	if o == nil {
		return []string{problem}
	}
	where := fmt.Sprintf("%s %s answer %d", method, o.template, status)
	responses, _ := o.op["responses"].(map[string]any)
	r := s.resolve(responses[strconv.Itoa(status)])
	if r == nil {
		if status >= 400 {
			return nil
		}
		return []string{where + ": the spec declares no such status"}
	}
	schema := s.resolve(jsonSchema(r))
	empty := len(bytes.TrimSpace(body)) == 0
	switch {
	case schema == nil && !empty:
		return []string{where + ": the spec declares no body, but one was sent"}
	case schema == nil:
		return nil
	case empty:
		return []string{where + ": the body is empty"}
	}
	v, err := decode(body)
	if err != nil {
		return []string{where + ": the body is not JSON: " + err.Error()}
	}
	return s.validate(schema, v, where, false)
}

func jsonSchema(node map[string]any) any {
	content, _ := node["content"].(map[string]any)
	mt, _ := content["application/json"].(map[string]any)
	return mt["schema"]
}

func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// checkParams checks path parameters and the query string.
func (s *Spec) checkParams(where string, o *operation, path string, query url.Values) []string {
	var problems []string
	segs := segments(path)
	declared := map[string]map[string]any{}
	for _, p := range o.params {
		name, _ := p["name"].(string)
		in, _ := p["in"].(string)
		switch in {
		case "query":
			declared[name] = p
			if req, _ := p["required"].(bool); req && !query.Has(name) {
				problems = append(problems, fmt.Sprintf("%s: query parameter %s is required", where, name))
			}
		case "path":
			for i, t := range o.segments {
				if t == "{"+name+"}" {
					problems = append(problems, s.validate(s.resolve(p["schema"]), segs[i], where+" path "+name, true)...)
				}
			}
		}
	}
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := declared[k]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: query parameter %s is not in the spec", where, k))
			continue
		}
		schema := s.resolve(p["schema"])
		for _, raw := range query[k] {
			var v any = raw
			if t, _ := schema["type"].(string); t == "integer" || t == "number" {
				v = json.Number(raw)
				if _, err := strconv.ParseFloat(raw, 64); err != nil {
					problems = append(problems, fmt.Sprintf("%s query %s: %q is not a number", where, k, raw))
					continue
				}
			} else if t == "boolean" {
				b, err := strconv.ParseBool(raw)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s query %s: %q is not a boolean", where, k, raw))
					continue
				}
				v = b
			}
			problems = append(problems, s.validate(schema, v, where+" query "+k, true)...)
		}
	}
	return problems
}

// objectShape is an object schema with its allOf branches merged.
type objectShape struct {
	props      map[string]map[string]any
	required   []string
	additional any // nil (none allowed), true, or a schema
}

func (s *Spec) shape(schema map[string]any, sh *objectShape) {
	for _, branch := range s.resolveList(schema["allOf"]) {
		s.shape(branch, sh)
	}
	props, _ := schema["properties"].(map[string]any)
	for name, p := range props {
		sh.props[name] = s.resolve(p)
	}
	for _, r := range asList(schema["required"]) {
		if name, ok := r.(string); ok {
			sh.required = append(sh.required, name)
		}
	}
	switch a := schema["additionalProperties"].(type) {
	case bool:
		if a {
			sh.additional = true
		}
	case map[string]any:
		sh.additional = s.resolve(a)
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// validate checks v against schema; request says v is sent by the client
// (read-only and deprecated fields are then a problem). Unknown object fields are a
// problem unless the schema allows additional properties.
func (s *Spec) validate(schema map[string]any, v any, where string, request bool) []string {
	if schema == nil {
		return nil
	}
	if v == nil {
		if n, _ := schema["nullable"].(bool); n {
			return nil
		}
		return []string{where + ": null is not allowed"}
	}
	typ, _ := schema["type"].(string)
	if typ == "" && (schema["properties"] != nil || schema["allOf"] != nil) {
		typ = "object"
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, where+": "+fmt.Sprintf(format, args...)) }
	if enum := asList(schema["enum"]); len(enum) > 0 {
		found := false
		for _, e := range enum {
			if fmt.Sprint(e) == fmt.Sprint(v) {
				found = true
			}
		}
		if !found {
			bad("%v is not one of %v", v, enum)
		}
	}
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("%s is not an object", kindOf(v))
			break
		}
		sh := objectShape{props: map[string]map[string]any{}}
		s.shape(schema, &sh)
		for _, r := range sh.required {
			if _, ok := m[r]; !ok {
				bad("required field %s is missing", r)
			}
		}
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			p, ok := sh.props[k]
			switch {
			case ok:
				if ro, _ := p["readOnly"].(bool); ro && request {
					bad("field %s is read-only", k)
				}
				if d, _ := p["deprecated"].(bool); d && request {
					bad("field %s is deprecated", k)
				}
				problems = append(problems, s.validate(p, m[k], where+"."+k, request)...)
			case sh.additional == true:
			case sh.additional != nil:
				problems = append(problems, s.validate(sh.additional.(map[string]any), m[k], where+"."+k, request)...)
			case len(sh.props) > 0:
				bad("field %s is not in the spec", k)
			}
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			bad("%s is not an array", kindOf(v))
			break
		}
		if n, ok := num(schema["minItems"]); ok && float64(len(l)) < n {
			bad("%d items, fewer than %v", len(l), n)
		}
		if n, ok := num(schema["maxItems"]); ok && float64(len(l)) > n {
			bad("%d items, more than %v", len(l), n)
		}
		if u, _ := schema["uniqueItems"].(bool); u {
			seen := map[string]bool{}
			for _, e := range l {
				b, _ := json.Marshal(e)
				if seen[string(b)] {
					bad("item %s repeated", b)
				}
				seen[string(b)] = true
			}
		}
		items := s.resolve(schema["items"])
		for i, e := range l {
			problems = append(problems, s.validate(items, e, fmt.Sprintf("%s[%d]", where, i), request)...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("%s is not a string", kindOf(v))
			break
		}
		n := len([]rune(str))
		if m, ok := num(schema["minLength"]); ok && float64(n) < m {
			bad("%q is shorter than %v", str, m)
		}
		if m, ok := num(schema["maxLength"]); ok && float64(n) > m {
			bad("string of %d characters is longer than %v", n, m)
		}
		if p, ok := schema["pattern"].(string); ok {
			if re, err := regexp.Compile(p); err == nil && !re.MatchString(str) {
				bad("%q does not match %s", str, p)
			}
		}
		switch schema["format"] {
		case "date":
			if _, err := time.Parse(time.DateOnly, str); err != nil {
				bad("%q is not a date (YYYY-MM-DD)", str)
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				bad("%q is not an RFC 3339 date-time", str)
			}
		}
	case "integer", "number":
		n, ok := v.(json.Number)
		if !ok {
			bad("%s is not a number", kindOf(v))
			break
		}
		f, err := n.Float64()
		if err != nil || (typ == "integer" && (f != math.Trunc(f) || strings.ContainsAny(n.String(), ".eE"))) {
			bad("%s is not an %s", n, typ)
			break
		}
		if m, ok := num(schema["minimum"]); ok && f < m {
			bad("%s is less than %v", n, m)
		}
		if m, ok := num(schema["maximum"]); ok && f > m {
			bad("%s is more than %v", n, m)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("%s is not a boolean", kindOf(v))
		}
	}
	return problems
}

func num(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func kindOf(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case json.Number:
		return "number " + x.String()
	case bool:
		return "boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
