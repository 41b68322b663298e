// Package dctspec checks DCT API traffic against the DCT OpenAPI file
// (../shared/reference/dct-openapi.yaml beside the repository, DCT API
// 3.18.0). Tests wrap their fake or local DCT with Handler so that every
// request the client sends and every answer the server gives is checked:
// the path template and method exist and are not deprecated; query
// parameters are declared and fit; bodies are present when required and
// absent when none is declared; every JSON value fits its schema (types,
// required and unknown fields, enums, lengths, ranges, formats, and no
// read-only or deprecated field in a request); search filters use only
// the fields the endpoint declares filterable.
package dctspec

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/dxsteps/dxsteps/test/internal/dctfilter"
	"gopkg.in/yaml.v3"
)

// Spec is a loaded OpenAPI document.
type Spec struct {
	doc map[string]any
	ops []operation
}

type operation struct {
	template string
	segments []string
	method   string // upper case
	op       map[string]any
	params   []map[string]any // path-level and operation-level parameters, resolved
}

// Load reads and indexes the OpenAPI file at path.
func Load(path string) (*Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("dctspec: %s: %w", path, err)
	}
	s := &Spec{}
	var ok bool
	if s.doc, ok = norm(doc).(map[string]any); !ok {
		return nil, fmt.Errorf("dctspec: %s is not an OpenAPI document", path)
	}
	paths, _ := s.doc["paths"].(map[string]any)
	for tmpl, item := range paths {
		item, _ := item.(map[string]any)
		shared := s.resolveList(item["parameters"])
		for method, op := range item {
			op, ok := op.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			params := append(append([]map[string]any{}, shared...), s.resolveList(op["parameters"])...)
			s.ops = append(s.ops, operation{template: tmpl, segments: strings.Split(strings.Trim(tmpl, "/"), "/"),
				method: strings.ToUpper(method), op: op, params: params})
		}
	}
	if len(s.ops) == 0 {
		return nil, fmt.Errorf("dctspec: %s has no paths", path)
	}
	sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].template < s.ops[j].template })
	return s, nil
}

var (
	defaultOnce sync.Once
	defaultSpec *Spec
	defaultErr  error
)

// ErrNoSpec means the OpenAPI file is not beside the repository.
var ErrNoSpec = errors.New("dctspec: ../shared/reference/dct-openapi.yaml not found beside the repository")

// Default loads, once per process, the OpenAPI file found by walking up
// from the working directory to the module root (go.mod) and then to
// ../shared/reference/dct-openapi.yaml. It returns ErrNoSpec when it is
// not there.
func Default() (*Spec, error) {
	defaultOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			defaultErr = err
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				defaultErr = ErrNoSpec
				return
			}
			dir = parent
		}
		p := filepath.Join(dir, "..", "shared", "reference", "dct-openapi.yaml")
		if _, err := os.Stat(p); err != nil {
			defaultErr = ErrNoSpec
			return
		}
		defaultSpec, defaultErr = Load(p)
	})
	return defaultSpec, defaultErr
}

// norm turns yaml.v3's maps with non-string keys into map[string]any.
func norm(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = norm(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = norm(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = norm(e)
		}
		return x
	}
	return v
}

// resolve follows $ref (local JSON pointers only) until a node has none.
func (s *Spec) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	for i := 0; m != nil && i < 32; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		m = s.pointer(ref)
	}
	return m
}

func (s *Spec) pointer(ref string) map[string]any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var cur any = s.doc
	for _, part := range strings.Split(ref[2:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	m, _ := cur.(map[string]any)
	return m
}

func (s *Spec) resolveList(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		if m := s.resolve(e); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// find returns the operation for method and path (relative to the base
// path, escaped: an id holding a slash stays one segment), preferring the template with the most literal segments
// ("/vdbs/search" over "/vdbs/{vdbId}"), or a problem.
func (s *Spec) find(method, path string) (*operation, string) {
	segs := segments(path)
	var best *operation
	bestLit, pathKnown := -1, false
	for i := range s.ops {
		o := &s.ops[i]
		lit, ok := matchSegments(o.segments, segs)
		if !ok {
			continue
		}
		pathKnown = true
		if o.method == method && lit > bestLit {
			best, bestLit = o, lit
		}
	}
	switch {
	case best != nil:
		return best, ""
	case pathKnown:
		return nil, fmt.Sprintf("%s %s: the spec has this path but not this method", method, path)
	}
	return nil, fmt.Sprintf("%s %s: no such path in the spec", method, path)
}

func matchSegments(tmpl, segs []string) (int, bool) {
	if len(tmpl) != len(segs) {
		return 0, false
	}
	lit := 0
	for i, t := range tmpl {
		switch {
		case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
			if segs[i] == "" {
				return 0, false
			}
		case t == segs[i]:
			lit++
		default:
			return 0, false
		}
	}
	return lit, true
}

// segments splits an escaped path into unescaped segments.
func segments(path string) []string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	return segs
}

// Declared is what the spec declares of one operation: its query
// parameters, each with its enum (nil: any value of its type), and, for a
// search, its filterable fields (x-filterable; nil: not a search).
type Declared struct {
	Query      map[string][]string
	Filterable dctfilter.Fields
}

// Declared returns what the spec declares of the operation that method and
// path (relative to the base path) go to, or false when there is none.
func (s *Spec) Declared(method, path string) (Declared, bool) {
	o, _ := s.find(method, path)
	if o == nil {
		return Declared{}, false
	}
	d := Declared{Query: map[string][]string{}}
	for _, p := range o.params {
		if p["in"] != "query" {
			continue
		}
		name, _ := p["name"].(string)
		var enum []string
		for _, v := range asList(s.resolve(p["schema"])["enum"]) {
			enum = append(enum, fmt.Sprint(v))
		}
		d.Query[name] = enum
	}
	if xf, ok := o.op["x-filterable"].(map[string]any); ok {
		d.Filterable = FilterFields(xf)
	}
	return d, true
}
